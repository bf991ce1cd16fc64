"""python -m grader build [--check] | check [MODULE] | plot | release DEST | grade SUBMISSIONS --out OUT ...
| gradescope DEST"""
import argparse
import os
import sys

from grader.check import add_student_commands, run_student_command
from grader.reports import VISIBILITIES
from grader.sandbox import MODES, Limits


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m grader", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="write assignments/ stubs from solutions/")
    build.add_argument("--check", action="store_true", help="exit 1 when assignments/ is out of date")
    add_student_commands(commands)
    release = commands.add_parser("release", help="write the student copy of the course")
    release.add_argument("destination", help="an empty or new folder")
    grade = commands.add_parser("grade", help="grade a folder of submissions")
    grade.add_argument("submissions", help="folder or .zip with one folder or .zip per student, or a Moodle "
                                           "or Canvas download of all submissions")
    grade.add_argument("--layout", choices=("auto", "folders", "moodle", "canvas"), default="auto",
                       help="how SUBMISSIONS is laid out (default: told from its names)")
    grade.add_argument("--out", required=True, help="where grades.csv and per-student results go")
    grade.add_argument("--workers", type=_positive(int), default=os.cpu_count() or 1,
                       help="submissions graded at once (default: the CPU count)")
    grade.add_argument("--timeout", type=_positive(float), default=Limits.call_seconds,
                       help="seconds one call into a submission may take (default: %(default)s)")
    grade.add_argument("--submission-timeout", type=_positive(float), default=Limits.submission_seconds,
                       help="seconds all of one submission's calls may take (default: %(default)s)")
    grade.add_argument("--only", nargs="+", metavar="STUDENT", help="grade only these students")
    grade.add_argument("--force", action="store_true", help="regrade submissions that are unchanged")
    grade.add_argument("--sandbox", choices=MODES, default="auto",
                       help="how student code is isolated: bwrap, user (as root: an unprivileged account), "
                            "none; auto takes the first that works here (default)")
    grade.add_argument("--sandbox-user", metavar="NAME", default=Limits.account,
                       help="the account --sandbox user runs student code as (default: %(default)s, uid 65534)")
    grade.add_argument("--scheduler", metavar="ADDRESS",
                       help="grade on a Dask cluster, e.g. tcp://HOST:8786 (needs the dask extra)")
    grade.add_argument("--reveal-hidden", action="store_true",
                       help="show hidden tests' inputs and expected values in the feedback")
    gradescope = commands.add_parser("gradescope", help="write DEST/autograder.zip, a Gradescope autograder")
    gradescope.add_argument("destination", help="the folder to write autograder.zip to")
    gradescope.add_argument("--hidden-visibility", choices=VISIBILITIES, default="after_published",
                            help="when students see the hidden tests' results on Gradescope (default: %(default)s)")
    args = parser.parse_args(argv)
    if args.command == "build":
        from grader.build import build as run_build
        return run_build(check=args.check)
    if args.command in ("check", "plot"):
        return run_student_command(args)
    if args.command == "release":
        from grader.release import release as run_release
        return run_release(args.destination)
    if args.command == "gradescope":
        from grader.gradescope import write_zip
        return write_zip(args.destination, args.hidden_visibility)
    from grader.grade import main as run_grade
    return run_grade(args)


def _positive(kind):
    def parse(text):
        value = kind(text)
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be positive, got {text}")
        return value
    return parse


if __name__ == "__main__":
    sys.exit(main())
