"""The tiny models on hand-written held-out text: how much sense they make on sentences that
their generators did not write (issue 12).

    python bench/tiny_heldout.py          # the held-out sets in course/assets/heldout/
    python bench/tiny_heldout.py --dev    # the development sets in bench/dev/ (tuned on)

Writes bench/results/tiny-heldout.json. The held-out sets were written by hand, apart from the
generators, and are not tuned on; bench/dev/ holds the smaller sets that were. Each score
loads the profile's model through the public API (`course.checkpoint`).
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    from transformers import (AutoModelForCausalLM, AutoModelForQuestionAnswering,
                              AutoModelForSeq2SeqLM, AutoTokenizer)

    import course
    from course.assets import heldout
    from course.assets.train_models import TASK_PREFIXES

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", action="store_true", help="score the development sets")
    folder = ROOT / "bench" / "dev" if parser.parse_args().dev else heldout.FOLDER
    course.setup("tiny", quiet=True)

    def loaded(role: str, auto) -> tuple:
        name = course.checkpoint(role)
        return auto.from_pretrained(name), AutoTokenizer.from_pretrained(name)

    scores = {"sentiment accuracy": heldout.score_sentiment(course.checkpoint("sentiment"),
                                                            folder=folder),
              "ner entity f1": heldout.score_ner(course.checkpoint("ner"), folder=folder),
              "fill-mask sensible top-5": heldout.score_fill_mask(course.checkpoint("fill-mask"),
                                                                  folder=folder),
              "causal-lm everyday perplexity": heldout.perplexity(
                  *loaded("causal-lm", AutoModelForCausalLM), folder=folder)}
    if (folder / "seq2seq.tsv").exists():
        scores.update(heldout.score_seq2seq(*loaded("seq2seq", AutoModelForSeq2SeqLM),
                                            TASK_PREFIXES, folder=folder))
    if (folder / "qa.tsv").exists():
        scores.update({f"qa {metric}": value for metric, value in heldout.score_qa(
            *loaded("qa", AutoModelForQuestionAnswering), heldout.qa_set(folder)).items()})
    for name, value in scores.items():
        goal = f"  (goal >= {heldout.GOALS[name]:.2f})" if name in heldout.GOALS else ""
        print(f"{name:45} {value:10.3f}{goal}")
    out = ROOT / "bench" / "results" / "tiny-heldout.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"sets": str(folder.relative_to(ROOT)), **scores}, indent=1))


if __name__ == "__main__":
    main()
