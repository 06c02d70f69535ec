"""Everyday English: what people eat, wear, read, buy and do, where and when.

Sentences are drawn from frames that keep the common pairings of English (one drinks a cup
of tea, wears a coat when it is cold, buys stamps at the post office), so a small language
model learns which words go together. The same frames, with a child as the hero, make the
short stories that stand in for TinyStories.
"""
from __future__ import annotations

import random
import re

WORDS = {
    "hot_drink": ["tea", "coffee", "hot chocolate", "cocoa"],
    "cold_drink": ["water", "milk", "juice", "lemonade", "orange juice", "apple juice"],
    "breakfast": ["eggs", "toast", "cereal", "porridge", "pancakes", "fruit", "yoghurt",
                  "bread and butter", "a boiled egg"],
    "meal": ["pasta", "rice", "soup", "salad", "fish", "chicken", "pizza", "sandwiches",
             "vegetables", "potatoes", "noodles", "curry", "stew", "beans"],
    "sweet": ["cake", "ice cream", "chocolate", "biscuits", "cookies", "pie", "sweets"],
    "fruit": ["apples", "bananas", "oranges", "grapes", "pears", "strawberries", "cherries"],
    "meal_time": ["breakfast", "lunch", "dinner", "supper"],
    "warm_clothes": ["coat", "jacket", "hat", "scarf", "sweater", "jumper", "gloves", "boots"],
    "light_clothes": ["T-shirt", "dress", "sun hat", "cap", "skirt", "vest"],
    "clothes": ["shirt", "shoes", "jeans", "skirt", "socks", "uniform", "suit", "tie"],
    "reading": ["book", "newspaper", "magazine", "letter", "novel", "comic", "map", "menu",
                "poem", "story"],
    "writing": ["letter", "email", "message", "report", "postcard", "list", "note", "essay"],
    "room": ["kitchen", "bedroom", "bathroom", "living room", "hall", "attic", "cellar"],
    "home": ["house", "flat", "apartment", "cottage", "village", "town", "city"],
    "outside": ["park", "garden", "playground", "street", "field", "yard", "woods", "beach"],
    "shop_item": [("bread", "bakery"), ("cakes", "bakery"), ("stamps", "post office"),
                  ("medicine", "chemist"), ("books", "bookshop"), ("meat", "butcher"),
                  ("fish", "market"), ("vegetables", "market"), ("milk", "supermarket"),
                  ("food", "supermarket"), ("flowers", "florist"), ("shoes", "shoe shop")],
    "town_place": ["bank", "station", "library", "school", "hospital", "office", "museum",
                   "cinema", "restaurant", "cafe", "church", "post office", "market", "airport"],
    "vehicle": ["bus", "train", "car", "bike", "taxi", "tram", "plane", "boat"],
    "opening": ["door", "window", "gate", "box", "drawer", "cupboard", "fridge", "curtains"],
    "furniture": ["table", "chair", "bed", "sofa", "desk", "shelf", "bench"],
    "thing": ["keys", "phone", "wallet", "glasses", "umbrella", "bag", "watch", "ticket"],
    "animal": ["dog", "cat", "bird", "horse", "rabbit", "cow", "sheep", "duck", "fish", "hen"],
    "family": ["mother", "father", "mum", "dad", "sister", "brother", "grandmother",
               "grandfather", "aunt", "uncle", "cousin", "friend", "neighbour", "son",
               "daughter", "wife", "husband", "teacher"],
    "job": ["teacher", "doctor", "nurse", "driver", "farmer", "cook", "baker", "pilot",
            "engineer", "waiter", "postman", "dentist", "vet", "shopkeeper"],
    "sport": ["football", "tennis", "chess", "cards", "basketball", "volleyball", "golf",
              "a game", "hide and seek"],
    "instrument": ["piano", "guitar", "violin", "drums", "flute", "trumpet"],
    "watching": ["television", "TV", "a film", "the news", "a match", "a cartoon", "the sunset"],
    "listening": ["music", "the radio", "a song", "the birds", "a podcast", "the rain"],
    "day": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "month": ["January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December"],
    "season": ["spring", "summer", "autumn", "winter"],
    "part_of_day": ["morning", "afternoon", "evening", "night"],
    "hour": ["seven", "eight", "nine", "ten", "eleven", "noon", "six", "five"],
    "colour": ["red", "blue", "green", "yellow", "black", "white", "brown", "grey", "pink"],
    "feeling": ["happy", "sad", "tired", "hungry", "thirsty", "cold", "scared", "excited",
                "bored", "angry", "sleepy", "proud", "worried", "calm"],
    "body": ["hands", "face", "hair", "teeth", "feet"],
    "name": ["Anna", "Ben", "Chloe", "Daniel", "Ella", "Felix", "Grace", "Hugo", "Isla", "Jack",
             "Kofi", "Lena", "Mia", "Nina", "Omar", "Priya", "Ravi", "Sofia", "Tom", "Yuki",
             "Lucas", "Zara", "Amir", "Lily", "Leo", "Maria", "Sam", "Ava", "Ivan", "Mei"],
    "person": ["I", "We", "They", "You"],
    "weekday_plan": ["go to work", "go to school", "take the bus", "walk to the station",
                     "start work", "open the shop", "catch the train"],
}

FRAMES = [
    "{person} drink a cup of {hot_drink} every {part_of_day}.",
    "{person} had a glass of {cold_drink} with {meal_time}.",
    "Would you like a cup of {hot_drink}?",
    "She poured a glass of {cold_drink} for her {family}.",
    "This morning {person} had {breakfast} and a cup of {hot_drink}.",
    "For {meal_time} we had {meal} and {meal}.",
    "My {family} cooked {meal} for {meal_time}.",
    "He bought a bag of {fruit} at the market.",
    "The children ate {sweet} at the party.",
    "After {meal_time} we had {sweet} for dessert.",
    "Winter is coming, and he needs a new {warm_clothes}.",
    "It was freezing, so she wore her {warm_clothes} and {warm_clothes}.",
    "It is hot today, so he is wearing a {light_clothes}.",
    "In {season} I wear a {warm_clothes} every day.",
    "He put on a clean {clothes} for the interview.",
    "Every {part_of_day} my {family} reads the {reading}.",
    "He read a {reading} before bed.",
    "I wrote a {writing} to my {family}.",
    "I will finish the {writing} by {day}.",
    "You can get {shop_item} at the {shop_place} on the corner.",
    "She went to the {shop_place} to buy {shop_item}.",
    "They have a {home} by the river.",
    "My {family} lives in a {home} in the mountains.",
    "They moved to a bigger {home} last {season}.",
    "After lunch the kids ran out to the {outside}.",
    "We had a picnic in the {outside} on {day}.",
    "The dog ran across the {outside}.",
    "Who left the {opening} open?",
    "Please close the {opening}, it is cold.",
    "She locked the door and put the keys in her bag.",
    "He walked into the {room} and sat on the {furniture}.",
    "We cooked dinner in the {room}.",
    "The cat is sleeping on the {furniture}.",
    "I can not find my {thing}.",
    "She left her {thing} on the {furniture}.",
    "Don't forget your {thing}!",
    "She forgot her umbrella and got wet in the rain.",
    "It snowed all night and the garden was white.",
    "The sky is blue and the grass is green.",
    "In {season} the leaves turn {colour}.",
    "In winter it often snows, and in summer it is hot.",
    "Our train left at {hour} in the morning.",
    "I take the {vehicle} to work every day.",
    "We went to the {town_place} by {vehicle}.",
    "The {vehicle} was late again this {part_of_day}.",
    "She rides her bike to school.",
    "He drives his car to the {town_place}.",
    "My {family} is a {job}.",
    "The {job} works at the {town_place}.",
    "The doctor works at the hospital and the teacher works at the school.",
    "On {day} we play {sport} with our friends.",
    "He plays the {instrument} in a band.",
    "She is learning to play the {instrument}.",
    "In the {part_of_day} we watch {watching}.",
    "I like to listen to {listening} while I cook.",
    "Wash your {body} before {meal_time}.",
    "Brush your teeth before you go to bed.",
    "I go to bed at {hour} o'clock and get up at {hour}.",
    "I was so {feeling} that I went to bed early.",
    "She felt {feeling} when her {family} came home.",
    "Her birthday is in {month}.",
    "We go on holiday every {season}.",
    "The shop is closed on {day}.",
    "Every {day} I {weekday_plan} at {hour} o'clock.",
    "The {animal} is in the {outside}.",
    "The farmer feeds the {animal} every {part_of_day}.",
    "Our {animal} likes to sleep in the sun.",
    "Can you help me carry these bags?",
    "Where is the nearest {town_place}?",
    "What time does the {town_place} open?",
    "How much is a ticket to the city?",
    "Thank you very much for your help.",
    "I am sorry, I am late.",
    "Let's meet at the {town_place} at {hour} o'clock.",
    "I borrowed three books from the library.",
    "The children learn to read and write at school.",
    "She called her {family} on the phone.",
    "He fell asleep on the sofa in front of the TV.",
    "The baby is sleeping, so please be quiet.",
    "We waited for the bus in the rain.",
    "My phone is broken, so I need a new one.",
]
STORY_OPENINGS = ["Once upon a time there was a {feeling_kid} {kid} called {name}.",
                  "{name} was a little {kid} who lived in a {home}.",
                  "One {part_of_day}, {name} woke up early.",
                  "{name} and {name2} were best friends."]
STORY_EVENTS = [
    "{name} wanted to play in the {outside}.",
    "{name} found a {colour} {toy} under the {furniture}.",
    "{name} asked, \"Can I have some {sweet}, please?\"",
    "\"Put on your {warm_clothes},\" said {name}'s {family}. \"It is cold outside.\"",
    "{name} felt {feeling}.",
    "Then it started to rain, and {name} ran home.",
    "{name} shared the {sweet} with {name2}.",
    "They went to the {town_place} together.",
    "{name}'s {family} read {name} a {reading}.",
    "{name} saw a {animal} in the {outside}.",
    "The {animal} was {feeling}, so {name} gave it some water.",
    "{name} helped {name2} carry the bags.",
    "At {meal_time}, they ate {meal}.",
    "{name} said, \"Thank you!\" and smiled.",
]
STORY_ENDINGS = ["In the end, {name} was very {feeling}.", "That night {name} slept well.",
                 "{name} learned that it is good to share.",
                 "From that day on, they were always friends."]
TOYS = ["ball", "kite", "box", "hat", "stone", "shell", "car", "balloon"]
KIDS = ["girl", "boy", "cat", "dog", "rabbit", "bear", "fox", "mouse"]


def fill(frame: str, rng: random.Random, fixed: dict[str, str] | None = None) -> str:
    """`frame` with each {slot} drawn from WORDS (`fixed` ones kept the same throughout)."""
    fixed = dict(fixed or {})
    item = rng.choice(WORDS["shop_item"])
    fixed.setdefault("shop_item", item[0])
    fixed.setdefault("shop_place", item[1])

    def value(match: re.Match) -> str:
        slot = match[1]
        return fixed[slot] if slot in fixed else rng.choice(WORDS[slot])

    text = re.sub(r"\{(\w+)\}", value, frame)
    return text[0].upper() + text[1:]


def sentence(rng: random.Random) -> str:
    """One everyday sentence."""
    return fill(rng.choice(FRAMES), rng)


def story(rng: random.Random) -> str:
    """A short story of four to seven sentences about one child (or animal) and a friend."""
    name, name2 = rng.sample(WORDS["name"], 2)
    fixed = {"name": name, "name2": name2, "kid": rng.choice(KIDS), "toy": rng.choice(TOYS),
             "feeling_kid": rng.choice(["little", "curious", "happy", "brave", "shy"])}
    events = rng.sample(STORY_EVENTS, rng.randint(2, 5))
    parts = [rng.choice(STORY_OPENINGS), *events, rng.choice(STORY_ENDINGS)]
    return " ".join(fill(part, rng, fixed) for part in parts)
