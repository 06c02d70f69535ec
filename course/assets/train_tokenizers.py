"""Train the tokenizers the tiny models use (WordPiece, byte-level BPE, SentencePiece-style BPE)."""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from tokenizers import (Tokenizer, decoders, models, normalizers, pre_tokenizers, processors,
                        trainers)
from transformers import PreTrainedTokenizerFast

MAX_LENGTH = 128


def wordpiece(texts: Iterable[str], vocab_size: int, lowercase: bool = True,
              spelt: Iterable[str] = ()) -> PreTrainedTokenizerFast:
    """A BERT-style tokenizer: [CLS] text [SEP], ## continuation pieces; uncased as
    distilbert-base-uncased, or cased as bert-base-cased (names start with capitals).

    The vocabulary is learnt from `texts`; `spelt` texts only add their characters, so that
    their words are spelt in pieces, never [UNK], without being learnt whole."""
    texts, spelt = list(texts), list(spelt)
    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=lowercase, strip_accents=lowercase)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    pieces = _continuation_pieces(tok, texts + spelt)
    alphabet = sorted({char for word in _words(tok, texts + spelt) for char in word})
    tok.train_from_iterator(texts, trainers.WordPieceTrainer(
        vocab_size=vocab_size, special_tokens=specials + pieces, initial_alphabet=alphabet))
    tok = _as_plain_vocabulary(tok, pieces)
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", cls), ("[SEP]", sep)])
    tok.decoder = decoders.WordPiece()
    return PreTrainedTokenizerFast(
        tokenizer_object=tok, model_max_length=MAX_LENGTH, unk_token="[UNK]", pad_token="[PAD]",
        cls_token="[CLS]", sep_token="[SEP]", mask_token="[MASK]", do_lower_case=lowercase)


def _continuation_pieces(tok: Tokenizer, texts: list[str]) -> list[str]:
    """Every "##c" piece the WordPiece trainer will make, sorted.

    The trainer numbers these pieces in hash-map order, and ties between merges go by those
    numbers, so each run learns a different vocabulary (huggingface/tokenizers#1794; 20 runs
    gave 20 vocabularies). Handing them to the trainer first, in a fixed order, fixes the
    numbering, and the training becomes deterministic.
    """
    return sorted({f"##{char}" for word in _words(tok, texts) for char in word[1:]})


def _words(tok: Tokenizer, texts: list[str]) -> Iterator[str]:
    """The words of `texts` as the tokenizer's normalizer and pre-tokenizer see them."""
    return (word for text in texts
            for word, _ in tok.pre_tokenizer.pre_tokenize_str(tok.normalizer.normalize_str(text)))


def _as_plain_vocabulary(tok: Tokenizer, pieces: list[str]) -> Tokenizer:
    """The tokenizer with `pieces` as ordinary vocabulary again, not special added tokens."""
    state = json.loads(tok.to_str())
    plain = set(pieces)
    state["added_tokens"] = [t for t in state["added_tokens"] if t["content"] not in plain]
    return Tokenizer.from_str(json.dumps(state))


def byte_level_bpe(texts: Iterable[str], vocab_size: int, extra: list[str] = (),
                   chat_template: str | None = None) -> PreTrainedTokenizerFast:
    """A GPT-2-style tokenizer: byte-level BPE, one <|endoftext|> token for bos/eos/pad, then the
    `extra` special tokens (ids 1, 2, ... as SmolLM2's <|im_start|>, <|im_end|>)."""
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.train_from_iterator(texts, trainers.BpeTrainer(
        vocab_size=vocab_size, special_tokens=["<|endoftext|>", *extra],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    tok.post_processor = processors.ByteLevel(trim_offsets=False)
    tok.decoder = decoders.ByteLevel()
    eos = "<|endoftext|>"
    return PreTrainedTokenizerFast(tokenizer_object=tok, model_max_length=MAX_LENGTH,
                                   bos_token=eos, eos_token=eos, unk_token=eos, pad_token=eos,
                                   extra_special_tokens=list(extra), chat_template=chat_template)


def sentencepiece_bpe(texts: Iterable[str], vocab_size: int) -> PreTrainedTokenizerFast:
    """A T5-style tokenizer: SentencePiece-like ▁ word starts (Metaspace), BPE, </s> appended.

    t5-small's SentencePiece model is a Unigram; on a corpus this small, `tokenizers`' Unigram
    trainer keeps few whole words, which made the tiny T5 learn far more slowly, so it uses BPE.
    """
    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.Metaspace()
    tok.train_from_iterator(texts, trainers.BpeTrainer(
        vocab_size=vocab_size, special_tokens=["<pad>", "</s>", "<unk>"]))
    tok.post_processor = processors.TemplateProcessing(
        single="$A </s>", pair="$A </s> $B </s>", special_tokens=[("</s>", 1)])
    tok.decoder = decoders.Metaspace()
    return PreTrainedTokenizerFast(tokenizer_object=tok, model_max_length=MAX_LENGTH,
                                   eos_token="</s>", unk_token="<unk>", pad_token="<pad>")
