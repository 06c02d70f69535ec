"""Choosing a profile, going offline in time, and the names each profile hands to the libraries."""
from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import textwrap
import threading
import time
import warnings
from pathlib import Path

import pytest

import course
from course import environment
from course.environment import OFFLINE_FLAGS, ProfileError, choose_profile, hub_reachable


def closed_port() -> int:
    """A local port that nothing listens on: connecting to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def online(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No offline flag and no requested profile, as on a fresh machine."""
    for name in [*OFFLINE_FLAGS, "COURSE_PROFILE"]:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_choose_profile_honours_the_request_and_course_profile(online) -> None:
    online.setenv("COURSE_PROFILE", "full")
    assert choose_profile() == "full"
    assert choose_profile("tiny") == "tiny"
    online.setenv("COURSE_PROFILE", " Tiny ")
    assert choose_profile() == "tiny"


def test_choose_profile_rejects_unknown_names(online) -> None:
    online.setenv("COURSE_PROFILE", "small")
    with pytest.raises(ProfileError, match=r"'small'.*one of \('tiny', 'full'\)"):
        choose_profile()


def test_without_a_request_an_unreachable_hub_means_tiny(online) -> None:
    online.setenv("HF_ENDPOINT", f"https://127.0.0.1:{closed_port()}")
    assert choose_profile() == "tiny"


def test_hub_reachable_is_false_at_once_when_offline(online) -> None:
    online.setenv("HF_HUB_OFFLINE", "1")
    online.setattr(socket, "create_connection", pytest.fail)  # must not even try
    start = time.perf_counter()
    assert hub_reachable() is False
    assert time.perf_counter() - start < 0.1


def test_hub_reachable_is_false_for_a_closed_port(online) -> None:
    online.setenv("HF_ENDPOINT", f"https://127.0.0.1:{closed_port()}")
    start = time.perf_counter()
    assert hub_reachable() is False
    assert time.perf_counter() - start < 3


def test_hub_reachable_is_true_for_a_listening_port(online) -> None:
    with socket.create_server(("127.0.0.1", 0)) as server:
        online.setenv("HF_ENDPOINT", f"https://127.0.0.1:{server.getsockname()[1]}")
        assert hub_reachable() is True


def test_hub_reachable_gives_up_after_its_timeout(online) -> None:
    """A connection (or DNS lookup) that hangs costs the probe's 2 s, not the OS's minutes."""
    release = threading.Event()

    def hang(*args, **kwargs) -> None:
        release.wait(30)
        raise OSError("released")

    online.setattr(socket, "create_connection", hang)
    start = time.perf_counter()
    try:
        assert hub_reachable() is False
        assert time.perf_counter() - start < 3
    finally:
        release.set()


SETUP_IN_A_FRESH_KERNEL = textwrap.dedent("""
    import json, os, sys, warnings
    import course

    before = sorted(m for m in ("transformers", "huggingface_hub", "datasets", "evaluate")
                    if m in sys.modules)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        profile = course.setup()
    import huggingface_hub.constants, datasets.config, evaluate.config
    print(json.dumps({
        "before": before, "profile": profile.name, "env": os.environ["COURSE_PROFILE"],
        "flags": {name: os.environ.get(name) for name in
                  ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE", "HF_EVALUATE_OFFLINE")},
        "hub": huggingface_hub.constants.HF_HUB_OFFLINE,
        "datasets": datasets.config.HF_HUB_OFFLINE,
        "evaluate": evaluate.config.HF_EVALUATE_OFFLINE,
        "late": [str(w.message) for w in caught if "ran after importing" in str(w.message)],
    }))
""")


def test_setup_without_a_profile_and_hub_picks_tiny_and_goes_offline_first() -> None:
    env = {name: value for name, value in os.environ.items()
           if name not in (*OFFLINE_FLAGS, "COURSE_PROFILE")}
    env["HF_ENDPOINT"] = f"https://127.0.0.1:{closed_port()}"
    done = subprocess.run([sys.executable, "-c", SETUP_IN_A_FRESH_KERNEL], env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.splitlines()[-1])
    assert result["before"] == []
    assert result["profile"] == result["env"] == "tiny"
    assert result["flags"] == dict.fromkeys(result["flags"], "1")
    assert result["hub"] is result["datasets"] is result["evaluate"] is True
    assert result["late"] == []
    assert re.search(r"^profile +tiny$", done.stdout, re.MULTILINE)


@pytest.fixture
def imported_online(online) -> pytest.MonkeyPatch:
    """The libraries imported before setup(), so they read the flags as unset."""
    import datasets.config
    import evaluate.config
    import huggingface_hub.constants

    online.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", False)
    online.setattr(datasets.config, "HF_HUB_OFFLINE", False)
    online.setattr(evaluate.config, "HF_EVALUATE_OFFLINE", False)
    return online


def test_going_offline_late_warns_and_updates_the_libraries(imported_online) -> None:
    import evaluate.config
    import huggingface_hub

    with pytest.warns(UserWarning, match="call it first in a fresh kernel"):
        environment.go_offline()
    assert all(os.environ[name] == "1" for name in OFFLINE_FLAGS)
    assert huggingface_hub.constants.HF_HUB_OFFLINE and huggingface_hub.is_offline_mode()
    assert evaluate.config.HF_EVALUATE_OFFLINE


def test_going_offline_late_updates_datasets(imported_online) -> None:
    import datasets.config

    with pytest.warns(UserWarning):
        environment.go_offline()
    assert datasets.config.HF_HUB_OFFLINE


def test_libraries_imported_offline_need_no_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    """A warm grading kernel imports them before setup(), with the offline flags already set."""
    import datasets.config
    import evaluate.config
    import huggingface_hub.constants

    for module, flag in [(huggingface_hub.constants, "HF_HUB_OFFLINE"),
                         (datasets.config, "HF_HUB_OFFLINE"),
                         (datasets.config, "HF_DATASETS_OFFLINE"),
                         (evaluate.config, "HF_EVALUATE_OFFLINE")]:
        monkeypatch.setattr(module, flag, True)
    for name, value in OFFLINE_FLAGS.items():
        monkeypatch.setenv(name, value)  # restored afterwards
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        environment.go_offline()


@pytest.fixture
def no_profile(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(environment, "_current", None)


@pytest.fixture
def tiny(monkeypatch: pytest.MonkeyPatch, no_profile: None) -> environment.Profile:
    """`course.setup("tiny")` in this process; the environment it changes is restored after."""
    for name, value in OFFLINE_FLAGS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("COURSE_PROFILE", "tiny")
    with warnings.catch_warnings():  # other tests imported the libraries already
        warnings.filterwarnings("ignore", r"course\.setup\(\) ran after importing")
        return course.setup("tiny", quiet=True)


@pytest.mark.parametrize("lookup", [course.checkpoint, course.dataset, course.metric,
                                    course.checkpoint_revision, course.dataset_revision])
def test_names_before_setup_raise_a_profile_error(no_profile: None, lookup) -> None:
    with pytest.raises(ProfileError, match=r"run `course.setup\(\)` first"):
        lookup("sentiment")


def test_unknown_roles_name_the_known_ones(tiny) -> None:
    with pytest.raises(ProfileError, match="No checkpoint 'sentimental' in the tiny profile; "
                                           "known: base, causal-lm, chat, chat-base, fill-mask, history, ner, "):
        course.checkpoint("sentimental")


def test_tiny_checkpoint_loads_and_classifies(tiny) -> None:
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    name = course.checkpoint("sentiment")
    assert name == "hfcourse/tiny-sentiment"
    tokenizer = AutoTokenizer.from_pretrained(name)
    model = AutoModelForSequenceClassification.from_pretrained(name)
    batch = tokenizer(["the acting was wonderful.", "the plot was boring."], padding=True,
                      return_tensors="pt")
    with torch.no_grad():
        predicted = model(**batch).logits.argmax(-1).tolist()
    assert [model.config.id2label[i] for i in predicted] == ["POSITIVE", "NEGATIVE"]


def test_tiny_dataset_loads_with_its_splits(tiny) -> None:
    from datasets import load_dataset

    reviews = load_dataset(course.dataset("reviews"))
    assert set(reviews) == {"train", "validation", "test"}
    assert reviews["train"].features["label"].names == ["neg", "pos"]
    assert reviews["test"].num_rows == 1000


def test_tiny_qa_dataset_has_squads_columns_and_reader_loads(tiny) -> None:
    from datasets import load_dataset
    from transformers import AutoModelForQuestionAnswering

    squad = load_dataset(course.dataset("qa"))
    assert set(squad) == {"train", "validation"}
    assert squad["train"].column_names == ["id", "title", "context", "question", "answers"]
    row = squad["validation"][0]
    start, text = row["answers"]["answer_start"][0], row["answers"]["text"][0]
    assert row["context"][start:start + len(text)] == text
    reader = AutoModelForQuestionAnswering.from_pretrained(course.checkpoint("qa"))
    assert reader.config.architectures == ["BertForQuestionAnswering"]


def test_tiny_metric_loads_and_computes(tiny) -> None:
    import evaluate

    accuracy = evaluate.load(course.metric("accuracy"))
    assert accuracy.compute(predictions=[0, 1, 1], references=[0, 1, 0]) == {
        "accuracy": pytest.approx(2 / 3)}
    seqeval = evaluate.load(course.metric("seqeval"))
    assert seqeval.compute(predictions=[["B-PER", "O"]], references=[["B-PER", "O"]])["overall_f1"] == 1.0
    squad = evaluate.load(course.metric("squad"))
    assert squad.compute(predictions=[{"id": "1", "prediction_text": "the Tower"}],
                         references=[{"id": "1", "answers": {"text": ["tower"], "answer_start": [0]}}]
                         ) == {"exact_match": 100.0, "f1": 100.0}


def test_full_profile_names_real_hub_repos(no_profile: None, monkeypatch) -> None:
    monkeypatch.setenv("COURSE_PROFILE", "full")
    monkeypatch.setattr(environment, "_current", environment.FULL)
    assert course.checkpoint("sentiment").startswith("distilbert/")
    assert course.metric("f1") == "f1"
    assert course.metric("seqeval") == "seqeval"  # the Hub's module; tiny: course/metrics/seqeval
    assert course.checkpoint("token-base") == "google-bert/bert-base-cased"
    assert course.checkpoint("qa") == "distilbert/distilbert-base-cased-distilled-squad"
    assert (course.dataset("qa"), course.metric("squad")) == ("rajpurkar/squad", "squad")
    assert course.checkpoint("chat") == "HuggingFaceTB/SmolLM2-135M-Instruct"
    assert course.checkpoint("chat-base") == "HuggingFaceTB/SmolLM2-135M"
    assert course.dataset("instructions") == "HuggingFaceH4/no_robots"
    assert set(environment.FULL.checkpoints) == set(environment.tiny_profile("/x").checkpoints)
    assert set(environment.FULL.datasets) == set(environment.tiny_profile("/x").datasets)


def test_full_profile_reads_script_only_datasets_from_their_parquet_export(no_profile, monkeypatch) -> None:
    """datasets >= 4 refuses xsum's main branch (only xsum.py there); the parquet export works."""
    monkeypatch.setattr(environment, "_current", environment.FULL)
    assert course.dataset("summaries") == "EdinburghNLP/xsum"
    assert course.dataset_revision("summaries") == "refs/convert/parquet"
    assert course.dataset("ner") == "lhoestq/conll2003"
    assert course.dataset_revision("reviews") is None
    assert course.checkpoint_revision("history") == "11c5a3d5811f50298f278a704980280950aedb10"
    with pytest.raises(ProfileError, match="No dataset 'xsum'.*known: instructions, ner, qa, reviews"):
        course.dataset_revision("xsum")


def test_every_pinned_revision_belongs_to_a_named_role() -> None:
    for profile in (environment.FULL, environment.tiny_profile("/x")):
        assert set(profile.checkpoint_revisions) <= set(profile.checkpoints), profile.name
        assert set(profile.dataset_revisions) <= set(profile.datasets), profile.name


def test_tiny_history_revision_is_a_tag_in_the_cache(tiny) -> None:
    from huggingface_hub import hf_hub_download

    repo_id, tag = course.checkpoint("history"), course.checkpoint_revision("history")
    old = Path(hf_hub_download(repo_id, "config.json", revision=tag))
    new = Path(hf_hub_download(repo_id, "config.json"))
    assert old.parent.name != new.parent.name  # two commits
    assert old.resolve() != new.resolve()  # whose config.json blobs differ (labels renamed)
    assert course.dataset_revision("summaries") is None


def test_report_lists_profile_device_and_versions(tiny) -> None:
    from importlib import metadata

    rows = dict(line.split(None, 1) for line in environment.report(tiny, seed=7).splitlines())
    assert rows["profile"] == "tiny" and rows["device"] == "cpu" and rows["seed"] == "7"
    for package in ("torch", "transformers", "datasets", "evaluate", "huggingface_hub"):
        assert rows[package] == metadata.version(package)
