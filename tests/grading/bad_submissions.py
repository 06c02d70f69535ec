"""A corpus of good, partial, broken and malicious submissions, made from a real chapter.

Each case starts from the released student notebook of CHAPTER with the solution's answers
filled in, then breaks it one way. `write_class` lays the corpus out as nbgrader's submitted/
folder: one student per case.
"""
from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat.notebooknode import NotebookNode
from conftest import ROOT


CHAPTER = "00-setup"
POINTS = {"ex1-tests": 2, "ex2-tests": 2, "ex3-tests": 1, "ex4-tests": 2}
FULL = sum(POINTS.values())


@dataclass(frozen=True)
class Case:
    """A submission, and the status and score `course grade` must give it."""
    name: str
    make: Callable[[dict], str | NotebookNode]  # context -> notebook (or raw text)
    status: str
    score: float | None
    flag: str = ""  # a phrase that must appear in the flags
    filename: str = f"{CHAPTER}.ipynb"


def solved(chapter: str = CHAPTER) -> NotebookNode:
    """The student notebook with every answer cell taken from the solution (as a student who
    solved it submits: the student version's own header cells, the solution's answers)."""
    student = nbformat.read(ROOT / "notebooks" / f"{chapter}.ipynb", 4)
    solution = {_grade_id(c): c.source
                for c in nbformat.read(ROOT / "solutions" / f"{chapter}.ipynb", 4).cells}
    for cell in student.cells:
        if cell.metadata.get("nbgrader", {}).get("solution") and _grade_id(cell) in solution:
            cell.source = solution[_grade_id(cell)]
    return student


def blank(chapter: str = CHAPTER) -> NotebookNode:
    return nbformat.read(ROOT / "notebooks" / f"{chapter}.ipynb", 4)


def _grade_id(cell: NotebookNode) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def _cell(nb: NotebookNode, grade_id: str) -> NotebookNode:
    return next(c for c in nb.cells if _grade_id(c) == grade_id)


def with_answer(grade_id: str, code: str, base: Callable[[], NotebookNode] = solved,
                keep: bool = True) -> Callable[[dict], NotebookNode]:
    """A case maker: `code` runs in answer cell `grade_id` (before the real answer if `keep`)."""
    def make(_: dict) -> NotebookNode:
        nb = base()
        cell = _cell(nb, grade_id)
        cell.source = code + ("\n" + cell.source if keep else "")
        return nb
    return make


def _edit(change: Callable[[NotebookNode], None]) -> Callable[[dict], NotebookNode]:
    def make(_: dict) -> NotebookNode:
        nb = solved()
        change(nb)
        return nb
    return make


def _delete_test(nb: NotebookNode) -> None:
    nb.cells.remove(_cell(nb, "ex1-tests"))


def _edit_test(nb: NotebookNode) -> None:
    _cell(nb, "ex1-tests").source = "pass"


def _edit_points(nb: NotebookNode) -> None:
    _cell(nb, "ex3-tests").metadata.nbgrader["points"] = 100


def _duplicate_answer(nb: NotebookNode) -> None:
    answer = _cell(nb, "ex2-answer")
    nb.cells.insert(nb.cells.index(answer) + 1, copy.deepcopy(answer))


def _partly(_: dict) -> NotebookNode:
    nb = blank()
    good = solved()
    for grade_id in ("ex2-answer", "ex3-answer"):
        _cell(nb, grade_id).source = _cell(good, grade_id).source
    return nb


RIGGED_EQ = '''class Anything(int):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    __hash__ = int.__hash__
n_parameters = Anything(1)
model = None
'''

SKIP_TESTS = '''def skip_tests(lines):
    return ["pass\\n"] if any("course.exercise" in line for line in lines) else lines
get_ipython().input_transformers_post.append(skip_tests)
'''

REPLACE_CHECKS = '''for _name in dir(course):
    if _name.startswith("expect"):
        setattr(course, _name, lambda *args, **kwargs: None)
'''

# Families beyond transformers and replaced helpers: how IPython reports errors, how it runs
# cells, the checks' private helpers, library functions the tests use, the audit's own line.
SWALLOW_ERRORS = '''ip = get_ipython()
ip.showtraceback = lambda *args, **kwargs: None
ip.set_custom_exc((Exception,), lambda *args, **kwargs: None)
'''

WRAP_RUN_CELL = '''ip = get_ipython()
_original = ip.run_cell_async
async def run_cell_async(raw_cell, *args, **kwargs):
    if "course.exercise" in raw_cell:
        raw_cell = "pass"
    return await _original(raw_cell, *args, **kwargs)
ip.run_cell_async = run_cell_async
'''

PRIVATE_CHECK = '''import course.checks
course.checks._fail = lambda message, hint: None
'''

LIBRARY_PATCH = '''import math, IPython.core.interactiveshell as shell_module
math.isclose = lambda *args, **kwargs: True
shell_module.InteractiveShell.showtraceback = lambda self, *args, **kwargs: None
'''

# Rewrites any line that ends in a JSON list, so a report of findings would read "[]".
FILTER_STDOUT = '''import re, sys
class Filter:
    def __init__(self, stream):
        self.stream = stream
    def write(self, text):
        return self.stream.write(re.sub(r"\\[.*\\]", "[]", text))
    def __getattr__(self, name):
        return getattr(self.stream, name)
sys.stdout = Filter(sys.stdout)
get_ipython().input_transformers_post.append(lambda lines: lines)
'''

DAEMON_MARK = "606.25"  # a sleep no honest process on this machine runs
DAEMON = f'''import os, subprocess
subprocess.Popen(["sleep", "{DAEMON_MARK}"], start_new_session=True)
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execvp("sleep", ["sleep", "{DAEMON_MARK}"])
    os._exit(0)
'''

FLOOD = 'for _i in range(300_000):\n    print("spam", _i)\n'

STDERR = '''import sys, warnings
warnings.warn("a deprecation warning from some library")
print("100%|##########| 10/10 [00:01<00:00]", file=sys.stderr)
'''


def _snoop(ctx: dict) -> str:
    """Answer-cell code that tries to read the hidden tests and write the gradebook."""
    targets = [str(ctx["course"] / "source" / CHAPTER / f"{CHAPTER}.ipynb"),
               str(ctx["course"] / "gradebook.db"), str(ROOT / "solutions" / f"{CHAPTER}.ipynb"),
               "../course/gradebook.db", f"../course/source/{CHAPTER}/{CHAPTER}.ipynb",
               "../course/autograded",
               str(ctx["submissions"] / "correct" / CHAPTER / f"{CHAPTER}.ipynb")]
    return (f"import os\nTARGETS = {targets!r}\n"
            "print('READABLE', [t for t in TARGETS if os.path.exists(t)])\n"
            "for t in TARGETS[1:2] + TARGETS[3:4]:\n"
            "    try:\n        open(t, 'ab').write(b'owned')\n    except OSError as e:\n"
            "        print('write refused', type(e).__name__)\n")


def _network(ctx: dict) -> str:
    return ("import socket\ntry:\n"
            f"    socket.create_connection(('127.0.0.1', {ctx['port']}), timeout=3).sendall(b'leak')\n"
            "    print('NETWORK OPEN')\nexcept OSError as error:\n"
            "    print('NETWORK CLOSED', type(error).__name__)\n")


CASES = [
    Case("correct", lambda _: solved(), "graded", FULL),
    Case("untouched", lambda _: blank(), "graded", 0),
    Case("partly-correct", _partly, "graded", POINTS["ex2-tests"] + POINTS["ex3-tests"]),
    Case("invalid-json", lambda _: '{"cells": [', "invalid", None, "not a readable notebook"),
    Case("not-a-notebook", lambda _: '{"hello": "world"}', "invalid", None, "no list of cells"),
    Case("deleted-test-cell", _edit(_delete_test), "tampered", FULL, "test cell 'ex1-tests' was deleted"),
    Case("edited-test-cell", _edit(_edit_test), "tampered", FULL, "test cell 'ex1-tests' was edited"),
    Case("edited-points", _edit(_edit_points), "tampered", FULL, "'points' changed from 1 to 100"),
    Case("infinite-loop", with_answer("ex3-answer", "while True:\n    pass", keep=False),
         "timeout", FULL - POINTS["ex3-tests"], "hit the"),
    Case("memory-bomb", with_answer("ex3-answer", "hog = []\nwhile True:\n"
                                    "    hog.append(bytearray(512 * 2**20))", keep=False),
         "graded", FULL - POINTS["ex3-tests"], "memory limit"),
    Case("os-exit", with_answer("ex3-answer", "import os\nos._exit(1)"), "crashed", None,
         "kernel died"),
    Case("sys-exit", with_answer("ex3-answer", "import sys\nsys.exit(0)", keep=False), "graded",
         FULL - POINTS["ex3-tests"]),
    Case("output-flood", with_answer("ex1-answer", FLOOD), "graded", FULL),
    Case("warns-on-stderr", with_answer("ex2-answer", STDERR), "graded", FULL),
    Case("always-equal", with_answer("ex3-answer", RIGGED_EQ, keep=False), "tampered",
         FULL - POINTS["ex3-tests"],
         "`n_parameters` compares equal to anything"),
    Case("input-transformer", with_answer("ex1-answer", SKIP_TESTS, base=blank), "tampered", FULL,
         "input transformer skip_tests"),
    # No-op checks let one untouched 2-point exercise through: why the status is what counts.
    Case("replaced-checks", with_answer("ex1-answer", REPLACE_CHECKS, base=blank), "tampered",
         2, "course.expect_equal was replaced"),
    Case("swallows-errors", with_answer("ex1-answer", SWALLOW_ERRORS, base=blank), "tampered", 0,
         "custom exception handler"),
    Case("wraps-run-cell", with_answer("ex1-answer", WRAP_RUN_CELL), "tampered", FULL,
         "run_cell_async was replaced by notebook code"),
    Case("patches-private-check", with_answer("ex1-answer", PRIVATE_CHECK), "tampered", FULL,
         "course.checks._fail was replaced"),
    Case("patches-libraries", with_answer("ex1-answer", LIBRARY_PATCH), "tampered", FULL,
         "math.isclose was replaced by notebook code"),
    Case("filters-stdout", with_answer("ex1-answer", FILTER_STDOUT), "tampered", FULL,
         "did not run as written"),
    Case("leaves-a-daemon", with_answer("ex1-answer", DAEMON), "graded", FULL),
    Case("reads-hidden-writes-gradebook", lambda ctx: with_answer("ex1-answer", _snoop(ctx))(ctx),
         "graded", FULL),
    Case("opens-socket", lambda ctx: with_answer("ex1-answer", _network(ctx))(ctx), "graded", FULL),
    Case("renamed-notebook", lambda _: solved(), "graded", FULL, "renamed from my-work.ipynb",
         filename="my-work.ipynb"),
    Case("duplicated-cell-ids", _edit(_duplicate_answer), "graded", FULL,
         "duplicate cell ids repaired"),
]


# Warm kernels (one zygote forks them one after another): what one submission leaves where a
# kernel may write, and whether the next one finds it. Graded with one worker, in name order.
TRACE_MARK = "607.25"
TRACE_PLACES = "[tempfile.gettempdir(), os.environ['HOME'], '/dev/shm', os.getcwd(), " \
               "os.path.dirname(os.path.dirname(os.getcwd()))]"
LEAVE_TRACES = f'''import os, subprocess, tempfile
for place in {TRACE_PLACES}:
    try:
        os.makedirs(place, exist_ok=True)
        open(os.path.join(place, "trace-of-a-submission"), "w").write("answers")
    except OSError:
        pass
subprocess.Popen(["sleep", "{TRACE_MARK}"], start_new_session=True)
try:
    open(f"/proc/{{os.getppid()}}/mem", "rb").read(1)
    print("PARENT MEMORY OPEN")
except OSError as error:
    print("PARENT MEMORY CLOSED", type(error).__name__)
'''
FIND_TRACES = f'''import os, tempfile
found = [place for place in {TRACE_PLACES}
         if os.path.exists(os.path.join(place, "trace-of-a-submission"))]
found += [pid for pid in os.listdir("/proc") if pid.isdigit()
          and "{TRACE_MARK}" in open(f"/proc/{{pid}}/cmdline", "rb").read().decode(errors="replace")]
print("TRACES", found)
'''
KILL_PARENT = "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n"
WARM_CASES = [
    Case("a-leaves-traces", with_answer("ex1-answer", LEAVE_TRACES), "graded", FULL),
    Case("b-finds-none", with_answer("ex1-answer", FIND_TRACES), "graded", FULL),
    Case("c-kills-its-parent", with_answer("ex1-answer", KILL_PARENT), "graded", FULL),
    Case("d-after-the-kill", with_answer("ex1-answer", FIND_TRACES), "graded", FULL),
]


def write_class(folder: Path, ctx: dict, cases: Iterable[Case] = CASES) -> dict[str, Case]:
    """Write each case as student `<case name>` into `folder` (nbgrader's submitted/ layout)."""
    cases = list(cases)
    for case in cases:
        made = case.make(ctx)
        path = folder / case.name / CHAPTER / case.filename
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(made if isinstance(made, str) else json.dumps(made, indent=1))
    return {case.name: case for case in cases}
