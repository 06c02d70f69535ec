"""The full-profile replicas, built once per session and served by olah on 127.0.0.1."""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from replicas.hub import OLAH_PYTHON, serve


@pytest.fixture(scope="session")
def replica_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The endpoint (`HF_ENDPOINT`) of a Hub that serves every full-profile replica."""
    if not OLAH_PYTHON.exists():
        pytest.fail(f"{OLAH_PYTHON} is missing: run `make replica-server` (make test does).")
    from replicas.build import build

    root = tmp_path_factory.mktemp("replicas")
    hub_cache = Path(os.environ.get("HF_HOME", Path.home() / ".cache" / "huggingface")) / "hub"
    build(root / "mirrors", hub_cache)
    with serve(root / "mirrors", root / "server.log") as endpoint:
        yield endpoint
