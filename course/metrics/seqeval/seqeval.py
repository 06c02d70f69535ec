"""The course's offline `seqeval` module, in `evaluate`'s format: `evaluate.load(path_to_this_folder)`.

Entity-level precision, recall and F1 of tag sequences (IOB2 and the other schemes), scored by
the `seqeval` package as the Hub's "seqeval" module is, with the same arguments and keys: one
dict per entity type (`precision`, `recall`, `f1`, `number`) and `overall_precision`,
`overall_recall`, `overall_f1`, `overall_accuracy` (token accuracy, for comparison).
"""
import importlib

import datasets
import evaluate
from seqeval.metrics import accuracy_score, classification_report

SCHEMES = ("IOB1", "IOB2", "IOE1", "IOE2", "IOBES", "BILOU")


class Seqeval(evaluate.Metric):
    def _info(self) -> evaluate.MetricInfo:
        return evaluate.MetricInfo(
            description="Entity-level precision, recall and F1 of sequence labelling (NER, "
                        "chunking), as the CoNLL shared tasks' conlleval script scores them.",
            citation="Nakayama, H. seqeval: A Python framework for sequence labeling evaluation, 2018. "
                     "https://github.com/chakki-works/seqeval",
            inputs_description="predictions and references: lists of tag sequences, e.g. "
                               "[['B-PER', 'I-PER', 'O']]. Options as the Hub's module: suffix=, "
                               "scheme= (one of IOB1, IOB2, IOE1, IOE2, IOBES, BILOU), mode= "
                               "('strict' with a scheme), sample_weight=, zero_division=.",
            features=datasets.Features({
                "predictions": datasets.Sequence(datasets.Value("string", id="label"), id="sequence"),
                "references": datasets.Sequence(datasets.Value("string", id="label"), id="sequence"),
            }),
            codebase_urls=["https://github.com/chakki-works/seqeval"],
            reference_urls=["https://huggingface.co/spaces/evaluate-metric/seqeval"],
        )

    def _compute(self, predictions, references, suffix: bool = False, scheme: str | None = None,
                 mode: str | None = None, sample_weight=None, zero_division="warn") -> dict:
        if scheme is not None:
            if scheme not in SCHEMES:
                raise ValueError(f"scheme should be one of {list(SCHEMES)}, got {scheme!r}")
            scheme = getattr(importlib.import_module("seqeval.scheme"), scheme)
        report = classification_report(y_true=references, y_pred=predictions, suffix=suffix,
                                       output_dict=True, scheme=scheme, mode=mode,
                                       sample_weight=sample_weight, zero_division=zero_division)
        report.pop("macro avg")
        report.pop("weighted avg")
        overall = report.pop("micro avg")
        scores = {kind: {"precision": float(s["precision"]), "recall": float(s["recall"]),
                         "f1": float(s["f1-score"]), "number": int(s["support"])}
                  for kind, s in report.items()}
        scores.update(overall_precision=float(overall["precision"]),
                      overall_recall=float(overall["recall"]), overall_f1=float(overall["f1-score"]),
                      overall_accuracy=float(accuracy_score(y_true=references, y_pred=predictions)))
        return scores
