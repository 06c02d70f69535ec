"""`course grade` from the package installed as a wheel, outside the checkout.

Installed as a wheel (the Colab cell, an instructor's `pip install`) the package lives in
site-packages and there is no checkout; grading once hid site-packages from the kernel as if it
were one, and every submission came back `crashed`. That hid from tests whose virtualenv sat
under /tmp (the sandbox re-mounts what lies under its private /tmp), so this venv lives under
the home folder. Its dependencies come from the project's venv through a .pth file (a path, not
the editable install's finder), so `course` is the wheel's.
"""
from __future__ import annotations

import csv
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import ROOT
from course_wheel import build_course_wheel, purelib

sys.path.insert(0, str(ROOT / "tests" / "grading"))
from bad_submissions import CASES, write_class  # noqa: E402
from grading_helpers import course_grade, make_course  # noqa: E402

PAIR = ["correct", "untouched"]


@pytest.fixture(scope="module")
def wheel_venv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh venv under ~/.cache with the course wheel installed and no checkout in sight."""
    wheel = build_course_wheel(tmp_path_factory.mktemp("wheel"))
    venv = Path.home() / ".cache" / "hf-course-tests" / f"wheel-venv-{tmp_path_factory.getbasetemp().name}"
    shutil.rmtree(venv, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    (purelib(python) / "project-deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    # the one dependency script nbgrader runs from PATH; pip puts it there for a real install
    (venv / "bin" / "alembic").symlink_to(Path(sys.executable).parent / "alembic")
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index",
                    str(wheel)], check=True, timeout=300)
    yield venv
    shutil.rmtree(venv, ignore_errors=True)


def _rows(csv_path: Path) -> dict[str, dict]:
    with csv_path.open() as handle:
        return {row["student"]: row for row in csv.DictReader(handle)}


def test_the_wheel_has_no_checkout(wheel_venv: Path) -> None:
    probe = ("import course, course.checkout as c; "
             "print(course.__file__); print(c.find_checkout())")
    out = subprocess.run([str(wheel_venv / "bin" / "python"), "-c", probe], cwd=Path.home(),
                         capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[0].startswith(str(wheel_venv)), f"course came from {out[0]}, not the wheel"
    assert out[1] == "None"


@pytest.mark.notebook
def test_grading_from_the_wheel_matches_the_checkout(wheel_venv: Path, tmp_path: Path) -> None:
    course = make_course(tmp_path / "course")
    submitted = tmp_path / "submitted"
    write_class(submitted, {"course": course, "submissions": submitted, "port": 9},
                [case for case in CASES if case.name in PAIR])
    editable = course_grade(tmp_path / "editable", course, submitted)
    assert editable.returncode == 0, editable.stderr[-3000:]
    wheel = subprocess.run(
        [str(wheel_venv / "bin" / "course"), "grade", str(submitted), "--course", str(course),
         "--out", str(tmp_path / "wheel.csv"), "--feedback", str(tmp_path / "wheel-feedback"),
         "--workers", "2", "--cell-timeout", "40", "--memory", "4"],
        cwd=Path.home(), capture_output=True, text=True, timeout=1200)
    assert wheel.returncode == 0, wheel.stderr[-3000:]
    from_wheel, from_checkout = _rows(tmp_path / "wheel.csv"), _rows(tmp_path / "editable" / "grades.csv")
    assert from_wheel == from_checkout
    assert [from_wheel[n]["status"] for n in PAIR] == ["graded", "graded"], from_wheel
    assert [from_wheel[n]["score"] for n in PAIR] == ["7", "0"], from_wheel
