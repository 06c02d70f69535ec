"""Attention heat maps: which tokens each token looks at, one panel per head."""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np


def as_array(attention: Any) -> np.ndarray:
    """`attention` (a torch tensor on any device, or array-like) as a float numpy array."""
    if hasattr(attention, "detach"):
        attention = attention.detach().float().cpu().numpy()
    return np.asarray(attention, dtype=float)


def plot_attention(tokens: Sequence[str], attention: Any, title: str | None = None,
                   heads: Sequence[int] | None = None, columns: int = 4,
                   cmap: str = "viridis") -> plt.Figure:
    """Heat maps of attention weights: row i shows how token i spreads its attention.

    `attention` is one layer's weights for one sentence: `(seq, seq)` for a single map, or
    `(heads, seq, seq)` for one panel per head, e.g. `outputs.attentions[layer][0]` of a model
    called with `output_attentions=True`. `heads` picks some heads (default: all of them).

    Used in chapter 03.
    """
    weights = as_array(attention)
    if weights.ndim == 2:
        weights = weights[None]
    if weights.ndim != 3 or weights.shape[1] != weights.shape[2]:
        raise ValueError(f"attention should be (seq, seq) or (heads, seq, seq), got {weights.shape}")
    if weights.shape[-1] != len(tokens):
        raise ValueError(f"{len(tokens)} tokens but attention over {weights.shape[-1]} positions")
    chosen = list(range(weights.shape[0]) if heads is None else heads)
    ncols = min(columns, len(chosen))
    nrows = math.ceil(len(chosen) / ncols)
    side = max(2.8, 0.32 * len(tokens) + 1.2)
    fig, axes = plt.subplots(nrows, ncols, figsize=(side * ncols + 1, side * nrows),
                             squeeze=False, layout="constrained")
    for ax in axes.flat[len(chosen):]:
        ax.axis("off")
    for ax, head in zip(axes.flat, chosen):
        image = ax.imshow(weights[head], cmap=cmap, vmin=0.0, vmax=1.0)
        ax.set_xticks(range(len(tokens)), tokens, rotation=90, fontsize=8)
        ax.set_yticks(range(len(tokens)), tokens, fontsize=8)
        if len(chosen) > 1:
            ax.set_title(f"head {head}", fontsize=10)
    axes.flat[0].set_ylabel("query: the token that looks")
    axes.flat[(nrows - 1) * ncols].set_xlabel("key: the token looked at")
    fig.colorbar(image, ax=axes, shrink=0.6, label="attention weight")
    if title:
        fig.suptitle(title)
    return fig
