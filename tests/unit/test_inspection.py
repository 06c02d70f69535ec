"""Reading a submission and comparing it with the released notebook, before anything runs."""
from __future__ import annotations

import json
from pathlib import Path

import nbformat
from nbformat.notebooknode import NotebookNode

from course.grading.inspection import inspect_submission


def _cell(kind: str, grade_id: str, source: str, points: int = 0) -> NotebookNode:
    cell = nbformat.v4.new_code_cell(source, id=grade_id)
    cell.metadata.nbgrader = {"grade_id": grade_id, "schema_version": 3, "locked": kind != "answer",
                              "solution": kind == "answer", "grade": kind == "test",
                              **({"points": points} if kind == "test" else {})}
    return cell


def released() -> NotebookNode:
    return nbformat.v4.new_notebook(cells=[
        _cell("locked", "setup", "import course"), _cell("answer", "ex1-answer", "x = None"),
        _cell("test", "ex1-tests", "course.expect_equal(x, 1, 'x')", points=2)])


def _write(tmp_path: Path, notebook: NotebookNode | str) -> Path:
    path = tmp_path / "sub.ipynb"
    path.write_text(notebook if isinstance(notebook, str) else nbformat.writes(notebook))
    return path


def test_a_clean_answer_has_no_findings(tmp_path: Path) -> None:
    nb = released()
    nb.cells[1].source = "x = 1"
    found = inspect_submission(_write(tmp_path, nb), released())
    assert (found.invalid, found.tampering, found.notes) == (None, [], [])


def test_unreadable_files_are_invalid(tmp_path: Path) -> None:
    for text, reason in (('{"cells": [', "not a readable notebook"),
                         ('{"hello": 1}', "no list of cells"), ("\udcff", "not a readable")):
        path = tmp_path / "bad.ipynb"
        path.write_bytes(text.encode("utf-8", "surrogateescape"))
        found = inspect_submission(path, released())
        assert found.notebook is None and reason in found.invalid, found.invalid


def test_edited_and_deleted_tests_and_points_are_tampering(tmp_path: Path) -> None:
    nb = released()
    nb.cells[2].source = "pass"
    nb.cells[2].metadata.nbgrader["points"] = 100
    del nb.cells[0]
    found = inspect_submission(_write(tmp_path, nb), released())
    assert any("'ex1-tests' was edited" in t for t in found.tampering), found.tampering
    assert any("'points' changed from 2 to 100" in t for t in found.tampering), found.tampering
    assert any("locked cell 'setup' was deleted" in t for t in found.tampering), found.tampering


def test_a_deleted_answer_and_repaired_ids_are_notes_only(tmp_path: Path) -> None:
    nb = released()
    del nb.cells[1]
    raw = json.loads(nbformat.writes(nb))
    raw["cells"][1]["id"] = raw["cells"][0]["id"]
    found = inspect_submission(_write(tmp_path, json.dumps(raw)), released())
    assert found.tampering == []
    assert any("answer cell 'ex1-answer' was deleted" in n for n in found.notes), found.notes
    assert any("duplicate cell ids repaired" in n for n in found.notes), found.notes
    ids = [c.id for c in found.notebook.cells]
    assert len(ids) == len(set(ids))


def test_a_pasted_copy_of_a_graded_cell_is_graded_once(tmp_path: Path) -> None:
    nb = released()
    nb.cells.insert(3, nbformat.from_dict(json.loads(json.dumps(nb.cells[1]))))
    nb.cells[3].id = "copy"
    found = inspect_submission(_write(tmp_path, nb), released())
    assert any("appears twice" in n for n in found.notes), found.notes
    assert "nbgrader" not in found.notebook.cells[3].metadata
