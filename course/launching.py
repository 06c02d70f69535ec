"""Several processes on one machine, for chapter 07: start them and collect what each did.

    from course.launching import launch_ranks, reset_accelerate, run_on_ranks

    reset_accelerate()                       # forget this process's Accelerator settings
    launch_ranks(fn, args=(11,), num_processes=2)     # notebook_launcher, real ranks on Colab too
    results = run_on_ranks(fn, 11, num_processes=2)   # fn(11) on rank 0 and rank 1, over gloo

The picture of which rank saw which example is `course.show.plot_shards`.

`accelerate` keeps one state per process (device, number of processes, mixed precision) that
every `Accelerator` shares. A script creates one `Accelerator` and never needs to reset it; a
notebook that tries several settings in one kernel does, and so does `notebook_launcher`,
which refuses to fork a kernel that already holds that state.

On Colab with fewer than two GPUs, `notebook_launcher` does not start processes at all: it
calls the function once, in the notebook's own process. `launch_ranks` forks the ranks there
itself, with accelerate's own `PrepareForLaunch` (the rank's environment) and torch's
`start_processes`, as `notebook_launcher` does everywhere else.
"""
from __future__ import annotations

import os
import pickle
import socket
import sys
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


def in_colab() -> bool:
    """True in a Colab kernel, judged as `notebook_launcher` judges it: by the IPython shell."""
    ipython = sys.modules.get("IPython")
    return ipython is not None and "google.colab" in str(ipython.get_ipython())


def _launcher_runs_once() -> bool:
    """True where `notebook_launcher` would call the function once instead of forking ranks."""
    import torch

    return in_colab() and torch.cuda.device_count() < 2 and not _on_tpu()


def _on_tpu() -> bool:
    return os.environ.get("TPU_NAME") is not None or os.environ.get("PJRT_DEVICE") == "TPU"


def _fork_ranks(function: Callable[..., Any], args: tuple, num_processes: int, port: str) -> None:
    """Fork `num_processes` ranks of `function(*args)`, with the environment `notebook_launcher` sets."""
    from accelerate.utils import PrepareForLaunch, patch_environment
    from torch.multiprocessing import start_processes

    with patch_environment(nproc=num_processes, node_rank=0, world_size=num_processes,
                           master_addr="127.0.0.1", master_port=port, mixed_precision="no"):
        print(f"Launching {num_processes} CPU ranks (notebook_launcher would run one here).")
        start_processes(PrepareForLaunch(function, distributed_type="MULTI_CPU"), args=args,
                        nprocs=num_processes, start_method="fork")


def launch_ranks(function: Callable[..., Any], args: tuple = (), num_processes: int = 2,
                 use_port: str | None = None) -> None:
    """`notebook_launcher(function, args, num_processes)`, but with real ranks on Colab too.

    Used in chapter 07.
    """
    from accelerate import notebook_launcher

    port = use_port or str(free_port())
    if _launcher_runs_once():
        _fork_ranks(function, args, num_processes, port)
    else:
        notebook_launcher(function, args=args, num_processes=num_processes, use_port=port)


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
    """Run `fn(*args)` in `num_processes` processes with `launch_ranks`; results by rank.

    `fn` must create its own `Accelerator(cpu=True)` (on a machine without GPUs, without
    `cpu=True` each process thinks it is alone). What `fn` returns must be picklable. If `fn`
    raises in a process, this raises `RankFailed` with that process's traceback.

    Used in chapter 07.
    """
    reset_accelerate()
    with tempfile.TemporaryDirectory(prefix="ranks-") as folder:
        launch_ranks(_run_and_record, args=(fn, folder, *args), num_processes=num_processes)
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
