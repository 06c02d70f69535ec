"""Warm kernels for `course grade`: a pool of zygotes (`course.grading.zygote`), one per
worker, each forking the kernels of the submissions it is lent for, one at a time.

A zygote is started contained exactly as a cold kernel would be (the same sandbox argv, with a
folder of its own for its kernels' working folders and sockets), so a forked kernel runs at the
same level, with the same limits and environment, as a cold one; only the imports are done.
"""
from __future__ import annotations

import json
import logging
import queue
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .sandbox import Sandbox, network_cut

log = logging.getLogger(__name__)
STUB = Path(__file__).with_name("kernel_stub.py")


class ZygoteFailed(RuntimeError):
    """A zygote did not start."""


class Zygote:
    """One warm parent at `folder` (its kernels' folders go in it), contained like `sandbox`
    says; its control socket lies in a private folder of the grader's."""

    def __init__(self, folder: Path, sandbox: Sandbox) -> None:
        self.folder, self.sandbox = folder, sandbox
        self.control = Path(tempfile.mkdtemp(prefix="course-zygote-")) / "control.sock"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        """Start it and wait until it has imported everything."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self.folder.chmod(0o711)  # kernel uids reach their own folder in it, nothing else
        self.control.parent.mkdir(mode=0o700, exist_ok=True)
        self.control.unlink(missing_ok=True)
        with socket.socket(socket.AF_UNIX) as listener:
            listener.bind(str(self.control))
            listener.listen(1)
            argv = self.sandbox.zygote_argv(listener.fileno(), self._settings())
            self.process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                            stderr=subprocess.STDOUT, text=True,
                                            pass_fds=(listener.fileno(),), cwd=self.folder)
        ready = self.process.stdout.readline()
        if ready.strip() != "ready":
            rest = self._stop_and_read()
            raise ZygoteFailed(f"the warm kernels' parent did not start: {ready}{rest}"[-2000:])

    def _settings(self) -> str:
        limits, level = self.sandbox.limits, self.sandbox.level
        return json.dumps({"memory": limits.memory_bytes, "cpu": limits.cpu_seconds,
                           "fsize": limits.file_bytes, "net": level == "uid" and network_cut("uid"),
                           "home": self.sandbox.kernel_env()["TMPDIR"],
                           "own_pid_namespace": level == "bwrap", "folder": str(self.folder)})

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kernel_argv(self, kernel: Sandbox) -> list[str]:
        """The kernelspec argv that asks this zygote for `kernel`'s kernel."""
        uid = kernel.uid if kernel.level == "uid" and kernel.uid is not None else -1
        return [sys.executable, "-I", str(STUB), str(self.control), str(kernel.workdir), str(uid),
                "{connection_file}"]

    def stop(self) -> None:
        if self.process is not None:
            self._stop_and_read()
        shutil.rmtree(self.control.parent, ignore_errors=True)

    def _stop_and_read(self) -> str:
        """Close its stdin (it exits), kill it if it does not; what it printed."""
        process, self.process = self.process, None
        process.stdin.close()
        try:
            out = process.stdout.read() if process.wait(timeout=10) is not None else ""
        except subprocess.TimeoutExpired:
            process.kill()
            out = process.stdout.read()
        process.stdout.close()
        return out


class WarmKernels:
    """`count` zygotes in `root` (z0, z1, ...), lent out one submission at a time."""

    def __init__(self, root: Path, count: int, sandbox_for: Callable[[Path], Sandbox]) -> None:
        self.free: queue.Queue[Zygote] = queue.Queue()
        for index in range(count):
            folder = root / f"z{index}"
            zygote = Zygote(folder, sandbox_for(folder))
            zygote.start()
            self.free.put(zygote)

    @contextmanager
    def lease(self) -> Iterator[Zygote]:
        """A running zygote (restarted if a kernel killed it), back in the pool afterwards."""
        zygote = self.free.get()
        try:
            if not zygote.alive():
                log.warning("a warm kernels' parent had died; starting it again")
                zygote.stop()
                zygote.start()
            yield zygote
        finally:
            self.free.put(zygote)

    def close(self) -> None:
        while not self.free.empty():
            self.free.get().stop()
