"""Save tiny datasets and models as Hub repos would hold them, each with its card."""
from __future__ import annotations

from pathlib import Path

import datasets
from huggingface_hub import DatasetCard, DatasetCardData, ModelCard, ModelCardData

from ..profiles import TINY_NAMESPACE
from .data import NER_TAGS, Splits
from .train_models import TinyModel

FEATURES = {
    "reviews": datasets.Features({"text": datasets.Value("string"),
                                  "label": datasets.ClassLabel(names=["neg", "pos"])}),
    "stories": datasets.Features({"text": datasets.Value("string")}),
    "summaries": datasets.Features({"document": datasets.Value("string"),
                                    "summary": datasets.Value("string")}),
    "ner": datasets.Features({"id": datasets.Value("string"),
                              "tokens": datasets.List(datasets.Value("string")),
                              "ner_tags": datasets.List(datasets.ClassLabel(names=NER_TAGS))}),
    "qa": datasets.Features({"id": datasets.Value("string"), "title": datasets.Value("string"),
                             "context": datasets.Value("string"),
                             "question": datasets.Value("string"),
                             "answers": datasets.Sequence({"text": datasets.Value("string"),
                                                           "answer_start": datasets.Value("int32")})}),
    "instructions": datasets.Features({  # HuggingFaceH4/no_robots' columns, but prompt_id
        "prompt": datasets.Value("string"),
        "messages": datasets.List({"content": datasets.Value("string"),
                                   "role": datasets.Value("string")}),
        "category": datasets.Value("string")}),
}
DESCRIPTIONS = {
    "reviews": "Reviews of one to three sentences (films mostly; books, restaurants, hotels, "
               "albums, games) labelled neg/pos, with negations ('not boring at all'), "
               "contrasts where the main clause decides, intensifiers and verdicts.",
    "stories": "Short children's stories and everyday sentences, a corpus for language "
               "modelling.",
    "summaries": "Two-sentence reports of what someone said of a film, with a one-line "
                 "summary of the praised and the criticised aspect.",
    "ner": "News sentences with people, organisations and places tagged in IOB2 "
           "(CoNLL-2003 tags); none of the held-out set's names is among them.",
    "qa": "Contexts of two to eight sentences of facts (who did what, where, when, how many) "
          "with questions whose answers are spans of the context, in SQuAD's columns; none of "
          "the held-out set's answers is among the names.",
    "instructions": "Short instructions with checkable answers, as conversations in the "
                    "'messages' format (a system turn now and then): opposites, plural forms, "
                    "sums and differences, the sentiment of a sentence, capital letters, each "
                    "asked in several phrasings; no phrasing of the hand-written held-out "
                    "instructions is among them.",
}
SOURCES = ("Word lists: vaderSentiment's rated lexicon (MIT), Pattern's adjective polarity and "
           "part-of-speech lexicons as shipped in TextBlob (MIT/BSD; the sentiment lexicon "
           "PDDL), word counts from Norvig's big.txt, and names, cities and companies from "
           "Faker's locales (MIT); sentence shapes written for the course.")
TASKS = {"reviews": "text-classification", "stories": "text-generation",
         "summaries": "summarization", "ner": "token-classification",
         "qa": "question-answering", "instructions": "text-generation"}


def write_dataset(folder: Path, name: str, splits: Splits) -> None:
    """Parquet files under data/ (one per split, as the Hub names them) and a README card."""
    for split, rows in splits.items():
        dataset = datasets.Dataset.from_list(rows, features=FEATURES[name])
        dataset.to_parquet(str(folder / "data" / f"{split}-00000-of-00001.parquet"))
    card_data = DatasetCardData(license="cc0-1.0", language=["en"], task_categories=[TASKS[name]],
                                pretty_name=f"{TINY_NAMESPACE}/{name}")
    sizes = ", ".join(f"{split}: {len(rows)}" for split, rows in splits.items())
    DatasetCard(f"---\n{card_data.to_yaml()}\n---\n# {TINY_NAMESPACE}/{name}\n\n"
                f"{DESCRIPTIONS[name]}\n\nGenerated with a fixed seed by "
                f"`python -m course assets`. Rows per split: {sizes}.\n\n{SOURCES}\n"
                ).save(folder / "README.md")


def write_model(folder: Path, tiny: TinyModel) -> None:
    """`save_pretrained` for model and tokenizer, and a card with data and measured scores."""
    tiny.model.save_pretrained(folder)
    tiny.tokenizer.save_pretrained(folder)
    card_data = ModelCardData(
        license="apache-2.0", language=["en"], library_name="transformers",
        pipeline_tag=tiny.task, tags=["hf-course", "tiny"],
        datasets=[f"{TINY_NAMESPACE}/{name.strip()}" for name in tiny.dataset.split(",")])
    scores = "\n".join(f"| {metric} | {value:.4f} |" for metric, value in tiny.scores.items())
    parameters = sum(p.numel() for p in tiny.model.parameters())
    ModelCard(
        f"---\n{card_data.to_yaml()}\n---\n# {TINY_NAMESPACE}/{tiny.repo}\n\n{tiny.summary}\n\n"
        f"Trained from scratch on {tiny.dataset} by `python -m course assets`, on a CPU, in "
        f"under a minute: {parameters:,} parameters. It stands in for a real checkpoint in the "
        f"course's offline `tiny` profile; it is not meant for anything else.\n\n"
        f"## Scores\n\nOn the generated test split, and on sets written by hand apart from "
        f"the generators (`course/assets/heldout/`), which no model trains on.\n\n"
        f"| metric | value |\n|---|---|\n{scores}\n\n## Data\n\n{SOURCES}\n"
    ).save(folder / "README.md")
