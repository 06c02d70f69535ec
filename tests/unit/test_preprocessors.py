"""Each of the course's nbgrader preprocessors on small notebooks."""
from __future__ import annotations

import json
from pathlib import Path

import nbformat
from nbgrader.preprocessors import Execute, LimitOutput
from traitlets.config import Config

from course.grading import audit
from course.grading.preprocessors import (AUDIT_FLAG, AppendAudit, ContainedExecute, GradingRun,
                                          ReadAudit, StderrIsNotAnError, configure)


def _stream(name: str, text: str) -> dict:
    return nbformat.v4.new_output("stream", name=name, text=text)


def test_stderr_becomes_stdout_and_errors_stay() -> None:
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [_stream("stderr", "100%|###|"), nbformat.v4.new_output(
        "error", ename="ValueError", evalue="no", traceback=[])]
    nb = nbformat.v4.new_notebook(cells=[cell])
    StderrIsNotAnError().preprocess(nb, {})
    assert [o.get("name") for o in cell.outputs] == ["stdout", None]
    assert cell.outputs[1].output_type == "error"


def test_the_audit_cell_is_appended_signed_and_read_back(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    AppendAudit(report_id="r1d", key="k3y").preprocess(nb, {})
    cell = nb.cells[-1]
    assert cell.metadata[AUDIT_FLAG] and "report('r1d', 'k3y')" in cell.source
    payload = json.dumps(["input transformer f"])
    cell.outputs = [_stream("stdout", f"hello\nr1d{payload}|{audit.sign('k3y', payload)}\n")]
    findings = tmp_path / "findings.json"
    ReadAudit(report_id="r1d", key="k3y", findings_file=str(findings)).preprocess(nb, {})
    assert len(nb.cells) == 1, "the audit cell must not reach the grade or the feedback"
    assert json.loads(findings.read_text())["audit"] == ["input transformer f"]


def test_a_rewritten_or_missing_report_reads_as_not_run() -> None:
    payload = json.dumps(["a finding"])
    good = f"r1d{payload}|{audit.sign('k3y', payload)}"
    assert audit.read(good, "r1d", "k3y") == ["a finding"]
    assert audit.read(good.replace('["a finding"]', "[]"), "r1d", "k3y") is None
    assert audit.read(good, "r1d", "other-key") is None
    assert audit.read("nothing here", "r1d", "k3y") is None


def test_timed_out_and_out_of_memory_cells_are_named(tmp_path: Path) -> None:
    slow = nbformat.v4.new_code_cell("while True: pass")
    slow.metadata.nbgrader = {"grade_id": "ex3-answer"}
    slow.metadata.execution = {"iopub.execute_input": "2026-01-01T00:00:00.000Z",
                               "shell.execute_reply": "2026-01-01T00:00:41.000Z"}
    hog = nbformat.v4.new_code_cell("hog")
    hog.outputs = [nbformat.v4.new_output("error", ename="MemoryError", evalue="", traceback=[])]
    nb = nbformat.v4.new_notebook(cells=[slow, hog])
    config = Config()
    config.Execute.timeout = 40
    findings = tmp_path / "f.json"
    ReadAudit(config=config, report_id="r", key="k", findings_file=str(findings)).preprocess(nb, {})
    got = json.loads(findings.read_text())
    assert got == {"audit": None, "timed_out": ["ex3-answer"], "out_of_memory": ["cell 2"]}


def test_configure_wraps_execute_and_keeps_the_rest(tmp_path: Path) -> None:
    config = Config()
    config.Autograde.autograde_preprocessors = [Execute, StderrIsNotAnError, LimitOutput]
    run = GradingRun(cell_timeout=40, kernel_socket="/run/k", kernel_cwd="/k", report_id="r",
                     key="k", findings_file="/f.json")
    configure(config, run)
    assert config.Autograde.autograde_preprocessors == [AppendAudit, ContainedExecute, ReadAudit,
                                                        StderrIsNotAnError, LimitOutput]
    assert config.ContainedExecute.timeout == 40 and config.ContainedExecute.kernel_cwd == "/k"
    assert (config.KernelManager.transport, config.KernelManager.ip) == ("ipc", "/run/k")
    assert GradingRun.load(run.save(tmp_path / "run.json")) == run


def test_the_kernel_starts_in_its_own_folder(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import os; print(os.getcwd())")])
    nb.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    ContainedExecute(kernel_cwd=str(tmp_path), timeout=60).preprocess(nb, {"metadata": {"path": "/"}})
    assert nb.cells[0].outputs[0]["text"].strip() == str(tmp_path)
