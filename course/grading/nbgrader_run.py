"""`python -m course.grading.nbgrader_run RUN.json ASSIGNMENT STUDENT`, in a scratch course (or
`run`, in a child forked by a grader zygote):
nbgrader's autograde with the contained, audited preprocessors (`GradingRun` in RUN.json), then
its feedback, through nbgrader's API in one process (one interpreter start and one nbgrader
import per submission).

This process is the subreaper of everything below it: a process that the submission detaches
(a double fork, `setsid`) is re-parented here, not to init, and is killed when grading ends or
when the worker sends SIGTERM on a timeout.
"""
from __future__ import annotations

import ctypes
import logging
import signal
import sys
from pathlib import Path

PR_SET_CHILD_SUBREAPER = 36


def main(run_file: str, assignment: str, student: str) -> int:
    from ..nbgrader import NbgraderFailed, api, checked, course_config
    from .preprocessors import GradingRun, configure

    logging.getLogger("course").setLevel(logging.DEBUG)  # nbgrader's full log: the worker reads it
    config = course_config(Path.cwd())
    configure(config, GradingRun.load(Path(run_file)))
    nbgrader = api(config)
    try:
        print(checked("autograde", nbgrader.autograde(assignment, student)))
        print(checked("generate_feedback", nbgrader.generate_feedback(assignment, student)))
    except NbgraderFailed as error:
        print(error)
        return 1
    return 0


def kill_descendants(own_pid_namespace: bool = False) -> None:
    """SIGKILL every process below this one (the kernel, and whatever it left); in a PID
    namespace of its own, every process but the namespace's init and this one."""
    import psutil

    for _ in range(3):  # anything forked while the signals went out is caught next round
        me = psutil.Process()
        others = ([p for p in psutil.process_iter() if p.pid not in (1, me.pid)]
                  if own_pid_namespace else me.children(recursive=True))
        if not others:
            return
        for process in others:
            try:
                process.kill()
            except psutil.Error:
                pass
        psutil.wait_procs(others, timeout=5)


def _stop(signum: int, frame: object) -> None:
    kill_descendants()
    sys.exit(128 + signum)


def run(run_file: str, assignment: str, student: str) -> int:
    """`main` as the subreaper of everything below it, which is gone when it returns."""
    ctypes.CDLL(None).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    signal.signal(signal.SIGTERM, _stop)
    try:
        return main(run_file, assignment, student)
    finally:
        kill_descendants()


if __name__ == "__main__":
    sys.exit(run(*sys.argv[1:4]))
