"""Every test cell of autograder/source explains its failures: no bare `assert`.

A bare `assert` fails with an empty or terse AssertionError; the `course` checks say what was
expected, what was found, and how to fix it (hidden tests too, without showing their inputs).
"""
from __future__ import annotations

import ast

import nbformat
from IPython.core.inputtransformer2 import TransformerManager

from course.build.notebooks import source_notebooks


def _asserts(code: str) -> list[int]:
    """Line numbers of the `assert` statements in a cell (IPython magics allowed)."""
    tree = ast.parse(TransformerManager().transform_cell(code))
    return [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Assert)]


def test_no_bare_assert_in_any_test_cell() -> None:
    found = []
    for name, path in source_notebooks().items():
        for cell in nbformat.read(path, as_version=4).cells:
            grading = cell.metadata.get("nbgrader", {})
            if cell.cell_type == "code" and grading.get("grade"):
                found += [f"{name} cell {grading['grade_id']} line {line}"
                          for line in _asserts(cell.source)]
    assert not found, "Use course checks (course.expect_equal, ...) instead of `assert`:\n" + \
        "\n".join(found)
