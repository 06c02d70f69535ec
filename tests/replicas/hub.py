"""Serve the full-profile replicas on 127.0.0.1, and the environment that reaches them."""
from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OLAH_PYTHON = ROOT / ".venv-olah" / "bin" / "python"  # `make replica-server` makes it


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(endpoint: str, server: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the replica server exited {server.returncode}:\n{log.read_text()}")
        try:
            urllib.request.urlopen(f"{endpoint}/api/whoami-v2", timeout=2)
            return
        except OSError as error:
            if getattr(error, "code", None):  # any HTTP answer: it is up
                return
            time.sleep(0.3)
    raise RuntimeError(f"the replica server did not answer in {timeout} s:\n{log.read_text()}")


@contextmanager
def serve(mirrors: Path, log: Path) -> Iterator[str]:
    """Run server.py over `mirrors` until the block ends; yield its endpoint."""
    port = free_port()
    with log.open("w") as out:
        server = subprocess.Popen([str(OLAH_PYTHON), str(Path(__file__).parent / "server.py"),
                                   str(mirrors), str(port)], stdout=out,
                                  stderr=subprocess.STDOUT, cwd=mirrors.parent)
    try:
        endpoint = f"http://127.0.0.1:{port}"
        wait_until_up(endpoint, server, log)
        yield endpoint
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def online_env(endpoint: str | None, hf_home: Path) -> dict[str, str]:
    """The environment of a process that reaches the Hub at `endpoint` (None: the real one, or
    HF_ENDPOINT as set) as Colab reaches the real one."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE", "TRANSFORMERS_OFFLINE",
                        "HF_EVALUATE_OFFLINE")}
    endpoint_env = {"HF_ENDPOINT": endpoint} if endpoint else {}
    return {**env, **endpoint_env, "HF_HOME": str(hf_home), "COURSE_PROFILE": "full"}
