"""Run the public and hidden suites against submissions, one after another.

    python -m grader.session

Reads one job per line on stdin, as JSON: {"submission": DIR, "result": PATH,
"sandbox": "bwrap" | "user" | "none", "limits": {sandbox.Limits' fields},
"spare": whether another job is expected (optional, true)}. For each it
writes what every test scored to PATH, then the line "done" on stdout. Its
imports (pytest, numpy, the suites, the reference) are paid once for all the
submissions it grades (runner.py keeps it running), while every submission
gets a worker process of its own. The next submission's worker starts while
the session waits for its job, as a spare for the last job's mode and limits.

This process is trusted: it imports the tests and the reference solutions,
never the submission, which it reaches only through a worker (remote.py).
"""
import json
import os
import resource
import sys
import time
from pathlib import Path

import pytest

from grader import lifeline, outcomes, remote, sandbox
from grader.paths import ASSIGNMENTS, HIDDEN, MODULES, ROOT
from grader.results import SubmissionResult

sys.path.insert(0, str(ASSIGNMENTS))
from harness import register  # noqa: E402  (how the suites are handed a submission's modules)

# The session's own peak is about 360 MB of address space; this leaves room for many more
# BLAS threads, and keeps a forged message that got past wire.py's caps from taking the host.
MEMORY_BYTES = 4 * 1024 ** 3


def limit_memory(limit=MEMORY_BYTES):
    """Cap this process's address space (the worker it starts sets its own, lower cap)."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))


def suite_files(modules=MODULES):
    """Every public suite before any hidden one: output printed until the first hidden test is
    the student's to see, and all of it comes from code that has not seen a hidden input."""
    return [str(folder / f"test_{m}.py") for folder in (ASSIGNMENTS, HIDDEN) for m in modules]


def run_suites(provider, output):
    """Run both suites with `provider` handing out the modules; the TestResults in order. Raises
    outcomes.SuiteError for a suite that is missing or cannot be scored. From the first hidden
    test on, the submission's output goes to the hidden part of `output`."""
    class HideFromTheFirstHiddenTest:
        @pytest.hookimpl(tryfirst=True)
        def pytest_runtest_setup(self, item):
            if Path(str(item.path)).parent == HIDDEN:
                output.hide_from_now()

    files = suite_files()
    for file in files:
        if not os.path.exists(file):
            raise outcomes.SuiteError(f"{os.path.relpath(file, ROOT)}: no such suite file")
    return outcomes.run_quietly(files, plugins=[register(provider), HideFromTheFirstHiddenTest()])


def settings(job):
    """The job's sandbox mode and limits. The mode was chosen, and checked, by the process that sent
    the job (runner.grade_files): trying bwrap again here would cost every session 50 ms."""
    if job["sandbox"] not in ("bwrap", "user", "none"):
        raise ValueError(f"a job's sandbox must be bwrap, user or none, not {job['sandbox']!r}")
    return job["sandbox"], sandbox.Limits(**job["limits"])


def files_in(folder):
    """The files of a submission's folder, {name: bytes}, read here on the trusted side."""
    return {path.name: path.read_bytes() for path in sorted(Path(folder).iterdir()) if path.is_file()}


def take_spare(spare, mode, limits):
    """`spare` for a submission of `mode` and `limits` if it fits, else a worker started now."""
    if spare is not None and spare.fits(mode, limits):
        return spare
    if spare is not None:
        spare.close()
    submission = remote.SandboxedSubmission(mode, limits)
    submission.spawn()
    return submission


def grade(job, spare=None):
    """The SubmissionResult of one submission, for the job's sandbox mode and limits; `spare`, a worker
    started before the job came, grades it if it is up and fits."""
    started = time.monotonic()
    mode, limits = settings(job)
    submission = take_spare(spare, mode, limits)
    submission.hand_in(files_in(job["submission"]))
    # Not the student's doing: the grader reports these instead of scoring the submission.
    grader_errors = []
    try:
        results = run_suites(remote.Provider(submission), submission.output)
    except outcomes.SuiteError as error:
        results, grader_errors = [], [str(error)]
    finally:
        submission.close()
    if submission.start_failure:
        grader_errors.append(submission.start_failure)
    return SubmissionResult(tests=results, output=submission.output.text(),
                            hidden_output=submission.output.text("hidden"), grader_errors=grader_errors,
                            sandbox=submission.mode, seccomp=submission.seccomp, restarts=submission.restarts,
                            execution_time=time.monotonic() - started)


def main():
    lifeline.die_with_parent()
    limit_memory()
    # "done" goes out on stdout alone: anything else printed here goes to stderr
    replies = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    spare = None
    try:
        for line in sys.stdin:
            job = json.loads(line)
            result, spare = grade(job, spare), None
            Path(job["result"]).write_text(result.to_json())
            replies.write("done\n")
            replies.flush()
            if not job.get("spare", True):  # no job waits in the runner: a spare would only be killed
                continue
            # The next submission's worker starts up while the runner sends the next job: only now,
            # once this one's worker is killed, which without a cgroup kills every process below.
            spare = remote.SandboxedSubmission(*settings(job))
            try:
                spare.spawn()
            except OSError:  # no spare, this once: the next job starts its own worker, or says why it cannot
                spare = None
    finally:
        if spare is not None:
            spare.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
