"""The tiny assets: the Hub cache layout `publish` writes, the data generators, the full build."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from course.assets import data, heldout, instructions, lexicon, qa
from course.assets.build import corpus_texts
from course.assets.cache import default_hub_cache, ensure_assets
from course.assets.train_models import sentences
from course.assets.hub_cache import publish
from course.assets.train_tokenizers import wordpiece
from course.profiles import TINY_DATASETS, TINY_MODELS, TINY_NAMESPACE, repo_folder, snapshot_dir

REPO = f"{TINY_NAMESPACE}/test-repo"


def write_files(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    return folder


def test_publish_writes_the_hub_cache_layout(tmp_path: Path) -> None:
    source = write_files(tmp_path / "src", {"config.json": '{"a": 1}', "sub/vocab.txt": "x\ny"})
    cache = tmp_path / "hub"
    commit = publish(source, cache, REPO)

    repo = cache / "models--hfcourse--test-repo"
    assert repo == repo_folder(cache, "model", REPO)
    assert len(commit) == 40 and (repo / "refs" / "main").read_text() == commit
    assert len(list((repo / "blobs").iterdir())) == 2
    for name in ("config.json", "sub/vocab.txt"):
        link = repo / "snapshots" / commit / name
        target = os.readlink(link)
        assert link.is_symlink() and not os.path.isabs(target)
        assert link.resolve().parent == (repo / "blobs").resolve()
        assert link.read_text() == (source / name).read_text()


def test_huggingface_hub_reads_a_published_repo(tmp_path: Path) -> None:
    from huggingface_hub import hf_hub_download, scan_cache_dir

    source = write_files(tmp_path / "src", {"config.json": '{"a": 1}', "README.md": "# card"})
    cache = tmp_path / "hub"
    commit = publish(source, cache, REPO)
    publish(source, cache, f"{TINY_NAMESPACE}/test-data", repo_type="dataset")

    path = hf_hub_download(REPO, "config.json", cache_dir=cache, local_files_only=True)
    assert Path(path) == cache / "models--hfcourse--test-repo" / "snapshots" / commit / "config.json"
    assert Path(path).read_text() == '{"a": 1}'
    dataset_card = hf_hub_download(f"{TINY_NAMESPACE}/test-data", "README.md", repo_type="dataset",
                                   cache_dir=cache, local_files_only=True)
    assert Path(dataset_card).read_text() == "# card"

    info = scan_cache_dir(cache)
    assert not info.warnings
    repos = {(r.repo_type, r.repo_id): r for r in info.repos}
    assert set(repos) == {("model", REPO), ("dataset", f"{TINY_NAMESPACE}/test-data")}
    (revision,) = repos["model", REPO].revisions
    assert revision.commit_hash == commit and revision.refs == {"main"}
    assert {f.file_name for f in revision.files} == {"config.json", "README.md"}


def test_a_second_publish_is_a_new_commit_and_main_moves(tmp_path: Path) -> None:
    from huggingface_hub import hf_hub_download

    cache = tmp_path / "hub"
    first = publish(write_files(tmp_path / "v1", {"config.json": "1", "vocab.txt": "v"}), cache, REPO)
    second = publish(write_files(tmp_path / "v2", {"config.json": "2", "vocab.txt": "v"}), cache,
                     REPO)
    repo = repo_folder(cache, "model", REPO)

    assert first != second
    assert (repo / "refs" / "main").read_text() == second
    assert len(list((repo / "blobs").iterdir())) == 3  # the unchanged vocab is stored once

    def read(revision: str) -> str:
        return Path(hf_hub_download(REPO, "config.json", revision=revision, cache_dir=cache,
                                    local_files_only=True)).read_text()

    assert (read("main"), read(first), read(second)) == ("2", "1", "2")


def test_publishing_the_same_files_again_gives_the_same_commit(tmp_path: Path) -> None:
    source = write_files(tmp_path / "src", {"config.json": "1"})
    cache = tmp_path / "hub"
    assert publish(source, cache, REPO) == publish(source, cache, REPO)


@pytest.mark.parametrize("generate", [data.reviews, data.stories, data.summaries, data.ner,
                                      qa.squad_like, instructions.instructions])
def test_data_generators_are_deterministic_and_splits_disjoint(generate) -> None:
    splits = generate()
    assert splits == generate()
    assert generate(seed=99) != splits
    seen: set[str] = set()
    for split, rows in splits.items():
        keys = {json.dumps({k: v for k, v in row.items() if k != "id"}, sort_keys=True)
                for row in rows}
        assert len(keys) == len(rows), f"duplicate rows in {split}"
        assert not keys & seen, f"{split} shares rows with another split"
        seen |= keys


def test_the_news_data_is_the_same_under_any_string_hashing() -> None:
    """Faker's it_IT cities came from a set, so each process drew other cities, and every
    tokenizer and model of the build changed from one build to the next."""
    script = ("import hashlib; from course.assets import data; "
              "print(hashlib.sha256(repr(data.ner()).encode()).hexdigest())")
    digests = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                              check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
               for seed in ("1", "2")}
    assert len(digests) == 1, "data.ner() depends on PYTHONHASHSEED"


def test_data_columns_look_like_the_full_profiles_datasets() -> None:
    reviews, ner = data.reviews(), data.ner()
    assert {split: len(rows) for split, rows in reviews.items()} == {
        "train": 6000, "validation": 500, "test": 1000}
    assert {row["label"] for row in reviews["train"]} == {0, 1}
    sample = ner["train"][0]
    assert set(sample) == {"id", "tokens", "ner_tags"}
    assert len(sample["tokens"]) == len(sample["ner_tags"])
    assert all(0 <= tag < len(data.NER_TAGS) for tag in sample["ner_tags"])
    assert set(data.summaries()["train"][0]) == {"document", "summary"}
    squad = qa.squad_like()
    row = squad["train"][0]
    assert set(row) == {"id", "title", "context", "question", "answers"}
    assert all(r["context"][r["answers"]["answer_start"][0]:].startswith(r["answers"]["text"][0])
               for rows in squad.values() for r in rows)
    assert not {r["context"] for r in squad["train"]} & {r["context"] for r in squad["validation"]}


def test_wordpiece_training_is_deterministic() -> None:
    """tokenizers' WordPiece trainer numbers its ## pieces in hash order (tokenizers#1794), so each
    run learned another vocabulary and the tiny BERT, sentiment and NER models changed with it."""
    splits = {"reviews": data.reviews(), "stories": data.stories(), "summaries": data.summaries(),
              "ner": data.ner()}
    texts = corpus_texts(splits)
    tokenizers = [wordpiece(texts, 4000) for _ in range(4)]
    assert len({tok.backend_tokenizer.to_str() for tok in tokenizers}) == 1, (
        "the WordPiece vocabulary differs between runs on the same texts")
    tok = tokenizers[0]
    assert sorted(tok.all_special_tokens) == ["[CLS]", "[MASK]", "[PAD]", "[SEP]", "[UNK]"]
    ids = tok("unbelievably", add_special_tokens=False).input_ids
    assert any(piece.startswith("##") for piece in tok.convert_ids_to_tokens(ids))
    assert tok.decode(ids, skip_special_tokens=True) == "unbelievably", (
        "## pieces must stay ordinary vocabulary, not special tokens that decoding drops")


# What the tiny models reach on the hand-written held-out sets today (issue 12's goals, in
# course.assets.heldout.GOALS, are higher): a build that falls below these has regressed.
HELD_OUT_FLOORS = {
    ("tiny-sentiment", "accuracy (hand-written reviews)"): 0.70,
    ("tiny-ner", "entity F1 (hand-written news)"): 0.30,
    ("tiny-bert", "sensible word in top 5 (held-out)"): 0.08,  # 0.098, 0.115; 0.016 before
    ("tiny-t5", "summarize prefix changes output (hand-written)"): 0.2,
    ("tiny-t5", "sentiment prefix changes output (hand-written)"): 0.5,
    ("tiny-t5", "summarize rouge1 (hand-written)"): 0.6,
    # 54 hand-written questions: 0.280 F1, 0.167 exact match; far from a real reader
    ("tiny-qa", "F1 (hand-written)"): 0.25,
    ("tiny-qa", "exact match (hand-written)"): 0.12,
    # 0.045 (2 of 44) as built: the sentiment questions, rarely anything else (see its card)
    ("tiny-chat", "right answers (hand-written instructions)"): 0.02,
}
PERPLEXITY_CEILING = 2000  # on everyday sentences; the template-trained GPT-2 before had 9572


def assert_held_out_floors(scores: dict[str, dict[str, float]]) -> None:
    low = {f"{repo}: {metric}": (scores[repo][metric], floor)
           for (repo, metric), floor in HELD_OUT_FLOORS.items() if scores[repo][metric] < floor}
    assert not low, f"held-out scores below their floors (score, floor): {low}"
    perplexity = scores["tiny-gpt2"]["perplexity (hand-written everyday sentences)"]
    assert perplexity < PERPLEXITY_CEILING, f"everyday perplexity {perplexity:.0f}"


def test_held_out_sets_are_as_large_as_promised_and_apart_from_the_generators() -> None:
    """The sizes issue 12 asks for, and no held-out sentence that a generator can write."""
    assert len(heldout.sentiment_set()) >= 150
    assert {label for _, label in heldout.sentiment_set()} == {"POSITIVE", "NEGATIVE"}
    assert len(heldout.ner_set()) >= 60 and len(heldout.fill_mask_set()) >= 60
    assert len(heldout.everyday_set()) >= 60
    assert len(heldout.qa_set()) >= 40
    assert all(any(answer in context for answer in answers) for context, _, answers in heldout.qa_set())
    assert {task: len(rows) >= 16 for task, rows in heldout.seq2seq_set().items()} == {
        "summarize": True, "sentiment": True}
    generated = {r["text"] for r in data.reviews()["train"]} | {
        s for r in data.stories()["train"] for s in sentences(r["text"])}
    written = ({t for t, _ in heldout.sentiment_set()} | set(heldout.everyday_set())
               | {t for t, _ in heldout.ner_set()})
    assert not generated & written, f"generated as well as held out: {generated & written}"


def test_no_held_out_entity_is_in_the_generated_ner_data() -> None:
    excluded = heldout.held_out_entities()
    assert {"Angela Merkel", "Berlin", "Merkel"} <= excluded
    splits = data.ner(excluded=excluded)
    words = {w for rows in splits.values() for r in rows for w in r["tokens"]}
    names = {text for _, found in heldout.ner_set() for text, _ in found}
    spans = {" ".join(r["tokens"]) for rows in splits.values() for r in rows}
    assert not words & {w for w in excluded if " " not in w}
    assert not [name for name in names if any(f" {name} " in f" {span} " for span in spans)
                and " " in name]


def test_the_lexicons_rate_words_as_people_do() -> None:
    assert len(lexicon.vader()) > 7000 and lexicon.vader()["wonderful"] > 2
    praise, fault = set(lexicon.polar_adjectives(1)), set(lexicon.polar_adjectives(-1))
    assert {"wonderful", "superb", "charming"} <= praise and {"awful", "dull"} <= fault
    assert not praise & fault and not (praise | fault) & lexicon.OFFENSIVE
    assert "VBD" in lexicon.parts_of_speech()["loved"]


def card_scores(cache: Path, repo: str) -> dict[str, float]:
    """The score table of a tiny model's card in `cache`."""
    card = (cache / f"models--{TINY_NAMESPACE}--{repo}" / "snapshots").glob("*/README.md")
    (text,) = [path.read_text() for path in card]
    rows = re.findall(r"^\| (.+?) \| (-?[0-9.]+) \|$", text, flags=re.MULTILINE)
    return {metric: float(value) for metric, value in rows}


def test_the_built_assets_are_current_cached_and_above_their_floors() -> None:
    """The cache that `make setup` built from these very sources (its stamp is their hash; a
    stale cache is rebuilt here first): every repo is there, each card's held-out scores pass
    their floors, and the cached check is instant. The build from an empty cache is `make
    setup`'s own, on every clean CI machine, so it is not run a second time here."""
    cache = default_hub_cache()
    ensure_assets(cache)
    start = time.perf_counter()
    assert ensure_assets(cache) == {} and time.perf_counter() - start < 1
    assert_held_out_floors({repo: card_scores(cache, repo) for repo in TINY_MODELS.values()})
    for name in TINY_DATASETS:
        assert (repo_folder(cache, "dataset", f"{TINY_NAMESPACE}/{name}") / "refs" / "main").exists()


def test_held_out_instructions_are_apart_from_the_generator() -> None:
    """At least 40 hand-written instructions, every task among them, none a generated prompt."""
    from course.assets.train_chat import instruction_set

    rows = instruction_set()
    assert len(rows) >= 40 and all(answers for _, answers in rows)
    generated = {r["prompt"] for rows in instructions.instructions().values() for r in rows}
    assert not generated & {text for text, _ in rows}


def test_instructions_answer_right_and_look_like_no_robots() -> None:
    rows = instructions.instructions()["train"]
    assert set(rows[0]) == {"prompt", "messages", "category"}
    assert {r["category"] for r in rows} == set(instructions.TASKS)
    assert all(r["messages"][-1]["role"] == "assistant" and r["messages"][-2]["content"] == r["prompt"]
               for r in rows)
    assert any(r["messages"][0]["role"] == "system" for r in rows)
    assert [instructions.plural(n) for n in ("cat", "box", "city", "key", "mouse")] == [
        "cats", "boxes", "cities", "keys", "mice"]


def test_tiny_causal_lm_tokenizer_has_chatml() -> None:
    """tiny-gpt2 and tiny-chat: <|im_start|> and <|im_end|> are single tokens (ids 1 and 2, as in
    SmolLM2's vocabulary), and the template renders ChatML with its default system turn."""
    from transformers import AutoTokenizer

    cache = default_hub_cache()
    ensure_assets(cache)
    folders = {repo: snapshot_dir(cache, "model", f"{TINY_NAMESPACE}/{repo}")
               for repo in ("tiny-gpt2", "tiny-chat")}
    for folder in folders.values():
        tok = AutoTokenizer.from_pretrained(folder)
        assert tok.convert_tokens_to_ids(instructions.CHAT_TOKENS) == [1, 2]
        text = tok.apply_chat_template([{"role": "user", "content": "Hi"}], tokenize=False,
                                       add_generation_prompt=True)
        assert text == (f"<|im_start|>system\n{instructions.DEFAULT_SYSTEM}<|im_end|>\n"
                        "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n")
        assert tok.decode(tok(text)["input_ids"], skip_special_tokens=True).count("im_") == 0
    assert AutoTokenizer.from_pretrained(folders["tiny-chat"]).eos_token == "<|im_end|>"
