"""News sentences with people, organisations and places tagged, like CoNLL-2003.

Names come from Faker's locales (MIT): first and last names from two dozen countries, real
city names where a locale has them, English country names, and company names in each
locale's style; organisation names are also built the way companies, clubs and universities
are named. Entities that appear in the hand-written held-out set are never generated, so
the held-out score measures names the model has not seen.
"""
from __future__ import annotations

import random
import re
from functools import cache

from faker import Faker

from . import everyday, lexicon

NER_TAGS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"]
NAME_LOCALES = ["en_US", "en_GB", "en_IE", "en_IN", "de_DE", "fr_FR", "es_ES", "es_MX", "it_IT",
                "pt_BR", "nl_NL", "pl_PL", "sv_SE", "fi_FI", "da_DK", "no_NO", "cs_CZ", "ro_RO",
                "hu_HU", "tr_TR", "id_ID", "yo_NG", "zu_ZA", "sw", "en_PH", "hr_HR"]
CITY_LOCALES = ["de_DE", "es_ES", "it_IT", "nl_NL", "pl_PL", "sv_SE", "fi_FI", "da_DK", "en_IN",
                "ro_RO", "id_ID", "cs_CZ", "pt_PT", "fr_FR", "hu_HU", "hr_HR"]
COMPANY_LOCALES = ["en_US", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "sv_SE", "en_GB"]
INDUSTRIES = ["Bank", "Group", "Airlines", "Motors", "Energy", "Systems", "Labs", "Foods",
              "Logistics", "Media", "Pharmaceuticals", "Biotech", "Holdings", "Partners",
              "Insurance", "Telecom", "Software", "Steel", "Shipping", "Studios", "Records",
              "Capital", "Construction", "Health", "Robotics", "Electric", "Mining", "Press"]
STEMS = ["North", "South", "East", "West", "Blue", "Green", "Red", "Oak", "River", "Star",
         "Sun", "Stone", "Bright", "Iron", "Gold", "Summit", "Pine", "Crystal", "Eagle", "Lake",
         "Cedar", "Maple", "Falcon", "Atlas", "Nova", "Apex", "Vista", "Coral", "Delta", "Orbit"]
ENDINGS = ["", "", "field", "wood", "gate", "point", "view", "well", "way", "ford", "bridge",
           "stone", "ridge", "haven", "crest"]
CLUB_FORMS = ["{} United", "{} City", "{} Rovers", "FC {}", "Real {}", "{} Athletic",
              "{} Wanderers", "Sporting {}"]
INSTITUTION_FORMS = ["University of {}", "{} University", "{} City Council", "{} General Hospital",
                     "{} Symphony Orchestra", "{} Museum of Art", "{} Chamber of Commerce"]
ACRONYMS = ["UN", "EU", "NATO", "WHO", "UNESCO", "IMF", "FIFA", "NASA", "OECD", "Interpol"]
REGIONS = ["Europe", "Asia", "Africa", "South America", "North America", "the Middle East",
           "Scandinavia", "the Balkans", "Siberia", "Patagonia", "the Pacific", "Texas",
           "California", "Bavaria", "Scotland", "Wales", "Quebec", "Andalusia", "Sicily"]
TITLES = ["President", "Prime Minister", "Dr", "Mr", "Ms", "Mrs", "Professor", "Senator",
          "coach", "striker", "Judge", "minister", "chief executive", "singer", "author"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
NUMBERS = ["two", "three", "five", "ten", "40", "120", "300", "1,500", "several", "dozens of"]

# Sentence patterns: {PER} {ORG} {LOC} {CLUB} are entities; {day} {num} {title} are words.
PATTERNS = [
    "{PER} said on {day} that {ORG} would open a new factory in {LOC} .",
    "{title} {PER} arrived in {LOC} on {day} for a two-day visit .",
    "Shares in {ORG} fell sharply after the company warned about profits .",
    "{ORG} has agreed to buy {ORG} for an undisclosed sum .",
    "{CLUB} beat {CLUB} 2-1 on {day} , with {PER} scoring the winner .",
    "{PER} , who joined {CLUB} last summer , was injured in training .",
    "Heavy rain caused floods in {LOC} and parts of {LOC} .",
    "The {title} told reporters in {LOC} that talks with {ORG} had gone well .",
    "{PER} and {PER} will meet in {LOC} next week .",
    "A spokesman for {ORG} declined to comment .",
    "{PER} , a lawyer from {LOC} , has been named head of {ORG} .",
    "{ORG} plans to hire {num} people in {LOC} next year .",
    "Thousands of people marched through {LOC} on {day} .",
    "{PER} won the race in {LOC} ahead of {PER} .",
    "The {ORG} report says prices in {LOC} rose by three percent .",
    "{PER} was born in {LOC} and moved to {LOC} as a child .",
    "Officials in {LOC} said {num} people had been rescued .",
    "{ORG} and {ORG} signed a trade deal in {LOC} .",
    "Police arrested {num} people after the match between {CLUB} and {CLUB} .",
    "{PER} has written a new book about growing up in {LOC} .",
    "Flights from {LOC} to {LOC} were cancelled because of the storm .",
    "{PER} thanked the fans after {CLUB} won the cup .",
    "The museum in {LOC} will show paintings lent by {ORG} .",
    "According to {ORG} , the number of visitors to {LOC} doubled .",
    "{PER} resigned from {ORG} on {day} .",
    "Researchers at {ORG} in {LOC} have found a new treatment .",
    "{title} {PER} spoke by phone with {title} {PER} .",
    "The festival in {LOC} drew visitors from across {LOC} .",
    "{PER} told {ORG} that the project would be finished by May .",
    "Elections will be held in {LOC} on {day} .",
    "Prices went up again this month , the bank said .",
    "The weather is expected to improve by the weekend .",
    "{PER} met students at {ORG} during her trip to {LOC} .",
    "{PER} met workers at {ORG} during his trip to {LOC} .",
    "It was the first win for {CLUB} since {PER} took over as coach .",
    "In {LOC} , {PER} opened a school funded by {ORG} .",
    "{ORG} moved its headquarters from {LOC} to {LOC} .",
    "{PER} , the mayor of {LOC} , called for calm .",
    "Fans of {CLUB} waited for hours outside the stadium in {LOC} .",
    "Speaking in {LOC} , {PER} said the deal was fair .",
    "{PER} {verb} the {noun} in {LOC} on {day} .",
    "The {adj} {noun} {verb} {ORG} last year .",
    "In {LOC} , the {noun} {verb} a {adj} {noun} .",
    "{ORG} {verb} the {adj} {noun} , {PER} said .",
    "A {adj} {noun} {verb} the {noun} near {LOC} .",
    "{PER} said the {noun} was {adj} .",
    "The {noun} {verb} the {noun} .",
    "Her {noun} {verb} a {adj} {noun} .",
]


@cache
def _fakers(locales: tuple[str, ...]) -> list[Faker]:
    """One Faker per locale (slow to make, so made once; `Names` seeds them afresh).

    it_IT's city list is made from a set, so its order, and the cities a seed draws, changed
    with every process's string hashing; it is sorted here, which keeps the data the same."""
    fakers = [Faker(locale) for locale in locales]
    for faker in fakers:
        for provider in faker.get_providers():
            if isinstance(getattr(provider, "cities", None), list):
                provider.cities = sorted(provider.cities)
    return fakers


def _latin(text: str) -> bool:
    return bool(re.fullmatch(r"[A-Za-zÀ-ɏ' .-]+", text))


class Names:
    """Draws people, organisations and places; never one of the `excluded` entity texts."""

    def __init__(self, rng: random.Random, excluded: frozenset[str] = frozenset()):
        self.rng, self.excluded = rng, excluded
        self.people = _fakers(tuple(NAME_LOCALES))
        self.cities = _fakers(tuple(CITY_LOCALES))
        self.companies = _fakers(tuple(COMPANY_LOCALES))
        self.world = _fakers(("en_GB",))[0]
        for faker in (*self.people, *self.cities, *self.companies, self.world):
            faker.seed_instance(rng.randrange(2**32))  # the same names for the same seed

    def _fresh(self, make) -> str:
        for _ in range(100):
            text = make()
            if _latin(text) and text not in self.excluded and self.excluded.isdisjoint(text.split()):
                return text
        raise RuntimeError("could not draw a name outside the held-out set")

    def person(self) -> str:
        faker = self.rng.choice(self.people)
        form = self.rng.random()
        if form < 0.15:
            return self._fresh(faker.last_name)
        return self._fresh(lambda: f"{faker.first_name()} {faker.last_name()}")

    def place(self) -> str:
        roll = self.rng.random()
        if roll < 0.55:
            return self._fresh(self.rng.choice(self.cities).city)
        if roll < 0.85:
            return self._fresh(self.world.country)
        return self._fresh(lambda: self.rng.choice(REGIONS))

    def organisation(self) -> str:
        rng, roll = self.rng, self.rng.random()
        if roll < 0.3:
            return self._fresh(lambda: re.sub(r"[,&]", "", rng.choice(self.companies).company()))
        if roll < 0.65:
            return self._fresh(lambda: f"{self._stem()} {rng.choice(INDUSTRIES)}")
        if roll < 0.9:
            return self._fresh(lambda: rng.choice(INSTITUTION_FORMS).format(self.place()))
        return self._fresh(lambda: rng.choice(ACRONYMS))

    def club(self) -> str:
        return self._fresh(lambda: self.rng.choice(CLUB_FORMS).format(
            self.rng.choice(self.cities).city()))

    def _stem(self) -> str:
        if self.rng.random() < 0.4:
            return self.rng.choice(self.people).last_name()
        return self.rng.choice(STEMS) + self.rng.choice(ENDINGS)


def sentence(rng: random.Random, names: Names) -> dict:
    """One tagged sentence: {"tokens": [...], "ner_tags": [tag ids]}; one in eight is an
    everyday sentence with no entity at all."""
    if rng.random() < 0.125:
        words = re.findall(r"[\w'-]+|[^\w\s]", everyday.sentence(rng))
        return {"tokens": words, "ner_tags": [0] * len(words)}
    pairs = [pair for piece in rng.choice(PATTERNS).split() for pair in _fill(rng, names, piece)]
    first, tag = pairs[0]
    pairs[0] = (first[0].upper() + first[1:], tag)
    return {"tokens": [w for w, _ in pairs], "ner_tags": [NER_TAGS.index(t) for _, t in pairs]}


@cache
def _common_words(tag: str) -> list[str]:
    """Everyday lowercase words of one part of speech (Brill's lexicon, counts from big.txt),
    so that the tagger meets thousands of words that are not names."""
    counts = lexicon.frequencies()
    return sorted(word for word, tags in lexicon.parts_of_speech().items()
                  if tag in tags and word.isalpha() and word.islower() and counts.get(word, 0) >= 20)


def _fill(rng: random.Random, names: Names, piece: str) -> list[tuple[str, str]]:
    """(word, IOB2 tag) pairs for one piece of a pattern: a word, or a {slot}."""
    slot = re.fullmatch(r"\{(\w+)\}", piece)
    if not slot:
        return [(piece, "O")]
    if slot[1] in ("verb", "noun", "adj"):
        return [(rng.choice(_common_words({"verb": "VBD", "noun": "NN", "adj": "JJ"}[slot[1]])),
                 "O")]
    entities = {"PER": ("PER", names.person), "ORG": ("ORG", names.organisation),
                "LOC": ("LOC", names.place), "CLUB": ("ORG", names.club)}
    if slot[1] not in entities:
        return [(w, "O") for w in rng.choice({"day": DAYS, "num": NUMBERS,
                                              "title": TITLES}[slot[1]]).split()]
    kind, make = entities[slot[1]]
    words = make().split()
    article = [("the", "O")] if words[0] == "the" else []  # "the Middle East": CoNLL's way
    words = words[len(article):]
    return article + [(w, ("B-" if i == 0 else "I-") + kind) for i, w in enumerate(words)]
