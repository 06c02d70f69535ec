"""Grade a whole class: every submission in parallel workers, one CSV, feedback per notebook."""
from __future__ import annotations

import csv
import logging
import os
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
from .sandbox import LEVELS, Limits, containment
from .template import CourseTemplate, assignments_of
from .worker import STATUSES, Result, Settings, grade_one, remove

CSV_COLUMNS = ["student", "assignment", "notebook", "score", "max_score", "status", "flags"]
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class GradingOptions:
    """How a batch is graded: workers, limits, and whether the gradebook records it."""
    workers: int = 1
    cell_timeout: int = 300
    submission_timeout: int = 1800
    memory_bytes: int = Limits.memory_bytes
    gradebook: bool = False


def grade_class(source: Path, course: Path, *, out_csv: Path, feedback_dir: Path | None = None,
                options: GradingOptions = GradingOptions()) -> list[Result]:
    """Grade every submission under `source` (folder or zip) against `course` (an nbgrader
    course folder); write `out_csv` and the feedback HTML, and with `options.gradebook` record
    the scored ones in the course's gradebook. Raises only if the batch can't run."""
    workers = options.workers
    assignments = assignments_of(course)
    with tempfile.TemporaryDirectory(prefix="course-grade-") as scratch_dir:
        scratch = Path(scratch_dir)
        subs = find_submissions(source, assignments, scratch / "unpacked")
        graded = sorted({s.assignment for s in subs if s.assignment in assignments})
        recorder = None
        if options.gradebook:
            check_assignments(course, graded)
            recorder = GradebookRecorder(course)
        _prepare_assets()
        level = containment()
        settings = Settings(options.cell_timeout, options.submission_timeout,
                            Limits(options.memory_bytes,
                                   threads=max(1, (os.cpu_count() or 1) // workers)),
                            level, hidden=_hidden(course, source, scratch))
        log.info("Grading %d notebooks with %d workers; containment: %s", len(subs), workers,
                 LEVELS[level])
        log.debug("hidden from student code: %s", ", ".join(map(str, settings.hidden)))
        template = CourseTemplate(course, scratch / "template", graded)
        results = _grade_all(subs, template, settings, scratch, workers, feedback_dir, recorder)
        write_csv(results, out_csv)
    return results


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
    def one(index: int, sub: Submission) -> Result:
        work = scratch / f"work-{index:04d}"
        start = time.perf_counter()
        try:
            result = grade_one(sub, template, settings, work)
        except Exception as error:  # a bug in the grader must not stop the class
            log.exception("grading %s/%s failed in the grader", sub.student, sub.assignment)
            result = Result(sub, "crashed", flags=[f"grader error: {type(error).__name__}: {error}"])
        result.seconds = time.perf_counter() - start
        if result.feedback:  # out of the worker folder before it goes
            result.feedback = _keep_feedback(result, feedback_dir)
        if recorder and result.graded_in and result.score is not None:
            _record(recorder, result)
        if work.exists():
            remove(work)
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
        recorder.record(result.submission, result.graded_in, flagged=result.status != "graded")
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
                             _number(r.max_score), r.status, "; ".join(r.flags)])


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
