"""Several processes on one machine, for chapter 07: start them and collect what each did.

    from course.launching import reset_accelerate, run_on_ranks

    reset_accelerate()                       # forget this process's Accelerator settings
    results = run_on_ranks(fn, 11, num_processes=2)   # fn(11) on rank 0 and rank 1, over gloo

The picture of which rank saw which example is `course.show.plot_shards`.

On Colab with fewer than two GPUs, accelerate's `notebook_launcher` does not start processes:
it calls the function once, in the notebook's own process (its Colab branch, in
`accelerate/launchers.py`). `notebook_launcher` here is accelerate's everywhere else; there it
starts the ranks with the launcher accelerate itself uses, torch's `elastic_launch`, with the
start method "spawn" (a fork of a kernel whose torch already runs threads can hang). A spawned
process cannot import a function defined in a notebook cell, so the function and its arguments
travel pickled by value, with cloudpickle.

`accelerate` keeps one state per process (device, number of processes, mixed precision) that
every `Accelerator` shares. A script creates one `Accelerator` and never needs to reset it; a
notebook that tries several settings in one kernel does, and so does `notebook_launcher`,
which refuses to fork a kernel that already holds that state.
"""
from __future__ import annotations

import contextlib
import os
import pickle
import signal
import socket
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
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
    """True where accelerate's `notebook_launcher` takes its Colab branch: the test it makes,
    `"google.colab" in str(get_ipython())`, on a machine without Kaggle's variables."""
    if any(key.startswith("KAGGLE") for key in os.environ):
        return False
    ipython = sys.modules.get("IPython")
    return ipython is not None and "google.colab" in str(ipython.get_ipython())


def launcher_runs_in_process() -> bool:
    """True where accelerate's `notebook_launcher` would call the function once, in this
    process, whatever `num_processes` says: on Colab with fewer than two GPUs (and no TPU)."""
    if not in_colab() or os.environ.get("TPU_NAME") or os.environ.get("PJRT_DEVICE") == "TPU":
        return False
    import torch

    return not torch.cuda.is_available() or torch.cuda.device_count() < 2


@contextlib.contextmanager
def _signal_handlers_kept() -> Iterator[None]:
    """Put back this process's signal handlers afterwards: torch's elastic launcher installs its
    own (SIGTERM raises SignalException) and leaves them, so a kernel shut down later would end
    with that traceback."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    kept = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP,
                                                   signal.SIGQUIT)}
    try:
        yield
    finally:
        for sig, handler in kept.items():
            if handler is not None:
                signal.signal(sig, handler)


def _run_pickled(payload: bytes) -> Any:
    """A spawned rank: unpickle the function and its arguments, call it."""
    function, args = pickle.loads(payload)  # cloudpickle's output loads with plain pickle
    return function(*args)


def spawn_ranks(function: Callable[..., Any], args: tuple = (), num_processes: int = 2,
                use_port: str = "29500", master_addr: str = "127.0.0.1",
                mixed_precision: str = "no") -> dict[int, Any]:
    """`function(*args)` in `num_processes` new processes on this machine, started by torch's
    `elastic_launch` as `notebook_launcher` starts them, but with the start method "spawn";
    returns what each rank returned, by rank.

    `function` may be defined in a notebook cell: it is pickled by value (cloudpickle), with
    the globals it uses. Used by `notebook_launcher` on Colab.
    """
    import cloudpickle
    from accelerate.state import AcceleratorState
    from accelerate.utils import patch_environment
    from torch.distributed.launcher.api import LaunchConfig, elastic_launch

    if len(AcceleratorState._shared_state) > 0:  # the check notebook_launcher makes
        raise ValueError(
            "To launch a multi-device training from your notebook, the `Accelerator` should only "
            "be initialized inside your training function. Run `reset_accelerate()` first.")
    payload = cloudpickle.dumps((function, tuple(args)))
    config = LaunchConfig(min_nodes=1, max_nodes=1, nproc_per_node=num_processes, run_id="none",
                          rdzv_backend="static", rdzv_endpoint=f"{master_addr}:{use_port}",
                          rdzv_configs={"rank": 0}, max_restarts=0, monitor_interval=0.1,
                          start_method="spawn")
    print(f"Launching training on {num_processes} spawned processes (accelerate's "
          "notebook_launcher would run the function once, in this process).", flush=True)
    with _signal_handlers_kept(), patch_environment(
            nproc=num_processes, node_rank=0, world_size=num_processes, master_addr=master_addr,
            master_port=use_port, mixed_precision=mixed_precision):
        return elastic_launch(config=config, entrypoint=_run_pickled)(payload)


def notebook_launcher(function: Callable[..., Any], args: tuple = (), num_processes: int | None = None,
                      mixed_precision: str = "no", use_port: str = "29500",
                      master_addr: str = "127.0.0.1", **kwargs: Any) -> None:
    """accelerate's `notebook_launcher`, except where that one would call `function` once in
    this process (Colab with fewer than two GPUs): there `spawn_ranks` starts the processes.

    Used in chapter 07.
    """
    if not launcher_runs_in_process():
        from accelerate import notebook_launcher as accelerate_launcher

        with _signal_handlers_kept():
            accelerate_launcher(function, args=args, num_processes=num_processes,
                                mixed_precision=mixed_precision, use_port=use_port,
                                master_addr=master_addr, **kwargs)
        return
    if kwargs:
        raise TypeError(f"On Colab the course's notebook_launcher takes no {sorted(kwargs)}: "
                        "it starts the processes on this machine only.")
    if num_processes is None:
        raise ValueError("You have to specify the number of processes: add `num_processes=...`.")
    if num_processes == 1:
        function(*args)
        return
    spawn_ranks(function, args, num_processes, use_port=use_port, master_addr=master_addr,
                mixed_precision=mixed_precision)


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
    """Run `fn(*args)` in `num_processes` processes with `notebook_launcher` (accelerate's, or
    on Colab the processes `spawn_ranks` starts); results by rank.

    `fn` must create its own `Accelerator(cpu=True)` (on a machine without GPUs, without
    `cpu=True` each process thinks it is alone). What `fn` returns must be picklable. If `fn`
    raises in a process, this raises `RankFailed` with that process's traceback.

    Used in chapter 07.
    """
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
