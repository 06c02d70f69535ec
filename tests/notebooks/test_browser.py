"""JupyterLab in a real browser: `make lab`'s server, Debian's chromium driven by Playwright.

Opens a copy of a solution notebook, runs all cells from the Run menu, saves, and checks that
no cell errored and the closing cell reports every exercise passing; then loads the nbgrader
formgrader. Screenshots go to test-artifacts/.
"""
from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from chromium import CHROMIUM, wait_for
from conftest import ROOT

from course.hub import free_port

ARTIFACTS = ROOT / "test-artifacts"
NOTEBOOK = "00-setup.ipynb"

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = [pytest.mark.notebook,
              pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no {CHROMIUM} (.ci/run installs it)")]


@pytest.fixture(scope="module")
def lab() -> Iterator[str]:
    """`make lab` on a free port with a token; yields the base URL."""
    port, token = free_port(), secrets.token_hex(16)
    args = f"--no-browser --ServerApp.port={port} --IdentityProvider.token={token}"
    server = subprocess.Popen(["make", "-s", "lab", f"LAB_ARGS={args}"], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/api/status?token={token}", 180, "JupyterLab")
        yield f"{base}|{token}"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)


def _copy_of_solution() -> Path:
    """A scratch copy under the server root (test-artifacts/ is git-ignored)."""
    folder = ARTIFACTS / "browser"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / NOTEBOOK
    shutil.copy(ROOT / "solutions" / NOTEBOOK, target)
    return target


def test_solution_runs_in_jupyterlab(lab: str, browser) -> None:
    base, token = lab.split("|")
    notebook = _copy_of_solution()
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{base}/lab/tree/{notebook.relative_to(ROOT)}?token={token}")
    page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=120_000)
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(timeout=120_000)
    page.wait_for_timeout(3000)  # the session settles after the first idle; a click before is lost
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    cells = len(nbformat.read(notebook, 4).cells)
    page.wait_for_function(
        """() => { const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
                   return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent)); }""",
        timeout=240_000)
    page.keyboard.press("Control+s")
    page.wait_for_timeout(2000)
    page.screenshot(path=str(ARTIFACTS / "browser-00-setup.png"), full_page=True)
    ran = nbformat.read(notebook, 4)
    assert len(ran.cells) == cells
    errors = [c.get("id") for c in ran.cells if c.cell_type == "code"
              and any(o.output_type == "error" for o in c.outputs)]
    assert not errors, f"cells raised errors in JupyterLab: {errors}"
    summary = "".join(o.get("text", "") for o in ran.cells[-1].outputs)
    assert "4/4 exercises pass" in summary, f"the closing cell says:\n{summary}"
    assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
                        ).filter(has_text="Traceback").count() == 0


def test_formgrader_loads(lab: str, browser) -> None:
    base, token = lab.split("|")
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(f"{base}/formgrader?token={token}")
    page.get_by_text("Manage Assignments").first.wait_for(timeout=60_000)
    page.get_by_text("00-setup").first.wait_for(timeout=60_000)
    page.screenshot(path=str(ARTIFACTS / "formgrader.png"), full_page=True)
    assert "00-setup" in page.content(), "the formgrader does not list the course's assignments"
