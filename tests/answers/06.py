"""Chapter 06 (evaluate): other students' answers."""

_INFO = ('        return evaluate.MetricInfo(description="Specificity: TN / (TN + FP).", citation="",\n'
         '            features=datasets.Features({"predictions": datasets.Value("int32"),\n'
         '                                        "references": datasets.Value("int32")}))\n')


def _module(compute: str, info: str = _INFO, head: str = "import datasets\nimport evaluate\n") -> str:
    return ('%%writefile {metrics_dir}/specificity.py\n' + head + '\n\n'
            'class Specificity(evaluate.Metric):\n'
            '    def _info(self):\n' + info + '\n'
            '    def _compute(self, predictions, references, pos_label=1):\n' + compute)


def _by_length(body: str) -> str:
    return ('def macro_f1_by_max_length(dataset, max_lengths, batch_size=64):\n'
            '    scores = {}\n'
            '    for L in max_lengths:\n'
            '        pipe = pipeline("text-classification", model=course.checkpoint("sentiment"), '
            'device=course.device(), truncation=True, max_length=L)\n'
            '        to_id = pipe.model.config.label2id\n' + body + '\n    return scores')


_FEED = ('        f1 = evaluate.load(course.metric("f1"))\n'
         '        for batch in dataset.iter(batch_size=batch_size):\n'
         '            out = pipe(batch["text"], batch_size=batch_size)\n'
         '            f1.add_batch(predictions=[to_id[o["label"]] for o in out], '
         'references=batch["label"])\n')


def _threshold(body: str) -> str:
    return ('def threshold_for_precision(positive_scores, references, min_precision):\n'
            '    scores, labels = np.asarray(positive_scores, dtype=float), np.asarray(references)\n'
            + body)


def _groups(body: str) -> str:
    return ('def metrics_by_group(predictions, references, groups, metric_names=("accuracy", "f1")):\n'
            + body)


RIGHT = {
    "ex1-answer": [
        _module('        negatives = [p for p, r in zip(predictions, references) if r != pos_label]\n'
                '        if not negatives:\n'
                '            return {"specificity": 0.0}\n'
                '        return {"specificity": sum(p != pos_label for p in negatives) / len(negatives)}'),
        _module('        import numpy as np\n'
                '        p, r = np.asarray(predictions), np.asarray(references)\n'
                '        tn = int(((p != pos_label) & (r != pos_label)).sum())\n'
                '        fp = int(((p == pos_label) & (r != pos_label)).sum())\n'
                '        return {"specificity": float(tn / (tn + fp)) if tn + fp else 0.0}'),
        _module('        from sklearn.metrics import recall_score\n'
                '        neg_true = [int(r != pos_label) for r in references]\n'
                '        neg_pred = [int(p != pos_label) for p in predictions]\n'
                '        return {"specificity": float(recall_score(neg_true, neg_pred, '
                'zero_division=0))}',
                info=_INFO.replace('citation=""', 'citation="", inputs_description="ints", '
                                                  'reference_urls=[]').replace("int32", "int64")),
    ],
    "ex2-answer": [
        _by_length(_FEED + '        scores[L] = float(f1.compute(average="macro")["f1"])'),
        _by_length('        f1 = evaluate.load(course.metric("f1"))\n'
                   '        texts, labels = dataset["text"][:], dataset["label"][:]\n'
                   '        for start in range(0, len(texts), batch_size):\n'
                   '            out = pipe(texts[start:start + batch_size])\n'
                   '            for o, ref in zip(out, labels[start:start + batch_size]):\n'
                   '                f1.add(prediction=to_id[o["label"]], reference=ref)\n'
                   '        scores[L] = f1.compute(average="macro")["f1"] * 1.0'),
        'def macro_f1_by_max_length(dataset, max_lengths, batch_size=64):\n'
        '    pipe = pipeline("text-classification", model=course.checkpoint("sentiment"), '
        'device=course.device())\n'
        '    result = {}\n'
        '    for L in max_lengths:\n'
        '        metric = evaluate.load(course.metric("f1"))\n'
        '        for batch in dataset.iter(batch_size):\n'
        '            outs = pipe(batch["text"], truncation=True, max_length=L)\n'
        '            metric.add_batch(predictions=[pipe.model.config.label2id[o["label"]] for o in outs],'
        ' references=batch["label"])\n'
        '        result[L] = float(metric.compute(average="macro")["f1"])\n'
        '    return result',
    ],
    "ex3-answer": [
        _threshold('    for t in sorted(set(scores.tolist())):\n'
                   '        called = scores >= t\n'
                   '        tp = int((called & (labels == 1)).sum())\n'
                   '        if tp / called.sum() >= min_precision:\n'
                   '            return t, tp / int((labels == 1).sum())\n'
                   '    return None, 0.0'),
        'from sklearn.metrics import precision_score, recall_score\n'
        + _threshold('    best = None\n'
                     '    for t in sorted(scores, reverse=True):\n'
                     '        called = (scores >= t).astype(int)\n'
                     '        if precision_score(labels, called, zero_division=0) >= min_precision:\n'
                     '            best = (float(t), float(recall_score(labels, called)))\n'
                     '    return best if best else (None, 0.0)'),
        _threshold('    candidates = np.unique(scores)\n'
                   '    precisions = np.array([labels[scores >= t].mean() for t in candidates])\n'
                   '    ok = np.flatnonzero(precisions >= min_precision)\n'
                   '    if len(ok) == 0:\n'
                   '        return (None, 0.0)\n'
                   '    t = candidates[ok[0]]\n'
                   '    return (t, float(((scores >= t) & (labels == 1)).sum() / (labels == 1).sum()))'),
    ],
    "ex4-answer": [
        _groups('    combined = evaluate.combine([course.metric(n) for n in metric_names])\n'
                '    p, r, g = np.asarray(predictions), np.asarray(references), np.asarray(groups)\n'
                '    return {group: combined.compute(predictions=p[g == group].tolist(), '
                'references=r[g == group].tolist()) for group in np.unique(g).tolist()}'),
        _groups('    out = {}\n'
                '    for group in set(list(groups)):\n'
                '        combined = evaluate.combine([course.metric(n) for n in metric_names])\n'
                '        for p, r, g in zip(predictions, references, groups):\n'
                '            if g == group:\n'
                '                combined.add(prediction=int(p), reference=int(r))\n'
                '        out[group] = combined.compute()\n'
                '    return out'),
        'from collections import defaultdict\n'
        + _groups('    rows = defaultdict(lambda: ([], []))\n'
                  '    for p, r, g in zip(list(predictions), list(references), list(groups)):\n'
                  '        rows[g][0].append(int(p))\n'
                  '        rows[g][1].append(int(r))\n'
                  '    combined = evaluate.combine(list(map(course.metric, metric_names)))\n'
                  '    return {g: combined.compute(predictions=ps, references=rs) '
                  'for g, (ps, rs) in rows.items()}'),
    ],
}

WRONG = {
    "ex1-answer": [
        (_module('        negatives = [p for p, r in zip(predictions, references) if r != pos_label]\n'
                 '        return {"specificity": sum(p != pos_label for p in negatives) / len(negatives)}'),
         "raised ZeroDivisionError"),
        (_module('        negatives = [p for p, r in zip(predictions, references) if r == 0]\n'
                 '        if not negatives:\n'
                 '            return {"specificity": 0.0}\n'
                 '        return {"specificity": sum(p == 0 for p in negatives) / len(negatives)}'),
         "among the rows whose reference is not pos_label"),
        (_module('        negatives = [p for p, r in zip(predictions, references) if r != pos_label]\n'
                 '        if not negatives:\n'
                 '            return 0.0\n'
                 '        return sum(p != pos_label for p in negatives) / len(negatives)'),
         "returns `{'specificity': value}`"),
        (_module('        return {"specificity": 0.0}',
                 info='        raise NotImplementedError()\n',
                 head="import datasets\nfrom evaluate import Metric\nimport evaluate\n"),
         "`_info` is not implemented"),
        (_module('        positives = [p for p, r in zip(predictions, references) if r == pos_label]\n'
                 '        if not positives:\n'
                 '            return {"specificity": 0.0}\n'
                 '        return {"specificity": sum(p == pos_label for p in positives) / len(positives)}'),
         "TN / (TN + FP)"),
    ],
    "ex2-answer": [
        (_by_length('        outs = pipe(dataset["text"][:], batch_size=batch_size)\n'
                    '        f1 = evaluate.load(course.metric("f1"))\n'
                    '        scores[L] = float(f1.compute(predictions=[to_id[o["label"]] for o in outs], '
                    'references=dataset["label"][:], average="macro")["f1"])'),
         "batch by batch"),
        (_by_length(_FEED + '        scores[L] = float(f1.compute()["f1"])'), "average='macro'"),
        (_by_length(_FEED + '        scores[L] = f1.compute(average="macro")'), "Take the number out"),
        (_by_length(_FEED + '        scores[L] = float(f1.compute(average="macro")["f1"])').replace(
            ", truncation=True, max_length=L)", ")"), "truncation=True, max_length=L"),
        (_by_length('        f1 = evaluate.load(course.metric("f1"))\n'
                    '        for batch in dataset.iter(batch_size=batch_size):\n'
                    '            out = pipe(batch["text"])\n'
                    '            f1.add_batch(predictions=[o["label"] for o in out], '
                    'references=batch["label"])\n'
                    '        scores[L] = float(f1.compute(average="macro")["f1"])'), "label2id"),
    ],
    "ex3-answer": [
        (_threshold('    for t in np.unique(scores):\n'
                    '        called = scores > t\n'
                    '        tp = int((called & (labels == 1)).sum())\n'
                    '        if called.sum() and tp / called.sum() >= min_precision:\n'
                    '            return float(t), tp / int((labels == 1).sum())\n'
                    '    return None, 0.0'), "`score >= t`"),
        (_threshold('    best = (None, 0.0)\n'
                    '    for t in np.unique(scores)[::-1]:\n'
                    '        called = scores >= t\n'
                    '        tp = int((called & (labels == 1)).sum())\n'
                    '        if tp / called.sum() < min_precision:\n'
                    '            break\n'
                    '        best = (float(t), tp / int((labels == 1).sum()))\n'
                    '    return best'), "not monotone"),
        (_threshold('    for t in np.unique(scores):\n'
                    '        called = scores >= t\n'
                    '        tp = int((called & (labels == 1)).sum())\n'
                    '        if tp / called.sum() >= min_precision:\n'
                    '            return [float(t), tp / int((labels == 1).sum())]\n'
                    '    return None, 0.0'), "should return a tuple"),
        (_threshold('    for t in np.unique(scores):\n'
                    '        called = scores >= t\n'
                    '        tp = int((called & (labels == 1)).sum())\n'
                    '        if tp / called.sum() >= min_precision:\n'
                    '            return float(t), tp / called.sum()\n'
                    '    return None, 0.0'), "Recall = true positives"),
    ],
    "ex4-answer": [
        (_groups('    combined = evaluate.combine([course.metric(n) for n in metric_names])\n'
                 '    everything = combined.compute(predictions=list(predictions), '
                 'references=list(references))\n'
                 '    return {g: everything for g in set(list(groups))}'), "rows of the group only"),
        ('from sklearn.metrics import accuracy_score, f1_score\n'
         + _groups('    p, r, g = np.asarray(predictions), np.asarray(references), np.asarray(groups)\n'
                   '    return {k: {"accuracy": accuracy_score(r[g == k], p[g == k]), '
                   '"f1": f1_score(r[g == k], p[g == k])} for k in set(g.tolist())}'),
         "did not use `evaluate.combine`"),
        (_groups('    combined = evaluate.combine(["accuracy", "f1"])\n'
                 '    return {}'), "raised"),
        (_groups('    combined = evaluate.combine([course.metric(n) for n in ("accuracy", "f1")])\n'
                 '    p, r, g = np.asarray(predictions), np.asarray(references), np.asarray(groups)\n'
                 '    return {k: combined.compute(predictions=p[g == k].tolist(), '
                 'references=r[g == k].tolist()) for k in set(g.tolist())}'),
         "exactly the metrics named in `metric_names`"),
    ],
}
