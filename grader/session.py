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
from dataclasses import asdict
from pathlib import Path

from grader import lifeline, outcomes, remote, sandbox
from grader.paths import ASSIGNMENTS, HIDDEN, MODULES

sys.path.insert(0, str(ASSIGNMENTS))
from harness import PROVIDER_PLUGIN  # noqa: E402  (the name the public tests look up)


def suite_files(modules=MODULES):
    return [str(folder / f"test_{m}.py") for m in modules for folder in (ASSIGNMENTS, HIDDEN)]


def run_suites(provider):
    """Run both suites with `provider` handing out the modules; the TestResults in order."""
    class Register:
        def pytest_configure(self, config):
            config.pluginmanager.register(provider, PROVIDER_PLUGIN)

    return outcomes.run_quietly(suite_files(), plugins=[Register()])


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("submission")
    parser.add_argument("result")
    parser.add_argument("--sandbox", default="auto", choices=("auto", "bwrap", "none"))
    parser.add_argument("--timeout", type=float, default=sandbox.Limits.call_seconds)
    parser.add_argument("--submission-timeout", type=float, default=sandbox.Limits.submission_seconds)
    args = parser.parse_args(argv)
    lifeline.die_with_parent()
    limits = sandbox.Limits(call_seconds=args.timeout, submission_seconds=args.submission_timeout)
    started = time.monotonic()
    submission = remote.Submission(os.path.abspath(args.submission), sandbox.choose(args.sandbox), limits)
    submission.spawn()
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
