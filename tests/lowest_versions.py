"""The lowest versions that pyproject.toml admits, installed beside the course's wheel: the
Python that `course grade` runs on in the both-ways test, so a lower bound that does not work
fails CI rather than a student.

Every requirement with a lower bound (`>=` or `==`) is installed at it; the rest as pip picks.
torch is the exception: it stays at the installed CPU build, since the package index has no
other CPU wheel (torch 2.4's wheel pulls gigabytes of CUDA packages), so its floor is not
exercised here.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from importlib.metadata import version
from pathlib import Path

from packaging.requirements import Requirement

from conftest import ROOT
from course_wheel import build_course_wheel

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def lowest_pins() -> list[str]:
    """`name==floor` for every requirement, dev ones too, that has a floor; torch as installed."""
    requirements = [Requirement(r) for r in
                    [*PROJECT["dependencies"], *PROJECT["optional-dependencies"]["dev"]]]
    pins = []
    for requirement in requirements:
        if requirement.name == "torch":
            pins.append(f"torch=={version('torch')}")
            continue
        floors = [s.version for s in requirement.specifier if s.operator in (">=", "==")]
        if floors:
            pins.append(f"{requirement.name}=={floors[0]}")
    return pins


def lowest_venv(folder: Path) -> Path:
    """A fresh venv in `folder` with the course's wheel and its lowest versions; its python.
    `folder` must not be under /tmp, which the grader's sandbox replaces with its own."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    wheel = build_course_wheel(folder)
    constraints = folder / "constraints.txt"
    constraints.write_text("\n".join(lowest_pins()) + "\n")
    venv = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check",
         "-c", str(constraints), f"{wheel}[dev]"], capture_output=True, text=True, timeout=1800)
    if install.returncode:
        raise RuntimeError(f"the lowest versions did not install:\n{install.stderr[-4000:]}")
    return python
