"""Word lists from well-kept packages, read as data files (the packages are never imported).

- vaderSentiment's `vader_lexicon.txt` (MIT): about 7,500 words and emoticons, each rated
  from -4 to +4 by ten people (Hutto & Gilbert, 2014).
- TextBlob's copy of Pattern's English data (MIT / BSD; the sentiment file is PDDL):
  `en-sentiment.xml`, about 2,900 adjective senses with a polarity from -1 to +1, and
  `en-lexicon.txt`, Brill's part-of-speech lexicon (Brown corpus and Penn Treebank), and
  `en-spelling.txt`, word counts from Norvig's `big.txt` (public-domain books).
"""
from __future__ import annotations

import importlib.metadata
import re
import xml.etree.ElementTree as ElementTree
from functools import cache
from pathlib import Path

WORD = re.compile(r"[a-z]+(-[a-z]+)?")
# Rated words a course's example sentences should not use.
OFFENSIVE = frozenset("bitchy fascist retarded lunatic idiotic moronic homo gay dumb crazy "
                      "insane psycho ugly fat".split())


def _data_file(distribution: str, path: str) -> Path:
    file = Path(str(importlib.metadata.distribution(distribution).locate_file(path)))
    if not file.is_file():
        raise FileNotFoundError(f"{path} is missing from the installed {distribution}; "
                                f"reinstall it (`pip install --force-reinstall {distribution}`).")
    return file


def _entries(distribution: str, path: str, separator: str) -> list[list[str]]:
    """The lines of a package's word list split at `separator`, without ";;;" comments."""
    text = _data_file(distribution, path).read_text(encoding="utf-8")
    return [line.split(separator) for line in text.splitlines()
            if not line.startswith(";;;") and separator in line]


@cache
def vader() -> dict[str, float]:
    """Word -> mean human valence rating, -4 (very negative) to +4; plain words only."""
    return {word: float(mean) for word, mean, *_ in
            _entries("vaderSentiment", "vaderSentiment/vader_lexicon.txt", "\t")
            if WORD.fullmatch(word)}


@cache
def parts_of_speech() -> dict[str, frozenset[str]]:
    """Word -> its Penn Treebank tags in Brill's lexicon (e.g. "loved" -> {VBD, VBN})."""
    return {word: frozenset(tags) for word, *tags in
            _entries("textblob", "textblob/en/en-lexicon.txt", " ")}


@cache
def frequencies() -> dict[str, int]:
    """Word -> count in Norvig's `big.txt` (Gutenberg books, Wiktionary and BNC lists)."""
    return {word: int(count) for word, count in
            _entries("textblob", "textblob/en/en-spelling.txt", " ")}


@cache
def function_words(count: int = 150) -> frozenset[str]:
    """The `count` most frequent words of `big.txt`: the, of, and, to, ... (ties by spelling)."""
    counts = frequencies()
    return frozenset(sorted(counts, key=lambda w: (-counts[w], w))[:count])


def common(word: str, at_least: int = 5) -> bool:
    """Whether `word` is in everyday use: at least `at_least` times in `big.txt`."""
    return frequencies().get(word, 0) >= at_least


@cache
def adjective_polarity() -> dict[str, float]:
    """Adjective -> mean polarity of its senses, -1 to +1 (Pattern's hand-tagged lexicon)."""
    senses: dict[str, list[float]] = {}
    root = ElementTree.parse(_data_file("textblob", "textblob/en/en-sentiment.xml")).getroot()
    for word in root.iter("word"):
        form = word.get("form", "")
        if word.get("pos") == "JJ" and WORD.fullmatch(form):
            senses.setdefault(form, []).append(float(word.get("polarity", 0)))
    return {form: sum(p) / len(p) for form, p in senses.items()}


def polar_words(tag: str, sign: int, strength: float = 1.5) -> list[str]:
    """Words of part of speech `tag` (a Penn prefix: "VBD", "NN", "RB") that people rate at
    least `strength` on vader's scale in the direction `sign` (+1 or -1), sorted."""
    pos = parts_of_speech()
    return sorted(word for word, rating in vader().items()
                  if rating * sign >= strength and any(t.startswith(tag) for t in pos.get(word, ())))


def polar_adjectives(sign: int) -> list[str]:
    """Common adjectives whose polarity has the sign `sign`, sorted: rated at least 1.0 by
    vader's raters (and not the other way by Pattern), or, unrated there, 0.3 by Pattern."""
    pos, rated, senses = parts_of_speech(), vader(), adjective_polarity()
    candidates = set(senses) | {w for w in rated if "JJ" in pos.get(w, ())}
    words = []
    for word in candidates:
        if word in rated:
            keep = rated[word] * sign >= 1.0 and senses.get(word, sign) * sign >= 0
        else:
            keep = senses[word] * sign >= 0.3
        if keep and word not in OFFENSIVE and common(word):
            words.append(word)
    return sorted(words)
