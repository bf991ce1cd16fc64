"""Run the public and hidden suites against one submission (one process per submission).

    python -m grader.session SUBMISSION_DIR RESULT_JSON [--sandbox bwrap|none] [--limits JSON]

This process is trusted: it imports the tests and the reference solutions,
never the submission, which it reaches only through a worker (remote.py).
It writes what every test scored to RESULT_JSON.
"""
import argparse
import json
import os
import sys
import time
from dataclasses import asdict
from pathlib import Path

from grader import lifeline, outcomes, remote, sandbox
from grader.paths import ASSIGNMENTS, HIDDEN, MODULES, ROOT

sys.path.insert(0, str(ASSIGNMENTS))
from harness import PROVIDER_PLUGIN  # noqa: E402  (the name the public tests look up)


def suite_files(modules=MODULES):
    return [str(folder / f"test_{m}.py") for m in modules for folder in (ASSIGNMENTS, HIDDEN)]


def run_suites(provider):
    """Run both suites with `provider` handing out the modules; (the TestResults in order, one
    line per suite file that is missing or could not be collected)."""
    class Register:
        def pytest_configure(self, config):
            config.pluginmanager.register(provider, PROVIDER_PLUGIN)

    files = suite_files()
    missing = [f"{os.path.relpath(f, ROOT)}: no such suite file" for f in files if not os.path.exists(f)]
    if missing:
        return [], missing
    return outcomes.run_quietly(files, plugins=[Register()])


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("submission")
    parser.add_argument("result")
    parser.add_argument("--sandbox", default="auto", choices=("auto", "bwrap", "none"))
    parser.add_argument("--limits", type=json.loads, default={}, help="sandbox.Limits' fields as JSON")
    args = parser.parse_args(argv)
    lifeline.die_with_parent()
    limits = sandbox.Limits(**args.limits)
    started = time.monotonic()
    submission = remote.Submission(os.path.abspath(args.submission), sandbox.choose(args.sandbox), limits)
    submission.spawn()
    try:
        results, broken_suites = run_suites(remote.Provider(submission))
    finally:
        submission.close()
    # Not the student's doing: the grader reports these instead of scoring the submission.
    grader_errors = broken_suites + ([submission.start_failure] if submission.start_failure else [])
    record = {"tests": [asdict(r) for r in results], "output": submission.output.text(),
              "grader_errors": grader_errors,
              "sandbox": submission.mode, "seccomp": submission.seccomp,
              "restarts": submission.restarts, "execution_time": time.monotonic() - started}
    Path(args.result).write_text(json.dumps(record))
    return 0


if __name__ == "__main__":
    sys.exit(main())
