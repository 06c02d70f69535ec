"""The two profiles: which checkpoint, dataset and metric names the notebooks use.

Both profiles answer the same roles, so notebook code reads a name from the profile and
passes it to the real API (`pipeline`, `from_pretrained`, `load_dataset`, `evaluate.load`).
A name may come with a pinned revision (a branch, tag or commit of that repo), which the
notebook passes on as `revision=`: a dataset whose main branch only ships a loading script is
read from its parquet export, and a chapter about history pins an older commit.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

TINY_NAMESPACE = "hfcourse"
METRICS_DIR = Path(__file__).parent / "metrics"


@dataclass(frozen=True)
class Profile:
    """Names for every role a chapter needs, in one profile."""

    name: str
    checkpoints: dict[str, str]
    datasets: dict[str, str]
    metrics: dict[str, str] = field(default_factory=dict)
    # role -> revision, only for the roles that are not read at `main`.
    checkpoint_revisions: dict[str, str] = field(default_factory=dict)
    dataset_revisions: dict[str, str] = field(default_factory=dict)


# role -> tiny repo name (under TINY_NAMESPACE); the asset build makes each of these.
TINY_MODELS = {
    "sentiment": "tiny-sentiment",  # BERT-style classifier, WordPiece, neg/pos
    "fill-mask": "tiny-bert",  # BERT-style masked LM, also the base for fine-tuning
    "base": "tiny-bert",
    # The base for fine-tuning a tagger (chapter 11). The full profile's is cased; the tiny one is
    # the uncased tiny-bert: tiny-ner, the one cased tiny model, is already trained on the task.
    "token-base": "tiny-bert",
    "ner": "tiny-ner",  # BERT-style token classifier, CoNLL tags
    "qa": "tiny-qa",  # BERT-style extractive reader (start/end logits), tiny-bert's tokenizer
    "causal-lm": "tiny-gpt2",  # GPT-2 style, byte-level BPE
    "seq2seq": "tiny-t5",  # T5 style, SentencePiece-style BPE, "summarize: " prefix
    "history": "tiny-sentiment",  # a repo with an older revision (chapter 09), tagged v1.0
    # Chapter 13: a chat model, and the base causal LM that it was tuned from, which the
    # chapter tunes itself. tiny-gpt2's tokenizer has ChatML's tokens and template, as SmolLM2's.
    "chat": "tiny-chat",
    "chat-base": "tiny-gpt2",
}
TINY_REVISIONS = {"history": "v1.0"}  # the asset build tags the first release of tiny-sentiment
# The parquet export the Hub's dataset viewer keeps for every dataset, scripts included.
PARQUET_EXPORT = "refs/convert/parquet"
TINY_DATASETS = ("reviews", "stories", "summaries", "ner", "qa", "instructions")
METRIC_NAMES = ("accuracy", "precision", "recall", "f1", "seqeval", "squad")

FULL = Profile(
    name="full",
    checkpoints={
        "sentiment": "distilbert/distilbert-base-uncased-finetuned-sst-2-english",
        "fill-mask": "distilbert/distilbert-base-uncased",
        "base": "distilbert/distilbert-base-uncased",
        "token-base": "google-bert/bert-base-cased",  # as the Hugging Face course's NER chapter
        "ner": "dslim/bert-base-NER",
        "qa": "distilbert/distilbert-base-cased-distilled-squad",
        "causal-lm": "openai-community/gpt2",
        "seq2seq": "google-t5/t5-small",
        "history": "openai-community/gpt2",
        "chat": "HuggingFaceTB/SmolLM2-135M-Instruct",
        "chat-base": "HuggingFaceTB/SmolLM2-135M",
    },
    datasets={
        "reviews": "cornell-movie-review-data/rotten_tomatoes",
        "stories": "roneneldan/TinyStories",
        "summaries": "EdinburghNLP/xsum",
        # eriktks/conll2003 ships only conll2003.py; lhoestq/conll2003 holds the same data as parquet.
        "ner": "lhoestq/conll2003",
        # SQuAD v1.1 as parquet (plain_text/train-*, validation-*): 87,599 and 10,570 questions.
        "qa": "rajpurkar/squad",
        # prompt, prompt_id, messages (list of {content, role}), category; train 9,500, test 500.
        "instructions": "HuggingFaceH4/no_robots",
    },
    metrics={name: name for name in METRIC_NAMES},
    # 11c5a3d... is the gpt2 commit the huggingface_hub download guide shows
    # (`hf download gpt2 config.json` -> models--gpt2/snapshots/11c5a3d.../config.json).
    checkpoint_revisions={"history": "11c5a3d5811f50298f278a704980280950aedb10"},
    # EdinburghNLP/xsum's main branch ships only xsum.py, which datasets >= 4 refuses to run.
    dataset_revisions={"summaries": PARQUET_EXPORT},
)


def tiny_profile(hub_cache: Path) -> Profile:
    """The tiny profile: repo ids in the course namespace, datasets and metrics as local paths."""
    return Profile(
        name="tiny",
        checkpoints={role: f"{TINY_NAMESPACE}/{repo}" for role, repo in TINY_MODELS.items()},
        datasets={name: str(snapshot_dir(hub_cache, "dataset", f"{TINY_NAMESPACE}/{name}"))
                  for name in TINY_DATASETS},
        metrics={name: str(METRICS_DIR / name) for name in METRIC_NAMES},
        checkpoint_revisions=dict(TINY_REVISIONS),
    )


def repo_folder(hub_cache: Path, repo_type: str, repo_id: str) -> Path:
    """Where the Hub's cache keeps a repo: `models--org--name` or `datasets--org--name`."""
    return Path(hub_cache) / f"{repo_type}s--{repo_id.replace('/', '--')}"


def snapshot_dir(hub_cache: Path, repo_type: str, repo_id: str, revision: str = "main") -> Path:
    """The snapshot folder that `revision` (a ref name) points at in the cache."""
    folder = repo_folder(hub_cache, repo_type, repo_id)
    ref = folder / "refs" / revision
    commit = ref.read_text().strip() if ref.exists() else revision
    return folder / "snapshots" / commit
