"""`python -m course build`: make notebooks/ and solutions/ from autograder/source.

autograder/source is the one source of truth. The build
1. stamps each source notebook's header (Colab badge, setup cell) from pyproject.toml;
2. runs nbgrader's generate_assignment in a scratch copy of the course: the student
   versions (stubs, visible tests, no outputs) go to notebooks/;
3. writes solutions/: the source with solution markers, hidden tests and mark schemes removed.
`--check` writes nothing and lists the files that differ from what the build would write.
"""
from __future__ import annotations

import copy
import re
import tempfile
import tomllib
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from .chapter_table import table, with_table

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "autograder" / "source"
STUDENT_DIR = ROOT / "notebooks"
SOLUTION_DIR = ROOT / "solutions"
COLAB_BADGE = "https://colab.research.google.com/assets/colab-badge.svg"
SOLUTION_MARKER = re.compile(r"^\s*(###|<!--)\s*(BEGIN|END) SOLUTION\s*(-->)?\s*$")


def repository() -> tuple[str, str]:
    """The repository URL and branch that badges and the Colab install cell point at."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return project["project"]["urls"]["Repository"].rstrip("/"), "main"


def colab_url(path: str) -> str:
    """The "Open in Colab" address of `path` (relative to the repository root)."""
    url, branch = repository()
    return f"https://colab.research.google.com/github/{url.split('github.com/')[1]}/blob/{branch}/{path}"


def header_cells(notebook_name: str, folder: str) -> list[NotebookNode]:
    """The badge and the setup cell that open every notebook, read-only under nbgrader."""
    url, branch = repository()
    badge = nbformat.v4.new_markdown_cell(
        f"[![Open In Colab]({COLAB_BADGE})]({colab_url(f'{folder}/{notebook_name}')})",
        id="colab-badge")
    setup = nbformat.v4.new_code_cell(
        "# Setup. On Colab, install the course package and the versions it pins (Colab's own\n"
        "# torch stays as it is). Elsewhere `make lab` has installed everything already.\n"
        "import sys\n"
        "if \"google.colab\" in sys.modules:\n"
        f"    %pip install -q \"hf-course @ git+{url}@{branch}\"\n"
        "\n"
        "import course\n"
        "\n"
        "# tiny profile offline, full with the Hub; seeds; prints the versions\n"
        "course.setup();",
        id="course-setup")
    for cell in (badge, setup):
        cell.metadata = {"course": {"header": True},
                         "nbgrader": {"grade": False, "solution": False, "locked": True,
                                      "grade_id": cell.id, "schema_version": 3},
                         "editable": False, "deletable": False}
    return [badge, setup]


def with_header(notebook: NotebookNode, name: str, folder: str) -> NotebookNode:
    """`notebook` with its header cells replaced by the current ones."""
    stamped = copy.deepcopy(notebook)
    body = [c for c in stamped.cells if not c.metadata.get("course", {}).get("header")]
    stamped.cells = header_cells(name, folder) + body
    return stamped


def solution_version(source: NotebookNode) -> NotebookNode:
    """The complete notebook: markers, hidden tests and mark schemes removed, no outputs."""
    from nbgrader.preprocessors import ClearHiddenTests, ClearMarkScheme

    notebook = copy.deepcopy(source)
    for cell in notebook.cells:
        cell.source = "\n".join(line for line in cell.source.splitlines()
                                if not SOLUTION_MARKER.match(line))
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    resources: dict = {}
    ClearHiddenTests().preprocess(notebook, resources)
    ClearMarkScheme().preprocess(notebook, resources)
    return notebook


def student_versions(sources: dict[str, NotebookNode]) -> dict[str, NotebookNode]:
    """Run nbgrader generate_assignment on every assignment in a scratch course directory."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config

    from course.nbgrader_ext import put_scripts_on_path

    put_scripts_on_path()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        for name, notebook in sources.items():
            folder = root / "source" / Path(name).stem
            folder.mkdir(parents=True)
            nbformat.write(notebook, folder / name)
        config = Config()
        config.CourseDirectory.root = str(root)
        config.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
        api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
        students = {}
        for name in sources:
            result = api.generate_assignment(Path(name).stem)
            if not result["success"]:
                raise RuntimeError(f"nbgrader generate_assignment failed for {name}:\n"
                                   f"{result.get('error') or result.get('log')}")
            students[name] = nbformat.read(root / "release" / Path(name).stem / name, as_version=4)
        return students


def source_notebooks() -> dict[str, Path]:
    """`{NN-name.ipynb: path}` for every assignment in autograder/source."""
    return {path.name: path for path in sorted(SOURCE.glob("*/*.ipynb"))
            if path.parent.name == path.stem}


def planned_files() -> dict[Path, str]:
    """Every file the build writes, with its contents."""
    planned: dict[Path, str] = {}
    sources = {}
    for name, path in source_notebooks().items():
        sources[name] = with_header(nbformat.read(path, as_version=4), name, "notebooks")
        planned[path] = nbformat.writes(sources[name]) + "\n"
        solution = with_header(solution_version(sources[name]), name, "solutions")
        planned[SOLUTION_DIR / name] = nbformat.writes(solution) + "\n"
    for name, student in student_versions(sources).items():
        planned[STUDENT_DIR / name] = nbformat.writes(student) + "\n"
    readme = ROOT / "README.md"
    planned[readme] = with_table(readme.read_text(), table(sources, COLAB_BADGE, colab_url))
    return planned


def stale_files(planned: dict[Path, str]) -> list[Path]:
    """Planned files that are missing or differ on disk, and generated files with no source."""
    stale = [path for path, text in planned.items()
             if not path.exists() or path.read_text() != text]
    generated = set(STUDENT_DIR.glob("*.ipynb")) | set(SOLUTION_DIR.glob("*.ipynb"))
    return stale + sorted(generated - set(planned))


def build(check: bool = False) -> list[Path]:
    """Write the generated files (or, with `check`, only report them); return the stale ones."""
    planned = planned_files()
    stale = stale_files(planned)
    if check:
        return stale
    for path in stale:
        if path in planned:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(planned[path])
        else:
            path.unlink()
    return stale
