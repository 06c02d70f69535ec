"""Which process saw which example: the data shards of chapter 07, batch by batch.

    from course.show import plot_shards
    plot_shards({0: [[0, 1], [4, 5]], 1: [[2, 3], [6, 0]]}, num_examples=7)
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
from matplotlib.patches import Patch

RANK_COLOURS = ("#4dabf7", "#ff922b", "#69db7c", "#da77f2")


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

    Used in chapter 07.
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
