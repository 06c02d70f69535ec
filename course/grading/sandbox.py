"""Contain student code: the kernel that runs a submission starts inside a sandbox.

nbgrader starts the kernel from the kernelspec named in the notebook (`python3`); the grader
puts its own `python3` spec first on JUPYTER_PATH, whose argv wraps ipykernel:

    python entry.py <rlimits, [no network], [unprivileged uid]>  ->  [bwrap ...]  ->  ipykernel

or, for a warm kernel, asks a zygote that runs inside that same wrapper to fork one
(`warm_kernels`), which enters the same limits, network and uid in the child.

The kernel talks to nbgrader over Unix sockets (ipc transport) in its runtime folder, so it
needs no network at all. What the machine offers decides the level, strongest first:

- `bwrap`: bubblewrap. No network (own network namespace), own PID namespace (every process the
  submission starts dies with its kernel), a private /tmp, a cleared environment, and the course
  folder, its checkout, the class's submissions and the grader's scratch folders hidden; the
  course package, the interpreter and the HF cache stay visible read-only.
- `uid`: root without bubblewrap. The kernel runs as an unprivileged uid of its own, which
  cannot read the grader's scratch course (hidden tests, gradebook) or other submissions; a
  probe checks that before grading. No network when `unshare --net` works here.
- `unshare`, `rlimits`: the kernel runs as the grader's own user and CAN read the hidden tests
  and write the gradebook. `course grade` refuses these unless told `--allow-unsafe-grading`.

Every level sets the limits: address space (memory), CPU seconds and the largest file written.
"""
from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LEVELS = {
    "bwrap": "bubblewrap: no network, private /tmp, course files and other submissions hidden",
    "uid": "an unprivileged uid per kernel: course files and other submissions unreadable",
    "unshare": "unshare --net: no network; hidden tests and gradebook are NOT protected",
    "rlimits": "resource limits only: hidden tests, gradebook and network are NOT protected",
}
SAFE_LEVELS = ("bwrap", "uid")  # student code can neither read hidden tests nor write grades
UID_BASE = 1_500_000_000  # far above any login account; no passwd entry is needed

# Run as the kernelspec's first command (standard library only): limits, network, uid; then
# it execs the rest of the argv.
ENTRY = Path(__file__).with_name("entry.py")


class ContainmentError(RuntimeError):
    """Student code cannot be contained safely here, and the instructor did not accept that."""


@dataclass(frozen=True)
class Limits:
    """Per-kernel resource limits."""
    memory_bytes: int = 8 * 2**30
    cpu_seconds: int = 3600
    file_bytes: int = 2**30
    threads: int = 1


@cache
def available_levels() -> tuple[str, ...]:
    """The levels that work on this machine, strongest first ("rlimits" always works)."""
    probes = {"bwrap": ["bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--unshare-net",
                        "--unshare-pid", "true"],
              "uid": ["setpriv", "--reuid", str(UID_BASE), "--regid", str(UID_BASE),
                      "--clear-groups", "true"] if os.geteuid() == 0 else None,
              "unshare": [*_unshare(), "true"]}
    return tuple(level for level, argv in probes.items()
                 if argv and shutil.which(argv[0]) and _succeeds(argv)) + ("rlimits",)


def containment() -> str:
    """The strongest level that works on this machine."""
    return available_levels()[0]


def network_cut(level: str) -> bool:
    """Whether kernels at `level` run without a network."""
    return level in ("bwrap", "unshare") or (level == "uid" and "unshare" in available_levels())


def choose_level(requested: str | None, allow_unsafe: bool) -> str:
    """The level to grade at: `requested` (if it works here) or the strongest; a level that
    leaves hidden tests readable raises ContainmentError unless `allow_unsafe`."""
    level = requested or containment()
    if level not in available_levels():
        raise ContainmentError(f"containment level {level!r} does not work on this machine "
                               f"(available: {', '.join(available_levels())})")
    if level not in SAFE_LEVELS and not allow_unsafe:
        raise ContainmentError(
            f"refusing to run student code at containment level {level!r} ({LEVELS[level]}): "
            "a submission could read the hidden tests and change grades. Install bubblewrap "
            "(`sudo apt-get install bubblewrap`, or `make setup` as root), or grade as root for "
            "the 'uid' level, or pass --allow-unsafe-grading to accept the risk.")
    return level


def _unshare() -> list[str]:
    """A new network namespace; a user namespace too when not root."""
    return ["unshare", "--net"] + ([] if os.geteuid() == 0 else ["--map-root-user"])


def _succeeds(argv: Sequence[str]) -> bool:
    try:
        return subprocess.run(argv, capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def kernel_uids(count: int) -> list[int]:
    """`count` fresh uids for the `uid` level, one per submission; a random block, so two
    batches on one machine do not share uids."""
    start = UID_BASE + secrets.randbelow(400_000_000)
    return list(range(start, start + count))


@dataclass(frozen=True)
class Sandbox:
    """Where one submission's kernel may write (`workdir`, `runtime`) and what it must not see.
    At the `uid` level the kernel runs as `uid`, which owns `workdir` and `runtime`."""
    workdir: Path
    runtime: Path
    hidden: tuple[Path, ...]
    limits: Limits = Limits()
    level: str = "rlimits"
    uid: int | None = None

    def kernel_argv(self) -> list[str]:
        """The kernelspec argv: enter (limits, network, uid), the namespace wrapper, ipykernel."""
        kernel = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
        uid = self.uid if self.level == "uid" else -1
        net = self.level == "uid" and network_cut("uid")
        enter = [sys.executable, "-I", str(ENTRY), str(self.limits.memory_bytes),
                 str(self.limits.cpu_seconds), str(self.limits.file_bytes), str(uid),
                 "1" if net else "0", "{connection_file}"]
        return enter + self._wrapper() + kernel

    def zygote_argv(self, listen_fd: int, role: str, settings: str) -> list[str]:
        """The argv of a warm kernels' parent (`course.grading.zygote`), contained as this
        sandbox's kernel would be; it enters the limits, network and uid per kernel itself."""
        return self._wrapper() + [sys.executable, "-m", "course.grading.zygote", str(listen_fd),
                                  role, settings]

    def prepare(self) -> None:
        """Make the kernel's folders; at the `uid` level, hand them to the kernel's uid."""
        for folder in (self.runtime, self.workdir, self.workdir / ".tmp"):
            folder.mkdir(parents=True, exist_ok=True)
            if self.level == "uid":
                os.chown(folder, self.uid, self.uid)
                folder.chmod(0o700)

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
                "HF_EVALUATE_CACHE": f"{tmp}/hf-evaluate", "HF_METRICS_CACHE": f"{tmp}/hf-metrics",
                "HF_HUB_OFFLINE": "1",
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

    def end(self) -> None:
        """Kill every process the submission left (at the `uid` level: all of its uid's)."""
        if self.level == "uid" and self.uid is not None:
            kill_uid(self.uid)


def kill_uid(uid: int) -> None:
    """SIGKILL every process of `uid`: a child takes that uid and signals -1 (all it may)."""
    for _ in range(2):  # once more for anything forked while the first signal went out
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            try:
                os.setgid(uid)
                os.setuid(uid)
                os.kill(-1, signal.SIGKILL)
            finally:
                os._exit(0)
        os.waitpid(pid, 0)


def _still_visible(hidden: Sequence[Path]) -> list[Path]:
    """What the kernel needs that may lie under a hidden or private folder, re-mounted
    read-only: the course package, the interpreter's environment and the folders it imports
    from (a venv's site-packages, a .pth path), and the HF cache. A folder that is, or holds, a
    hidden one is never re-mounted (the grader's own working folder on sys.path, for one)."""
    hidden = [h.resolve() for h in hidden]
    covered = [*hidden, Path("/tmp")]
    return [p for p in needed_paths() if any(p.is_relative_to(c) for c in covered)
            and not any(h.is_relative_to(p) for h in hidden)]


def needed_paths() -> list[Path]:
    """What a kernel must be able to read: the package, the interpreter (its environment and
    its binary), the folders a kernel imports from (its own sys.path, not the grader's) and the
    HF cache."""
    from huggingface_hub import constants

    package = Path(__file__).resolve().parents[1]
    needed = [package, Path(sys.prefix), Path(sys.executable).resolve(),
              *map(Path, _kernel_sys_path()), Path(constants.HF_HUB_CACHE)]
    return list(dict.fromkeys(p.resolve() for p in needed if p.exists()))


@cache
def _kernel_sys_path() -> tuple[str, ...]:
    """sys.path of this interpreter started as a kernel is: isolated from PYTHONPATH and the
    grader's working folder (the kernel's environment is cleared)."""
    import json

    done = subprocess.run([sys.executable, "-I", "-c", "import json, sys; print(json.dumps(sys.path))"],
                          capture_output=True, text=True, timeout=60, check=True, env={})
    return tuple(p for p in json.loads(done.stdout) if p)


_PROBE = ("import json, os, sys\n"
          "def reads(p):\n"
          "    try:\n"
          "        os.listdir(p) if os.path.isdir(p) else open(p, 'rb').close()\n"
          "        return True\n"
          "    except OSError:\n"
          "        return False\n"
          "paths = json.load(sys.stdin)\n"
          "print(json.dumps({'exposed': [p for p in paths['hidden'] if reads(p)],\n"
          "                  'missing': [p for p in paths['needed'] if not reads(p)]}))\n")
PROBE_LIMIT = 20_000


def check_uid_level(hidden: Sequence[Path]) -> None:
    """Raise ContainmentError unless a kernel uid can read what a kernel needs and nothing of
    `hidden` (tried for real, as that uid, on every file and folder under them)."""
    import json

    needed = needed_paths()
    paths = {"hidden": [str(p) for p in _entries(hidden, needed)],
             "needed": [str(p) for p in needed]}
    argv = ["setpriv", "--reuid", str(UID_BASE), "--regid", str(UID_BASE), "--clear-groups",
            sys.executable, "-I", "-c", _PROBE]
    done = subprocess.run(argv, input=json.dumps(paths), capture_output=True, text=True,
                          timeout=120, cwd="/")
    if done.returncode != 0:
        raise ContainmentError(f"the 'uid' level's probe failed: {done.stderr[-500:]}")
    found = json.loads(done.stdout)
    problems = []
    if found["exposed"]:
        roots = _roots(found["exposed"])
        problems.append(f"student code could read {len(found['exposed'])} hidden files and "
                        f"folders, e.g. {', '.join(map(str, roots[:4]))}: "
                        f"`chmod o-rwx {' '.join(map(str, roots))}`")
    problems += [f"kernels need {path}, which an unprivileged uid cannot read: make it and "
                 "every folder above it readable by other users (`chmod o+rX`)"
                 for path in found["missing"]]
    if problems:
        raise ContainmentError("the 'uid' containment level is not safe here:\n  "
                               + "\n  ".join(problems)
                               + "\nFix that, or install bubblewrap (`apt-get install bubblewrap`).")


def _entries(hidden: Sequence[Path], needed: Sequence[Path]) -> list[Path]:
    """Every file and folder under `hidden`, except the needed ones (and what they hold)."""
    found: list[Path] = []
    for root in hidden:
        for folder, dirs, files in os.walk(root):
            here = Path(folder)
            dirs[:] = [d for d in dirs if (here / d).resolve() not in needed]
            holds_needed = any(n.is_relative_to(here.resolve()) for n in needed)
            found += [*([] if holds_needed else [here]), *(here / name for name in files)]
            if len(found) > PROBE_LIMIT:
                return found
    return found


def _roots(exposed: Sequence[str]) -> list[Path]:
    """The topmost exposed paths: what to chmod."""
    paths = sorted(Path(p) for p in exposed)
    return [p for p in paths if not any(p != q and p.is_relative_to(q) for q in paths)]
