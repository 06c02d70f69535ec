"""A class on a real JupyterHub (`make hub`): an instructor and two students, from release to
feedback, the students in Debian's chromium driven by Playwright (issue 16).

The instructor generates and releases chapters 01 and 10; each student logs in, fetches both from
the Assignments tab, answers (one all correct, one partly), validates chapter 01 and submits; the
instructor collects, runs `course grade --gradebook`, grades chapter 10's reflection in the
formgrader, and releases feedback, which each student fetches and reads. On the way: a second
submission after the deadline, a deleted test cell, a renamed notebook, and a submitted cell that
tries to write the gradebook. Root only: the hub makes system users. Screenshots go to
test-artifacts/hub/.
"""
from __future__ import annotations

import csv
import datetime
import os
import pwd
import signal
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from chromium import CHROMIUM, wait_for
from conftest import ROOT

from course.hub import COURSE_FOLDER, HubLayout, free_port, run_as

def _others_can_enter(path: Path) -> bool:
    """Whether every folder above `path` lets other users through (the hub's users run from it)."""
    return all(os.stat(folder).st_mode & 0o001 for folder in [path, *path.parents])


playwright = pytest.importorskip("playwright.sync_api")
pytestmark = [pytest.mark.notebook,
              pytest.mark.skipif(os.geteuid() != 0, reason="the hub makes system users: root only"),
              pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no {CHROMIUM} (.ci/run installs it)"),
              pytest.mark.skipif(not _others_can_enter(ROOT), reason=f"the hub's users cannot enter "
                                 f"{ROOT} (a folder above it is closed to others)")]

HUB_ROOT = Path(os.environ.get("COURSE_TEST_HUB_ROOT", "/srv/hf-course-hub-test"))
LAYOUT = HubLayout(HUB_ROOT, HUB_ROOT / "venv" / "bin")
INSTRUCTOR, ALL_RIGHT, PARTLY = "hft-instructor", "hft-student1", "hft-student2"
ASSIGNMENTS = ("01-pipelines", "10-capstone")
SHOTS = ROOT / "test-artifacts" / "hub"
REFLECTION = ("I would put the sentiment model behind a Gradio demo, watch how it fails on sarcasm, "
              "and write a model card that says so.")
# A cell a student adds: it tries to open the instructor's gradebook from the graded kernel.
TAMPER = ("import pathlib\n"
          f"target = pathlib.Path('/home/{INSTRUCTOR}/{COURSE_FOLDER}/gradebook.db')\n"
          "try:\n"
          "    target.open('ab').write(b'tampered')\n"
          "    print('wrote', target)\n"
          "except OSError as error:\n"
          "    print('could not write the gradebook:', type(error).__name__)\n")


@dataclass(frozen=True)
class Hub:
    url: str
    passwords: dict[str, str]


def home(user: str) -> Path:
    return Path(pwd.getpwnam(user).pw_dir)


def course_dir() -> Path:
    return home(INSTRUCTOR) / COURSE_FOLDER


def instructor(*command: str) -> str:
    """Run a command as the instructor in the course folder (as in a terminal of their Lab)."""
    return run_as(INSTRUCTOR, LAYOUT, *command, cwd=course_dir()).stdout


def answers(assignment: str, exercises: set[str]) -> dict[str, str]:
    """grade_id -> the reference answer, for the answer cells of these exercises."""
    solution = nbformat.read(ROOT / "solutions" / f"{assignment}.ipynb", 4)
    return {cell.metadata["nbgrader"]["grade_id"]: cell.source for cell in solution.cells
            if cell.metadata.get("nbgrader", {}).get("solution")
            and cell.metadata["nbgrader"]["grade_id"].split("-")[0] in exercises}


def edit_as_student(user: str, notebook: Path, filled: dict[str, str], *,
                    drop: tuple[str, ...] = (), extra_cell: str = "") -> None:
    """What the student types into their fetched notebook: answers (by grade_id), a deleted
    cell, an added cell. Written with the student's ownership."""
    nb = nbformat.read(notebook, 4)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in filled:
            cell.source = filled[grade_id]
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") not in drop]
    if extra_cell:
        nb.cells.insert(len(nb.cells) - 1, nbformat.v4.new_code_cell(extra_cell))
    nbformat.write(nb, notebook)
    os.chown(notebook, pwd.getpwnam(user).pw_uid, pwd.getpwnam(user).pw_gid)


def remove_test_users() -> None:
    """A fresh class each run: the test's users, their homes and the exchange's course."""
    for user in (INSTRUCTOR, ALL_RIGHT, PARTLY):
        subprocess.run(["pkill", "-u", user], check=False)
        subprocess.run(["userdel", "--remove", user], capture_output=True, check=False)
    subprocess.run(["rm", "-rf", str(LAYOUT.exchange / "hf-course"), str(LAYOUT.state)], check=True)


@pytest.fixture(scope="module")
def hub() -> Iterator[Hub]:
    """`make hub` on a free port for the test's users; stopped (with their servers) at the end."""
    remove_test_users()
    SHOTS.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = (SHOTS / "make-hub.log").open("w")
    server = subprocess.Popen(
        ["make", "-s", "hub", f"HUB_ROOT={HUB_ROOT}",
         f"HUB_ARGS=--port {port} --instructor {INSTRUCTOR} --students {ALL_RIGHT} {PARTLY}"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        # the first run builds the hub's virtualenv (minutes); later ones start in seconds
        wait_for(f"http://127.0.0.1:{port}/hub/api", 1200, "JupyterHub")
        passwords = dict(line.split(":", 1) for line in LAYOUT.passwords.read_text().splitlines())
        yield Hub(f"http://127.0.0.1:{port}", passwords)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=120)
        log.close()


def log_in(browser, hub: Hub, user: str):
    """A page of the user's own browser session, logged in, their JupyterLab loaded."""
    page = browser.new_context(viewport={"width": 1400, "height": 950}).new_page()
    page.goto(f"{hub.url}/hub/login")
    page.fill("#username_input", user)
    page.fill("#password_input", hub.passwords[user])
    page.click("#login_submit")
    page.locator("#jp-main-dock-panel").wait_for(timeout=180_000)
    return page


def open_assignments(page) -> None:
    page.locator("#jp-menu-panel div.lm-MenuBar-itemLabel", has_text="Nbgrader").click()
    page.locator('li[data-command="nbgrader:open-assignment-list"]').click()
    page.locator("#released_assignments_list").wait_for()


def click_in_list(page, listing: str, assignment: str, button: str) -> None:
    """Press `button` on the assignment's row of one of the Assignments tab's lists."""
    page.locator("#refresh_assignments_list").click()
    row = page.locator(f"#{listing}_assignments_list > .list_item", has_text=assignment).first
    row.locator(".item_status button", has_text=button).click()


def wait_in_list(page, listing: str, assignment: str) -> None:
    page.locator(f"#{listing}_assignments_list > .list_item", has_text=assignment).first.wait_for(
        timeout=120_000)


def fetch_both(page, user: str) -> None:
    open_assignments(page)
    for assignment in ASSIGNMENTS:
        click_in_list(page, "released", assignment, "Fetch")
        wait_in_list(page, "fetched", assignment)
    page.screenshot(path=str(SHOTS / f"{user}-1-fetched.png"))


def validate(page, hub: Hub, user: str, assignment: str) -> str:
    """Open the notebook in JupyterLab and press nbgrader's Validate; the dialog's text."""
    page.goto(f"{hub.url}/user/{user}/lab/tree/{COURSE_FOLDER}/{assignment}/{assignment}.ipynb")
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(timeout=120_000)
    page.wait_for_timeout(2000)
    page.locator(".validate-button").first.click()
    dialog = page.locator(".jp-Dialog-content")
    dialog.wait_for(timeout=300_000)
    page.screenshot(path=str(SHOTS / f"{user}-2-validated-{assignment}.png"))
    text = dialog.inner_text()
    dialog.locator("button", has_text="OK").first.click()
    return text


def submit(page, user: str, assignment: str, shot: str) -> None:
    open_assignments(page)
    click_in_list(page, "fetched", assignment, "Submit")
    wait_in_list(page, "submitted", assignment)
    page.screenshot(path=str(SHOTS / f"{user}-{shot}.png"))


def fetched(user: str, assignment: str) -> Path:
    return home(user) / COURSE_FOLDER / assignment / f"{assignment}.ipynb"


def grade_reflection(browser, hub: Hub, score: int) -> None:
    """The instructor scores chapter 10's reflection in the formgrader."""
    page = log_in(browser, hub, INSTRUCTOR)
    base = f"{hub.url}/user/{INSTRUCTOR}/formgrader"
    page.goto(f"{base}/manage_submissions/10-capstone")
    page.get_by_text(ALL_RIGHT).first.wait_for(timeout=60_000)
    page.screenshot(path=str(SHOTS / "instructor-1-submissions.png"), full_page=True)
    # the formgrader shows submissions without names; the gradebook says which one is theirs
    notebook_id = instructor("python", "-c", (
        "from nbgrader.api import Gradebook\n"
        "with Gradebook('sqlite:///gradebook.db') as gb:\n"
        f"    print(gb.find_submission_notebook('10-capstone', '10-capstone', {ALL_RIGHT!r}).id)"
    )).strip()
    page.goto(f"{base}/submissions/{notebook_id}/")
    score_box = page.locator("input.score#reflection")
    score_box.wait_for(timeout=60_000)
    with page.expect_response(lambda r: "/api/grade/" in r.url and r.request.method == "PUT"):
        score_box.fill(str(score))
        score_box.press("Tab")
    page.screenshot(path=str(SHOTS / "instructor-2-manual-grade.png"), full_page=True)


def read_feedback(page, hub: Hub, user: str, assignment: str) -> str:
    """Fetch the feedback from the Assignments tab and open its HTML; the page's text."""
    open_assignments(page)
    click_in_list(page, "submitted", assignment, "Fetch Feedback")
    folder = home(user) / COURSE_FOLDER / assignment / "feedback"
    for _ in range(60):
        if list(folder.glob(f"*/{assignment}.html")):
            break
        page.wait_for_timeout(1000)
    html = sorted(folder.glob(f"*/{assignment}.html"))[-1]
    page.goto(f"{hub.url}/user/{user}/files/{html.relative_to(home(user))}")
    page.screenshot(path=str(SHOTS / f"{user}-4-feedback-{assignment}.png"), full_page=True)
    return page.inner_text("body")


def cannot(user: str, code: str) -> str:
    """Run Python as `user`; the error it met (the test fails if it met none)."""
    done = subprocess.run([str(LAYOUT.bin / "python"), "-c", code], user=user, cwd="/",
                          capture_output=True, text=True)
    assert done.returncode != 0, f"{user} could run {code!r}: {done.stdout}"
    return done.stderr.strip().splitlines()[-1]


def test_a_class_from_release_to_feedback(hub: Hub, browser) -> None:
    for assignment in ASSIGNMENTS:
        instructor("nbgrader", "generate_assignment", assignment)
        instructor("nbgrader", "release_assignment", assignment)

    # The student who gets everything right: every exercise, and the reflection.
    good = log_in(browser, hub, ALL_RIGHT)
    fetch_both(good, ALL_RIGHT)
    edit_as_student(ALL_RIGHT, fetched(ALL_RIGHT, "01-pipelines"),
                    answers("01-pipelines", {"ex1", "ex2", "ex3", "ex4", "ex5"}))
    edit_as_student(ALL_RIGHT, fetched(ALL_RIGHT, "10-capstone"),
                    {**answers("10-capstone", {"ex1", "ex2", "ex3", "ex4"}), "reflection": REFLECTION})
    verdict = validate(good, hub, ALL_RIGHT, "01-pipelines")
    assert "Success" in verdict, f"Validate on the right answers said:\n{verdict}"
    for assignment in ASSIGNMENTS:
        submit(good, ALL_RIGHT, assignment, f"3-submitted-{assignment}")

    # The other student: two exercises, a failed validation, a first submission in time.
    partly = log_in(browser, hub, PARTLY)
    fetch_both(partly, PARTLY)
    notebook = fetched(PARTLY, "01-pipelines")
    edit_as_student(PARTLY, notebook, answers("01-pipelines", {"ex1", "ex2"}))
    verdict = validate(partly, hub, PARTLY, "01-pipelines")
    assert "Success" not in verdict and "NotImplementedError" in verdict, \
        f"Validate on a half-done notebook said:\n{verdict}"
    submit(partly, PARTLY, "01-pipelines", "3-submitted-on-time")

    # The deadline passes; the second, late, submission has ex3 too, a deleted visible test cell
    # (nbgrader puts it back) and a cell that tries to write the gradebook.
    due = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    instructor("nbgrader", "db", "assignment", "add", "01-pipelines", f"--duedate={due}")
    edit_as_student(PARTLY, notebook, answers("01-pipelines", {"ex1", "ex2", "ex3"}),
                    drop=("ex1-tests",), extra_cell=TAMPER)
    submit(partly, PARTLY, "01-pipelines", "3-submitted-late")
    # Chapter 10 saved under another name ("Save As"), the fetched one left unanswered.
    renamed = fetched(PARTLY, "10-capstone").with_name("10-capstone-mine.ipynb")
    fetched(PARTLY, "10-capstone").rename(renamed)
    submit(partly, PARTLY, "10-capstone", "3-submitted-renamed")

    # Neither student reaches the other, the instructor's course or the gradebook.
    inbound = LAYOUT.exchange / "hf-course" / "inbound"
    assert "PermissionError" in cannot(ALL_RIGHT, f"import os; print(os.listdir({str(inbound)!r}))")
    assert "PermissionError" in cannot(
        ALL_RIGHT, f"print(open({str(fetched(PARTLY, '01-pipelines'))!r}).read()[:80])")
    assert "PermissionError" in cannot(
        PARTLY, f"open({str(course_dir() / 'gradebook.db')!r}, 'ab').write(b'x')")

    # The instructor collects and grades the class, contained.
    for assignment in ASSIGNMENTS:
        instructor("nbgrader", "collect", assignment)
    report = instructor("course", "grade", "submitted", "--course", str(course_dir()),
                        "--gradebook", "--out", "grades.csv")
    rows = {(r["student"], r["assignment"]): r
            for r in csv.DictReader((course_dir() / "grades.csv").open())}
    assert rows[(ALL_RIGHT, "01-pipelines")]["status"] == "graded", report
    assert rows[(ALL_RIGHT, "10-capstone")]["status"] == "graded", report
    late_row, renamed_row = rows[(PARTLY, "01-pipelines")], rows[(PARTLY, "10-capstone")]
    assert late_row["status"] == "tampered" and "'ex1-tests' was deleted" in late_row["flags"], \
        f"the deleted test cell is not flagged:\n{late_row}"
    assert "renamed from 10-capstone-mine.ipynb" in renamed_row["flags"], \
        f"the renamed notebook is not graded as chapter 10 with a flag:\n{renamed_row}"
    grade_reflection(browser, hub, score=2)

    for assignment in ASSIGNMENTS:
        instructor("nbgrader", "generate_feedback", assignment)
        instructor("nbgrader", "release_feedback", assignment)
    good_feedback = read_feedback(good, hub, ALL_RIGHT, "01-pipelines")
    assert "9.0 / 9.0" in good_feedback, f"student1's feedback:\n{good_feedback[:1500]}"
    assert "HIDDEN" not in good_feedback and "hidden_check" not in good_feedback
    late_feedback = read_feedback(partly, hub, PARTLY, "01-pipelines")
    assert "5.0 / 9.0" in late_feedback, f"student2's feedback:\n{late_feedback[:1500]}"
    # The cell ran contained: the course folder it saw was an empty scratch (a tmpfs), so what it
    # wrote there went nowhere; the instructor's gradebook holds no byte of it.
    assert b"tampered" not in (course_dir() / "gradebook.db").read_bytes(), \
        "the graded notebook wrote into the instructor's gradebook"

    instructor("nbgrader", "export", "--to", "export.csv")
    exported = {(r["student_id"], r["assignment"]): r
                for r in csv.DictReader((course_dir() / "export.csv").open())}
    (SHOTS / "export.csv").write_text((course_dir() / "export.csv").read_text())
    scores = {key: (float(r["score"]), float(r["max_score"])) for key, r in exported.items()}
    assert scores == {(ALL_RIGHT, "01-pipelines"): (9.0, 9.0),
                      (ALL_RIGHT, "10-capstone"): (10.0, 10.0),
                      (PARTLY, "01-pipelines"): (5.0, 9.0),
                      (PARTLY, "10-capstone"): (0.0, 10.0)}, scores
    late = exported[(PARTLY, "01-pipelines")]
    assert late["timestamp"] > late["duedate"], f"the late submission is not late: {late}"
    on_time = exported[(ALL_RIGHT, "01-pipelines")]
    assert on_time["timestamp"] <= on_time["duedate"], f"the first submission is late: {on_time}"
