"""The tiny chat model: tiny-gpt2 tuned on the instructions in ChatML, as SmolLM2-135M-Instruct
is SmolLM2-135M tuned; and its score on the hand-written instructions (`heldout/instructions.tsv`,
phrasings the generator never produces, never trained or tuned on).
"""
from __future__ import annotations

import re
from pathlib import Path

import torch
from transformers import AutoTokenizer, GPT2LMHeadModel, PreTrainedModel, PreTrainedTokenizerBase

from .data import Rows, Splits
from .heldout import FOLDER, _lines
from .instructions import CHAT_TOKENS
from .train_models import Batch, TinyModel, fit

END_OF_TURN = CHAT_TOKENS[1]
STEPS = 180


def instruction_set(folder: Path = FOLDER) -> list[tuple[str, set[str]]]:
    """(instruction, acceptable answers) pairs."""
    return [(text, set(answers.split("|")))
            for text, answers in (line.split("\t") for line in _lines("instructions.tsv", folder))]


def is_right(reply: str, answers: set[str]) -> bool:
    """A reply is right when it is one of the answers, give or take case (except for answers in
    capitals), surrounding spaces and final punctuation."""
    said = re.sub(r"[.!\"']+$", "", reply.strip()).strip()
    return any(said == a or (not a.isupper() and said.lower() == a.lower()) for a in answers)


def replies(model: PreTrainedModel, tokenizer: PreTrainedTokenizerBase, prompts: list[str],
            max_new_tokens: int = 12) -> list[str]:
    """Greedy replies to single-turn prompts, rendered with the tokenizer's chat template."""
    end = tokenizer.convert_tokens_to_ids(END_OF_TURN)
    out = []
    for prompt in prompts:
        ids = tokenizer.apply_chat_template([{"role": "user", "content": prompt}],
                                            add_generation_prompt=True, return_tensors="pt",
                                            return_dict=True)
        with torch.no_grad():
            generated = model.generate(**ids, max_new_tokens=max_new_tokens, do_sample=False,
                                       eos_token_id=end, pad_token_id=tokenizer.pad_token_id)
        new = generated[0, ids["input_ids"].shape[1]:]
        out.append(tokenizer.decode(new, skip_special_tokens=True).strip())
    return out


def score_chat(model: PreTrainedModel, tokenizer: PreTrainedTokenizerBase,
               folder: Path = FOLDER) -> float:
    """The share of hand-written instructions answered right."""
    rows = instruction_set(folder)
    answered = replies(model, tokenizer, [text for text, _ in rows])
    return sum(is_right(r, answers) for r, (_, answers) in zip(answered, rows)) / len(rows)


def completion_rows(tokenizer: PreTrainedTokenizerBase, rows: Rows) -> Rows:
    """Token ids of each conversation, and how many of them are the prompt (system, user and the
    assistant header), which the loss skips."""
    out = []
    for row in rows:
        prompt = tokenizer.apply_chat_template(row["messages"][:-1], add_generation_prompt=True)
        full = tokenizer.apply_chat_template(row["messages"])["input_ids"]
        out.append({"input_ids": full, "prompt": len(prompt["input_ids"])})
    return out


def _completion_batch(pad: int):
    def make_batch(sample: Rows) -> Batch:
        width = max(len(r["input_ids"]) for r in sample)
        ids = [r["input_ids"] + [pad] * (width - len(r["input_ids"])) for r in sample]
        labels = [[-100] * r["prompt"] + r["input_ids"][r["prompt"]:]
                  + [-100] * (width - len(r["input_ids"])) for r in sample]
        mask = [[1] * len(r["input_ids"]) + [0] * (width - len(r["input_ids"])) for r in sample]
        return {"input_ids": torch.tensor(ids), "attention_mask": torch.tensor(mask),
                "labels": torch.tensor(labels)}
    return make_batch


def _answer_loss(model: GPT2LMHeadModel, inputs: Batch) -> torch.Tensor:
    """The causal-LM loss with the output layer run only where a label counts (the answers),
    which is most of the cost at these sizes."""
    labels = inputs.pop("labels")[:, 1:]
    hidden = model.transformer(**inputs).last_hidden_state[:, :-1]
    kept = labels != -100
    return torch.nn.functional.cross_entropy(model.lm_head(hidden[kept]), labels[kept])


def train_chat(base: Path, instructions: Splits) -> TinyModel:
    """tiny-gpt2 (saved in `base`) tuned in full on the training conversations, the loss on the
    assistant's turns only; it ends its turn with <|im_end|>, its eos token."""
    torch.manual_seed(0)
    tokenizer = AutoTokenizer.from_pretrained(base)
    model = GPT2LMHeadModel.from_pretrained(base)
    fit(model, _completion_batch(tokenizer.pad_token_id),
        completion_rows(tokenizer, instructions["train"]), steps=STEPS, lr=3e-3, batch=16,
        loss=_answer_loss)
    tokenizer.eos_token = END_OF_TURN
    model.config.eos_token_id = model.generation_config.eos_token_id = tokenizer.eos_token_id
    test = instructions["test"][:50]
    answered = replies(model, tokenizer, [r["prompt"] for r in test])
    exact = sum(is_right(a, {r["messages"][-1]["content"]}) for a, r in zip(answered, test))
    return TinyModel("tiny-chat", model, tokenizer, "instructions", "text-generation",
                     {"right answers (generated test split)": exact / len(test),
                      "right answers (hand-written instructions)": score_chat(model, tokenizer)},
                     "tiny-gpt2 tuned on short instructions in ChatML (`<|im_start|>user ... "
                     "<|im_end|>`), the loss on the assistant's turns only: a chat model.")
