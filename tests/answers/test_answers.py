"""Each chapter's answer corpus: right answers pass, wrong ones fail with a pointed hint, on
emulated Colab (tests/colab_emulation.py), where most students run the course.

One kernel per chapter (see runner.py): the chapter's source, which is the student notebook with
the reference answers and the hidden tests in, installed by its own install cell from the
course's wheel; at the end every exercise of the closing cell must pass. The counts and run time
of each chapter are kept in test-artifacts/answer-corpora.json for the closing note.
"""
from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT

from colab_emulation import ColabRuntime, make_runtime
from course.build.notebooks import source_notebooks
from runner import Outcome, corpus, run_chapter

SOURCES = {name[:2]: path for name, path in source_notebooks().items()}
CHAPTERS = sorted(p.stem for p in Path(__file__).parent.glob("[0-9][0-9].py"))
ARTIFACTS = ROOT / "test-artifacts"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_corpus_covers_every_exercise(chapter: str) -> None:
    """At least three right and three wrong answers for every answer cell of the chapter."""
    cells = nbformat.read(SOURCES[chapter], as_version=4).cells
    answer_ids = [c.id for c in cells  # code answers; a written one is graded by hand
                  if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")]
    module = corpus(chapter)
    thin = [i for i in answer_ids
            if len(module.RIGHT.get(i, [])) < 3 or len(module.WRONG.get(i, [])) < 3]
    assert not thin, f"chapter {chapter}: fewer than 3 right or 3 wrong answers for {thin}"
    unknown = (set(module.RIGHT) | set(module.WRONG)) - set(answer_ids)
    assert not unknown, f"chapter {chapter}: no answer cell with id {sorted(unknown)}"


@pytest.fixture(scope="module")
def colab(tmp_path_factory: pytest.TempPathFactory) -> ColabRuntime:
    return make_runtime(tmp_path_factory.mktemp("colab"))


@pytest.mark.notebook
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_answer_corpus(chapter: str, colab: ColabRuntime, tmp_path: Path,
                       monkeypatch: pytest.MonkeyPatch) -> None:
    colab.environ(monkeypatch)
    outcomes, seconds = run_chapter(chapter, SOURCES[chapter], tmp_path, colab.wheel)
    _record(chapter, outcomes, seconds)
    problems = [o.describe() for o in outcomes if not o.ok]
    assert not problems, f"chapter {chapter}:\n" + "\n".join(problems)


def _record(chapter: str, outcomes: list[Outcome], seconds: float) -> None:
    right = [o for o in outcomes if o.right]
    wrong = [o for o in outcomes if not o.right]
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "answer-corpora.json"
    table = json.loads(path.read_text()) if path.exists() else {}
    table[chapter] = {"right_accepted": sum(not o.rejected for o in right), "right": len(right),
                      "wrong_rejected": sum(o.rejected for o in wrong),
                      "wrong_hinted": sum(o.hinted for o in wrong), "wrong": len(wrong),
                      "seconds": round(seconds, 1)}
    path.write_text(json.dumps(table, indent=1, sort_keys=True))
