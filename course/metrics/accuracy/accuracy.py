"""The course's offline `accuracy` module, in `evaluate`'s format: `evaluate.load(path_to_this_folder)`."""
from sklearn.metrics import accuracy_score

from course.metrics.base import SklearnMetric


class Accuracy(SklearnMetric):
    description = "Accuracy: the fraction of predictions equal to their reference."
    key = "accuracy"

    def score_function(self):
        return accuracy_score
