"""Run a chapter's answer corpus: other students' right and wrong answers, in one kernel.

A corpus module `tests/answers/NN.py` holds, per answer cell id,
- `RIGHT[cell_id]`: correct alternatives, each must pass the exercise's visible and hidden tests;
- `WRONG[cell_id]`: `(code, fragment)` pairs, each must fail with a `CheckFailed` whose message
  contains `fragment` (the hint that points at the mistake);
- `SETUP[cell_id]` (optional): ids of chapter cells to rerun before each answer, where an answer
  changes objects the chapter made earlier (a model it wraps in place).

The source notebook (hidden tests included) runs once, in order. At each answer cell the corpus
answers run first, each on a clean slate (the names the reference answer defines are deleted)
and followed by the exercise's cells up to the next answer cell (an error counts only in the
answer cell or a test cell, as in nbgrader); then the reference answer is restored and the
chapter goes on.
"""
from __future__ import annotations

import ast
import copy
import importlib.util
import time
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import nbformat
from IPython.core.inputtransformer2 import TransformerManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbformat import NotebookNode

from colab_emulation import KERNEL, on_colab

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Outcome:
    """What one corpus answer did."""

    cell_id: str
    code: str
    fragment: str | None  # None for a right answer
    error: str  # "" when every cell ran; else "Name: message"

    @property
    def right(self) -> bool:
        return self.fragment is None

    @property
    def rejected(self) -> bool:
        return bool(self.error)

    @property
    def hinted(self) -> bool:
        """Rejected by a check whose message contains the expected fragment."""
        return self.error.startswith("CheckFailed: ") and self.fragment in self.error

    @property
    def ok(self) -> bool:
        return not self.rejected if self.right else self.hinted

    def describe(self) -> str:
        first = self.code.strip().splitlines()[0] if self.code.strip() else "(empty)"
        want = "pass" if self.right else f"fail with {self.fragment!r}"
        return f"{self.cell_id} [{first[:70]}]: should {want}, got {self.error[:400] or 'a pass'}"


def corpus(chapter: str) -> ModuleType:
    """The corpus module of chapter `NN`."""
    spec = importlib.util.spec_from_file_location(f"answers_{chapter}", HERE / f"{chapter}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def exercise_cells(cells: list[NotebookNode], index: int) -> list[int]:
    """Indices of the code cells after answer cell `index`, up to the next answer cell."""
    following = []
    for i in range(index + 1, len(cells)):
        if cells[i].metadata.get("nbgrader", {}).get("solution"):
            break
        if cells[i].cell_type == "code":
            following.append(i)
    return following


def defined_names(code: str) -> list[str]:
    """The names a cell binds at top level: assignments, imports, functions, classes."""
    names: set[str] = set()
    stack = list(ast.parse(TransformerManager().transform_cell(code)).body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        if not isinstance(node, ast.Lambda):
            stack.extend(ast.iter_child_nodes(node))
    return sorted(names)


class ChapterRun:
    """One kernel running one chapter's source notebook and its corpus."""

    def __init__(self, source: Path | NotebookNode, workdir: Path, timeout: int = 900,
                 kernel_name: str = "python3") -> None:
        self.notebook = (copy.deepcopy(source) if isinstance(source, NotebookNode)
                         else nbformat.read(source, as_version=4))
        self.cells = list(self.notebook.cells)  # the client may put the cells it runs in its place
        self.last_output = ""  # what the last failed cell printed
        self.seconds: dict[str, float] = {}  # each chapter cell's run time (its own run only)
        self.client = NotebookClient(self.notebook, timeout=timeout, kernel_name=kernel_name,
                                     resources={"metadata": {"path": str(workdir)}})

    def _run(self, code: str) -> str:
        """Run `code` in the kernel; "" on success, else the error's name and message."""
        cell = nbformat.v4.new_code_cell(code)
        self.notebook.cells.append(cell)  # a cell of its own: progress bars update their outputs
        try:
            self.client.execute_cell(cell, len(self.notebook.cells) - 1)
        except CellExecutionError as error:
            self.last_output = "".join(out.get("text", "") for out in cell.outputs)
            return f"{error.ename}: {error.evalue}"
        return ""

    def _try(self, index: int, code: str, setup: list[int]) -> str:
        for i in setup:
            self._run(self.cells[i].source)
        names = [n for n in defined_names(self.cells[index].source) if n != "course"]
        self._run(f"for _name in {names!r}:\n    globals().pop(_name, None)")
        error = self._run(code)
        if error:
            return error
        for i in exercise_cells(self.cells, index):  # a cell in between may fail:
            cell = self.cells[i]                    # only test cells are scored
            error = self._run(cell.source)
            if error and cell.metadata.get("nbgrader", {}).get("grade"):
                return error
        return ""

    def run(self, module: ModuleType | None = None) -> list[Outcome]:
        """Every cell in order, each corpus answer of `module` (none without one) at its cell;
        raises RuntimeError when a cell of the notebook itself fails."""
        cells = self.cells
        ids = {cell.get("id"): i for i, cell in enumerate(cells)}
        setups = getattr(module, "SETUP", {})
        outcomes = []
        with self.client.setup_kernel():
            for index, cell in enumerate(cells):
                if cell.cell_type != "code":
                    continue
                answers = [(code, None) for code in getattr(module, "RIGHT", {}).get(cell.id, [])]
                answers += getattr(module, "WRONG", {}).get(cell.id, [])
                setup = [ids[name] for name in setups.get(cell.id, [])]
                for code, fragment in answers:
                    error = self._try(index, code, setup)
                    outcomes.append(Outcome(cell.id, code, fragment, error))
                if answers:
                    for i in setup:
                        self._run(cells[i].source)
                start = time.perf_counter()
                error = self._run(cell.source)
                self.seconds[cell.get("id")] = time.perf_counter() - start
                if error:
                    raise RuntimeError(f"cell {cell.get('id')} of the chapter failed: {error}\n"
                                       f"its output ended:\n{self.last_output[-3000:]}")
        return outcomes


def run_chapter(chapter: str, source: Path, workdir: Path,
                colab_wheel: Path) -> tuple[list[Outcome], float]:
    """Every outcome of chapter `NN`'s corpus on emulated Colab (the course installed from
    `colab_wheel`), and the seconds the run took."""
    start = time.perf_counter()
    notebook = on_colab(nbformat.read(source, as_version=4), colab_wheel)
    outcomes = ChapterRun(notebook, workdir, kernel_name=KERNEL).run(corpus(chapter))
    return outcomes, time.perf_counter() - start
