"""Chapter 12 (question answering): other students' answers."""


def _span(body: str) -> str:
    return 'def answer_token_span(offsets, sequence_ids, start_char, end_char):\n' + body


def _top(body: str) -> str:
    return ('def top_answers(context, start_logits, end_logits, offsets, sequence_ids, top_k=3, '
            'max_answer_tokens=30):\n' + body)


def _scores(body: str) -> str:
    return 'def squad_scores(prediction, gold_answers):\n' + body


def _count(body: str) -> str:
    return 'def count_windows(question_tokens, context_tokens, max_length, stride):\n' + body


# The Hugging Face course's while loops; `start_test` and `end_test` are the lines that differ.
def _course_loops(outside: str = "offsets[ctx_start][0] > start_char "
                                 "or offsets[ctx_end][1] < end_char",
                  start_walk: str = "offsets[idx][0] <= start_char",
                  end_walk: str = "offsets[idx][1] >= end_char", end_shift: str = "idx + 1",
                  context_id: str = "1") -> str:
    return _span('    ctx_start = 0\n'
                 f'    while sequence_ids[ctx_start] != {context_id}:\n'
                 '        ctx_start += 1\n'
                 '    ctx_end = len(sequence_ids) - 1\n'
                 f'    while sequence_ids[ctx_end] != {context_id}:\n'
                 '        ctx_end -= 1\n'
                 f'    if {outside}:\n'
                 '        return (0, 0)\n'
                 '    idx = ctx_start\n'
                 f'    while idx <= ctx_end and {start_walk}:\n'
                 '        idx += 1\n'
                 '    start = idx - 1\n'
                 '    idx = ctx_end\n'
                 f'    while idx >= ctx_start and {end_walk}:\n'
                 '        idx -= 1\n'
                 f'    return (start, {end_shift})')


# A student's search over all pairs of each window; the lines that differ are arguments.
def _pairs(valid: str = "sequence_ids[w][s] == 1 and sequence_ids[w][e] == 1",
           ends: str = "range(s, min(len(sequence_ids[w]), s + max_answer_tokens))",
           key: str = "(offsets[w][s][0], offsets[w][e][1])",
           windows: str = "range(len(offsets))") -> str:
    return _top('    best = {}\n'
                f'    for w in {windows}:\n'
                '        for s in range(len(sequence_ids[w])):\n'
                f'            for e in {ends}:\n'
                f'                if not ({valid}):\n'
                '                    continue\n'
                '                score = float(start_logits[w][s]) + float(end_logits[w][e])\n'
                f'                k = {key}\n'
                '                best[k] = max(score, best.get(k, score))\n'
                '    ranked = sorted(best.items(), key=lambda kv: kv[1], reverse=True)[:top_k]\n'
                '    return [(context[k[0]:k[1]], sc) for k, sc in ranked]')


# SQuAD's normalisation as a student writes it; `normalize` and `f1_words` are swapped for mistakes.
_NORMALIZE = ('    import re, string\n'
              '    def norm(s):\n'
              '        s = s.lower()\n'
              '        s = "".join(c for c in s if c not in set(string.punctuation))\n'
              '        s = re.sub(r"\\b(a|an|the)\\b", " ", s)\n'
              '        return " ".join(s.split())\n')
_F1 = ('    from collections import Counter\n'
       '    def f1(p, g):\n'
       '        p, g = norm(p).split(), norm(g).split()\n'
       '        common = Counter(p) & Counter(g)\n'
       '        same = sum(common.values())\n'
       '        if same == 0:\n'
       '            return 0.0\n'
       '        pr, rc = same / len(p), same / len(g)\n'
       '        return 2 * pr * rc / (pr + rc)\n')
_BEST = ('    em = max(float(norm(prediction) == norm(g)) for g in gold_answers)\n'
         '    return {"exact_match": 100 * em, "f1": 100 * max(f1(prediction, g) for g in gold_answers)}')


def _squad(normalize: str = _NORMALIZE, f1: str = _F1, best: str = _BEST) -> str:
    return _scores(normalize + f1 + best)


def _windows(room: str = "max_length - question_tokens - 3", step: str = "room - stride",
             rounded: str = "math.ceil((context_tokens - room) / ({step}))") -> str:
    """The formula with one branch; `room`, `step` and the rounding are what students vary."""
    return _count(f'    room = {room}\n'
                  '    if context_tokens <= room:\n'
                  '        return 1\n'
                  f'    return 1 + {rounded.format(step=step)}')


RIGHT = {
    "ex1-answer": [
        _course_loops(),
        # char_to_token's idea on offsets: the token whose characters hold the answer's ends
        _span('    start = end = None\n'
              '    for i, (a, b) in enumerate(offsets):\n'
              '        if sequence_ids[i] != 1:\n'
              '            continue\n'
              '        if start is None and a <= start_char < b:\n'
              '            start = i\n'
              '        if a < end_char <= b:\n'
              '            end = i\n'
              '    if start is None or end is None:\n'
              '        return 0, 0\n'
              '    return start, end'),
        # numpy masks
        _span('    import numpy as np\n'
              '    offs = np.array([list(o) for o in offsets])\n'
              '    ctx = np.array([s == 1 for s in sequence_ids])\n'
              '    idx = np.nonzero(ctx)[0]\n'
              '    if offs[idx[0], 0] > start_char or offs[idx[-1], 1] < end_char:\n'
              '        return (0, 0)\n'
              '    starts = idx[offs[idx, 1] > start_char]\n'
              '    ends = idx[offs[idx, 0] < end_char]\n'
              '    return int(starts[0]), int(ends[-1])'),
        # a list comprehension of the tokens that overlap the answer
        _span('    ctx = [i for i, s in enumerate(sequence_ids) if s == 1]\n'
              '    if not (offsets[ctx[0]][0] <= start_char and end_char <= offsets[ctx[-1]][1]):\n'
              '        return [0, 0]\n'
              '    inside = [i for i in ctx if offsets[i][0] < end_char and offsets[i][1] > start_char]\n'
              '    return [inside[0], inside[-1]]'),
    ],
    "ex2-answer": [
        _pairs(),
        # n-best over each window, as section 6, with numpy
        _top('    found = {}\n'
             '    for w in range(len(offsets)):\n'
             '        s_logits, e_logits = np.asarray(start_logits[w]), np.asarray(end_logits[w])\n'
             '        for s in np.argsort(-s_logits)[:20]:\n'
             '            for e in np.argsort(-e_logits)[:20]:\n'
             '                if sequence_ids[w][s] != 1 or sequence_ids[w][e] != 1:\n'
             '                    continue\n'
             '                if e < s or e - s + 1 > max_answer_tokens:\n'
             '                    continue\n'
             '                span = (offsets[w][s][0], offsets[w][e][1])\n'
             '                found[span] = max(found.get(span, float("-inf")), float(s_logits[s] + e_logits[e]))\n'
             '    best = sorted(found, key=found.get, reverse=True)[:top_k]\n'
             '    return [(context[a:b], found[(a, b)]) for a, b in best]'),
        # every candidate in one list, then the first of each span
        _top('    candidates = []\n'
             '    for w, ids in enumerate(sequence_ids):\n'
             '        ctx = [i for i, x in enumerate(ids) if x == 1]\n'
             '        for s in ctx:\n'
             '            for e in ctx:\n'
             '                if s <= e < s + max_answer_tokens:\n'
             '                    candidates.append((start_logits[w][s] + end_logits[w][e],\n'
             '                                       offsets[w][s][0], offsets[w][e][1]))\n'
             '    candidates.sort(key=lambda c: c[0], reverse=True)\n'
             '    out, seen = [], set()\n'
             '    for score, a, b in candidates:\n'
             '        if (a, b) not in seen:\n'
             '            seen.add((a, b))\n'
             '            out.append((context[a:b], float(score)))\n'
             '        if len(out) == top_k:\n'
             '            break\n'
             '    return out'),
        # heapq over a dict of spans
        _top('    import heapq\n'
             '    spans = {}\n'
             '    for w in range(len(offsets)):\n'
             '        n = len(sequence_ids[w])\n'
             '        for s in range(n):\n'
             '            if sequence_ids[w][s] != 1:\n'
             '                continue\n'
             '            for e in range(s, min(n, s + max_answer_tokens)):\n'
             '                if sequence_ids[w][e] == 1:\n'
             '                    k = (int(offsets[w][s][0]), int(offsets[w][e][1]))\n'
             '                    v = float(start_logits[w][s] + end_logits[w][e])\n'
             '                    spans[k] = max(v, spans.get(k, v))\n'
             '    top = heapq.nlargest(top_k, spans.items(), key=lambda kv: kv[1])\n'
             '    return [(context[a:b], v) for (a, b), v in top]'),
    ],
    "ex3-answer": [
        _squad(),
        # string.punctuation through str.translate, articles by word
        _scores('    import string\n'
                '    from collections import Counter\n'
                '    table = str.maketrans("", "", string.punctuation)\n'
                '    def words(s):\n'
                '        return [w for w in s.lower().translate(table).split() if w not in {"a", "an", "the"}]\n'
                '    def f1(p, g):\n'
                '        p, g = words(p), words(g)\n'
                '        n = sum((Counter(p) & Counter(g)).values())\n'
                '        return 0.0 if n == 0 else 2 * n / (len(p) + len(g))\n'
                '    return {"exact_match": 100.0 if any(words(prediction) == words(g) for g in gold_answers) else 0.0,\n'
                '            "f1": 100.0 * max(f1(prediction, g) for g in gold_answers)}'),
        # the metric module itself
        _scores('    m = evaluate.load(course.metric("squad"))\n'
                '    return m.compute(predictions=[{"id": "x", "prediction_text": prediction}],\n'
                '                     references=[{"id": "x", "answers": {"text": list(gold_answers),\n'
                '                                                         "answer_start": [0] * len(gold_answers)}}])'),
    ],
    "ex4-answer": [
        _windows(),
        # walk the windows
        _count('    room = max_length - question_tokens - 3\n'
               '    start, n = 0, 1\n'
               '    while start + room < context_tokens:\n'
               '        start += room - stride\n'
               '        n += 1\n'
               '    return n'),
        # integer ceiling, no branch
        _count('    room = max_length - question_tokens - 3\n'
               '    step = room - stride\n'
               '    return 1 + max(0, -(-(context_tokens - room) // step))'),
    ],
}

WRONG = {
    "ex1-answer": [
        # the end as the token after the answer
        (_course_loops(end_shift="idx + 2"), "one token past"),
        # the end as the token before the answer's last
        (_course_loops(end_shift="idx"), "one token before"),
        # forgets the CLS case: labels whatever the window holds
        (_course_loops(outside="False"), "(0, 0)"),
        # finds the window's context, but then searches every token, question tokens included
        (_span('    ctx = [i for i, s in enumerate(sequence_ids) if s == 1]\n'
               '    if offsets[ctx[0]][0] > start_char or offsets[ctx[-1]][1] < end_char:\n'
               '        return 0, 0\n'
               '    start = next(i for i, (a, b) in enumerate(offsets) if b > start_char)\n'
               '    end = max(i for i, (a, b) in enumerate(offsets) if a < end_char and b > 0)\n'
               '    return start, end'), "question or special token"),
        # (0, 0) whenever the answer's start is not in the window, but keeps a cut end
        (_span('    start = end = None\n'
               '    for i, (a, b) in enumerate(offsets):\n'
               '        if sequence_ids[i] == 1 and start is None and a <= start_char < b:\n'
               '            start = i\n'
               '        if sequence_ids[i] == 1 and a < end_char:\n'
               '            end = i\n'
               '    return (0, 0) if start is None else (start, end)'), "does not hold the whole answer"),
    ],
    "ex2-answer": [
        # lets question and special tokens in
        (_pairs(valid="True"), "Keep only valid spans"),
        # any end, even before the start
        (_pairs(ends="range(len(sequence_ids[w]))",
                valid="sequence_ids[w][s] == 1 and sequence_ids[w][e] == 1"),
         "Keep only valid spans"),
        # the same span from two windows twice
        (_pairs(key="(offsets[w][s][0], offsets[w][e][1], w)"), "repeats an answer"),
        # only the first window
        (_pairs(windows="range(1)"), "Candidates of every window compete"),
        # the end token's first character: the answer loses its last token
        (_pairs(key="(offsets[w][s][0], offsets[w][e][0])"), "end token's last"),
        # best start and best end on their own, in each window
        (_top('    out = []\n'
              '    for w in range(len(offsets)):\n'
              '        s, e = int(np.argmax(start_logits[w])), int(np.argmax(end_logits[w]))\n'
              '        out.append((context[offsets[w][s][0]:offsets[w][e][1]],\n'
              '                    float(start_logits[w][s] + end_logits[w][e])))\n'
              '    return sorted(out, key=lambda x: -x[1])[:top_k]'), "Keep only valid spans"),
    ],
    "ex3-answer": [
        # one gold answer only
        (_squad(best='    g = gold_answers[0]\n'
                     '    return {"exact_match": 100.0 * (norm(prediction) == norm(g)), "f1": 100 * f1(prediction, g)}'),
         "keep the best"),
        # no articles removed
        (_squad(normalize=_NORMALIZE.replace('        s = re.sub(r"\\b(a|an|the)\\b", " ", s)\n', '')),
         "no a/an/the"),
        # punctuation kept
        (_squad(normalize=_NORMALIZE.replace(
            '        s = "".join(c for c in s if c not in set(string.punctuation))\n', '')),
         "no punctuation"),
        # fractions, not percent
        (_squad(best='    em = max(float(norm(prediction) == norm(g)) for g in gold_answers)\n'
                     '    return {"exact_match": em, "f1": max(f1(prediction, g) for g in gold_answers)}'),
         "Multiply by 100"),
        # shared words as a set: repeats count once
        (_squad(f1=_F1.replace("common = Counter(p) & Counter(g)", "common = {w: 1 for w in set(p) & set(g)}")),
         "counted with repeats"),
        # articles removed inside words too
        (_squad(normalize=_NORMALIZE.replace('r"\\b(a|an|the)\\b"', 'r"(an|a|the)"')),
         "Articles are whole words"),
        # case kept
        (_squad(normalize=_NORMALIZE.replace("        s = s.lower()\n", "")), "lower case"),
    ],
    "ex4-answer": [
        # forgets the special tokens
        (_windows(room="max_length - question_tokens"), "- 3 context tokens"),
        # steps by max_length - stride, forgetting the question
        (_windows(step="max_length - stride"), "minus the stride"),
        # steps by the whole room: no overlap
        (_count('    room = max_length - question_tokens - 3\n'
                '    return math.ceil(context_tokens / room)'), "minus the stride"),
        # rounds down
        (_windows(rounded="(context_tokens - room) // ({step})"), "rounding up"),
        # a float
        (_count('    room = max_length - question_tokens - 3\n'
                '    return 1 + max(0, (context_tokens - room) / (room - stride))'), "return an int"),
    ],
}
