"""Whether a Hugging Face cache holds the current tiny assets, and building them when it does
not. Kept light: `course.setup()` imports this in every notebook, and the builder (torch,
transformers' models) is imported only when a build runs.
"""
from __future__ import annotations

import hashlib
import logging
import time
from pathlib import Path

from filelock import FileLock

STAMP = ".hfcourse-tiny"
# The builder's code, and the held-out sets (their entities are kept out of the training data).
BUILDER_SOURCES = sorted(Path(__file__).parent.glob("*.py")) + sorted(
    (Path(__file__).parent / "heldout").glob("*"))
log = logging.getLogger(__name__)


def default_hub_cache() -> Path:
    """The cache that `from_pretrained` and `hf_hub_download` read (honours HF_HOME, HF_HUB_CACHE)."""
    from huggingface_hub import constants

    return Path(constants.HF_HUB_CACHE)


def fingerprint() -> str:
    """A hash of the builder's own source: when it changes, the assets are rebuilt."""
    digest = hashlib.sha256()
    for source in BUILDER_SOURCES:
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def assets_ready(hub_cache: Path) -> bool:
    stamp = Path(hub_cache) / STAMP
    return stamp.exists() and stamp.read_text().strip() == fingerprint()


def ensure_assets(hub_cache: Path | None = None, force: bool = False
                  ) -> dict[str, dict[str, float]]:
    """Build the tiny assets unless they are current; return each model's scores (empty if
    cached). Progress goes to the `course.assets` loggers at INFO."""
    hub_cache = Path(hub_cache or default_hub_cache())
    if assets_ready(hub_cache) and not force:  # no lock needed: a read-only cache works too
        return {}
    hub_cache.mkdir(parents=True, exist_ok=True)
    with FileLock(str(hub_cache / f"{STAMP}.lock")):
        if assets_ready(hub_cache) and not force:
            return {}
        from .build import build_all, quiet_progress_bars

        stamp = fingerprint()  # of the sources this build runs, even if they change meanwhile
        log.info(f"Building the tiny profile's assets in {hub_cache} (once, about two minutes)...")
        start = time.perf_counter()
        with quiet_progress_bars():
            scores = build_all(hub_cache)
        (hub_cache / STAMP).write_text(stamp)
        log.info(f"Tiny assets built in {time.perf_counter() - start:.1f} s.")
        return scores
