"""Reviews of films (and now and then of books, meals, hotels, albums and games), labelled.

The polar words come from rated lexicons (see `lexicon`), so a review may praise with any of
several hundred adjectives a person would use; the sentence shapes give the model the hard
cases: negation ("not boring at all"), contrast where the main clause decides ("slow at first,
but the second half is thrilling", "although ..., ..."), intensifiers and hedges, reviews of
several sentences with neutral ones in between, and verdicts ("I want my money back").
"""
from __future__ import annotations

import random
from functools import cache

from . import lexicon

FILMS = ["film", "movie", "comedy", "drama", "thriller", "documentary", "sequel", "musical",
         "animation", "romance", "western", "horror film", "mystery", "series", "show"]
ASPECTS = ["acting", "plot", "script", "direction", "cast", "soundtrack", "music", "ending",
           "dialogue", "pacing", "camera work", "story", "characters", "jokes", "lead actor",
           "lead actress", "villain", "first half", "second half", "visuals", "special effects",
           "editing", "costumes", "photography", "score", "humour", "performances", "twist",
           "opening scene", "screenplay", "animation", "songs", "young star", "heroine"]
OTHER_THINGS = {  # other things people review, with the parts they talk about
    "book": ["writing", "characters", "plot", "ending", "first chapter", "style"],
    "restaurant": ["food", "service", "staff", "dessert", "wine", "menu", "prices"],
    "hotel": ["room", "staff", "breakfast", "location", "bed", "view", "service"],
    "album": ["songs", "lyrics", "singing", "production", "guitar", "voice"],
    "game": ["controls", "graphics", "levels", "story", "music", "puzzles"],
    "concert": ["band", "sound", "singer", "crowd", "encore", "setlist"],
    "play": ["actors", "staging", "script", "costumes", "second act", "set"],
}
# Review words the lexicons do not rate (or rate as neutral), as critics use them.
PRAISE = ["moving", "gripping", "witty", "heartfelt", "tender", "touching", "riveting",
          "inventive", "original", "fresh", "sharp", "smart", "polished", "memorable", "funny",
          "stylish", "thoughtful", "powerful", "charming", "lovely", "superb", "wonderful",
          "brilliant", "excellent", "great", "good", "beautiful", "clever", "enjoyable"]
FAULTS = ["boring", "dull", "predictable", "bland", "slow", "clumsy", "tedious", "forgettable",
          "overlong", "wooden", "flat", "lifeless", "clichéd", "unfunny", "shallow", "mediocre",
          "pointless", "confusing", "messy", "weak", "awful", "terrible", "bad", "poor", "silly",
          "lazy", "stiff", "tiresome", "disappointing", "cheap"]
LIKED = ["loved", "enjoyed", "adored", "liked", "admired", "relished"]
DISLIKED = ["hated", "disliked", "despised", "loathed", "regretted"]
PRAISED_AS = ["a masterpiece", "a gem", "a triumph", "a treat", "a joy", "a delight",
              "a pleasure", "a must-see", "a real winner", "a small miracle"]
FAULTED_AS = ["a mess", "a disaster", "a bore", "a letdown", "a waste of time", "a failure",
              "a chore", "a disappointment", "a missed chance", "a long slog"]
VERDICTS = {
    1: ["I would pay to see it twice.", "I recommend it without hesitation.", "Go and see it.",
        "It was worth every penny.", "I cannot wait for the next one.",
        "I will recommend it to all my friends.", "Five stars from me.",
        "I left the cinema smiling.", "Do not miss it.", "We clapped at the end.",
        "It stayed with me for days.", "I was glued to the screen."],
    0: ["I want my money back.", "Avoid it.", "I dozed off in the middle.",
        "We walked out before the end.", "Save your money.", "One star, and that is generous.",
        "I will not watch it again.", "I kept checking my watch.", "Skip this one.",
        "It felt twice as long as it was.", "Nobody in the room laughed.",
        "I could not wait for it to end."],
}
NEUTRAL = ["I saw it on {day} with my {person}.", "It runs for about two hours.",
           "The {film} is set in a small town by the sea.", "It is based on a true story.",
           "I went in knowing nothing about it.", "My {person} chose it.",
           "It opened in cinemas last {day}.", "The {film} follows a family over one summer.",
           "We watched it at home.", "It is the director's third {film}."]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
PEOPLE = ["sister", "brother", "friends", "parents", "partner", "kids", "dad", "mum", "wife",
          "husband", "flatmate", "grandmother"]
STRONG = ["really", "truly", "very", "so", "incredibly", "extremely", "absolutely", "quite",
          "genuinely", "remarkably", "utterly", "deeply", "simply"]
HEDGES = ["fairly", "rather", "pretty", "a little", "a bit", "somewhat", "mostly"]
# Label names used by the review data (rotten_tomatoes' order: 0 = neg, 1 = pos).
LABELS = ["neg", "pos"]


@cache
def _adjectives(label: int) -> tuple[list[str], list[str]]:
    """(critics' words, rated lexicon words) for praise (1) or fault (0)."""
    critics = PRAISE if label else FAULTS
    return critics, [w for w in lexicon.polar_adjectives(1 if label else -1) if w not in critics]


def adjective(rng: random.Random, label: int) -> str:
    """A word of praise (1) or fault (0): mostly a critic's word, often any rated one."""
    critics, rated = _adjectives(label)
    return rng.choice(critics if rng.random() < 0.6 else rated)


def article(phrase: str) -> str:
    """ "an awful" / "a lovely": the indefinite article for `phrase`."""
    return ("an " if phrase[0] in "aeiou" else "a ") + phrase


def _degree(rng: random.Random) -> str:
    roll = rng.random()
    return "" if roll < 0.5 else (rng.choice(STRONG) if roll < 0.85 else rng.choice(HEDGES)) + " "


class Reviewer:
    """Writes reviews of one thing (a film, mostly) with one overall label."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        if rng.random() < 0.75:
            self.thing, self.parts = rng.choice(FILMS), ASPECTS
        else:
            self.thing = rng.choice(sorted(OTHER_THINGS))
            self.parts = OTHER_THINGS[self.thing]

    def subject(self) -> str:
        """What a clause judges: a part of the thing, or the thing itself."""
        if self.rng.random() < 0.75:
            return "the " + self.rng.choice(self.parts)
        return self.rng.choice(["it", f"the {self.thing}"])

    def judged(self, label: int, negated: bool = False) -> str:
        """A clause that judges: "the plot was gripping" (negated: "the plot was not dull")."""
        rng, subject = self.rng, self.subject()
        verb = "is" if rng.random() < 0.5 else "was"
        plural = subject.endswith("s") and not subject.endswith("ss")
        verb = {"is": "are", "was": "were"}[verb] if plural else verb
        if negated:
            return f"{subject} {verb} {rng.choice(['not', 'never', 'not at all'])} " \
                   f"{adjective(rng, 1 - label)}"
        return f"{subject} {verb} {_degree(rng)}{adjective(rng, label)}"

    def sentence(self, label: int) -> str:
        """One sentence whose overall sentiment is `label`."""
        rng = self.rng
        form = rng.randrange(12)
        if form in (0, 1):
            text = self.judged(label)
        elif form == 2:
            text = self.judged(label, negated=True)
        elif form == 3:  # contrast: the clause after "but" decides
            text = f"{self.judged(1 - label)}, but {self.judged(label)}"
        elif form == 4:  # the subordinate clause does not decide
            text = f"although {self.judged(1 - label)}, {self.judged(label)}"
        elif form == 5:
            text = f"{self.judged(label)}, even though {self.judged(1 - label)}"
        elif form == 6:
            text = f"I {rng.choice(LIKED if label else DISLIKED)} {self._it()}"
        elif form == 7:  # a negated verb
            verb = rng.choice(["hate", "mind"] if label else ["like", "enjoy", "love"])
            text = f"I did not {verb} it" + (" at all" if label else "")
        elif form == 8:
            text = f"{self._it()} is {rng.choice(PRAISED_AS if label else FAULTED_AS)}"
        elif form == 9:
            return f"What {article(adjective(rng, label))} {self.thing}!"
        elif form == 10:
            text = (f"{article(_degree(rng) + adjective(rng, label))} {self.thing} with "
                    f"{self._described(label)}")
        else:
            return rng.choice(VERDICTS[label])
        return text[0].upper() + text[1:] + "."

    def _it(self) -> str:
        return self.rng.choice(["it", f"this {self.thing}", f"the {self.thing}", "every minute"])

    def _described(self, label: int) -> str:
        """ "a clever script and lovely music" """
        first, second = self.rng.sample(self.parts, 2)
        return f"{article(adjective(self.rng, label))} {first} and {adjective(self.rng, label)} {second}"

    def neutral(self) -> str:
        return self.rng.choice(NEUTRAL).format(day=self.rng.choice(DAYS), film=self.thing,
                                               person=self.rng.choice(PEOPLE))


def review(rng: random.Random) -> tuple[str, int]:
    """A review of one to three sentences (four with a neutral one) and its label (1 = positive)."""
    reviewer, label = Reviewer(rng), rng.randint(0, 1)
    sentences = [reviewer.sentence(label) for _ in range(rng.choice([1, 1, 1, 2, 2, 3]))]
    if len(sentences) > 1 and reviewer.thing in FILMS and rng.random() < 0.4:
        sentences.insert(rng.randrange(len(sentences)), reviewer.neutral())
    return " ".join(sentences), label
