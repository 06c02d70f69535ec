"""The cells of the solution notebooks that may fail against the replicas, and why.

A replica has the real architecture and random weights, so a cell that checks what only a
trained checkpoint knows (that a review is positive, that a name is a person) cannot pass
against it; every other cell must. Keys are `chapter: {cell id: reason}`. `make test-gpu` runs
the same notebooks against the real Hub, where these cells must pass too: that run is what
checks them.
"""
QUALITY_DEPENDENT: dict[str, dict[str, str]] = {
    "05-fine-tuning": {
        "ex3-tests": "beat-the-bar asks 200 steps from distilbert-base-uncased to reach 0.75 "
                     "validation accuracy (majority + 0.2 where that is higher): what pretrained "
                     "weights give; the replica's random weights reach 0.694 on its reviews "
                     "(measured 2026-12-04)",
    },
}

# Chapters that fail against the replicas for a reason of the replica server, not of the
# notebook: run as strict xfails, so a fix shows up as a failure to remove the entry.
KNOWN_BROKEN: dict[str, str] = {}
