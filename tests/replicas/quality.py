"""The cells of the solution notebooks that may fail against the replicas, and why.

A replica has the real architecture and random weights, so a cell that checks what only a
trained checkpoint knows (that a review is positive, that a name is a person) cannot pass
against it; every other cell must. Keys are `chapter: {cell id: reason}`. `make test-gpu` runs
the same notebooks against the real Hub, where these cells must pass too: that run is what
checks them.
"""
QUALITY_DEPENDENT: dict[str, dict[str, str]] = {}

# Chapters that fail against the replicas for a reason of the replica server, not of the
# notebook: run as strict xfails, so a fix shows up as a failure to remove the entry.
KNOWN_BROKEN: dict[str, str] = {
    "09-hub": "olah 0.5.4 answers /api/models/<id>/commits for a local mirror without the "
              "authors' `user` key, which huggingface_hub 2.4's list_repo_commits reads "
              "(KeyError: 'user' in the `refs` cell)",
    "12-question-answering": "the replica's rows are the tiny QA set's contexts, none longer "
                             "than the full profile's 384-token window, and the chapter looks "
                             "for one (StopIteration in `code-07`); real SQuAD has them",
    "13-chat-and-sft": "no replica yet of HuggingFaceTB/SmolLM2-135M(-Instruct) and "
                       "HuggingFaceH4/no_robots, which the chapter reads in the full profile",
}
