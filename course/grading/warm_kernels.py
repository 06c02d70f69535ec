"""Warm starts for `course grade`: per worker, a kernel zygote and a grader zygote
(`course.grading.zygote`), lent together for one submission at a time. The grader zygote forks
the submission's nbgrader run; nbgrader's kernelspec (`kernel_stub.py`) asks the kernel zygote
to fork its kernel.

A kernel zygote is started contained exactly as a cold kernel would be (the same sandbox argv,
with a folder of its own for its kernels' working folders and sockets), so a forked kernel runs
at the same level, with the same limits and environment, as a cold one; only the imports are
done. The grader zygote runs as the grader, as `python -m course.grading.nbgrader_run` does.
"""
from __future__ import annotations

import json
import logging
import os
import queue
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from .sandbox import Sandbox, network_cut

log = logging.getLogger(__name__)
STUB = Path(__file__).with_name("kernel_stub.py")
STOP_GRACE_SECONDS = 10


class ZygoteFailed(RuntimeError):
    """A zygote did not start, or went away while it served a request."""


class Zygote:
    """A warm parent started by `argv` (`{fd}`: its listening socket), whose control socket
    lies in a private folder of the grader's."""

    def __init__(self, name: str, argv: Callable[[int], list[str]], cwd: Path) -> None:
        self.name, self.argv, self.cwd = name, argv, cwd
        self.control = Path(tempfile.mkdtemp(prefix="course-zygote-")) / "control.sock"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        """Start it and wait until it has imported everything."""
        self.launch()
        self.wait_ready()

    def launch(self) -> None:
        """Start it (it imports meanwhile; `wait_ready` waits)."""
        self.control.parent.mkdir(mode=0o700, exist_ok=True)
        self.control.unlink(missing_ok=True)
        with socket.socket(socket.AF_UNIX) as listener:
            listener.bind(str(self.control))
            listener.listen(1)
            self.process = subprocess.Popen(self.argv(listener.fileno()), stdin=subprocess.PIPE,
                                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                            text=True, pass_fds=(listener.fileno(),), cwd=self.cwd)

    def wait_ready(self) -> None:
        """Wait until the launched zygote has imported everything; ZygoteFailed if it did not."""
        ready = self.process.stdout.readline()
        if ready.strip() != "ready":
            rest = self.process.stdout.read()
            self._stop()
            raise ZygoteFailed(f"the warm {self.name} parent did not start: {ready}{rest}"[-2000:])
        threading.Thread(target=self._log, args=(self.process.stdout,), daemon=True).start()

    def _log(self, output: IO[str]) -> None:
        """What the zygote prints after it is ready (nothing, unless something went wrong)."""
        for line in output:
            log.warning("warm %s parent: %s", self.name, line.rstrip())

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        if self.process is not None:
            self._stop()
        shutil.rmtree(self.control.parent, ignore_errors=True)

    def _stop(self) -> None:
        """Close its stdin (it exits); kill it if it does not."""
        process, self.process = self.process, None
        process.stdin.close()
        try:
            process.wait(timeout=STOP_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def kernel_zygote(folder: Path, sandbox: Sandbox) -> Zygote:
    """Forks kernels contained like `sandbox` says; their folders go in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o711)  # kernel uids reach their own folder in it, nothing else
    limits, level = sandbox.limits, sandbox.level
    settings = json.dumps({"memory": limits.memory_bytes, "cpu": limits.cpu_seconds,
                           "fsize": limits.file_bytes, "net": level == "uid" and network_cut("uid"),
                           "home": sandbox.kernel_env()["TMPDIR"],
                           "own_pid_namespace": level == "bwrap", "folder": str(folder)})
    return Zygote("kernels'", lambda fd: sandbox.zygote_argv(fd, "kernel", settings), folder)


def kernel_argv(zygote: Zygote, kernel: Sandbox) -> list[str]:
    """The kernelspec argv that asks `zygote` for `kernel`'s kernel."""
    uid = kernel.uid if kernel.level == "uid" and kernel.uid is not None else -1
    return [sys.executable, "-I", str(STUB), str(zygote.control), str(kernel.workdir), str(uid),
            "{connection_file}"]


def grader_zygote(folder: Path) -> Zygote:
    """Forks nbgrader runs (`course.grading.nbgrader_run.run`)."""
    return Zygote("graders'", lambda fd: [sys.executable, "-m", "course.grading.zygote", str(fd),
                                          "grader", "{}"], folder)


def run_nbgrader(zygote: Zygote, request: dict, output: int, timeout: float) -> int:
    """Have the grader `zygote` fork `request`'s nbgrader run, writing to `output`, and wait for
    it; its exit status. After `timeout` s: SIGTERM (it kills what is below it), SIGKILL after a
    grace, and subprocess.TimeoutExpired."""
    with socket.socket(socket.AF_UNIX) as connection:
        connection.connect(str(zygote.control))
        socket.send_fds(connection, [json.dumps(request).encode()], [output, output])
        pid = _reply(connection, STOP_GRACE_SECONDS)["pid"]
        try:
            return _reply(connection, timeout)["exit"]
        except TimeoutError:
            os.killpg(pid, signal.SIGTERM)
            try:
                _reply(connection, STOP_GRACE_SECONDS)
            except (TimeoutError, ZygoteFailed):
                pass  # hanging up makes the zygote SIGKILL it and everything below it
            raise subprocess.TimeoutExpired(request["run_file"], timeout) from None


def _reply(connection: socket.socket, timeout: float) -> dict:
    """The zygote's next JSON line, within `timeout` s."""
    deadline, data = time.monotonic() + timeout, b""
    while not data.endswith(b"\n"):
        ready, _, _ = select.select([connection], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            raise TimeoutError
        chunk = connection.recv(4096)
        if not chunk:
            raise ZygoteFailed("the warm graders' parent went away")
        data += chunk
    reply = json.loads(data)
    if "error" in reply:
        raise ZygoteFailed(reply["error"])
    return reply


@dataclass
class WarmSlot:
    """One worker's zygotes: its kernel zygote's folder holds its kernels' folders."""
    kernels: Zygote
    graders: Zygote


class WarmKernels:
    """A slot per worker (`root`/z0, z1, ...), lent out one submission at a time."""

    def __init__(self, root: Path, count: int, sandbox_for: Callable[[Path], Sandbox]) -> None:
        self.free: queue.Queue[WarmSlot] = queue.Queue()
        slots = [WarmSlot(kernel_zygote(root / f"z{i}", sandbox_for(root / f"z{i}")),
                          grader_zygote(root)) for i in range(count)]
        zygotes = [zygote for slot in slots for zygote in (slot.kernels, slot.graders)]
        for zygote in zygotes:  # all import at once: the batch waits for the slowest only
            zygote.launch()
        for zygote in zygotes:
            zygote.wait_ready()
        for slot in slots:
            self.free.put(slot)

    @contextmanager
    def lease(self) -> Iterator[WarmSlot]:
        """A slot with running zygotes (restarted if one died), back in the pool afterwards."""
        slot = self.free.get()
        try:
            for zygote in (slot.kernels, slot.graders):
                if not zygote.alive():
                    log.warning("a warm %s parent had died; starting it again", zygote.name)
                    zygote.stop()
                    zygote.start()
            yield slot
        finally:
            self.free.put(slot)

    def close(self) -> None:
        while not self.free.empty():
            slot = self.free.get()
            slot.kernels.stop()
            slot.graders.stop()
