"""`course grade --gradebook`: the batch's scores land in the instructor's nbgrader course as
nbgrader's own autograde would leave them, so the formgrader and `nbgrader export` see them."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest
from nbgrader.api import Gradebook, MissingEntry

from bad_submissions import CASES, CHAPTER, write_class
from course.grading.gradebook import gradebook_url
from grading_helpers import course_grade, make_course, run_nbgrader

RECORDED = {"correct", "partly-correct", "edited-points"}  # graded, graded, tampered
NOT_RECORDED = {"invalid-json"}  # no score, so nothing to record


def _rows(path: Path, key: str) -> dict[str, dict]:
    with path.open() as handle:
        return {row[key]: row for row in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("gradebook")
    course = make_course(root / "course")
    run_nbgrader(course, "generate_assignment", CHAPTER)
    submitted = root / "submitted"
    write_class(submitted, {"course": course, "submissions": submitted, "port": 9},
                [case for case in CASES if case.name in RECORDED | NOT_RECORDED])
    done = course_grade(root, course, submitted, "--gradebook", timeout=900)
    assert done.returncode == 0, f"course grade failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    run_nbgrader(course, "export", "--to", str(root / "export.csv"), force=False)
    return {"root": root, "course": course, "rows": _rows(root / "grades.csv", "student"),
            "export": _rows(root / "export.csv", "student_id")}


@pytest.mark.notebook
def test_scores_and_flags_land_in_the_gradebook(recorded: dict) -> None:
    with Gradebook(gradebook_url(recorded['course'])) as gradebook:
        for student in sorted(RECORDED):
            row = recorded["rows"][student]
            notebook = gradebook.find_submission_notebook(CHAPTER, CHAPTER, student)
            assert notebook.score == float(row["score"]), (
                f"{student}: gradebook score {notebook.score}, CSV {row['score']}")
            assert notebook.flagged == (row["status"] != "graded"), (
                f"{student} ({row['status']}) should be flagged only when not plainly graded")
            assert not any(grade.needs_manual_grade for grade in notebook.grades), (
                f"{student}: every cell of {CHAPTER} is autograded, none should need a manual grade")
        for student in NOT_RECORDED:
            with pytest.raises(MissingEntry):
                gradebook.find_submission(CHAPTER, student)


@pytest.mark.notebook
def test_formgrader_finds_the_autograded_notebooks(recorded: dict) -> None:
    for student in RECORDED:
        path = recorded["course"] / "autograded" / student / CHAPTER / f"{CHAPTER}.ipynb"
        assert path.exists(), f"no autograded notebook for {student} at {path}"
    assert not (recorded["course"] / "autograded" / "invalid-json").exists()


@pytest.mark.notebook
def test_nbgrader_export_gives_the_batch_scores(recorded: dict) -> None:
    export = recorded["export"]
    for student in RECORDED:
        assert float(export[student]["raw_score"]) == float(recorded["rows"][student]["score"]), (
            f"{student}: nbgrader export says {export[student]['raw_score']}")


def test_an_assignment_not_generated_in_the_course_stops_the_batch(tmp_path: Path) -> None:
    course = make_course(tmp_path / "course")
    run_nbgrader(course, "db", "assignment", "add", "another", force=False)  # a gradebook without CHAPTER
    submitted = tmp_path / "submitted"
    write_class(submitted, {}, [case for case in CASES if case.name == "correct"])
    done = course_grade(tmp_path, course, submitted, "--gradebook", timeout=900)
    assert done.returncode == 2, f"expected exit 2:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    assert f"nbgrader generate_assignment {CHAPTER}" in done.stderr
    assert not (tmp_path / "grades.csv").exists()
