"""`python -m course.grading.zygote FD SETTINGS`: a warm parent for kernels (SETTINGS: JSON).

It imports what a course notebook imports (torch, transformers, datasets, IPython, ipykernel...)
once, starts no thread, and then forks one kernel per request, so a kernel starts in a fraction
of a second instead of paying the imports again. It runs where its kernels must run: inside the
bubblewrap sandbox at the `bwrap` level (its kernels share it, one at a time), in a network
namespace at `unshare`, as root at `uid` (each child drops to its submission's uid).

Requests come on the listening Unix socket FD (its path is in the grader's private folder, so
no kernel can reach it) from `kernel_stub.py`, one kernel at a time: a JSON line
`{"connection_file", "cwd", "uid"}`. The reply is `{"pid"}`, then `{"exit"}` when the kernel has
ended. If the stub goes away first, the kernel is killed. Either way, before the next request,
every process the kernel left is killed and the kernels' home folder is emptied, and when it
comes, the zygote's folder is cleared of all but the new kernel's own, so nothing of one
submission reaches the next. The zygote is not dumpable: a kernel (same uid inside bwrap)
cannot ptrace it or read its memory. It exits when its stdin (a pipe from the grader) closes.
"""
from __future__ import annotations

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

# ipykernel first: tqdm.auto (which transformers, datasets and huggingface_hub import) picks its
# notebook bars only once ipykernel is imported. Not pyplot nor the inline backend: imported
# before the kernel's shell exists, the backend would not hook into IPython, and figures would
# not show.
PRELOAD = ("IPython", "ipykernel.kernelapp", "tqdm.auto", "numpy", "pandas", "matplotlib",
           "matplotlib.figure", "matplotlib.backends.backend_agg", "torch", "transformers",
           "transformers.modeling_utils", "transformers.pipelines", "transformers.trainer",
           "datasets", "evaluate", "tokenizers", "peft", "accelerate", "sklearn.metrics",
           "course", "course.grading.audit")
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


def main(listen_fd: int, settings: ZygoteSettings) -> None:
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:
            pass  # optional in this environment: the kernel imports it itself, cold
    libc = ctypes.CDLL(None)
    libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)  # what a kernel detaches is re-parented here
    listener = socket.socket(fileno=listen_fd)
    print("ready", flush=True)
    while True:
        ready, _, _ = select.select([listener, sys.stdin], [], [])
        if sys.stdin in ready and not sys.stdin.buffer.read1(1):
            return  # the grader is gone
        if listener in ready:
            connection, _ = listener.accept()
            with connection:
                serve(connection, listener, settings)
            clean_up(settings)


def serve(connection: socket.socket, listener: socket.socket, settings: ZygoteSettings) -> None:
    """Fork the kernel that `connection` asks for; report its pid and, later, its exit."""
    request = json.loads(connection.makefile("r").readline() or "null")
    if not request:
        return
    if threading.active_count() != 1:  # a thread would be copied half-way through its work
        connection.sendall(b'{"error": "the zygote started a thread; kernels would be unsafe"}\n')
        return
    clear(Path(settings.folder), keep={Path(request["cwd"]).parent, Path(settings.home)})
    prepare_home(settings.home, request["uid"])
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the kernel
        listener.close()
        connection.close()
        run_kernel(request, settings)
    connection.sendall(json.dumps({"pid": pid}).encode() + b"\n")
    status = wait(pid, connection)
    try:
        connection.sendall(json.dumps({"exit": status}).encode() + b"\n")
    except OSError:
        pass  # the stub is gone


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
    try:
        os.setsid()
        enter(settings.memory, settings.cpu, settings.fsize, request["uid"], settings.net,
              request["connection_file"])
        os.chdir(request["cwd"])
        sys.path[0] = request["cwd"]  # as `python -m ipykernel_launcher` started there has it
        sys.argv = [sys.executable, "-f", request["connection_file"]]
        from ipykernel.kernelapp import IPKernelApp

        IPKernelApp.launch_instance()
    except BaseException as error:  # noqa: BLE001 - the child never returns into the zygote
        print(f"kernel failed to start: {type(error).__name__}: {error}", file=sys.stderr,
              flush=True)
        os._exit(1)
    os._exit(0)


def prepare_home(home: str, uid: int) -> None:
    """An empty home for the next kernel, owned by its uid at the `uid` level."""
    Path(home).mkdir(mode=0o700, exist_ok=True)
    if uid >= 0:
        os.chown(home, uid, uid)


def clean_up(settings: ZygoteSettings) -> None:
    """Kill whatever the last kernel left, and empty its home (and /tmp, /dev/shm in bwrap)."""
    kill_descendants(settings.own_pid_namespace)
    folders = [Path(settings.home)]
    if settings.own_pid_namespace:
        folders += [Path("/tmp"), Path("/dev/shm")]
    for folder in folders:
        clear(folder)


def clear(folder: Path, keep: Collection[Path] = ()) -> None:
    """Delete everything in `folder` but `keep`."""
    for entry in folder.iterdir() if folder.is_dir() else ():
        if entry in keep:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


def kill_descendants(own_pid_namespace: bool) -> None:
    """SIGKILL every process below this one; in its own PID namespace, every process but the
    namespace's init and this one (nothing else can be there)."""
    import psutil

    for _ in range(3):  # anything forked while the signals went out is caught next round
        me = psutil.Process()
        others = ([p for p in psutil.process_iter() if p.pid not in (1, me.pid)]
                  if own_pid_namespace else me.children(recursive=True))
        if not others:
            return
        for process in others:
            try:
                process.kill()
            except psutil.Error:
                pass
        psutil.wait_procs(others, timeout=5)


if __name__ == "__main__":
    main(int(sys.argv[1]), ZygoteSettings(**json.loads(sys.argv[2])))
