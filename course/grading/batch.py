"""Grade a whole class: every submission in parallel workers, one CSV, feedback per notebook."""
from __future__ import annotations

import csv
import logging
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from tqdm.auto import tqdm

from .gradebook import SUBMISSION_FILES, GradebookRecorder, check_assignments
from .intake import Submission, find_submissions
from .sandbox import LEVELS
from .station import GradingOptions, Station, open_station, private_folder
from .template import CourseTemplate, assignments_of
from .worker import STATUSES, Result

CSV_COLUMNS = ["student", "assignment", "notebook", "score", "max_score", "status", "flags",
               "containment"]
log = logging.getLogger(__name__)


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
        subs = find_submissions(source, assignments, private_folder(scratch / "unpacked"))
        graded = sorted({s.assignment for s in subs if s.assignment in assignments})
        recorder = None
        if options.gradebook:
            check_assignments(course, graded)
            recorder = GradebookRecorder(course)
        if options.scheduler:
            from .distributed import grade_on_cluster

            CourseTemplate(course, private_folder(scratch / "template"), graded)  # fails fast here
            results = grade_on_cluster(subs, course, graded, options, feedback_dir, recorder)
        else:
            station = open_station(scratch, course, graded, options,
                                   (course, source.parent if source.is_file() else source))
            log.info("Grading %d notebooks with %d workers", len(subs), options.workers)
            try:
                results = _grade_all(subs, station, options.workers, feedback_dir, recorder)
            finally:
                station.close()
        write_csv(results, out_csv)
    return results


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
    """Copy a feedback page to <folder>/<student>/<assignment>/<notebook>.html (if asked), with
    the submission files nbgrader generate_feedback leaves beside it: in the course's feedback/
    folder, `nbgrader release_feedback` then sends it to the student."""
    if folder is None:
        return None
    s = result.submission
    dest = folder / s.student / s.assignment / f"{s.notebook}.html"
    dest.parent.mkdir(parents=True, exist_ok=True)
    for name in SUBMISSION_FILES:
        if (result.feedback.parent / name).is_file():
            shutil.copyfile(result.feedback.parent / name, dest.parent / name)
    return Path(shutil.copy(result.feedback, dest))


def summarize(results: list[Result]) -> str:
    """A count per status, and the notebooks that need a look."""
    counts = Counter(r.status for r in results)
    lines = ["  ".join(f"{status}: {counts[status]}" for status in STATUSES)]
    lines += [f"  {r.status:8} {r.submission.student}/{r.submission.assignment}/"
              f"{r.submission.notebook}: {'; '.join(r.flags)[:200]}"
              for r in results if r.status != "graded"]
    return "\n".join(lines)
