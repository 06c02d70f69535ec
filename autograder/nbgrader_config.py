"""nbgrader settings for this course, tuned for the Hugging Face stack.

Run nbgrader from this folder (`cd autograder && nbgrader generate_assignment 01-pipelines`).
"""
import os
from pathlib import Path

from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, ClearHiddenTests,
                                    Execute, GetGrades, LimitOutput, SaveAutoGrades)

from course.grading.preprocessors import StderrIsNotAnError
from course.nbgrader import put_scripts_on_path

c = get_config()  # noqa: F821 (nbgrader provides it)
here = Path(__file__).resolve().parent

put_scripts_on_path()

c.CourseDirectory.course_id = "hf-course"
c.CourseDirectory.root = str(here)

# The exchange lives in the course folder, so release/fetch/submit work without root.
# On JupyterHub, point it at a shared folder instead (e.g. /srv/nbgrader/exchange).
c.Exchange.root = os.environ.get("NBGRADER_EXCHANGE", str(here / "exchange"))
c.Exchange.path_includes_course = True

c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# The first cell may build the tiny assets (about a minute, once per machine); training cells
# take tens of seconds on two cores. A cell past the limit is interrupted and scored as an error.
c.Execute.timeout = 300
c.Execute.interrupt_on_timeout = True
# A deleted answer or test cell comes back from the gradebook, so it is graded, not skipped.
c.OverwriteCells.add_missing_cells = True
c.LimitOutput.max_lines = 500
c.LimitOutput.max_traceback = 100

# nbgrader's own list, with IgnorePattern replaced: stderr from warnings and progress bars
# must not zero a correct answer (see course.grading.preprocessors).
c.Autograde.autograde_preprocessors = [
    Execute,
    StderrIsNotAnError,
    ClearMetadataPreprocessor,
    LimitOutput,
    SaveAutoGrades,
    AssignLatePenalties,
    CheckCellMetadata,
]

# Feedback shows scores, outputs and messages, but not the hidden tests' code.
c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, CSSHTMLHeaderPreprocessor]
