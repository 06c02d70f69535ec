"""Figures the tests keep for the closing notes, in test-artifacts/."""
from __future__ import annotations

import json

from conftest import ROOT

ARTIFACTS = ROOT / "test-artifacts"


def record_seconds(name: str, seconds: float, file: str) -> None:
    """Keep `name`'s run time in test-artifacts/`file`, a JSON table of name -> seconds."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / file
    times = json.loads(path.read_text()) if path.exists() else {}
    times[name] = round(seconds, 1)
    path.write_text(json.dumps(times, indent=1, sort_keys=True))
