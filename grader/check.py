"""python -m grader check [MODULE]: the public tests on your own code, as points.

The student's counterpart of the grader: it runs assignments/test_<module>.py
on the modules in assignments/ (in this process, as `pytest assignments/`
does), prints the points per assignment and the first failure to look at.
"""
from grader.paths import ASSIGNMENTS, MODULES


def _points(value):
    return f"{value:g}"


def report(results, modules):
    """The text `check` prints, from the TestResults of the public tests."""
    lines = ["Public tests on your code in assignments/:", ""]
    first_failure = None
    for module in modules:
        tests = [r for r in results if r.assignment == module]
        points, most = sum(t.score for t in tests), sum(t.max_score for t in tests)
        failing = [t for t in tests if t.score < t.max_score]
        state = "public tests passed" if not failing else f"{len(failing)} of {len(tests)} public tests failing"
        lines.append(f"  {module:<18}{_points(points):>4} / {_points(most):<4} {state}")
        first_failure = first_failure or (failing[0] if failing else None)
    lines.append("")
    if first_failure is None:
        lines.append("Every public test passed. The grader also runs hidden tests on the same functions "
                     "(other shapes, edge cases, exact training runs), so this is a good sign, not a final score.")
    else:
        message = "\n".join("    " + line for line in first_failure.message.splitlines())
        lines += [f"Look next at {first_failure.assignment}: {first_failure.description}", message, "",
                  f"See every failure with: pytest assignments/test_{first_failure.assignment}.py",
                  "The grader also runs hidden tests on the same functions, beyond these public ones."]
    return "\n".join(lines)


def main(module=None):
    from grader import outcomes  # imports pytest: not on the path of the other commands

    modules = [module] if module else list(MODULES)
    results, broken = outcomes.run_quietly([str(ASSIGNMENTS / f"test_{m}.py") for m in modules])
    for line in broken:
        print(f"could not run the tests in {line}")
    print(report(results, modules))
    return 0 if all(r.score >= r.max_score for r in results) and results and not broken else 1


def add_student_commands(commands):
    """The subcommands students have (here and in the release bundle): check and plot."""
    check = commands.add_parser("check", help="run the public tests on your code in assignments/")
    check.add_argument("module", nargs="?", choices=MODULES, help="only this assignment")
    plot = commands.add_parser("plot", help="draw decision boundaries and loss curves from your code")
    plot.add_argument("--out", default="plots", help="folder for the PNG files (default: plots)")


def run_student_command(args):
    if args.command == "check":
        return main(args.module)
    from grader.plots import student_main
    return student_main(args.out)
