"""Several processes on one machine, for chapter 07: start them and collect what each did.

    from course.launching import reset_accelerate, run_on_ranks

    reset_accelerate()                       # forget this process's Accelerator settings
    results = run_on_ranks(fn, 11, num_processes=2)   # fn(11) on rank 0 and rank 1, over gloo

The picture of which rank saw which example is `course.show.plot_shards`.

`accelerate` keeps one state per process (device, number of processes, mixed precision) that
every `Accelerator` shares. A script creates one `Accelerator` and never needs to reset it; a
notebook that tries several settings in one kernel does, and so does `notebook_launcher`,
which refuses to fork a kernel that already holds that state.
"""
from __future__ import annotations

import os
import pickle
import socket
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any


def reset_accelerate() -> None:
    """Clear accelerate's per-process state, so the next `Accelerator(...)` may use new settings.

    Uses accelerate's own (private) reset, as its test suite does. `Accelerator` objects made
    before the reset must not be used afterwards: make new ones.

    Used in chapter 07.
    """
    from accelerate.state import AcceleratorState, GradientState

    AcceleratorState._reset_state(reset_partial_state=True)
    GradientState._reset_state()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now (for the rendezvous).

    Used in chapter 07.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RankFailed(RuntimeError):
    """A function run by `run_on_ranks` raised in one of the processes."""


def _run_and_record(fn: Callable[..., Any], folder: str, *args: Any) -> None:
    rank = int(os.environ.get("RANK", "0"))
    try:
        record = {"rank": rank, "result": fn(*args)}
    except BaseException:  # noqa: BLE001 - reported in the parent, with the traceback
        record = {"rank": rank, "error": traceback.format_exc()}
    with open(Path(folder) / f"rank{rank}.pkl", "wb") as file:
        pickle.dump(record, file)


def run_on_ranks(fn: Callable[..., Any], *args: Any, num_processes: int = 2) -> list[Any]:
    """Run `fn(*args)` in `num_processes` processes with `notebook_launcher`; results by rank.

    `fn` must create its own `Accelerator(cpu=True)` (on a machine without GPUs, without
    `cpu=True` each process thinks it is alone). What `fn` returns must be picklable. If `fn`
    raises in a process, this raises `RankFailed` with that process's traceback.

    Used in chapter 07.
    """
    from accelerate import notebook_launcher

    reset_accelerate()
    with tempfile.TemporaryDirectory(prefix="ranks-") as folder:
        notebook_launcher(_run_and_record, args=(fn, folder, *args), num_processes=num_processes,
                          use_port=str(free_port()))
        records = []
        for rank in range(num_processes):
            path = Path(folder) / f"rank{rank}.pkl"
            if not path.exists():
                raise RankFailed(f"Rank {rank} wrote no result: did its process start?")
            records.append(pickle.loads(path.read_bytes()))
    for record in records:
        if "error" in record:
            hint = ""
            if "timed out" in record["error"].lower() or "timeout" in record["error"].lower():
                hint = ("\nHint: this rank waited for a collective operation (a gather, or the "
                        "gradient exchange in backward) that another rank never joined: every rank "
                        "must make the same collective calls, in the same order.")
            raise RankFailed(f"Rank {record['rank']} raised:\n{record['error']}{hint}")
    return [record["result"] for record in records]
