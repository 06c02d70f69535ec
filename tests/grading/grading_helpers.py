"""Run nbgrader for real in a scratch copy of the course, for the grader tests."""
from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from nbgrader.api import Gradebook

from course.grading.gradebook import gradebook_url
from conftest import ROOT

NBGRADER = [sys.executable, "-m", "nbgrader"]
GRADE = [sys.executable, "-m", "course", "grade"]


@dataclass(frozen=True)
class CellGrade:
    name: str
    score: float | None
    max_score: float
    needs_manual_grade: bool


def make_course(root: Path, sources: Path | None = ROOT / "autograder" / "source") -> Path:
    """A scratch nbgrader course: the real config and a copy of `sources` (or none)."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "autograder" / "nbgrader_config.py", root / "nbgrader_config.py")
    if sources is None:
        (root / "source").mkdir()
    else:
        shutil.copytree(sources, root / "source")
    return root


def run_nbgrader(root: Path, *args: str, timeout: int = 900,
                 force: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([*NBGRADER, *args, *(["--force"] if force else [])], cwd=root,
                            capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{result.stderr[-4000:]}"
    return result


def submit(root: Path, student: str, assignment: str, notebook: Path) -> None:
    """Place `notebook` as `student`'s submission, in nbgrader's submitted/ layout."""
    folder = root / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(notebook, folder / f"{assignment}.ipynb")


def grades(root: Path, assignment: str, student: str) -> list[CellGrade]:
    """Every graded cell of a student's autograded notebook, from the gradebook."""
    with Gradebook(gradebook_url(root)) as gradebook:
        notebook = gradebook.find_submission_notebook(assignment, assignment, student)
        return [CellGrade(g.name, g.auto_score, g.max_score, g.needs_manual_grade)
                for g in notebook.grades]


def digest(folder: Path) -> dict[str, str]:
    """Every file under `folder` with its SHA-256: equal digests, untouched folder."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def course_grade(root: Path, course: Path, submitted: Path, *extra: str, timeout: int = 1500,
                 python: Path = Path(sys.executable)) -> subprocess.CompletedProcess:
    """`course grade`, run by `python`, on `submitted` with two workers and short limits;
    grades.csv and feedback/ go into `root`."""
    return subprocess.run(
        [str(python), *GRADE[1:], str(submitted), "--course", str(course), "--out", str(root / "grades.csv"),
         "--feedback", str(root / "feedback"), "--workers", "2", "--cell-timeout", "40",
         "--memory", "4", *extra], capture_output=True, text=True, timeout=timeout)
