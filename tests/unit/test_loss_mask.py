"""course.show.show_loss_mask: which tokens count in the loss, as HTML and as text."""
from __future__ import annotations

import pytest

from course.show import show_loss_mask


class Letters:
    """A stand-in tokenizer: id i is the letter chr(97 + i); 26 is a newline."""

    def decode(self, ids: list[int]) -> str:
        return "".join("\n" if i == 26 else chr(97 + i) for i in ids)


def test_labels_and_masks_mark_the_same_tokens() -> None:
    from_labels = show_loss_mask(Letters(), [0, 1, 26, 2], [-100, -100, 26, 2])
    from_mask = show_loss_mask(Letters(), [0, 1, 26, 2], [0, 0, 1, 1])
    assert from_labels.counted == from_mask.counted == [False, False, True, True]
    assert str(from_mask) == "ab[\n][c]"


def test_html_colours_each_token_and_counts_them() -> None:
    html = show_loss_mask(Letters(), [0, 26, 1], [0, 1, 1], title="t")._repr_html_()
    assert html.count("<span") == 5  # three tokens and the two legend swatches
    assert "⏎" in html and "<br>" in html and "2 of 3 tokens (67%)" in html


def test_one_mask_value_per_token() -> None:
    with pytest.raises(ValueError, match="3 tokens but 2 mask values"):
        show_loss_mask(Letters(), [0, 1, 2], [0, 1])
