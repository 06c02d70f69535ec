"""`course.setup()`: choose the profile, make the libraries offline-safe, seed, and report.

Call it before importing transformers, datasets or evaluate: they read the offline flags
once, at import. Without HF_HUB_OFFLINE every miss on an unreachable Hub retries for ~23 s.
"""
from __future__ import annotations

import concurrent.futures
import contextlib
import logging
import os
import socket
import sys
import warnings
from collections.abc import Iterator
from importlib import metadata
from urllib.parse import urlparse

from .profiles import FULL, Profile, tiny_profile

PROFILES = ("tiny", "full")
OFFLINE_FLAGS = {"HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "HF_EVALUATE_OFFLINE": "1"}
REPORTED_PACKAGES = ("torch", "transformers", "datasets", "tokenizers", "evaluate", "peft",
                     "accelerate", "huggingface_hub")
HUB_PROBE_SECONDS = 2.0

_current: Profile | None = None


class ProfileError(RuntimeError):
    """The profile is unknown, or was asked for before `course.setup()`."""


def hub_reachable(timeout: float = HUB_PROBE_SECONDS) -> bool:
    """True when a TCP connection to the Hub opens within `timeout` seconds (DNS included)."""
    if os.environ.get("HF_HUB_OFFLINE", "").upper() in ("1", "TRUE", "YES", "ON"):
        return False
    url = urlparse(os.environ.get("HF_ENDPOINT", "https://huggingface.co"))
    host, port = url.hostname or "huggingface.co", url.port or 443

    def connect() -> None:
        socket.create_connection((host, port), timeout=timeout).close()

    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    try:
        pool.submit(connect).result(timeout=timeout)
        return True
    except (OSError, concurrent.futures.TimeoutError):
        return False
    finally:
        pool.shutdown(wait=False)


def choose_profile(requested: str | None = None) -> str:
    """`requested`, else $COURSE_PROFILE, else `full` if the Hub answers and `tiny` if not."""
    name = (requested or os.environ.get("COURSE_PROFILE") or "").strip().lower()
    if not name:
        return "full" if hub_reachable() else "tiny"
    if name not in PROFILES:
        raise ProfileError(f"Unknown profile {name!r}: COURSE_PROFILE must be one of {PROFILES}.")
    return name


# Where each library keeps the offline switch it read from the environment at import time.
OFFLINE_SWITCHES = {"huggingface_hub": [("huggingface_hub.constants", "HF_HUB_OFFLINE")],
                    "transformers": [("huggingface_hub.constants", "HF_HUB_OFFLINE")],
                    "datasets": [("datasets.config", "HF_HUB_OFFLINE"),
                                 ("datasets.config", "HF_DATASETS_OFFLINE")],
                    "evaluate": [("evaluate.config", "HF_EVALUATE_OFFLINE")]}


def go_offline() -> None:
    """Set the offline flags, and update libraries that were imported online before setup()."""
    os.environ.update(OFFLINE_FLAGS)
    online = [name for name, switches in OFFLINE_SWITCHES.items() if name in sys.modules
              and not all(getattr(sys.modules[module], flag) for module, flag in switches
                          if module in sys.modules)]
    if not online:
        return  # none imported yet, or imported with the offline flags already set
    warnings.warn(f"course.setup() ran after importing {', '.join(online)}; call it first in "
                  "a fresh kernel so the libraries start offline.", stacklevel=3)
    for switches in OFFLINE_SWITCHES.values():
        for module, flag in switches:
            if module in sys.modules:
                setattr(sys.modules[module], flag, True)


def device() -> str:
    """The best device torch can use here: cuda, mps or cpu."""
    import torch

    if torch.cuda.is_available():
        return "cuda"
    if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
        return "mps"
    return "cpu"


def setup(profile: str | None = None, seed: int = 0, quiet: bool = False) -> Profile:
    """Pick and prepare the profile, seed every library, and print one short table."""
    global _current
    name = choose_profile(profile)
    os.environ["COURSE_PROFILE"] = name
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    if name == "tiny":
        go_offline()
        from .assets.cache import default_hub_cache, ensure_assets

        with _progress_shown(not quiet):
            ensure_assets()
        _current = tiny_profile(default_hub_cache())
    else:
        _current = FULL
    from transformers import set_seed

    set_seed(seed)
    if not quiet:
        print(report(_current, seed))
    return _current


@contextlib.contextmanager
def _progress_shown(show: bool) -> Iterator[None]:
    """Print the asset build's INFO lines in the notebook (they go to `logging`)."""
    logger = logging.getLogger("course.assets")
    handler = logging.StreamHandler(sys.stdout)
    if show:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)


def report(chosen: Profile, seed: int) -> str:
    """The table setup() prints: profile, device, seed and library versions."""
    rows = [("profile", chosen.name), ("device", device()), ("seed", str(seed)),
            ("python", sys.version.split()[0])]
    rows += [(package, metadata.version(package)) for package in REPORTED_PACKAGES]
    width = max(len(key) for key, _ in rows)
    return "\n".join(f"{key:<{width}}  {value}" for key, value in rows)


def current() -> Profile:
    """The profile that setup() chose."""
    if _current is None:
        raise ProfileError("No profile yet: run `course.setup()` first (the notebook's first cell).")
    return _current


def _lookup(table: dict[str, str], kind: str, key: str) -> str:
    if key not in table:
        raise ProfileError(f"No {kind} {key!r} in the {current().name} profile; "
                           f"known: {', '.join(sorted(table))}.")
    return table[key]


def checkpoint(role: str) -> str:
    """The model repo id for `role` ("sentiment", "causal-lm", ...), for `from_pretrained`."""
    return _lookup(current().checkpoints, "checkpoint", role)


def dataset(name: str) -> str:
    """The dataset path or repo id for `name` ("reviews", "stories", ...), for `load_dataset`."""
    return _lookup(current().datasets, "dataset", name)


def checkpoint_revision(role: str) -> str | None:
    """The revision to pass with `checkpoint(role)` as `revision=`; None means `main`."""
    checkpoint(role)  # an unknown role fails here, with the known ones
    return current().checkpoint_revisions.get(role)


def dataset_revision(name: str) -> str | None:
    """The revision to pass with `dataset(name)` to `load_dataset(..., revision=)`; None: `main`."""
    dataset(name)
    return current().dataset_revisions.get(name)


def metric(name: str) -> str:
    """The metric name or module path for `name` ("accuracy", "f1", ...), for `evaluate.load`."""
    return _lookup(current().metrics, "metric", name)
