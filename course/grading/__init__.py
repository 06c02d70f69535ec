"""`course grade`: the instructor's side. Grades a class with nbgrader, in parallel, contained.

intake (find submissions) -> inspection (read, compare with the release) -> template (a scratch
nbgrader course) -> worker (autograde one notebook, kernel in a sandbox, audit) -> batch (CSV,
feedback, summary).
"""
