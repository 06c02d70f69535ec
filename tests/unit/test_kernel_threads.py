"""How many threads each grading kernel gets: the cores shared by the workers, capped by
OMP_NUM_THREADS where it is set."""
from __future__ import annotations

import pytest

from course.grading import station


@pytest.mark.parametrize("cores, workers, omp, threads", [
    (8, 2, None, 4), (8, 16, None, 1), (2, 1, None, 2),
    (8, 2, "1", 1), (8, 2, "16", 4), (8, 2, "", 4), (8, 2, "lots", 4), (8, 2, "0", 4)])
def test_kernel_threads(monkeypatch: pytest.MonkeyPatch, cores: int, workers: int,
                        omp: str | None, threads: int) -> None:
    monkeypatch.setattr(station.os, "cpu_count", lambda: cores)
    if omp is None:
        monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    else:
        monkeypatch.setenv("OMP_NUM_THREADS", omp)
    assert station.kernel_threads(workers) == threads
