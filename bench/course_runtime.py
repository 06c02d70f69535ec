"""The whole course end to end: per solution notebook, wall time, peak memory and the floor.

    python bench/course_runtime.py [--profile tiny|full] [NN-name ...]

Each notebook runs in a fresh kernel (nbclient). Peak memory is the largest resident set of the
kernel and its child processes, sampled every 0.2 s; on a GPU also torch's peak allocated GPU
memory in the kernel, set against Colab's 15 GB free-tier budget. The floor is a kernel start
plus the setup cell's imports, which every notebook pays. Exits 1 if a cell raised. Writes
bench/results/course-runtime-<profile>.json.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from pathlib import Path

import nbformat
import psutil
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parent.parent
FREE_TIER_GPU_BYTES = 15 * 10**9
PEAK_GPU = ("import torch\nprint('COURSE_PEAK_GPU', torch.cuda.max_memory_allocated() "
            "if torch.cuda.is_available() else -1)")
FLOOR = "import course\ncourse.setup(quiet=True)\nimport torch, transformers, datasets"


class PeakMemory:
    """Samples the resident memory of a process and its children until stopped."""

    def __init__(self, pid: int) -> None:
        self.process, self.peak, self._stop = psutil.Process(pid), 0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.wait(0.2):
            try:
                tree = [self.process, *self.process.children(recursive=True)]
                self.peak = max(self.peak, sum(p.memory_info().rss for p in tree))
            except psutil.Error:
                pass

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def run(nb: nbformat.NotebookNode, cwd: Path) -> dict:
    """Execute `nb` in a fresh kernel; wall seconds, peak RSS, peak GPU bytes, error or None."""
    nb.cells.append(nbformat.v4.new_code_cell(PEAK_GPU))
    client = NotebookClient(nb, kernel_name="python3", timeout=1200,
                            resources={"metadata": {"path": str(cwd)}})
    start, error, memory = time.perf_counter(), None, []
    client.on_notebook_start = lambda **_: memory.append(
        PeakMemory(client.km.provisioner.process.pid))
    try:
        client.execute()
    except CellExecutionError as failure:
        error = str(failure).strip().splitlines()[-1][:200] if str(failure).strip() else "error"
    seconds, rss = time.perf_counter() - start, memory[0].stop()
    gpu = next((int(line.split()[1]) for o in nb.cells[-1].get("outputs", [])
                for line in o.get("text", "").splitlines() if line.startswith("COURSE_PEAK_GPU")), -1)
    return {"seconds": round(seconds, 1), "peak_rss_mb": round(rss / 2**20), "peak_gpu_mb":
            round(gpu / 2**20) if gpu >= 0 else None, "error": error}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default=os.environ.get("COURSE_PROFILE", "tiny"))
    parser.add_argument("chapters", nargs="*", help="e.g. 05-fine-tuning (default: all)")
    args = parser.parse_args()
    os.environ["COURSE_PROFILE"] = args.profile
    paths = sorted((ROOT / "solutions").glob("*.ipynb"))
    paths = [p for p in paths if not args.chapters or p.stem in args.chapters]
    floor = run(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(FLOOR)]), ROOT)
    table = {"floor": floor}
    print(f"profile {args.profile}; floor (kernel + imports): {floor['seconds']} s, "
          f"{floor['peak_rss_mb']} MB")
    print(f"{'notebook':28} {'wall s':>7} {'peak RSS MB':>12} {'peak GPU MB':>12}  result")
    for path in paths:
        row = table[path.stem] = run(nbformat.read(path, 4), path.parent)
        gpu = "-" if row["peak_gpu_mb"] is None else f"{row['peak_gpu_mb']}"
        budget = "" if row["peak_gpu_mb"] is None else \
            f" ({row['peak_gpu_mb'] * 2**20 / FREE_TIER_GPU_BYTES:.0%} of 15 GB)"
        print(f"{path.stem:28} {row['seconds']:7.1f} {row['peak_rss_mb']:12} {gpu:>12}{budget}  "
              f"{row['error'] or 'ok'}", flush=True)
    total = sum(r["seconds"] for name, r in table.items() if name != "floor")
    print(f"{'total':28} {total:7.1f}")
    out = ROOT / "bench" / "results" / f"course-runtime-{args.profile}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(table, indent=1))
    return 1 if any(r["error"] for r in table.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
