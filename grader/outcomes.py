"""What every test of a pytest run scored: one TestResult per test, points from its marker.

Used by the grader's session (public and hidden suites against a submission)
and by `python -m grader check` (the public tests against a student's own code).
"""
import ast
import os
import re
import sys
from pathlib import Path

import pytest

from grader.paths import ASSIGNMENTS, MODULES, ROOT
from grader.results import TestResult

MESSAGE_LIMIT = 2000


class SuiteError(Exception):
    """A suite that cannot be scored as written: a file that does not collect, a test without points."""


def _description(item):
    doc = getattr(item.obj, "__doc__", None)
    text = doc.strip().splitlines()[0] if doc and doc.strip() else \
        item.originalname.removeprefix("test_").replace("_", " ")
    callspec = getattr(item, "callspec", None)
    return f"{text} [{callspec.id}]" if callspec else text


def _message(report):
    crash = getattr(report.longrepr, "reprcrash", None)
    if crash is not None and crash.message:
        text = crash.message.removeprefix("Failed: ")
    elif isinstance(report.longrepr, tuple):  # a skip: (file, line, reason)
        text = report.longrepr[2]
    else:
        text = str(report.longrepr)
    return text if len(text) <= MESSAGE_LIMIT else text[:MESSAGE_LIMIT] + " [...]"


def _collection_error(report):
    """'tests/hidden/test_x.py: SyntaxError: invalid syntax (line 120)' for a suite file that pytest
    could not collect (a file outside pytest's rootdir is named by its path)."""
    lines = [line[1:].strip() for line in str(report.longrepr).splitlines() if line.startswith("E ")]
    where = re.search(r'File "([^"]+)", line (\d+)', " ".join(lines))
    name = report.nodeid or (where.group(1) if where else "the suites")
    if not lines:
        return f"{name}: could not be collected"
    return f"{name}: {lines[-1]}" + (f" (line {where.group(2)})" if where else "")


class Recorder:
    """A pytest plugin that keeps a TestResult per test. A test under a folder named
    `hidden` belongs to the hidden suite; its file test_<module>.py names its assignment."""

    def __init__(self):
        self.items = {}
        self.results = {}
        self.errors = []  # "path: why", for a suite file that pytest could not collect

    def pytest_collectreport(self, report):
        if report.failed:
            self.errors.append(_collection_error(report))

    def pytest_collection_modifyitems(self, items):
        for item in items:
            self.items[item.nodeid] = item
            if item.get_closest_marker("points") is None:
                self.errors.append(f"{item.nodeid}: no @pytest.mark.points(n): how many points is it worth?")
        if self.errors:
            items[:] = []  # a suite with an error is not run at all, not scored in part

    def pytest_runtest_logreport(self, report):
        item = self.items.get(report.nodeid)
        if item is None:
            return
        result = self.results.get(report.nodeid)
        if result is None:
            points = float(item.get_closest_marker("points").args[0])
            path = Path(str(item.path))
            result = TestResult(
                nodeid=report.nodeid, assignment=path.stem.removeprefix("test_"),
                suite="hidden" if path.parent.name == "hidden" else "public", name=item.name,
                description=_description(item), max_score=points, score=0.0, message="")
            self.results[report.nodeid] = result
        if report.when == "call" and report.passed:  # a test that never got to pass scores nothing
            result.score = result.max_score
        if report.failed or report.skipped:  # a skip, in setup or in the test's body, earns nothing
            result.score = 0.0
            result.message = result.message or _message(report)


def run_quietly(files, plugins=()):
    """Run pytest on `files` in this process, printing nothing; the TestResults in order.
    Raises SuiteError, naming the first problem, when a suite cannot be scored as written."""
    recorder = Recorder()
    # No configuration but ours: an addopts of the instructor's (-x, -k) must not change a score.
    os.environ.pop("PYTEST_ADDOPTS", None)
    args = [*files, "-c", os.devnull, "--rootdir", str(ROOT), "-q", "-p", "no:cacheprovider",
            "--import-mode=importlib", "-o", "timeout=0", "--no-header", "--tb=no", "-p", "no:randomly",
            # its gc.collect() calls cost ~45 ms a run (a submission), for warnings about objects'
            # finalizers that raised, which change no score
            "-p", "no:unraisableexception"]
    with open(os.devnull, "w") as quiet:
        stdout, sys.stdout = sys.stdout, quiet
        try:
            code = pytest.main(args, plugins=[*plugins, recorder])
        finally:
            sys.stdout = stdout
    if recorder.errors:
        raise SuiteError(recorder.errors[0])
    if code in (pytest.ExitCode.INTERNAL_ERROR, pytest.ExitCode.USAGE_ERROR, pytest.ExitCode.NO_TESTS_COLLECTED):
        raise SuiteError(f"pytest stopped before scoring anything: {code.name}")
    return note_knock_on_failures(list(recorder.results.values()))


def course_imports(folder=ASSIGNMENTS, modules=MODULES):
    """({module: [(other module, function), ...]}, {module: its function names}), read from the
    modules' files in `folder` (the stubs keep their imports), never by importing them. A file that
    is missing or does not parse (a student's own, under `grader check`) imports nothing."""
    imports, functions = {}, {}
    for module in modules:
        try:
            tree = ast.parse((Path(folder) / f"{module}.py").read_bytes())
        except (OSError, SyntaxError, ValueError):
            tree = ast.Module(body=[], type_ignores=[])
        imports[module] = [(node.module, alias.name) for node in ast.walk(tree)
                           if isinstance(node, ast.ImportFrom) and node.module in modules for alias in node.names]
        functions[module] = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    return imports, functions


def _about(test_name, functions):
    """The functions a test is about, by its name: test_step_at_zero is about step,
    test_returns_floats[relu_derivative] about relu_derivative and not relu."""
    names = "|".join(sorted(map(re.escape, functions), key=len, reverse=True))
    return set(re.findall(rf"(?<![A-Za-z0-9])({names})(?![A-Za-z0-9])", test_name)) if names else set()


def note_knock_on_failures(results, folder=ASSIGNMENTS):
    """Open the message of every failing test of a module that uses a failing function of another with
    'perceptron uses your activations.step, which fails 3 of its tests: fix it first.'"""
    imports, functions = course_imports(folder)
    for module, imported in imports.items():
        notes = []
        for other, function in imported:
            failing = sum(1 for r in results if r.assignment == other and r.failed
                          and function in _about(r.name, functions[other]))
            if failing:
                notes.append(f"{module} uses your {other}.{function}, which fails {failing} of its tests: "
                             f"fix it first.")
        for result in results:
            # a message about the module's own file (not found, not importable) is not a knock-on
            if notes and result.assignment == module and result.failed \
                    and f"{module}.py" not in result.message:
                result.message = "\n".join([*notes, result.message])
    return results
