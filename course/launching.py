"""Several processes on one machine, for chapter 07: start them, collect what each did, draw it.

    from course.launching import reset_accelerate, run_on_ranks, plot_shards

    reset_accelerate()                       # forget this process's Accelerator settings
    results = run_on_ranks(fn, 11, num_processes=2)   # fn(11) on rank 0 and rank 1, over gloo
    plot_shards({0: [[0, 1], [4, 5]], 1: [[2, 3], [6, 0]]}, num_examples=7)

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
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
from matplotlib.patches import Patch

RANK_COLOURS = ("#4dabf7", "#ff922b", "#69db7c", "#da77f2")


def reset_accelerate() -> None:
    """Clear accelerate's per-process state, so the next `Accelerator(...)` may use new settings.

    Uses accelerate's own (private) reset, as its test suite does. `Accelerator` objects made
    before the reset must not be used afterwards: make new ones.
    """
    from accelerate.state import AcceleratorState, GradientState

    AcceleratorState._reset_state(reset_partial_state=True)
    GradientState._reset_state()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now (for the rendezvous)."""
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


def _first_run(indices: Sequence[int]) -> list[int]:
    """The leading stretch of consecutive indices (where a batch's label goes)."""
    if not indices:
        return [0]
    run = [indices[0]]
    for index in indices[1:]:
        if index != run[-1] + 1:
            break
        run.append(index)
    return run


def plot_shards(shards: Mapping[int, Sequence[Sequence[int]]], num_examples: int,
                title: str | None = None) -> plt.Figure:
    """Which process saw which example, batch by batch; repeated examples are hatched.

    `shards` maps a rank to the list of batches it received, each a list of example indices.
    """
    seen_before: set[int] = set()
    fig, ax = plt.subplots(figsize=(10, 1.2 + 0.8 * len(shards)))
    n_batches = max(len(batches) for batches in shards.values())
    for step in range(n_batches):
        for rank in sorted(shards):
            batches = shards[rank]
            if step >= len(batches):
                continue
            colour = RANK_COLOURS[rank % len(RANK_COLOURS)]
            starts_repeated = batches[step][0] in seen_before if batches[step] else False
            for index in batches[step]:
                repeat = index in seen_before
                seen_before.add(index)
                # a repeated example takes the lower half of its cell, so the first visit stays visible
                ax.add_patch(plt.Rectangle((index, -rank - 0.4), 1.0, 0.4 if repeat else 0.8,
                                           facecolor=colour, alpha=1.0 if step % 2 == 0 else 0.55,
                                           hatch="///" if repeat else None,
                                           edgecolor="black" if repeat else "none"))
            first_run = _first_run(batches[step])
            ax.text((first_run[0] + first_run[-1] + 1) / 2, -rank - (0.2 if starts_repeated else 0),
                    f"b{step}", ha="center", va="center", fontsize=8,
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8})
    ax.set_xlim(-0.3, num_examples + 0.3)
    ax.set_ylim(-len(shards) + 0.4, 0.6)
    ax.set_yticks([-rank for rank in sorted(shards)], [f"rank {rank}" for rank in sorted(shards)])
    every = 1 if num_examples <= 30 else 5
    ax.set_xticks([i + 0.5 for i in range(0, num_examples, every)],
                  [str(i) for i in range(0, num_examples, every)])
    ax.set_xlabel("example index (bN: that rank's N-th batch; light and dark alternate by batch)")
    handles = [Patch(facecolor=RANK_COLOURS[r % len(RANK_COLOURS)], label=f"rank {r}")
               for r in sorted(shards)]
    handles.append(Patch(facecolor="white", edgecolor="black", hatch="///",
                         label="repeated (filling)"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.set_title(title or "Each process's share of the data after `accelerator.prepare`")
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    return fig
