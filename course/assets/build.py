"""Build the tiny profile's datasets, tokenizers and models into the Hugging Face cache.

One deterministic build (`python -m course assets`), run once and cached: `cache.py` stamps the
cache with a fingerprint of this builder's source, so a changed builder rebuilds by itself.
"""
from __future__ import annotations

import json
import logging
import queue
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import datasets
from transformers import PreTrainedTokenizerFast

from ..profiles import TINY_MODELS, TINY_NAMESPACE, TINY_REVISIONS, repo_folder
from . import (cards, data, heldout, instructions, qa, train_chat, train_models, train_qa,
               train_tokenizers, worker)
from .hub_cache import publish

# Repos that get a history, so that revisions have something to tell apart (chapter 09): a
# first release under this tag, then `main` on top of it.
FIRST_RELEASES = {TINY_MODELS[role]: tag for role, tag in TINY_REVISIONS.items()}
log = logging.getLogger(__name__)


@contextmanager
def quiet_progress_bars() -> Iterator[None]:
    """Hide the per-file bars of `to_parquet` and `save_pretrained` while the build logs its own."""
    from huggingface_hub.utils import disable_progress_bars, enable_progress_bars
    from transformers.utils import logging as transformers_logging

    disable_progress_bars()
    datasets.disable_progress_bars()
    transformers_logging.disable_progress_bar()
    try:
        yield
    finally:
        enable_progress_bars()
        datasets.enable_progress_bars()
        transformers_logging.enable_progress_bar()


def build_all(hub_cache: Path) -> dict[str, dict[str, float]]:
    """Generate the data, train tokenizers and models, and publish all of it into `hub_cache`.

    Each repo is replaced, not added to, so no stale snapshots of an earlier build linger.
    """
    splits = {"reviews": data.reviews(), "stories": data.stories(),
              "summaries": data.summaries(),
              "ner": data.ner(excluded=heldout.held_out_entities()),
              "qa": qa.squad_like(excluded=heldout.held_out_qa_names()),
              "instructions": instructions.instructions()}
    with tempfile.TemporaryDirectory() as tmp:
        for name, dataset in splits.items():
            folder = Path(tmp) / "datasets" / name
            cards.write_dataset(folder, name, dataset)
            repo_id = f"{TINY_NAMESPACE}/{name}"
            shutil.rmtree(repo_folder(hub_cache, "dataset", repo_id), ignore_errors=True)
            publish(folder, hub_cache, repo_id, repo_type="dataset")

        scores = {}
        for repo, repo_scores in train_all(splits, Path(tmp) / "models"):
            folder = Path(tmp) / "models" / repo
            repo_id = f"{TINY_NAMESPACE}/{repo}"
            shutil.rmtree(repo_folder(hub_cache, "model", repo_id), ignore_errors=True)
            parent = ""
            if repo in FIRST_RELEASES:
                parent = publish_first_release(folder, hub_cache, repo_id, FIRST_RELEASES[repo])
            publish(folder, hub_cache, repo_id, parent=parent)
            scores[repo] = repo_scores
    return scores


def publish_first_release(folder: Path, hub_cache: Path, repo_id: str, tag: str) -> str:
    """Publish an earlier state of the model in `folder` as a commit tagged `tag`; return its hash.

    The first release has no card yet and its labels are still LABEL_0, LABEL_1, ...; `main`,
    published next on top of it, adds the card and names the labels. The weights are the same,
    so both snapshots share their blob.
    """
    with tempfile.TemporaryDirectory() as tmp:
        first = Path(tmp) / "first"
        shutil.copytree(folder, first, ignore=shutil.ignore_patterns("README.md"))
        config_file = first / "config.json"
        config = json.loads(config_file.read_text())
        config["id2label"] = {str(i): f"LABEL_{i}" for i in range(len(config["id2label"]))}
        config["label2id"] = {label: int(i) for i, label in config["id2label"].items()}
        config_file.write_text(json.dumps(config, indent=2, sort_keys=True) + "\n")
        return publish(first, hub_cache, repo_id, refs=(tag,))


def tokenizers(splits: dict) -> dict[str, PreTrainedTokenizerFast]:
    """The tokenizers, trained on every training text. The BERT and GPT-2 vocabularies keep
    everyday words whole (about 1.3 tokens a word on bench/dev/everyday.txt); the T5's is small
    (about 1.75), because its summaries copy words from the input, and pieces that recur are
    learnt to copy far sooner than thousands of whole words (measured in issue 12).

    The cased one, the tagger's, learns no words from the news sentences, only their letters:
    names are then spelt in pieces that many names share, as a name the tagger has never
    seen is, and not learnt whole (entity F1 on bench/dev/ner.txt 0.37 against 0.32, the mean
    of three seeds; on the held-out news no gain yet)."""
    texts = corpus_texts(splits)
    news = {" ".join(r["tokens"]) for r in splits["ner"]["train"]}
    return {"uncased": train_tokenizers.wordpiece(texts, 4000),
            "cased": train_tokenizers.wordpiece([t for t in texts if t not in news], 5000,
                                                lowercase=False, spelt=sorted(news)),
            "byte-level": train_tokenizers.byte_level_bpe(texts, 3000, instructions.CHAT_TOKENS,
                                                          instructions.CHAT_TEMPLATE),
            "sentencepiece": train_tokenizers.sentencepiece_bpe(texts, 1000)}


def _lanes(splits: dict, tok: dict[str, PreTrainedTokenizerFast], models: Path) -> list[list]:
    """The training jobs, `(folder, train, args)`, in two lanes of about equal time."""
    mlm_texts = ([r["text"] for r in splits["stories"]["train"]]
                 + [r["text"] for r in splits["reviews"]["train"]])
    jobs = {"tiny-bert": (train_models.train_bert_mlm, tok["uncased"], mlm_texts),
            "tiny-t5": (train_models.train_t5, tok["sentencepiece"], splits["summaries"],
                        splits["reviews"]),
            "tiny-sentiment": (train_models.train_sentiment, tok["uncased"], splits["reviews"]),
            "tiny-ner": (train_models.train_ner, tok["cased"], splits["ner"]),
            "tiny-gpt2": (train_models.train_gpt2, tok["byte-level"], splits["stories"]),
            "tiny-qa": (train_qa.train_qa, tok["uncased"], splits["qa"]),
            # tuned from tiny-gpt2, so after it in the same lane
            "tiny-chat": (train_chat.train_chat, models / "tiny-gpt2", splits["instructions"])}
    lanes = [["tiny-t5", "tiny-sentiment", "tiny-qa"],
             ["tiny-bert", "tiny-ner", "tiny-gpt2", "tiny-chat"]]
    return [[(models / repo, jobs[repo][0], jobs[repo][1:]) for repo in lane] for lane in lanes]


def train_all(splits: dict, models: Path) -> Iterator[tuple[str, dict[str, float]]]:
    """Train the tiny models in two worker processes of one thread each, and save each into
    `models/<repo>`; yield (repo, scores) as they finish.

    Small models keep one core busier than two, and one thread per model makes every number
    the same on any machine. Each worker is a fresh `python -m course.assets.worker`: a
    forked one could inherit the tokenizers' threads, and multiprocessing's spawn would
    re-run the caller's script, which may be what called the build."""
    lanes = _lanes(splits, tokenizers(splits), models)
    finished: queue.Queue = queue.Queue()

    def run(lane: list) -> None:
        try:
            for result in worker.run_in_worker(lane):
                finished.put(result)
        except BaseException as error:  # noqa: BLE001 - raised again in the caller
            finished.put(error)

    threads = [threading.Thread(target=run, args=(lane,), daemon=True) for lane in lanes]
    for thread in threads:
        thread.start()
    for _ in range(sum(map(len, lanes))):
        result = finished.get()
        if isinstance(result, BaseException):
            raise result
        repo, scores, seconds = result
        shown = ", ".join(f"{k} {v:.3f}" for k, v in scores.items())
        log.info(f"  {TINY_NAMESPACE}/{repo} ({seconds:.0f} s): {shown}")
        yield repo, scores


def corpus_texts(splits: dict) -> list[str]:
    """Every training text of every tiny dataset: what the tokenizers are trained on."""
    train = {name: dataset["train"] for name, dataset in splits.items()}
    return ([r["text"] for r in train["reviews"]] + [r["text"] for r in train["stories"]]
            + [f"{r['document']} {r['summary']}" for r in train["summaries"]]
            + [" ".join(r["tokens"]) for r in train["ner"]])
