"""Chapter 10 (capstone): other students' answers."""


def _preprocess(body: str) -> str:
    return 'def preprocess(batch):\n' + body


def _metrics(body: str, load: str = 'accuracy_metric = evaluate.load(course.metric("accuracy"))\n'
                                     'f1_metric = evaluate.load(course.metric("f1"))\n') -> str:
    return 'import evaluate\n' + load + '\ndef compute_metrics(eval_pred):\n' + body


def _card(results: str = 'float(value)', extra: str = "", split: str = "test") -> str:
    return ('def card_data_for(metrics):\n'
            '    results = [EvalResult(task_type="text-classification", dataset_type=DATASET_ID, '
            f'dataset_name="reviews", dataset_split="{split}", metric_type=name, '
            f'metric_value={results}) for name, value in metrics.items()]\n'
            '    return ModelCardData(model_name=MODEL_NAME, base_model=course.checkpoint("base"), '
            'datasets=[DATASET_ID], pipeline_tag="text-classification", library_name="transformers", '
            f'license="apache-2.0", eval_results=results{extra})')


def _predict(body: str) -> str:
    return 'def predict_labels(model, tokenizer, texts):\n' + body


_FORWARD = ('    inputs = tokenizer(list(texts), padding=True, truncation=True, '
            'return_tensors="pt").to(model.device)\n')

RIGHT = {
    "ex1-answer": [
        _preprocess('    encoded = tokenizer(batch["text"], truncation=True, max_length=MAX_LENGTH)\n'
                    '    return {**encoded, "labels": batch["label"]}'),
        _preprocess('    out = dict(tokenizer(list(batch["text"]), max_length=MAX_LENGTH, truncation=True))\n'
                    '    out["labels"] = list(batch["label"])\n'
                    '    return out'),
        _preprocess('    enc = tokenizer(batch["text"], truncation="longest_first", max_length=MAX_LENGTH, '
                    'padding=False)\n'
                    '    return {"input_ids": enc["input_ids"], "attention_mask": enc["attention_mask"], '
                    '"labels": [int(x) for x in batch["label"]]}'),
    ],
    "ex2-answer": [
        _metrics('    logits, labels = eval_pred\n'
                 '    predictions = np.argmax(logits, axis=-1)\n'
                 '    return {**accuracy_metric.compute(predictions=predictions, references=labels),\n'
                 '            **f1_metric.compute(predictions=predictions, references=labels)}'),
        _metrics('    predictions = eval_pred.predictions.argmax(-1)\n'
                 '    return combined.compute(predictions=predictions, references=eval_pred.label_ids)',
                 load='combined = evaluate.combine([course.metric("accuracy"), course.metric("f1")])\n'),
        _metrics('    logits, labels = eval_pred.predictions, eval_pred.label_ids\n'
                 '    predictions = logits.argmax(axis=1)\n'
                 '    acc = accuracy_metric.compute(predictions=predictions, references=labels)["accuracy"]\n'
                 '    f1 = f1_metric.compute(predictions=predictions, references=labels, pos_label=1)["f1"]\n'
                 '    return {"accuracy": float(acc), "f1": float(f1)}'),
    ],
    "ex3-answer": [
        _card(),
        _card(results='value.item() if hasattr(value, "item") else float(value)',
              extra=', tags=["lora"], language="en"'),
        'def card_data_for(metrics):\n'
        '    data = ModelCardData(model_name=MODEL_NAME, base_model=course.checkpoint("base"), '
        'datasets=[DATASET_ID], pipeline_tag="text-classification", library_name="transformers", '
        'license="apache-2.0")\n'
        '    data.eval_results = []\n'
        '    for name in metrics:\n'
        '        data.eval_results.append(EvalResult(task_type="text-classification", '
        'dataset_type=DATASET_ID, dataset_name="tiny reviews", dataset_split="test", '
        'metric_type=name, metric_value=float(metrics[name])))\n'
        '    return data',
    ],
    "ex4-answer": [
        _predict('    model.eval()\n' + _FORWARD +
                 '    with torch.no_grad():\n'
                 '        ids = model(**inputs).logits.argmax(dim=-1).tolist()\n'
                 '    return [model.config.id2label[i] for i in ids]'),
        _predict('    model.train(False)\n' + _FORWARD +
                 '    with torch.inference_mode():\n'
                 '        logits = model(**inputs).logits\n'
                 '    return tuple(model.config.id2label[int(i)] for i in torch.argmax(logits, dim=1))'),
        _predict('    model = model.eval()\n'
                 '    names = []\n'
                 '    for text in texts:\n'
                 '        inputs = tokenizer(text, truncation=True, return_tensors="pt").to(model.device)\n'
                 '        with torch.no_grad():\n'
                 '            names.append(model.config.id2label[model(**inputs).logits[0].argmax().item()])\n'
                 '    return names'),
    ],
}

WRONG = {
    "ex1-answer": [
        (_preprocess('    encoded = tokenizer(batch["text"], truncation=True, max_length=MAX_LENGTH, '
                     'padding="max_length")\n'
                     '    encoded["labels"] = batch["label"]\n'
                     '    return encoded'), "Leave out `padding=`"),
        (_preprocess('    encoded = tokenizer(batch["text"], truncation=True, max_length=MAX_LENGTH)\n'
                     '    encoded["label"] = batch["label"]\n'
                     '    return encoded'), "plural"),
        (_preprocess('    encoded = tokenizer(batch["text"])\n'
                     '    encoded["labels"] = batch["label"]\n'
                     '    return encoded'), "truncation=True, max_length=MAX_LENGTH"),
        (_preprocess('    encoded = tokenizer(batch["text"], truncation=True, max_length=128)\n'
                     '    encoded["labels"] = batch["label"]\n'
                     '    return encoded'), "MAX_LENGTH"),
        (_preprocess('    encoded = tokenizer(batch["text"], truncation=True, max_length=MAX_LENGTH, '
                     'add_special_tokens=False)\n'
                     '    encoded["labels"] = batch["label"]\n'
                     '    return encoded'), "special tokens included"),
    ],
    "ex2-answer": [
        (_metrics('    logits, labels = eval_pred\n'
                  '    return {**accuracy_metric.compute(predictions=logits, references=labels),\n'
                  '            **f1_metric.compute(predictions=logits, references=labels)}'),
         "np.argmax(logits, axis=-1)"),
        (_metrics('    logits, labels = eval_pred\n'
                  '    predictions = np.argmax(logits, axis=-1)\n'
                  '    return {"accuracy": accuracy_metric.compute(predictions=predictions, '
                  'references=labels), "f1": f1_metric.compute(predictions=predictions, '
                  'references=labels)}'), "merge the dicts"),
        (_metrics('    logits, labels = eval_pred\n'
                  '    predictions = np.argmax(logits, axis=-1)\n'
                  '    return {**accuracy_metric.compute(predictions=predictions, references=labels),\n'
                  '            **f1_metric.compute(predictions=predictions, references=labels, '
                  'average="macro")}'), "no `average=` argument"),
        (_metrics('    logits, labels = eval_pred\n'
                  '    predictions = np.argmax(logits, axis=-1)\n'
                  '    return accuracy_metric.compute(predictions=predictions, references=labels)'),
         "should have the keys 'accuracy' and 'f1'"),
    ],
    "ex3-answer": [
        (_card(results='value'), "float(value)"),  # a numpy float cannot be written
        (_card(split="validation"), "measured on the test split"),
        (_card().replace('for name, value in metrics.items()]', 'for name, value in '
                         'list(metrics.items())[:1]]'), "One `EvalResult` per metric"),
        (_card().replace('eval_results=results', 'eval_results=[]'), "One `EvalResult` per metric"),
        (_card().replace('model_name=MODEL_NAME, ', ''), "requires `model_name`"),
    ],
    "ex4-answer": [
        (_predict(_FORWARD + '    with torch.no_grad():\n'
                  '        ids = model(**inputs).logits.argmax(dim=-1).tolist()\n'
                  '    return [model.config.id2label[i] for i in ids]'), "model.eval()"),
        (_predict('    model.eval()\n' + _FORWARD +
                  '    ids = model(**inputs).logits.argmax(dim=-1).tolist()\n'
                  '    return [model.config.id2label[i] for i in ids]'), "torch.no_grad()"),
        (_predict('    model.eval()\n' + _FORWARD +
                  '    with torch.no_grad():\n'
                  '        return model(**inputs).logits.argmax(dim=-1).tolist()'), "id2label"),
        (_predict('    model.eval()\n' + _FORWARD +
                  '    with torch.no_grad():\n'
                  '        ids = model(**inputs).logits.argmin(dim=-1).tolist()\n'
                  '    return [model.config.id2label[i] for i in ids]'), "the argmax of the logits"),
    ],
}
