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
from collections.abc import Callable, Iterable
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
    scheduler: str | None = None  # a Dask scheduler address: its workers grade


def grade_class(source: Path, course: Path, *, out_csv: Path, feedback_dir: Path | None = None,
                options: GradingOptions = GradingOptions()) -> list[Result]:
    """Grade every submission under `source` (folder or zip) against `course` (an nbgrader
    course folder); write `out_csv` and the feedback HTML, and with `options.gradebook` record
    the scored ones in the course's gradebook. With `options.scheduler`, Dask workers grade.
    Raises only if the batch can't run."""
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
        if options.scheduler:
            from .distributed import grade_on_cluster

            CourseTemplate(course, _private(scratch / "template"), graded)  # fails fast here
            results = grade_on_cluster(subs, course, graded, options, feedback_dir, recorder)
        else:
            station = open_station(scratch, course, graded, options,
                                   (course, source.parent if source.is_file() else source))
            log.info("Grading %d notebooks with %d workers", len(subs), options.workers)
            results = _grade_all(subs, station, options.workers, feedback_dir, recorder)
        write_csv(results, out_csv)
    return results


def open_station(scratch: Path, course: Path, assignments: list[str], options: GradingOptions,
                 private: tuple[Path, ...]) -> Station:
    """This machine's grading setup in `scratch`: the containment level (refused where unsafe,
    unless allowed), the tiny assets, the course template, and what kernels must not see:
    `private` (course, submissions), `scratch` and the checkouts around them."""
    level = choose_level(options.containment, options.allow_unsafe)
    _prepare_assets()
    workers = options.workers
    settings = Settings(options.cell_timeout, options.submission_timeout,
                        Limits(options.memory_bytes,
                               threads=max(1, (os.cpu_count() or 1) // workers)),
                        level, hidden=_hidden(private, scratch))
    template = CourseTemplate(course, _private(scratch / "template"), assignments)
    if level == "uid":
        check_uid_level(settings.hidden)
    if level not in SAFE_LEVELS:
        log.warning("UNSAFE: student code runs at containment level %r (%s)", level,
                    LEVELS[level])
    log.info("containment: %s", LEVELS[level])
    log.debug("hidden from student code: %s", ", ".join(map(str, settings.hidden)))
    return Station(scratch, template, settings)


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


def _hidden(private: tuple[Path, ...], scratch: Path) -> tuple[Path, ...]:
    """What student code must not see: `private` (the course with its sources and gradebook,
    the class's submissions), the checkouts around them or around this package (solutions) and
    every worker's folder. A package installed as a wheel has no checkout: site-packages stays
    visible."""
    checkouts = (find_checkout(), *map(find_checkout, private))
    return tuple(dict.fromkeys(p.resolve() for p in (*checkouts, *private, scratch)
                               if p is not None))


class Station:
    """Grades submissions one at a time in `scratch` (any number of threads at once): each in
    its own work and kernel folder, removed when done."""

    def __init__(self, scratch: Path, template: CourseTemplate, settings: Settings) -> None:
        self.scratch, self.template, self.settings = scratch, template, settings
        self.kernels = scratch / "kernels"
        self.kernels.mkdir(mode=0o711, exist_ok=True)
        self.kernels.chmod(0o711)

    def uids(self, count: int) -> list[int | None]:
        """A kernel uid per submission at the `uid` level, else None each."""
        return kernel_uids(count) if self.settings.level == "uid" else [None] * count

    def grade(self, sub: Submission, uid: int | None,
              finish: Callable[[Result], None]) -> Result:
        """Grade `sub` (its kernel as `uid` at the `uid` level); `finish` takes what it needs
        from the result's folders (feedback, the graded course) before they go."""
        token = secrets.token_hex(8)
        place = Place(_private(self.scratch / f"work-{token}"), self.kernels / token, uid)
        start = time.perf_counter()
        try:
            result = grade_one(sub, self.template, self.settings, place)
        except Exception as error:  # a bug in the grader must not stop the class
            log.exception("grading %s/%s failed in the grader", sub.student, sub.assignment)
            result = Result(sub, "crashed", flags=[f"grader error: {type(error).__name__}: {error}"])
        result.seconds = time.perf_counter() - start
        result.containment = self.settings.level
        try:
            finish(result)
        finally:
            for folder in (place.work, place.kernel):
                if folder.exists():
                    remove(folder)
        return result


def _grade_all(subs: list[Submission], station: Station, workers: int,
               feedback_dir: Path | None, recorder: GradebookRecorder | None) -> list[Result]:
    uids = station.uids(len(subs))

    def finish(result: Result) -> None:
        keep_results(result, feedback_dir, recorder)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(station.grade, sub, uid, finish) for sub, uid in zip(subs, uids)]
        return in_order(f.result() for f in progress(as_completed(futures), len(futures)))


def progress(finished: Iterable, total: int) -> Iterable:
    """`finished` (futures as they finish), with the batch's progress bar."""
    return tqdm(finished, total=total, desc="grading", unit="nb")


def in_order(results: Iterable[Result]) -> list[Result]:
    """`results`, sorted by student, assignment, notebook (the CSV's order)."""
    return sorted(results, key=lambda r: (r.submission.student, r.submission.assignment,
                                          r.submission.notebook))


def keep_results(result: Result, feedback_dir: Path | None,
                 recorder: GradebookRecorder | None) -> None:
    """Copy the feedback page out and record the grades, before the worker folder goes."""
    if result.feedback:
        result.feedback = _keep_feedback(result, feedback_dir)
    if recorder and result.graded_in and result.score is not None:
        _record(recorder, result)


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
