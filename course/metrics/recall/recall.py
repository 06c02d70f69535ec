"""The course's offline `recall` module, in `evaluate`'s format: `evaluate.load(path_to_this_folder)`."""
from sklearn.metrics import recall_score

from course.metrics.base import SklearnMetric


class Recall(SklearnMetric):
    description = "Recall: of the positive examples, the fraction predicted positive. Takes average=, pos_label=, labels=, zero_division= like scikit-learn."
    key = "recall"

    def score_function(self):
        return recall_score
