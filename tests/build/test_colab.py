"""Colab: every badge opens a notebook that exists on the default branch, and the install cell
is valid Python (after IPython's %pip transform) that installs only this package, whose pins
come from pyproject.toml and never replace Colab's torch. And Colab, emulated: the course's wheel
installed by that cell into a fresh venv on top of the installed torch, with `google.colab` and
Colab's shell class, runs chapter 07's student notebook with the solutions filled in."""
from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import sysconfig
import time
import tomllib
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path

import nbformat
import pytest
from IPython.core.inputtransformer2 import TransformerManager
from packaging.requirements import Requirement

from course.build.repo import COLAB_BADGE, repository
from conftest import ROOT

sys.path.insert(0, str(ROOT / "tests" / "answers"))
from runner import ChapterRun, solution_answers, with_answers  # noqa: E402

GENERATED = sorted([*ROOT.glob("notebooks/*.ipynb"), *ROOT.glob("solutions/*.ipynb")])
BADGE = re.compile(r"\[!\[Open In Colab\]\(([^)]+)\)\]\((https://colab\.research\.google\.com/"
                   r"github/([^/]+)/([^/]+)/blob/([^/]+)/([^)]+))\)")
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
CORE = ["transformers", "datasets", "tokenizers", "evaluate", "peft", "accelerate",
        "huggingface_hub", "torch"]


def _tracked() -> set[str]:
    listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True)
    return set(listed.stdout.split()) if listed.returncode == 0 else set()


def _badges(text: str) -> list[re.Match]:
    return list(BADGE.finditer(text))


def _check_badge(match: re.Match, tracked: set[str]) -> None:
    url, _ = repository()
    owner, repo = url.split("github.com/")[1].split("/")[:2]
    image, _, got_owner, got_repo, branch, path = match.groups()
    assert image == COLAB_BADGE
    assert (got_owner, got_repo, branch) == (owner, repo, "main"), f"badge points at {match[2]}"
    assert (ROOT / path).is_file(), f"the badge opens {path}, which does not exist"
    if tracked:  # a clean clone: the path must be committed, i.e. on the default branch
        assert path in tracked, f"the badge opens {path}, which is not committed"


@pytest.mark.parametrize("notebook", GENERATED, ids=[f"{p.parent.name}/{p.stem}" for p in GENERATED])
def test_badge_opens_this_notebook(notebook: Path) -> None:
    first = nbformat.read(notebook, 4).cells[0]
    badges = _badges(first.source)
    assert len(badges) == 1, f"{notebook.name}: the first cell should hold one Colab badge"
    _check_badge(badges[0], _tracked())
    assert badges[0][6] == f"{notebook.parent.name}/{notebook.name}", "the badge opens another notebook"


def test_readme_lists_every_chapter_with_a_working_badge() -> None:
    readme = (ROOT / "README.md").read_text()
    badges = _badges(readme)
    student = sorted(p.name for p in ROOT.glob("notebooks/*.ipynb"))
    assert sorted(Path(b[6]).name for b in badges) == student
    tracked = _tracked()
    for badge in badges:
        _check_badge(badge, tracked)


def _install_cell(notebook: Path) -> str:
    return next(c.source for c in nbformat.read(notebook, 4).cells if c.get("id") == "course-setup")


@pytest.mark.parametrize("notebook", GENERATED[:1] + GENERATED[-1:])
def test_install_cell_is_valid_python_and_installs_only_this_package(notebook: Path) -> None:
    source = _install_cell(notebook)
    python = TransformerManager().transform_cell(source)
    ast.parse(python)  # raises SyntaxError if the %pip line or the rest is broken
    pips = re.findall(r"%pip install (.+)", source)
    assert len(pips) == 1, "one %pip line, inside the Colab branch"
    args = [a.strip('"') for a in re.findall(r'"[^"]+"|\S+', pips[0]) if a != "-q"]
    url, branch = repository()
    assert args == [f"hf-course @ git+{url}@{branch}"], f"the cell installs {args}"
    assert "torch" not in pips[0], "the Colab cell must never (re)install torch"


def test_pins_live_in_pyproject_and_admit_colab_torch() -> None:
    requirements = {Requirement(r).name.replace("-", "_"): Requirement(r)
                    for r in PROJECT["dependencies"]}
    for name in CORE:
        spec = requirements[name].specifier
        assert any(s.operator in ("<", "<=", "==", "~=") for s in spec), f"{name} has no upper bound"
        installed = version(name.replace("_", "-")).split("+")[0]
        assert spec.contains(installed), f"installed {name} {installed} is outside {spec}"
    torch = requirements["torch"].specifier
    assert not any(s.operator == "==" for s in torch), "an exact torch pin would replace Colab's"
    assert torch.contains("2.8.0") and torch.contains("2.13.0"), "torch range must admit Colab's"


# ---- Colab, emulated -------------------------------------------------------------------------
# What a Colab student gets: a Python whose site-packages already hold torch and the libraries
# (here: this venv's, through a folder of links that leaves out the course itself), Colab's
# `google.colab` package, and a kernel whose shell is `google.colab._shell.Shell`, which is what
# accelerate's `notebook_launcher` and the setup cell test for. The install cell then runs as
# generated, its requirement pointed at the course's wheel instead of the git URL.

COLAB_STUB = {
    "__init__.py": '"""A stand-in for Colab\'s google.colab: the names the course and accelerate see."""\n',
    "_shell.py": ("from ipykernel.zmqshell import ZMQInteractiveShell\n\n\n"
                  "class Shell(ZMQInteractiveShell):\n"
                  "    \"\"\"Colab's shell class: str(get_ipython()) names google.colab._shell.Shell.\"\"\"\n"),
    "_kernel.py": ("from ipykernel.ipkernel import IPythonKernel\nfrom traitlets import Type\n\n"
                   "from . import _shell\n\n\n"
                   "class Kernel(IPythonKernel):\n"
                   "    shell_class = Type(_shell.Shell)\n"),
}
COLAB_KERNEL = "colab-emulated"
# Run in the kernel right after the install cell: the course is the wheel's, and both tests
# for Colab (the setup cell's, accelerate's) say Colab.
COLAB_PROBE = """\
import sys, IPython
import course.launching
assert "google.colab" in sys.modules, "google.colab is not imported: the install cell did nothing"
assert "google.colab" in str(IPython.get_ipython()), f"the shell is {IPython.get_ipython()}"
assert course.launching.launcher_runs_in_process(), "accelerate would not take its Colab branch"
assert course.__file__.startswith(sys.prefix), f"course came from {course.__file__}, not the wheel"
# what chapter 07 says accelerate's launcher does here: one call, in this process
import os
from accelerate import notebook_launcher
ran_in = []
notebook_launcher(lambda: ran_in.append(os.getpid()), num_processes=2)
assert ran_in == [os.getpid()], (f"accelerate's notebook_launcher ran in {ran_in}, not once in the "
                                 "kernel: chapter 07's point 3 and course.launching are out of date")
"""


def _preinstalled(folder: Path) -> Path:
    """This venv's site-packages as links, without the course (an editable install of it)."""
    folder.mkdir()
    site = Path(sysconfig.get_path("purelib"))
    for entry in site.iterdir():
        name = entry.name
        if name.startswith(("hf_course", "__editable__", "course")) or name.endswith(".pth"):
            continue
        (folder / name).symlink_to(entry)
    return folder


@pytest.fixture(scope="module")
def colab_runtime(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A fresh venv on top of the installed libraries, with google.colab, a Colab kernelspec,
    the course's wheel, and a pip that can only install that wheel."""
    from course_wheel import build_course_wheel, purelib

    root = tmp_path_factory.mktemp("colab")
    (root / "wheel").mkdir()
    wheel = build_course_wheel(root / "wheel")
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    site = purelib(python)
    (site / "preinstalled.pth").write_text(f"{_preinstalled(root / 'preinstalled')}\n")
    (site / "google" / "colab").mkdir(parents=True)  # a namespace package, like Colab's
    for name, text in COLAB_STUB.items():
        (site / "google" / "colab" / name).write_text(text)
    spec = root / "jupyter" / "kernels" / COLAB_KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}",
                 "--IPKernelApp.kernel_class=google.colab._kernel.Kernel"],
        "display_name": "Colab (emulated)", "language": "python"}))
    constraints = root / "constraints.txt"  # never another torch (Colab's stays, as here)
    constraints.write_text(f"torch=={version('torch')}\n")
    return {"wheel": wheel, "python": python, "jupyter": root / "jupyter", "constraints": constraints}


def colab_notebook(student: Path, wheel: Path) -> nbformat.NotebookNode:
    """The student notebook with the solutions filled in, its install cell pointed at `wheel`,
    and the probe after it."""
    notebook = with_answers(nbformat.read(student, 4),
                            solution_answers(ROOT / "solutions" / student.name))
    setup = next(c for c in notebook.cells if c.get("id") == "course-setup")
    url, branch = repository()
    generated = f'"hf-course @ git+{url}@{branch}"'
    assert generated in setup.source, "the install cell changed: update the emulation"
    setup.source = setup.source.replace(generated, f'"hf-course @ {wheel.as_uri()}"')
    index = notebook.cells.index(setup)
    notebook.cells.insert(index + 1, nbformat.v4.new_code_cell(COLAB_PROBE))
    return notebook


@pytest.mark.notebook
def test_chapter_07_on_emulated_colab(colab_runtime: dict[str, Path], tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Chapter 07 as a Colab student runs it, solutions filled in: every exercise passes, with
    two real ranks where accelerate's own launcher would run the function once. The hidden
    two-rank check of `accelerate-loop` runs too (the source's test cell, appended)."""
    run_on_emulated_colab("07-accelerate", colab_runtime, tmp_path, monkeypatch, hidden=["ex1-tests"])


@pytest.mark.notebook
def test_chapter_11_on_emulated_colab(colab_runtime: dict[str, Path], tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Chapter 11 as a Colab student runs it, solutions filled in: the wheel brings the offline
    seqeval module, the `token-base` role and `course.show.token_labels`; every exercise passes,
    its hidden tests too."""
    run_on_emulated_colab("11-token-classification", colab_runtime, tmp_path, monkeypatch,
                          hidden=["ex1-tests", "ex2-tests", "ex3-tests", "ex4-tests"])


@pytest.mark.notebook
def test_chapter_12_on_emulated_colab(colab_runtime: dict[str, Path], tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Chapter 12 as a Colab student runs it, solutions filled in: the wheel brings the offline
    squad module, the `qa` roles and `course.show.plot_windows`; every exercise passes, its
    hidden tests too."""
    run_on_emulated_colab("12-question-answering", colab_runtime, tmp_path, monkeypatch,
                          hidden=["ex1-tests", "ex2-tests", "ex3-tests", "ex4-tests"])


def run_on_emulated_colab(chapter: str, colab_runtime: dict[str, Path], tmp_path: Path,
                          monkeypatch: pytest.MonkeyPatch, hidden: Sequence[str] = ()) -> None:
    """The student notebook of `chapter` with its solutions, the source's test cells `hidden`
    (hidden tests included) appended before the summary, on emulated Colab; every exercise of
    the summary must pass."""
    student = ROOT / "notebooks" / f"{chapter}.ipynb"
    notebook = colab_notebook(student, colab_runtime["wheel"])
    source = nbformat.read(ROOT / "autograder" / "source" / chapter / student.name, 4)
    summary = next(i for i, c in enumerate(notebook.cells) if c.get("id") == "summary")
    for cell_id in reversed(hidden):
        cell = next(c for c in source.cells if c.get("id") == cell_id)
        notebook.cells.insert(summary, nbformat.v4.new_code_cell(cell.source))
    exercises = re.findall(r'"([\w-]+)"', notebook.cells[-1].source)
    notebook.cells.append(nbformat.v4.new_code_cell(
        f"assert course.results() == dict.fromkeys({exercises!r}, True), course.results()"))
    monkeypatch.setenv("JUPYTER_PATH", str(colab_runtime["jupyter"]))
    monkeypatch.delenv("PYTHONPATH", raising=False)  # the kernel must not see the checkout
    monkeypatch.setenv("PIP_NO_INDEX", "1")  # the wheel, and what is installed: nothing else
    monkeypatch.setenv("PIP_CONSTRAINT", str(colab_runtime["constraints"]))
    monkeypatch.setenv("PIP_DISABLE_PIP_VERSION_CHECK", "1")
    start = time.perf_counter()
    run = ChapterRun(notebook, tmp_path, kernel_name=COLAB_KERNEL)
    run.run()  # raises if a cell fails
    slowest = sorted(run.seconds.items(), key=lambda item: -item[1])[:6]
    print(f"chapter {chapter[:2]} on emulated Colab: {time.perf_counter() - start:.0f} s; slowest "
          "cells: " + ", ".join(f"{name} {seconds:.0f} s" for name, seconds in slowest))
    installed = subprocess.run([str(colab_runtime["python"]), "-c", "import course; print(course.__file__)"],
                               capture_output=True, text=True, cwd=tmp_path, check=True).stdout
    assert installed.startswith(str(colab_runtime["python"].parent.parent)), installed
