"""The tiny datasets, generated from templates with a fixed seed.

Each generator returns `{split: list of rows}`; rows are plain dicts. The language is simple
on purpose: a model of a few hundred thousand parameters learns it in seconds on a CPU, so
its outputs make sense, and a student can read every example.
"""
from __future__ import annotations

import random
from collections.abc import Callable

Rows = list[dict]
Splits = dict[str, Rows]

ASPECTS = ["the acting", "the plot", "the soundtrack", "the ending", "the dialogue",
           "the pacing", "the camera work", "the story", "the cast", "the script",
           "the special effects", "the music", "the humour", "the characters"]
POSITIVE = ["wonderful", "brilliant", "great", "superb", "delightful", "moving", "excellent",
            "charming", "gripping", "beautiful", "fun", "clever", "good", "lovely"]
NEGATIVE = ["awful", "boring", "terrible", "dull", "clumsy", "disappointing", "weak",
            "painful", "bland", "predictable", "messy", "tedious", "bad", "poor"]
LIKES = ["loved", "enjoyed", "adored", "liked"]
DISLIKES = ["hated", "disliked", "regretted", "endured"]
INTENSIFIERS = ["", "", "really ", "truly ", "so ", "very "]

FIRST_NAMES = ["Ana", "Ben", "Chloe", "David", "Emma", "Farid", "Grace", "Hiro", "Ines",
               "Jonas", "Kemi", "Liam", "Maya", "Noah", "Olga", "Pedro", "Quinn", "Rosa",
               "Sam", "Tara"]
LAST_NAMES = ["Silva", "Brown", "Martin", "Okafor", "Tanaka", "Novak", "Garcia", "Smith",
              "Kowalski", "Haddad", "Larsen", "Rossi"]
CITIES = ["Paris", "Lagos", "Tokyo", "Lima", "Oslo", "Cairo", "Madrid", "Toronto", "Nairobi",
          "Berlin", "Sydney", "Mumbai", "New York", "Rio de Janeiro"]
ORGS = ["Acme Films", "Blue River Studios", "Nova Pictures", "the City Library",
        "Green Leaf Media", "Northwind Labs", "Sunrise Cinema", "Open Data Institute"]

ANIMALS = ["cat", "dog", "rabbit", "fox", "bird", "turtle", "mouse", "bear", "duck", "frog"]
PLACES = ["garden", "forest", "park", "kitchen", "river", "library", "field", "village"]
TOYS = ["red ball", "old kite", "small boat", "blue hat", "shiny stone", "big book"]
FEELINGS = ["happy", "sad", "tired", "brave", "curious", "sleepy", "excited", "scared"]
ACTIVITIES = ["play", "run", "read", "sing", "swim", "dance", "jump", "draw"]


def _review(rng: random.Random) -> tuple[str, int]:
    """One review sentence and its label (1 = pos), with negation and mixed clauses."""
    aspect, other = rng.sample(ASPECTS, 2)
    label = rng.randint(0, 1)
    adj = rng.choice(POSITIVE if label else NEGATIVE)
    opposite = rng.choice(NEGATIVE if label else POSITIVE)
    very = rng.choice(INTENSIFIERS)
    form = rng.randrange(7)
    if form == 0:
        return f"{aspect} was {very}{adj}.", label
    if form == 1:  # negation flips the adjective
        return f"{aspect} was not {opposite}.", label
    if form == 2:  # mixed: the clause after "but" decides
        return f"{aspect} was {opposite} but {other} was {very}{adj}.", label
    if form == 3:
        return f"although {aspect} was {very}{opposite}, {other} was {adj}.", label
    if form == 4:
        verb = rng.choice(LIKES if label else DISLIKES)
        return f"i {verb} this film.", label
    if form == 5:
        return f"i did not think {aspect} was {opposite}, it was {very}{adj}.", label
    second = rng.choice(POSITIVE if label else NEGATIVE)
    return f"{aspect} was {very}{adj} and {other} was {second}.", label


def reviews(seed: int = 0) -> Splits:
    """Movie-review sentences labelled neg (0) / pos (1), like rotten_tomatoes."""
    rng = random.Random(seed)
    rows = _unique_rows(rng, lambda: dict(zip(("text", "label"), _review(rng))), 3000)
    return _split(rows, {"train": 2200, "validation": 300, "test": 500})


def _story(rng: random.Random) -> str:
    """Three to five sentences in a fixed order: short enough to train on in seconds."""
    animal, friend = rng.sample(ANIMALS, 2)
    name = rng.choice(FIRST_NAMES)
    place, toy = rng.choice(PLACES), rng.choice(TOYS)
    feeling, activity = rng.choice(FEELINGS), rng.choice(ACTIVITIES)
    sentences = [
        f"Once upon a time there was a little {animal} named {name}.",
        f"{name} liked to {activity} in the {place}.",
        f"One day {name} found a {toy} near the {place}.",
        f"A {friend} came and asked to {activity} with the {toy}.",
        f"{name} felt {feeling}, but shared the {toy} with the {friend}.",
    ]
    return " ".join(sentences[: rng.randint(3, 5)])


def stories(seed: int = 1) -> Splits:
    """Very short children's stories, a small corpus for language modelling."""
    rng = random.Random(seed)
    rows = _unique_rows(rng, lambda: {"text": _story(rng)}, 2400)
    return _split(rows, {"train": 2000, "validation": 400})


def _summary_pair(rng: random.Random) -> dict:
    name = rng.choice(FIRST_NAMES)
    aspect, other = rng.sample(ASPECTS, 2)
    good, bad = rng.choice(POSITIVE), rng.choice(NEGATIVE)
    day = rng.choice(["Monday", "Tuesday", "Friday", "Saturday", "Sunday"])
    document = (f"{name} watched the film on {day}. "
                f"{name} said {aspect} was {good}, but {other} was {bad}.")
    summary = f"{good} {aspect.split()[-1]}, {bad} {other.split()[-1]}."
    return {"document": document, "summary": summary}


def summaries(seed: int = 2) -> Splits:
    """Short documents with one-line summaries, like xsum's document/summary columns."""
    rng = random.Random(seed)
    rows = _unique_rows(rng, lambda: _summary_pair(rng), 2600)
    return _split(rows, {"train": 2200, "validation": 200, "test": 200})


NER_TAGS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"]


def _entity(words: str, kind: str) -> list[tuple[str, str]]:
    parts = words.split()
    return [(w, ("B-" if i == 0 else "I-") + kind) for i, w in enumerate(parts)]


def _ner_sentence(rng: random.Random) -> dict:
    person = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}" if rng.random() < 0.6 \
        else rng.choice(FIRST_NAMES)
    org = rng.choice(ORGS).replace("the ", "")
    city, city2 = rng.sample(CITIES, 2)
    pattern = rng.choice([
        [("P", None), "moved to", ("L", None), "to work for", ("O", None), "."],
        [("P", None), "visited", ("L", None), "and", ("L2", None), "last year", "."],
        [("O", None), "opened an office in", ("L", None), "."],
        ["yesterday", ("P", None), "said that", ("O", None), "will grow", "."],
        ["the film was shot in", ("L", None), "by", ("P", None), "."],
    ])
    values = {"P": (person, "PER"), "O": (org, "ORG"), "L": (city, "LOC"), "L2": (city2, "LOC")}
    pairs: list[tuple[str, str]] = []
    for piece in pattern:
        if isinstance(piece, tuple):
            pairs += _entity(*values[piece[0]])
        else:
            pairs += [(w, "O") for w in piece.split()]
    return {"tokens": [w for w, _ in pairs], "ner_tags": [NER_TAGS.index(t) for _, t in pairs]}


def ner(seed: int = 3) -> Splits:
    """Sentences with PER/ORG/LOC entities in IOB2 tags, like conll2003's tokens/ner_tags."""
    rng = random.Random(seed)
    rows = _unique_rows(rng, lambda: _ner_sentence(rng), 1600)
    for i, row in enumerate(rows):
        row["id"] = str(i)
    return _split(rows, {"train": 1200, "validation": 200, "test": 200})


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
