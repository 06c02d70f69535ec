"""course.show.spans: the windows of a context and the logits of a window, drawn."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

from course.show import plot_span_logits, plot_windows  # noqa: E402


class TwoWindows(dict):
    """What a fast tokenizer returns for a question and a context cut into two windows."""

    def __init__(self) -> None:
        super().__init__(input_ids=[[0] * 6, [0] * 6],
                         offset_mapping=[[(0, 0), (0, 3), (0, 0), (0, 4), (5, 9), (0, 0)],
                                         [(0, 0), (0, 3), (0, 0), (5, 9), (10, 14), (0, 0)]])

    def sequence_ids(self, window: int) -> list[int | None]:
        return [None, 0, None, 1, 1, None]


def test_plot_windows_draws_one_bar_a_window_green_where_it_holds_the_answer() -> None:
    fig = plot_windows(TwoWindows(), answer=(10, 14))
    bars = fig.axes[0].patches[:2]
    assert [(bar.get_x(), bar.get_width()) for bar in bars] == [(0, 9), (5, 9)]
    assert [bar.get_facecolor()[:3] for bar in bars][0] != bars[1].get_facecolor()[:3]
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts == ["characters 0-9", "characters 5-14: holds the answer"]


def test_plot_span_logits_labels_every_token() -> None:
    fig = plot_span_logits(["[CLS]", "who", "[SEP]", "ada"], [0, 1, 0, 3], [0, 0, 1, 4], span=(3, 3))
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["[CLS]", "who", "[SEP]", "ada"]
    assert len(ax.patches) >= 8  # two bars a token, and the span
