"""python -m grader build [--check] | grade SUBMISSIONS --out OUT ..."""
import argparse
import sys


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m grader", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="write assignments/ stubs from solutions/")
    build.add_argument("--check", action="store_true", help="exit 1 when assignments/ is out of date")
    args = parser.parse_args(argv)
    if args.command == "build":
        from grader.build import build as run_build
        return run_build(check=args.check)
    return 2


if __name__ == "__main__":
    sys.exit(main())
