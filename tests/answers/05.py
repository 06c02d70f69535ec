"""Chapter 05 (fine-tuning with Trainer): other students' answers.

Training answers keep to the chapter's SETTINGS; wrong ones train a few steps at most.
"""

_F1 = 'f1_metric = evaluate.load(course.metric("f1"))\n\n'


def _metrics(body: str) -> str:
    return _F1 + 'def compute_metrics(eval_pred):\n' + body


def _schedule(*changes: tuple[str, str]) -> str:
    lines = {"output_dir": "schedule_dir", "max_steps": "120", "logging_steps": "10",
             "eval_strategy": '"steps"', "eval_steps": "20", "save_strategy": '"steps"',
             "save_steps": "40", "save_total_limit": "2", "report_to": '"none"'}
    for key, value in changes:
        if value is None:
            lines.pop(key)
        else:
            lines[key] = value
    body = ", ".join(f"{k}={v}" for k, v in lines.items())
    return f'schedule_dir = str(workdir / "schedule")\nschedule_args = TrainingArguments({body})'


def _budget(model: str = 'course.checkpoint("base"), num_labels=len(label_names), '
                         'id2label=id2label, label2id=label2id',
            steps: int = 200, name: str = "budget_model", train: bool = True, extra: str = "") -> str:
    code = ('set_seed(0)\n'
            f'{name} = AutoModelForSequenceClassification.from_pretrained({model})\n'
            f'budget_args = TrainingArguments(output_dir=str(workdir / "budget"), max_steps={steps}, '
            'per_device_train_batch_size=SETTINGS["batch_size"], '
            'learning_rate=SETTINGS["learning_rate"], warmup_steps=0.1, save_strategy="no", '
            f'seed=0, report_to="none"{extra})\n'
            f'budget_trainer = Trainer(model={name}, args=budget_args, train_dataset=train_tokens, '
            'data_collator=collator, processing_class=tokenizer)\n')
    return code + ('budget_trainer.train()' if train else '')


def _labels(body: str) -> str:
    return 'def predicted_labels(prediction_output, id2label):\n' + body


RIGHT = {
    "ex1-answer": [
        _metrics('    logits, labels = eval_pred.predictions, eval_pred.label_ids\n'
                 '    predictions = logits.argmax(-1)\n'
                 '    return {"accuracy": accuracy.compute(predictions=predictions, '
                 'references=labels)["accuracy"],\n'
                 '            "f1": f1_metric.compute(predictions=predictions, references=labels, '
                 'average="macro")["f1"]}'),
        _metrics('    logits, labels = eval_pred\n'
                 '    predictions = np.argmax(logits, axis=1)\n'
                 '    scores = accuracy.compute(predictions=predictions, references=labels)\n'
                 '    return {**scores, **f1_metric.compute(predictions=predictions, '
                 'references=labels, average="macro")}'),
        _metrics('    predictions = np.argmax(eval_pred.predictions, axis=-1)\n'
                 '    labels = eval_pred.label_ids\n'
                 '    acc = float(np.mean(predictions == labels))\n'
                 '    f1 = f1_metric.compute(predictions=predictions, references=labels, '
                 'average="macro")["f1"]\n'
                 '    return dict(accuracy=acc, f1=np.float64(f1))'),
    ],
    "ex2-answer": [
        _schedule(),
        _schedule(("eval_strategy", '"steps"'), ("save_strategy", None),  # "steps" is the default
                  ("per_device_train_batch_size", "16")),
        _schedule(("report_to", "[]"), ("learning_rate", "1e-3"), ("seed", "3"),
                  ("output_dir", "Path(schedule_dir)")),
    ],
    "ex3-answer": [
        _budget(name="model"),  # a fresh model under the name `model`
        'set_seed(0)\n'
        'def init():\n'
        '    return AutoModelForSequenceClassification.from_pretrained(course.checkpoint("base"), '
        'num_labels=2, id2label=id2label, label2id=label2id)\n'
        'budget_trainer = Trainer(model_init=init, args=TrainingArguments(output_dir=str(workdir / '
        '"budget"), max_steps=200, per_device_train_batch_size=SETTINGS["batch_size"], '
        'learning_rate=SETTINGS["learning_rate"], warmup_steps=0.1, save_strategy="no", seed=0, '
        'report_to="none"), train_dataset=train_tokens, data_collator=collator)\n'
        'budget_trainer.train()',
        _budget(steps=160, extra=', eval_strategy="steps", eval_steps=80, '
                                 'per_device_eval_batch_size=64').replace(
            "data_collator=collator,", "eval_dataset=eval_tokens, data_collator=collator,"),
    ],
    "ex4-answer": [
        _labels('    return [id2label[int(i)] for i in prediction_output.predictions.argmax(-1)]'),
        _labels('    logits = prediction_output[0]\n'
                '    return list(map(lambda i: id2label[i], np.argmax(logits, axis=1).tolist()))'),
        _labels('    import torch\n'
                '    ids = torch.tensor(prediction_output.predictions).argmax(dim=-1)\n'
                '    return tuple(id2label[i.item()] for i in ids)'),
    ],
}

WRONG = {
    "ex1-answer": [
        (_metrics('    logits, labels = eval_pred\n'
                  '    predictions = np.argmax(logits, axis=-1)\n'
                  '    scores = accuracy.compute(predictions=predictions, references=labels)\n'
                  '    scores.update(f1_metric.compute(predictions=predictions, references=labels))\n'
                  '    return scores'), "average='macro'"),
        (_metrics('    logits, labels = eval_pred\n'
                  '    scores = accuracy.compute(predictions=logits, references=labels)\n'
                  '    return scores'), "np.argmax(logits, axis=-1)"),
        (_metrics('    logits, labels = eval_pred\n'
                  '    predictions = np.argmax(logits, axis=-1)\n'
                  '    return accuracy.compute(predictions=predictions, references=labels)["accuracy"]'),
         "Return a dict"),
        (_metrics('    logits, labels = eval_pred\n'
                  '    predictions = np.argmax(logits, axis=-1)\n'
                  '    return {"acc": float((predictions == labels).mean()), '
                  '"f1": f1_metric.compute(predictions=predictions, references=labels, '
                  'average="macro")["f1"]}'), "Name the keys exactly"),
        (_metrics('    logits, labels = eval_pred\n'
                  '    predictions = np.argmax(logits, axis=-1)\n'
                  '    scores = accuracy.compute(predictions=predictions, references=labels)\n'
                  '    scores.update(f1_metric.compute(predictions=predictions, references=labels, '
                  'average="micro"))\n'
                  '    return scores'), "Macro F1 averages"),
    ],
    "ex2-answer": [
        (_schedule(("max_steps", None), ("num_train_epochs", "3")), "`max_steps` does not"),
        (_schedule(("eval_strategy", None)), "eval_strategy='steps'"),
        (_schedule(("save_total_limit", None)), "Without a limit"),
        (_schedule(("save_steps", "50")), "`save_steps`"),
        (_schedule(("logging_steps", "20")), "`logging_steps`"),
    ],
    "ex3-answer": [
        ('budget_trainer = Trainer(model=trainer.model, args=TrainingArguments(output_dir=str(workdir'
         ' / "budget"), max_steps=5, save_strategy="no", report_to="none"), '
         'train_dataset=train_tokens, data_collator=collator)\n'
         'budget_trainer.train()', "already fine-tuned"),
        (_budget(model='course.checkpoint("sentiment")', steps=5), "Start from `course.checkpoint('base')`"),
        (_budget(model='course.checkpoint("base"), num_labels=2', steps=5), "Pass `num_labels`"),
        (_budget(train=False), "Call `budget_trainer.train()`"),
        (_budget(steps=3), "below the bar"),
    ],
    "ex4-answer": [
        (_labels('    return [id2label[int(i)] for i in np.argmax(prediction_output.predictions, '
                 'axis=0)]'), "argmax of each row (`axis=-1`)"),
        # Caught by the visible test when the model makes mistakes, by the hidden one when not.
        (_labels('    return [id2label[int(i)] for i in prediction_output.label_ids]'),
         "`label_ids`"),
        (_labels('    return list(np.argmax(prediction_output.predictions, axis=-1))'),
         "Look each class id up"),
        (_labels('    return [trainer.model.config.id2label[int(i)] for i in '
                 'np.argmax(prediction_output.predictions, axis=-1)]'), "the `id2label` argument"),
        (_labels('    return [id2label[int(i)] for i in np.argmax(prediction_output.predictions)]'),
         "argmax of each row"),
    ],
}
