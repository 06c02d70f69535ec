"""The replicas hold the real repos' facts, read through the real APIs over HTTP (issue 13)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from replicas.hub import online_env
from replicas.specs import CONLL_TAGS, DATASETS, MODELS, SMOLLM2_SPECIAL

PROBE = Path(__file__).parent / "probe.py"


@pytest.fixture(scope="module")
def facts(replica_hub: str, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """What transformers, datasets and huggingface_hub read from the replica Hub, cache empty."""
    run = subprocess.run([sys.executable, str(PROBE)], capture_output=True, text=True,
                         env=online_env(replica_hub, tmp_path_factory.mktemp("hf")), timeout=600)
    if run.returncode:
        pytest.fail(f"the probe failed:\n{run.stderr[-4000:]}")
    return json.loads(run.stdout)


@pytest.mark.parametrize("spec", MODELS, ids=[m.repo_id for m in MODELS])
def test_model_replica_has_the_real_class_tokenizer_labels_and_files(facts: dict, spec) -> None:
    got = facts["models"][spec.repo_id]
    assert got["architecture"] == spec.architecture, "the model class from config.json"
    assert got["lowercases"] == (spec.tokenizer == "wordpiece-uncased"), \
        f"{spec.repo_id}'s tokenizer casing ({got['tokenizer']})"
    assert got["files"] == sorted(set(spec.files) | {"README.md"}), "the real repo's files"
    labels = spec.config.get("id2label")
    assert labels is None or got["id2label"] == {str(k): v for k, v in labels.items()}
    assert got["task_specific_params"] == spec.config.get("task_specific_params")
    assert got["config"] == {key: value for key, value in spec.config.items()
                             if key not in ("id2label", "task_specific_params")}, "config.json"
    assert got["card"] == spec.card, "the model card's metadata"
    assert got["model_max_length"] == spec.tokens["model_max_length"], \
        "tokenizer_config.json's model_max_length (else transformers answers 1e30)"


def test_tokenizer_classes_and_special_tokens(facts: dict) -> None:
    tokenizers = {repo: (f["tokenizer"], f["special"]) for repo, f in facts["models"].items()}
    assert tokenizers["distilbert/distilbert-base-uncased"][0] == "DistilBertTokenizer"
    assert tokenizers["google-bert/bert-base-cased"] == (
        "BertTokenizer", ["[CLS]", "[MASK]", "[PAD]", "[SEP]", "[UNK]"])
    assert tokenizers["openai-community/gpt2"] == ("GPT2Tokenizer", ["<|endoftext|>"])
    assert tokenizers["distilbert/distilbert-base-cased-distilled-squad"][0] == "DistilBertTokenizer"
    assert tokenizers["google-t5/t5-small"][0] == "T5Tokenizer"
    assert "<extra_id_0>" in tokenizers["google-t5/t5-small"][1]
    assert tokenizers["HuggingFaceTB/SmolLM2-135M"] == ("GPT2Tokenizer", sorted(SMOLLM2_SPECIAL)[:8])
    assert tokenizers["HuggingFaceTB/SmolLM2-135M-Instruct"] == (
        "GPT2Tokenizer", ["<|endoftext|>", "<|im_end|>", "<|im_start|>"])


def test_smollm2_chatml_tokens_and_template(facts: dict) -> None:
    base, instruct = (facts["models"][f"HuggingFaceTB/SmolLM2-135M{tail}"] for tail in ("", "-Instruct"))
    assert base["ids"] == instruct["ids"] == [0, 1, 2], "<|endoftext|>, <|im_start|>, <|im_end|>"
    assert base["named"] == {"bos": "<|endoftext|>", "eos": "<|endoftext|>", "pad": None}
    assert instruct["named"] == {"bos": "<|im_start|>", "eos": "<|im_end|>", "pad": "<|im_end|>"}
    assert base["chat"] is None, "the base model has no chat template"
    assert instruct["chat"] == (
        "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging "
        "Face<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n")


def test_commits_are_listed_as_the_hub_lists_them(facts: dict) -> None:
    assert facts["commits"] == {"openai-community/gpt2": [
        ["Upload the replica", ["replicas"], "2024-01-01T00:00:00+00:00"],
        ["Replica of 11c5a3d5811f50298f278a704980280950aedb10", ["replicas"],
         "2024-01-01T00:00:00+00:00"]]}, "newest first, the message's first line as the title"


def test_pinned_commits_resolve_to_the_earlier_files(facts: dict) -> None:
    assert facts["pinned"] == {"openai-community/gpt2@11c5a3d5811f50298f278a704980280950aedb10": [
        "config.json", "generation_config.json", "merges.txt", "model.safetensors",
        "tokenizer.json", "tokenizer_config.json", "vocab.json"]}, "the pinned commit has no card"


@pytest.mark.parametrize("spec", DATASETS, ids=[d.repo_id for d in DATASETS])
def test_dataset_replica_has_the_real_splits_and_columns(facts: dict, spec) -> None:
    got = facts["datasets"][spec.repo_id]
    assert sorted(got) == sorted(spec.layout), "the real splits"
    assert all(part["rows"] > 0 for part in got.values())
    columns = {"rotten_tomatoes": ["text", "label"], "TinyStories": ["text"],
               "xsum": ["document", "summary", "id"], "conll2003": ["tokens", "ner_tags", "id"],
               "squad": ["id", "title", "context", "question", "answers"],
               "no_robots": ["prompt", "prompt_id", "messages", "category"]}
    assert sorted(got["train"]["features"]) == sorted(columns[spec.repo_id.split("/")[1]])
    if "conll" in spec.repo_id:
        assert repr(CONLL_TAGS) in got["train"]["features"]["ner_tags"]
    if "squad" in spec.repo_id:
        assert got["train"]["features"]["answers"] == (
            "{'text': List(Value('string')), 'answer_start': List(Value('int32'))}")
        assert [part["misplaced_answers"] for part in got.values()] == [0, 0], \
            "every answer at its answer_start: context[answer_start:].startswith(text)"
    if "no_robots" in spec.repo_id:
        assert list(got["train"]["features"]) == columns["no_robots"], "the real column order"
        assert got["test"]["features"]["messages"] == (
            "List({'content': Value('string'), 'role': Value('string')})")
    if "rotten" in spec.repo_id:
        assert got["train"]["features"]["label"] == "ClassLabel(names=['neg', 'pos'])"


def test_a_script_only_main_branch_fails_as_on_the_hub(facts: dict) -> None:
    assert facts["scripts"] == {
        "EdinburghNLP/xsum": "RuntimeError: Dataset scripts are no longer supported, but found "
                             "xsum.py"}


def test_some_qa_contexts_need_more_than_one_window(facts: dict) -> None:
    rows = next(d.rows for d in DATASETS if d.repo_id == "rajpurkar/squad")
    assert 0 < facts["longer_than_384"] < rows / 10, \
        "as in real SQuAD, a few questions do not fit in the full profile's 384-token window"


def test_card_validation_answers_as_the_hub(facts: dict) -> None:
    assert facts["validation"] == ["accepted", 400, "invalid YAML in the me"]


PAGES = """
import asyncio, json, sys
from pathlib import Path
from urllib.parse import urlsplit
sys.path.insert(0, sys.argv[2])
import server

server.PAGE = 2
answers, pages, url = server.HubAnswers(None, Path(sys.argv[1])), [], "/api/models/org/name/commits/main"
while url:
    path, _, query = url.partition("?")
    sent = []
    async def send(message):
        sent.append(message)
    scope = {"type": "http", "method": "GET", "path": path, "raw_path": path.encode(),
             "query_string": query.encode(), "headers": [(b"host", b"hub")]}
    asyncio.run(answers(scope, None, send))
    link = dict(sent[0]["headers"]).get(b"link", b"").decode()
    pages.append([[c["title"], c["authors"][0]["user"]] for c in json.loads(sent[1]["body"])])
    url = urlsplit(link[1:link.index(">")])._replace(scheme="", netloc="").geturl() if link else ""
print(json.dumps(pages))
"""


def test_commits_come_a_page_at_a_time_with_a_link_to_the_next(tmp_path: Path) -> None:
    from replicas.build import commit_all, git
    from replicas.hub import OLAH_PYTHON

    repo = tmp_path / "models" / "org" / "name"
    repo.mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    for title in ("first", "second", "third"):
        commit_all(repo, f"{title}\n\nthe body of {title}")
    run = subprocess.run([str(OLAH_PYTHON), "-c", PAGES, str(tmp_path), str(PROBE.parent)],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr[-2000:]
    assert json.loads(run.stdout) == [[["third", "replicas"], ["second", "replicas"]],
                                      [["first", "replicas"]]], "two a page, newest first"
