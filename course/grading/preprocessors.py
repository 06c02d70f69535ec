"""Every nbgrader preprocessor of this course, and the config that adds the grading ones.

`StderrIsNotAnError` is in the course's own autograde list (`autograder/nbgrader_config.py`).
`course grade` adds three around nbgrader's Execute:

    AppendAudit -> ContainedExecute -> ReadAudit -> (the rest of the course's autograde list)

`ContainedExecute` runs the kernel in an empty working folder (not next to the sanitized
notebook, whose hidden tests the kernel must not read). `AppendAudit` adds the audit cell;
`ReadAudit` takes its report and the cells that hit the time limit, writes them to the
worker's findings file and removes the audit cell, so neither the grade nor the feedback sees it.
Their settings are traitlets, set by `configure` from one `GradingRun`.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

import nbformat
from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import Execute, NbGraderPreprocessor
from traitlets import Unicode

AUDIT_FLAG = "course_audit"


class StderrIsNotAnError(NbGraderPreprocessor):
    """Relabel stderr stream output as stdout, so only a raised error costs a test its points.

    nbgrader scores a test cell zero when anything reaches stderr. Here transformers' warnings,
    tqdm progress bars and datasets' logs all write there from correct code. The text stays in
    the feedback; an exception still shows as an error and still scores zero.
    """

    def preprocess_cell(self, cell: NotebookNode, resources: ResourcesDict,
                        index: int) -> tuple[NotebookNode, ResourcesDict]:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                output["name"] = "stdout"
        return cell, resources


class AppendAudit(NbGraderPreprocessor):
    """Append the audit cell (see `course.grading.audit`) after the student's last cell."""

    report_id = Unicode(help="the random text that starts the audit's report line").tag(config=True)
    key = Unicode(help="the secret the audit signs its report with").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict
                   ) -> tuple[NotebookNode, ResourcesDict]:
        cell = nbformat.v4.new_code_cell(
            "import course.grading.audit\n"
            f"course.grading.audit.report({self.report_id!r}, {self.key!r})")
        cell.metadata[AUDIT_FLAG] = True
        nb.cells.append(cell)
        return nb, resources


class ContainedExecute(Execute):
    """nbgrader's Execute, with the kernel started in the worker's empty kernel folder."""

    kernel_cwd = Unicode(help="the kernel's working folder").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict, *args, **kwargs
                   ) -> tuple[NotebookNode, ResourcesDict]:
        resources.setdefault("metadata", {})["path"] = self.kernel_cwd
        return super().preprocess(nb, resources, *args, **kwargs)


class ReadAudit(NbGraderPreprocessor):
    """Write the audit report and the timed-out cells to the findings file; drop the audit cell."""

    report_id = Unicode(help="the random text that starts the audit's report line").tag(config=True)
    key = Unicode(help="the secret the audit signs its report with").tag(config=True)
    findings_file = Unicode(help="where the findings go, as JSON").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict
                   ) -> tuple[NotebookNode, ResourcesDict]:
        audit = [c for c in nb.cells if c.metadata.get(AUDIT_FLAG)]
        nb.cells = [c for c in nb.cells if not c.metadata.get(AUDIT_FLAG)]
        findings = {"audit": _report(audit[0] if audit else None, self.report_id, self.key),
                    "timed_out": [_cell_name(c, i) for i, c in enumerate(nb.cells)
                                  if _timed_out(c, self.config.Execute.timeout)],
                    "out_of_memory": [_cell_name(c, i) for i, c in enumerate(nb.cells)
                                      if _raised(c, "MemoryError")]}
        Path(self.findings_file).write_text(json.dumps(findings))
        return nb, resources


def _report(cell: NotebookNode | None, report_id: str, key: str) -> list[str] | None:
    """The audit's findings, or None when its signed line is missing (it did not run as written)."""
    from .audit import read

    text = "".join(o.get("text", "") for o in (cell.outputs if cell else [])
                   if o.get("output_type") == "stream")
    return read(text, report_id, key)


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


@dataclass(frozen=True)
class GradingRun:
    """What one contained autograde run needs to know; saved as JSON for its process."""
    cell_timeout: int
    kernel_socket: str
    kernel_cwd: str
    report_id: str
    key: str
    findings_file: str

    def save(self, path: Path) -> Path:
        path.write_text(json.dumps(asdict(self)))
        return path

    @classmethod
    def load(cls, path: Path) -> GradingRun:
        return cls(**json.loads(Path(path).read_text()))


def configure(c, run: GradingRun) -> None:  # noqa: ANN001 (a traitlets Config)
    """Turn the course's nbgrader config into the contained, audited grading configuration."""
    steps = list(c.Autograde.autograde_preprocessors)
    at = next(i for i, step in enumerate(steps) if step is Execute or step == "Execute")
    c.Autograde.autograde_preprocessors = [*steps[:at], AppendAudit, ContainedExecute, ReadAudit,
                                           *steps[at + 1:]]
    c.Execute.timeout = c.ContainedExecute.timeout = run.cell_timeout
    c.Execute.interrupt_on_timeout = c.ContainedExecute.interrupt_on_timeout = True
    c.ContainedExecute.kernel_cwd = run.kernel_cwd
    c.AppendAudit.report_id = c.ReadAudit.report_id = run.report_id
    c.AppendAudit.key = c.ReadAudit.key = run.key
    c.ReadAudit.findings_file = run.findings_file
    c.KernelManager.transport = "ipc"
    c.KernelManager.ip = run.kernel_socket
