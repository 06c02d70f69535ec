"""The course's offline `squad` module, in `evaluate`'s format: `evaluate.load(this_folder)`.

Exact match and F1 of extractive answers as the official SQuAD v1.1 evaluation script computes
them, with the Hub's "squad" module's inputs and keys: both answers are normalised (lower case,
no punctuation, no articles a/an/the, single spaces), F1 counts the words they share, each
prediction scores its best over the gold answers, and both are percentages.
"""
import re
import string
from collections import Counter

import datasets
import evaluate

PUNCTUATION = set(string.punctuation)


def normalize_answer(text: str) -> str:
    """Lower case, punctuation and articles removed, whitespace collapsed (SQuAD v1.1's order)."""
    text = "".join(ch for ch in text.lower() if ch not in PUNCTUATION)
    return " ".join(re.sub(r"\b(a|an|the)\b", " ", text).split())


def exact_match(prediction: str, gold: str) -> float:
    return float(normalize_answer(prediction) == normalize_answer(gold))


def f1(prediction: str, gold: str) -> float:
    """The harmonic mean of word precision and recall, after normalisation."""
    predicted, wanted = normalize_answer(prediction).split(), normalize_answer(gold).split()
    shared = sum((Counter(predicted) & Counter(wanted)).values())
    if shared == 0:
        return 0.0
    precision, recall = shared / len(predicted), shared / len(wanted)
    return 2 * precision * recall / (precision + recall)


def best_over_golds(score, prediction: str, golds: list[str]) -> float:
    return max(score(prediction, gold) for gold in golds)


class Squad(evaluate.Metric):
    def _info(self) -> evaluate.MetricInfo:
        return evaluate.MetricInfo(
            description="SQuAD v1.1: exact match and word-overlap F1 of extractive answers, "
                        "each the best over the gold answers, in percent.",
            citation="Rajpurkar et al., SQuAD: 100,000+ Questions for Machine Comprehension of "
                     "Text, EMNLP 2016. https://arxiv.org/abs/1606.05250",
            inputs_description="predictions: [{'id': str, 'prediction_text': str}]; references: "
                               "[{'id': str, 'answers': {'text': [str], 'answer_start': [int]}}].",
            features=datasets.Features({
                "predictions": {"id": datasets.Value("string"),
                                "prediction_text": datasets.Value("string")},
                "references": {"id": datasets.Value("string"),
                               "answers": datasets.Sequence({
                                   "text": datasets.Value("string"),
                                   "answer_start": datasets.Value("int32")})},
            }),
            codebase_urls=["https://rajpurkar.github.io/SQuAD-explorer/"],
            reference_urls=["https://huggingface.co/spaces/evaluate-metric/squad"],
        )

    def _compute(self, predictions, references) -> dict:
        """As the official script: an unanswered question scores 0 and still counts."""
        answers = {p["id"]: p["prediction_text"] for p in predictions}
        exact = overlap = 0.0
        for reference in references:
            if reference["id"] in answers:
                golds = reference["answers"]["text"]
                exact += best_over_golds(exact_match, answers[reference["id"]], golds)
                overlap += best_over_golds(f1, answers[reference["id"]], golds)
        total = len(references)
        return {"exact_match": 100.0 * exact / total, "f1": 100.0 * overlap / total}
