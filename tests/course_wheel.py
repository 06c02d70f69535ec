"""The course as users install it: its wheel, built from a copy of the package (no build/ left
in the checkout), and the site-packages folder of another Python."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def build_course_wheel(folder: Path) -> Path:
    """Build the course's wheel into `folder` (it must exist); its path."""
    source = folder / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "course", source / "course",
                    ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(folder), str(source)], check=True, timeout=300)
    shutil.rmtree(source)
    [wheel] = folder.glob("hf_course-*.whl")
    return wheel


def purelib(python: Path) -> Path:
    """The site-packages folder of the interpreter `python`."""
    return Path(subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True, text=True, check=True).stdout.strip())
