"""Grade a whole class: every submission in parallel workers, one CSV, feedback per notebook."""
from __future__ import annotations

import csv
import logging
import os
import secrets
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from tqdm.auto import tqdm

from ..checkout import find_checkout
from .gradebook import GradebookRecorder, check_assignments
from .intake import Submission, find_submissions
from .sandbox import LEVELS, SAFE_LEVELS, Limits, check_uid_level, choose_level, kernel_uids
from .template import CourseTemplate, assignments_of
from .worker import STATUSES, Place, Result, Settings, grade_one, remove

CSV_COLUMNS = ["student", "assignment", "notebook", "score", "max_score", "status", "flags",
               "containment"]
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class GradingOptions:
    """How a batch is graded: workers, limits, and whether the gradebook records it."""
    workers: int = 1
    cell_timeout: int = 300
    submission_timeout: int = 1800
    memory_bytes: int = Limits.memory_bytes
    gradebook: bool = False
    containment: str | None = None  # None: the strongest level that works here
    allow_unsafe: bool = False  # grade even where student code could read the hidden tests


def grade_class(source: Path, course: Path, *, out_csv: Path, feedback_dir: Path | None = None,
                options: GradingOptions = GradingOptions()) -> list[Result]:
    """Grade every submission under `source` (folder or zip) against `course` (an nbgrader
    course folder); write `out_csv` and the feedback HTML, and with `options.gradebook` record
    the scored ones in the course's gradebook. Raises only if the batch can't run."""
    workers = options.workers
    assignments = assignments_of(course)
    with tempfile.TemporaryDirectory(prefix="course-grade-") as scratch_dir:
        scratch = Path(scratch_dir)
        scratch.chmod(0o711)  # kernels reach their own folder in kernels/, and nothing else
        subs = find_submissions(source, assignments, _private(scratch / "unpacked"))
        graded = sorted({s.assignment for s in subs if s.assignment in assignments})
        recorder = None
        if options.gradebook:
            check_assignments(course, graded)
            recorder = GradebookRecorder(course)
        level = choose_level(options.containment, options.allow_unsafe)
        _prepare_assets()
        settings = Settings(options.cell_timeout, options.submission_timeout,
                            Limits(options.memory_bytes,
                                   threads=max(1, (os.cpu_count() or 1) // workers)),
                            level, hidden=_hidden(course, source, scratch))
        template = CourseTemplate(course, _private(scratch / "template"), graded)
        if level == "uid":
            check_uid_level(settings.hidden)
        if level not in SAFE_LEVELS:
            log.warning("UNSAFE: student code runs at containment level %r (%s)", level,
                        LEVELS[level])
        log.info("Grading %d notebooks with %d workers; containment: %s", len(subs), workers,
                 LEVELS[level])
        log.debug("hidden from student code: %s", ", ".join(map(str, settings.hidden)))
        results = _grade_all(subs, template, settings, scratch, workers, feedback_dir, recorder)
        write_csv(results, out_csv)
    return results


def _private(folder: Path) -> Path:
    """`folder`, made for the grader alone (mode 700)."""
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    return folder


def _prepare_assets() -> None:
    """Kernels see the HF cache read-only, so the tiny profile's assets are built here, once."""
    if os.environ.get("COURSE_PROFILE", "tiny") == "tiny":
        from ..assets.build import ensure_assets

        ensure_assets()


def _hidden(course: Path, source: Path, scratch: Path) -> tuple[Path, ...]:
    """What student code must not see: the course (sources, gradebook) and the checkout around
    it or around this package (solutions), the whole class's submissions and every worker's
    folder. A package installed as a wheel has no checkout: site-packages stays visible."""
    submissions = source.parent if source.is_file() else source
    checkouts = (find_checkout(), find_checkout(course))
    return tuple(dict.fromkeys(p.resolve() for p in (*checkouts, course, submissions, scratch)
                               if p is not None))


def _grade_all(subs: list[Submission], template: CourseTemplate, settings: Settings,
               scratch: Path, workers: int, feedback_dir: Path | None,
               recorder: GradebookRecorder | None) -> list[Result]:
    kernels = scratch / "kernels"
    kernels.mkdir(mode=0o711)
    kernels.chmod(0o711)
    uids = kernel_uids(len(subs)) if settings.level == "uid" else [None] * len(subs)

    def one(index: int, sub: Submission) -> Result:
        work = _private(scratch / f"work-{index:04d}")
        place = Place(work, kernels / secrets.token_hex(8), uids[index])
        start = time.perf_counter()
        try:
            result = grade_one(sub, template, settings, place)
        except Exception as error:  # a bug in the grader must not stop the class
            log.exception("grading %s/%s failed in the grader", sub.student, sub.assignment)
            result = Result(sub, "crashed", flags=[f"grader error: {type(error).__name__}: {error}"])
        result.seconds = time.perf_counter() - start
        result.containment = settings.level
        if result.feedback:  # out of the worker folder before it goes
            result.feedback = _keep_feedback(result, feedback_dir)
        if recorder and result.graded_in and result.score is not None:
            _record(recorder, result)
        for folder in (work, place.kernel):
            if folder.exists():
                remove(folder)
        return result

    results: list[Result] = []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(one, i, sub) for i, sub in enumerate(subs)]
        for future in tqdm(as_completed(futures), total=len(futures), desc="grading", unit="nb"):
            results.append(future.result())
    return sorted(results, key=lambda r: (r.submission.student, r.submission.assignment,
                                          r.submission.notebook))


def _record(recorder: GradebookRecorder, result: Result) -> None:
    """Into the gradebook, flagged unless plainly graded; a failure is a flag, not a crash."""
    try:
        recorder.record(result.submission, result.graded_in, flagged=result.status != "graded",
                        note=f"course grade: contained at level {result.containment!r} "
                             f"({LEVELS[result.containment]})")
    except Exception as error:
        result.flags.append(f"not recorded in the gradebook: {type(error).__name__}: {error}")


def write_csv(results: Iterable[Result], path: Path) -> None:
    """One row per notebook: CSV_COLUMNS; an empty score means nbgrader gave none."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        for r in results:
            s = r.submission
            writer.writerow([s.student, s.assignment, s.notebook, _number(r.score),
                             _number(r.max_score), r.status, "; ".join(r.flags), r.containment])


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _keep_feedback(result: Result, folder: Path | None) -> Path | None:
    """Copy a feedback page to <folder>/<student>/<assignment>/<notebook>.html (if asked)."""
    if folder is None:
        return None
    s = result.submission
    dest = folder / s.student / s.assignment / f"{s.notebook}.html"
    dest.parent.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(result.feedback, dest))


def summarize(results: list[Result]) -> str:
    """A count per status, and the notebooks that need a look."""
    counts = Counter(r.status for r in results)
    lines = ["  ".join(f"{status}: {counts[status]}" for status in STATUSES)]
    lines += [f"  {r.status:8} {r.submission.student}/{r.submission.assignment}/"
              f"{r.submission.notebook}: {'; '.join(r.flags)[:200]}"
              for r in results if r.status != "graded"]
    return "\n".join(lines)
