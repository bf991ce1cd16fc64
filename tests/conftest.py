import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader import grade, sandbox
from grader.build import without_markers
from grader.notebooks import build_notebook, notebook_text
from grader.paths import ASSIGNMENTS, MODULES, ROOT, SOLUTIONS
from grader.results import TestResult

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


def solution_notebook(module):
    """The text of `module`'s notebook with the reference solution in its cells."""
    return notebook_text(build_notebook(module, without_markers((SOLUTIONS / f"{module}.py").read_text())))


def grade_folder(submissions, out, **options):
    """Grade a folder in-process (each submission still runs in its own session and
    sandbox); returns ({student: SubmissionResult}, failures)."""
    limits = sandbox.Limits(**options.pop("limits", {}))
    results, failures = grade.run(grade.Options(submissions=Path(submissions), out=Path(out), workers=2,
                                                limits=limits, **options))
    return {r.student: r for r in results}, failures


def made_test(nodeid="test_activations.py::t", **fields):
    """A TestResult made up for a test of what is drawn from results: one failed public test of
    activations worth a point, unless `fields` say otherwise."""
    return TestResult(**{"nodeid": nodeid, "assignment": "activations", "suite": "public", "name": nodeid,
                         "description": nodeid, "max_score": 1.0, "score": 0.0, "message": "", **fields})


def processes_naming(folder):
    """The command lines of running processes that name `folder`: the run's sessions,
    workers and bwraps, and whatever a worker forked, all name the scratch folder."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if str(folder).encode() in cmdline:
            found.append(cmdline.replace(b"\0", b" ").decode(errors="replace"))
    return found


def gradebook(out):
    """OUT/grades.csv as {student: {column: cell}}."""
    with (Path(out) / "grades.csv").open(newline="", encoding="utf-8") as stream:
        return {row["student"]: row for row in csv.DictReader(stream)}


def run_python(*args, cwd=ROOT):
    """`python ARGS` in a fresh process; pytest's summary lines whole, not cut to 80 columns."""
    return subprocess.run([sys.executable, *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=600,
                          env=dict(os.environ, COLUMNS="400"))


def grader_without(module, args, tmp_path):
    """`python -m grader ARGS` with `module` made unimportable. Its stdout ends with the
    line `IMPORTED [...]`: the modules of Dask that the run imported."""
    hide = tmp_path / "hide"
    hide.mkdir(exist_ok=True)
    (hide / f"{module}.py").write_text("raise ImportError('hidden for this test')\n")
    code = ("import sys; sys.path.insert(0, sys.argv[1]); from grader.__main__ import main; code = main(sys.argv[2:]); "
            "print('IMPORTED', sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed'))); "
            "sys.exit(code)")
    return run_python("-c", code, hide, *args)
