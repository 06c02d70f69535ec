"""The tiny models on hand-written held-out text: how much sense they make on sentences that
their generator did not write (issue 12).

    python bench/tiny_heldout.py      # prints a table; writes bench/results/tiny-heldout.json

The sets in course/assets/heldout/ were written by hand, apart from the generator, and are
never trained or tuned on. Each score loads the profile's model through the public API.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HELDOUT = ROOT / "course" / "assets" / "heldout"
GOALS = {"sentiment accuracy": 0.90, "ner entity f1": 0.80, "fill-mask sensible top-5": 0.80}


def _lines(name: str) -> list[str]:
    return [line for line in (HELDOUT / name).read_text().splitlines() if line.strip()]


def sentiment_set() -> list[tuple[str, str]]:
    """(review, "POSITIVE" | "NEGATIVE") pairs."""
    return [tuple(reversed(line.split("\t"))) for line in _lines("sentiment.tsv")]


def ner_set() -> list[tuple[str, set[tuple[str, str]]]]:
    """(sentence, {(entity text, PER | ORG | LOC)}) from `[PER Angela Merkel] met ...` lines."""
    rows = []
    for line in _lines("ner.txt"):
        entities = {(text, kind) for kind, text in re.findall(r"\[(PER|ORG|LOC) ([^\]]+)\]", line)}
        rows.append((re.sub(r"\[(?:PER|ORG|LOC) ([^\]]+)\]", r"\1", line), entities))
    return rows


def fill_mask_set() -> list[tuple[str, set[str]]]:
    """(sentence with `___`, acceptable answers), the answers written with the sentence."""
    return [(text, set(answers.split("|")))
            for text, answers in (line.split("\t") for line in _lines("fill_mask.tsv"))]


def everyday_set() -> list[str]:
    """Everyday sentences outside the story domain, for the causal LM's perplexity."""
    return _lines("everyday.txt")


def seq2seq_set() -> dict[str, list[tuple[str, str]]]:
    """task -> (input without prefix, target) pairs."""
    tasks: dict[str, list[tuple[str, str]]] = {}
    for line in _lines("seq2seq.tsv"):
        task, source, target = line.split("\t")
        tasks.setdefault(task, []).append((source, target))
    return tasks


def score_sentiment(model: str) -> float:
    from transformers import pipeline

    rows = sentiment_set()
    predicted = pipeline("text-classification", model=model)([t for t, _ in rows])
    return sum(p["label"] == label for p, (_, label) in zip(predicted, rows)) / len(rows)


def score_ner(model: str) -> float:
    """Entity-level micro F1: an entity counts when its exact span and type are right."""
    from transformers import pipeline

    ner = pipeline("ner", model=model, aggregation_strategy="simple")
    found = gold = right = 0
    for text, entities in ner_set():
        predicted = {(text[e["start"]:e["end"]].strip(), e["entity_group"]) for e in ner(text)}
        found, gold, right = found + len(predicted), gold + len(entities), right + len(
            predicted & entities)
    precision, recall = right / max(found, 1), right / gold
    return 2 * precision * recall / max(precision + recall, 1e-9)


def score_fill_mask(model: str) -> float:
    """The share of sentences with an acceptable answer among the top 5 tokens."""
    from transformers import pipeline

    fill = pipeline("fill-mask", model=model, top_k=5)
    rows = fill_mask_set()
    hits = 0
    for text, answers in rows:
        top = fill(text.replace("___", fill.tokenizer.mask_token))
        hits += any(t["token_str"].strip().lower() in answers for t in top)
    return hits / len(rows)


def perplexity(model: str) -> float:
    """Perplexity of the causal LM over the everyday sentences (token-weighted)."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer, lm = AutoTokenizer.from_pretrained(model), AutoModelForCausalLM.from_pretrained(model)
    total, count = 0.0, 0
    for text in everyday_set():
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


def seq2seq_outputs(model: str, inputs: list[str]) -> list[str]:
    """Greedy outputs of the seq2seq model, as chapter 01 computes them."""
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    tokenizer, t5 = AutoTokenizer.from_pretrained(model), AutoModelForSeq2SeqLM.from_pretrained(model)
    encoded = tokenizer(inputs, padding=True, return_tensors="pt")
    out = t5.generate(**encoded, max_new_tokens=32, do_sample=False)
    return [text.strip() for text in tokenizer.batch_decode(out, skip_special_tokens=True)]


def score_seq2seq(model: str, prefixes: dict[str, str]) -> dict[str, float]:
    """Per task: ROUGE-1 and exact match with its prefix, and the share of inputs whose output
    changes when the prefix is dropped."""
    scores = {}
    for task, rows in seq2seq_set().items():
        sources = [s for s, _ in rows]
        outputs = seq2seq_outputs(model, [prefixes.get(task, "") + s for s in sources])
        bare = seq2seq_outputs(model, sources)
        scores[f"{task} rouge1"] = sum(rouge1(o, t) for o, (_, t) in zip(outputs, rows)) / len(rows)
        scores[f"{task} exact match"] = sum(o == t for o, (_, t) in zip(outputs, rows)) / len(rows)
        scores[f"{task} prefix changes output"] = sum(
            o != b for o, b in zip(outputs, bare)) / len(rows)
    return scores


def main() -> None:
    import json

    import course

    course.setup("tiny", quiet=True)
    scores = {"sentiment accuracy": score_sentiment(course.checkpoint("sentiment")),
              "ner entity f1": score_ner(course.checkpoint("ner")),
              "fill-mask sensible top-5": score_fill_mask(course.checkpoint("fill-mask")),
              "causal-lm everyday perplexity": perplexity(course.checkpoint("causal-lm")),
              **{f"seq2seq {k}": v for k, v in score_seq2seq(
                  course.checkpoint("seq2seq"),
                  {"summarize": "summarize: ", "sentiment": "sentiment: "}).items()}}
    for name, value in scores.items():
        goal = f"  (goal >= {GOALS[name]:.2f})" if name in GOALS else ""
        print(f"{name:45} {value:10.3f}{goal}")
    out = ROOT / "bench" / "results" / "tiny-heldout.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(scores, indent=1))


if __name__ == "__main__":
    main()
