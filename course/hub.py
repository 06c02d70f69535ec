"""Instructors: a JupyterHub for the course on this machine (`make hub`), set up the way
nbgrader's JupyterHub demos set one up.

Local system users (an instructor and students, made when missing, passwords of the ones made
here in `<root>/passwords`, readable by root only) log in through PAM. Each gets a JupyterLab
started from the course's virtualenv with nbgrader's extensions: the instructor has the
formgrader and the course folder `~/hf-course` (a copy of `autograder/`), students only the
assignment list and Validate. The exchange is a shared folder, the tiny assets a shared
read-only cache. Bound to 127.0.0.1; stopped with Ctrl-C.
"""
from __future__ import annotations

import os
import pwd
import secrets
import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

COURSE_ID = "hf-course"  # autograder/nbgrader_config.py's CourseDirectory.course_id
COURSE_FOLDER = "hf-course"  # the instructor's course, under their home
STUDENT_HIDDEN = ("@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment")


class HubError(Exception):
    """The hub cannot be set up on this machine as asked."""


@dataclass(frozen=True)
class HubLayout:
    """Where the hub keeps what it shares and what only root reads, and the virtualenv `bin`
    its users run (by default this Python's: `make hub` runs the hub from that virtualenv)."""
    root: Path
    bin: Path = Path(sys.executable).parent

    @property
    def exchange(self) -> Path:  # nbgrader's exchange: every user writes, nbgrader sets modes
        return self.root / "exchange"

    @property
    def config(self) -> Path:  # on every user's JUPYTER_CONFIG_PATH
        return self.root / "jupyter"

    @property
    def hub_cache(self) -> Path:  # the tiny assets, read-only for users
        return self.root / "hub-cache"

    @property
    def state(self) -> Path:  # the hub's database, cookie secret and config: root only
        return self.root / "state"

    @property
    def passwords(self) -> Path:
        return self.root / "passwords"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def user_env(user: str, layout: HubLayout) -> dict[str, str]:
    """What every user's server, kernel and nbgrader command sees."""
    home = pwd.getpwnam(user).pw_dir
    return {"HOME": home, "USER": user, "LOGNAME": user, "SHELL": "/bin/bash",
            "PATH": f"{layout.bin}:/usr/local/bin:/usr/bin:/bin",
            "JUPYTER_CONFIG_PATH": str(layout.config), "NBGRADER_EXCHANGE": str(layout.exchange),
            "HF_HUB_CACHE": str(layout.hub_cache), "LANG": "C.UTF-8"}


def run_as(user: str, layout: HubLayout, *command: str, cwd: Path | None = None
           ) -> subprocess.CompletedProcess:
    """Run `command` as `user` in their own environment; raise with its output if it fails."""
    home = Path(pwd.getpwnam(user).pw_dir)
    done = subprocess.run(command, cwd=cwd or home, env=user_env(user, layout), user=user,
                          group=pwd.getpwnam(user).pw_gid, extra_groups=[], capture_output=True,
                          text=True)
    if done.returncode:
        raise HubError(f"`{' '.join(command)}` as {user} failed:\n{done.stdout}{done.stderr}")
    return done


def ensure_user(name: str) -> str | None:
    """Make the system user `name` (home 0700) unless it exists; return its new password."""
    try:
        pwd.getpwnam(name)
        return None
    except KeyError:
        pass
    subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash", name], check=True)
    password = secrets.token_urlsafe(12)
    subprocess.run(["chpasswd"], input=f"{name}:{password}\n", text=True, check=True)
    os.chmod(pwd.getpwnam(name).pw_dir, 0o700)
    return password


def record_passwords(layout: HubLayout, made: dict[str, str]) -> None:
    """Keep the passwords of the users made here (root-only file), the newest per user."""
    known = dict(line.split(":", 1) for line in layout.passwords.read_text().splitlines()
                 if ":" in line) if layout.passwords.exists() else {}
    known.update(made)
    layout.passwords.touch(mode=0o600)
    layout.passwords.write_text("".join(f"{user}:{pw}\n" for user, pw in sorted(known.items())))


def check_reachable(user: str, layout: HubLayout) -> None:
    """The hub's Python and the course it imports must work as `user`, not only as root."""
    try:
        run_as(user, layout, "python", "-c", "import course, nbgrader, jupyterhub")
    except (HubError, PermissionError) as error:
        raise HubError(f"{user} cannot run the course with {layout.bin}/python: every folder above "
                       f"it and above the checkout must let other users in (a checkout under "
                       f"/srv or /opt does).\n{error}") from None


def write_shared_config(layout: HubLayout) -> None:
    """nbgrader's course and exchange for everyone; the formgrader may be framed by JupyterLab."""
    layout.config.mkdir(parents=True, exist_ok=True)
    (layout.config / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        f"c.CourseDirectory.course_id = {COURSE_ID!r}\n"
        f"c.Exchange.root = {str(layout.exchange)!r}\n"
        "c.Exchange.path_includes_course = True\n")
    (layout.config / "jupyter_server_config.py").write_text(
        "c = get_config()\n"
        "c.ServerApp.tornado_settings = {'headers': "
        "{'Content-Security-Policy': \"frame-ancestors 'self'\"}}\n")


def share_assets(layout: HubLayout) -> None:
    """The tiny assets in a cache every user reads: a copy of this machine's, built if missing."""
    from .assets.cache import assets_ready, default_hub_cache, ensure_assets

    if not assets_ready(layout.hub_cache):
        shutil.rmtree(layout.hub_cache, ignore_errors=True)
        if assets_ready(default_hub_cache()):
            shutil.copytree(default_hub_cache(), layout.hub_cache, symlinks=True,
                            ignore=shutil.ignore_patterns("*.lock", ".locks"))
        else:
            ensure_assets(layout.hub_cache)
    subprocess.run(["chmod", "-R", "a+rX", str(layout.hub_cache)], check=True)


def setup_instructor(user: str, layout: HubLayout, autograder: Path) -> Path:
    """The instructor's course folder (a copy of autograder/'s config and sources, kept if it is
    there) and the nbgrader config that points the formgrader at it."""
    home = Path(pwd.getpwnam(user).pw_dir)
    course = home / COURSE_FOLDER
    if not course.exists():
        course.mkdir()
        shutil.copy(autograder / "nbgrader_config.py", course)
        shutil.copytree(autograder / "source", course / "source")
    (home / ".jupyter").mkdir(exist_ok=True)
    (home / ".jupyter" / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        f"c.CourseDirectory.root = {str(course)!r}\n"
        f"load_subconfig({str(course / 'nbgrader_config.py')!r})\n")
    subprocess.run(["chown", "-R", f"{user}:", str(course), str(home / ".jupyter")], check=True)
    return course


def setup_student(user: str, layout: HubLayout) -> None:
    """A student's JupyterLab without the instructor's parts of nbgrader."""
    for extension in STUDENT_HIDDEN:
        run_as(user, layout, "jupyter", "labextension", "disable", "--level=user", extension)
    run_as(user, layout, "jupyter", "server", "extension", "disable",
           "--user", "nbgrader.server_extensions.formgrader")


def hub_config(layout: HubLayout, port: int, proxy: Path, instructor: str,
               students: list[str]) -> str:
    """jupyterhub_config.py: every port on 127.0.0.1, PAM logins, local processes per user."""
    env = {key: value for key, value in user_env(instructor, layout).items()
           if key not in ("HOME", "USER", "LOGNAME", "SHELL")}  # the spawner sets those per user
    return f"""c = get_config()
c.JupyterHub.bind_url = "http://127.0.0.1:{port}"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{free_port()}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{free_port()}"
c.ConfigurableHTTPProxy.command = [{str(proxy)!r}]
c.ConfigurableHTTPProxy.pid_file = {str(layout.state / 'proxy.pid')!r}
c.JupyterHub.db_url = {f'sqlite:///{layout.state}/jupyterhub.sqlite'!r}
c.JupyterHub.cookie_secret_file = {str(layout.state / 'cookie_secret')!r}
c.Authenticator.allowed_users = {set([instructor, *students])!r}
c.Authenticator.admin_users = {{{instructor!r}}}
c.PAMAuthenticator.open_sessions = False
c.Spawner.cmd = [{str(layout.bin / 'jupyterhub-singleuser')!r}]
c.Spawner.default_url = "/lab"
c.Spawner.environment = {env!r}
c.Spawner.http_timeout = 120
c.Spawner.start_timeout = 120
"""


def prepare(layout: HubLayout, port: int, proxy: Path, instructor: str, students: list[str],
            autograder: Path) -> Path:
    """Set everything up (idempotent); return the hub's config file."""
    if os.geteuid() != 0:
        raise HubError("course hub makes system users and starts servers as them: run it as root")
    if not proxy.exists():
        raise HubError(f"no configurable-http-proxy at {proxy} (make hub installs it from npm)")
    layout.root.mkdir(parents=True, exist_ok=True)
    layout.root.chmod(0o755)
    layout.state.mkdir(mode=0o700, exist_ok=True)
    layout.exchange.mkdir(exist_ok=True)
    layout.exchange.chmod(0o777)
    write_shared_config(layout)
    share_assets(layout)
    made = {user: pw for user in [instructor, *students] if (pw := ensure_user(user))}
    record_passwords(layout, made)
    check_reachable(instructor, layout)
    setup_instructor(instructor, layout, autograder)
    for student in students:
        setup_student(student, layout)
    config = layout.state / "jupyterhub_config.py"
    config.write_text(hub_config(layout, port, proxy, instructor, students))
    return config


def serve(layout: HubLayout, config: Path) -> int:
    """Run JupyterHub in the foreground until it is stopped."""
    return subprocess.run([str(layout.bin / "jupyterhub"), "-f", str(config)],
                          cwd=config.parent).returncode
