"""Chapter 04 (datasets): other students' answers."""

_TOKENIZE = ('def tokenize_batch(batch):\n'
             '    return tokenizer(batch["text"], truncation=True, max_length=max_length)\n\n')


def _encode(body: str, tokenize: str = _TOKENIZE) -> str:
    return tokenize + 'def encode(dataset_dict):\n' + body


def _split(body: str) -> str:
    return 'def stratified_split(dataset, test_size, seed):\n' + body


RIGHT = {
    "ex1-answer": [
        'def covering_max_length(dataset, tokenizer, coverage=0.95, column="text"):\n'
        '    lengths = np.array([len(ids) for ids in tokenizer(list(dataset[column]))["input_ids"]])\n'
        '    return int(np.percentile(lengths, coverage * 100, method="inverted_cdf"))',
        'def covering_max_length(dataset, tokenizer, coverage=0.95, column="text"):\n'
        '    lengths = sorted(len(tokenizer(text)["input_ids"]) for text in dataset[column])\n'
        '    for L in range(lengths[-1] + 1):\n'
        '        if sum(n <= L for n in lengths) >= coverage * len(lengths) - 1e-9:\n'
        '            return L',
        'def covering_max_length(dataset, tokenizer, coverage=0.95, column="text"):\n'
        '    measured = dataset.map(lambda b: {"n": [len(x) for x in tokenizer(b[column])["input_ids"]]},'
        ' batched=True)\n'
        '    lengths = np.sort(np.array(measured["n"]))\n'
        '    k = max(int(np.ceil(coverage * len(lengths) - 1e-9)), 1)\n'
        '    return lengths[k - 1]',  # a numpy integer
    ],
    "ex2-answer": [
        _encode('    return dataset_dict.map(tokenize_batch, batched=True, remove_columns=["text"])'),
        _encode('    return dataset_dict.map(tokenize_batch, batched=True, batch_size=64)'
                '.remove_columns("text")',
                tokenize='def tokenize_batch(batch):\n'
                         '    return tokenizer(list(batch["text"]), truncation=True, '
                         'max_length=max_length, padding=False)\n\n'),
        _encode('    columns = [c for c in dataset_dict["train"].column_names if c != "label"]\n'
                '    encoded = {}\n'
                '    for name, split in dataset_dict.items():\n'
                '        encoded[name] = split.map(tokenize_batch, batched=True, remove_columns=columns)\n'
                '    return DatasetDict(encoded)'),
    ],
    "ex3-answer": [
        _split('    if dataset.features["label"].__class__.__name__ != "ClassLabel":\n'
               '        dataset = dataset.class_encode_column("label")\n'
               '    return dataset.train_test_split(test_size=test_size, seed=seed, '
               'stratify_by_column="label")'),
        _split('    names = [str(n) for n in sorted(set(dataset["label"]))]\n'
               '    if not isinstance(dataset.features["label"], ClassLabel):\n'
               '        dataset = dataset.cast_column("label", ClassLabel(names=names))\n'
               '    return dataset.train_test_split(test_size, seed=seed, stratify_by_column="label")'),
        _split('    try:\n'
               '        return dataset.train_test_split(test_size=test_size, seed=seed, '
               'stratify_by_column="label")\n'
               '    except ValueError:\n'
               '        encoded = dataset.class_encode_column("label")\n'
               '        return encoded.train_test_split(test_size=test_size, seed=seed, '
               'stratify_by_column="label")'),
    ],
    "ex4-answer": [
        'from itertools import islice\n'
        'def first_matching(stream, n, predicate):\n'
        '    return list(islice((row for row in stream if predicate(row)), n))',
        'def first_matching(stream, n, predicate):\n'
        '    found = []\n'
        '    for example in stream:\n'
        '        if len(found) == n:\n'
        '            break\n'
        '        if predicate(example):\n'
        '            found.append(example)\n'
        '    return found',
        'def first_matching(stream, n, predicate):\n'
        '    return [example for example in stream.filter(predicate).take(n)]',
    ],
}

WRONG = {
    "ex1-answer": [
        ('def covering_max_length(dataset, tokenizer, coverage=0.95, column="text"):\n'
         '    lengths = [len(ids) for ids in tokenizer(list(dataset[column]))["input_ids"]]\n'
         '    return int(round(np.percentile(lengths, coverage * 100)))', "np.percentile"),
        ('def covering_max_length(dataset, tokenizer, coverage=0.95, column="text"):\n'
         '    lengths = [len(t.split()) for t in dataset[column]]\n'
         '    return int(np.percentile(lengths, coverage * 100, method="inverted_cdf"))',
         "Count the special tokens"),
        ('def covering_max_length(dataset, tokenizer, coverage=0.95, column="text"):\n'
         '    lengths = [len(ids) for ids in tokenizer(list(dataset[column]))["input_ids"]]\n'
         '    return float(np.percentile(lengths, coverage * 100, method="inverted_cdf"))',
         "should be an int"),
        ('def covering_max_length(dataset, tokenizer, coverage=0.95, column="text"):\n'
         '    lengths = [len(ids) for ids in tokenizer(list(dataset[column]), add_special_tokens=False)'
         '["input_ids"]]\n'
         '    return int(np.percentile(lengths, coverage * 100, method="inverted_cdf"))',
         "Count the special tokens"),
        ('def covering_max_length(dataset, tokenizer, coverage=0.95, column="text"):\n'
         '    lengths = [len(ids) for ids in tokenizer(list(dataset["text"]))["input_ids"]]\n'
         '    return int(np.percentile(lengths, coverage * 100, method="inverted_cdf"))',
         "Column 'text' doesn't exist"),
    ],
    "ex2-answer": [
        (_encode('    return dataset_dict.map(tokenize_batch, remove_columns=["text"])'),
         "batched=True"),
        (_encode('    return dataset_dict.map(tokenize_batch, batched=True, remove_columns=["text"])',
                 tokenize='def tokenize_batch(batch):\n'
                          '    return tokenizer(batch["text"], truncation=True, max_length=max_length,'
                          ' padding="max_length")\n\n'), "Leave out `padding=`"),
        (_encode('    return dataset_dict.map(tokenize_batch, batched=True)'), "remove_columns"),
        (_encode('    return dataset_dict.map(tokenize_batch, batched=True, remove_columns=["text"])',
                 tokenize='def tokenize_batch(batch):\n'
                          '    return tokenizer(batch["text"])\n\n'), "truncation=True"),
        (_encode('    return dataset_dict.map(tokenize_batch, batched=True, '
                 'remove_columns=["text", "label"])'), "no `label` column"),
        (_encode('    return dataset_dict["train"].map(tokenize_batch, batched=True, '
                 'remove_columns=["text"])'), "not on one split"),
    ],
    "ex3-answer": [
        (_split('    return dataset.train_test_split(test_size=test_size, seed=seed)'),
         "stratify_by_column='label'"),
        (_split('    return dataset.train_test_split(test_size=test_size, seed=seed, '
                'stratify_by_column="label")'), "class_encode_column"),
        (_split('    if not isinstance(dataset.features["label"], ClassLabel):\n'
                '        dataset = dataset.class_encode_column("label")\n'
                '    return dataset.train_test_split(test_size=test_size, stratify_by_column="label")'),
         "seed=seed"),
        (_split('    if not isinstance(dataset.features["label"], ClassLabel):\n'
                '        dataset = dataset.class_encode_column("label")\n'
                '    parts = dataset.train_test_split(test_size=test_size, seed=seed, '
                'stratify_by_column="label")\n'
                '    return parts["train"], parts["test"]'), "should return a DatasetDict"),
    ],
    "ex4-answer": [
        ('def first_matching(stream, n, predicate):\n'
         '    return list(stream.take(n).filter(predicate))', "Filter first, then take n"),
        ('def first_matching(stream, n, predicate):\n'
         '    return [row for row in stream if predicate(row)][:n]', "Stop iterating once you have n"),
        ('def first_matching(stream, n, predicate):\n'
         '    return stream.filter(predicate).take(n)', "wrap the result in `list(...)`"),
        ('def first_matching(stream, n, predicate):\n'
         '    return [row["text"] for row in stream.filter(predicate).take(n)]',
         "return the examples themselves"),
    ],
}
