"""`python -m course.grading.nbgrader_run ASSIGNMENT STUDENT`, run in a scratch course folder:
nbgrader's autograde, then its feedback, through nbgrader's own API in one process (one
interpreter start and one nbgrader import per submission instead of two)."""
from __future__ import annotations

import sys


def main(assignment: str, student: str) -> int:
    from nbgrader.apps import NbGrader, NbGraderAPI

    from ..nbgrader_ext import put_scripts_on_path

    put_scripts_on_path()
    app = NbGrader()
    app.load_config_file()  # ./nbgrader_config.py, as the nbgrader command reads it
    api = NbGraderAPI(config=app.config)
    graded = api.autograde(assignment, student)
    print(graded.get("log", ""), graded.get("error", ""), sep="\n")
    if not graded["success"]:
        return 1
    feedback = api.generate_feedback(assignment, student)
    print(feedback.get("log", ""), feedback.get("error", ""), sep="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
