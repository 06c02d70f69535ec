"""`python -m course.grading.nbgrader_run RUN.json ASSIGNMENT STUDENT`, in a scratch course:
nbgrader's autograde with the contained, audited preprocessors (`GradingRun` in RUN.json), then
its feedback, through nbgrader's API in one process (one interpreter start and one nbgrader
import per submission)."""
from __future__ import annotations

import sys
from pathlib import Path


def main(run_file: str, assignment: str, student: str) -> int:
    from ..nbgrader import NbgraderFailed, api, checked, course_config
    from .preprocessors import GradingRun, configure

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


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
