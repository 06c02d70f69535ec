"""Chapter 11 (token classification): other students' answers."""


def _align(body: str, default: str = "False") -> str:
    return f'def align_labels(word_ids, word_labels, label_all_tokens={default}):\n' + body


def _by_type(body: str) -> str:
    return 'def compute_metrics_by_type(eval_pred):\n' + body


def _spans(body: str) -> str:
    return 'def entity_spans(words, tags):\n' + body


# A student's loop over the word ids; `special`, `later` and `label_all` are the lines that differ.
def _loop(special: str = "-100", first: str = "word_labels[w]",
          later: str = 'label2id[label_names[word_labels[w]].replace("B-", "I-")]',
          label_all: str = "label_all_tokens") -> str:
    return _align('    out = []\n'
                  '    prev = None\n'
                  '    for w in word_ids:\n'
                  '        if w is None:\n'
                  f'            out.append({special})\n'
                  '        elif w == prev:\n'
                  f'            out.append({later} if {label_all} else -100)\n'
                  '        else:\n'
                  f'            out.append({first})\n'
                  '        prev = w\n'
                  '    return out')


# Section 6's recipe, rewritten; `kept` decides which positions go to seqeval.
def _seqeval_metrics(refs: str = "[[label_names[l] for l in row if l != -100] for row in labels]",
                     hyps: str = "[[label_names[p] for p, l in zip(prow, lrow) if l != -100] "
                                 "for prow, lrow in zip(preds, labels)]",
                     per_type: str = 'out.update({f"{t}_f1": s[t]["f1"] if t in s else 0.0 '
                                     'for t in entity_types})',
                     f1: str = 's["overall_f1"]') -> str:
    return _by_type('    logits, labels = eval_pred\n'
                    '    preds = logits.argmax(-1)\n'
                    f'    refs = {refs}\n'
                    f'    hyps = {hyps}\n'
                    '    s = seqeval.compute(predictions=hyps, references=refs, zero_division=0)\n'
                    '    out = {"precision": s["overall_precision"], "recall": s["overall_recall"],\n'
                    f'           "f1": {f1}, "accuracy": s["overall_accuracy"]}}\n'
                    f'    {per_type}\n'
                    '    return out')


def _current(starts: str, flush_at_end: bool = True) -> str:
    """A student's entity_spans with an open entity `current = [type, words]`."""
    end = ('    if current:\n'
           '        entities.append((current[0], " ".join(current[1])))\n') if flush_at_end else ''
    return _spans('    entities, current = [], None\n'
                  '    for word, tag in zip(words, tags):\n'
                  '        if tag == "O":\n'
                  '            if current:\n'
                  '                entities.append((current[0], " ".join(current[1])))\n'
                  '            current = None\n'
                  f'        elif {starts}:\n'
                  '            if current:\n'
                  '                entities.append((current[0], " ".join(current[1])))\n'
                  '            current = [tag[2:], [word]]\n'
                  '        else:\n'
                  '            current[1].append(word)\n'
                  + end + '    return entities')


_STARTS = 'tag.startswith("B-") or current is None or current[0] != tag[2:]'


def _tagger(args: str) -> str:
    return f'word_tagger = pipeline({args})'


RIGHT = {
    "ex1-answer": [
        _loop(),
        # the Hugging Face course's trick: in CoNLL's order every B- id is odd and its I- is next
        _align('    def label(i, w):\n'
               '        if w is None:\n'
               '            return -100\n'
               '        if i > 0 and word_ids[i - 1] == w:\n'
               '            if not label_all_tokens:\n'
               '                return -100\n'
               '            tag = word_labels[w]\n'
               '            return tag + 1 if tag % 2 == 1 else tag\n'
               '        return word_labels[w]\n'
               '    return [label(i, w) for i, w in enumerate(word_ids)]'),
        'B_TO_I = {label2id[n]: label2id["I" + n[1:]] for n in label_names if n[0] == "B"}\n\n'
        + _align('    labels = np.full(len(word_ids), -100)\n'
                 '    previous = None\n'
                 '    for position, word in enumerate(word_ids):\n'
                 '        if word is not None:\n'
                 '            if word != previous:\n'
                 '                labels[position] = word_labels[word]\n'
                 '            elif label_all_tokens:\n'
                 '                labels[position] = B_TO_I.get(word_labels[word], word_labels[word])\n'
                 '        previous = word\n'
                 '    return labels.tolist()'),
        _align('    seen = set()\n'
               '    result = []\n'
               '    for w in word_ids:\n'
               '        if w is None:\n'
               '            result.append(-100)\n'
               '        elif w not in seen:\n'
               '            seen.add(w)\n'
               '            result.append(word_labels[w])\n'
               '        elif label_all_tokens:\n'
               '            tag = label_names[word_labels[w]]\n'
               '            result.append(label2id["I-" + tag[2:]] if tag.startswith("B-") '
               'else word_labels[w])\n'
               '        else:\n'
               '            result.append(-100)\n'
               '    return result'),
        _align('    new_labels = []\n'
               '    current_word = None\n'
               '    for word_id in word_ids:\n'
               '        if word_id != current_word:\n'
               '            current_word = word_id\n'
               '            new_labels.append(-100 if word_id is None else word_labels[word_id])\n'
               '        elif word_id is None:\n'
               '            new_labels.append(-100)\n'
               '        else:\n'
               '            label = word_labels[word_id]\n'
               '            if id2label[label].startswith("B-"):\n'
               '                label = label2id["I-" + id2label[label][2:]]\n'
               '            new_labels.append(label if label_all_tokens else -100)\n'
               '    return new_labels'),
    ],
    "ex2-answer": [
        _seqeval_metrics(per_type='out.update({f"{t}_f1": s.get(t, {}).get("f1", 0.0) '
                                  'for t in entity_types})'),
        _by_type('    predictions = np.argmax(eval_pred.predictions, axis=2)\n'
                 '    labels = eval_pred.label_ids\n'
                 '    y_true, y_pred = [], []\n'
                 '    for p, l in zip(predictions, labels):\n'
                 '        mask = l != -100\n'
                 '        y_true.append([id2label[int(i)] for i in l[mask]])\n'
                 '        y_pred.append([id2label[int(i)] for i in p[mask]])\n'
                 '    scores = seqeval.compute(predictions=y_pred, references=y_true, zero_division=0)\n'
                 '    result = {k.replace("overall_", ""): v for k, v in scores.items() '
                 'if k.startswith("overall_")}\n'
                 '    for t in entity_types:\n'
                 '        result[t + "_f1"] = float(scores[t]["f1"]) if t in scores else 0.0\n'
                 '    return result'),
        'metric = evaluate.load(course.metric("seqeval"))\n\n'
        + _by_type('    logits, labels = eval_pred.predictions, eval_pred.label_ids\n'
                   '    preds = np.argmax(logits, -1)\n'
                   '    true_seqs, pred_seqs = [], []\n'
                   '    for i in range(len(labels)):\n'
                   '        keep = [j for j in range(len(labels[i])) if labels[i][j] != -100]\n'
                   '        true_seqs.append([label_names[labels[i][j]] for j in keep])\n'
                   '        pred_seqs.append([label_names[preds[i][j]] for j in keep])\n'
                   '    res = metric.compute(predictions=pred_seqs, references=true_seqs, zero_division=0)\n'
                   '    metrics = dict(precision=res["overall_precision"], recall=res["overall_recall"],\n'
                   '                   f1=res["overall_f1"], accuracy=res["overall_accuracy"])\n'
                   '    types = sorted({name[2:] for name in label_names if name != "O"})\n'
                   '    for t in types:\n'
                   '        metrics[f"{t}_f1"] = res[t]["f1"] if t in res else 0.0\n'
                   '    return metrics'),
    ],
    "ex3-answer": [
        _current(_STARTS),
        'from seqeval.metrics.sequence_labeling import get_entities\n\n'
        + _spans('    return [(t, " ".join(words[s:e + 1])) for t, s, e in get_entities(list(tags))]'),
        _spans('    spans = []\n'
               '    i = 0\n'
               '    while i < len(tags):\n'
               '        if tags[i] == "O":\n'
               '            i += 1\n'
               '            continue\n'
               '        kind = tags[i][2:]\n'
               '        j = i + 1\n'
               '        while j < len(tags) and tags[j] == "I-" + kind:\n'
               '            j += 1\n'
               '        spans.append((kind, " ".join(words[i:j])))\n'
               '        i = j\n'
               '    return spans'),
    ],
    "ex4-answer": [
        _tagger('"ner", model=trainer.model, tokenizer=tokenizer, aggregation_strategy="first"'),
        _tagger('task="token-classification", model=str(tagger_dir), aggregation_strategy="FIRST", '
                'device=course.device()'),
        'from transformers import TokenClassificationPipeline\n'
        'from transformers.pipelines.token_classification import AggregationStrategy\n'
        'word_tagger = TokenClassificationPipeline(model=trainer.model, tokenizer=tokenizer,\n'
        '                                          aggregation_strategy=AggregationStrategy.FIRST)',
        'reloaded = AutoModelForTokenClassification.from_pretrained(tagger_dir)\n'
        'reloaded_tokenizer = AutoTokenizer.from_pretrained(tagger_dir)\n'
        + _tagger('"token-classification", model=reloaded, tokenizer=reloaded_tokenizer, '
                  'aggregation_strategy="first"'),
    ],
}

WRONG = {
    "ex1-answer": [
        (_loop(special="0"), "give them -100"),  # specials tagged O
        (_loop(first="word_labels[w - 1]"), "no +1 or -1"),
        (_loop(later="word_labels[w]"), "B- becomes I- on continuation pieces"),  # B- copied
        (_loop(label_all="False"), "label_all_tokens=True labels every piece"),  # flag ignored
        (_loop(label_all="True"), "only a word's first piece is"),  # always every piece
        (_loop().replace("label_all_tokens=False", "label_all_tokens=True"), "defaults to False"),
    ],
    "ex2-answer": [
        # every position goes to seqeval, -100 included
        (_seqeval_metrics(refs="[[label_names[l] for l in row] for row in labels]",
                          hyps="[[label_names[p] for p in row] for row in preds]"),
         "Drop every position whose label is -100"),
        # -100 dropped from the references only
        (_seqeval_metrics(hyps="[[label_names[p] for p, l in zip(prow, lrow) if p != -100] "
                               "for prow, lrow in zip(preds, labels)]"), "from the predictions too"),
        (_seqeval_metrics(f1='s["overall_accuracy"]'), "is the token accuracy"),
        (_seqeval_metrics(per_type='out.update({f"{t}_f1": s.get(t, {}) for t in entity_types})'),
         "Trainer logs numbers"),
        # only the types seqeval reports: a type absent from this evaluation has no key
        (_seqeval_metrics(per_type='out.update({f"{t}_f1": v["f1"] for t, v in s.items() '
                                   'if not t.startswith("overall")})'), "0.0 for a type"),
    ],
    "ex3-answer": [
        (_current(_STARTS, flush_at_end=False), "keep it after the loop"),
        (_current('current is None or current[0] != tag[2:]'), "Each B- starts a new entity"),
        # only B- opens an entity; a stray I- is dropped
        (_spans('    spans, kind, start = [], None, 0\n'
                '    for i, tag in enumerate(list(tags) + ["O"]):\n'
                '        if kind and not tag.startswith("I-"):\n'
                '            spans.append((kind, " ".join(words[start:i])))\n'
                '            kind = None\n'
                '        if tag.startswith("B-"):\n'
                '            kind, start = tag[2:], i\n'
                '    return spans'), "An I-X after O starts"),
        # any I- continues whatever is open
        (_current('tag.startswith("B-") or current is None'), "An I-Y after an X entity"),
        (_current(_STARTS).replace("current = [tag[2:], [word]]", "current = [tag, [word]]"),
         "without 'B-' or 'I-'"),
        (_current(_STARTS).replace('" ".join(current[1])', 'current[1]'), "single spaces"),
    ],
    "ex4-answer": [
        (_tagger('"token-classification", model=trainer.model, tokenizer=tokenizer'),
         "one dict per piece"),
        (_tagger('"token-classification", model=trainer.model, tokenizer=tokenizer, '
                 'aggregation_strategy="simple"'), "'simple' groups pieces"),
        (_tagger('"token-classification", model=trainer.model, tokenizer=tokenizer, '
                 'aggregation_strategy="max"'), "'max' labels a word"),
        (_tagger('"token-classification", model=trainer.model, tokenizer=tokenizer, '
                 'aggregation_strategy="average"'), "'average' labels a word"),
        (_tagger('"token-classification", model=course.checkpoint("ner"), aggregation_strategy="first"'),
         "not the model you trained"),
        # a fresh model from the base checkpoint, never trained
        ('fresh = AutoModelForTokenClassification.from_pretrained(course.checkpoint("token-base"), '
         'num_labels=len(label_names), id2label=id2label, label2id=label2id)\n'
         + _tagger('"token-classification", model=fresh, tokenizer=tokenizer, aggregation_strategy="first"'),
         "differ from the trained model"),
    ],
}
