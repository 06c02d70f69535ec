"""`course grade --scheduler tcp://HOST:8786`: the workers of a Dask cluster grade the class.

The course (its nbgrader_config.py and the sources of the graded assignments, a few hundred kB)
goes to every worker once (`Client.scatter`); each task carries one submission's notebook. A
worker sets up its grading station once per course, exactly as `course grade` does on one
machine (containment level chosen and refused there, the same contained kernels), and sends back
the result with the feedback page and, with `--gradebook`, the graded course's gradebook and
notebook, which this machine records. So a worker needs this package, its dependencies, the
tiny assets or the Hub checkpoints the chapters use, and bubblewrap; not the course folder.
"""
from __future__ import annotations

import atexit
import dataclasses
import hashlib
import io
import logging
import shutil
import tarfile
import tempfile
import threading
from pathlib import Path

from .gradebook import GradebookRecorder
from .intake import Submission
from .station import GradingOptions, Station, open_station, private_folder
from .worker import Result

log = logging.getLogger(__name__)
_stations: dict[str, Station] = {}
_lock = threading.Lock()


@dataclasses.dataclass(frozen=True)
class CourseBundle:
    """The course files a worker needs, with a digest that names them."""
    files: dict[str, bytes]
    digest: str

    @classmethod
    def of(cls, course: Path, assignments: list[str]) -> CourseBundle:
        from ..nbgrader import CONFIG_FILE

        paths = [course / CONFIG_FILE, *(p for name in assignments
                                         for p in sorted((course / "source" / name).rglob("*"))
                                         if p.is_file())]
        files = {str(p.relative_to(course)): p.read_bytes() for p in paths}
        digest = hashlib.sha256(b"".join(k.encode() + v for k, v in sorted(files.items())))
        return cls(files, digest.hexdigest()[:16])


@dataclasses.dataclass
class Graded:
    """What a worker sends back: the result, its feedback page, and the graded course files."""
    result: Result
    feedback: bytes | None
    graded_course: bytes | None


def grade_on_cluster(subs: list[Submission], course: Path, assignments: list[str],
                     options: GradingOptions, feedback_dir: Path | None,
                     recorder: GradebookRecorder | None) -> list[Result]:
    """Grade `subs` on the Dask cluster at `options.scheduler`; record and keep feedback here."""
    from distributed import Client, as_completed

    from .batch import in_order, keep_results, progress

    with Client(options.scheduler) as client, tempfile.TemporaryDirectory() as here:
        log.info("Grading %d notebooks on %s (%d workers)", len(subs), options.scheduler,
                 len(client.scheduler_info()["workers"]))
        bundle = client.scatter(CourseBundle.of(course, assignments), broadcast=True)
        futures = {client.submit(grade_remote, bundle, _packed(sub), options, pure=False): sub
                   for sub in subs}
        results = []
        for future in progress(as_completed(futures), len(futures)):
            result = _unpacked(future.result(), futures[future], Path(tempfile.mkdtemp(dir=here)))
            keep_results(result, feedback_dir, recorder)
            results.append(result)
        return in_order(results)


def _packed(sub: Submission) -> tuple[Submission, bytes | None]:
    return sub, (sub.path.read_bytes() if sub.path else None)


def _unpacked(graded: Graded, sub: Submission, folder: Path) -> Result:
    """The worker's result, pointing at files unpacked into `folder`, for submission `sub`."""
    result = dataclasses.replace(graded.result, submission=sub, feedback=None, graded_in=None)
    if graded.feedback is not None:
        result.feedback = folder / "feedback.html"
        result.feedback.write_bytes(graded.feedback)
    if graded.graded_course is not None:
        with tarfile.open(fileobj=io.BytesIO(graded.graded_course)) as archive:
            archive.extractall(folder / "course", filter="data")
        result.graded_in = folder / "course"
    return result


def grade_remote(bundle: CourseBundle, packed: tuple[Submission, bytes | None],
                 options: GradingOptions) -> Graded:
    """Run on a Dask worker: grade one submission at this worker's station for the course."""
    sub, notebook = packed
    station = _station(bundle, options)
    if notebook is not None:
        path = Path(tempfile.mkdtemp(dir=station.scratch / "unpacked")) / f"{sub.notebook}.ipynb"
        path.write_bytes(notebook)
        sub = dataclasses.replace(sub, path=path)
    sent: list[Graded] = []

    def pack(result: Result) -> None:
        feedback = result.feedback.read_bytes() if result.feedback else None
        course = (_tar_graded(result.graded_in, sub)
                  if options.gradebook and result.graded_in else None)
        sent.append(Graded(dataclasses.replace(result, feedback=None, graded_in=None),
                           feedback, course))

    station.grade(sub, station.uids(1)[0], pack)
    if sub.path:
        shutil.rmtree(sub.path.parent, ignore_errors=True)
    return sent[0]


def _station(bundle: CourseBundle, options: GradingOptions) -> Station:
    """This worker's station for `bundle` (set up once, kept for the worker's life); each
    kernel gets this machine's cores divided by the worker's threads."""
    from distributed import get_worker


    key = f"{bundle.digest}-{hash(options)}"
    with _lock:
        if key not in _stations:
            scratch = Path(tempfile.mkdtemp(prefix="course-grade-worker-"))
            scratch.chmod(0o711)
            atexit.register(shutil.rmtree, scratch, True)
            course = private_folder(scratch / "course")
            for name, data in bundle.files.items():
                (course / name).parent.mkdir(parents=True, exist_ok=True)
                (course / name).write_bytes(data)
            private_folder(scratch / "unpacked")
            assignments = sorted({Path(name).parts[1] for name in bundle.files
                                  if name.startswith("source/")})
            here = dataclasses.replace(options, workers=get_worker().state.nthreads)
            _stations[key] = open_station(scratch, course, assignments, here, (course,))
        return _stations[key]


def _tar_graded(course: Path, sub: Submission) -> bytes:
    """The graded course's gradebook and this submission's autograded folder, as a tar."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        archive.add(course / "gradebook.db", "gradebook.db")
        folder = Path("autograded") / sub.student / sub.assignment
        archive.add(course / folder, str(folder))
    return buffer.getvalue()
