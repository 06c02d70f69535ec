"""Session settings: the tiny profile (or COURSE_TEST_PROFILE), offline, and optionally a fresh
Hugging Face cache.

By default the tests use the cache where `make setup` built the tiny assets (HF_HOME or
~/.cache/huggingface). With COURSE_TEST_HF_HOME set, they build into a fresh cache under
pytest's basetemp instead. The Hugging Face libraries read HF_HOME when first imported, so
test modules import them inside tests, never at module level.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from course.environment import OFFLINE_FLAGS

ROOT = Path(__file__).resolve().parent.parent  # the checkout under test (`from conftest import ROOT`)


def pytest_configure(config: pytest.Config) -> None:
    """Before collection, so even modules imported then see these."""
    profile = os.environ.get("COURSE_TEST_PROFILE", "tiny")  # `make test-gpu`: full
    os.environ["COURSE_PROFILE"] = profile
    if profile == "tiny":
        os.environ.update(OFFLINE_FLAGS)  # the tiny tests never reach the Hub
    if os.environ.get("PYTEST_XDIST_WORKER"):
        # Two test processes share the cores: a torch that spreads each op over every core
        # then waits for threads the other process holds (chapter 05 ran 36 s alone and 753 s
        # beside one busy process; with one thread, 53 s either way). Kernels inherit this, and
        # `course grade` caps its kernels' threads by it.
        os.environ.setdefault("OMP_NUM_THREADS", "1")


@pytest.fixture(scope="session", autouse=True)
def test_hf_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """With COURSE_TEST_HF_HOME set, point HF_HOME at an empty folder for the session."""
    if not os.environ.get("COURSE_TEST_HF_HOME"):
        yield
        return
    if "huggingface_hub" in sys.modules:
        raise RuntimeError("huggingface_hub was imported before the session fixture, so it would "
                           "ignore the test HF_HOME: import it inside the tests.")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HF_HOME", str(tmp_path_factory.mktemp("hf_home")))
        yield


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    """Seconds per test file (setup, call and teardown of its tests): where the suite's time goes."""
    seconds: dict[str, float] = {}
    for reports in terminalreporter.stats.values():
        for report in reports:
            if isinstance(report, pytest.TestReport):
                path = report.nodeid.split("::")[0]
                seconds[path] = seconds.get(path, 0.0) + report.duration
    if seconds:
        terminalreporter.write_sep("=", "seconds per test file")
        for path, total in sorted(seconds.items(), key=lambda item: -item[1]):
            terminalreporter.write_line(f"{total:8.1f}  {path}")


@pytest.fixture(scope="module")
def browser() -> Iterator:
    """Headless chromium (Debian's, see tests/chromium.py) for the browser tests of a module."""
    from chromium import CHROMIUM, CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
