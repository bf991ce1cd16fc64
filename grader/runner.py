"""Grading one submission: a trusted session process over a sandboxed worker, and the backends
that run many of them (here, in threads; on a Dask cluster, in cluster.py).

`grade_files` takes a submission's files as bytes, so that it runs the same wherever the
grading happens. The grader's own failures (a suite that does not load, a worker that cannot
start, a session that crashed) raise GradingError, never a student's zero.
"""
import hashlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict
from pathlib import Path

from grader import sandbox
from grader.paths import ASSIGNMENTS, HIDDEN, ROOT, SOLUTIONS

# Sessions load no pytest plugins from the environment: a plugin an instructor happens to have
# installed can neither change a score nor slow every submission down (hypothesis' costs ~1 s).
SESSION_ENV = dict(os.environ, PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")


class GradingError(Exception):
    """The grader's own failure (not the student's): a one-line reason."""


def suite_files_digest():
    """A hash of the suites, the solutions and the grader: what must match on every Dask worker."""
    files = sorted([*ASSIGNMENTS.glob("*.py"), *HIDDEN.glob("*.py"), *SOLUTIONS.glob("*.py"),
                    *Path(__file__).parent.glob("*.py")])
    h = hashlib.sha256()
    for path in files:
        h.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def suites_digest(limits, mode):
    """A hash of everything besides the submission that decides a score."""
    return hashlib.sha256(repr((suite_files_digest(), asdict(limits), mode)).encode()).hexdigest()


class RunningSessions:
    """The running session processes, so that an interrupted run can end them all."""

    def __init__(self):
        self.running, self.lock, self.stopping = set(), threading.Lock(), False

    def run(self, command, timeout):
        with self.lock:
            if self.stopping:
                raise GradingError("the run was interrupted")
            process = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE, start_new_session=True, env=SESSION_ENV)
            self.running.add(process)
        try:
            _, errors = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self._kill(process)
            raise GradingError(f"grading did not finish within {timeout:g} s") from None
        finally:
            with self.lock:
                self.running.discard(process)
        if process.returncode != 0:
            last = errors.decode(errors="replace").strip().splitlines()[-1:] or [f"exit code {process.returncode}"]
            raise GradingError(f"the grading session failed: {last[0][:300]}")

    @staticmethod
    def _kill(process):
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()

    def stop(self):
        with self.lock:
            self.stopping = True
            for process in list(self.running):
                self._kill(process)


def grade_files(files, mode, limits, sessions=None):
    """Grade one submission's staged files ({name: bytes}) in a scratch folder; the session's record.
    Raises GradingError when the grader, not the submission, failed (a suite that does not load,
    a worker that cannot start).

    This runs where the grading happens: in a thread of this process, or on a Dask worker
    (cluster.py), which is why it takes the files' bytes rather than a path.
    """
    mode = sandbox.choose(mode)
    with tempfile.TemporaryDirectory(prefix="nn-grade-") as scratch:
        code = Path(scratch) / "submission"
        code.mkdir()
        for name, data in files.items():
            (code / name).write_bytes(data)
        result = Path(scratch) / "result.json"
        (sessions or RunningSessions()).run(
            [sys.executable, "-m", "grader.session", str(code), str(result), "--sandbox", mode,
             "--limits", json.dumps(asdict(limits))],
            timeout=limits.submission_seconds + 120)
        record = json.loads(result.read_text())
    if record.get("grader_errors"):
        raise GradingError(record["grader_errors"][0])
    return record


class LocalBackend:
    """Grades submissions in threads of this process, each in its own session process."""

    def __init__(self, mode, limits, workers):
        self.mode, self.limits = mode, limits
        self.sessions = RunningSessions()
        self.pool = ThreadPoolExecutor(max_workers=max(1, workers))

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.pool.shutdown(wait=True)

    def submit(self, files):
        """A future of grade_files(files)."""
        return self.pool.submit(grade_files, files, self.mode, self.limits, self.sessions)

    def completed(self, futures):
        return as_completed(futures)

    def stop(self, futures):
        self.sessions.stop()
        self.pool.shutdown(wait=True, cancel_futures=True)
