"""Train tiny models in a fresh process on one thread (`python -m course.assets.worker JOB...`).

The asset build hands each job over as a pickle file: the folder to save into, the training
function and its arguments. The worker writes each model's folder and card and prints its
scores, one JSON line per job.
"""
from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from .train_models import TinyModel

RESULT = "tiny-model-trained: "  # starts each line of the worker's output that holds a result


def run_in_worker(jobs: list[tuple[Path, Callable[..., TinyModel], tuple]]
                  ) -> Iterator[tuple[str, dict[str, float], float]]:
    """Run each `(folder, train, args)` in turn in one worker process: `train(*args)`, saved
    into `folder`. Yields (folder name, scores, seconds) as each one finishes."""
    with tempfile.TemporaryDirectory(prefix="tiny-jobs-") as tmp:
        files = []
        for i, job in enumerate(jobs):
            files.append(Path(tmp) / f"job{i}.pkl")
            files[-1].write_bytes(pickle.dumps(job))
        errors = Path(tmp) / "stderr.txt"
        with errors.open("w") as stderr:
            worker = subprocess.Popen(
                [sys.executable, "-m", "course.assets.worker", *map(str, files)],
                stdout=subprocess.PIPE, stderr=stderr, text=True, env=_env_finding_this_package())
            for line in worker.stdout:
                if line.startswith(RESULT):
                    name, seconds, scores = json.loads(line[len(RESULT):])
                    yield name, scores, seconds
        if worker.wait():
            raise RuntimeError(f"Training the tiny models failed:\n{errors.read_text()[-4000:]}")


def _env_finding_this_package() -> dict[str, str]:
    """This environment, with the folder that holds this `course` package on PYTHONPATH."""
    here = str(Path(__file__).resolve().parents[2])
    path = os.environ.get("PYTHONPATH", "")
    return {**os.environ, "PYTHONPATH": here + (os.pathsep + path if path else "")}


def main(jobs: list[Path]) -> None:
    """Train each job; print one JSON line [folder name, seconds, scores] per job."""
    import torch

    from . import cards

    torch.set_num_threads(1)
    for job in jobs:
        start = time.perf_counter()
        folder, train, args = pickle.loads(job.read_bytes())
        tiny = train(*args)
        cards.write_model(folder, tiny)
        print(RESULT + json.dumps([folder.name, time.perf_counter() - start, tiny.scores]),
              flush=True)


if __name__ == "__main__":
    main([Path(arg) for arg in sys.argv[1:]])
