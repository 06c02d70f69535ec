"""A base for the course's offline metric modules, which follow `evaluate`'s own format.

`evaluate.load("accuracy")` fetches its module from the Hub; the tiny profile points
`evaluate.load` at `course/metrics/<name>/<name>.py` instead. Each of those files is a
small `evaluate.Metric` subclass of `SklearnMetric`, scored by scikit-learn as the Hub
modules are, and returning the same keys.
"""
from __future__ import annotations

import abc
from collections.abc import Callable

import datasets
import evaluate


class SklearnMetric(evaluate.Metric, abc.ABC):
    """An `evaluate.Metric` over integer labels whose score is one scikit-learn function."""

    description = ""
    key = ""

    @abc.abstractmethod
    def score_function(self) -> Callable[..., float]:
        """The scikit-learn function called as `f(references, predictions, **kwargs)`."""

    def _info(self) -> evaluate.MetricInfo:
        return evaluate.MetricInfo(
            description=self.description,
            citation="scikit-learn: Machine Learning in Python, Pedregosa et al., JMLR 12, 2011.",
            inputs_description="predictions and references: lists of integer labels.",
            features=datasets.Features({"predictions": datasets.Value("int32"),
                                        "references": datasets.Value("int32")}),
            reference_urls=["https://huggingface.co/docs/evaluate"],
        )

    def _compute(self, predictions, references, **kwargs) -> dict[str, float]:
        score = self.score_function()(references, predictions, **kwargs)
        return {self.key: float(score) if getattr(score, "size", 1) == 1 else score.tolist()}
