"""Grade one submission with nbgrader, in a scratch copy of the course, with a contained kernel."""
from __future__ import annotations

import json
import logging
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .gradebook import gradebook_url
from .inspection import inspect_submission
from .intake import Submission
from .preprocessors import GradingRun
from .sandbox import Limits, Sandbox
from .template import CourseTemplate
from .warm_kernels import STOP_GRACE_SECONDS, WarmSlot, kernel_argv, run_nbgrader

logger = logging.getLogger(__name__)
STATUSES = ("graded", "timeout", "tampered", "invalid", "crashed")


@dataclass
class Result:
    """One CSV row: the score nbgrader gave (None if it gave none), a status and why."""
    submission: Submission
    status: str
    score: float | None = None
    max_score: float | None = None
    flags: list[str] = field(default_factory=list)
    feedback: Path | None = None
    seconds: float = 0.0
    graded_in: Path | None = None  # the scratch course nbgrader graded it in, while it exists
    containment: str = ""  # the level its kernel ran at (sandbox.LEVELS)


@dataclass(frozen=True)
class Settings:
    """How each submission is run."""
    cell_timeout: int = 300
    submission_timeout: int = 1800
    limits: Limits = Limits()
    level: str = "rlimits"
    hidden: tuple[Path, ...] = ()


@dataclass(frozen=True)
class Place:
    """Where one submission is graded: `work`, the grader's own folder (the scratch course,
    findings), and `kernel`, the kernel's (its working folder and sockets), with the uid it
    runs as at the `uid` level. Both are created, then left for the caller to delete."""
    work: Path
    kernel: Path
    uid: int | None = None
    warm: WarmSlot | None = None  # forks nbgrader and the kernel warm; None: both start cold


def grade_one(sub: Submission, template: CourseTemplate, settings: Settings, place: Place
              ) -> Result:
    """Inspect, autograde and make feedback for `sub` at `place`. Never raises for anything
    the submission does."""
    if sub.problem:
        return Result(sub, "invalid", flags=[sub.problem])
    found = inspect_submission(sub.path, template.released(sub.assignment, sub.notebook))
    flags = [f"renamed from {sub.renamed_from}"] if sub.renamed_from else []
    if found.invalid:
        return Result(sub, "invalid", flags=[*flags, found.invalid])
    work = place.work
    course = template.copy_to(work / "course")
    notebook = course / "submitted" / sub.student / sub.assignment / f"{sub.notebook}.ipynb"
    notebook.parent.mkdir(parents=True)
    nbformat.write(found.notebook, notebook)
    flags += _carry_submission_files(sub.path.parent, notebook.parent)
    run = _autograde(sub, course, place, settings)
    flags += found.notes + found.tampering + run.flags
    if run.status != "graded":
        return Result(sub, run.status, flags=flags)
    score, max_score = _score(course, sub)
    status = "tampered" if found.tampering or run.tampering else (
        "timeout" if run.timed_out else "graded")
    return Result(sub, status, score, max_score, flags, _feedback(sub, course), graded_in=course)


def _carry_submission_files(submitted: Path, dest: Path) -> list[str]:
    """nbgrader submit's timestamp.txt and submission_secret.txt, beside the notebook as
    `nbgrader collect` leaves them: the gradebook then holds when it was submitted (a late one
    is late), and `nbgrader release_feedback` can address the feedback. Flags a timestamp that
    is not a time."""
    from nbgrader.utils import parse_utc

    secret = submitted / "submission_secret.txt"
    if secret.is_file():
        (dest / secret.name).write_text(secret.read_text(errors="replace")[:200])
    stamp = submitted / "timestamp.txt"
    if not stamp.is_file():
        return []
    text = stamp.read_text(errors="replace").strip()[:100]
    try:
        parse_utc(text)
    except (ValueError, OverflowError, TypeError):
        return [f"timestamp.txt is not a time ({text!r}): graded as submitted now"]
    (dest / stamp.name).write_text(text)
    return []


@dataclass
class _Run:
    status: str = "graded"
    flags: list[str] = field(default_factory=list)
    tampering: bool = False
    timed_out: bool = False


def _autograde(sub: Submission, course: Path, place: Place, settings: Settings) -> _Run:
    work = place.work
    sandbox = Sandbox(place.kernel / "cwd", place.kernel / "runtime", settings.hidden,
                      settings.limits, settings.level, place.uid)
    env = _grader_env(work, sandbox, place.warm)
    run_file = _grading_run(work, sandbox, settings).save(work / "run.json")
    args = [str(run_file), sub.assignment, sub.student]
    try:
        if place.warm:
            log = _run_warm(place.warm, args, course, env, settings.submission_timeout, work)
        else:
            log = _run([sys.executable, "-m", "course.grading.nbgrader_run", *args], course, env,
                       settings.submission_timeout)
    except subprocess.TimeoutExpired:
        return _Run("timeout", [f"stopped after {settings.submission_timeout} s in all"])
    finally:
        sandbox.end()
    logger.debug("nbgrader log of %s/%s:\n%s", sub.student, sub.assignment, log[-3000:])
    findings_file = work / "findings.json"
    autograded = course / "autograded" / sub.student / sub.assignment / f"{sub.notebook}.ipynb"
    if not autograded.exists() or not findings_file.exists():
        return _Run("crashed", [_crash_reason(log)])
    findings = json.loads(findings_file.read_text())
    run = _Run(timed_out=bool(findings["timed_out"]))
    run.flags += [f"cell {name} hit the {settings.cell_timeout} s limit"
                  for name in findings["timed_out"]]
    run.flags += [f"cell {name} hit the memory limit ({settings.limits.memory_bytes / 2**30:g} GiB)"
                  for name in findings["out_of_memory"]]
    if findings["audit"] is None:
        run.flags.append("the audit cell did not run as written (code transformers?)")
        run.tampering = True
    else:
        run.flags += findings["audit"]
        run.tampering = bool(findings["audit"])
    return run


def _grader_env(work: Path, sandbox: Sandbox, warm: WarmSlot | None) -> dict[str, str]:
    """nbgrader's environment: our sandboxed `python3` kernelspec first on JUPYTER_PATH."""
    sandbox.prepare()
    runtime = sandbox.runtime
    spec = work / "jupyter" / "kernels" / "python3" / "kernel.json"
    spec.parent.mkdir(parents=True)
    argv = kernel_argv(warm.kernels, sandbox) if warm else sandbox.kernel_argv()
    spec.write_text(json.dumps({"argv": argv, "display_name": "Python 3 (graded)",
                                "language": "python", "interrupt_mode": "message"}))
    return {**os.environ, "JUPYTER_PATH": str(work / "jupyter"), "JUPYTER_RUNTIME_DIR": str(runtime),
            "TMPDIR": str(runtime)}


def _grading_run(work: Path, sandbox: Sandbox, settings: Settings) -> GradingRun:
    """The settings of the contained, audited autograde (see `preprocessors.configure`)."""
    return GradingRun(cell_timeout=settings.cell_timeout,
                      kernel_socket=str(sandbox.runtime / "kernel"),
                      kernel_cwd=str(sandbox.workdir),
                      report_id=secrets.token_hex(16), key=secrets.token_hex(32),
                      findings_file=str(work / "findings.json"))


def _run(argv: list[str], cwd: Path, env: dict[str, str], timeout: int) -> str:
    """Run nbgrader in its own process group. On timeout, SIGTERM first (nbgrader_run then
    kills every process below it, the kernel's included), then SIGKILL the group."""
    with subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, errors="replace",
                          start_new_session=True) as proc:
        try:
            return proc.communicate(timeout=timeout)[0]
        except subprocess.TimeoutExpired:
            proc.terminate()
            try:
                proc.communicate(timeout=STOP_GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                pass
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise


def _run_warm(warm: WarmSlot, args: list[str], cwd: Path, env: dict[str, str], timeout: int,
              work: Path) -> str:
    """As `_run`, with nbgrader forked by the slot's grader zygote; its log is a file in `work`."""
    log_file = work / "nbgrader.log"
    run_file, assignment, student = args
    request = {"run_file": run_file, "assignment": assignment, "student": student,
               "cwd": str(cwd), "env": env}
    with log_file.open("w") as output:
        run_nbgrader(warm.graders, request, output.fileno(), timeout)
    return log_file.read_text(errors="replace")


def _crash_reason(log: str) -> str:
    if re.search(r"DeadKernelError|Kernel died|kernel.*(died|restarted)", log, re.I):
        return "the kernel died while running the notebook (os._exit, a hard crash or a kill)"
    raised = re.findall(r"^\s*(\w+(?:Error|Exception)\b.*)$", log, re.M)
    return "nbgrader could not grade it: " + (raised[-1][:300] if raised else "no reason given")


def _score(course: Path, sub: Submission) -> tuple[float, float]:
    from nbgrader.api import Gradebook

    with Gradebook(gradebook_url(course)) as gradebook:
        nb = gradebook.find_submission_notebook(sub.notebook, sub.assignment, sub.student)
        return float(nb.score), float(nb.max_score)


def _feedback(sub: Submission, course: Path) -> Path | None:
    html = course / "feedback" / sub.student / sub.assignment / f"{sub.notebook}.html"
    return html if html.exists() else None


def remove(work: Path) -> None:
    """Delete a worker folder (read-only files included: nbgrader marks outputs 444)."""
    shutil.rmtree(work, onerror=lambda fn, path, _: (os.chmod(path, 0o700), fn(path)))
