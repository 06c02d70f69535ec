"""Chapter 03 (models under the hood and generation): other students' answers."""

_CLASSIFY = ('def classify(texts):\n'
             '    batch = tokenizer(texts, padding=True, truncation=True, return_tensors="pt").to(device)\n'
             '    with torch.inference_mode():\n'
             '        logits = model(**batch).logits\n')


def _next(body: str) -> str:
    return ('def next_token_probability(prompt, candidate):\n'
            '    candidate_id = lm_tokenizer.encode(candidate)[0]\n'
            '    inputs = lm_tokenizer(prompt, return_tensors="pt").to(device)\n'
            '    with torch.inference_mode():\n'
            '        logits = lm(**inputs).logits\n' + body)


def _greedy(step: str, stop: str = "        if next_id == lm_tokenizer.eos_token_id:\n"
                                   "            break\n", result: str = "new") -> str:
    return ('def greedy_generate(prompt, max_new_tokens):\n'
            '    ids = lm_tokenizer(prompt, return_tensors="pt").input_ids.to(device)\n'
            '    new = []\n'
            '    for _ in range(max_new_tokens):\n'
            '        with torch.no_grad():\n'
            f'            {step}\n'
            '        new.append(next_id)\n'
            '        ids = torch.cat([ids, torch.tensor([[next_id]], device=ids.device)], dim=1)\n'
            + stop + f'    return {result}')


RIGHT = {
    "ex1-answer": [
        _CLASSIFY + '    probs = torch.softmax(logits, dim=-1)\n'
                    '    return [{"label": model.config.id2label[int(p.argmax())], "score": float(p.max())}'
                    ' for p in probs]',
        _CLASSIFY + '    best = logits.softmax(-1).max(-1)\n'
                    '    return [dict(label=model.config.id2label[i], score=s)\n'
                    '            for i, s in zip(best.indices.tolist(), best.values.tolist())]',
        'import numpy as np\n'
        'def classify(texts):\n'
        '    results = []\n'
        '    for text in texts:\n'
        '        inputs = tokenizer(text, return_tensors="pt").to(device)\n'
        '        with torch.inference_mode():\n'
        '            p = model(**inputs).logits[0].softmax(dim=0).cpu().numpy().astype(np.float64)\n'
        '        label_id = int(np.argmax(p))\n'
        '        results.append({"label": model.config.id2label[label_id], "score": p[label_id]})\n'
        '    return results',
    ],
    "ex2-answer": [
        _next('    return logits[0, -1].softmax(-1)[candidate_id].item()'),
        _next('    return float(torch.nn.functional.softmax(logits[:, -1, :], dim=-1)[0, candidate_id])'),
        'import math\n' + _next('    return math.exp(logits[0, -1].log_softmax(-1)[candidate_id].item())'),
        _next('    return logits[0, -1].softmax(-1)[candidate_id]'),  # a one-element tensor
    ],
    "ex3-answer": [
        _greedy('next_id = lm(input_ids=ids).logits[0, -1].argmax().item()'),
        _greedy('next_id = int(torch.argmax(lm(ids).logits[:, -1, :], dim=-1))',
                result="tuple(new)"),
        _greedy('next_id = lm(input_ids=ids, attention_mask=torch.ones_like(ids)).logits[0, -1]'
                '.softmax(-1).argmax().item()',
                stop="        if next_id in (lm_tokenizer.eos_token_id,):\n            return new\n"),
        _greedy('next_id = lm(input_ids=ids).logits[0, -1].argmax()'),  # 0-d tensors, not ints
        _greedy('next_id = lm(input_ids=ids).logits[0, -1].argmax().item()',
                stop="        if next_id == lm.generation_config.eos_token_id:\n            break\n"),
    ],
    "ex4-answer": [
        'settings = {"max_new_tokens": 15, "min_new_tokens": 15, "do_sample": False, '
        '"no_repeat_ngram_size": 2}',
        'settings = dict(max_new_tokens=15, min_new_tokens=15, num_beams=3, no_repeat_ngram_size=2)',
        'settings = {"max_new_tokens": 15, "min_new_tokens": 15, "no_repeat_ngram_size": 2, '
        '"pad_token_id": lm_tokenizer.eos_token_id}',
    ],
}

WRONG = {
    "ex1-answer": [
        (_CLASSIFY + '    probs = logits.softmax(-1)\n'
                     '    return [{"label": model.config.id2label[int(p.argmax())], "score": p.max()}'
                     ' for p in probs]', "Python float"),
        (_CLASSIFY + '    return [{"label": model.config.id2label[int(l.argmax())], '
                     '"score": float(l.max())} for l in logits]', "apply `.softmax(dim=-1)`"),
        (_CLASSIFY + '    probs = logits.softmax(-1)\n'
                     '    return [{"label": int(p.argmax()), "score": float(p.max())} for p in probs]',
         "model.config.id2label"),
        (_CLASSIFY + '    probs = logits.softmax(0)\n'
                     '    return [{"label": model.config.id2label[int(p.argmax())], '
                     '"score": float(p.max())} for p in probs]', "softmax over the labels (dim=-1)"),
        (_CLASSIFY + '    probs = logits.softmax(-1)\n'
                     '    ids = probs.argmax(0).tolist()\n'
                     '    return [{"label": model.config.id2label[i], "score": float(probs[n, i])}\n'
                     '            for n, i in enumerate(ids)]', "argmax over the wrong axis"),
    ],
    "ex2-answer": [
        (_next('    return logits[0, -1][candidate_id].item()'), "not a probability"),
        (_next('    return logits[0, -1].log_softmax(-1)[candidate_id].item()'), "log-probability"),
        (_next('    return logits[0, 0].softmax(-1)[candidate_id].item()'), "`logits[0, -1]`"),
        (_next('    return logits[0, -1].softmax(-1)'), "one number"),
        ('def next_token_probability(prompt, candidate):\n'
         '    candidate_id = lm_tokenizer.convert_tokens_to_ids(candidate)\n'
         '    inputs = lm_tokenizer(prompt, return_tensors="pt").to(device)\n'
         '    with torch.inference_mode():\n'
         '        logits = lm(**inputs).logits\n'
         '    return logits[0, -1].softmax(-1)[candidate_id].item()', "convert_tokens_to_ids"),
    ],
    "ex3-answer": [
        (_greedy('next_id = lm(input_ids=ids).logits[0, -1].argmax().item()', stop=""),
         "Stop the loop right after"),
        (_greedy('next_id = lm(input_ids=ids).logits[0, 0].argmax().item()'), "`logits[0, -1]`"),
        (_greedy('next_id = lm(input_ids=ids).logits[0, -1].argmax().item()',
                 result="ids[0].tolist()"), "only the new tokens"),
        ('def greedy_generate(prompt, max_new_tokens):\n'
         '    inputs = lm_tokenizer(prompt, return_tensors="pt").to(device)\n'
         '    out = lm.generate(**inputs, max_new_tokens=max_new_tokens, do_sample=False)\n'
         '    return out[0, inputs.input_ids.shape[1]:].tolist()', "called `lm.generate`"),
        ('def greedy_generate(prompt, max_new_tokens):\n'
         '    ids = lm_tokenizer(prompt, return_tensors="pt").input_ids.to(device)\n'
         '    start = ids.shape[1]\n'
         '    for _ in range(max_new_tokens + 1):\n'
         '        next_id = lm(input_ids=ids).logits[:, -1:].argmax(-1)\n'
         '        ids = torch.cat([ids, next_id], dim=1)\n'
         '    return ids[0, start:].tolist()', "more than max_new_tokens"),
    ],
    "ex4-answer": [
        ('settings = {"max_length": 15, "min_new_tokens": 15, "do_sample": False, '
         '"no_repeat_ngram_size": 2}', "`max_length` counts the prompt too"),
        ('settings = {"max_new_tokens": 15, "do_sample": False, "no_repeat_ngram_size": 2}',
         "`min_new_tokens` forbids it"),
        ('settings = {"max_new_tokens": 15, "min_new_tokens": 15, "do_sample": True, '
         '"no_repeat_ngram_size": 2}', "output changes with the seed"),
        ('settings = {"max_new_tokens": 15, "min_new_tokens": 15, "do_sample": False}',
         "bans repeated n-grams"),
        ('settings = {"max_new_tokens": 15, "min_length": 15, "do_sample": False, '
         '"no_repeat_ngram_size": 2}', "`min_length` counts the prompt too"),
    ],
}
