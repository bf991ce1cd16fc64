"""What every test of a pytest run scored: one TestResult per test, points from its marker.

Used by the grader's session (public and hidden suites against a submission)
and by `python -m grader check` (the public tests against a student's own code).
"""
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

MESSAGE_LIMIT = 2000


class SuiteError(Exception):
    """A suite that cannot be scored as written: a file that does not collect, a test without points."""


@dataclass
class TestResult:
    nodeid: str
    assignment: str
    suite: str  # "public" or "hidden"
    name: str
    description: str
    max_score: float
    score: float
    message: str
    duration: float


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


class Recorder:
    """A pytest plugin that keeps a TestResult per test. A test under a folder named
    `hidden` belongs to the hidden suite; its file test_<module>.py names its assignment."""

    def __init__(self):
        self.items = {}
        self.results = {}
        self.errors = []

    def pytest_collectreport(self, report):
        if report.failed:
            self.errors.append(f"{report.nodeid}: {_message(report).strip().splitlines()[-1]}")

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
                description=_description(item), max_score=points, score=points, message="",
                duration=0.0)
            self.results[report.nodeid] = result
        result.duration += report.duration
        if report.failed or report.skipped:  # a skip, in setup or in the test's body, earns nothing
            result.score = 0.0
            result.message = result.message or _message(report)


def run_quietly(files, plugins=()):
    """Run pytest on `files` in this process, printing nothing; the TestResults in order.
    Raises SuiteError, naming the first problem, when a suite cannot be scored as written."""
    recorder = Recorder()
    args = [*files, "-q", "-p", "no:cacheprovider", "--import-mode=importlib", "-o", "timeout=0",
            "--no-header", "--tb=no", "-p", "no:randomly"]
    with open(os.devnull, "w") as quiet:
        stdout, sys.stdout = sys.stdout, quiet
        try:
            pytest.main(args, plugins=[*plugins, recorder])
        finally:
            sys.stdout = stdout
    if recorder.errors:
        raise SuiteError(recorder.errors[0])
    return list(recorder.results.values())
