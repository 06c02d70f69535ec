"""Which tokens a language-model loss sees: a conversation coloured token by token.

    from course.show import show_loss_mask

    show_loss_mask(tokenizer, encoded["input_ids"], labels)          # labels: -100 = not counted
    show_loss_mask(tokenizer, encoded["input_ids"], encoded["assistant_masks"])  # 1 = counted

Tokens that count in the loss are green, the others grey; newlines are shown as `⏎` and each
line of the conversation starts a new line. In a terminal, `print` gives the same as text, the
counted tokens between `[` and `]`.
"""
from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

COUNTED, SKIPPED = "#b2f2bb", "#e9ecef"
STYLE = ("background:{colour};color:#111;border-radius:3px;padding:1px 1px;margin:0 1px 2px 0;"
         "white-space:pre;font-family:monospace;font-size:13px;display:inline-block")


class LossMaskView:
    """Tokens and whether each counts in the loss; drawn as HTML, printed as text."""

    def __init__(self, tokens: list[str], counted: list[bool], title: str = ""):
        self.tokens, self.counted, self.title = tokens, counted, title

    def _repr_html_(self) -> str:
        spans = []
        for token, counted in zip(self.tokens, self.counted):
            shown = html.escape(token.replace("\n", "⏎"))
            style = STYLE.format(colour=COUNTED if counted else SKIPPED)
            tip = "counts in the loss" if counted else "not in the loss (label -100)"
            spans.append(f'<span style="{style}" title="{tip}">{shown}</span>'
                         + ("<br>" if token.endswith("\n") else ""))
        share = sum(self.counted) / max(len(self.counted), 1)
        legend = (f'<span style="{STYLE.format(colour=COUNTED)}">in the loss</span> '
                  f'<span style="{STYLE.format(colour=SKIPPED)}">ignored (-100)</span> '
                  f"&nbsp;{sum(self.counted)} of {len(self.counted)} tokens ({share:.0%})")
        title = f"<b>{html.escape(self.title)}</b><br>" if self.title else ""
        return f"<div>{title}{''.join(spans)}<div style='margin-top:4px'>{legend}</div></div>"

    def __str__(self) -> str:
        text = "".join(f"[{t}]" if c else t for t, c in zip(self.tokens, self.counted))
        return (self.title + "\n" if self.title else "") + text

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))


def show_loss_mask(tokenizer: Any, input_ids: Sequence[int], mask: Sequence[int],
                   title: str = "") -> LossMaskView:
    """Colour each token of `input_ids` by `mask`: labels (-100 = not counted) or a 0/1 mask
    such as `assistant_masks` (1 = counted)."""
    ids = [int(i) for i in input_ids]
    values = [int(m) for m in mask]
    if len(values) != len(ids):
        raise ValueError(f"{len(ids)} tokens but {len(values)} mask values: pass one per token.")
    labels = any(v == -100 for v in values) or any(v > 1 for v in values)
    counted = [(v != -100) if labels else bool(v) for v in values]
    tokens = [tokenizer.decode([i]) for i in ids]
    return LossMaskView(tokens, counted, title)
