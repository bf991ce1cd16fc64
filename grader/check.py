"""python -m grader check [MODULE]: the public tests on your own code, as points.

The student's counterpart of the grader: it runs assignments/test_<module>.py
on the modules in assignments/ (as `pytest assignments/` does), prints the
points per assignment and the first failure to look at. Where <module>.py is
missing or still the untouched stub, the module is read from
assignments/notebooks/<module>.ipynb, as grading does, and check says so. The
tests run in a child process (python -m grader.check RESULT MODULE...), so that code which
ends the process (os._exit) or stops pytest (KeyboardInterrupt, pytest.exit)
is reported as such, never as a run in which every test passed.
"""
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from grader.paths import ASSIGNMENTS, MODULES
from grader.results import SubmissionResult


def _points(value):
    return f"{value:g}"


def use_notebooks():
    """Make `import perceptron` (the tests', and your modules' own) read the perceptron notebook
    where perceptron.py is missing or the untouched stub, as grading does (assignments/nbsupport.py
    says how); returns {module: which file is read and why} for those modules."""
    if str(ASSIGNMENTS) not in sys.path:
        sys.path.insert(0, str(ASSIGNMENTS))
    import nbsupport

    nbsupport.use_notebooks()
    return nbsupport.files_in_use(MODULES)


def report(result, modules, notebooks=None):
    """The text `check` prints, from the SubmissionResult of the public tests (its `stopped` says why
    the run ended before every test ran, if it did); `notebooks` as use_notebooks returns it."""
    notebooks = {m: line for m, line in (notebooks or {}).items() if m in modules}
    lines = ["Public tests on your code in assignments/:", *(f"  {line}" for line in notebooks.values()), ""]
    first_failure = None
    scores = result.scores()
    for module in modules:
        tests = [t for t in result.tests if t.assignment == module]
        failing = [t for t in tests if t.failed]
        state = ("not run" if not tests else "public tests passed" if not failing
                 else f"{len(failing)} of {len(tests)} public tests failing")
        lines.append(f"  {module:<18}{_points(scores[module].points):>4} / {_points(scores[module].max_points):<4} "
                     f"{state}")
        first_failure = first_failure or (failing[0] if failing else None)
    lines.append("")
    if result.stopped:
        lines += [f"The public tests did not all run: {result.stopped}.",
                  "The points above count only the tests that ran. See where it stopped with: pytest assignments/"]
    elif first_failure is None:
        lines.append("Every public test passed. The grader also runs hidden tests on the same functions "
                     "(other shapes, edge cases, exact training runs), so this is a good sign, not a final score.")
    else:
        message = "\n".join("    " + line for line in first_failure.message.splitlines())
        module = first_failure.assignment
        where = f"the last cell of assignments/notebooks/{module}.ipynb" if module in notebooks \
            else f"pytest assignments/test_{module}.py"
        lines += [f"Look next at {module}: {first_failure.description}", message, "",
                  f"See every failure with: {where}",
                  "The grader also runs hidden tests on the same functions, beyond these public ones."]
    return "\n".join(lines)


class Watch:
    """A pytest plugin that notes which tests were collected and what stopped the run early."""

    def __init__(self):
        self.collected, self.running, self.stopped = [], None, None

    def pytest_collection_modifyitems(self, items):
        self.collected = [item.nodeid for item in items]

    def pytest_runtest_logstart(self, nodeid):
        self.running = nodeid

    def pytest_keyboard_interrupt(self, excinfo):
        reason = f" ({excinfo.value})" if str(excinfo.value) else ""
        self.stopped = f"{excinfo.typename}{reason} in {self.running or 'collection'}"


def run_tests(result, modules):
    """In the child: run the public tests and write what they scored to `result`, as JSON."""
    from grader import outcomes  # imports pytest: not on the path of the other commands

    use_notebooks()
    watch = Watch()
    try:
        results, broken = outcomes.run_quietly([str(ASSIGNMENTS / f"test_{m}.py") for m in modules],
                                               plugins=[watch]), []
    except outcomes.SuiteError as error:  # e.g. a public test file the student broke
        results, broken = [], [str(error)]
    not_run = len(set(watch.collected) - {r.nodeid for r in results})
    stopped = watch.stopped or (f"{not_run} of {len(watch.collected)} tests never started" if not_run else "")
    Path(result).write_text(SubmissionResult(tests=results, stopped=stopped, grader_errors=broken).to_json())


def _ended(code):
    if code < 0:
        try:
            return f"was killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"was killed by signal {-code}"
    return f"exited with code {code}"


def main(module=None):
    modules = [module] if module else list(MODULES)
    with tempfile.TemporaryDirectory(prefix="nn-check-") as scratch:
        result = Path(scratch) / "result.json"
        try:
            code = subprocess.run([sys.executable, "-m", "grader.check", str(result), *modules]).returncode
        except KeyboardInterrupt:
            print("check: interrupted", file=sys.stderr)
            return 130
        if not result.exists():
            print(f"The public tests did not finish: the process running them {_ended(code)} before it could "
                  "report (does your code call os._exit(), or end the process some other way?).\n"
                  "See where with: pytest assignments/")
            return 1
        checked = SubmissionResult.from_json(result.read_text())
    for line in checked.grader_errors:
        print(f"could not run the tests in {line}")
    print(report(checked, modules, use_notebooks()))
    passed = checked.tests and not checked.stopped and not checked.grader_errors and checked.total().full
    return 0 if passed else 1


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


if __name__ == "__main__":
    run_tests(sys.argv[1], sys.argv[2:])
