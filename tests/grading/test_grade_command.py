"""`course grade` on a whole class of good, partial, broken and malicious submissions.

One real batch (the CLI, two workers) grades the corpus of tests/bad_submissions.py; each case
then checks its own row: the exact status, the exact score and the reason in the flags.
"""
from __future__ import annotations

import csv
import os
import re
import socket
import subprocess
import threading
from pathlib import Path

import psutil
import pytest

from bad_submissions import (CASES, CHAPTER, DAEMON_MARK, FULL, TRACE_MARK, WARM_CASES,
                             write_class)
from course.grading.sandbox import LEVELS, containment
from grading_helpers import GRADE, course_grade, digest, make_course
from conftest import ROOT


class Listener:
    """A TCP server on the host's loopback that records whether anyone reached it."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.reached = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        try:
            self.server.accept()
            self.reached = True
        except OSError:
            pass


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("class")
    course = make_course(root / "course")
    listener = Listener()
    submitted = root / "submitted"
    write_class(submitted, {"course": course, "submissions": submitted, "port": listener.port})
    before = digest(course)
    done = course_grade(root, course, submitted)
    rows = {}
    if (root / "grades.csv").exists():
        with (root / "grades.csv").open() as handle:
            rows = {row["student"]: row for row in csv.DictReader(handle)}
    return {"done": done, "rows": rows, "root": root, "course": course, "before": before,
            "after": digest(course), "listener": listener}


@pytest.mark.notebook
def test_the_batch_runs_and_exits_zero(batch: dict) -> None:
    done = batch["done"]
    assert done.returncode == 0, f"course grade failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    assert set(batch["rows"]) == {case.name for case in CASES}, "a submission has no CSV row"


@pytest.mark.notebook
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_status_score_and_reason(batch: dict, case) -> None:
    row = batch["rows"].get(case.name)
    assert row, f"no CSV row for {case.name}; output:\n{batch['done'].stdout[-2000:]}"
    got = (row["status"], float(row["score"]) if row["score"] else None)
    assert got == (case.status, case.score), f"{case.name}: {row}"
    assert case.flag in row["flags"], f"{case.name}: flags {row['flags']!r} lack {case.flag!r}"
    if row["score"]:
        assert float(row["max_score"]) == 7


@pytest.mark.notebook
def test_feedback_shows_results_but_no_hidden_tests(batch: dict) -> None:
    hidden = (ROOT / "autograder" / "source" / CHAPTER / f"{CHAPTER}.ipynb").read_text()
    marker = "BEGIN HIDDEN TESTS"
    assert marker in hidden
    html = (batch["root"] / "feedback" / "correct" / CHAPTER / f"{CHAPTER}.html").read_text()
    assert "Score: 7.0 / 7.0" in html or "7.0 / 7.0" in html
    assert marker not in html and "reference_cache.size_on_disk" not in html


@pytest.mark.notebook
@pytest.mark.skipif(containment() != "bwrap", reason="needs bubblewrap (installed by .ci/run)")
def test_student_code_sees_no_course_files_no_gradebook_no_network(batch: dict) -> None:
    html = (batch["root"] / "feedback" / "reads-hidden-writes-gradebook" / CHAPTER /
            f"{CHAPTER}.html").read_text()
    assert "READABLE []" in html, "student code could see course files or other submissions"
    assert batch["after"] == batch["before"], "the course folder changed during grading"
    socket_html = (batch["root"] / "feedback" / "opens-socket" / CHAPTER / f"{CHAPTER}.html")
    assert "NETWORK CLOSED" in socket_html.read_text()
    assert not batch["listener"].reached, "student code reached a server on the host"


def test_missing_input_exits_non_zero(tmp_path: Path) -> None:
    done = subprocess.run([*GRADE, str(tmp_path / "nothing-here"), "--out",
                           str(tmp_path / "g.csv")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "neither a folder of submissions nor a zip file" in done.stderr
    assert not (tmp_path / "g.csv").exists()


@pytest.mark.notebook
def test_containment_level_is_recorded_and_no_process_outlives_grading(batch: dict) -> None:
    assert {row["containment"] for row in batch["rows"].values()} == {containment()}
    assert batch["rows"]["leaves-a-daemon"]["status"] == "graded"
    left = [p.info["cmdline"] for p in psutil.process_iter(["cmdline"])
            if DAEMON_MARK in (p.info["cmdline"] or [])]
    assert not left, f"processes the submission started outlived its grading: {left}"


def rows_of(csv_file: Path) -> dict[str, dict]:
    with csv_file.open() as handle:
        return {row["student"]: row for row in csv.DictReader(handle)}


# What differs between two runs of the same notebook: widget and display ids, the kernel's
# temporary cell files, object addresses, the fresh ids of cells that grading restored.
RUN_IDS = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32}"
                     r"|ipykernel_\d+|0x[0-9a-f]{6,}|cell-id=[0-9a-f]{8}\b")


# Where one stream output ends and the next begins: how stdout and stderr (shown as stdout)
# were split into outputs depends on when each was flushed, not on the kernel.
STREAM_BREAK = re.compile(r'</pre>\s*</div>\s*</div>\s*<div class="output_area">\s*'
                          r'<div class="prompt"></div>\s*<div class="output_subarea output_stream '
                          r'output_stdout output_text">\s*<pre>')


def feedback_pages(root: Path) -> dict[str, str]:
    return {str(page.relative_to(root)): STREAM_BREAK.sub("", RUN_IDS.sub("ID", page.read_text()))
            for page in sorted((root / "feedback").rglob("*.html"))}


@pytest.mark.notebook
def test_cold_kernels_grade_as_warm_ones(batch: dict, tmp_path: Path) -> None:
    """The batch again, every kernel started cold: the same CSV and the same feedback pages."""
    done = course_grade(tmp_path, batch["course"], batch["root"] / "submitted", "--cold-kernels")
    assert done.returncode == 0, done.stderr[-3000:]
    assert rows_of(tmp_path / "grades.csv") == batch["rows"]
    cold, warm = feedback_pages(tmp_path), feedback_pages(batch["root"])
    assert cold.keys() == warm.keys()
    differ = [name for name in cold if cold[name] != warm[name]]
    assert not differ, f"feedback differs between cold and warm kernels: {differ}"


@pytest.mark.notebook
def test_warm_kernels_keep_submissions_apart(tmp_path: Path) -> None:
    """One worker, so one zygote forks every kernel in turn: nothing a submission leaves (files
    where a kernel may write, a daemon) reaches the next, the zygote's memory is closed to its
    kernels, and a zygote that a submission kills is replaced for the next one."""
    course = make_course(tmp_path / "course")
    submitted = tmp_path / "submitted"
    write_class(submitted, {}, WARM_CASES)
    done = course_grade(tmp_path, course, submitted, "--workers", "1")
    assert done.returncode == 0, done.stderr[-3000:]
    rows = rows_of(tmp_path / "grades.csv")
    for name in ("a-leaves-traces", "b-finds-none", "d-after-the-kill"):
        assert (rows[name]["status"], float(rows[name]["score"])) == ("graded", FULL), rows[name]
    page = {name: (tmp_path / "feedback" / name / CHAPTER / f"{CHAPTER}.html").read_text()
            for name in rows if name != "c-kills-its-parent"}
    assert "PARENT MEMORY CLOSED" in page["a-leaves-traces"]
    assert "TRACES []" in page["b-finds-none"], "a submission found another's traces"
    assert "TRACES []" in page["d-after-the-kill"]
    assert not [p for p in psutil.process_iter(["cmdline"]) if TRACE_MARK in (p.info["cmdline"] or [])]


def test_bubblewrap_on_ci() -> None:
    assert containment() in LEVELS
    if os.environ.get("CI"):
        assert containment() == "bwrap", ".ci/run installs bubblewrap; containment fell back"


ON_CLUSTER = ["correct", "untouched", "partly-correct", "invalid-json", "edited-test-cell",
              "infinite-loop", "reads-hidden-writes-gradebook", "leaves-a-daemon"]


@pytest.mark.notebook
def test_a_dask_cluster_grades_as_the_local_path_does(batch: dict, tmp_path: Path) -> None:
    """A real LocalCluster, two worker processes: the same CSV rows as the local batch."""
    from distributed import LocalCluster

    course = make_course(tmp_path / "course")
    submitted = tmp_path / "submitted"
    write_class(submitted, {"course": course, "submissions": submitted,
                            "port": batch["listener"].port},
                [case for case in CASES if case.name in ON_CLUSTER])
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, memory_limit=0,
                      dashboard_address=None) as cluster:
        done = course_grade(tmp_path, course, submitted, "--scheduler", cluster.scheduler_address)
    assert done.returncode == 0, done.stderr[-3000:]
    with (tmp_path / "grades.csv").open() as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    local = {name: batch["rows"][name] for name in ON_CLUSTER}
    assert rows == local
    html = (tmp_path / "feedback" / "reads-hidden-writes-gradebook" / CHAPTER / f"{CHAPTER}.html")
    if containment() == "bwrap":
        assert "READABLE []" in html.read_text()
