"""The grader both ways, per chapter, with nbgrader itself and the course's config.

The solution notebook gets full marks on every autograded cell; the untouched student
notebook gets zero on every one, and grading it does not crash the run.
"""
from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from course.build.notebooks import source_notebooks
from grading_helpers import grades, make_course, run_nbgrader, submit
from conftest import ROOT

CHAPTERS = [Path(name).stem for name in source_notebooks()]
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="module")
def course_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_course(tmp_path_factory.mktemp("course"))
    for chapter in CHAPTERS:
        run_nbgrader(root, "generate_assignment", chapter)
    return root


@pytest.mark.notebook
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_solution_full_marks_and_blank_zero(course_dir: Path, chapter: str) -> None:
    submit(course_dir, "solution", chapter, ROOT / "solutions" / f"{chapter}.ipynb")
    submit(course_dir, "blank", chapter, ROOT / "notebooks" / f"{chapter}.ipynb")
    run_nbgrader(course_dir, "autograde", chapter)

    solved = {g.name: g for g in grades(course_dir, chapter, "solution")}
    blank = {g.name: g for g in grades(course_dir, chapter, "blank")}
    autograded = [name for name, g in solved.items() if not g.needs_manual_grade]
    assert len(autograded) >= 3, f"{chapter} has fewer than three autograded cells"
    lost = {n: (solved[n].score, solved[n].max_score) for n in autograded
            if solved[n].score != solved[n].max_score}
    assert not lost, f"the solution of {chapter} lost points: {lost}"
    earned = {n: g.score for n, g in blank.items() if g.score}
    assert not earned, f"the untouched {chapter} earned points: {earned}"
    _record(chapter, solved, blank)


def _record(chapter: str, solved: dict, blank: dict) -> None:
    """Keep the both-ways table for the closing note (test-artifacts/grader-both-ways.json)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "grader-both-ways.json"
    table = json.loads(path.read_text()) if path.exists() else {}
    table[chapter] = {"solution": sum(g.score or 0 for g in solved.values()),
                      "blank": sum(g.score or 0 for g in blank.values()),
                      "max": sum(g.max_score for g in solved.values())}
    path.write_text(json.dumps(table, indent=1, sort_keys=True))


def _one_cell_assignment(root: Path, test_code: str) -> None:
    """A source assignment 'stderr' whose only test cell runs `test_code`."""
    cell = nbformat.v4.new_code_cell(test_code, id="t")
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "points": 1,
                                 "grade_id": "t", "schema_version": 3}
    notebook = nbformat.v4.new_notebook(cells=[cell])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    folder = root / "source" / "stderr"
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, folder / "stderr.ipynb")


@pytest.mark.parametrize("code, points", [
    ("import sys, warnings\nwarnings.warn('deprecated argument')\n"
     "print('progress 50%', file=sys.stderr)\nassert 1 + 1 == 2", 1.0),
    ("import sys\nprint('about to fail', file=sys.stderr)\nassert 1 + 1 == 3", 0.0),
])
def test_stderr_does_not_cost_points(tmp_path: Path, code: str, points: float) -> None:
    """Warnings and progress bars on stderr keep a passing test's points; a failure still fails."""
    root = make_course(tmp_path / "course", sources=None)
    _one_cell_assignment(root, code)
    run_nbgrader(root, "generate_assignment", "stderr")
    submit(root, "student", "stderr", root / "release" / "stderr" / "stderr.ipynb")
    run_nbgrader(root, "autograde", "stderr")
    [grade] = grades(root, "stderr", "student")
    assert grade.score == points
