"""The hand-written held-out sets, and how each tiny model scores on them (issue 12).

The files in `heldout/` were written by hand, apart from the data generators, and are never
trained or tuned on: the asset build scores each model on them for its card, the tests assert
the goals, `bench/tiny_heldout.py` prints the table. NER entities in them are kept out of the
generated training data (`held_out_entities`).
"""
from __future__ import annotations

import math
import re
from collections import Counter
from pathlib import Path
from typing import Union

from transformers import PreTrainedModel, PreTrainedTokenizerBase

FOLDER = Path(__file__).parent / "heldout"
# Issue 12's goals; the tests assert what the models reach today (see test_assets.py).
GOALS = {"sentiment accuracy": 0.90, "ner entity f1": 0.80, "fill-mask sensible top-5": 0.80,
         "summarize prefix changes output": 0.5, "sentiment prefix changes output": 0.5}
Model = Union[str, PreTrainedModel]
Tokenizer = Union[str, PreTrainedTokenizerBase, None]


def _lines(name: str, folder: Path) -> list[str]:
    return [line for line in (folder / name).read_text().splitlines() if line.strip()]


def sentiment_set(folder: Path = FOLDER) -> list[tuple[str, str]]:
    """(review, "POSITIVE" | "NEGATIVE") pairs."""
    return [tuple(reversed(line.split("\t"))) for line in _lines("sentiment.tsv", folder)]


def ner_set(folder: Path = FOLDER) -> list[tuple[str, set[tuple[str, str]]]]:
    """(sentence, {(entity text, PER | ORG | LOC)}) from `[PER Angela Merkel] met ...` lines."""
    rows = []
    for line in _lines("ner.txt", folder):
        entities = {(text, kind) for kind, text in re.findall(r"\[(PER|ORG|LOC) ([^\]]+)\]", line)}
        rows.append((re.sub(r"\[(?:PER|ORG|LOC) ([^\]]+)\]", r"\1", line), entities))
    return rows


def fill_mask_set(folder: Path = FOLDER) -> list[tuple[str, set[str]]]:
    """(sentence with `___`, acceptable answers), the answers written with the sentence."""
    return [(text, set(answers.split("|")))
            for text, answers in (line.split("\t") for line in _lines("fill_mask.tsv", folder))]


def everyday_set(folder: Path = FOLDER) -> list[str]:
    """Everyday sentences outside the story domain, for the causal LM's perplexity."""
    return _lines("everyday.txt", folder)


def seq2seq_set(folder: Path = FOLDER) -> dict[str, list[tuple[str, str]]]:
    """task -> (input without prefix, target) pairs."""
    tasks: dict[str, list[tuple[str, str]]] = {}
    for line in _lines("seq2seq.tsv", folder):
        task, source, target = line.split("\t")
        tasks.setdefault(task, []).append((source, target))
    return tasks


def qa_set(folder: Path = FOLDER) -> list[tuple[str, str, list[str]]]:
    """(context, question, acceptable answers), each answer a span of its context."""
    return [(context, question, answers.split("|")) for context, question, answers
            in (line.split("\t") for line in _lines("qa.tsv", folder))]


def squad_rows(rows: list[dict], limit: int = 200) -> list[tuple[str, str, list[str]]]:
    """The first `limit` rows of a SQuAD-style split as `qa_set` gives them."""
    return [(r["context"], r["question"], r["answers"]["text"]) for r in rows[:limit]]


def score_qa(model: PreTrainedModel, tokenizer: PreTrainedTokenizerBase,
             rows: list[tuple[str, str, list[str]]] | None = None) -> dict[str, float]:
    """SQuAD v1.1 exact match and F1 (0 to 1, the best over each question's answers) of the
    reader's answers (the best span over all windows, as chapter 12 computes it); on the
    hand-written set unless given `rows`. transformers 5.3 removed the QA pipeline."""
    from ..metrics.squad.squad import best_over_golds, exact_match, f1
    from .train_qa import read_answer

    rows = qa_set() if rows is None else rows
    predicted = [read_answer(model, tokenizer, question, context) for context, question, _ in rows]
    return {name: sum(best_over_golds(score, p, golds) for p, (_, _, golds)
                      in zip(predicted, rows)) / len(rows)
            for name, score in (("exact match", exact_match), ("F1", f1))}


def held_out_qa_names() -> frozenset[str]:
    """Every answer of the QA set and each capitalised word in one: no generated name is one."""
    answers = {answer for _, _, golds in qa_set() for answer in golds}
    return frozenset(answers | {w for a in answers for w in a.split() if w[:1].isupper()})


def score_sentiment(model: Model, tokenizer: Tokenizer = None, folder: Path = FOLDER) -> float:
    """Accuracy on the hand-written reviews."""
    from transformers import pipeline

    rows = sentiment_set(folder)
    classify = pipeline("text-classification", model=model, tokenizer=tokenizer)
    predicted = classify([t for t, _ in rows])
    return sum(p["label"] == label for p, (_, label) in zip(predicted, rows)) / len(rows)


def score_ner(model: Model, tokenizer: Tokenizer = None, folder: Path = FOLDER) -> float:
    """Entity-level micro F1: an entity counts when its exact span and type are right."""
    from transformers import pipeline

    ner = pipeline("ner", model=model, tokenizer=tokenizer, aggregation_strategy="simple")
    found = gold = right = 0
    for text, entities in ner_set(folder):
        predicted = {(text[e["start"]:e["end"]].strip(), e["entity_group"]) for e in ner(text)}
        found, gold, right = found + len(predicted), gold + len(entities), right + len(
            predicted & entities)
    precision, recall = right / max(found, 1), right / gold
    return 2 * precision * recall / max(precision + recall, 1e-9)


def score_fill_mask(model: Model, tokenizer: Tokenizer = None, folder: Path = FOLDER) -> float:
    """The share of sentences with an acceptable answer among the top 5 tokens."""
    from transformers import pipeline

    fill = pipeline("fill-mask", model=model, tokenizer=tokenizer, top_k=5)
    rows = fill_mask_set(folder)
    hits = 0
    for text, answers in rows:
        top = fill(text.replace("___", fill.tokenizer.mask_token))
        hits += any(t["token_str"].strip().lower() in answers for t in top)
    return hits / len(rows)


def perplexity(lm: PreTrainedModel, tokenizer: PreTrainedTokenizerBase, folder: Path = FOLDER) -> float:
    """Perplexity of the causal LM over the everyday sentences (token-weighted)."""
    import torch

    total, count = 0.0, 0
    for text in everyday_set(folder):
        ids = tokenizer(tokenizer.bos_token + text, return_tensors="pt").input_ids
        with torch.no_grad():
            loss = lm(ids, labels=ids).loss.item()
        total, count = total + loss * (ids.shape[1] - 1), count + ids.shape[1] - 1
    return math.exp(total / count)


def rouge1(predicted: str, target: str) -> float:
    """Unigram-overlap F1 (ROUGE-1) on lowercased words."""
    p, t = (Counter(re.findall(r"\w+", s.lower())) for s in (predicted, target))
    overlap = sum((p & t).values())
    return 0.0 if not overlap else 2 * overlap / (sum(p.values()) + sum(t.values()))


def seq2seq_outputs(t5: PreTrainedModel, tokenizer: PreTrainedTokenizerBase,
                    inputs: list[str]) -> list[str]:
    """Greedy outputs of the seq2seq model, as chapter 01 computes them."""
    encoded = tokenizer(inputs, padding=True, return_tensors="pt")
    out = t5.generate(**encoded, max_new_tokens=32, do_sample=False)
    return [text.strip() for text in tokenizer.batch_decode(out, skip_special_tokens=True)]


def score_seq2seq(t5: PreTrainedModel, tokenizer: PreTrainedTokenizerBase,
                  prefixes: dict[str, str], folder: Path = FOLDER) -> dict[str, float]:
    """Per task: ROUGE-1 and exact match with its prefix, and the share of inputs whose output
    changes when the prefix is dropped."""
    scores = {}
    for task, rows in seq2seq_set(folder).items():
        sources = [s for s, _ in rows]
        outputs = seq2seq_outputs(t5, tokenizer, [prefixes.get(task, "") + s for s in sources])
        bare = seq2seq_outputs(t5, tokenizer, sources)
        scores[f"{task} rouge1"] = sum(rouge1(o, t) for o, (_, t) in zip(outputs, rows)) / len(rows)
        scores[f"{task} exact match"] = sum(o == t for o, (_, t) in zip(outputs, rows)) / len(rows)
        scores[f"{task} prefix changes output"] = sum(
            o != b for o, b in zip(outputs, bare)) / len(rows)
    return scores


def held_out_entities() -> frozenset[str]:
    """Every entity of the NER set, and each word of its people's names and places (except
    everyday words such as "The"): none of them may appear in a generated name."""
    from .lexicon import common

    entities = {entity for _, found in ner_set() for entity in found}
    words = {w for text, kind in entities if kind != "ORG" for w in text.split()
             if not common(w.lower(), at_least=1000)}  # "The Hague", "New York": not "The", "New"
    return frozenset({text for text, _ in entities} | words)
