"""What every test of a pytest run scored: one TestResult per test, points from its marker.

Used by the grader's session (public and hidden suites against a submission)
and by `python -m grader check` (the public tests against a student's own code).
"""
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

MESSAGE_LIMIT = 2000


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
    else:
        text = str(report.longrepr)
    return text if len(text) <= MESSAGE_LIMIT else text[:MESSAGE_LIMIT] + " [...]"


def _collection_error(report):
    """The error pytest met collecting a suite file: 'SyntaxError: invalid syntax (line 120)'."""
    lines = [line[1:].strip() for line in str(report.longrepr).splitlines() if line.startswith("E ")]
    if not lines:
        return "could not be collected"
    where = re.search(r', line (\d+)', " ".join(lines))
    return lines[-1] + (f" (line {where.group(1)})" if where else "")


class Recorder:
    """A pytest plugin that keeps a TestResult per test. A test under a folder named
    `hidden` belongs to the hidden suite; its file test_<module>.py names its assignment."""

    def __init__(self):
        self.items = {}
        self.results = {}
        self.collection_errors = []  # "path: why", for a suite file that pytest could not collect

    def pytest_collectreport(self, report):
        if report.failed:
            self.collection_errors.append(f"{report.nodeid or 'the suites'}: {_collection_error(report)}")

    def pytest_collection_modifyitems(self, items):
        for item in items:
            self.items[item.nodeid] = item

    def pytest_runtest_logreport(self, report):
        item = self.items.get(report.nodeid)
        if item is None:
            return
        result = self.results.get(report.nodeid)
        if result is None:
            marker = item.get_closest_marker("points")
            points = float(marker.args[0]) if marker else 1.0
            path = Path(str(item.path))
            result = TestResult(
                nodeid=report.nodeid, assignment=path.stem.removeprefix("test_"),
                suite="hidden" if path.parent.name == "hidden" else "public", name=item.name,
                description=_description(item), max_score=points, score=0.0, message="",
                duration=0.0)
            self.results[report.nodeid] = result
        result.duration += report.duration
        if report.when == "call" and report.passed:  # a test that never got to pass scores nothing
            result.score = result.max_score
        if report.failed or (report.skipped and report.when == "setup"):
            result.score = 0.0
            result.message = result.message or _message(report)


def run_quietly(files, plugins=()):
    """Run pytest on `files` in this process, printing nothing; (TestResults in order,
    one line per suite file that could not be collected)."""
    recorder = Recorder()
    args = [*files, "-q", "-p", "no:cacheprovider", "--import-mode=importlib", "-o", "timeout=0",
            "--no-header", "--tb=no", "-p", "no:randomly"]
    with open(os.devnull, "w") as quiet:
        stdout, sys.stdout = sys.stdout, quiet
        try:
            pytest.main(args, plugins=[*plugins, recorder])
        finally:
            sys.stdout = stdout
    return list(recorder.results.values()), recorder.collection_errors
