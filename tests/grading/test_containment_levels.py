"""`course grade` at each containment level the grader allows, and the levels it refuses.

bubblewrap is covered by the whole corpus (test_grade_command.py). Here: the `uid` level (root
without bubblewrap), on a checkout locked down the way the refusal message says, with the cases
that try to escape; the unsafe levels, refused without `--allow-unsafe-grading` and recorded in
the CSV with it; and, at every level, no process outlives its grading.
"""
from __future__ import annotations

import csv
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from bad_submissions import CASES, CHAPTER, DAEMON_MARK, write_class
from conftest import ROOT
from course.grading.sandbox import available_levels, needed_paths
from grading_helpers import course_grade, digest, make_course

ESCAPES = ["correct", "untouched", "reads-hidden-writes-gradebook", "opens-socket",
           "leaves-a-daemon", "os-exit"]


def daemons() -> list[psutil.Process]:
    """Processes left by the `leaves-a-daemon` case."""
    return [p for p in psutil.process_iter(["cmdline"]) if DAEMON_MARK in (p.info["cmdline"] or [])]


def grade(root: Path, names: list[str], *extra: str) -> tuple[dict, object, bool]:
    """`course grade` on the cases `names`: CSV rows, the run, and whether the course folder
    is byte-identical afterwards."""
    course = make_course(root / "course")
    submitted = root / "submitted"
    write_class(submitted, {"course": course, "submissions": submitted, "port": 9},
                [case for case in CASES if case.name in names])
    before = digest(course)
    done = course_grade(root, course, submitted, *extra)
    rows = {}
    if (root / "grades.csv").exists():
        with (root / "grades.csv").open() as handle:
            rows = {row["student"]: row for row in csv.DictReader(handle)}
    return rows, done, digest(course) == before


@pytest.fixture
def locked_checkout() -> Iterator[None]:
    """The checkout as the `uid` level asks for it: nothing in it readable by other users but
    the package and the venv, and every folder above what kernels need traversable."""
    needed = needed_paths()
    lock = [p for p in ROOT.iterdir()
            if not any(n == p.resolve() or n.is_relative_to(p.resolve()) for n in needed)]
    open_up = {a for n in needed for a in n.parents if not a.stat().st_mode & stat.S_IXOTH}
    modes = {p: p.lstat().st_mode for p in [*lock, *open_up, ROOT]}
    try:
        for path in lock:
            if not path.is_symlink():
                path.chmod(modes[path] & ~0o007)
        for path in open_up:
            path.chmod(modes[path] | stat.S_IXOTH)
        ROOT.chmod(modes[ROOT] & ~stat.S_IROTH)
        yield
    finally:
        for path, mode in modes.items():
            if not path.is_symlink():
                path.chmod(stat.S_IMODE(mode))


def test_unsafe_levels_are_refused_without_the_flag(tmp_path: Path) -> None:
    rows, done, _ = grade(tmp_path, ["correct"], "--containment", "rlimits")
    assert done.returncode == 2, done.stderr[-2000:]
    assert "refusing to run student code at containment level 'rlimits'" in done.stderr
    assert "--allow-unsafe-grading" in done.stderr and not rows


@pytest.mark.notebook
def test_unsafe_level_with_the_flag_is_recorded_and_leaves_no_process(tmp_path: Path) -> None:
    rows, done, _ = grade(tmp_path, ["correct", "leaves-a-daemon"], "--containment", "rlimits",
                          "--allow-unsafe-grading")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "UNSAFE" in done.stderr
    assert {r["containment"] for r in rows.values()} == {"rlimits"}, rows
    assert [rows[n]["score"] for n in ("correct", "leaves-a-daemon")] == ["7", "7"], rows
    assert not daemons(), "a process the submission started outlived its grading"


@pytest.mark.skipif("uid" not in available_levels(), reason="the uid level needs root")
def test_uid_level_refuses_a_readable_checkout(tmp_path: Path) -> None:
    if not os.stat(ROOT).st_mode & stat.S_IROTH:
        pytest.skip("this checkout is not readable by other users")
    rows, done, _ = grade(tmp_path, ["correct"], "--containment", "uid")
    assert done.returncode == 2, done.stderr[-2000:]
    assert "not safe here" in done.stderr and "chmod o-rwx" in done.stderr and not rows


@pytest.mark.notebook
@pytest.mark.skipif("uid" not in available_levels(), reason="the uid level needs root")
def test_uid_level_contains_the_escapes(tmp_path: Path, locked_checkout: None) -> None:
    rows, done, course_untouched = grade(tmp_path, ESCAPES, "--containment", "uid")
    assert done.returncode == 0, done.stderr[-3000:]
    expected = {c.name: (c.status, c.score) for c in CASES if c.name in ESCAPES}
    got = {n: (r["status"], float(r["score"]) if r["score"] else None) for n, r in rows.items()}
    assert got == expected
    assert {r["containment"] for r in rows.values()} == {"uid"}
    feedback = tmp_path / "feedback"
    snoop = (feedback / "reads-hidden-writes-gradebook" / CHAPTER / f"{CHAPTER}.html").read_text()
    assert "READABLE []" in snoop, "student code could read course files or other submissions"
    assert "write refused" in snoop
    sock = (feedback / "opens-socket" / CHAPTER / f"{CHAPTER}.html").read_text()
    assert "NETWORK CLOSED" in sock
    assert course_untouched, "the course folder changed during grading"
    assert not daemons(), "a process the submission started outlived its grading"
