"""One machine's grading station: the containment level, the course template, and a folder
per submission. `course grade` opens one locally; with `--scheduler`, each Dask worker does."""
from __future__ import annotations

import logging
import os
import secrets
import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

from ..checkout import find_checkout
from .intake import Submission
from .sandbox import (LEVELS, SAFE_LEVELS, Limits, Sandbox, check_uid_level, choose_level,
                      kernel_uids)
from .template import CourseTemplate
from .warm_kernels import WarmKernels
from .worker import Place, Result, Settings, grade_one, remove

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
    warm_kernels: bool = True  # fork kernels from a warm parent; False: start each one cold


class Station:
    """Grades submissions one at a time in `scratch` (any number of threads at once): each in
    its own work and kernel folder, removed when done."""

    def __init__(self, scratch: Path, template: CourseTemplate, settings: Settings,
                 warm_kernels: int = 0) -> None:
        """With `warm_kernels`, that many slots of zygotes fork nbgrader runs and kernels (one
        slot per worker)."""
        self.scratch, self.template, self.settings = scratch, template, settings
        self.kernels = scratch / "kernels"
        self.kernels.mkdir(mode=0o711, exist_ok=True)
        self.kernels.chmod(0o711)
        self.warm = WarmKernels(self.kernels, warm_kernels, self._zygote_sandbox) \
            if warm_kernels else None

    def _zygote_sandbox(self, folder: Path) -> Sandbox:
        return Sandbox(folder, folder, self.settings.hidden, self.settings.limits,
                       self.settings.level)

    def close(self) -> None:
        """Stop the warm kernels' parents."""
        if self.warm:
            self.warm.close()

    def uids(self, count: int) -> list[int | None]:
        """A kernel uid per submission at the `uid` level, else None each."""
        return kernel_uids(count) if self.settings.level == "uid" else [None] * count

    def grade(self, sub: Submission, uid: int | None,
              finish: Callable[[Result], None]) -> Result:
        """Grade `sub` (its kernel as `uid` at the `uid` level); `finish` takes what it needs
        from the result's folders (feedback, the graded course) before they go."""
        with self.warm.lease() if self.warm else nullcontext() as warm:
            token = secrets.token_hex(8)
            kernels = warm.kernels.cwd if warm else self.kernels
            place = Place(private_folder(self.scratch / f"work-{token}"), kernels / token, uid,
                          warm)
            start = time.perf_counter()
            try:
                result = grade_one(sub, self.template, self.settings, place)
            except Exception as error:  # a bug in the grader must not stop the class
                log.exception("grading %s/%s failed in the grader", sub.student, sub.assignment)
                result = Result(sub, "crashed",
                                flags=[f"grader error: {type(error).__name__}: {error}"])
            result.seconds = time.perf_counter() - start
            result.containment = self.settings.level
            try:
                finish(result)
            finally:
                for folder in (place.work, place.kernel):
                    if folder.exists():
                        remove(folder)
        return result


def kernel_threads(workers: int) -> int:
    """Threads per kernel: this machine's cores shared by the workers, and no more than
    OMP_NUM_THREADS where the instructor set it (a machine shared with other jobs). More
    threads than free cores make torch wait on descheduled threads: 20x slower, measured."""
    share = max(1, (os.cpu_count() or 1) // workers)
    cap = os.environ.get("OMP_NUM_THREADS", "")
    return min(share, int(cap)) if cap.isdigit() and int(cap) > 0 else share


def open_station(scratch: Path, course: Path, assignments: list[str], options: GradingOptions,
                 private: tuple[Path, ...]) -> Station:
    """This machine's grading setup in `scratch`: the containment level (refused where unsafe,
    unless allowed), the tiny assets, the course template, and what kernels must not see:
    `private` (course, submissions), `scratch` and the checkouts around them."""
    level = choose_level(options.containment, options.allow_unsafe)
    _prepare_assets()
    workers = options.workers
    settings = Settings(options.cell_timeout, options.submission_timeout,
                        Limits(options.memory_bytes, threads=kernel_threads(workers)),
                        level, hidden=_hidden(private, scratch))
    template = CourseTemplate(course, private_folder(scratch / "template"), assignments)
    if level == "uid":
        check_uid_level(settings.hidden)
    if level not in SAFE_LEVELS:
        log.warning("UNSAFE: student code runs at containment level %r (%s)", level,
                    LEVELS[level])
    log.info("containment: %s", LEVELS[level])
    log.debug("hidden from student code: %s", ", ".join(map(str, settings.hidden)))
    return Station(scratch, template, settings, workers if options.warm_kernels else 0)


def private_folder(folder: Path) -> Path:
    """`folder`, made for the grader alone (mode 700)."""
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    return folder


def _prepare_assets() -> None:
    """Kernels see the HF cache read-only, so the tiny profile's assets are built here, once."""
    if os.environ.get("COURSE_PROFILE", "tiny") == "tiny":
        from ..assets.cache import ensure_assets

        ensure_assets()


def _hidden(private: tuple[Path, ...], scratch: Path) -> tuple[Path, ...]:
    """What student code must not see: `private` (the course with its sources and gradebook,
    the class's submissions), the checkouts around them or around this package (solutions) and
    every worker's folder. A package installed as a wheel has no checkout: site-packages stays
    visible."""
    checkouts = (find_checkout(), *map(find_checkout, private))
    return tuple(dict.fromkeys(p.resolve() for p in (*checkouts, *private, scratch)
                               if p is not None))
