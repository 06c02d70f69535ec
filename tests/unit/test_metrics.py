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
