"""Chapter 08 (PEFT and LoRA): other students' answers."""


def _config(targets: str, extra: str = "", alpha: str = "2 * r") -> str:
    return ('def make_lora_config(model, r, head_modules):\n'
            f'    targets = {targets}\n'
            f'    return LoraConfig(task_type=TaskType.SEQ_CLS, r=r, lora_alpha={alpha}, '
            f'target_modules=targets, modules_to_save=list(head_modules){extra})')


_LEAVES = ('sorted({n.split(".")[-1] for n, m in model.named_modules() '
           'if isinstance(m, torch.nn.Linear)} & {"query", "key", "value", "q_lin", "k_lin", "v_lin"})')

_COUNT_ONE = ('def lora_parameter_count(in_features, out_features, r):\n'
              '    return r * (in_features + out_features)\n\n')


def _count(body: str, one: str = _COUNT_ONE) -> str:
    return one + 'def count_lora_parameters(model, target_names, r):\n' + body


def _merge(body: str) -> str:
    return 'def merge_and_compare(peft_model, batch):\n' + body


def _predict(body: str) -> str:
    return 'def predict_with_adapter(adapter_path, sentences):\n' + body


_RUN = ('    inputs = tokenizer(list(sentences), padding=True, return_tensors="pt")\n'
        '    with torch.no_grad():\n'
        '        return loaded(**inputs).logits.argmax(-1).tolist()')

RIGHT = {
    "ex1-answer": [
        _config(_LEAVES),
        _config('[n for n in ("query", "key", "value", "q_lin", "k_lin", "v_lin") '
                'if any(name.endswith("." + n) for name, _ in model.named_modules())]',
                extra=", lora_dropout=0.05", alpha="r * 2"),
        _config('sorted(name for name, m in model.named_modules() '
                'if isinstance(m, torch.nn.Linear) and name.split(".")[-1] in '
                '("query", "key", "value", "q_lin", "k_lin", "v_lin"))', extra=", bias=\"none\""),
    ],
    "ex2-answer": [
        _count('    return sum(lora_parameter_count(m.in_features, m.out_features, r) '
               'for n, m in model.named_modules() '
               'if isinstance(m, torch.nn.Linear) and n.split(".")[-1] in target_names)'),
        _count('    total = 0\n'
               '    for name, module in model.named_modules():\n'
               '        if type(module) is torch.nn.Linear and name.rsplit(".", 1)[-1] in set(target_names):\n'
               '            total += r * module.in_features + module.out_features * r\n'
               '    return total',
               one='def lora_parameter_count(in_features, out_features, r):\n'
                   '    a, b = r * in_features, out_features * r\n'
                   '    return a + b\n\n'),
        'import numpy as np\n' + _count(
            '    sizes = [(m.in_features, m.out_features) for n, m in model.named_modules() '
            'if isinstance(m, torch.nn.Linear) and n.split(".")[-1] in target_names]\n'
            '    return int(np.sum([lora_parameter_count(i, o, r) for i, o in sizes]))'),
    ],
    "ex3-answer": [
        _merge('    peft_model.eval()\n'
               '    merged_model = copy.deepcopy(peft_model).merge_and_unload()\n'
               '    with torch.inference_mode():\n'
               '        a = peft_model(**batch).logits\n'
               '        b = merged_model(**batch).logits\n'
               '    return merged_model, float((a - b).abs().max())'),
        _merge('    peft_model.eval()\n'
               '    with torch.no_grad():\n'
               '        before = peft_model(**batch).logits\n'
               '    merged_model = copy.deepcopy(peft_model).merge_and_unload().eval()\n'
               '    with torch.no_grad():\n'
               '        after = merged_model(**batch).logits\n'
               '    return (merged_model, torch.max(torch.abs(before - after)).item())'),
        _merge('    peft_model.eval()\n'
               '    merged_model = copy.deepcopy(peft_model).merge_and_unload(safe_merge=True)\n'
               '    merged_model.eval()\n'
               '    with torch.no_grad():\n'
               '        diff = (peft_model(**batch).logits - merged_model(**batch).logits).abs().max()\n'
               '    return merged_model, diff.item()'),
    ],
    "ex4-answer": [
        _predict('    loaded = AutoPeftModelForSequenceClassification.from_pretrained(adapter_path).eval()\n'
                 + _RUN),
        _predict('    base = AutoModelForSequenceClassification.from_pretrained(checkpoint, '
                 'num_labels=2)\n'
                 '    loaded = PeftModel.from_pretrained(base, adapter_path)\n'
                 '    loaded.eval()\n' + _RUN),
        _predict('    loaded = AutoPeftModelForSequenceClassification.from_pretrained(str(adapter_path))\n'
                 '    loaded.eval()\n'
                 '    inputs = tokenizer(sentences, padding="longest", truncation=True, return_tensors="pt")\n'
                 '    with torch.inference_mode():\n'
                 '        logits = loaded(**inputs).logits\n'
                 '    return [int(i) for i in logits.argmax(dim=1)]'),
    ],
}

WRONG = {
    "ex1-answer": [
        (_config('["query", "key", "value"]'), "do not write one architecture's names"),
        (_config('["query", "value", "q_lin", "v_lin"]'), "got no LoRA"),
        (_config('["query", "key", "value", "dense", "q_lin", "k_lin", "v_lin"]'),
         "should not get LoRA"),
        (_config(_LEAVES, alpha="16"), "`lora_alpha=2 * r`"),
        (_config(_LEAVES).replace(", modules_to_save=list(head_modules)", ""), "modules_to_save"),
    ],
    "ex2-answer": [
        (_count('    return 0', one='def lora_parameter_count(in_features, out_features, r):\n'
                                   '    return in_features * out_features\n\n'), "the size of W itself"),
        (_count('    return 0', one='def lora_parameter_count(in_features, out_features, r):\n'
                                   '    return r * (in_features + out_features) + out_features\n\n'),
         "no bias"),
        (_count('    return sum(lora_parameter_count(m.in_features, m.out_features, r) '
                'for n, m in model.named_modules() if isinstance(m, torch.nn.Linear))'),
         "whose name ends with a target"),
        (_count('    m = next(m for n, m in model.named_modules() if isinstance(m, torch.nn.Linear) '
                'and n.split(".")[-1] in target_names)\n'
                '    return lora_parameter_count(m.in_features, m.out_features, r)'),
         "over every nn.Linear"),
    ],
    "ex3-answer": [
        (_merge('    merged_model = copy.deepcopy(peft_model).merge_and_unload()\n'
                '    a = peft_model(**batch).logits\n'
                '    b = merged_model(**batch).logits\n'
                '    return merged_model, (a - b).abs().max().item()'), "eval mode"),
        (_merge('    peft_model.eval()\n'
                '    merged_model = copy.deepcopy(peft_model).unload()\n'
                '    with torch.no_grad():\n'
                '        a, b = peft_model(**batch).logits, merged_model(**batch).logits\n'
                '    return merged_model, (a - b).abs().max().item()'), "`unload()` drops it"),
        (_merge('    peft_model.eval()\n'
                '    with torch.no_grad():\n'
                '        a = peft_model(**batch).logits\n'
                '    merged_model = peft_model.merge_and_unload()\n'
                '    with torch.no_grad():\n'
                '        b = merged_model(**batch).logits\n'
                '    return merged_model, (a - b).abs().max().item()'), "Merge a copy"),
        (_merge('    peft_model.eval()\n'
                '    merged_model = copy.deepcopy(peft_model).merge_and_unload()\n'
                '    with torch.no_grad():\n'
                '        a, b = peft_model(**batch).logits, merged_model(**batch).logits\n'
                '    return merged_model, (a - b).abs().max()'), "`.item()`"),
        (_merge('    peft_model.eval()\n'
                '    merged_model, _ = load_base()\n'
                '    with torch.no_grad():\n'
                '        a, b = peft_model(**batch).logits, merged_model.eval()(**batch).logits\n'
                '    return merged_model, (a - b).abs().max().item()'), "not a fresh base model"),
    ],
    "ex4-answer": [
        (_predict('    loaded = AutoPeftModelForSequenceClassification.from_pretrained(adapter_dir).eval()\n'
                  + _RUN), "another adapter"),
        (_predict('    loaded = AutoPeftModelForSequenceClassification.from_pretrained(adapter_path).eval()\n'
                  '    with torch.no_grad():\n'
                  '        return loaded(**tokenizer(list(sentences), return_tensors="pt")).logits'
                  '.argmax(-1).tolist()'), "padded"),
        (_predict('    loaded = AutoPeftModelForSequenceClassification.from_pretrained(adapter_path).eval()\n'
                  '    inputs = tokenizer(list(sentences), padding=True, return_tensors="pt")\n'
                  '    with torch.no_grad():\n'
                  '        return loaded(**inputs).logits.argmax(-1)'), "list of ints"),
        (_predict('    tok = AutoTokenizer.from_pretrained(adapter_path)\n'
                  '    loaded = AutoPeftModelForSequenceClassification.from_pretrained(adapter_path).eval()\n'
                  '    inputs = tok(list(sentences), padding=True, return_tensors="pt")\n'
                  '    with torch.no_grad():\n'
                  '        return loaded(**inputs).logits.argmax(-1).tolist()'), "chapter's `tokenizer`"),
    ],
}
