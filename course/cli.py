"""`python -m course` (or `course`): build assets and notebooks, grade a class, run its hub."""
from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path


def _assets(args: argparse.Namespace) -> int:
    from .assets.cache import ensure_assets

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    ensure_assets(force=args.force)
    return 0


def _build(args: argparse.Namespace) -> int:
    from .build.notebooks import build

    stale = build(check=args.check)
    if args.check and stale:
        print("Stale generated files (run `python -m course build`):", *stale, sep="\n  ")
        return 1
    return 0


def _grade(args: argparse.Namespace) -> int:
    from .grading.batch import grade_class, summarize
    from .grading.station import GradingOptions
    from .grading.gradebook import GradebookError
    from .grading.intake import IntakeError
    from .grading.sandbox import ContainmentError
    from .grading.template import TemplateError
    from .grading.warm_kernels import ZygoteFailed

    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(levelname)s %(name)s: %(message)s")
    if args.course is None:
        print("course grade: no course folder: pass --course DIR (the folder with "
              "nbgrader_config.py and source/)", file=sys.stderr)
        return 2
    options = GradingOptions(workers=args.workers, cell_timeout=args.cell_timeout,
                             submission_timeout=args.timeout,
                             memory_bytes=int(args.memory * 2**30), gradebook=args.gradebook,
                             containment=args.containment, allow_unsafe=args.allow_unsafe_grading,
                             scheduler=args.scheduler, warm_kernels=not args.cold_kernels)
    try:
        results = grade_class(args.submissions, args.course, out_csv=args.out,
                              feedback_dir=args.feedback, options=options)
    except (IntakeError, TemplateError, GradebookError, ContainmentError, ZygoteFailed,
            OSError) as error:
        print(f"course grade: {error}", file=sys.stderr)
        return 2
    print(summarize(results))
    return 0


def default_course() -> Path | None:
    """The course folder to grade against: the checkout's autograder/, else the current folder
    if it is an nbgrader course."""
    from .checkout import find_checkout

    root = find_checkout()
    if root is not None:
        return root / "autograder"
    return Path.cwd() if (Path.cwd() / "nbgrader_config.py").is_file() else None


def _add_grade(commands: argparse._SubParsersAction) -> None:
    grade = commands.add_parser(
        "grade", help="grade a class: nbgrader autograde in parallel, contained, with a CSV",
        description="Grade every submission (DIR/<student>/<assignment>/<notebook>.ipynb, or an "
                    "LMS zip) with nbgrader in parallel workers. Each gets a status: graded, "
                    "timeout, tampered, invalid or crashed. Exits non-zero only when the batch "
                    "itself cannot run.")
    grade.add_argument("submissions", type=Path, help="submitted/ folder or a zip of notebooks")
    grade.add_argument("--course", type=Path, default=default_course(),
                       help="the nbgrader course folder (default: %(default)s)")
    grade.add_argument("--out", type=Path, default=Path("grades.csv"), help="CSV to write")
    grade.add_argument("--feedback", type=Path, default=Path("feedback"),
                       help="folder for feedback HTML (<student>/<assignment>/<notebook>.html)")
    grade.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                       help="parallel workers (default: the number of cores, %(default)s)")
    grade.add_argument("--cell-timeout", type=int, default=300, help="seconds per cell")
    grade.add_argument("--timeout", type=int, default=1800, help="seconds per notebook in all")
    grade.add_argument("--memory", type=float, default=8, help="GiB of address space per kernel")
    grade.add_argument("--gradebook", action="store_true",
                       help="also record scored submissions in the course's gradebook.db and "
                            "autograded/ (for the formgrader, manual grading and nbgrader export)")
    grade.add_argument("--containment", choices=["bwrap", "uid", "unshare", "rlimits"],
                       help="how to contain student code (default: the strongest that works)")
    grade.add_argument("--allow-unsafe-grading", action="store_true",
                       help="grade even at a level where student code can read the hidden tests "
                            "and write the gradebook (unshare, rlimits); recorded in the CSV")
    grade.add_argument("--scheduler", metavar="ADDRESS",
                       help="a Dask scheduler (tcp://HOST:8786): its workers grade, each with "
                            "its own contained kernels (pip install distributed)")
    grade.add_argument("--cold-kernels", action="store_true",
                       help="start every kernel afresh instead of forking it from a warm parent "
                            "that has imported the libraries (slower; the same grades)")
    grade.add_argument("-v", "--verbose", action="store_true", help="show the debug log")
    grade.set_defaults(run=_grade)


def _hub(args: argparse.Namespace) -> int:
    from .hub import HubError, HubLayout, prepare, serve

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    layout = HubLayout(args.root)
    try:
        config = prepare(layout, args.port, args.proxy, args.instructor, args.students,
                         args.autograder)
    except HubError as error:
        print(f"course hub: {error}", file=sys.stderr)
        return 2
    print(f"JupyterHub for {args.instructor} and {', '.join(args.students)} at "
          f"http://127.0.0.1:{args.port}/ (passwords of the users made here: {layout.passwords})",
          flush=True)
    return serve(layout, config)


def _add_hub(commands: argparse._SubParsersAction) -> None:
    from .checkout import find_checkout

    checkout = find_checkout()
    hub = commands.add_parser(
        "hub", help="run a JupyterHub for the class on this machine (as root)",
        description="Make the instructor and student system users where missing, the shared "
                    "exchange and asset cache, the instructor's course folder, and run JupyterHub "
                    "on 127.0.0.1 with PAM logins until stopped.")
    hub.add_argument("--root", type=Path, default=Path("/srv/hf-course-hub"),
                     help="the hub's folder: exchange, shared cache, state (default: %(default)s)")
    hub.add_argument("--port", type=int, default=8000, help="the port on 127.0.0.1")
    hub.add_argument("--proxy", type=Path, required=checkout is None,
                     default=checkout and checkout / ".hub-node/node_modules/.bin/configurable-http-proxy",
                     help="configurable-http-proxy (default: the one make hub installs)")
    hub.add_argument("--autograder", type=Path, required=checkout is None,
                     default=checkout and checkout / "autograder",
                     help="the nbgrader course to copy for the instructor (default: %(default)s)")
    hub.add_argument("--instructor", default="instructor")
    hub.add_argument("--students", nargs="+", default=["student1", "student2"])
    hub.set_defaults(run=_hub)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="course", description=__doc__)
    commands = top.add_subparsers(dest="command", required=True)
    assets = commands.add_parser("assets", help="build the tiny profile's models and data")
    assets.add_argument("--force", action="store_true", help="rebuild even if current")
    assets.set_defaults(run=_assets)
    build = commands.add_parser("build", help="generate notebooks/ and solutions/ "
                                              "from autograder/source")
    build.add_argument("--check", action="store_true",
                       help="write nothing; exit 1 if a generated file is stale")
    build.set_defaults(run=_build)
    _add_grade(commands)
    _add_hub(commands)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
