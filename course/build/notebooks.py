"""`python -m course build`: make notebooks/ and solutions/ from autograder/source.

autograder/source is the one source of truth. The build
1. stamps each source notebook's header (Colab badge, setup cell) from pyproject.toml;
2. runs nbgrader's generate_assignment in a scratch copy of the course, with the course's own
   config: the student versions (stubs, visible tests, no outputs) go to notebooks/;
3. writes solutions/: the source with solution markers, hidden tests and mark schemes removed.
Both generated versions record their source in `metadata.course.generated_from`.
`--check` writes nothing and lists the files that differ from what the build would write.
"""
from __future__ import annotations

import copy
import re
import tempfile
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from ..nbgrader import api, checked, course_config
from .readme_table import table, with_table
from .repo import COLAB_BADGE, colab_url, repository, root

SOLUTION_MARKER = re.compile(r"^\s*(###|<!--)\s*(BEGIN|END) SOLUTION\s*(-->)?\s*$")


def course_folder() -> Path:
    return root() / "autograder"


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
    with tempfile.TemporaryDirectory() as scratch:
        scratch_root = Path(scratch)
        for name, notebook in sources.items():
            folder = scratch_root / "source" / Path(name).stem
            folder.mkdir(parents=True)
            nbformat.write(notebook, folder / name)
        nbgrader = api(course_config(course_folder(), root=scratch_root))
        students = {}
        for name in sources:
            checked(f"generate_assignment {name}", nbgrader.generate_assignment(Path(name).stem))
            students[name] = nbformat.read(scratch_root / "release" / Path(name).stem / name,
                                           as_version=4)
        return students


def generated_from(notebook: NotebookNode, source: Path) -> NotebookNode:
    """`notebook` with the path of its source recorded in its metadata."""
    notebook.metadata.setdefault("course", {})["generated_from"] = str(
        source.relative_to(root()))
    return notebook


def source_notebooks() -> dict[str, Path]:
    """`{NN-name.ipynb: path}` for every assignment in autograder/source."""
    return {path.name: path for path in sorted((course_folder() / "source").glob("*/*.ipynb"))
            if path.parent.name == path.stem}


def planned_files() -> dict[Path, str]:
    """Every file the build writes, with its contents."""
    planned: dict[Path, str] = {}
    sources = {}
    paths = source_notebooks()
    for name, path in paths.items():
        sources[name] = with_header(nbformat.read(path, as_version=4), name, "notebooks")
        planned[path] = _text(sources[name])
        solution = with_header(solution_version(sources[name]), name, "solutions")
        planned[root() / "solutions" / name] = _text(generated_from(solution, path))
    for name, student in student_versions(sources).items():
        planned[root() / "notebooks" / name] = _text(generated_from(student, paths[name]))
    readme = root() / "README.md"
    planned[readme] = with_table(readme.read_text(), table(sources, COLAB_BADGE, colab_url))
    return planned


def _text(notebook: NotebookNode) -> str:
    return nbformat.writes(notebook) + "\n"


def stale_files(planned: dict[Path, str]) -> list[Path]:
    """Planned files that are missing or differ on disk, and generated files with no source."""
    stale = [path for path, text in planned.items()
             if not path.exists() or path.read_text() != text]
    generated = {p for folder in ("notebooks", "solutions") for p in (root() / folder).glob("*.ipynb")}
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
