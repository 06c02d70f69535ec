"""The one way the package drives nbgrader: the course's config, nbgrader's API, and PATH.

The maintainer's build (student versions) and the instructor's grading (the scratch course,
autograde and feedback) both load the course folder's own `nbgrader_config.py` through
`course_config`, so a setting made there holds for both.
"""
from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config

CONFIG_FILE = "nbgrader_config.py"


class NbgraderFailed(RuntimeError):
    """An nbgrader step reported failure; the message carries its log."""


def put_scripts_on_path() -> None:
    """Put this interpreter's scripts folder on PATH: nbgrader's Gradebook runs `alembic` from
    there, which fails when the virtualenv is not activated (`.venv/bin/nbgrader ...`)."""
    scripts = str(Path(sys.executable).parent)
    if scripts not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = scripts + os.pathsep + os.environ.get("PATH", "")


def course_config(course: Path, root: Path | None = None) -> Config:
    """The settings of the nbgrader course folder `course` (its nbgrader_config.py), with the
    course root moved to `root` (a scratch folder) when given."""
    from traitlets.config.loader import PyFileConfigLoader

    put_scripts_on_path()
    config = PyFileConfigLoader(CONFIG_FILE, path=str(course)).load_config()
    config.CourseDirectory.root = str(root or course)
    if not logging.getLogger("course").isEnabledFor(logging.DEBUG):
        config.Application.log_level = "WARNING"  # nbgrader's INFO line per file it writes
    if root is not None:  # a scratch course gets an empty exchange of its own
        (root / "exchange").mkdir(parents=True, exist_ok=True)
        config.Exchange.root = str(root / "exchange")
    return config


def api(config: Config) -> NbGraderAPI:
    """nbgrader's API object for `config` (as the formgrader uses it)."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)


def checked(step: str, result: dict) -> str:
    """The log of an NbGraderAPI call's `result`; raises NbgraderFailed if it failed."""
    log = "\n".join(filter(None, (result.get("log"), result.get("error"))))
    if not result.get("success"):
        raise NbgraderFailed(f"nbgrader {step} failed:\n{log[-4000:]}")
    return log
