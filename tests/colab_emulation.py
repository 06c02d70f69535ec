"""Colab, emulated: what a Colab student gets, for the answer corpus to run in.

A Python whose site-packages already hold torch and the libraries (this venv's, through a folder
of links that leaves out the course itself), Colab's `google.colab` package, and a kernel whose
shell is `google.colab._shell.Shell`, which is what accelerate's `notebook_launcher` and the
setup cell test for. A chapter's install cell then runs as generated, its requirement pointed at
the course's wheel instead of the git URL, with a pip that can install nothing else.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import nbformat
import pytest

from course.build.repo import repository
from course_wheel import build_course_wheel, purelib

STUB = {
    "__init__.py": '"""A stand-in for Colab\'s google.colab: the names the course and accelerate see."""\n',
    "_shell.py": ("from ipykernel.zmqshell import ZMQInteractiveShell\n\n\n"
                  "class Shell(ZMQInteractiveShell):\n"
                  "    \"\"\"Colab's shell class: str(get_ipython()) names google.colab._shell.Shell.\"\"\"\n"),
    "_kernel.py": ("from ipykernel.ipkernel import IPythonKernel\nfrom traitlets import Type\n\n"
                   "from . import _shell\n\n\n"
                   "class Kernel(IPythonKernel):\n"
                   "    shell_class = Type(_shell.Shell)\n"),
}
KERNEL = "colab-emulated"
# Run in the kernel right after the install cell: the course is the wheel's, and both tests
# for Colab (the setup cell's, accelerate's) say Colab.
PROBE = """\
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


@dataclass(frozen=True)
class ColabRuntime:
    wheel: Path  # the course's wheel, which the install cell installs
    python: Path  # the emulated runtime's interpreter
    jupyter: Path  # a JUPYTER_PATH with the Colab kernelspec
    constraints: Path  # pip constraints: never another torch (Colab's stays, as here)

    def environ(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The environment in which a kernel started by this process is a Colab one."""
        monkeypatch.setenv("JUPYTER_PATH", str(self.jupyter))
        monkeypatch.delenv("PYTHONPATH", raising=False)  # the kernel must not see the checkout
        monkeypatch.setenv("PIP_NO_INDEX", "1")  # the wheel, and what is installed: nothing else
        monkeypatch.setenv("PIP_CONSTRAINT", str(self.constraints))
        monkeypatch.setenv("PIP_DISABLE_PIP_VERSION_CHECK", "1")


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


def make_runtime(root: Path) -> ColabRuntime:
    """A fresh venv under `root` on top of the installed libraries, with google.colab, a Colab
    kernelspec, the course's wheel, and a pip that can only install that wheel."""
    (root / "wheel").mkdir()
    wheel = build_course_wheel(root / "wheel")
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    site = purelib(python)
    # inside the venv: Colab's libraries are under its sys.prefix (/usr/local/lib/python3.*/
    # dist-packages), where dill, hashing a datasets.map function, takes them as installed modules
    (site / "preinstalled.pth").write_text(f"{_preinstalled(venv / 'preinstalled')}\n")
    (site / "google" / "colab").mkdir(parents=True)  # a namespace package, like Colab's
    for name, text in STUB.items():
        (site / "google" / "colab" / name).write_text(text)
    spec = root / "jupyter" / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}",
                 "--IPKernelApp.kernel_class=google.colab._kernel.Kernel"],
        "display_name": "Colab (emulated)", "language": "python"}))
    constraints = root / "constraints.txt"
    constraints.write_text(f"torch=={version('torch')}\n")
    return ColabRuntime(wheel, python, root / "jupyter", constraints)


def on_colab(notebook: nbformat.NotebookNode, wheel: Path) -> nbformat.NotebookNode:
    """`notebook` as a Colab student runs it: its install cell pointed at `wheel`, the probe
    after it, and a last cell that asserts every exercise of the closing cell passed."""
    setup = next(c for c in notebook.cells if c.get("id") == "course-setup")
    url, branch = repository()
    generated = f'"hf-course @ git+{url}@{branch}"'
    assert generated in setup.source, "the install cell changed: update the emulation"
    setup.source = setup.source.replace(generated, f'"hf-course @ {wheel.as_uri()}"')
    notebook.cells.insert(notebook.cells.index(setup) + 1, nbformat.v4.new_code_cell(PROBE))
    exercises = re.findall(r'"([\w-]+)"', notebook.cells[-1].source)
    notebook.cells.append(nbformat.v4.new_code_cell(
        f"assert course.results() == dict.fromkeys({exercises!r}, True), course.results()"))
    return notebook
