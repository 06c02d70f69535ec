"""A scratch copy of the nbgrader course, with its gradebook, that every worker copies.

The instructor's course folder is only read: `generate_assignment` runs in the scratch copy,
and each submission is graded in a copy of that, so parallel workers never share a gradebook
and the real one is never opened.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
from nbformat.notebooknode import NotebookNode

GRADING_OVERLAY = '''

# --- added by `course grade`: contained kernel, audit cell, its own time limit ---
if os.environ.get("COURSE_GRADE_KERNEL_SOCKET"):
    from course.grading.hooks import configure
    configure(c, int(os.environ["COURSE_GRADE_CELL_TIMEOUT"]),
              os.environ["COURSE_GRADE_KERNEL_SOCKET"])
'''


class TemplateError(Exception):
    """The course itself cannot be prepared for grading."""


class CourseTemplate:
    """The course, with every assignment generated, in `folder`."""

    def __init__(self, course: Path, folder: Path, assignments: list[str]) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        config = (course / "nbgrader_config.py").read_text()
        (folder / "nbgrader_config.py").write_text(config + GRADING_OVERLAY)
        for name in assignments:
            shutil.copytree(course / "source" / name, folder / "source" / name)
            self._generate(name)

    def _generate(self, assignment: str) -> None:
        done = subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment",
                               assignment, "--force"], cwd=self.folder, capture_output=True,
                              text=True)
        if done.returncode != 0:
            raise TemplateError(f"nbgrader generate_assignment {assignment} failed:\n"
                                f"{done.stdout[-2000:]}{done.stderr[-2000:]}")

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
