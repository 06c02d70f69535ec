"""Where this course's repository checkout is, if the package runs from one.

An editable install (`make setup`) runs from the checkout; a wheel (the Colab cell,
`pip install` by an instructor) runs from site-packages, where there is no checkout at all.
The build needs one; grading hides one from student code when there is one.
"""
from __future__ import annotations

import tomllib
from pathlib import Path

PROJECT_NAME = "hf-course"


def is_checkout(folder: Path) -> bool:
    """True when `folder` is a checkout of this course: its pyproject.toml names the project
    and it has the nbgrader course folder."""
    try:
        project = tomllib.loads((folder / "pyproject.toml").read_text())
    except (OSError, tomllib.TOMLDecodeError):
        return False
    return (project.get("project", {}).get("name") == PROJECT_NAME
            and (folder / "autograder" / "nbgrader_config.py").is_file())


def find_checkout(start: Path | None = None) -> Path | None:
    """The checkout that holds `start` (default: this package), or None."""
    here = (start or Path(__file__)).resolve()
    return next((folder for folder in [here, *here.parents] if is_checkout(folder)), None)


def require_checkout() -> Path:
    """The package's checkout; a clear error when the package was installed as a wheel."""
    root = find_checkout()
    if root is None:
        raise RuntimeError("This needs the course's repository checkout (git clone, then "
                           "`make setup`); the installed package has no autograder/ or notebooks/.")
    return root
