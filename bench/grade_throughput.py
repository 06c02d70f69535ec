"""Grading throughput: plain nbgrader (serial) against `course grade`, cold and warm kernels.

    python bench/grade_throughput.py [--copies 2] [--workers 2]

The class is `--copies` copies of a mix of real submissions of chapter 00 (correct, partly
correct, untouched, warns on stderr, output flood, sys.exit), made by the test corpus. Both
graders run on the same machine in the same run and do the same work: autograde, then feedback
(`nbgrader autograde` + `nbgrader generate_feedback`; `course grade` does both per submission,
contained): `course grade --cold-kernels` starts every kernel afresh, `course grade` forks it
from a warm parent, with one worker and with `--workers`. Also measured: the floor, i.e. one
cold kernel start plus the setup cell's imports, which every cold notebook pays. Prints a table;
writes
bench/results/grade-throughput.json.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "grading")]  # the test corpus

from bad_submissions import CASES, CHAPTER  # noqa: E402
from grading_helpers import make_course  # noqa: E402

MIX = ["correct", "partly-correct", "untouched", "warns-on-stderr", "output-flood", "sys-exit"]


def write_class(folder: Path, copies: int) -> int:
    cases = {case.name: case for case in CASES}
    count = 0
    for copy in range(copies):
        for name in MIX:
            path = folder / f"{name}-{copy}" / CHAPTER / f"{CHAPTER}.ipynb"
            path.parent.mkdir(parents=True)
            nbformat.write(cases[name].make({}), path)
            count += 1
    return count


def timed(argv: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv[:4])} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return time.perf_counter() - start


def floor_seconds(repeats: int = 3) -> float:
    """One kernel start plus the imports of the setup cell, the least any notebook costs."""
    setup = "import course\ncourse.setup(quiet=True)\nimport transformers, datasets, torch"
    best = float("inf")
    for _ in range(repeats):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(setup)])
        start = time.perf_counter()
        NotebookClient(nb, kernel_name="python3", timeout=300).execute()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=2)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        course = make_course(scratch / "nbgrader-course")
        n = write_class(course / "submitted", args.copies)
        shutil.copytree(course / "submitted", scratch / "class")
        nbgrader = [sys.executable, "-m", "nbgrader"]
        subprocess.run([*nbgrader, "generate_assignment", CHAPTER, "--force"], cwd=course,
                       check=True, capture_output=True)
        autograde = timed([*nbgrader, "autograde", CHAPTER, "--force"], course)
        serial = autograde + timed([*nbgrader, "generate_feedback", CHAPTER, "--force"], course)
        runs = {f"course grade --cold-kernels --workers {args.workers}":
                grade(scratch, args.workers, "--cold-kernels"),
                "course grade --workers 1": grade(scratch, 1),
                f"course grade --workers {args.workers}": grade(scratch, args.workers)}
        floor = floor_seconds()
    report(n, args.workers, autograde, serial, runs, floor)


def grade(scratch: Path, workers: int, *flags: str) -> float:
    """Seconds `course grade` takes for the class in `scratch`."""
    return timed([sys.executable, "-m", "course", "grade", str(scratch / "class"),
                  "--course", str(ROOT / "autograder"), "--out", str(scratch / "g.csv"),
                  "--feedback", str(scratch / "fb"), "--workers", str(workers), *flags], scratch)


def report(n: int, workers: int, autograde: float, serial: float, runs: dict[str, float],
           floor: float) -> None:
    """Print the table and write bench/results/grade-throughput.json."""
    warm = runs[f"course grade --workers {workers}"]
    figures = {"notebooks": n, "cores": os.cpu_count(), "workers": workers,
               "nbgrader_autograde_s": round(autograde, 1), "nbgrader_serial_s": round(serial, 1),
               "runs_s": {name: round(seconds, 1) for name, seconds in runs.items()},
               "floor_s": round(floor, 2), "speedup_warm": round(serial / warm, 2)}
    print(f"{n} notebooks of {CHAPTER} on {os.cpu_count()} cores")
    print(f"{'grader':44} {'total s':>8} {'s/notebook':>11} {'vs nbgrader':>12}")
    rows = {"nbgrader autograde + feedback (serial)": serial, "  of which autograde": autograde,
            **runs}
    for name, seconds in rows.items():
        print(f"{name:44} {seconds:8.1f} {seconds / n:11.2f} {serial / seconds:11.2f}x")
    print(f"floor (a cold kernel's start + the setup cell's imports): {floor:.2f} s")
    one = runs["course grade --workers 1"]
    efficiency = one / (workers * warm)  # how much of the added workers' cores turned into speed
    figures["scaling_efficiency"] = round(efficiency, 2)
    print(f"{workers} workers gave {one / warm:.2f}x one worker: efficiency {efficiency:.2f}. "
          "Model (each notebook is single-threaded, workers = cores, memory allowing):")
    for cores in (8, 32):
        print(f"  {cores} cores: about {one / n / (cores * efficiency):.2f} s/notebook")
    out = ROOT / "bench" / "results" / "grade-throughput.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
