"""`course grade --gradebook`: record scored submissions in the instructor's nbgrader course.

Workers grade in scratch courses. With `--gradebook`, each scored submission is then copied into
the real course as `nbgrader autograde` would leave it: its autograded notebook in
`autograded/<student>/<assignment>/` and its grades and comments in `gradebook.db`. The formgrader
then shows it for manual grading, and `nbgrader export` and `generate_feedback` work as usual.
One lock makes this process the gradebook's only writer; student code never sees the course.
"""
from __future__ import annotations

import shutil
import threading
from collections.abc import Iterable
from pathlib import Path

from .intake import Submission


SUBMISSION_FILES = ("timestamp.txt", "submission_secret.txt")  # what nbgrader submit adds


class GradebookError(Exception):
    """The course's gradebook cannot take this batch's scores."""


def gradebook_url(course: Path) -> str:
    """The database URL of the gradebook in an nbgrader course folder (nbgrader's default)."""
    return f"sqlite:///{course / 'gradebook.db'}"


def check_assignments(course: Path, assignments: Iterable[str]) -> None:
    """Raise GradebookError unless every assignment was generated in `course` (so its cells
    are in the gradebook); checked before grading, so a batch never half-records."""
    from nbgrader.api import Gradebook, MissingEntry

    from ..nbgrader import put_scripts_on_path

    if not (course / "gradebook.db").exists():
        raise GradebookError(f"{course} has no gradebook.db yet: run `nbgrader generate_assignment "
                             f"<assignment>` there first, or leave out --gradebook")
    put_scripts_on_path()
    missing = []
    with Gradebook(gradebook_url(course)) as gradebook:
        for name in sorted(set(assignments)):
            try:
                gradebook.find_assignment(name)
            except MissingEntry:
                missing.append(name)
    if missing:
        commands = "; ".join(f"nbgrader generate_assignment {name}" for name in missing)
        raise GradebookError(f"{course / 'gradebook.db'} has no assignment {', '.join(missing)}: "
                             f"run `{commands}` in {course} first, or leave out --gradebook")


class GradebookRecorder:
    """Copies submissions from scratch courses into `course`, one at a time."""

    def __init__(self, course: Path) -> None:
        self.course = course
        self._lock = threading.Lock()

    def record(self, sub: Submission, scratch: Path, flagged: bool, note: str = "") -> None:
        """Record `sub`, autograded in the scratch course `scratch`; `flagged` marks it for a
        look in the formgrader (tampered, timed out); `note` goes into its first comment."""
        from nbgrader.api import Gradebook

        with self._lock, Gradebook(gradebook_url(scratch)) as source, \
                Gradebook(gradebook_url(self.course)) as target:
            _copy_grades(source, target, sub, flagged, note)
            _copy_autograded(scratch, self.course, sub)


def _copy_grades(source, target, sub: Submission, flagged: bool, note: str) -> None:
    """Scores and comments of one notebook, by cell name; a manual score already given stays,
    and its cell is marked for review, as nbgrader's own autograde does on a regrade."""
    graded = source.find_submission(sub.assignment, sub.student)
    target.update_or_create_student(sub.student)
    target.update_or_create_submission(sub.assignment, sub.student, timestamp=graded.timestamp)
    names = (sub.notebook, sub.assignment, sub.student)
    notebook = source.find_submission_notebook(*names)
    for grade in notebook.grades:
        mine = target.find_grade(grade.name, *names)
        mine.auto_score = grade.auto_score
        mine.needs_manual_grade = mine.manual_score is not None or grade.auto_score is None
    for index, comment in enumerate(notebook.comments):
        text = comment.auto_comment
        if index == 0 and note:
            text = f"{text or ''}\n\n{note}".strip()
        target.find_comment(comment.name, *names).auto_comment = text
    target.find_submission_notebook(*names).flagged = flagged
    target.db.commit()


def _copy_autograded(scratch: Path, course: Path, sub: Submission) -> None:
    """The executed notebook (and nbgrader's submission files), where the formgrader looks."""
    folder = Path("autograded") / sub.student / sub.assignment
    dest = course / folder
    dest.mkdir(parents=True, exist_ok=True)
    for name in (f"{sub.notebook}.ipynb", *SUBMISSION_FILES):
        if (scratch / folder / name).exists():
            target = dest / name
            if target.exists():
                target.chmod(0o644)  # nbgrader leaves autograded notebooks read-only
            shutil.copyfile(scratch / folder / name, target)
