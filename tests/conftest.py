import shutil
from pathlib import Path

import pytest

from grader import grade, sandbox
from grader.paths import ASSIGNMENTS, MODULES, SOLUTIONS

# The hidden suites run against submissions through the grader, not directly.
collect_ignore = ["hidden"]


def copy_modules(source, destination):
    destination.mkdir(parents=True)
    for name in MODULES:
        shutil.copy(Path(source) / f"{name}.py", destination)
    return destination


@pytest.fixture(scope="session")
def solution_copy():
    """Makes a submission folder from the reference solutions: solution_copy(folder)."""
    return lambda destination: copy_modules(SOLUTIONS, destination)


@pytest.fixture(scope="session")
def stub_copy():
    return lambda destination: copy_modules(ASSIGNMENTS, destination)


def grade_folder(submissions, out, **options):
    """Grade a folder in-process (each submission still runs in its own session and
    sandbox); returns ({student: record}, failures)."""
    limits = sandbox.Limits(**options.pop("limits", {}))
    records, failures = grade.run(grade.Options(submissions=Path(submissions), out=Path(out), workers=2,
                                                limits=limits, **options))
    return {r["student"]: r for r in records}, failures
