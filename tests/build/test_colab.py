"""Colab: every badge opens a notebook that exists on the default branch, and the install cell
is valid Python (after IPython's %pip transform) that installs only this package, whose pins
come from pyproject.toml and never replace Colab's torch. Colab itself, emulated, is where the
answer corpus runs (tests/colab_emulation.py, tests/answers/test_answers.py)."""
from __future__ import annotations

import ast
import re
import subprocess
import tomllib
from importlib.metadata import version
from pathlib import Path

import nbformat
import pytest
from IPython.core.inputtransformer2 import TransformerManager
from packaging.requirements import Requirement

from course.build.repo import COLAB_BADGE, repository
from conftest import ROOT

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
