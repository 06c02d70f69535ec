"""The repository: its checkout folder and the URL that badges and the Colab cell point at."""
from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from ..checkout import require_checkout

COLAB_BADGE = "https://colab.research.google.com/assets/colab-badge.svg"
BRANCH = "main"


@cache
def root() -> Path:
    """The checkout this build runs in."""
    return require_checkout()


def repository() -> tuple[str, str]:
    """The repository URL (pyproject.toml's one setting) and the branch badges point at."""
    project = tomllib.loads((root() / "pyproject.toml").read_text())
    return project["project"]["urls"]["Repository"].rstrip("/"), BRANCH


def colab_url(path: str) -> str:
    """The "Open in Colab" address of `path` (relative to the repository root)."""
    url, branch = repository()
    return f"https://colab.research.google.com/github/{url.split('github.com/')[1]}/blob/{branch}/{path}"
