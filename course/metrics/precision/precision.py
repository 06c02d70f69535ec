"""The course's offline `precision` module, in `evaluate`'s format: `evaluate.load(path_to_this_folder)`."""
from sklearn.metrics import precision_score

from course.metrics.base import SklearnMetric


class Precision(SklearnMetric):
    description = "Precision: of the examples predicted positive, the fraction that are positive. Takes average=, pos_label=, labels=, zero_division= like scikit-learn."
    key = "precision"

    def score_function(self):
        return precision_score
