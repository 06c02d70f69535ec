"""Read a submitted notebook and compare it with the released one, before anything runs.

nbgrader restores locked and test cells on its own; this step says that it had to, so an
edited test or changed points are flagged as tampering instead of passing silently.
"""
from __future__ import annotations

import json
import uuid
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from nbformat.notebooknode import NotebookNode


@dataclass
class Inspection:
    """What the notebook is (None if unreadable) and what was found in it."""
    notebook: NotebookNode | None
    invalid: str | None = None
    tampering: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def inspect_submission(path: Path, released: NotebookNode) -> Inspection:
    """Parse `path`, repair what is harmless, and list what differs from `released`."""
    try:
        text = path.read_text(encoding="utf-8")
        raw = json.loads(text)
        if not isinstance(raw, dict) or not isinstance(raw.get("cells"), list):
            raise ValueError("it has no list of cells")
        with warnings.catch_warnings():  # duplicate ids: repaired and noted below
            warnings.simplefilter("ignore")
            notebook = nbformat.reads(text, as_version=4)
    except (ValueError, UnicodeDecodeError, KeyError, TypeError, AttributeError) as error:
        return Inspection(None, f"not a readable notebook: {error}")
    result = Inspection(notebook)
    _repair_cell_ids(notebook, [c.get("id") for c in raw["cells"] if isinstance(c, dict)], result)
    _compare(notebook, released, result)
    return result


def _repair_cell_ids(notebook: NotebookNode, raw_ids: list[str | None], result: Inspection) -> None:
    """Give every cell a unique id (as Jupyter does when a copy-paste duplicated one)."""
    duplicates = sorted({i for i in raw_ids if i and raw_ids.count(i) > 1})
    if duplicates:
        result.notes.append(f"duplicate cell ids repaired: {', '.join(duplicates)}")
    seen: set[str] = set()
    for cell in notebook.cells:
        if not cell.get("id") or cell["id"] in seen:
            cell["id"] = uuid.uuid4().hex[:12]
        seen.add(cell["id"])


def _nbgrader(cell: NotebookNode) -> dict[str, Any]:
    return cell.get("metadata", {}).get("nbgrader", {})


def _compare(notebook: NotebookNode, released: NotebookNode, result: Inspection) -> None:
    submitted: dict[str, NotebookNode] = {}
    for cell in notebook.cells:
        grade_id = _nbgrader(cell).get("grade_id")
        if grade_id in submitted:  # a pasted copy: keep it as a plain cell, grade the first
            del cell.metadata["nbgrader"]
            result.notes.append(f"cell {grade_id!r} appears twice; the copy is graded as a "
                                "plain cell")
        elif grade_id:
            submitted[grade_id] = cell
    for original in released.cells:
        meta = _nbgrader(original)
        if meta.get("grade_id"):
            _compare_cell(original, submitted.get(meta["grade_id"]), result)


def _compare_cell(original: NotebookNode, cell: NotebookNode | None, result: Inspection) -> None:
    meta = _nbgrader(original)
    name, kind = meta["grade_id"], _kind(meta)
    if cell is None:
        (result.notes if kind == "answer" else result.tampering).append(
            f"{kind} cell {name!r} was deleted (restored from the release)")
        return
    new = _nbgrader(cell)
    for key in ("grade", "solution", "locked", "points"):
        if new.get(key) != meta.get(key):
            result.tampering.append(
                f"{kind} cell {name!r}: nbgrader {key!r} changed from {meta.get(key)!r} "
                f"to {new.get(key)!r}")
    if kind != "answer" and cell.source.strip() != original.source.strip():
        result.tampering.append(f"{kind} cell {name!r} was edited (graded with the original)")


def _kind(meta: dict[str, Any]) -> str:
    if meta.get("solution"):
        return "answer"
    return "test" if meta.get("grade") else "locked"
