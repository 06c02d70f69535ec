"""`course grade`: the instructor's side. Grades a class with nbgrader, in parallel, contained.

intake (find submissions) -> station (containment level, a scratch course from template,
a folder per submission) -> worker (inspection against the release, autograde one notebook
with the preprocessors, kernel in a sandbox, audit) -> batch (CSV, feedback, gradebook,
summary); distributed hands submissions to a Dask cluster's stations instead of local threads.
"""
