"""course.token_view: pieces, HTML for Jupyter, and the text fallback."""
from __future__ import annotations

import pytest
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors, trainers
from transformers import PreTrainedTokenizerFast

from course.show.tokens import Piece, compare_tokens, show_tokens

CORPUS = ["the dog ran to the park", "the cat sat on the mat", "a dog and a cat"] * 20


@pytest.fixture(scope="module")
def wordpiece() -> Tokenizer:
    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.Lowercase()
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.train_from_iterator(CORPUS, trainers.WordPieceTrainer(
        vocab_size=60, special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]"], show_progress=False))
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", 2), ("[SEP]", 3)])
    return tok


def test_pieces_carry_offsets_specials_and_unknowns(wordpiece: Tokenizer) -> None:
    view = show_tokens(wordpiece, "The dog ran! Zz")
    assert view[0] == Piece("[CLS]", 2, 0, 0, special=True)
    assert view[1].token == "the" and (view[1].start, view[1].end) == (0, 3)
    assert [p.unknown for p in view if p.token == "[UNK]"] and all(
        p.unknown for p in view if p.token == "[UNK]")
    assert view.tokens == [p.token for p in view] and view.ids == [p.id for p in view]


def test_text_fallback_marks_boundaries_inside_words_only(wordpiece: Tokenizer) -> None:
    text = str(show_tokens(wordpiece, "the parkrk", add_special_tokens=False))
    assert text == "the park|rk"
    assert str(show_tokens(wordpiece, "the Zq", add_special_tokens=False)) == "the [UNK:Zq]"


def test_html_has_one_coloured_span_per_token_and_grey_specials(wordpiece: Tokenizer) -> None:
    view = show_tokens(wordpiece, "the cat")
    page = view._repr_html_()
    assert page.count("background:") == len(view)
    assert "[CLS]" in page and "(4 tokens)" in page
    assert "<script" not in show_tokens(wordpiece, "<script>")._repr_html_()


def test_transformers_tokenizer_and_table(wordpiece: Tokenizer) -> None:
    wrapped = PreTrainedTokenizerFast(tokenizer_object=wordpiece, unk_token="[UNK]",
                                      pad_token="[PAD]", cls_token="[CLS]", sep_token="[SEP]")
    assert show_tokens(wrapped, "the cat sat").tokens == show_tokens(wordpiece, "the cat sat").tokens
    table = compare_tokens({"raw": wordpiece, "wrapped": wrapped}, "the mat", show="tokens")
    assert table["raw"].tokens == table["wrapped"].tokens
    assert str(table).splitlines()[0].startswith("    raw: ")
    assert table._repr_html_().count("<div") == 2


def test_token_labels_lines_up_a_row_per_keyword_and_colours_entity_types() -> None:
    from course.show import token_labels

    table = token_labels(["[CLS]", "N", "##ade", "[SEP]"], word_id=[None, 0, 0, None],
                         tag=[-100, "B-PER", "I-PER", -100])
    assert str(table).splitlines() == ["  token [CLS] N     ##ade [SEP]",
                                       "word_id       0     0",
                                       "    tag -100  B-PER I-PER -100"]
    page = table._repr_html_()
    assert page.count("<tr>") == 3 and page.count("background:#ffd8a8") == 2  # PER, both pieces
    assert "font-weight:bold" in page.split("B-PER")[0].rsplit("<td", 1)[1]  # B- in bold
    assert str(token_labels(["Ada"], header="word", tag=["B-PER"])).startswith("word Ada")
    with pytest.raises(ValueError, match="row 'tag' has 1 values for 2 tokens"):
        token_labels(["a", "b"], tag=["O"])
