"""`python -m course.grading.zygote FD ROLE SETTINGS`: a warm parent that forks, on request,
a kernel (ROLE `kernel`) or an nbgrader run (ROLE `grader`); SETTINGS is JSON.

It imports what its children need (for kernels: torch, transformers, datasets, IPython,
ipykernel...; for graders: nbgrader, nbconvert) once, starts no thread, and then forks one
child per request, so a child starts in a fraction of a second instead of paying the imports
again. A kernel zygote runs where its kernels must run: inside the bubblewrap sandbox at the
`bwrap` level (its kernels share it, one at a time), in a network namespace at `unshare`, as
root at `uid` (each child drops to its submission's uid). A grader zygote runs as the grader.

Requests come on the listening Unix socket FD (its path is in the grader's private folder, so
no kernel can reach it), one child at a time: a JSON message with the child's stdout and stderr
attached (`kernel_stub.py` sends `{"connection_file", "cwd", "uid"}`, `warm_kernels` sends
`{"run_file", "assignment", "student", "cwd", "env"}`). The reply is `{"pid"}`, then `{"exit"}`
when the child has ended. If the client goes away first, the child is killed. Either way,
before the next request, every process the child left is killed; a kernel zygote also empties
the kernels' home folder and, when the next request comes, clears its folder of all but the
new kernel's own, so nothing of one submission reaches the next. The zygote is not dumpable: a
kernel (same uid inside bwrap) cannot ptrace it or read its memory. It exits when its stdin (a
pipe from the grader) closes.
"""
from __future__ import annotations

import atexit
import ctypes
import importlib
import json
import os
import select
import shutil
import signal
import socket
import sys
import threading
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from .entry import enter
from .nbgrader_run import kill_descendants

# ipykernel first: tqdm.auto (which transformers, datasets and huggingface_hub import) picks its
# notebook bars only once ipykernel is imported. Not pyplot nor the inline backend: imported
# before the kernel's shell exists, the backend would not hook into IPython, and figures would
# not show.
KERNEL_PRELOAD = ("IPython", "ipykernel.kernelapp", "tqdm.auto", "numpy", "pandas", "matplotlib",
           "matplotlib.figure", "matplotlib.backends.backend_agg", "torch", "transformers",
           "transformers.modeling_utils", "transformers.pipelines", "transformers.trainer",
           "datasets", "evaluate", "tokenizers", "peft", "accelerate", "sklearn.metrics",
           "course", "course.grading.audit")
GRADER_PRELOAD = ("psutil", "nbformat", "nbconvert", "nbclient", "nbgrader.apps.api",
                  "course.nbgrader", "course.grading.preprocessors", "course.grading.nbgrader_run")
PR_SET_DUMPABLE, PR_SET_CHILD_SUBREAPER = 4, 36
POLL_SECONDS = 0.2


@dataclass(frozen=True)
class ZygoteSettings:
    """What every kernel of this zygote gets: limits, network cut (by the child, as root at the
    `uid` level), the kernels' home folder (their HOME and TMPDIR), and whether this zygote
    owns its PID namespace (bwrap), so that every other process in it belongs to a kernel."""
    memory: int
    cpu: int
    fsize: int
    net: bool
    home: str
    own_pid_namespace: bool
    folder: str  # the zygote's own: each kernel's folder (and at most levels, home) lies in it


class KernelRole:
    """Forks contained ipykernels (see ZygoteSettings)."""
    preload = KERNEL_PRELOAD

    def __init__(self, settings: ZygoteSettings) -> None:
        self.settings = settings

    def prepare(self, request: dict) -> None:
        clear(Path(self.settings.folder),
              keep={Path(request["cwd"]).parent, Path(self.settings.home)})
        prepare_home(self.settings.home, request["uid"])

    def child(self, request: dict) -> int:
        run_kernel(request, self.settings)
        return 0

    def clean_up(self) -> None:
        """Kill whatever the last kernel left, and empty its home (and /tmp, /dev/shm in bwrap)."""
        kill_descendants(self.settings.own_pid_namespace)
        folders = [Path(self.settings.home)]
        if self.settings.own_pid_namespace:
            folders += [Path("/tmp"), Path("/dev/shm")]
        for folder in folders:
            clear(folder)


class GraderRole:
    """Forks `course.grading.nbgrader_run` runs, each in its scratch course with its environment."""
    preload = GRADER_PRELOAD

    def prepare(self, request: dict) -> None:
        pass

    def child(self, request: dict) -> int:
        import tempfile

        from .nbgrader_run import run

        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        tempfile.tempdir = None  # read TMPDIR again
        return run(request["run_file"], request["assignment"], request["student"])

    def clean_up(self) -> None:
        kill_descendants(own_pid_namespace=False)


def main(listen_fd: int, role: KernelRole | GraderRole) -> None:
    for name in role.preload:
        try:
            importlib.import_module(name)
        except ImportError:
            pass  # optional in this environment: the child imports it itself, cold
    libc = ctypes.CDLL(None)
    libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)  # what a child detaches is re-parented here
    listener = socket.socket(fileno=listen_fd)
    print("ready", flush=True)
    while True:
        ready, _, _ = select.select([listener, sys.stdin], [], [])
        if sys.stdin in ready and not sys.stdin.buffer.read1(1):
            return  # the grader is gone
        if listener in ready:
            connection, _ = listener.accept()
            with connection:
                serve(connection, listener, role)
            role.clean_up()


def serve(connection: socket.socket, listener: socket.socket, role: KernelRole | GraderRole
          ) -> None:
    """Fork the child that `connection` asks for; report its pid and, later, its exit."""
    message, fds, _, _ = socket.recv_fds(connection, 65536, 2)
    request = json.loads(message or b"null")
    threaded = threading.active_count() != 1  # a thread would be copied half-way through its work
    if not request or len(fds) != 2 or threaded:
        for fd in fds:
            os.close(fd)
        if threaded:
            connection.sendall(b'{"error": "the zygote started a thread; forking is unsafe"}\n')
        return
    role.prepare(request)
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        listener.close()
        connection.close()
        os._exit(run_child(role, request, fds))
    for fd in fds:
        os.close(fd)
    connection.sendall(json.dumps({"pid": pid}).encode() + b"\n")
    status = wait(pid, connection)
    try:
        connection.sendall(json.dumps({"exit": status}).encode() + b"\n")
    except OSError:
        pass  # the client is gone


def run_child(role: KernelRole | GraderRole, request: dict, fds: list[int]) -> int:
    """In the forked child: a session of its own, the client's streams, the role's work, then
    the exit handlers, as at a normal interpreter exit. Its exit status."""
    os.setsid()
    take_streams(*fds)
    try:
        status = role.child(request)
    except SystemExit as exit:
        status = exit.code if isinstance(exit.code, int) else int(exit.code is not None)
    except BaseException as error:  # noqa: BLE001 - the child never returns into the zygote
        print(f"the forked child failed: {type(error).__name__}: {error}", file=sys.stderr)
        status = 1
    atexit._run_exitfuncs()  # noqa: SLF001 - what interpreter exit runs; os._exit skips them
    sys.stdout.flush()
    sys.stderr.flush()
    return status


def take_streams(stdout: int, stderr: int) -> None:
    """stdin from /dev/null; stdout and stderr to the client's (nbgrader's log, for a kernel)."""
    null = os.open(os.devnull, os.O_RDONLY)
    for fd, target in ((null, 0), (stdout, 1), (stderr, 2)):
        if fd != target:
            os.dup2(fd, target)
            os.close(fd)


def wait(pid: int, connection: socket.socket) -> int:
    """Wait for the kernel to end; kill it if the stub hangs up first. Its exit status."""
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        ready, _, _ = select.select([connection], [], [], POLL_SECONDS)
        if ready and not connection.recv(1, socket.MSG_PEEK):
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return -signal.SIGKILL


def run_kernel(request: dict, settings: ZygoteSettings) -> None:
    """In the child: contain this process, then become the ipykernel that nbclient waits for."""
    enter(settings.memory, settings.cpu, settings.fsize, request["uid"], settings.net,
          request["connection_file"])
    os.chdir(request["cwd"])
    sys.path[0] = request["cwd"]  # as `python -m ipykernel_launcher` started there has it
    sys.argv = [sys.executable, "-f", request["connection_file"]]
    from ipykernel.kernelapp import IPKernelApp

    IPKernelApp.launch_instance()


def prepare_home(home: str, uid: int) -> None:
    """An empty home for the next kernel, owned by its uid at the `uid` level."""
    Path(home).mkdir(mode=0o700, exist_ok=True)
    if uid >= 0:
        os.chown(home, uid, uid)


def clear(folder: Path, keep: Collection[Path] = ()) -> None:
    """Delete everything in `folder` but `keep`."""
    for entry in folder.iterdir() if folder.is_dir() else ():
        if entry in keep:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


if __name__ == "__main__":
    fd, kind, settings = int(sys.argv[1]), sys.argv[2], json.loads(sys.argv[3])
    main(fd, KernelRole(ZygoteSettings(**settings)) if kind == "kernel" else GraderRole())
