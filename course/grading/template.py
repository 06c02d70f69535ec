"""A scratch copy of the nbgrader course, with its gradebook, that every worker copies.

The instructor's course folder is only read: `generate_assignment` runs in the scratch copy,
and each submission is graded in a copy of that, so parallel workers never share a gradebook
and the real one is never opened.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
from nbformat.notebooknode import NotebookNode

from ..nbgrader import CONFIG_FILE, NbgraderFailed, api, checked, course_config


class TemplateError(Exception):
    """The course itself cannot be prepared for grading."""


class CourseTemplate:
    """The course, with every assignment generated, in `folder`."""

    def __init__(self, course: Path, folder: Path, assignments: list[str]) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(course / CONFIG_FILE, folder / CONFIG_FILE)
        for name in assignments:
            shutil.copytree(course / "source" / name, folder / "source" / name)
        try:
            nbgrader = api(course_config(folder, root=folder))
        except Exception as error:  # the instructor's config file, run as Python
            raise TemplateError(f"{course / CONFIG_FILE} does not load: "
                                f"{type(error).__name__}: {error}") from None
        for name in assignments:
            try:
                checked(f"generate_assignment {name}", nbgrader.generate_assignment(name))
            except NbgraderFailed as error:
                raise TemplateError(str(error)) from None

    def released(self, assignment: str, notebook: str) -> NotebookNode:
        """The student version of `notebook`, as nbgrader released it."""
        return nbformat.read(self.folder / "release" / assignment / f"{notebook}.ipynb", 4)

    def copy_to(self, dest: Path) -> Path:
        """A private copy of the course (config, sources, gradebook) for one submission."""
        shutil.copytree(self.folder, dest, ignore=shutil.ignore_patterns("release"))
        return dest


def assignments_of(course: Path) -> dict[str, list[str]]:
    """Each assignment in the course's source/ folder, with its notebooks' stems."""
    return {folder.name: sorted(p.stem for p in folder.glob("*.ipynb"))
            for folder in sorted((course / "source").iterdir()) if folder.is_dir()}
