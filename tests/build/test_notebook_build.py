"""Generated notebooks are in sync with autograder/source, and have the right shape."""
from __future__ import annotations

import subprocess
import sys

import nbformat

from course.build.notebooks import source_notebooks
from course.build.repo import colab_url
from conftest import ROOT


def test_generated_notebooks_are_current() -> None:
    result = subprocess.run([sys.executable, "-m", "course", "build", "--check"], cwd=ROOT,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"Run `python -m course build`:\n{result.stdout}{result.stderr}"


def test_every_generated_notebook_opens_with_badge_and_setup() -> None:
    for name in source_notebooks():
        for folder in ("notebooks", "solutions"):
            cells = nbformat.read(ROOT / folder / name, as_version=4).cells
            assert colab_url(f"{folder}/{name}") in cells[0].source
            assert "course.setup()" in cells[1].source and "google.colab" in cells[1].source


def _code(folder: str, name: str) -> str:
    notebook = nbformat.read(ROOT / folder / name, as_version=4)
    return "\n".join(c.source for c in notebook.cells if c.cell_type == "code")


def test_student_versions_hide_solutions_and_hidden_tests() -> None:
    for name in source_notebooks():
        student, solution = _code("notebooks", name), _code("solutions", name)
        assert "BEGIN SOLUTION" not in student and "HIDDEN TESTS" not in student
        assert "raise NotImplementedError()" in student
        assert "BEGIN SOLUTION" not in solution and "HIDDEN TESTS" not in solution
        assert "raise NotImplementedError()" not in solution


def test_generated_notebooks_have_no_outputs() -> None:
    for name in source_notebooks():
        for folder in ("notebooks", "solutions"):
            notebook = nbformat.read(ROOT / folder / name, as_version=4)
            assert all(not c.get("outputs") for c in notebook.cells if c.cell_type == "code")
