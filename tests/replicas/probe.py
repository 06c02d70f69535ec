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


def model_facts(repo_id: str, revision: str = "main") -> dict:
    import transformers
    from huggingface_hub import HfApi

    config = transformers.AutoConfig.from_pretrained(repo_id, revision=revision)
    tokenizer = transformers.AutoTokenizer.from_pretrained(repo_id, revision=revision)
    model = getattr(transformers, config.architectures[0]).from_pretrained(repo_id,
                                                                            revision=revision)
    return {"architecture": type(model).__name__, "tokenizer": type(tokenizer).__name__,
            "lowercases": tokenizer.tokenize("Berlin")[0][0] == "b",
            "special": sorted(tokenizer.all_special_tokens)[:8],
            "id2label": {str(k): v for k, v in config.id2label.items()},
            "task_specific_params": getattr(config, "task_specific_params", None),
            "files": sorted(HfApi().list_repo_files(repo_id, revision=revision))}


def dataset_facts(repo_id: str, revision: str | None) -> dict:
    import datasets

    loaded = datasets.load_dataset(repo_id, revision=revision)
    return {split: {"rows": part.num_rows, "features": {k: repr(v) for k, v in part.features.items()}}
            for split, part in loaded.items()}


def script_error(repo_id: str) -> str:
    import datasets

    try:
        datasets.load_dataset(repo_id, split="train", streaming=True)
    except Exception as error:  # noqa: BLE001 - the error is the fact
        return f"{type(error).__name__}: {error}"
    return ""


def main() -> None:
    facts: dict = {"models": {}, "datasets": {}, "pinned": {}, "scripts": {}}
    for spec in MODELS:
        facts["models"][spec.repo_id] = model_facts(spec.repo_id)
        for real in spec.history:
            facts["pinned"][f"{spec.repo_id}@{real}"] = model_facts(spec.repo_id, real)["files"]
    for spec in DATASETS:
        if spec.script:  # before the parquet revision is cached: datasets would fall back to it
            facts["scripts"][spec.repo_id] = script_error(spec.repo_id)
        facts["datasets"][spec.repo_id] = dataset_facts(spec.repo_id, spec.revision or None)
    print(json.dumps(facts))


if __name__ == "__main__":
    main()
