"""What the real APIs read from a Hub at HF_ENDPOINT, for each full-profile repo, as JSON.

    python tests/replicas/probe.py   # with HF_ENDPOINT and an empty HF_HOME

Run in its own process by test_replicas.py, so huggingface_hub reads HF_ENDPOINT when imported.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from specs import DATASETS, MODELS  # noqa: E402


CHAT = [{"role": "user", "content": "Hi"}]


def model_facts(repo_id: str, revision: str = "main", keys: tuple[str, ...] = ()) -> dict:
    import transformers
    from huggingface_hub import HfApi

    config = transformers.AutoConfig.from_pretrained(repo_id, revision=revision)
    tokenizer = transformers.AutoTokenizer.from_pretrained(repo_id, revision=revision)
    model = getattr(transformers, config.architectures[0]).from_pretrained(repo_id,
                                                                            revision=revision)
    return {"architecture": type(model).__name__, "tokenizer": type(tokenizer).__name__,
            "lowercases": tokenizer.tokenize("Berlin")[0][0] == "b",
            "model_max_length": tokenizer.model_max_length,
            "special": sorted(tokenizer.all_special_tokens)[:8],
            "named": {role: getattr(tokenizer, f"{role}_token") for role in ("bos", "eos", "pad")},
            "ids": tokenizer.convert_tokens_to_ids(["<|endoftext|>", "<|im_start|>", "<|im_end|>"]),
            "chat": tokenizer.chat_template and tokenizer.apply_chat_template(
                CHAT, tokenize=False, add_generation_prompt=True),
            "config": {key: config.to_dict().get(key) for key in keys},
            "id2label": {str(k): v for k, v in config.id2label.items()},
            "task_specific_params": getattr(config, "task_specific_params", None),
            "files": sorted(HfApi().list_repo_files(repo_id, revision=revision))}


def card(repo_id: str) -> dict:
    from huggingface_hub import ModelCard

    return ModelCard.load(repo_id).data.to_dict()


def validation() -> list:
    """What the validator says of a valid card (through `RepoCard.validate`) and of metadata
    that is not YAML (posted as `validate` posts it: a client would not parse it first)."""
    from huggingface_hub import ModelCard, constants
    from huggingface_hub.utils import get_session

    ModelCard("---\nlicense: mit\n---\n# A card\n").validate()  # raises if refused
    refused = get_session().post(f"{constants.ENDPOINT}/api/validate-yaml", json={
        "repoType": "model", "content": "---\nlicense: [mit\n---\n# A card\n"})
    return ["accepted", refused.status_code, refused.text[:22]]


def commits(repo_id: str) -> list:
    from huggingface_hub import HfApi

    return [[c.title, c.authors, c.created_at.isoformat()]
            for c in HfApi().list_repo_commits(repo_id)]


def dataset_facts(repo_id: str, revision: str | None) -> dict:
    import datasets

    loaded = datasets.load_dataset(repo_id, revision=revision)
    return {split: {"rows": part.num_rows, "features": {k: repr(v) for k, v in part.features.items()},
                    "misplaced_answers": misplaced_answers(part)}
            for split, part in loaded.items()}


def misplaced_answers(part) -> int | None:
    """How many rows' answers are not at their `answer_start` in the context (None: no answers)."""
    if "answers" not in part.column_names:
        return None
    return sum(not row["context"][start:].startswith(text) for row in part
               for text, start in zip(row["answers"]["text"], row["answers"]["answer_start"]))


def longer_than(window: int) -> int:
    """How many full-profile QA training questions do not fit in one `window` of the tokenizer
    the QA chapter uses."""
    import datasets
    import transformers
    from course.profiles import FULL

    tokenizer = transformers.AutoTokenizer.from_pretrained(FULL.checkpoints["token-base"])
    train = datasets.load_dataset(FULL.datasets["qa"], split="train")
    encoded = tokenizer(list(train["question"]), list(train["context"]))
    lengths = [len(ids) for ids in encoded["input_ids"]]
    return sum(length > window for length in lengths)


def script_error(repo_id: str) -> str:
    import datasets

    try:
        datasets.load_dataset(repo_id, split="train", streaming=True)
    except Exception as error:  # noqa: BLE001 - the error is the fact
        return f"{type(error).__name__}: {error}"
    return ""


def main() -> None:
    facts: dict = {"models": {}, "datasets": {}, "pinned": {}, "scripts": {}, "commits": {}}
    for spec in MODELS:
        keys = tuple(key for key in spec.config if key not in ("id2label", "task_specific_params"))
        facts["models"][spec.repo_id] = {**model_facts(spec.repo_id, keys=keys),
                                          "card": card(spec.repo_id)}
        for real in spec.history:
            facts["pinned"][f"{spec.repo_id}@{real}"] = model_facts(spec.repo_id, real)["files"]
            facts["commits"][spec.repo_id] = commits(spec.repo_id)
    for spec in DATASETS:
        if spec.script:  # before the parquet revision is cached: datasets would fall back to it
            facts["scripts"][spec.repo_id] = script_error(spec.repo_id)
        facts["datasets"][spec.repo_id] = dataset_facts(spec.repo_id, spec.revision or None)
    facts["longer_than_384"] = longer_than(384)
    facts["validation"] = validation()
    print(json.dumps(facts))


if __name__ == "__main__":
    main()
