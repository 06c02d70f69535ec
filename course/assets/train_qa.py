"""Train the tiny extractive question-answering model on the tiny SQuAD-like data.

The model sees the windows the Hugging Face course makes (question, then a window of the
context, overlapping by a stride), labelled with the answer's first and last token, or with
[CLS] (0) where the answer is not in the window.
"""
from __future__ import annotations

import torch
from transformers import BertForQuestionAnswering, PreTrainedModel, PreTrainedTokenizerFast

from . import heldout
from .data import Rows, Splits
from .train_models import NO_DROPOUT, TinyModel, _bert_config, fit

MAX_LENGTH, STRIDE = 96, 32
STEPS = 300


def answer_tokens(offsets: list[tuple[int, int]], sequence_ids: list[int | None],
                  start_char: int, end_char: int) -> tuple[int, int]:
    """The first and last context token of the characters `start_char:end_char`, or (0, 0)
    when the window does not hold all of them."""
    context = [i for i, s in enumerate(sequence_ids) if s == 1]
    if offsets[context[0]][0] > start_char or offsets[context[-1]][1] < end_char:
        return 0, 0
    start = next(i for i in context if offsets[i][1] > start_char)
    end = next(i for i in reversed(context) if offsets[i][0] < end_char)
    return start, end


def windows(tokenizer: PreTrainedTokenizerFast, rows: Rows) -> Rows:
    """One training row per window: input ids, attention mask and the answer's token span."""
    encoded = tokenizer([r["question"] for r in rows], [r["context"] for r in rows],
                        truncation="only_second", max_length=MAX_LENGTH, stride=STRIDE,
                        return_overflowing_tokens=True, return_offsets_mapping=True,
                        padding="max_length")
    out = []
    for i, offsets in enumerate(encoded["offset_mapping"]):
        answers = rows[encoded["overflow_to_sample_mapping"][i]]["answers"]
        start_char = answers["answer_start"][0]
        start, end = answer_tokens(offsets, encoded.sequence_ids(i), start_char,
                                   start_char + len(answers["text"][0]))
        out.append({"input_ids": encoded["input_ids"][i],
                    "attention_mask": encoded["attention_mask"][i],
                    "start_positions": start, "end_positions": end})
    return out


def read_answer(model: PreTrainedModel, tokenizer: PreTrainedTokenizerFast, question: str,
                context: str, n_best: int = 20, max_answer_tokens: int = 30) -> str:
    """The best-scoring span of `context` over all of its windows: a start and an end among
    each window's `n_best` logits, both in the context, the end not before the start."""
    encoded = tokenizer(question, context, truncation="only_second", max_length=MAX_LENGTH,
                        stride=STRIDE, return_overflowing_tokens=True,
                        return_offsets_mapping=True, padding=True, return_tensors="pt")
    offsets = encoded.pop("offset_mapping").tolist()
    encoded.pop("overflow_to_sample_mapping")
    with torch.no_grad():
        output = model(**encoded)
    best, span = float("-inf"), (0, 0)
    for window, window_offsets in enumerate(offsets):
        in_context = [s == 1 for s in encoded.sequence_ids(window)]
        starts, ends = output.start_logits[window], output.end_logits[window]
        for start in starts.argsort(descending=True)[:n_best].tolist():
            for end in ends.argsort(descending=True)[:n_best].tolist():
                valid = (in_context[start] and in_context[end]
                         and start <= end < start + max_answer_tokens)
                if valid and starts[start] + ends[end] > best:
                    best = float(starts[start] + ends[end])
                    span = (window_offsets[start][0], window_offsets[end][1])
    return context[span[0]:span[1]]


def _batch(sample: Rows) -> dict[str, torch.Tensor]:
    return {key: torch.tensor([row[key] for row in sample]) for key in sample[0]}


def train_qa(tokenizer: PreTrainedTokenizerFast, qa: Splits) -> TinyModel:
    """A 2-layer BERT-style extractive reader: start and end logits over the tokens."""
    torch.manual_seed(0)
    model = BertForQuestionAnswering(_bert_config(tokenizer, **NO_DROPOUT))
    # every window that holds its answer, and a third of the others (labelled [CLS])
    train = [w for i, w in enumerate(windows(tokenizer, qa["train"]))
             if w["start_positions"] or i % 3 == 0]
    fit(model, _batch, train, steps=STEPS, lr=3e-3, batch=16)
    generated = heldout.score_qa(model, tokenizer, heldout.squad_rows(qa["validation"]))
    written = heldout.score_qa(model, tokenizer)
    return TinyModel("tiny-qa", model, tokenizer, "qa", "question-answering",
                     {**{f"{k} (generated validation split)": v for k, v in generated.items()},
                      **{f"{k} (hand-written)": v for k, v in written.items()}},
                     "A 2-layer BERT-style extractive question-answering model (hidden size "
                     "96): start and end logits over the context's tokens. The scores below are "
                     "SQuAD v1.1's exact match and F1 (0 to 1) of the best valid span over all "
                     f"windows ({MAX_LENGTH} tokens, stride {STRIDE}), as chapter 12 reads "
                     "answers. It often finds the kind of answer a question asks for (a name, a "
                     "place, a number) in the wrong sentence: a weak reader, for the offline "
                     "profile only.")

