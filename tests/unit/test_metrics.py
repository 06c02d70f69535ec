"""The offline metric modules in course/metrics agree with scikit-learn, as the Hub's do."""
from __future__ import annotations

import pytest
from sklearn import metrics as sk

from course.profiles import METRIC_NAMES, METRICS_DIR

REFERENCES = [0, 1, 2, 0, 1, 2, 0, 1]
PREDICTIONS = [0, 2, 1, 0, 0, 1, 0, 1]
BINARY_REFERENCES = [0, 1, 1, 0, 1, 1]
BINARY_PREDICTIONS = [0, 1, 0, 1, 1, 1]


def load(name: str):
    import evaluate

    return evaluate.load(str(METRICS_DIR / name))


def test_every_metric_has_a_module() -> None:
    for name in METRIC_NAMES:
        assert (METRICS_DIR / name / f"{name}.py").is_file()


@pytest.mark.parametrize("name, score", [("accuracy", sk.accuracy_score),
                                         ("precision", sk.precision_score),
                                         ("recall", sk.recall_score), ("f1", sk.f1_score)])
def test_binary_scores_match_sklearn(name: str, score) -> None:
    result = load(name).compute(predictions=BINARY_PREDICTIONS, references=BINARY_REFERENCES)
    assert result == {name: pytest.approx(score(BINARY_REFERENCES, BINARY_PREDICTIONS))}


def test_accuracy_on_three_classes() -> None:
    result = load("accuracy").compute(predictions=PREDICTIONS, references=REFERENCES)
    assert result == {"accuracy": pytest.approx(4 / 8)}


@pytest.mark.parametrize("average", ["macro", "micro", "weighted"])
def test_f1_averages_match_sklearn(average: str) -> None:
    result = load("f1").compute(predictions=PREDICTIONS, references=REFERENCES, average=average)
    expected = sk.f1_score(REFERENCES, PREDICTIONS, average=average)
    assert result["f1"] == pytest.approx(expected)


def test_f1_without_average_gives_one_score_per_class() -> None:
    result = load("f1").compute(predictions=PREDICTIONS, references=REFERENCES, average=None)
    assert result["f1"] == pytest.approx(list(sk.f1_score(REFERENCES, PREDICTIONS, average=None)))


def test_precision_and_recall_take_sklearn_arguments() -> None:
    for name, score in [("precision", sk.precision_score), ("recall", sk.recall_score)]:
        result = load(name).compute(predictions=PREDICTIONS, references=REFERENCES,
                                    average="macro", zero_division=0)
        expected = score(REFERENCES, PREDICTIONS, average="macro", zero_division=0)
        assert result[name] == pytest.approx(expected)


def test_incremental_batches_give_the_same_score() -> None:
    """`add_batch` then `compute`, as an evaluation loop uses a metric."""
    accuracy = load("accuracy")
    accuracy.add_batch(predictions=PREDICTIONS[:4], references=REFERENCES[:4])
    accuracy.add_batch(predictions=PREDICTIONS[4:], references=REFERENCES[4:])
    assert accuracy.compute() == {"accuracy": pytest.approx(4 / 8)}


def test_seqeval_scores_entities_as_the_seqeval_package_does() -> None:
    """The Hub's example: one of two entities found whole, so entity F1 0.5; keys as the Hub's."""
    from seqeval.metrics import accuracy_score, f1_score

    predictions = [["O", "O", "B-MISC", "I-MISC", "I-MISC", "I-MISC", "O"], ["B-PER", "I-PER", "O"]]
    references = [["O", "O", "O", "B-MISC", "I-MISC", "I-MISC", "O"], ["B-PER", "I-PER", "O"]]
    result = load("seqeval").compute(predictions=predictions, references=references)
    assert list(result) == ["MISC", "PER", "overall_precision", "overall_recall", "overall_f1",
                            "overall_accuracy"]
    assert result["overall_f1"] == pytest.approx(f1_score(references, predictions)) == 0.5
    assert result["PER"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "number": 1}
    assert result["overall_accuracy"] == pytest.approx(accuracy_score(references, predictions))


def test_seqeval_takes_a_scheme_and_strict_mode() -> None:
    """A stray I- counts as an entity by default (conlleval) and not in strict IOB2."""
    seqeval = load("seqeval")
    loose = seqeval.compute(predictions=[["I-PER", "O"]], references=[["B-PER", "O"]])
    strict = seqeval.compute(predictions=[["I-PER", "O"]], references=[["B-PER", "O"]],
                             scheme="IOB2", mode="strict", zero_division=0)
    assert (loose["overall_f1"], strict["overall_f1"]) == (1.0, 0.0)
    with pytest.raises(ValueError, match="scheme should be one of"):
        seqeval.compute(predictions=[["O"]], references=[["O"]], scheme="IOB9")


def _official_squad_v11(prediction: str, golds: list[str]) -> tuple[float, float]:
    """SQuAD v1.1's evaluate-v1.1.py for one question, written out as the script has it."""
    import re
    import string
    from collections import Counter

    def normalize(s: str) -> str:
        s = "".join(ch for ch in s.lower() if ch not in set(string.punctuation))
        return " ".join(re.sub(r"\b(a|an|the)\b", " ", s).split())

    def f1(p: str, g: str) -> float:
        p_tokens, g_tokens = normalize(p).split(), normalize(g).split()
        same = sum((Counter(p_tokens) & Counter(g_tokens)).values())
        if same == 0:
            return 0.0
        precision, recall = same / len(p_tokens), same / len(g_tokens)
        return 2 * precision * recall / (precision + recall)

    return (max(float(normalize(prediction) == normalize(g)) for g in golds),
            max(f1(prediction, g) for g in golds))


SQUAD_CASES = [("The Eiffel Tower!", ["Eiffel tower", "tower"]), ("in Paris", ["Paris, France"]),
               ("the the cat", ["cat cat"]), ("", ["answer"]), ("a", ["an"]),
               ("Theatre Royal", ["the atre royal"]), ("New York, N.Y.", ["new york ny"])]


def test_squad_scores_as_the_official_v11_script() -> None:
    predictions = [{"id": str(i), "prediction_text": p} for i, (p, _) in enumerate(SQUAD_CASES)]
    references = [{"id": str(i), "answers": {"text": g, "answer_start": [0] * len(g)}}
                  for i, (_, g) in enumerate(SQUAD_CASES)]
    result = load("squad").compute(predictions=predictions, references=references)
    official = [_official_squad_v11(p, g) for p, g in SQUAD_CASES]
    assert result == {"exact_match": pytest.approx(100 * sum(e for e, _ in official) / len(official)),
                      "f1": pytest.approx(100 * sum(f for _, f in official) / len(official))}


def test_squad_counts_an_unanswered_question_as_zero() -> None:
    references = [{"id": i, "answers": {"text": ["Paris"], "answer_start": [0]}} for i in "ab"]
    predictions = [{"id": "a", "prediction_text": "paris"}, {"id": "c", "prediction_text": "Paris"}]
    result = load("squad").compute(predictions=predictions, references=references)
    assert result == {"exact_match": 50.0, "f1": 50.0}
