"""`python -m course` (or `course`): build assets and notebooks from the command line."""
from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def _assets(args: argparse.Namespace) -> int:
    from .assets.build import ensure_assets

    ensure_assets(force=args.force)
    return 0


def _build(args: argparse.Namespace) -> int:
    from .notebook_build import build

    stale = build(check=args.check)
    if args.check and stale:
        print("Stale generated files (run `python -m course build`):", *stale, sep="\n  ")
        return 1
    return 0


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
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
