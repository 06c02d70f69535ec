"""Short instructions with checkable answers, in the conversational "messages" format.

The rows have HuggingFaceH4/no_robots' columns: `prompt` (the user's turn), `messages` (the
conversation, a system turn now and then) and `category`. Five tasks, each asked in several
phrasings: opposites, plural forms, small sums and differences, the sentiment of a sentence
(from the review generator) and writing a phrase in capital letters. The answers are bare, so
a reply can be scored by comparing strings.
"""
from __future__ import annotations

import random
from collections.abc import Callable

from . import everyday
from .data import Rows, Splits, _split, _unique_rows
from .reviews import review

# ChatML, as HuggingFaceTB/SmolLM2-135M-Instruct renders it, with a shorter default system turn.
CHAT_TOKENS = ["<|im_start|>", "<|im_end|>"]
DEFAULT_SYSTEM = "You are a helpful assistant."
CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{% if loop.first and messages[0]['role'] != 'system' %}"
    "{{ '<|im_start|>system\\n" + DEFAULT_SYSTEM + "<|im_end|>\\n' }}{% endif %}"
    "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}")

OPPOSITES = [("hot", "cold"), ("big", "small"), ("fast", "slow"), ("happy", "sad"),
             ("old", "young"), ("up", "down"), ("day", "night"), ("light", "dark"),
             ("open", "closed"), ("early", "late"), ("full", "empty"), ("hard", "soft"),
             ("rich", "poor"), ("tall", "short"), ("wet", "dry"), ("clean", "dirty"),
             ("loud", "quiet"), ("strong", "weak"), ("good", "bad"), ("in", "out"),
             ("near", "far"), ("love", "hate"), ("win", "lose"), ("push", "pull"),
             ("true", "false"), ("left", "right"), ("black", "white"), ("thick", "thin"),
             ("begin", "end"), ("cheap", "expensive"), ("safe", "dangerous"),
             ("easy", "difficult"), ("first", "last"), ("inside", "outside"), ("yes", "no"),
             ("always", "never"), ("above", "below"), ("sweet", "sour"), ("brave", "afraid"),
             ("friend", "enemy"), ("question", "answer"), ("buy", "sell"), ("north", "south"),
             ("east", "west"), ("laugh", "cry"), ("give", "take"), ("come", "go"),
             ("wide", "narrow"), ("deep", "shallow"), ("high", "low"), ("alive", "dead")]
IRREGULAR_PLURALS = {"child": "children", "mouse": "mice", "foot": "feet", "tooth": "teeth",
                     "man": "men", "woman": "women", "person": "people", "goose": "geese",
                     "sheep": "sheep", "fish": "fish", "ox": "oxen", "leaf": "leaves",
                     "knife": "knives", "wife": "wives", "life": "lives", "wolf": "wolves"}
NOUNS = ["cat", "dog", "house", "tree", "book", "car", "apple", "bird", "girl", "boy", "cup",
         "pen", "chair", "table", "door", "shoe", "hat", "ball", "kite", "river", "road", "song",
         "box", "fox", "bus", "dish", "glass", "watch", "church", "brush", "kiss", "class",
         "city", "baby", "lady", "story", "party", "cherry", "puppy", "country", "berry",
         "key", "toy", "day", "boy", "monkey", "potato", "tomato", "hero", "bench", "match"]
NUMBER_WORDS = {"plus": "+", "minus": "-"}
SYSTEMS = [DEFAULT_SYSTEM, "Answer in one word.", "You are a friendly assistant. Be brief.",
           "Reply with the answer only."]
PHRASINGS = {
    "opposites": ["What is the opposite of {x}?", "Give the opposite of the word \"{x}\".",
                  "Opposite of {x}?", "Tell me the opposite of {x}.",
                  "What word means the opposite of {x}?", "Name the opposite of \"{x}\"."],
    "plurals": ["What is the plural of {x}?", "Give the plural form of \"{x}\".",
                "Plural of {x}?", "Write the plural of the word {x}.",
                "One {x}, two what?", "How do you say more than one {x}?"],
    "arithmetic": ["What is {a} {op} {b}?", "Compute {a} {op} {b}.", "{a} {sign} {b} = ?",
                   "How much is {a} {op} {b}?", "Work out {a} {sign} {b}.",
                   "What do you get from {a} {op} {b}?"],
    "sentiment": ["Is this sentence positive or negative? {x}",
                  "Classify the sentiment of this review as positive or negative: {x}",
                  "{x}\nIs that positive or negative?",
                  "Positive or negative? \"{x}\"",
                  "What is the sentiment of the following text? {x}"],
    "capitals": ["Write \"{x}\" in capital letters.", "Make this uppercase: {x}",
                 "Turn \"{x}\" into capital letters.", "Write {x} in upper case.",
                 "Capitalise every letter: {x}"],
}


def plural(noun: str) -> str:
    """The plural of an English noun in NOUNS or IRREGULAR_PLURALS."""
    if noun in IRREGULAR_PLURALS:
        return IRREGULAR_PLURALS[noun]
    if noun.endswith(("s", "x", "ch", "sh")) or noun in ("potato", "tomato", "hero"):
        return noun + "es"
    if noun.endswith("y") and noun[-2] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def _opposite(rng: random.Random) -> tuple[str, str]:
    pair = rng.choice(OPPOSITES)
    word, answer = pair if rng.random() < 0.5 else pair[::-1]
    return rng.choice(PHRASINGS["opposites"]).format(x=word), answer


def _plural(rng: random.Random) -> tuple[str, str]:
    noun = rng.choice(NOUNS + sorted(IRREGULAR_PLURALS))
    return rng.choice(PHRASINGS["plurals"]).format(x=noun), plural(noun)


def _arithmetic(rng: random.Random) -> tuple[str, str]:
    op = rng.choice(sorted(NUMBER_WORDS))
    a, b = rng.randint(0, 20), rng.randint(0, 20)
    if op == "minus" and b > a:
        a, b = b, a
    answer = a + b if op == "plus" else a - b
    question = rng.choice(PHRASINGS["arithmetic"]).format(a=a, b=b, op=op, sign=NUMBER_WORDS[op])
    return question, str(answer)


def _sentiment(rng: random.Random) -> tuple[str, str]:
    text, label = review(rng)
    while len(text) > 90:
        text, label = review(rng)
    return rng.choice(PHRASINGS["sentiment"]).format(x=text), ["negative", "positive"][label]


def _capitals(rng: random.Random) -> tuple[str, str]:
    words = everyday.WORDS
    phrase = rng.choice([f"{rng.choice(words['name'])}",
                         f"good {rng.choice(['morning', 'night', 'luck', 'day'])}",
                         f"the {rng.choice(everyday.TOYS)}", f"{rng.choice(everyday.KIDS)}",
                         f"hello {rng.choice(words['name'])}"])
    return rng.choice(PHRASINGS["capitals"]).format(x=phrase), phrase.upper()


TASKS: dict[str, Callable[[random.Random], tuple[str, str]]] = {
    "opposites": _opposite, "plurals": _plural, "arithmetic": _arithmetic,
    "sentiment": _sentiment, "capitals": _capitals}


def conversation(prompt: str, answer: str, system: str | None = None) -> list[dict[str, str]]:
    """The messages of one exchange, with a system turn first when `system` is given."""
    turns = [{"role": "system", "content": system}] if system else []
    return turns + [{"role": "user", "content": prompt}, {"role": "assistant", "content": answer}]


def _row(rng: random.Random) -> dict:
    category = rng.choice(sorted(TASKS))
    prompt, answer = TASKS[category](rng)
    system = rng.choice(SYSTEMS) if rng.random() < 0.3 else None
    return {"prompt": prompt, "messages": conversation(prompt, answer, system),
            "category": category}


def instructions(seed: int = 4) -> Splits:
    """Instruction/answer conversations, split like no_robots into train and test."""
    rng = random.Random(seed)
    rows: Rows = _unique_rows(rng, lambda: _row(rng), 4400)
    return _split(rows, {"train": 4000, "test": 400})
