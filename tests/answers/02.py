"""Chapter 02 (tokenizer stages): other students' answers."""

_IMPORTS = ("from tokenizers import normalizers, pre_tokenizers\n"
            "SENTENCE = \"Émilie's café, in São Paulo, opens at 9:30!\"\n")
_BPE_START = ('from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors, '
              'trainers\n'
              'from transformers import PreTrainedTokenizerFast\n')


def _bpe(model: str = 'models.BPE(unk_token="<unk>")', normalizer: str = "normalizers.Lowercase()",
         vocab: int = 200, specials: str = '["<pad>", "<unk>", "<s>", "</s>"]',
         template: str = '"<s> $A </s>"', ids: str = 'bpe.token_to_id("<s>")), ("</s>", '
                                                    'bpe.token_to_id("</s>")',
         wrap: str = 'pad_token="<pad>", unk_token="<unk>", bos_token="<s>", eos_token="</s>"') -> str:
    return (_BPE_START
            + f"bpe = Tokenizer({model})\n"
            + f"bpe.normalizer = {normalizer}\n"
            + "bpe.pre_tokenizer = pre_tokenizers.Whitespace()\n"
            + f"trainer = trainers.BpeTrainer(vocab_size={vocab}, special_tokens={specials})\n"
            + "bpe.train_from_iterator(corpus, trainer)\n"
            + f"bpe.post_processor = processors.TemplateProcessing(single={template}, "
              f'special_tokens=[("<s>", {ids})])\n'
            + f"bpe_tokenizer = PreTrainedTokenizerFast(tokenizer_object=bpe, {wrap})")


RIGHT = {
    "ex1-answer": [
        _IMPORTS + "my_normalizer = normalizers.Sequence([normalizers.NFD(), normalizers.Lowercase(),"
                   " normalizers.StripAccents()])\n"
                   "my_pre_tokenizer = pre_tokenizers.Whitespace()",
        _IMPORTS + "my_normalizer = normalizers.BertNormalizer(clean_text=True, "
                   "handle_chinese_chars=True, strip_accents=True, lowercase=True)\n"
                   "my_pre_tokenizer = pre_tokenizers.BertPreTokenizer()",
        _IMPORTS + "my_normalizer = normalizers.Sequence([normalizers.NFKD(), normalizers.StripAccents(),"
                   " normalizers.Lowercase()])\n"
                   "my_pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.WhitespaceSplit(), "
                   "pre_tokenizers.Punctuation()])",
    ],
    "ex2-answer": [
        'def fixed_length_batch(tokenizer, texts, max_length):\n'
        '    return tokenizer(list(texts), padding="max_length", truncation=True, '
        'max_length=max_length, return_tensors="pt")\n'
        'def real_token_counts(batch):\n'
        '    return [int(row.sum()) for row in batch["attention_mask"]]',
        'def fixed_length_batch(tokenizer, texts, max_length):\n'
        '    return tokenizer(texts, padding="max_length", truncation=True, max_length=max_length,'
        ' padding_side="left", return_tensors="pt")\n'
        'def real_token_counts(batch):\n'
        '    return batch["attention_mask"].sum(-1).tolist()',
        'import numpy as np\n'
        'def fixed_length_batch(tokenizer, texts, max_length):\n'
        '    encoded = tokenizer(texts, truncation=True, max_length=max_length)\n'
        '    return tokenizer.pad(encoded, padding="max_length", max_length=max_length, '
        'return_tensors="pt")\n'
        'def real_token_counts(batch):\n'
        '    return tuple(np.asarray(batch["attention_mask"]).sum(axis=1).tolist())',
    ],
    "ex3-answer": [
        _bpe(),
        _bpe(normalizer="normalizers.Sequence([normalizers.Lowercase()])", ids="2), (\"</s>\", 3"),
        _BPE_START
        + 'bpe = Tokenizer(models.BPE(unk_token="<unk>"))\n'
          'bpe.normalizer = normalizers.Lowercase()\n'
          'bpe.pre_tokenizer = pre_tokenizers.Whitespace()\n'
          'specials = ["<pad>", "<unk>", "<s>", "</s>"]\n'
          'bpe.train_from_iterator(corpus, trainer=trainers.BpeTrainer(vocab_size=200, '
          'special_tokens=specials, show_progress=False))\n'
          'bos, eos = bpe.token_to_id("<s>"), bpe.token_to_id("</s>")\n'
          'bpe.post_processor = processors.TemplateProcessing(single="<s> $A </s>", '
          'pair="<s> $A </s> $B:1 </s>:1", special_tokens=[("<s>", bos), ("</s>", eos)])\n'
          'bpe_tokenizer = PreTrainedTokenizerFast(tokenizer_object=bpe)\n'
          'bpe_tokenizer.pad_token, bpe_tokenizer.unk_token = "<pad>", "<unk>"\n'
          'bpe_tokenizer.bos_token, bpe_tokenizer.eos_token = "<s>", "</s>"',
    ],
    "ex4-answer": [
        'def word_token_counts(tokenizer, text):\n'
        '    encoding = tokenizer(text, return_offsets_mapping=True)\n'
        '    spans, counts = {}, {}\n'
        '    for w, (s, e) in zip(encoding.word_ids(), encoding["offset_mapping"]):\n'
        '        if w is None:\n'
        '            continue\n'
        '        start = spans.get(w, (s, e))[0]\n'
        '        spans[w] = (start, e)\n'
        '        counts[w] = counts.get(w, 0) + 1\n'
        '    return [(text[spans[w][0]:spans[w][1]], counts[w]) for w in sorted(spans)]',
        'from collections import Counter\n'
        'def word_token_counts(tokenizer, text):\n'
        '    enc = tokenizer(text)\n'
        '    counts = Counter(w for w in enc.word_ids() if w is not None)\n'
        '    pairs = []\n'
        '    for w in sorted(counts):\n'
        '        start, end = enc.word_to_chars(w)\n'
        '        pairs.append([text[start:end], counts[w]])\n'
        '    return pairs',
        'def word_token_counts(tokenizer, text):\n'
        '    enc = tokenizer(text, add_special_tokens=False)\n'
        '    ids = enc.word_ids()\n'
        '    words = list(dict.fromkeys(ids))\n'
        '    return [(text[slice(*enc.word_to_chars(w))], ids.count(w)) for w in words]',
    ],
}

WRONG = {
    "ex1-answer": [
        (_IMPORTS + "my_normalizer = normalizers.Sequence([normalizers.Lowercase(), "
                    "normalizers.StripAccents()])\nmy_pre_tokenizer = pre_tokenizers.Whitespace()",
         "put `NFD()` before it"),
        (_IMPORTS + "my_normalizer = normalizers.Sequence([normalizers.NFD(), "
                    "normalizers.StripAccents()])\nmy_pre_tokenizer = pre_tokenizers.Whitespace()",
         "normalizers.Lowercase()"),
        (_IMPORTS + "my_normalizer = normalizers.Sequence([normalizers.NFD(), normalizers.Lowercase(),"
                    " normalizers.StripAccents()])\n"
                    "my_pre_tokenizer = pre_tokenizers.WhitespaceSplit()",
         "Split punctuation off too"),
        (_IMPORTS + "my_normalizer = normalizers.Sequence([normalizers.NFD(), normalizers.Lowercase()])"
                    "\nmy_pre_tokenizer = pre_tokenizers.Whitespace()", "StripAccents()"),
        (_IMPORTS + "my_normalizer = normalizers.Sequence([normalizers.NFD(), normalizers.Lowercase(),"
                    " normalizers.StripAccents()])\n"
                    "my_pre_tokenizer = pre_tokenizers.Punctuation()", "Split on whitespace"),
    ],
    "ex2-answer": [
        ('def fixed_length_batch(tokenizer, texts, max_length):\n'
         '    return tokenizer(texts, padding=True, truncation=True, max_length=max_length, '
         'return_tensors="pt")\n'
         'def real_token_counts(batch):\n'
         '    return batch["attention_mask"].sum(dim=1).tolist()', 'padding="max_length"` pads to'),
        ('def fixed_length_batch(tokenizer, texts, max_length):\n'
         '    return tokenizer(texts, padding="max_length", max_length=max_length, '
         'return_tensors="pt")\n'
         'def real_token_counts(batch):\n'
         '    return batch["attention_mask"].sum(dim=1).tolist()', "truncation=True"),
        ('def fixed_length_batch(tokenizer, texts, max_length):\n'
         '    return tokenizer(texts, padding="max_length", truncation=True, max_length=max_length, '
         'return_tensors="pt")\n'
         'def real_token_counts(batch):\n'
         '    return [len(row) for row in batch["input_ids"]]', "padding was counted as real"),
        ('def fixed_length_batch(tokenizer, texts, max_length):\n'
         '    return tokenizer(texts, padding="max_length", truncation=True, max_length=max_length)\n'
         'def real_token_counts(batch):\n'
         '    return [sum(m) for m in batch["attention_mask"]]', 'return_tensors="pt"'),
        ('def fixed_length_batch(tokenizer, texts, max_length):\n'
         '    return tokenizer(texts, padding="max_length", truncation=True, max_length=max_length, '
         'return_tensors="pt")\n'
         'def real_token_counts(batch):\n'
         '    return batch["attention_mask"].sum(dim=0).tolist()', "one number per row"),
    ],
    "ex3-answer": [
        (_bpe(model="models.BPE()"), 'models.BPE(unk_token="<unk>")'),
        (_bpe(vocab=1000), "vocab_size=200"),
        (_bpe(specials='["<s>", "</s>", "<unk>", "<pad>"]'), "in that order"),
        (_bpe(ids="0), (\"</s>\", 1"), 'bpe.token_to_id("<s>")'),
        (_bpe(wrap='unk_token="<unk>"'), "pad_token=\"<pad>\""),
        (_bpe(normalizer="normalizers.NFD()"), "normalizers.Lowercase()"),
    ],
    "ex4-answer": [
        ('def word_token_counts(tokenizer, text):\n'
         '    return [(w, len(tokenizer.tokenize(w))) for w in text.split()]',
         "punctuation is a word of its own"),
        ('def word_token_counts(tokenizer, text):\n'
         '    enc = tokenizer(text)\n'
         '    counts = {}\n'
         '    for token, w in zip(enc.tokens(), enc.word_ids()):\n'
         '        word = token if w is None else text[slice(*enc.word_to_chars(w))]\n'
         '        counts[word] = counts.get(word, 0) + 1\n'
         '    return list(counts.items())', "Special tokens are counted"),
        ('def word_token_counts(tokenizer, text):\n'
         '    enc = tokenizer(text)\n'
         '    ids = [w for w in enc.word_ids() if w is not None]\n'
         '    words = [w for w, _ in tokenizer.backend_tokenizer.pre_tokenizer.pre_tokenize_str('
         'tokenizer.backend_tokenizer.normalizer.normalize_str(text))]\n'
         '    return [(words[w], ids.count(w)) for w in dict.fromkeys(ids)]',
         "case and accents stay as they were"),
        ('def word_token_counts(tokenizer, text):\n'
         '    enc = tokenizer(text)\n'
         '    ids = [w for w in enc.word_ids() if w is not None]\n'
         '    return [(text[slice(*enc.word_to_chars(w))], 1) for w in dict.fromkeys(ids)]',
         "`encoding.word_ids().count(i)`"),
        ('def word_token_counts(tokenizer, text):\n'
         '    enc = tokenizer(text)\n'
         '    pairs = []\n'
         '    for i in range(len(text.split())):\n'
         '        start, end = enc.word_to_chars(i)\n'
         '        pairs.append((text[start:end], enc.word_ids().count(i)))\n'
         '    pairs', "returned None"),
    ],
}
