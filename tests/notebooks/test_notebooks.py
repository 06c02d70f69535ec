"""Every solution notebook runs end to end with nbval (--nbval-lax), in the full profile
(`make test-gpu`). In the tiny profile each solution already runs end to end twice in the suite
(graded both ways by `course grade`, which fails on an error in any cell, and by its answer
corpus), so nbval would only repeat them."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT

SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))
ARTIFACTS = ROOT / "test-artifacts"


@pytest.mark.notebook
@pytest.mark.skipif(os.environ.get("COURSE_PROFILE") != "full",
                    reason="tiny profile: tests/grading/test_nbgrader_both_ways.py runs every "
                           "solution end to end")
@pytest.mark.parametrize("notebook", SOLUTIONS, ids=[p.stem for p in SOLUTIONS])
def test_solution_runs_end_to_end(notebook: Path) -> None:
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "-q", "-p", "no:cacheprovider",
         "--nbval-cell-timeout=600", str(notebook)],
        cwd=ROOT, env=dict(os.environ),  # COURSE_PROFILE: set by conftest
        capture_output=True, text=True, timeout=1200)
    seconds = time.perf_counter() - start
    assert result.returncode == 0, f"{notebook.name} failed under nbval:\n{result.stdout[-6000:]}"
    _record(notebook.stem, seconds)


def _record(name: str, seconds: float, file: str = "notebook-times.json") -> None:
    """Keep each notebook's run time for the closing note (in test-artifacts/`file`)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / file
    times = json.loads(path.read_text()) if path.exists() else {}
    times[name] = round(seconds, 1)
    path.write_text(json.dumps(times, indent=1, sort_keys=True))


def test_there_are_solutions() -> None:
    assert len(SOLUTIONS) >= 2, "solutions/ should hold a notebook per chapter"
