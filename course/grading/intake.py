"""Find a class's submissions: nbgrader's `submitted/` layout, or an LMS zip of notebooks.

    DIR/<student>/<assignment>/<notebook>.ipynb        (nbgrader's submitted/ layout)
    class.zip with that layout inside, or flat LMS names such as
    doejane_12345_67890_01-pipelines.ipynb / doejane_01-pipelines-2.ipynb
                                                        (student = the text before the first "_";
                                                         the notebook = a known name at the end)
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MAX_ZIP_BYTES = 2 * 2**30
STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,99}$")


@dataclass(frozen=True)
class Submission:
    """One notebook of one student for one assignment; `problem` says why it cannot be graded."""
    student: str
    assignment: str
    notebook: str
    path: Path | None
    problem: str | None = None
    renamed_from: str | None = None


class IntakeError(Exception):
    """The batch itself cannot be read (not one bad submission)."""


def find_submissions(source: Path, assignments: dict[str, list[str]], unpack_to: Path
                     ) -> list[Submission]:
    """Every submission under a folder or in a zip; `assignments` maps names to notebook stems."""
    if source.is_file() and zipfile.is_zipfile(source):
        source = unpack(source, unpack_to, assignments)
    if not source.is_dir():
        raise IntakeError(f"{source} is neither a folder of submissions nor a zip file")
    found = [sub for student in _folders(source) for sub in _student(student, assignments)]
    if not found:
        raise IntakeError(f"no submissions in {source}: expected "
                          "<student>/<assignment>/<notebook>.ipynb")
    return found


def _folders(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


def _student(folder: Path, assignments: dict[str, list[str]]) -> list[Submission]:
    student = folder.name
    if not STUDENT_ID.match(student):
        return [Submission(student, "?", "?", None, f"unusable student id {student!r}")]
    return [sub for assignment in _folders(folder)
            for sub in _assignment(student, assignment, assignments)]


def _assignment(student: str, folder: Path, assignments: dict[str, list[str]]
                ) -> list[Submission]:
    name = folder.name
    if name not in assignments:
        return [Submission(student, name, "?", None,
                           f"unknown assignment {name!r} (known: {', '.join(sorted(assignments))})")]
    expected = assignments[name]
    present = sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith("."))
    unknown = [p for p in present if p.stem not in expected]
    subs = []
    for stem in expected:
        path = folder / f"{stem}.ipynb"
        if path.is_file():
            subs.append(Submission(student, name, stem, path))
        elif len(expected) == 1 and len(unknown) == 1:
            subs.append(Submission(student, name, stem, unknown[0], renamed_from=unknown[0].name))
        else:
            seen = ", ".join(p.name for p in present) or "no notebooks"
            subs.append(Submission(student, name, stem, None,
                                   f"no {stem}.ipynb in the submission (found: {seen})"))
    return subs


def unpack(archive: Path, dest: Path, assignments: dict[str, list[str]]) -> Path:
    """Extract the notebooks of an LMS zip into `dest` in the submitted/ layout, safely:
    no absolute paths or `..`, no links, a cap on the unpacked size."""
    stems = {stem: name for name, notebooks in assignments.items() for stem in notebooks}
    with zipfile.ZipFile(archive) as zf:
        members = [m for m in zf.infolist() if not m.is_dir() and m.filename.endswith(".ipynb")]
        if sum(m.file_size for m in members) > MAX_ZIP_BYTES:
            raise IntakeError(f"{archive} unpacks to more than {MAX_ZIP_BYTES // 2**30} GiB")
        for member in members:
            target = _target(PurePosixPath(member.filename), stems)
            if target is None:
                continue
            out = dest / target
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(zf.read(member))
    return dest


def _target(name: PurePosixPath, stems: dict[str, str]) -> PurePosixPath | None:
    """Where a zip member goes: kept if already student/assignment/nb, else parsed from the
    LMS file name; None for unsafe paths and names that say no student."""
    if name.is_absolute() or ".." in name.parts or any(p.startswith(".") for p in name.parts):
        return None
    if len(name.parts) >= 3:
        return PurePosixPath(*name.parts[-3:])
    student, _, rest = name.stem.partition("_")
    rest = re.sub(r"-\d+$", "", rest)
    stem = next((s for s in sorted(stems, key=len, reverse=True) if rest.endswith(s)), None)
    if not student or not rest:
        return None
    if stem is None:
        return PurePosixPath(student, "unknown", name.name)
    return PurePosixPath(student, stems[stem], f"{stem}.ipynb")
