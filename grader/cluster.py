"""Grading on a Dask cluster: python -m grader grade SUBMISSIONS --out OUT --scheduler ADDRESS.

Each submission is one task: its staged files' bytes go to a Dask worker, which
grades them with the same sandboxed path as local grading (runner.grade_files)
and sends back its SubmissionResult; this client writes OUT as in a local run. Workers
need no shared filesystem, but each must have the same course installed: on
connecting, every worker's suites hash is checked against the client's. When a
worker dies mid-task the scheduler gives the task to another worker; the
client writes each student's results once, when a task first completes.

Imported only with --scheduler; needs Dask's distributed (the `dask` extra).
"""
import sys

from grader import sandbox
from grader.runner import GradingError, grade_files, suite_files_digest


def worker_facts():
    """Run on each worker when the client connects."""
    return {"suites": suite_files_digest(), "bwrap": bool(sandbox.bwrap_path())}


def connect(address, suites):
    """A distributed.Client on `address` whose workers all hold these suites."""
    try:
        from distributed import Client
    except ImportError:
        raise GradingError('--scheduler needs Dask\'s distributed: pip install -e ".[dask]"') from None
    try:
        client = Client(address, timeout=30)
    except (OSError, TimeoutError, ValueError) as error:
        raise GradingError(f"cannot reach the Dask scheduler at {address}: {error}") from None
    try:
        try:
            facts = client.run(worker_facts)
        except Exception as error:  # whatever a worker raised comes back as-is
            raise GradingError(f"a Dask worker cannot run the grader ({error}): install the course on "
                               f"every worker (pip install -e .)") from None
        if not facts:
            raise GradingError(f"the Dask scheduler at {address} has no workers")
        for worker, fact in sorted(facts.items()):
            if fact["suites"] != suites:
                raise GradingError(
                    f"Dask worker {worker} has other suites than this client (hash {fact['suites'][:12]}, "
                    f"here {suites[:12]}): install the same version of the course on every worker")
        unsandboxed = sorted(worker for worker, fact in facts.items() if not fact["bwrap"])
        if unsandboxed:
            print(f"grader: WARNING: Dask workers without bwrap grade WITHOUT the sandbox: "
                  f"{', '.join(unsandboxed)}", file=sys.stderr)
    except BaseException:
        client.close()
        raise
    return client


class DaskBackend:
    """Grades submissions as tasks on the cluster at `address` (the local backend's methods)."""

    def __init__(self, address, mode, limits):
        self.mode, self.limits = mode, limits
        self.client = connect(address, suite_files_digest())

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.client.close()

    def submit(self, files):
        # pure=False: two identical submissions are two students, graded twice
        return self.client.submit(grade_files, files, self.mode, self.limits, pure=False)

    def completed(self, futures):
        from distributed import as_completed

        return as_completed(futures)

    def stop(self, futures):
        self.client.cancel(list(futures))
