"""Text coloured by token, so you can see where a tokenizer cuts words.

    from course.show import show_tokens, compare_tokens

    show_tokens(tokenizer, "The acting was brilliant.")         # one tokenizer
    compare_tokens({"BPE": bpe, "WordPiece": wp}, "a sentence")  # several, one row each

Both return objects that JupyterLab (and Colab, VS Code) draws as HTML: each token's stretch
of the original text on its own background colour, special tokens as grey tags, the token
string and id in a tooltip. Anywhere else (a terminal, `print`, a text-only notebook viewer)
they fall back to text, with `|` between the tokens of a word: `the s|le|e|py turtle`.

A `TokenView` is also a list of `Piece`s (token, id, start, end, special), so you can compute
with what you see. Works with a `transformers` tokenizer and with a `tokenizers.Tokenizer`.
"""
from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# Alternating backgrounds for neighbouring tokens; dark text so they read in dark themes too.
PALETTE = ("#ffd8a8", "#a5d8ff", "#b2f2bb", "#fcc2d7", "#d0bfff")
SPECIAL_COLOUR = "#dee2e6"
SPAN_STYLE = ("background:{colour};color:#111;border-radius:3px;padding:1px 0;margin:0 1px 0 0;"
              "white-space:pre;font-family:monospace;font-size:13px")
UNKNOWN_STYLE = "outline:2px solid #e03131;"
UNKNOWN_TOKENS = {"[UNK]", "<unk>", "<UNK>", "<|unk|>"}
SPECIAL_STYLE = ("background:" + SPECIAL_COLOUR + ";color:#495057;border-radius:3px;"
                 "padding:1px 3px;margin:0 2px;font-family:monospace;font-size:11px")


@dataclass(frozen=True)
class Piece:
    """One token: its string, its id, and the characters `text[start:end]` it came from."""

    token: str
    id: int
    start: int
    end: int
    special: bool = False
    unknown: bool = False


def token_pieces(tokenizer: Any, text: str, add_special_tokens: bool = True) -> list[Piece]:
    """Tokenize `text` and return one `Piece` per token, with offsets into `text`.

    `tokenizer` is a `transformers` tokenizer (called as usual, with
    `return_offsets_mapping=True`) or a `tokenizers.Tokenizer` (its `encode`). A piece is
    `unknown` when its token is the tokenizer's unknown token (`[UNK]`, `<unk>`).
    """
    if hasattr(tokenizer, "encode") and hasattr(tokenizer, "get_vocab_size"):  # tokenizers.Tokenizer
        encoding = tokenizer.encode(text, add_special_tokens=add_special_tokens)
        tokens, ids, offsets = encoding.tokens, encoding.ids, encoding.offsets
        special = encoding.special_tokens_mask
        unk = getattr(tokenizer.model, "unk_token", None)
    else:  # a transformers tokenizer
        encoding = tokenizer(text, add_special_tokens=add_special_tokens,
                             return_offsets_mapping=True, return_special_tokens_mask=True)
        ids = list(encoding["input_ids"])
        tokens = tokenizer.convert_ids_to_tokens(ids)
        offsets, special = encoding["offset_mapping"], encoding["special_tokens_mask"]
        unk = getattr(tokenizer, "unk_token", None)
    unknown = UNKNOWN_TOKENS | ({str(unk)} if unk else set())
    return [Piece(str(token), int(i), int(start), int(end), bool(is_special),
                  str(token) in unknown and not is_special)
            for token, i, (start, end), is_special in zip(tokens, ids, offsets, special)]


def _groups(pieces: list[Piece]) -> list[tuple[int, int, list[Piece]]]:
    """Merge tokens that cover the same characters (e.g. the two bytes of an 'é')."""
    groups: list[tuple[int, int, list[Piece]]] = []
    for piece in pieces:
        if piece.special or piece.start == piece.end:
            groups.append((piece.start, piece.start, [piece]))
            continue
        previous = next((g for g in reversed(groups) if g[1] > g[0]), None)
        if previous is not None and piece.start < previous[1]:  # overlaps the last real token
            previous[2].append(piece)
            index = groups.index(previous)
            groups[index] = (previous[0], max(previous[1], piece.end), previous[2])
            continue
        groups.append((piece.start, piece.end, [piece]))
    return groups


class TokenView(list):
    """The pieces of one tokenized text: a `list` of `Piece`s that draws itself.

    In Jupyter it draws as HTML; `str(view)` and IPython's text output show tokens separated by
    `|` inside a word. `show="tokens"` draws the token strings (`##ing`, `Ġthe`) instead of the
    text they came from.
    """

    def __init__(self, pieces: list[Piece], text: str, show: str = "text", title: str = ""):
        super().__init__(pieces)
        if show not in ("text", "tokens"):
            raise ValueError("show must be 'text' or 'tokens'")
        self.text, self.show, self.title = text, show, title

    @property
    def tokens(self) -> list[str]:
        """The token strings, in order."""
        return [piece.token for piece in self]

    @property
    def ids(self) -> list[int]:
        """The token ids, in order."""
        return [piece.id for piece in self]

    def _label(self, start: int, end: int, pieces: list[Piece]) -> str:
        if self.show == "tokens" or pieces[0].special or start == end:
            return "".join(p.token for p in pieces)
        return self.text[start:end]

    def to_text(self) -> str:
        """Tokens separated by `|` where they touch; specials in ⟨⟩, unknown text in [UNK:...].

        In `show="text"` a boundary at a space needs no `|`: `the s|le|e|py turtle`.
        """
        out, cursor, previous_real = [], 0, False
        for start, end, pieces in _groups(list(self)):
            label = self._label(start, end, pieces)
            if pieces[0].special or start == end:
                out.append(f"⟨{label}⟩")
                previous_real = False
                continue
            if self.show == "tokens":
                out.append("|" if previous_real else "")
            else:
                gap = self.text[cursor:start] if start >= cursor else ""
                touching = previous_real and not gap and not label[:1].isspace()
                out.append(gap or ("|" if touching else ""))
                cursor = max(cursor, end)
            unknown = self.show == "text" and any(p.unknown for p in pieces)
            out.append(f"[UNK:{label}]" if unknown else label)
            previous_real = True
        body = "".join(out)
        return f"{self.title}: {body}" if self.title else body

    def to_html(self, title_width: int | None = None) -> str:
        """HTML spans with alternating background colours; tooltips name each token and id.

        `title_width` (in characters) lines up the titles of several views.
        """
        spans, cursor, colour = [], 0, 0
        for start, end, pieces in _groups(list(self)):
            label = html.escape(self._label(start, end, pieces))
            tip = html.escape(", ".join(f"{p.token!r} id {p.id}" for p in pieces), quote=True)
            if pieces[0].special or start == end:
                spans.append(f'<span title="{tip}" style="{SPECIAL_STYLE}">{label}</span>')
                continue
            if self.show == "text" and start > cursor:
                spans.append(html.escape(self.text[cursor:start]))
            if self.show == "tokens":
                spans.append(" ")
            style = SPAN_STYLE.format(colour=PALETTE[colour])
            if any(p.unknown for p in pieces):
                style = UNKNOWN_STYLE + style
            spans.append(f'<span title="{tip}" style="{style}">{label}</span>')
            colour = (colour + 1) % len(PALETTE)
            cursor = max(cursor, end)
        count = f'<span style="color:#868e96;font-size:11px"> ({len(self)} tokens)</span>'
        width = f"display:inline-block;min-width:{title_width + 1}ch;" if title_width else ""
        title = f'<b style="{width}">{html.escape(self.title)}</b> ' if self.title else ""
        return f'<div style="line-height:2">{title}{"".join(spans)}{count}</div>'

    def _repr_html_(self) -> str:
        return self.to_html()

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(f"{self.to_text()}  ({len(self)} tokens)")

    def __str__(self) -> str:
        return self.to_text()


class TokenTable:
    """Several `TokenView`s of the same text, one row each (see `compare_tokens`)."""

    def __init__(self, views: list[TokenView]):
        self.views = views

    def __getitem__(self, title: str) -> TokenView:
        return next(view for view in self.views if view.title == title)

    def _repr_html_(self) -> str:
        width = max((len(view.title) for view in self.views), default=0)
        return "".join(view.to_html(width) for view in self.views)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))

    def __str__(self) -> str:
        width = max((len(view.title) for view in self.views), default=0)
        return "\n".join(f"{view.title:>{width}}: {view.to_text()[len(view.title) + 2:]}"
                         f"  ({len(view)} tokens)" for view in self.views)


def show_tokens(tokenizer: Any, text: str, add_special_tokens: bool = True,
                show: str = "text", title: str = "") -> TokenView:
    """`text` coloured by token. Put it last in a cell (or pass it to `display`) to see it.

    `show="tokens"` shows the token strings instead of the stretches of text. The result is a
    list of `Piece`s; `.tokens` and `.ids` give the strings and ids.

    Used in chapter 02.
    """
    return TokenView(token_pieces(tokenizer, text, add_special_tokens), text, show, title)


def compare_tokens(tokenizers: Mapping[str, Any], text: str, add_special_tokens: bool = True,
                   show: str = "text") -> TokenTable:
    """The same `text` through several tokenizers, one coloured row per `{name: tokenizer}`.

    Used in chapter 02.
    """
    return TokenTable([show_tokens(tok, text, add_special_tokens, show, title=name)
                       for name, tok in tokenizers.items()])


# Entity types get a colour each (the tag's type, after B-/I-); -100 and "O" stay plain.
ENTITY_COLOURS = {"PER": "#ffd8a8", "ORG": "#a5d8ff", "LOC": "#b2f2bb", "MISC": "#d0bfff"}
OTHER_ENTITY_COLOUR = "#fcc2d7"
IGNORED = -100  # the label id the loss (and this table) ignores
CELL_STYLE = ("border:1px solid #dee2e6;padding:2px 5px;text-align:center;color:#111;"
              "font-family:monospace;font-size:12px;white-space:pre")


def _entity_type(label: Any) -> str | None:
    """'PER' for 'B-PER' or 'I-PER'; None for 'O', -100, ids and anything else."""
    text = str(label)
    return text[2:] if len(text) > 2 and text[:2] in ("B-", "I-", "E-", "S-", "L-", "U-") else None


class LabelTable:
    """Tokens in a row, and under each token its value in every other row (see `token_labels`)."""

    def __init__(self, tokens: list[str], rows: dict[str, list[Any]], title: str = "",
                 header: str = "token"):
        for name, values in rows.items():
            if len(values) != len(tokens):
                raise ValueError(f"row {name!r} has {len(values)} values for {len(tokens)} tokens")
        self.tokens, self.rows, self.title, self.header = tokens, rows, title, header

    def _cell(self, value: Any, header: bool = False) -> str:
        style = CELL_STYLE
        kind = _entity_type(value)
        if kind:
            style += f"background:{ENTITY_COLOURS.get(kind, OTHER_ENTITY_COLOUR)};"
            if str(value).startswith("B-"):
                style += "font-weight:bold;"
        elif value is None or value == IGNORED:
            style += "color:#adb5bd;background:#f8f9fa;"
        elif header:
            style += "background:#f1f3f5;"
        text = "" if value is None else str(value)
        return f'<td style="{style}">{html.escape(text)}</td>'

    def to_html(self) -> str:
        head = '<th style="text-align:right;padding:2px 6px;font-size:12px">{}</th>'
        lines = [f"<tr>{head.format(html.escape(self.header))}" + "".join(self._cell(t, True) for t in self.tokens)
                 + "</tr>"]
        for name, values in self.rows.items():
            lines.append(f"<tr>{head.format(html.escape(name))}"
                         + "".join(self._cell(v) for v in values) + "</tr>")
        title = f"<b>{html.escape(self.title)}</b>" if self.title else ""
        return (f'<div>{title}<table style="border-collapse:collapse;margin:4px 0">'
                f'{"".join(lines)}</table></div>')

    def _repr_html_(self) -> str:
        return self.to_html()

    def __str__(self) -> str:
        columns = [[t] + ["" if rows[i] is None else str(rows[i]) for rows in self.rows.values()]
                   for i, t in enumerate(self.tokens)]
        widths = [max(map(len, column)) for column in columns]
        names = [self.header, *self.rows]
        width = max(map(len, names))
        lines = [f"{name:>{width}} " + " ".join(f"{column[r]:<{w}}" for column, w in zip(columns, widths))
                 for r, name in enumerate(names)]
        return "\n".join(([self.title] if self.title else []) + [line.rstrip() for line in lines])

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))


def token_labels(tokens: Any, title: str = "", header: str = "token",
                 **rows: list[Any]) -> LabelTable:
    """A table with one column per token and one row per keyword: what belongs to each token.

        token_labels(encoding.tokens(), word_id=encoding.word_ids(), label=[-100, 1, 2, ...])
        token_labels(words, header="word", tag=["B-PER", "I-PER", "O"])

    `tokens` is a list of token strings (or words: name the row with `header`) or a `TokenView`
    (from `show_tokens`). Entity tags
    (`B-PER`, `I-LOC`, ...) are coloured by type, `B-` in bold; -100 and `None` are greyed
    out. In a terminal or with `print`, the columns are lined up as text.

    Used in chapter 11.
    """
    names = tokens.tokens if isinstance(tokens, TokenView) else [str(t) for t in tokens]
    return LabelTable(names, {name: list(values) for name, values in rows.items()}, title, header)
