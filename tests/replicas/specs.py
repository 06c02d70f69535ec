"""What each full-profile repo's replica copies from the real one, and where each fact came from.

A replica keeps the real repo's id, architecture class and the configuration facts that code
reads (hidden sizes, heads, positions, label maps, task parameters), its tokenizer class, casing
and special tokens, its file layout, and, for a dataset, its splits, columns and features. It
differs in what cannot travel offline or would not run on two cores: the layers are cut to
`LAYERS`, the vocabularies are small ones trained on the course's own text, the weights are
random, and the data are a few hundred rows of the tiny profile's generated text.

Sources, by key: `config` - transformers 5.24's configuration defaults, which its docstrings
give as the named checkpoint's (`DistilBertConfig`: distilbert-base-uncased, `BertConfig`:
google-bert/bert-base-uncased, `GPT2Config`: openai-community/gpt2, `T5Config`:
google-t5/t5-small), with what the model cards and the Hugging Face course show on top; `files`
- each repo's "Files and versions" page; `labels` - the model cards and dataset cards (dslim's
card: O, B-MISC ... I-LOC in CoNLL order; rotten_tomatoes' card: neg, pos). SmolLM2 and
no_robots, whose facts transformers has no defaults for, say beside their entries below which
facts were confirmed, where, and which were assumed.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

import datasets

LAYERS = 2  # every replica's depth: the real ones have 6 (DistilBERT, T5-small) or 12
CONLL_TAGS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]
# dslim/bert-base-NER's config.json orders its labels as its training script read them.
DSLIM_TAGS = ["O", "B-MISC", "I-MISC", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"]


@dataclass(frozen=True)
class ModelReplica:
    repo_id: str
    architecture: str  # the transformers class in config.json's `architectures`
    tokenizer: str  # "wordpiece-uncased" | "wordpiece-cased" | "byte-level" | "unigram"
    files: tuple[str, ...]  # the real repo's files that transformers reads (weights as safetensors)
    config: dict = field(default_factory=dict)  # real facts beyond the class defaults
    history: tuple[str, ...] = ()  # real commit hashes that notebooks pin, oldest first
    special: tuple[str, ...] = ("<|endoftext|>",)  # byte-level: the special tokens, ids 0, 1, ...
    tokens: dict = field(default_factory=dict)  # tokenizer_config.json's facts: length, tokens ...
    card: dict = field(default_factory=dict)  # the model card's metadata that chapters read


def numbered(part: datasets.Dataset) -> datasets.Dataset:
    """The real rows' "id" column, which the tiny ones lack."""
    return part.add_column("id", [str(i) for i in range(part.num_rows)])


def with_prompt_ids(part: datasets.Dataset) -> datasets.Dataset:
    """no_robots' `prompt_id` beside `prompt`: a sha256 hex digest, here of the prompt."""
    ids = [hashlib.sha256(prompt.encode()).hexdigest() for prompt in part["prompt"]]
    return part.add_column("prompt_id", ids).select_columns(
        ["prompt", "prompt_id", "messages", "category"])


def long_contexts(part: datasets.Dataset, every: int = 20, joined: int = 8) -> datasets.Dataset:
    """Every `every`-th row's context as `joined` tiny contexts in a row, its own among them
    (at a place that moves from row to row) and `answer_start` shifted to stay on the answer."""
    contexts = part["context"]

    def join(row: dict, i: int) -> dict:
        if i % every != every - 1:
            return row
        others = [contexts[(i + k) % len(contexts)] for k in range(1, joined)]
        place = (i // every) % joined
        shift = sum(len(context) + 1 for context in others[:place])
        return {**row, "context": " ".join(others[:place] + [row["context"]] + others[place:]),
                "answers": {"text": row["answers"]["text"],
                            "answer_start": [start + shift
                                             for start in row["answers"]["answer_start"]]}}

    return part.map(join, with_indices=True, features=part.features)


@dataclass(frozen=True)
class DatasetReplica:
    repo_id: str
    source: str  # the tiny dataset whose rows fill it
    layout: dict[str, str]  # split -> parquet path in the repo (or in `revision` below)
    rows: int = 2000  # per split: enough for the slices the notebooks take
    script: str = ""  # a loading script the real main branch ships (datasets >= 4 refuses it)
    revision: str = ""  # where the parquet files live when main has only the script
    derive: Callable[[datasets.Dataset], datasets.Dataset] | None = None  # real-only columns/rows
    features: dict = field(default_factory=dict)  # column -> feature where the tiny one differs

    def schema(self, tiny: datasets.DatasetDict) -> datasets.DatasetDict:
        """The tiny rows in the real columns and features (the tiny label names are a prefix
        of the real ones, so the labels keep their meaning)."""
        if self.derive:
            tiny = datasets.DatasetDict({split: self.derive(part) for split, part in tiny.items()})
        for column, feature in self.features.items():
            tiny = tiny.cast_column(column, feature)
        return tiny

# SmolLM2 (confirmed: the Hub's "Files and versions" pages of both repos for the files; their
# config.json as quoted in derived repos' commits and in users' printouts of AutoConfig for the
# LlamaConfig facts: hidden 576, intermediate 1536, 9 heads of 64, 3 KV heads, rope_theta 100000,
# max positions 8192, rms_norm_eps 1e-5, initializer_range 1/24, tied embeddings; bos/eos 0/0 in
# the base, bos 1, eos 2, pad 2 in Instruct; tokenizer_config.json of SmolLM2 derivatives for the
# 17 special tokens at ids 0-16; the Instruct template as GGUF exports quote it verbatim).
# Assumed: the base tokenizer names <|endoftext|> as bos, eos and unk and has no chat template;
# Instruct's special-token roles (bos <|im_start|>, eos and pad <|im_end|>, unk <|endoftext|>).
SMOLLM2_SPECIAL = ("<|endoftext|>", "<|im_start|>", "<|im_end|>", "<repo_name>", "<reponame>",
                   "<file_sep>", "<filename>", "<gh_stars>", "<issue_start>", "<issue_comment>",
                   "<issue_closed>", "<jupyter_start>", "<jupyter_text>", "<jupyter_code>",
                   "<jupyter_output>", "<jupyter_script>", "<empty_output>")
SMOLLM2_CHAT_TEMPLATE = (
    "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}"
    "{{ '<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging "
    "Face<|im_end|>\n' }}{% endif %}{{'<|im_start|>' + message['role'] + '\n' + "
    "message['content'] + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}"
    "{{ '<|im_start|>assistant\n' }}{% endif %}")
SMOLLM2_CONFIG = {"hidden_size": 576, "intermediate_size": 1536, "num_attention_heads": 9,
                  "num_key_value_heads": 3, "head_dim": 64, "hidden_act": "silu",
                  "max_position_embeddings": 8192, "rms_norm_eps": 1e-5,
                  "initializer_range": 0.041666666666666664, "tie_word_embeddings": True,
                  "rope_parameters": {"rope_type": "default", "rope_theta": 100000.0}}
SMOLLM2_FILES = ("config.json", "generation_config.json", "merges.txt", "model.safetensors",
                 "special_tokens_map.json", "tokenizer.json", "tokenizer_config.json", "vocab.json")

BERT_FILES = ("config.json", "model.safetensors", "tokenizer_config.json", "vocab.txt")
# The longest input each tokenizer_config.json gives (what `tokenizer.model_max_length` reads;
# without it, transformers answers 1e30): 512 for the BERT family and T5-small, 1024 for GPT-2, as
# transformers 4's `max_model_input_sizes` tables for these checkpoints had them (dslim's is its
# base's, bert-base-cased: assumed).
LENGTH_512 = {"model_max_length": 512}
MODELS = (
    ModelReplica("distilbert/distilbert-base-uncased-finetuned-sst-2-english",
                 "DistilBertForSequenceClassification", "wordpiece-uncased", BERT_FILES,
                 {"id2label": {"0": "NEGATIVE", "1": "POSITIVE"},
                  "finetuning_task": "sst-2"}, tokens=LENGTH_512,
                 # the card's metadata at commit 1f4bc97 ("Librarian Bot: Update Hugging Face
                 # dataset ID"), its model-index (eval results) left out
                 card={"language": "en", "license": "apache-2.0",
                       "datasets": ["sst2", "nyu-mll/glue"]}),
    ModelReplica("distilbert/distilbert-base-uncased", "DistilBertForMaskedLM",
                 "wordpiece-uncased", BERT_FILES + ("tokenizer.json",), tokens=LENGTH_512),
    ModelReplica("google-bert/bert-base-cased", "BertForMaskedLM", "wordpiece-cased",
                 BERT_FILES + ("tokenizer.json",), tokens=LENGTH_512),
    ModelReplica("dslim/bert-base-NER", "BertForTokenClassification", "wordpiece-cased",
                 BERT_FILES,
                 {"id2label": dict(enumerate(DSLIM_TAGS))}, tokens=LENGTH_512),
    ModelReplica("distilbert/distilbert-base-cased-distilled-squad",
                 "DistilBertForQuestionAnswering", "wordpiece-cased",
                 BERT_FILES + ("tokenizer.json",), tokens=LENGTH_512),
    ModelReplica("openai-community/gpt2", "GPT2LMHeadModel", "byte-level",
                 ("config.json", "generation_config.json", "model.safetensors", "merges.txt",
                  "tokenizer.json", "tokenizer_config.json", "vocab.json"),
                 {"task_specific_params": {"text-generation": {"do_sample": True,
                                                               "max_length": 50}}},
                 # the commit the huggingface_hub download guide shows (chapter 09 pins it)
                 history=("11c5a3d5811f50298f278a704980280950aedb10",),
                 tokens={"model_max_length": 1024}),
    ModelReplica("google-t5/t5-small", "T5ForConditionalGeneration", "unigram",
                 ("config.json", "generation_config.json", "model.safetensors",
                  "tokenizer.json", "tokenizer_config.json"),
                 {"task_specific_params": {
                     "summarization": {"early_stopping": True, "length_penalty": 2.0,
                                       "max_length": 200, "min_length": 30,
                                       "no_repeat_ngram_size": 3, "num_beams": 4,
                                       "prefix": "summarize: "},
                     "translation_en_to_de": {"early_stopping": True, "max_length": 300,
                                              "num_beams": 4,
                                              "prefix": "translate English to German: "}}},
                 tokens=LENGTH_512),
    ModelReplica("HuggingFaceTB/SmolLM2-135M", "LlamaForCausalLM", "byte-level", SMOLLM2_FILES,
                 {**SMOLLM2_CONFIG, "bos_token_id": 0, "eos_token_id": 0},
                 special=SMOLLM2_SPECIAL,
                 tokens={"bos_token": "<|endoftext|>", "eos_token": "<|endoftext|>",
                         "unk_token": "<|endoftext|>", "extra_special_tokens": SMOLLM2_SPECIAL,
                         "model_max_length": 8192}),
    ModelReplica("HuggingFaceTB/SmolLM2-135M-Instruct", "LlamaForCausalLM", "byte-level",
                 SMOLLM2_FILES,
                 {**SMOLLM2_CONFIG, "bos_token_id": 1, "eos_token_id": 2, "pad_token_id": 2},
                 special=SMOLLM2_SPECIAL,
                 tokens={"bos_token": "<|im_start|>", "eos_token": "<|im_end|>",
                         "unk_token": "<|endoftext|>", "pad_token": "<|im_end|>",
                         "extra_special_tokens": SMOLLM2_SPECIAL[1:3], "model_max_length": 8192,
                         "chat_template": SMOLLM2_CHAT_TEMPLATE}),
)

DATASETS = (
    DatasetReplica("cornell-movie-review-data/rotten_tomatoes", "reviews",
                   {s: f"{s}.parquet" for s in ("train", "validation", "test")}),
    DatasetReplica("roneneldan/TinyStories", "stories",
                   # the real shards' names carry a hash and a count; the folder and prefixes hold
                   {"train": "data/train-00000-of-00001.parquet",
                    "validation": "data/validation-00000-of-00001.parquet"}),
    DatasetReplica("EdinburghNLP/xsum", "summaries",
                   {s: f"default/{s}/0000.parquet" for s in ("train", "validation", "test")},
                   script="xsum.py", revision="refs/convert/parquet",
                   derive=numbered),
    # SQuAD v1.1 as its parquet conversion lays it out (one folder per configuration). Its
    # Wikipedia paragraphs run past a 384-token window now and then (the reason for the stride
    # the QA chapters teach); the tiny contexts are a few sentences, so `long_contexts` joins
    # some. 4000 rows: the full profile fine-tunes on 4000 questions (the real train has 87,599).
    DatasetReplica("rajpurkar/squad", "qa",
                   {s: f"plain_text/{s}-00000-of-00001.parquet" for s in ("train", "validation")},
                   rows=4000, derive=long_contexts),
    # pos_tags and chunk_tags are left out: no chapter reads them, and the tiny data has none
    DatasetReplica("lhoestq/conll2003", "ner",
                   {s: f"data/{s}-00000-of-00001.parquet" for s in ("train", "validation", "test")},
                   features={"ner_tags": datasets.List(datasets.ClassLabel(names=CONLL_TAGS))}),
    # no_robots (confirmed: its card's dataset_info for the columns, features and splits, train
    # 9,500 and test 500, the data_files globs data/train-* and data/test-*; the viewer's split
    # names). Assumed: one shard a split named as datasets' push_to_hub names it; prompt_id as a
    # sha256 hex digest of the prompt (the real ones are 64 hex digits; of what is not said).
    DatasetReplica("HuggingFaceH4/no_robots", "instructions",
                   {s: f"data/{s}-00000-of-00001.parquet" for s in ("train", "test")},
                   derive=with_prompt_ids),
)

