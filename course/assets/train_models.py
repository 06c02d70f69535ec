"""Train the tiny models on the tiny datasets, small enough to take seconds on two CPU cores.

Each `train_*` function returns a `TinyModel`: the model, its tokenizer, and the scores it
reached on held-out data, which go into its model card.
"""
from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

import torch
from transformers import (BertConfig, BertForMaskedLM, BertForSequenceClassification,
                          BertForTokenClassification, DataCollatorForLanguageModeling,
                          GPT2Config, GPT2LMHeadModel, PreTrainedModel, PreTrainedTokenizerFast,
                          T5Config, T5ForConditionalGeneration)

from .data import NER_TAGS, Rows, Splits

BATCH = 16


@dataclass
class TinyModel:
    """A trained tiny model with what its card needs to say."""

    repo: str
    model: PreTrainedModel
    tokenizer: PreTrainedTokenizerFast
    dataset: str
    task: str
    scores: dict[str, float] = field(default_factory=dict)
    summary: str = ""


def _fit(model: PreTrainedModel, make_batch: Callable[[list], dict], rows: Rows,
         steps: int, lr: float, seed: int = 0, batch: int = BATCH) -> None:
    """A plain AdamW loop over random mini-batches of `rows`."""
    rng = random.Random(seed)
    torch.manual_seed(seed)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr, total_steps=steps,
                                                   pct_start=0.1)
    model.train()
    for _ in range(steps):
        loss = model(**make_batch(rng.sample(rows, batch))).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        schedule.step()
        optimizer.zero_grad()
    model.eval()


def _bert_config(tokenizer: PreTrainedTokenizerFast, **extra) -> BertConfig:
    return BertConfig(vocab_size=len(tokenizer), hidden_size=64, num_hidden_layers=2,
                      num_attention_heads=4, intermediate_size=256, max_position_embeddings=128,
                      pad_token_id=tokenizer.pad_token_id, **extra)


def train_bert_mlm(tokenizer: PreTrainedTokenizerFast, texts: list[str]) -> TinyModel:
    """A masked language model over all the course's texts; the base for fine-tuning."""
    torch.manual_seed(0)
    model = BertForMaskedLM(_bert_config(tokenizer))
    collator = DataCollatorForLanguageModeling(tokenizer, mlm_probability=0.15)
    rows = [{"text": t} for t in texts]

    def make_batch(sample: Rows) -> dict:
        return collator([tokenizer(r["text"], truncation=True) for r in sample])

    _fit(model, make_batch, rows, steps=600, lr=3e-3)
    torch.manual_seed(1)
    held_out = make_batch(random.Random(1).sample(rows, 256))
    with torch.no_grad():
        logits = model(**held_out).logits
    masked = held_out["labels"] != -100
    accuracy = (logits.argmax(-1)[masked] == held_out["labels"][masked]).float().mean().item()
    return TinyModel("tiny-bert", model, tokenizer, "reviews, stories, summaries, ner", "fill-mask",
                     {"masked-token accuracy": accuracy},
                     "A 2-layer BERT-style masked language model (hidden size 64).")


def _texts_and_labels(tokenizer: PreTrainedTokenizerFast, sample: Rows) -> dict:
    encoded = tokenizer([r["text"] for r in sample], padding=True, truncation=True,
                        return_tensors="pt")
    encoded["labels"] = torch.tensor([r["label"] for r in sample])
    return encoded


def train_sentiment(base: TinyModel, reviews: Splits) -> TinyModel:
    """Fine-tune the tiny BERT on the reviews: NEGATIVE / POSITIVE, like the SST-2 DistilBERT."""
    tok = base.tokenizer
    model = BertForSequenceClassification(_bert_config(
        tok, id2label={0: "NEGATIVE", 1: "POSITIVE"}, label2id={"NEGATIVE": 0, "POSITIVE": 1}))
    model.bert.load_state_dict(base.model.bert.state_dict(), strict=False)
    _fit(model, lambda s: _texts_and_labels(tok, s), reviews["train"], steps=400, lr=1e-3,
         batch=32)
    test = _texts_and_labels(tok, reviews["test"])
    labels = test.pop("labels")
    with torch.no_grad():
        predictions = model(**test).logits.argmax(-1)
    accuracy = (predictions == labels).float().mean().item()
    return TinyModel("tiny-sentiment", model, tok, "reviews", "text-classification",
                     {"test accuracy": accuracy},
                     "tiny-bert fine-tuned to tell negative (0) from positive (1) reviews, "
                     "including negations and mixed sentences.")


def _tokens_and_tags(tokenizer: PreTrainedTokenizerFast, sample: Rows) -> dict:
    """Label the first piece of each word, -100 elsewhere (the usual alignment)."""
    encoded = tokenizer([r["tokens"] for r in sample], is_split_into_words=True, padding=True,
                        truncation=True, return_tensors="pt")
    labels = []
    for i, row in enumerate(sample):
        previous, aligned = None, []
        for word in encoded.word_ids(i):
            aligned.append(-100 if word is None or word == previous else row["ner_tags"][word])
            previous = word
        labels.append(aligned)
    encoded["labels"] = torch.tensor(labels)
    return encoded


def train_ner(base: TinyModel, ner: Splits) -> TinyModel:
    """Fine-tune the tiny BERT for PER/ORG/LOC token classification."""
    tok = base.tokenizer
    model = BertForTokenClassification(_bert_config(
        tok, id2label=dict(enumerate(NER_TAGS)), label2id={t: i for i, t in enumerate(NER_TAGS)}))
    model.bert.load_state_dict(base.model.bert.state_dict(), strict=False)
    _fit(model, lambda s: _tokens_and_tags(tok, s), ner["train"], steps=200, lr=3e-3)
    test = _tokens_and_tags(tok, ner["test"])
    labels = test.pop("labels")
    with torch.no_grad():
        predictions = model(**test).logits.argmax(-1)
    scored = labels != -100
    accuracy = (predictions[scored] == labels[scored]).float().mean().item()
    return TinyModel("tiny-ner", model, tok, "ner", "token-classification",
                     {"test token accuracy": accuracy},
                     "tiny-bert fine-tuned to tag people, organisations and places (IOB2).")


def train_gpt2(tokenizer: PreTrainedTokenizerFast, stories: Splits) -> TinyModel:
    """A 2-layer GPT-2 trained on the tiny stories."""
    torch.manual_seed(0)
    model = GPT2LMHeadModel(GPT2Config(
        vocab_size=len(tokenizer), n_positions=128, n_embd=64, n_layer=2, n_head=4,
        bos_token_id=tokenizer.eos_token_id, eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.eos_token_id))

    def make_batch(sample: Rows) -> dict:
        encoded = tokenizer([r["text"] + tokenizer.eos_token for r in sample], padding=True,
                            truncation=True, return_tensors="pt")
        encoded["labels"] = encoded["input_ids"].masked_fill(encoded["attention_mask"] == 0, -100)
        return encoded

    _fit(model, make_batch, stories["train"], steps=250, lr=4e-3)
    held_out = make_batch(stories["validation"][:256])
    with torch.no_grad():
        loss = model(**held_out).loss.item()
    return TinyModel("tiny-gpt2", model, tokenizer, "stories", "text-generation",
                     {"validation perplexity": float(torch.exp(torch.tensor(loss)))},
                     "A 2-layer GPT-2-style causal language model (hidden size 64).")


SUMMARY_PREFIX = "summarize: "


def train_t5(tokenizer: PreTrainedTokenizerFast, summaries: Splits) -> TinyModel:
    """A 2+2-layer T5 trained to write one-line summaries ("summarize: " prefix, as T5 does)."""
    torch.manual_seed(0)
    model = T5ForConditionalGeneration(T5Config(
        vocab_size=len(tokenizer), d_model=64, d_kv=16, d_ff=256, num_layers=2,
        num_decoder_layers=2, num_heads=4, pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id, decoder_start_token_id=tokenizer.pad_token_id))

    def make_batch(sample: Rows) -> dict:
        encoded = tokenizer([SUMMARY_PREFIX + r["document"] for r in sample], padding=True,
                            truncation=True, return_tensors="pt")
        target = tokenizer(text_target=[r["summary"] for r in sample], padding=True,
                           return_tensors="pt")["input_ids"]
        encoded["labels"] = target.masked_fill(target == tokenizer.pad_token_id, -100)
        return encoded

    _fit(model, make_batch, summaries["train"], steps=300, lr=5e-3, batch=32)
    test = summaries["test"][:64]
    inputs = tokenizer([SUMMARY_PREFIX + r["document"] for r in test], padding=True,
                       return_tensors="pt")
    with torch.no_grad():
        out = model.generate(**inputs, max_new_tokens=32, num_beams=1, do_sample=False)
    predicted = tokenizer.batch_decode(out, skip_special_tokens=True)
    exact = sum(p.strip() == r["summary"] for p, r in zip(predicted, test)) / len(test)
    return TinyModel("tiny-t5", model, tokenizer, "summaries", "summarization",
                     {"test exact match": exact},
                     "A 2+2-layer T5-style encoder-decoder that writes one-line review summaries.")
