"""Train the tiny models on the tiny datasets, each in under a minute on one CPU core.

Each `train_*` function returns a `TinyModel`: the model, its tokenizer, its scores on the
generated test split and on the hand-written held-out sets (`heldout`), for its model card.
All of them go through one loop, `fit`.
"""
from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import torch
from transformers import (BertConfig, BertForMaskedLM, BertForSequenceClassification,
                          BertForTokenClassification, GPT2Config, GPT2LMHeadModel,
                          PreTrainedModel, PreTrainedTokenizerFast, T5Config,
                          T5ForConditionalGeneration)

from . import heldout, lexicon
from .data import NER_TAGS, Rows, Splits

Batch = dict[str, torch.Tensor]
TASK_PREFIXES = {"summarize": "summarize: ", "sentiment": "sentiment: "}  # as T5 names tasks
SENTIMENT_WORDS = ["negative", "positive"]
# For the models that train for so few steps that dropout only slows them (issue 12).
NO_DROPOUT = {"hidden_dropout_prob": 0.0, "attention_probs_dropout_prob": 0.0}


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


def fit(model: PreTrainedModel, make_batch: Callable[[Rows], Batch], rows: Rows, steps: int,
        lr: float, batch: int = 32, seed: int = 0,
        loss: Callable[[PreTrainedModel, Batch], torch.Tensor] | None = None) -> None:
    """AdamW with a one-cycle schedule over random mini-batches of `rows`; `loss(model, batch)`
    replaces the model's own loss where given."""
    rng = random.Random(seed)
    torch.manual_seed(seed)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr, total_steps=steps,
                                                   pct_start=0.1)
    model.train()
    for _ in range(steps):
        inputs = make_batch(rng.sample(rows, batch))
        (loss(model, inputs) if loss else model(**inputs).loss).backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        schedule.step()
        optimizer.zero_grad()
    model.eval()


def _bert_config(tokenizer: PreTrainedTokenizerFast, **extra) -> BertConfig:
    return BertConfig(vocab_size=len(tokenizer), hidden_size=96, num_hidden_layers=2,
                      num_attention_heads=4, intermediate_size=384, max_position_embeddings=128,
                      pad_token_id=tokenizer.pad_token_id, **extra)


def sentences(text: str) -> list[str]:
    return re.split(r"(?<=[.!?])\s+", text)


def _masked_loss(model: BertForMaskedLM, inputs: Batch) -> torch.Tensor:
    """The masked-LM loss with the output layer run on the masked positions only."""
    labels = inputs.pop("labels")
    masked = labels != -100
    hidden = model.bert(**inputs).last_hidden_state[masked]
    return torch.nn.functional.cross_entropy(model.cls(hidden), labels[masked])


def _word_rows(tokenizer: PreTrainedTokenizerFast, texts: list[str]) -> Rows:
    """One row per sentence: its token ids, and each word's token positions with whether it
    is a content word (not one of English's most frequent words)."""
    frequent = lexicon.function_words()
    rows = []
    for sentence in (s for text in texts for s in sentences(text)):
        encoded = tokenizer(sentence, truncation=True, return_offsets_mapping=True)
        spans: dict[int, list[int]] = {}
        for position, word in enumerate(encoded.word_ids()):
            if word is not None:
                spans.setdefault(word, []).append(position)
        words = []
        for positions in spans.values():
            word = sentence[encoded["offset_mapping"][positions[0]][0]:
                            encoded["offset_mapping"][positions[-1]][1]].lower()
            words.append((positions, word.isalpha() and word not in frequent))
        rows.append({"input_ids": encoded["input_ids"], "words": words})
    return rows


def whole_word_masks(tokenizer: PreTrainedTokenizerFast, rng: random.Random,
                     content: float = 0.3, other: float = 0.03) -> Callable[[Rows], Batch]:
    """A batch maker that masks whole words, a `content` share of the content words and an
    `other` share of the rest (at least one word a sentence), every piece with [MASK].

    A fill-mask question asks for a content word; masking the words ("the", ".") that the
    default 15% of random tokens mostly picks taught the small model little else (issue 12)."""
    def make_batch(sample: Rows) -> Batch:
        ids, labels = [], []
        for row in sample:
            chosen = [p for p, is_content in row["words"]
                      if rng.random() < (content if is_content else other)]
            if not chosen:
                chosen = [rng.choice([p for p, c in row["words"] if c] or
                                     [p for p, _ in row["words"]])]
            row_ids, row_labels = list(row["input_ids"]), [-100] * len(row["input_ids"])
            for position in (p for positions in chosen for p in positions):
                row_labels[position] = row_ids[position]
                row_ids[position] = tokenizer.mask_token_id
            ids.append(row_ids)
            labels.append(row_labels)
        width = max(map(len, ids))
        return {"input_ids": torch.tensor([i + [tokenizer.pad_token_id] * (width - len(i))
                                           for i in ids]),
                "attention_mask": torch.tensor([[1] * len(i) + [0] * (width - len(i))
                                                for i in ids]),
                "labels": torch.tensor([l + [-100] * (width - len(l)) for l in labels])}

    return make_batch


def train_bert_mlm(tokenizer: PreTrainedTokenizerFast, texts: list[str]) -> TinyModel:
    """A masked language model over the course's sentences; the base for fine-tuning.
    Whole-word masks of content words, lr 3e-3 and no dropout: on bench/dev/fill_mask.tsv a
    sensible word in the top 5 went from 0.04 to 0.07 (the mean of two seeds; issue 12)."""
    torch.manual_seed(0)
    model = BertForMaskedLM(_bert_config(tokenizer, **NO_DROPOUT))
    rows = _word_rows(tokenizer, texts)
    fit(model, whole_word_masks(tokenizer, random.Random(0)), rows, steps=700, lr=3e-3,
        loss=_masked_loss)
    held_out = whole_word_masks(tokenizer, random.Random(1))(random.Random(1).sample(rows, 512))
    with torch.no_grad():
        logits = model(**{k: v for k, v in held_out.items() if k != "labels"}).logits
    masked = held_out["labels"] != -100
    accuracy = (logits.argmax(-1)[masked] == held_out["labels"][masked]).float().mean().item()
    return TinyModel("tiny-bert", model, tokenizer, "stories, reviews", "fill-mask",
                     {"masked-word accuracy (generated)": accuracy,
                      "sensible word in top 5 (held-out)": heldout.score_fill_mask(model, tokenizer)},
                     "A 2-layer BERT-style masked language model (hidden size 96), trained to "
                     "fill in masked whole words, content words mostly.")


def _texts_and_labels(tokenizer: PreTrainedTokenizerFast, sample: Rows) -> Batch:
    encoded = tokenizer([r["text"] for r in sample], padding=True, truncation=True,
                        return_tensors="pt")
    encoded["labels"] = torch.tensor([r["label"] for r in sample])
    return encoded


def _accuracy(model: PreTrainedModel, batch: Batch, labels: torch.Tensor) -> float:
    with torch.no_grad():
        predictions = model(**batch).logits.argmax(-1)
    scored = labels != -100
    return (predictions[scored] == labels[scored]).float().mean().item()


def start_from_ratings(embeddings: torch.nn.Embedding, tokenizer: PreTrainedTokenizerFast
                       ) -> None:
    """Give every whole-word token that vader's raters scored a start on dimension 0: its
    rating (-4 to +4) over 4. Training moves on from there; the words a review set never
    shows keep what people said of them."""
    ratings = lexicon.vader()
    with torch.no_grad():
        for token, index in tokenizer.get_vocab().items():
            if token in ratings:
                embeddings.weight[index, 0] = ratings[token] / 4


def train_sentiment(tokenizer: PreTrainedTokenizerFast, reviews: Splits) -> TinyModel:
    """A classifier of reviews, NEGATIVE / POSITIVE, like the SST-2 DistilBERT."""
    torch.manual_seed(0)
    model = BertForSequenceClassification(_bert_config(
        tokenizer, id2label={0: "NEGATIVE", 1: "POSITIVE"},
        label2id={"NEGATIVE": 0, "POSITIVE": 1}))
    start_from_ratings(model.bert.embeddings.word_embeddings, tokenizer)
    fit(model, lambda s: _texts_and_labels(tokenizer, s), reviews["train"], steps=600, lr=1e-3)
    test = _texts_and_labels(tokenizer, reviews["test"])
    return TinyModel("tiny-sentiment", model, tokenizer, "reviews", "text-classification",
                     {"accuracy (generated test split)": _accuracy(model, test, test.pop("labels")),
                      "accuracy (hand-written reviews)": heldout.score_sentiment(model, tokenizer)},
                     "A 2-layer BERT-style classifier that tells negative from positive reviews, "
                     "negations and contrasts included. One dimension of its word embeddings "
                     "starts at each word's vader rating, so words the reviews never use keep "
                     "the sentiment people gave them.")


def _tokens_and_tags(tokenizer: PreTrainedTokenizerFast, sample: Rows) -> Batch:
    """Label every piece of a word: the first with the word's tag, the others with its I- tag
    (B-PER "Kow" I-PER "##alczyk"), so that the pipeline's grouping of pieces holds up."""
    encoded = tokenizer([r["tokens"] for r in sample], is_split_into_words=True, padding=True,
                        truncation=True, return_tensors="pt")
    labels = []
    for i, row in enumerate(sample):
        previous, aligned = None, []
        for word in encoded.word_ids(i):
            if word is None:
                aligned.append(-100)
            else:
                tag = NER_TAGS[row["ner_tags"][word]]
                aligned.append(NER_TAGS.index("I-" + tag[2:] if word == previous and tag != "O"
                                              else tag))
            previous = word
        labels.append(aligned)
    encoded["labels"] = torch.tensor(labels)
    return encoded


def train_ner(tokenizer: PreTrainedTokenizerFast, ner: Splits) -> TinyModel:
    """A cased token classifier for people, organisations and places (IOB2, CoNLL tags)."""
    torch.manual_seed(0)
    model = BertForTokenClassification(_bert_config(
        tokenizer, id2label=dict(enumerate(NER_TAGS)),
        label2id={t: i for i, t in enumerate(NER_TAGS)}, **NO_DROPOUT))
    fit(model, lambda s: _tokens_and_tags(tokenizer, s), ner["train"], steps=600, lr=3e-3)
    test = _tokens_and_tags(tokenizer, ner["test"])
    return TinyModel("tiny-ner", model, tokenizer, "ner", "token-classification",
                     {"token accuracy (generated test split)": _accuracy(model, test,
                                                                          test.pop("labels")),
                      "entity F1 (hand-written news)": heldout.score_ner(model, tokenizer)},
                     "A 2-layer cased BERT-style tagger of people, organisations and places.")


def train_gpt2(tokenizer: PreTrainedTokenizerFast, stories: Splits) -> TinyModel:
    """A 2-layer GPT-2 trained on the stories and everyday sentences."""
    torch.manual_seed(0)
    model = GPT2LMHeadModel(GPT2Config(
        vocab_size=len(tokenizer), n_positions=128, n_embd=96, n_layer=2, n_head=4,
        bos_token_id=tokenizer.eos_token_id, eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.eos_token_id))

    def make_batch(sample: Rows) -> Batch:
        encoded = tokenizer([tokenizer.eos_token + r["text"] + tokenizer.eos_token
                             for r in sample], padding=True, truncation=True, max_length=64,
                            return_tensors="pt")
        encoded["labels"] = encoded["input_ids"].masked_fill(encoded["attention_mask"] == 0, -100)
        return encoded

    fit(model, make_batch, stories["train"], steps=350, lr=2e-3, batch=16)
    with torch.no_grad():
        loss = model(**make_batch(stories["validation"][:256])).loss.item()
    return TinyModel("tiny-gpt2", model, tokenizer, "stories", "text-generation",
                     {"perplexity (generated validation split)": float(torch.tensor(loss).exp()),
                      "perplexity (hand-written everyday sentences)":
                          heldout.perplexity(model, tokenizer)},
                     "A 2-layer GPT-2-style causal language model (hidden size 96).")


def seq2seq_rows(summaries: Splits, reviews: Splits, split: str) -> Rows:
    """(input with its task prefix, target) rows for both of the T5's tasks, mixed: every
    summary document, and half as many reviews for sentiment."""
    rows = [{"input": TASK_PREFIXES["summarize"] + r["document"], "target": r["summary"]}
            for r in summaries[split]]
    rows += [{"input": TASK_PREFIXES["sentiment"] + r["text"],
              "target": SENTIMENT_WORDS[r["label"]]} for r in reviews[split][:len(rows) // 2]]
    random.Random(0).shuffle(rows)
    return rows


def train_t5(tokenizer: PreTrainedTokenizerFast, summaries: Splits, reviews: Splits) -> TinyModel:
    """A 2+2-layer T5 with two tasks, each named by its prefix as T5 does: "summarize: " writes
    a one-line summary, "sentiment: " answers positive or negative."""
    torch.manual_seed(0)
    model = T5ForConditionalGeneration(T5Config(
        vocab_size=len(tokenizer), d_model=64, d_kv=16, d_ff=256, num_layers=2,
        num_decoder_layers=2, num_heads=4, pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id, decoder_start_token_id=tokenizer.pad_token_id))

    def make_batch(sample: Rows) -> Batch:
        encoded = tokenizer([r["input"] for r in sample], padding=True, truncation=True,
                            return_tensors="pt")
        target = tokenizer(text_target=[r["target"] for r in sample], padding=True,
                           return_tensors="pt")["input_ids"]
        encoded["labels"] = target.masked_fill(target == tokenizer.pad_token_id, -100)
        return encoded

    fit(model, make_batch, seq2seq_rows(summaries, reviews, "train"), steps=700, lr=5e-3)
    test = seq2seq_rows(summaries, reviews, "test")[:128]
    predicted = heldout.seq2seq_outputs(model, tokenizer, [r["input"] for r in test])
    exact = sum(p == r["target"] for p, r in zip(predicted, test)) / len(test)
    scores = {"exact match (generated test split)": exact}
    scores.update({f"{k} (hand-written)": v for k, v in heldout.score_seq2seq(
        model, tokenizer, TASK_PREFIXES).items()})
    return TinyModel("tiny-t5", model, tokenizer, "summaries, reviews", "summarization",
                     scores, "A 2+2-layer T5-style encoder-decoder with two tasks: "
                             "`summarize: ` and `sentiment: `.")
