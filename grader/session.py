"""Run the public and hidden suites against one submission (one process per submission).

    python -m grader.session SUBMISSION_DIR RESULT_JSON [--sandbox bwrap|none] [--timeout S] ...

This process is trusted: it imports the tests and the reference solutions,
never the submission, which it reaches only through a worker (remote.py).
It writes what every test scored to RESULT_JSON.
"""
import argparse
import json
import os
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import pytest

from grader import remote, sandbox
from grader.paths import ASSIGNMENTS, HIDDEN, MODULES

sys.path.insert(0, str(ASSIGNMENTS))
from harness import PROVIDER_PLUGIN  # noqa: E402  (the name the public tests look up)

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


def suite_files(modules=MODULES):
    return [str(folder / f"test_{m}.py") for m in modules for folder in (ASSIGNMENTS, HIDDEN)]


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


class Recorder:
    """Collects one TestResult per test, points from the @pytest.mark.points marker."""

    def __init__(self):
        self.items = {}
        self.results = {}

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
                suite="hidden" if path.parent == HIDDEN else "public", name=item.name,
                description=_description(item), max_score=points, score=points, message="",
                duration=0.0)
            self.results[report.nodeid] = result
        result.duration += report.duration
        if report.failed or (report.skipped and report.when == "setup"):
            result.score = 0.0
            result.message = result.message or _message(report)


def run_suites(provider, modules=MODULES, extra_args=()):
    """Run the suites with `provider` handing out the modules; the TestResults in order."""
    recorder = Recorder()

    class Register:
        def pytest_configure(self, config):
            config.pluginmanager.register(provider, PROVIDER_PLUGIN)

    args = [*suite_files(modules), "-q", "-p", "no:cacheprovider", "--import-mode=importlib",
            "-o", "timeout=0", "--no-header", "--tb=no", "-p", "no:randomly", *extra_args]
    with open(os.devnull, "w") as quiet:
        stdout, sys.stdout = sys.stdout, quiet
        try:
            pytest.main(args, plugins=[Register(), recorder])
        finally:
            sys.stdout = stdout
    return list(recorder.results.values())


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("submission")
    parser.add_argument("result")
    parser.add_argument("--sandbox", default="auto", choices=("auto", "bwrap", "none"))
    parser.add_argument("--timeout", type=float, default=sandbox.Limits.call_seconds)
    parser.add_argument("--submission-timeout", type=float, default=sandbox.Limits.submission_seconds)
    args = parser.parse_args(argv)
    limits = sandbox.Limits(call_seconds=args.timeout, submission_seconds=args.submission_timeout)
    started = time.monotonic()
    submission = remote.Submission(os.path.abspath(args.submission), sandbox.choose(args.sandbox), limits)
    try:
        results = run_suites(remote.Provider(submission))
    finally:
        submission.close()
    record = {"tests": [asdict(r) for r in results], "output": submission.output.text(),
              "sandbox": submission.mode, "seccomp": submission.seccomp,
              "restarts": submission.restarts, "execution_time": time.monotonic() - started}
    Path(args.result).write_text(json.dumps(record))
    return 0


if __name__ == "__main__":
    sys.exit(main())
