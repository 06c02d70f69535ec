"""The tiny datasets, generated with a fixed seed from rated lexicons, Faker's names and
frames of everyday English (see `reviews`, `news`, `everyday`).

Each generator returns `{split: list of rows}`; rows are plain dicts. The language is plain on
purpose: a model of a few hundred thousand parameters learns it in a minute on a CPU, and a
student can read every example.
"""
from __future__ import annotations

import random
from collections.abc import Callable

from . import everyday, news
from .reviews import ASPECTS, FAULTS, PRAISE
from .reviews import review as review_text

Rows = list[dict]
Splits = dict[str, Rows]
NER_TAGS = news.NER_TAGS


def reviews(seed: int = 0) -> Splits:
    """Reviews of one to four sentences labelled neg (0) / pos (1), like rotten_tomatoes."""
    rng = random.Random(seed)
    rows = _unique_rows(rng, lambda: dict(zip(("text", "label"), review_text(rng))), 7500)
    return _split(rows, {"train": 6000, "validation": 500, "test": 1000})


def stories(seed: int = 1) -> Splits:
    """Short stories and everyday sentences, a small corpus for language modelling."""
    rng = random.Random(seed)

    def text() -> dict:
        if rng.random() < 0.5:
            return {"text": everyday.story(rng)}
        return {"text": " ".join(everyday.sentence(rng) for _ in range(rng.randint(2, 4)))}

    rows = _unique_rows(rng, text, 6400)
    return _split(rows, {"train": 6000, "validation": 400})


def _summary_pair(rng: random.Random) -> dict:
    """A report of what someone said of a film; praise and fault come in either order."""
    name = rng.choice(everyday.WORDS["name"])
    aspect, other = rng.sample(ASPECTS, 2)
    good, bad = rng.choice(PRAISE), rng.choice(FAULTS)  # a critic's words: the T5 copies them
    if rng.random() < 0.5:
        good, bad = bad, good
    day = rng.choice(["on Monday", "on Tuesday", "on Friday", "on Saturday", "on Sunday",
                      "last night", "yesterday"])
    thing = rng.choice(["film", "movie", "show", "play"])
    seen = rng.choice(["watched", "saw"])
    verb = "were" if aspect.endswith("s") else "was"
    other_verb = "were" if other.endswith("s") else "was"
    document = (f"{name} {seen} the {thing} {day}. "
                f"{name} said the {aspect} {verb} {good}, but the {other} {other_verb} {bad}.")
    return {"document": document, "summary": f"{good} {aspect}, {bad} {other}."}


def summaries(seed: int = 2) -> Splits:
    """Short documents with one-line summaries, like xsum's document/summary columns."""
    rng = random.Random(seed)
    rows = _unique_rows(rng, lambda: _summary_pair(rng), 4600)
    return _split(rows, {"train": 4000, "validation": 200, "test": 400})


def ner(seed: int = 3, excluded: frozenset[str] = frozenset()) -> Splits:
    """News sentences with PER/ORG/LOC entities in IOB2 tags, like conll2003's tokens/ner_tags.

    No entity text in `excluded` (the held-out set's) is generated."""
    rng = random.Random(seed)
    names = news.Names(rng, excluded)
    rows = _unique_rows(rng, lambda: news.sentence(rng, names), 7000)
    for i, row in enumerate(rows):
        row["id"] = str(i)
    return _split(rows, {"train": 6000, "validation": 400, "test": 600})


def _unique_rows(rng: random.Random, make: Callable[[], dict], count: int) -> Rows:
    """`count` distinct rows from `make`, in a seeded order (duplicates would leak across splits)."""
    seen: dict[str, dict] = {}
    for _ in range(count * 50):
        row = make()
        seen.setdefault(repr(row), row)
        if len(seen) == count:
            break
    rows = list(seen.values())
    rng.shuffle(rows)
    return rows


def _split(rows: Rows, sizes: dict[str, int]) -> Splits:
    splits, start = {}, 0
    for name, size in sizes.items():
        splits[name] = rows[start:start + size]
        start += size
    return splits
