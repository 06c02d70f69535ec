"""Train the tokenizers the tiny models use (WordPiece, byte-level BPE, SentencePiece-style BPE)."""
from __future__ import annotations

from collections.abc import Iterable

from tokenizers import (Tokenizer, decoders, models, normalizers, pre_tokenizers, processors,
                        trainers)
from transformers import PreTrainedTokenizerFast

MAX_LENGTH = 128


def wordpiece(texts: Iterable[str], vocab_size: int = 1200) -> PreTrainedTokenizerFast:
    """An uncased BERT-style tokenizer: [CLS] text [SEP], ## continuation pieces."""
    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    tok.train_from_iterator(texts, trainers.WordPieceTrainer(vocab_size=vocab_size,
                                                              special_tokens=specials))
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", cls), ("[SEP]", sep)])
    tok.decoder = decoders.WordPiece()
    return PreTrainedTokenizerFast(
        tokenizer_object=tok, model_max_length=MAX_LENGTH, unk_token="[UNK]", pad_token="[PAD]",
        cls_token="[CLS]", sep_token="[SEP]", mask_token="[MASK]")


def byte_level_bpe(texts: Iterable[str], vocab_size: int = 1000) -> PreTrainedTokenizerFast:
    """A GPT-2-style tokenizer: byte-level BPE, one <|endoftext|> token for bos/eos/pad."""
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.train_from_iterator(texts, trainers.BpeTrainer(
        vocab_size=vocab_size, special_tokens=["<|endoftext|>"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    tok.post_processor = processors.ByteLevel(trim_offsets=False)
    tok.decoder = decoders.ByteLevel()
    eos = "<|endoftext|>"
    return PreTrainedTokenizerFast(tokenizer_object=tok, model_max_length=MAX_LENGTH,
                                   bos_token=eos, eos_token=eos, unk_token=eos, pad_token=eos)


def sentencepiece_bpe(texts: Iterable[str], vocab_size: int = 800) -> PreTrainedTokenizerFast:
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
