"""Build the full-profile replicas (specs.py) as git repos under one folder, for server.py.

`build(folder)` writes `folder/models/<org>/<name>` and `folder/datasets/<org>/<name>`, each a git
repo with the real repo's files at `main` (and its pinned history, tags and refs). Deterministic:
the commits' dates and authors are fixed, so the same sources give the same hashes.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import datasets
import torch
import transformers
import yaml
from tokenizers import AddedToken, Tokenizer, models, normalizers, pre_tokenizers, trainers

from course.profiles import METRIC_NAMES, METRICS_DIR, TINY_NAMESPACE, snapshot_dir
from .specs import DATASETS, LAYERS, MODELS, DatasetReplica, ModelReplica

VOCAB = 2000
GIT_ENV = {"GIT_AUTHOR_NAME": "course replicas", "GIT_AUTHOR_EMAIL": "replicas@localhost",
           "GIT_AUTHOR_DATE": "2024-01-01T00:00:00Z", "GIT_COMMITTER_NAME": "course replicas",
           "GIT_COMMITTER_EMAIL": "replicas@localhost",
           "GIT_COMMITTER_DATE": "2024-01-01T00:00:00Z"}


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True, env={**os.environ, **GIT_ENV}).stdout.strip()


def commit_all(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message)
    return git(repo, "rev-parse", "HEAD")


def tiny_rows(hub_cache: Path, name: str) -> datasets.DatasetDict:
    """The tiny profile's dataset `name`, as `make setup` built it."""
    return datasets.load_dataset(str(snapshot_dir(hub_cache, "dataset", f"{TINY_NAMESPACE}/{name}")))


def corpus(hub_cache: Path) -> list[str]:
    """Text to train the replicas' small vocabularies on: the tiny reviews and stories."""
    return [row["text"] for name in ("reviews", "stories")
            for row in tiny_rows(hub_cache, name)["train"].select(range(2000))]


def tokenizer(spec: ModelReplica, texts: list[str]) -> transformers.PreTrainedTokenizerBase:
    """A small vocabulary in the real tokenizer class, casing and special tokens."""
    kind = spec.tokenizer
    if kind.startswith("wordpiece"):
        lowercase = kind == "wordpiece-uncased"
        tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
        tok.normalizer = normalizers.BertNormalizer(lowercase=lowercase)
        tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
        tok.train_from_iterator(texts, trainers.WordPieceTrainer(
            vocab_size=VOCAB, special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]))
        cls = (transformers.DistilBertTokenizer if spec.architecture.startswith("DistilBert")
               else transformers.BertTokenizer)
        return cls(vocab=tok.get_vocab(), do_lower_case=lowercase, **spec.tokens)
    if kind == "byte-level":
        tok = Tokenizer(models.BPE())
        tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
        tok.train_from_iterator(texts, trainers.BpeTrainer(
            vocab_size=VOCAB, special_tokens=list(spec.special),
            initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
        state = json.loads(tok.to_str())["model"]
        byte_level = transformers.GPT2Tokenizer(vocab=state["vocab"], merges=[
            tuple(m) if isinstance(m, list) else tuple(m.split(" ")) for m in state["merges"]],
            **spec.tokens)
        # every one of them a special added token, as in the real tokenizer.json
        byte_level.add_tokens([AddedToken(token, special=True, normalized=False)
                               for token in spec.special], special_tokens=True)
        return byte_level
    tok = Tokenizer(models.Unigram())
    tok.pre_tokenizer = pre_tokenizers.Metaspace()
    tok.train_from_iterator(texts, trainers.UnigramTrainer(
        vocab_size=VOCAB, special_tokens=["<pad>", "</s>", "<unk>"], unk_token="<unk>"))
    vocab = [tuple(piece) for piece in json.loads(tok.to_str())["model"]["vocab"]]
    return transformers.T5Tokenizer(vocab=vocab, extra_ids=100, **spec.tokens)


def model(spec: ModelReplica, tok: transformers.PreTrainedTokenizerBase) -> transformers.PreTrainedModel:
    """The real architecture with the real configuration, cut to LAYERS layers, random weights."""
    cls = getattr(transformers, spec.architecture)
    depth = {"DistilBert": "n_layers", "Bert": "num_hidden_layers", "GPT2": "n_layer",
             "T5": "num_layers", "Llama": "num_hidden_layers"}[
        cls.config_class.__name__.removesuffix("Config")]
    extra = dict(spec.config)
    if "id2label" in extra:
        extra["id2label"] = {int(i): label for i, label in extra["id2label"].items()}
        extra["label2id"] = {label: i for i, label in extra["id2label"].items()}
    if depth == "num_layers":
        extra["num_decoder_layers"] = LAYERS
        extra.update(decoder_start_token_id=tok.pad_token_id, eos_token_id=tok.eos_token_id,
                     pad_token_id=tok.pad_token_id)
    if depth == "n_layer":
        extra.update(bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id)
    config = cls.config_class(vocab_size=len(tok), **{depth: LAYERS}, **extra)
    torch.manual_seed(0)
    return cls(config)


def legacy_vocabulary(tok: transformers.PreTrainedTokenizerBase, folder: Path) -> None:
    """The tokenizer files the real repos keep beside tokenizer.json (transformers 5 writes
    only tokenizer.json): BERT's vocab.txt; GPT-2's and SmolLM2's vocab.json and merges.txt,
    and SmolLM2's special_tokens_map.json."""
    state = json.loads(tok.backend_tokenizer.to_str())["model"]
    if state["type"] == "WordPiece":
        vocab = sorted(state["vocab"].items(), key=lambda item: item[1])
        (folder / "vocab.txt").write_text("".join(f"{token}\n" for token, _ in vocab))
    elif state["type"] == "BPE":
        (folder / "vocab.json").write_text(json.dumps(state["vocab"], ensure_ascii=False))
        merges = [" ".join(m) if isinstance(m, list) else m for m in state["merges"]]
        (folder / "merges.txt").write_text("#version: 0.2\n" + "\n".join(merges) + "\n")
        named = {f"{role}_token": getattr(tok, f"{role}_token")
                 for role in ("bos", "eos", "unk", "pad") if getattr(tok, f"{role}_token")}
        (folder / "special_tokens_map.json").write_text(json.dumps(
            {**named, "additional_special_tokens": list(tok.extra_special_tokens)}, indent=2))


def template_in_config(folder: Path) -> None:
    """The chat template in tokenizer_config.json, where the real repos keep it (transformers 5
    writes it to chat_template.jinja)."""
    template = folder / "chat_template.jinja"
    if template.exists():
        config = json.loads((folder / "tokenizer_config.json").read_text())
        config["chat_template"] = template.read_text()
        (folder / "tokenizer_config.json").write_text(json.dumps(config, indent=2))
        template.unlink()


def write_model(spec: ModelReplica, root: Path, texts: list[str]) -> None:
    """Save the replica as the real repo lays it out: only the files it lists."""
    repo = root / "models" / spec.repo_id
    with tempfile.TemporaryDirectory() as tmp:
        tok = tokenizer(spec, texts)
        model(spec, tok).save_pretrained(tmp)
        tok.save_pretrained(tmp)
        legacy_vocabulary(tok, Path(tmp))
        template_in_config(Path(tmp))
        shutil.rmtree(repo, ignore_errors=True)
        repo.mkdir(parents=True)
        git(repo, "init", "-q", "-b", "main")
        for name in spec.files:
            if (Path(tmp) / name).exists():
                shutil.copy(Path(tmp) / name, repo / name)
    for real in spec.history:  # the commits notebooks pin: the files before the card
        git(repo, "tag", f"real-{real}", commit_all(repo, f"Replica of {real}"))
    metadata = f"---\n{yaml.safe_dump(spec.card, sort_keys=False)}---\n" if spec.card else ""
    (repo / "README.md").write_text(f"{metadata}# {spec.repo_id} (replica)\n\nA replica for the "
                                    "course's offline tests: the real configuration, random "
                                    "weights.\n")
    commit_all(repo, "Upload the replica")
    checked_in(repo)


def checked_in(repo: Path) -> None:
    """Leave only the git objects: the server reads commits, and a second copy of the weights
    would double the replicas' size on disk."""
    for path in repo.iterdir():
        if path.name != ".git":
            shutil.rmtree(path) if path.is_dir() else path.unlink()


def write_dataset(spec: DatasetReplica, root: Path, hub_cache: Path) -> None:
    """The tiny dataset's first rows in the real repo's files, splits and features."""
    repo = root / "datasets" / spec.repo_id
    shutil.rmtree(repo, ignore_errors=True)
    repo.mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    source = spec.schema(tiny_rows(hub_cache, spec.source))
    (repo / "README.md").write_text(f"# {spec.repo_id} (replica)\n")
    if spec.script:  # main ships only the loading script, as the real repo does
        (repo / spec.script).write_text("import datasets  # the real repo's loading script\n")
        commit_all(repo, "Loading script")
        git(repo, "checkout", "-q", "--orphan", "parquet")
        git(repo, "rm", "-q", "-r", "--cached", ".")
        for path in (spec.script, "README.md"):
            (repo / path).unlink()
    for split, path in spec.layout.items():
        rows = source[split if split in source else "validation"]
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        # the real splits are larger than the tiny ones: repeat rows up to `spec.rows`
        rows.select([i % len(rows) for i in range(spec.rows)]).to_parquet(repo / path)
    head = commit_all(repo, "Upload the replica")
    if spec.revision:
        git(repo, "update-ref", spec.revision, head)
        git(repo, "checkout", "-q", "main")
        git(repo, "branch", "-q", "-D", "parquet")
    checked_in(repo)


def write_metric(name: str, root: Path) -> None:
    """`evaluate.load(name)` reads the Space `evaluate-metric/<name>`: the course's offline
    module is written in evaluate's own format, so it serves as the Space's `<name>.py`."""
    repo = root / "spaces" / "evaluate-metric" / name
    shutil.rmtree(repo, ignore_errors=True)
    repo.mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    shutil.copy(METRICS_DIR / name / f"{name}.py", repo / f"{name}.py")
    (repo / "README.md").write_text(f"---\ntitle: {name}\nsdk: gradio\n---\n# {name} (replica)\n")
    commit_all(repo, "Upload the replica")
    checked_in(repo)


def build(root: Path, hub_cache: Path) -> Path:
    """Every replica, under `root`; returns `root`."""
    for name in METRIC_NAMES:
        write_metric(name, root)
    texts = corpus(hub_cache)
    for spec in MODELS:
        write_model(spec, root, texts)
    for spec in DATASETS:
        write_dataset(spec, root, hub_cache)
    return root
