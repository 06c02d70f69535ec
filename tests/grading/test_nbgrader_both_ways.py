"""The grader both ways, per chapter: the solution gets full marks on every autograded cell and
runs end to end without an error in any cell, the untouched student notebook gets zero on every
one, and neither is flagged.

Every chapter goes through `course grade` (contained, audited, in one batch with two workers),
so an audit that mistakes a chapter's honest code for tampering fails here. `course grade` and
its kernels run on the lowest versions pyproject.toml admits (tests/lowest_versions.py): every
chapter in the tiny profile on those, where the answer corpus runs them on the newest. Chapter
00 also goes through plain `nbgrader autograde` with the course's config, the instructor's other
route.
"""
from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

from bad_submissions import blank, solved
from lowest_versions import lowest_venv
from course.build.notebooks import source_notebooks
from grading_helpers import course_grade, grades, make_course, run_nbgrader, submit
from conftest import ROOT

CHAPTERS = [Path(name).stem for name in source_notebooks()]
ARTIFACTS = ROOT / "test-artifacts"


def selected_chapters(request: pytest.FixtureRequest) -> list[str]:
    """The chapters whose both-ways test this session runs (`-k 11` grades chapter 11 only)."""
    chosen = {item.callspec.params["chapter"] for item in request.session.items
              if item.originalname == "test_solution_full_marks_and_blank_zero"}
    return [chapter for chapter in CHAPTERS if chapter in chosen]


@pytest.fixture(scope="module")
def lowest_python(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The python of a venv with the lowest versions (outside /tmp, which the sandbox hides)."""
    folder = Path.home() / ".cache" / "hf-course-tests" / f"lowest-{tmp_path_factory.getbasetemp().name}"
    yield lowest_venv(folder)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest,
                 lowest_python: Path) -> dict:
    """Every selected chapter's solution (student "solution") and student version ("blank"),
    graded by `course grade --gradebook` into a course where every assignment was generated."""
    root = tmp_path_factory.mktemp("both-ways")
    course = make_course(root / "course")
    for chapter in CHAPTERS:
        run_nbgrader(course, "generate_assignment", chapter)
    submitted = root / "submitted"
    for chapter in selected_chapters(request):
        for student, notebook in (("solution", solved(chapter)), ("blank", blank(chapter))):
            (submitted / student / chapter).mkdir(parents=True)
            nbformat.write(notebook, submitted / student / chapter / f"{chapter}.ipynb")
    done = course_grade(root, course, submitted, "--gradebook", "--cell-timeout", "300",
                        "--memory", "8", timeout=3000, python=lowest_python)
    assert done.returncode == 0, f"course grade failed:\n{done.stderr[-3000:]}"
    with (root / "grades.csv").open() as handle:
        rows = {(r["student"], r["assignment"]): r for r in csv.DictReader(handle)}
    return {"course": course, "rows": rows}


@pytest.mark.notebook
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_solution_full_marks_and_blank_zero(graded_class: dict, chapter: str) -> None:
    for student in ("solution", "blank"):
        row = graded_class["rows"][(student, chapter)]
        assert row["status"] == "graded", f"{student} {chapter} was not plainly graded: {row}"
    check_both_ways(graded_class["course"], chapter)
    executed = graded_class["course"] / "autograded" / "solution" / chapter / f"{chapter}.ipynb"
    errors = [(i, o.get("ename"), o.get("evalue", "")[:200])
              for i, cell in enumerate(nbformat.read(executed, as_version=4).cells)
              for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, f"the solution of {chapter} raised in cells (index, error): {errors}"


@pytest.mark.notebook
def test_plain_nbgrader_autograde_both_ways(tmp_path: Path) -> None:
    course = make_course(tmp_path / "course")
    run_nbgrader(course, "generate_assignment", CHAPTERS[0])
    submit(course, "solution", CHAPTERS[0], ROOT / "solutions" / f"{CHAPTERS[0]}.ipynb")
    submit(course, "blank", CHAPTERS[0], ROOT / "notebooks" / f"{CHAPTERS[0]}.ipynb")
    run_nbgrader(course, "autograde", CHAPTERS[0])
    check_both_ways(course, CHAPTERS[0])


def check_both_ways(course: Path, chapter: str) -> None:
    """Full marks for student "solution", none for "blank", in `course`'s gradebook."""
    solved = {g.name: g for g in grades(course, chapter, "solution")}
    blank = {g.name: g for g in grades(course, chapter, "blank")}
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
