"""Chapter 01 (pipelines): other students' answers."""

RIGHT = {
    "ex1-answer": [
        'labels = [r["label"] for r in sentiment(exercise_reviews)]',
        'results = sentiment(exercise_reviews, batch_size=2)\n'
        'labels = tuple(r["label"] for r in results)',
        'clf = pipeline("text-classification", model=course.checkpoint("sentiment"))\n'
        'labels = list(map(lambda r: r["label"], clf(exercise_reviews)))',
        'labels = [max(scores, key=lambda s: s["score"])["label"]\n'
        '          for scores in sentiment(exercise_reviews, top_k=None)]',
    ],
    "ex2-answer": [
        'def positive_share(texts):\n'
        '    texts = list(texts)\n'
        '    if len(texts) == 0:\n'
        '        return 0.0\n'
        '    labels = [r["label"] for r in sentiment(texts)]\n'
        '    return labels.count("POSITIVE") / len(labels)',
        'import numpy as np\n'
        'def positive_share(texts):\n'
        '    if not texts:\n'
        '        return 0.0\n'
        '    return float(np.mean([r["label"] == "POSITIVE" for r in sentiment(texts)]))',
        'def positive_share(texts):\n'
        '    results = sentiment(texts) if texts else []\n'
        '    positives = len([r for r in results if r["label"] == "POSITIVE"])\n'
        '    return positives / max(len(results), 1)',
    ],
    "ex3-answer": [
        'def best_fill(sentence):\n'
        '    mask = fill_mask.tokenizer.mask_token\n'
        '    return fill_mask(sentence.replace("___", mask), top_k=1)[0]["token_str"].strip()',
        'def best_fill(sentence):\n'
        '    results = fill_mask(sentence.replace("___", fill_mask.tokenizer.mask_token))\n'
        '    best = max(results, key=lambda r: r["score"])\n'
        '    return best["token_str"].strip()',
        'def best_fill(sentence):\n'
        '    masked = "{}".join(sentence.split("___")).format(fill_mask.tokenizer.mask_token)\n'
        '    token_id = fill_mask(masked)[0]["token"]\n'
        '    return fill_mask.tokenizer.decode([token_id]).strip()',
    ],
    "ex4-answer": [
        'def people(text):\n'
        '    return [e["word"] for e in ner(text) if e["entity_group"] == "PER"]',
        'def people(text):\n'
        '    names = []\n'
        '    for entity in ner(text):\n'
        '        if entity["entity_group"] == "PER":\n'
        '            names.append(entity["word"])\n'
        '    return tuple(names)',
        'def people(text):\n'
        '    entities = sorted(ner(text), key=lambda e: e["start"])\n'
        '    return [e["word"] for e in entities if e.get("entity_group") == "PER"]',
    ],
    "ex5-answer": [
        'def summarize(document):\n'
        '    inputs = seq2seq_tokenizer("summarize: " + document, return_tensors="pt")\n'
        '    ids = seq2seq_model.generate(**inputs, max_new_tokens=32)\n'
        '    return seq2seq_tokenizer.decode(ids[0], skip_special_tokens=True)',
        'def summarize(document):\n'
        '    ids = seq2seq_tokenizer(f"summarize: {document}", return_tensors="pt").input_ids\n'
        '    out = seq2seq_model.generate(ids, max_new_tokens=32, num_beams=1, do_sample=False)\n'
        '    return seq2seq_tokenizer.batch_decode(out, skip_special_tokens=True)[0]',
        'import torch\n'
        'def summarize(document):\n'
        '    ids = seq2seq_tokenizer.encode("summarize: " + document)\n'
        '    with torch.no_grad():\n'
        '        out = seq2seq_model.generate(input_ids=torch.tensor([ids]), max_new_tokens=32)\n'
        '    return str(seq2seq_tokenizer.decode(out[0], skip_special_tokens=True))',
    ],
}

WRONG = {
    "ex1-answer": [
        ('labels = sentiment(exercise_reviews)', "Take `result['label']`"),
        ('labels = [sentiment(exercise_reviews[0])[0]["label"]]', "Pass the whole list"),
        ('labels = sorted(r["label"] for r in sentiment(exercise_reviews))', "`labels` should be"),
        ('labels = [r["score"] for r in sentiment(exercise_reviews)]', "label string"),
    ],
    "ex2-answer": [
        ('def positive_share(texts):\n'
         '    return sum(r["label"] == "POSITIVE" for r in sentiment(texts)) / len(texts)',
         "Return 0.0 before calling the pipeline"),
        ('def positive_share(texts):\n'
         '    if not texts:\n'
         '        return 0.0\n'
         '    return sum(sentiment(t)[0]["label"] == "POSITIVE" for t in texts) / len(texts)',
         "in one call"),
        ('def positive_share(texts):\n'
         '    if not texts:\n'
         '        return 0.0\n'
         '    return sum(r["label"] == "POSITIVE" for r in sentiment(texts))', "Divide by"),
        ('def positive_share(texts):\n'
         '    if not texts:\n'
         '        return 0.0\n'
         '    return sum(r["score"] for r in sentiment(texts)) / len(texts)',
         "`positive_share(exercise_reviews)` should be"),
    ],
    "ex3-answer": [
        ('def best_fill(sentence):\n'
         '    return fill_mask(sentence.replace("___", "<mask>"))[0]["token_str"].strip()',
         "fill_mask.tokenizer.mask_token"),
        ('def best_fill(sentence):\n'
         '    return fill_mask(sentence.replace("___", fill_mask.tokenizer.mask_token))',
         "not the whole result"),
        ('def best_fill(sentence):\n'
         '    masked = sentence.replace("___", fill_mask.tokenizer.mask_token)\n'
         '    return fill_mask(masked)[0]["sequence"]', "fill_mask.tokenizer.mask_token"),
        ('def best_fill(sentence):\n'
         '    masked = sentence.replace("___", fill_mask.tokenizer.mask_token)\n'
         '    return fill_mask(masked)[-1]["token_str"].strip()', "take the top result"),
    ],
    "ex4-answer": [
        ('def people(text):\n'
         '    return [e["word"] for e in ner(text)]', "Keep only entities whose `entity_group`"),
        ('def people(text):\n'
         '    return [e for e in ner(text) if e["entity_group"] == "PER"]', "not the entity dicts"),
        ('def people(text):\n'
         '    return [e["word"] for e in ner(text) if e["entity"] == "PER"]', "raised KeyError"),
        ('raw_ner = pipeline("ner", model=course.checkpoint("ner"))\n'
         'def people(text):\n'
         '    return [e["word"] for e in raw_ner(text) if e["entity"].endswith("PER")]',
         "Keep only entities whose `entity_group`"),
    ],
    "ex5-answer": [
        ('def summarize(document):\n'
         '    inputs = seq2seq_tokenizer(document, return_tensors="pt")\n'
         '    out = seq2seq_model.generate(**inputs, max_new_tokens=32)\n'
         '    return seq2seq_tokenizer.decode(out[0], skip_special_tokens=True)',
         'start the input with "summarize: "'),
        ('def summarize(document):\n'
         '    inputs = seq2seq_tokenizer("summarize: " + document, return_tensors="pt")\n'
         '    out = seq2seq_model.generate(**inputs, max_new_tokens=32)\n'
         '    return seq2seq_tokenizer.decode(out[0])', "skip_special_tokens=True"),
        ('def summarize(document):\n'
         '    inputs = seq2seq_tokenizer("summarize: " + document, return_tensors="pt")\n'
         '    return seq2seq_model.generate(**inputs, max_new_tokens=32)', "Decode the ids"),
        ('def summarize(document):\n'
         '    inputs = seq2seq_tokenizer("summarize: " + document, return_tensors="pt")\n'
         '    out = seq2seq_model.generate(**inputs, max_new_tokens=3)\n'
         '    return seq2seq_tokenizer.decode(out[0], skip_special_tokens=True)',
         "max_new_tokens=32"),
        ('def summarize(document):\n'
         '    inputs = seq2seq_tokenizer("summarize:" + document, return_tensors="pt")\n'
         '    out = seq2seq_model.generate(**inputs, max_new_tokens=32)\n'
         '    return seq2seq_tokenizer.decode(out[0], skip_special_tokens=True)',
         '"summarize: " + document'),
    ],
}
