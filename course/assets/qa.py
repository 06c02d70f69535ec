"""Reading-comprehension data like SQuAD: a context of several sentences of facts, questions
on it, and each answer as a span of the context (its text and first character).

A context strings together facts about people, places and things (who did what, where, when,
how many); each fact comes with the questions it answers and which of its slots answers each.
Names come from Faker's locales (`news.Names`), words from the everyday lists; no person or
place of the hand-written held-out set (`heldout/qa.tsv`) is generated.
"""
from __future__ import annotations

import random
import re

from . import everyday, news

# A fact: its sentence and its questions; each question names the slot that answers it.
# Slots: P person, L and L2 places, O organisation, Y year, N count, and the word lists (WORDS).
FACTS = [
    ("{P} opened a {shop} in {L} in {Y}.",
     [("Who opened a {shop} in {L}?", "P"), ("Where did {P} open a {shop}?", "L"),
      ("When did {P} open the {shop}?", "Y"), ("In which year did {P} open a {shop}?", "Y")]),
    ("{P} was born in {L} in {Y}.",
     [("Where was {P} born?", "L"), ("When was {P} born?", "Y"), ("Who was born in {L}?", "P")]),
    ("{P} works as a {job} at the {town_place} in {L}.",
     [("What does {P} do?", "job"), ("Where does {P} work?", "town_place"),
      ("Who works as a {job}?", "P"), ("In which town does {P} work?", "L")]),
    ("The {town_place} in {L} employs {N} people.",
     [("How many people does the {town_place} employ?", "N"),
      ("Where is the {town_place} that employs {N} people?", "L")]),
    ("{O} moved its offices to {L} in {month_name}.",
     [("Where did {O} move its offices?", "L"), ("When did {O} move its offices?", "month_name"),
      ("Which company moved its offices to {L}?", "O")]),
    ("{P} plays the {instrument} in a band called {O}.",
     [("Which instrument does {P} play?", "instrument"), ("What is the band called?", "O"),
      ("Who plays the {instrument}?", "P")]),
    ("Every {day}, {P} takes the {vehicle} to {L}.",
     [("How does {P} travel to {L}?", "vehicle"), ("When does {P} go to {L}?", "day"),
      ("Where does {P} go every {day}?", "L")]),
    ("The {vehicle} from {L} to {L2} leaves at {hour}.",
     [("When does the {vehicle} to {L2} leave?", "hour"), ("Where does the {vehicle} go?", "L2"),
      ("Where does the {vehicle} leave from?", "L")]),
    ("{P} has {N} {animal}s on a farm near {L}.",
     [("How many {animal}s does {P} have?", "N"), ("Where is the farm of {P}?", "L"),
      ("Which animals does {P} keep?", "animal"), ("Who has a farm near {L}?", "P")]),
    ("In {Y}, {P} became the head of {O}.",
     [("Who became the head of {O}?", "P"), ("When did {P} become head of {O}?", "Y"),
      ("What did {P} become the head of?", "O")]),
    ("{P} wrote a {reading} about {L}.",
     [("What did {P} write about {L}?", "reading"), ("Who wrote a {reading} about {L}?", "P"),
      ("What is the {reading} by {P} about?", "L")]),
    ("The festival in {L} takes place every {month_name}.",
     [("When does the festival in {L} take place?", "month_name"),
      ("Where does the festival take place?", "L")]),
    ("{P} won the race in {L} on {day}.",
     [("Who won the race in {L}?", "P"), ("When did {P} win the race?", "day"),
      ("Where did {P} win the race?", "L")]),
    ("The {noun_place} in {L} is {N} metres tall.",
     [("How tall is the {noun_place}?", "N"), ("Where is the {noun_place}?", "L")]),
    ("{P} likes to eat {meal} for {meal_time}.",
     [("What does {P} eat for {meal_time}?", "meal"), ("Who likes {meal}?", "P")]),
    ("{O} sold {N} cars in {L} last year.",
     [("How many cars did {O} sell?", "N"), ("Where did {O} sell {N} cars?", "L"),
      ("Which company sold {N} cars in {L}?", "O")]),
    ("{P} and her {family} moved to {L} in {Y}.",
     [("Where did {P} move to?", "L"), ("When did {P} move to {L}?", "Y"),
      ("Who moved to {L} with her {family}?", "P")]),
    ("{P} studied {subject} at the University of {L}.",
     [("What did {P} study?", "subject"), ("Where did {P} study {subject}?", "L"),
      ("Who studied {subject}?", "P")]),
    ("The {colour} house on the corner belongs to {P}.",
     [("Who owns the {colour} house?", "P"), ("What colour is the house of {P}?", "colour")]),
    ("{P} scored {N} goals for {O} this season.",
     [("How many goals did {P} score?", "N"), ("Which team does {P} play for?", "O"),
      ("Who scored {N} goals for {O}?", "P")]),
    ("Storms closed the roads around {L} on {day} night.",
     [("Where were the roads closed?", "L"), ("When did the storms close the roads?", "day")]),
    ("About {N} people visited the museum in {L} in {month_name}.",
     [("How many people visited the museum in {L}?", "N"),
      ("When did {N} people visit the museum?", "month_name"),
      ("Where is the museum that {N} people visited?", "L")]),
]
WORDS = {
    "shop": ["bakery", "cafe", "bookshop", "restaurant", "flower shop", "bike shop", "hotel",
             "school", "clinic", "gym", "pharmacy", "garage"],
    "noun_place": ["tower", "bridge", "lighthouse", "church", "statue", "castle", "dam"],
    "subject": ["chemistry", "history", "law", "medicine", "music", "physics", "art",
                "economics", "biology", "engineering"],
    "month_name": everyday.WORDS["month"],
    **{key: everyday.WORDS[key] for key in ("job", "town_place", "instrument", "day", "vehicle",
                                            "hour", "animal", "reading", "meal", "meal_time",
                                            "family", "colour")},
}
COUNT_WORDS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twelve",
               "twenty", "fifty", "a hundred"]


def _value(rng: random.Random, names: news.Names, slot: str) -> str:
    if slot == "P":
        return names.person()
    if slot in ("L", "L2"):
        return names.place()
    if slot == "O":
        return names.organisation()
    if slot == "Y":
        return str(rng.randint(1900, 2024))
    if slot == "N":
        roll = rng.random()
        return (rng.choice(COUNT_WORDS) if roll < 0.3 else str(rng.randint(2, 99)) if roll < 0.7
                else f"{rng.randint(1, 90)},{rng.randint(0, 999):03d}")
    return rng.choice(WORDS[slot])


def _fact(rng: random.Random, names: news.Names, sentence: str
          ) -> tuple[str, dict[str, tuple[str, int]]]:
    """The sentence with its slots filled, and each slot's (value, first character)."""
    text, slots = "", {}
    for piece in re.split(r"(\{\w+\})", sentence):
        slot = re.fullmatch(r"\{(\w+)\}", piece)
        if not slot:
            text += piece
            continue
        if slot[1] not in slots:
            value = _value(rng, names, slot[1])
            if not text:
                value = value[0].upper() + value[1:]
            slots[slot[1]] = (value, len(text))
        text += slots[slot[1]][0]
    return text, slots


def example(rng: random.Random, names: news.Names, questions: int = 2) -> list[dict]:
    """One context of two to eight facts (most longer than one 96-token window) and up to
    `questions` rows on it, in SQuAD's shape (without the id): title, context, question,
    answers {text, answer_start}."""
    facts = rng.sample(FACTS, rng.choice((2, 3, 5, 6, 7, 8)))
    context, asked = "", []
    for sentence, fact_questions in facts:
        text, slots = _fact(rng, names, sentence)
        start = len(context) + (1 if context else 0)
        context = f"{context} {text}" if context else text
        for question, answer in fact_questions:
            value, offset = slots[answer]
            filled = re.sub(r"\{(\w+)\}", lambda m: slots[m[1]][0], question)
            asked.append((filled, value, start + offset))
    title = facts[0][0].split()[0].strip("{}")
    rows = []
    for question, value, start in rng.sample(asked, min(questions, len(asked))):
        if context.count(value) != 1:  # a value said twice would make the span ambiguous
            continue
        rows.append({"title": {"P": "People", "O": "Organisations"}.get(title, "Everyday"),
                     "context": context, "question": question,
                     "answers": {"text": [value], "answer_start": [start]}})
    return rows


def squad_like(seed: int = 4, excluded: frozenset[str] = frozenset(),
               contexts: dict[str, int] | None = None) -> dict[str, list[dict]]:
    """{split: rows} with SQuAD's columns: id, title, context, question, answers; the
    contexts of one split appear in no other."""
    rng = random.Random(seed)
    names = news.Names(rng, excluded)
    splits = {}
    for split, count in (contexts or {"train": 1500, "validation": 150}).items():
        rows = [row for _ in range(count) for row in example(rng, names)]
        splits[split] = [{"id": f"{split}-{i:05d}", **row} for i, row in enumerate(rows)]
    return splits
