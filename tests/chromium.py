"""Debian's chromium for the browser tests (Playwright drives it; it downloads no browser), and
waiting for a server to answer."""
from __future__ import annotations

import os
import time
import urllib.request
from pathlib import Path

CHROMIUM = Path(os.environ.get("COURSE_CHROMIUM", "/usr/bin/chromium"))
# Without the network flags chromium retries Google's hosts on this closed network.
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def wait_for(url: str, seconds: float, what: str) -> None:
    """Return once `url` answers with success; raise TimeoutError after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"{what} did not answer at {url} within {seconds} s")
