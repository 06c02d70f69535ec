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
card: O, B-MISC ... I-LOC in CoNLL order; rotten_tomatoes' card: neg, pos).
"""
from __future__ import annotations

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


@dataclass(frozen=True)
class DatasetReplica:
    repo_id: str
    source: str  # the tiny dataset whose rows fill it
    layout: dict[str, str]  # split -> parquet path in the repo (or in `revision` below)
    rows: int = 2000  # per split: enough for the slices the notebooks take
    script: str = ""  # a loading script the real main branch ships (datasets >= 4 refuses it)
    revision: str = ""  # where the parquet files live when main has only the script
    numbered: bool = False  # the real rows have an "id" column the tiny ones lack
    features: dict = field(default_factory=dict)  # column -> feature where the tiny one differs

    def schema(self, tiny: datasets.DatasetDict) -> datasets.DatasetDict:
        """The tiny rows in the real columns and features (the tiny label names are a prefix
        of the real ones, so the labels keep their meaning)."""
        if self.numbered:
            tiny = datasets.DatasetDict({split: part.add_column(
                "id", [str(i) for i in range(part.num_rows)]) for split, part in tiny.items()})
        for column, feature in self.features.items():
            tiny = tiny.cast_column(column, feature)
        return tiny


BERT_FILES = ("config.json", "model.safetensors", "tokenizer_config.json", "vocab.txt")
MODELS = (
    ModelReplica("distilbert/distilbert-base-uncased-finetuned-sst-2-english",
                 "DistilBertForSequenceClassification", "wordpiece-uncased", BERT_FILES,
                 {"id2label": {"0": "NEGATIVE", "1": "POSITIVE"},
                  "finetuning_task": "sst-2"}),
    ModelReplica("distilbert/distilbert-base-uncased", "DistilBertForMaskedLM",
                 "wordpiece-uncased", BERT_FILES + ("tokenizer.json",)),
    ModelReplica("google-bert/bert-base-cased", "BertForMaskedLM", "wordpiece-cased",
                 BERT_FILES + ("tokenizer.json",)),
    ModelReplica("dslim/bert-base-NER", "BertForTokenClassification", "wordpiece-cased",
                 BERT_FILES,
                 {"id2label": dict(enumerate(DSLIM_TAGS))}),
    ModelReplica("distilbert/distilbert-base-cased-distilled-squad",
                 "DistilBertForQuestionAnswering", "wordpiece-cased",
                 BERT_FILES + ("tokenizer.json",)),
    ModelReplica("openai-community/gpt2", "GPT2LMHeadModel", "byte-level",
                 ("config.json", "generation_config.json", "model.safetensors", "merges.txt",
                  "tokenizer.json", "tokenizer_config.json", "vocab.json"),
                 {"task_specific_params": {"text-generation": {"do_sample": True,
                                                               "max_length": 50}}},
                 # the commit the huggingface_hub download guide shows (chapter 09 pins it)
                 history=("11c5a3d5811f50298f278a704980280950aedb10",)),
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
                                              "prefix": "translate English to German: "}}}),
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
                   numbered=True),
    # SQuAD v1.1 as its parquet conversion lays it out (one folder per configuration)
    DatasetReplica("rajpurkar/squad", "qa",
                   {s: f"plain_text/{s}-00000-of-00001.parquet" for s in ("train", "validation")}),
    # pos_tags and chunk_tags are left out: no chapter reads them, and the tiny data has none
    DatasetReplica("lhoestq/conll2003", "ner",
                   {s: f"data/{s}-00000-of-00001.parquet" for s in ("train", "validation", "test")},
                   features={"ner_tags": datasets.List(datasets.ClassLabel(names=CONLL_TAGS))}),
)

