"""Contain student code: the kernel that runs a submission starts inside a sandbox.

nbgrader starts the kernel from the kernelspec named in the notebook (`python3`); the grader
puts its own `python3` spec first on JUPYTER_PATH, whose argv wraps ipykernel:

    python -c <set rlimits>  ->  bwrap <namespaces, mounts>  ->  python -m ipykernel_launcher

The kernel talks to nbgrader over Unix sockets (ipc transport) in the worker's runtime folder,
so it needs no network at all. What the machine offers decides the level:

- `bwrap`: bubblewrap. No network (own network namespace), own PID namespace, a private /tmp,
  a cleared environment, and the course folder, the class's submissions and the grader's scratch
  folders hidden; the course package, the interpreter and the HF cache stay visible read-only.
- `unshare`: util-linux `unshare --net`. No network, but files are visible as usual.
- `rlimits`: neither works; only the resource limits below apply.

Every level sets the limits: address space (memory), CPU seconds and the largest file written.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LEVELS = {
    "bwrap": "bubblewrap: no network, private /tmp, course files and other submissions hidden",
    "unshare": "unshare --net: no network; files are NOT hidden (install bubblewrap for that)",
    "rlimits": "resource limits only: network and files are NOT contained "
               "(install bubblewrap, or allow user namespaces)",
}

_SET_LIMITS = ("import os, sys, resource as r\n"
               "for k, v in zip((r.RLIMIT_AS, r.RLIMIT_CPU, r.RLIMIT_FSIZE), sys.argv[1:4]):\n"
               "    r.setrlimit(k, (int(v), int(v)))\n"
               "os.execvp(sys.argv[4], sys.argv[4:])")


@dataclass(frozen=True)
class Limits:
    """Per-kernel resource limits."""
    memory_bytes: int = 8 * 2**30
    cpu_seconds: int = 3600
    file_bytes: int = 2**30
    threads: int = 1


@cache
def containment() -> str:
    """The strongest level that works on this machine: "bwrap", "unshare" or "rlimits"."""
    probes = {"bwrap": ["bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--unshare-net",
                        "--unshare-pid", "true"],
              "unshare": [*_unshare(), "true"]}
    for level, argv in probes.items():
        if shutil.which(argv[0]) and _succeeds(argv):
            return level
    return "rlimits"


def _unshare() -> list[str]:
    """A new network namespace; a user namespace too when not root."""
    return ["unshare", "--net"] + ([] if os.geteuid() == 0 else ["--map-root-user"])


def _succeeds(argv: Sequence[str]) -> bool:
    try:
        return subprocess.run(argv, capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@dataclass(frozen=True)
class Sandbox:
    """Where one submission's kernel may write (`workdir`, `runtime`) and what it must not see."""
    workdir: Path
    runtime: Path
    hidden: tuple[Path, ...]
    limits: Limits = Limits()
    level: str = "rlimits"

    def kernel_argv(self) -> list[str]:
        """The kernelspec argv: limits, then the namespace wrapper, then ipykernel."""
        kernel = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
        limits = [sys.executable, "-I", "-c", _SET_LIMITS, str(self.limits.memory_bytes),
                  str(self.limits.cpu_seconds), str(self.limits.file_bytes)]
        return limits + self._wrapper() + kernel

    def kernel_env(self) -> dict[str, str]:
        """Environment for the kernel: offline, caches in its private /tmp, a thread budget."""
        from huggingface_hub import constants

        tmp = "/tmp" if self.level == "bwrap" else str(self.workdir / ".tmp")
        threads = str(self.limits.threads)
        return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8",
                "HOME": f"{tmp}/home", "TMPDIR": tmp, "IPYTHONDIR": f"{tmp}/ipython",
                "MPLCONFIGDIR": f"{tmp}/matplotlib", "MPLBACKEND": "module://matplotlib_inline.backend_inline",
                "HF_HOME": constants.HF_HOME, "HF_HUB_CACHE": constants.HF_HUB_CACHE,
                "HF_DATASETS_CACHE": f"{tmp}/hf-datasets", "HF_MODULES_CACHE": f"{tmp}/hf-modules",
                "HF_EVALUATE_CACHE": f"{tmp}/hf-evaluate", "HF_HUB_OFFLINE": "1",
                "HF_DATASETS_OFFLINE": "1", "HF_EVALUATE_OFFLINE": "1",
                "COURSE_PROFILE": os.environ.get("COURSE_PROFILE", "tiny"),
                "OMP_NUM_THREADS": threads, "MKL_NUM_THREADS": threads}

    def _wrapper(self) -> list[str]:
        env = self.kernel_env()
        if self.level != "bwrap":
            cleared = ["env", "-i", *(f"{k}={v}" for k, v in env.items())]
            return [*_unshare(), *cleared] if self.level == "unshare" else cleared
        argv = ["bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
                "--tmpfs", "/tmp", "--unshare-net", "--unshare-pid", "--unshare-ipc",
                "--unshare-uts", "--die-with-parent", "--clearenv", "--chdir", str(self.workdir)]
        for path in self.hidden:
            argv += ["--tmpfs", str(path)]
        for path in _still_visible(self.hidden):
            argv += ["--ro-bind", str(path), str(path)]
        for path in (self.workdir, self.runtime):
            argv += ["--bind", str(path), str(path)]
        for key, value in env.items():
            argv += ["--setenv", key, value]
        return argv + ["--"]


def _still_visible(hidden: Sequence[Path]) -> list[Path]:
    """What the kernel needs that may lie under a hidden or private folder, re-mounted
    read-only: the course package, the interpreter's environment and every folder it imports
    from (a venv's site-packages, a .pth path), and the HF cache."""
    from huggingface_hub import constants

    package = Path(__file__).resolve().parents[1]
    needed = [package, Path(sys.prefix), *(Path(p) for p in sys.path if p),
              Path(constants.HF_HOME)]
    covered = [h.resolve() for h in [*hidden, Path("/tmp")]]
    found = [p.resolve() for p in needed if p.exists()]
    return list(dict.fromkeys(p for p in found if any(p.is_relative_to(h) for h in covered)))
