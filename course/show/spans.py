"""Pictures for extractive question answering (chapter 12).

    from course.show import plot_windows, plot_span_logits

    plot_windows(encoding, answer=(start_char, end_char))   # the windows of one long context
    plot_span_logits(tokens, start_logits, end_logits, span=(start, end))

`plot_windows` takes what the tokenizer returns with `return_overflowing_tokens=True` and
`return_offsets_mapping=True` for one question and context: each window is a bar over the
context's characters, the overlap of neighbouring windows shows, and so does which windows
hold the whole answer. Both return the matplotlib figure.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def _context_range(offsets: Sequence[Sequence[int]], sequence_ids: Sequence[int | None]
                   ) -> tuple[int, int]:
    """The first and last character of the context that a window holds."""
    kept = [offsets[i] for i, s in enumerate(sequence_ids) if s == 1]
    return int(kept[0][0]), int(kept[-1][1])


def plot_windows(encoding: Any, answer: tuple[int, int] | None = None, title: str = ""):
    """One bar per window over the context's characters; the answer's characters shaded."""
    import matplotlib.pyplot as plt

    count = len(encoding["input_ids"])
    fig, ax = plt.subplots(figsize=(10, 1.2 + 0.5 * count))
    for window in range(count):
        first, last = _context_range(encoding["offset_mapping"][window],
                                     encoding.sequence_ids(window))
        holds = answer is not None and first <= answer[0] and answer[1] <= last
        ax.barh(window, last - first, left=first, height=0.6,
                color="#2f9e44" if holds else "#adb5bd")
        label = f"characters {first}-{last}" + (": holds the answer" if holds else "")
        ax.text((first + last) / 2, window, label, va="center", ha="center", fontsize=9)
    if answer is not None:
        ax.axvspan(answer[0], answer[1], color="#f08c00", alpha=0.5, label="the answer")
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), fontsize=9, frameon=False)
    ax.set_yticks(range(count), [f"window {w}" for w in range(count)])
    ax.invert_yaxis()
    ax.set_xlabel("character of the context")
    ax.set_title(title or f"{count} windows of one context", loc="right")
    fig.tight_layout()
    return fig


def plot_span_logits(tokens: Sequence[str], start_logits: Sequence[float],
                     end_logits: Sequence[float], span: tuple[int, int] | None = None,
                     title: str = ""):
    """Start and end logits over one window's tokens, with the chosen span marked."""
    import matplotlib.pyplot as plt

    positions = range(len(tokens))
    fig, ax = plt.subplots(figsize=(max(8, 0.22 * len(tokens)), 3.4))
    ax.bar([p - 0.2 for p in positions], start_logits, width=0.4, label="start logit")
    ax.bar([p + 0.2 for p in positions], end_logits, width=0.4, label="end logit")
    if span is not None:
        ax.axvspan(span[0] - 0.5, span[1] + 0.5, color="#f08c00", alpha=0.25, label="chosen span")
    ax.set_xticks(list(positions), list(tokens), rotation=90, fontsize=8)
    ax.set_xlim(-0.7, len(tokens) - 0.3)
    ax.legend(fontsize=9, ncols=3, loc="upper left")
    ax.set_title(title or "Start and end logits over the tokens")
    fig.tight_layout()
    return fig
