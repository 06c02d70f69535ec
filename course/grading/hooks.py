"""nbgrader preprocessors that `course grade` adds to autograde, and the config that adds them.

    AppendAudit -> ContainedExecute -> ReadAudit -> (the course's usual autograde list)

`ContainedExecute` runs the kernel in an empty working folder (not next to the sanitized
notebook, whose hidden tests the kernel must not read). `AppendAudit` adds the audit cell;
`ReadAudit` takes its report and the cells that hit the time limit, writes them to the
worker's findings file and removes the audit cell, so neither the grade nor the feedback sees it.
"""
from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

import nbformat
from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import Execute, NbGraderPreprocessor

AUDIT_FLAG = "course_audit"
ENV_NONCE, ENV_FINDINGS, ENV_KERNEL_CWD = ("COURSE_AUDIT_NONCE", "COURSE_FINDINGS_FILE",
                                           "COURSE_KERNEL_CWD")


class AppendAudit(NbGraderPreprocessor):
    """Append the audit cell (see `course.grading.audit`) after the student's last cell."""

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict
                   ) -> tuple[NotebookNode, ResourcesDict]:
        cell = nbformat.v4.new_code_cell(
            f"import course.grading.audit\ncourse.grading.audit.report({os.environ[ENV_NONCE]!r})")
        cell.metadata[AUDIT_FLAG] = True
        nb.cells.append(cell)
        return nb, resources


class ContainedExecute(Execute):
    """nbgrader's Execute, with the kernel started in the worker's empty kernel folder."""

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict, *args, **kwargs
                   ) -> tuple[NotebookNode, ResourcesDict]:
        resources.setdefault("metadata", {})["path"] = os.environ[ENV_KERNEL_CWD]
        return super().preprocess(nb, resources, *args, **kwargs)


class ReadAudit(NbGraderPreprocessor):
    """Write the audit report and the timed-out cells to the findings file; drop the audit cell."""

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict
                   ) -> tuple[NotebookNode, ResourcesDict]:
        audit = [c for c in nb.cells if c.metadata.get(AUDIT_FLAG)]
        nb.cells = [c for c in nb.cells if not c.metadata.get(AUDIT_FLAG)]
        findings = {"audit": _report(audit[0] if audit else None, os.environ[ENV_NONCE]),
                    "timed_out": [_cell_name(c, i) for i, c in enumerate(nb.cells)
                                  if _timed_out(c, self.config.Execute.timeout)],
                    "out_of_memory": [_cell_name(c, i) for i, c in enumerate(nb.cells)
                                      if _raised(c, "MemoryError")]}
        Path(os.environ[ENV_FINDINGS]).write_text(json.dumps(findings))
        return nb, resources


def _report(cell: NotebookNode | None, nonce: str) -> list[str] | None:
    """The audit's findings, or None when its line is missing (it did not run as written)."""
    text = "".join(o.get("text", "") for o in (cell.outputs if cell else [])
                   if o.get("output_type") == "stream")
    for line in text.splitlines():
        if line.startswith(nonce):
            try:
                return list(json.loads(line[len(nonce):]))
            except ValueError:
                return None
    return None


def _raised(cell: NotebookNode, ename: str) -> bool:
    return any(o.get("ename") == ename for o in cell.get("outputs", []))


def _timed_out(cell: NotebookNode, timeout: int | None) -> bool:
    if cell.cell_type != "code":
        return False
    if _raised(cell, "CellTimeoutError"):
        return True
    timing = cell.metadata.get("execution", {})
    start, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
    if not (timeout and start and end):
        return False
    seconds = (datetime.fromisoformat(end.rstrip("Z")) - datetime.fromisoformat(start.rstrip("Z")))
    return seconds.total_seconds() >= timeout


def _cell_name(cell: NotebookNode, index: int) -> str:
    return cell.metadata.get("nbgrader", {}).get("grade_id") or f"cell {index + 1}"


def configure(c, cell_timeout: int, kernel_socket: str) -> None:  # noqa: ANN001 (traitlets Config)
    """Turn an nbgrader config into the contained, audited grading configuration."""
    steps = list(c.Autograde.autograde_preprocessors)
    at = next(i for i, step in enumerate(steps) if step is Execute or step == "Execute")
    c.Autograde.autograde_preprocessors = [*steps[:at], AppendAudit, ContainedExecute, ReadAudit,
                                           *steps[at + 1:]]
    c.Execute.timeout = c.ContainedExecute.timeout = cell_timeout
    c.Execute.interrupt_on_timeout = c.ContainedExecute.interrupt_on_timeout = True
    c.KernelManager.transport = "ipc"
    c.KernelManager.ip = kernel_socket
