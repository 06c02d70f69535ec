"""Pictures for the notebooks: what a person would rather look at than read."""
from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt

# library -> (x, y, what it does); the Hub sits on top, torch underneath.
ECOSYSTEM = {
    "Hugging Face Hub": (5.0, 6.0, "models, datasets, Spaces, cards"),
    "huggingface_hub": (5.0, 4.8, "download, cache, upload"),
    "tokenizers": (1.2, 3.4, "text -> token ids, fast"),
    "transformers": (5.0, 3.4, "models, pipeline, Trainer, generate"),
    "datasets": (8.8, 3.4, "load, map, stream (Arrow)"),
    "peft": (2.4, 2.0, "LoRA adapters"),
    "evaluate": (7.6, 2.0, "metrics"),
    "accelerate": (5.0, 2.0, "devices, processes, precision"),
    "torch": (5.0, 0.8, "tensors, autograd, GPUs"),
}
LINKS = [("Hugging Face Hub", "huggingface_hub"), ("huggingface_hub", "transformers"),
         ("huggingface_hub", "datasets"), ("tokenizers", "transformers"),
         ("datasets", "transformers"), ("transformers", "peft"), ("transformers", "evaluate"),
         ("transformers", "accelerate"), ("accelerate", "torch"), ("peft", "torch"),
         ("huggingface_hub", "evaluate")]


def ecosystem_map() -> plt.Figure:
    """The libraries of the course, what each does, and which builds on which.

    Used in chapter 00.
    """
    fig, ax = plt.subplots(figsize=(11, 6))
    for start, end in LINKS:
        (x0, y0, _), (x1, y1, _) = ECOSYSTEM[start], ECOSYSTEM[end]
        ax.annotate("", xy=(x1, y1 + 0.3), xytext=(x0, y0 - 0.3),
                    arrowprops={"arrowstyle": "->", "color": "0.6"})
    for name, (x, y, what) in ECOSYSTEM.items():
        ax.text(x, y, f"{name}\n{what}", ha="center", va="center", fontsize=10,
                bbox={"boxstyle": "round,pad=0.5", "fc": "#fff3c4" if "Hub" in name else "#e8f0fe",
                      "ec": "0.4"})
    ax.set_xlim(-0.5, 10.5)
    ax.set_ylim(0.2, 6.6)
    ax.axis("off")
    ax.set_title("The Hugging Face ecosystem: an arrow points from a library to one that uses it")
    return fig


def label_scores(texts: Sequence[str], results: Sequence[dict], positive: str = "POSITIVE",
                 width: int = 45) -> plt.Figure:
    """A bar per text: the probability of `positive` from text-classification `results`.

    Used in chapters 01 and 10.
    """
    scores = [r["score"] if r["label"] == positive else 1 - r["score"] for r in results]
    labels = [t if len(t) <= width else t[: width - 3] + "..." for t in texts]
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(texts) + 1))
    ax.barh(labels, scores, color=["#2e7d32" if s >= 0.5 else "#c62828" for s in scores])
    ax.axvline(0.5, color="0.5", linestyle="--")
    ax.set_xlim(0, 1)
    ax.invert_yaxis()
    ax.set_xlabel(f"P({positive})")
    fig.tight_layout()
    return fig
