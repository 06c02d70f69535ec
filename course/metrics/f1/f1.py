"""The course's offline `f1` module, in `evaluate`'s format: `evaluate.load(path_to_this_folder)`."""
from sklearn.metrics import f1_score

from course.metrics.base import SklearnMetric


class F1(SklearnMetric):
    description = "F1: the harmonic mean of precision and recall. Takes average=, pos_label=, labels=, zero_division= like scikit-learn."
    key = "f1"

    def score_function(self):
        return f1_score
