"""Finding a class's submissions in a folder or an LMS zip, safely."""
from __future__ import annotations

import stat
import zipfile
from pathlib import Path

import pytest

from course.grading import intake
from course.grading.intake import IntakeError, find_submissions

ASSIGNMENTS = {"00-setup": ["00-setup"], "01-pipelines": ["01-pipelines"]}


def _zip(path: Path, members: dict[str, bytes], links: dict[str, str] | None = None) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        for name, target in (links or {}).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, target)
    return path


def _found(subs: list[intake.Submission]) -> set[tuple[str, str, str]]:
    return {(s.student, s.assignment, s.notebook) for s in subs if s.problem is None}


def test_lms_names_with_resubmission_suffixes(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "class.zip", {
        "doejane_12345_67890_01-pipelines.ipynb": b"{}",
        "roe_richard_00-setup-2.ipynb": b"{}",
        "kim_01-pipelines-13.ipynb": b"{}",
    })
    subs = find_submissions(archive, ASSIGNMENTS, tmp_path / "out")
    assert _found(subs) == {("doejane", "01-pipelines", "01-pipelines"),
                            ("roe", "00-setup", "00-setup"), ("kim", "01-pipelines", "01-pipelines")}


def test_unsafe_members_are_never_written_outside(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "class.zip", {
        "../escaped_00-setup.ipynb": b"{}", "/abs/olga/00-setup/00-setup.ipynb": b"{}",
        "ann/00-setup/00-setup.ipynb": b"{}"},
        links={"lee/00-setup/00-setup.ipynb": "/etc/passwd"})
    out = tmp_path / "out"
    subs = find_submissions(archive, ASSIGNMENTS, out)
    assert ("ann", "00-setup", "00-setup") in _found(subs)
    assert not (tmp_path / "escaped_00-setup.ipynb").exists()
    assert not any(s.student in ("olga", "abs", "..") for s in subs), subs
    written = [p for p in out.rglob("*") if p.is_symlink()]
    assert not written, f"a link was unpacked as a link: {written}"
    lee = out / "lee" / "00-setup" / "00-setup.ipynb"
    assert lee.read_text() == "/etc/passwd", "a link member is at most a file holding its target"


def test_an_oversize_zip_stops_the_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(intake, "MAX_ZIP_BYTES", 10)
    archive = _zip(tmp_path / "class.zip", {"ann/00-setup/00-setup.ipynb": b"x" * 100})
    with pytest.raises(IntakeError, match="unpacks to more than"):
        find_submissions(archive, ASSIGNMENTS, tmp_path / "out")


def test_folder_layout_problems_are_per_submission(tmp_path: Path) -> None:
    for rel in ("ann/00-setup/00-setup.ipynb", "bob/00-setup/my-work.ipynb",
                "cy/99-unknown/x.ipynb", "dee/00-setup/a.ipynb", "dee/00-setup/b.ipynb",
                "bad name!/00-setup/00-setup.ipynb"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("{}")
    subs = {s.student: s for s in find_submissions(tmp_path, ASSIGNMENTS, tmp_path / "x")}
    assert subs["ann"].problem is None
    assert subs["bob"].renamed_from == "my-work.ipynb" and subs["bob"].problem is None
    assert "unknown assignment '99-unknown'" in subs["cy"].problem
    assert "no 00-setup.ipynb" in subs["dee"].problem
    assert "unusable student id" in subs["bad name!"].problem


def test_nothing_to_grade_is_an_intake_error(tmp_path: Path) -> None:
    with pytest.raises(IntakeError, match="neither a folder"):
        find_submissions(tmp_path / "missing", ASSIGNMENTS, tmp_path / "x")
    (tmp_path / "empty").mkdir()
    with pytest.raises(IntakeError, match="no submissions"):
        find_submissions(tmp_path / "empty", ASSIGNMENTS, tmp_path / "x")
