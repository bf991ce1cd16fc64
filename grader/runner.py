"""Grading one submission: a trusted session process over a sandboxed worker, and the backends
that run many of them (here, in threads; on a Dask cluster, in cluster.py).

`grade_files` takes a submission's files as bytes, so that it runs the same wherever the
grading happens. The grader's own failures (a suite that does not load, a worker that cannot
start, a session that crashed) raise GradingError, never a student's zero.
"""
import hashlib
import json
import os
import select
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
from grader.results import SubmissionResult

# Sessions load no pytest plugins from the environment: a plugin an instructor happens to have
# installed can neither change a score nor slow every submission down (hypothesis' costs ~1 s).
SESSION_ENV = dict(os.environ, PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")


class GradingError(Exception):
    """The grader's own failure (not the student's): a one-line reason."""


def suite_files_digest():
    """A hash of the suites (with every conftest.py pytest loads for them), the stubs' hashes, the
    solutions and the grader: what decides a score, and must match on every Dask worker."""
    conftests = [path for path in (ROOT / "conftest.py", ROOT / "tests" / "conftest.py") if path.exists()]
    files = sorted([*ASSIGNMENTS.glob("*.py"), *ASSIGNMENTS.glob("*.sha256"), *HIDDEN.glob("*.py"),
                    *SOLUTIONS.glob("*.py"), *Path(__file__).parent.glob("*.py"), *conftests])
    h = hashlib.sha256()
    for path in files:
        h.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def suites_digest(limits, mode):
    """A hash of everything besides the submission that decides a score."""
    return hashlib.sha256(repr((suite_files_digest(), asdict(limits), mode)).encode()).hexdigest()


class Session:
    """One session process (session.py), grading the submissions it is given one at a time."""

    def __init__(self, log_folder):
        self.log = tempfile.TemporaryFile(dir=log_folder)  # its stderr: read only to say why it failed
        self.process = subprocess.Popen([sys.executable, "-m", "grader.session"], cwd=ROOT, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=self.log, start_new_session=True,
                                        env=SESSION_ENV)

    def alive(self):
        return self.process.poll() is None

    def grade(self, job, timeout):
        """Send `job` and wait until its result is written. Raises GradingError (then the session
        is dead and killed) on a crash or when `timeout` seconds pass."""
        try:
            self.process.stdin.write((json.dumps(job) + "\n").encode())
            self.process.stdin.flush()
        except OSError:
            self.kill()
            raise GradingError(f"the grading session failed: {self.last_words()}") from None
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        if not ready:
            self.kill()
            raise GradingError(f"grading did not finish within {timeout:g} s")
        if self.process.stdout.readline() != b"done\n":
            self.kill()
            raise GradingError(f"the grading session failed: {self.last_words()}")

    def last_words(self):
        code = self.process.wait()
        self.log.seek(0)
        lines = self.log.read().decode(errors="replace").strip().splitlines()
        return (lines[-1] if lines else f"exit code {code}")[:300]

    def end_input(self):
        """Tell an idle session to end (close its stdin): it kills its spare worker (session.main)
        before it exits, where a killed session's spare dies only a moment later."""
        try:
            self.process.stdin.close()
        except OSError:
            pass

    def close(self):
        """End an idle session and wait for it; killed if it does not end."""
        self.end_input()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()
        else:
            self.process.stdout.close()

    def kill(self):
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait()
        self.process.stdin.close()
        self.process.stdout.close()


class SessionPool:
    """Session processes kept running between submissions, so that pytest, numpy, the suites and
    the reference are imported once per run, not once per submission. Each grading thread takes
    an idle session or starts one; a session that crashed or hung is killed, not reused."""

    def __init__(self):
        self.idle, self.busy = [], set()
        self.lock, self.stopping = threading.Lock(), False
        self.logs = tempfile.TemporaryDirectory(prefix="nn-sessions-")
        self.waiting = None  # jobs announced (expect) and not yet begun; None where nobody announces them

    def expect(self):
        """Announce a job that will come: a session starts a spare worker after a job only while
        another job is waiting (the last ones' spares would only be killed)."""
        with self.lock:
            self.waiting = (self.waiting or 0) + 1

    def grade(self, job, timeout):
        with self.lock:
            if self.stopping:
                raise GradingError("the run was interrupted")
            while self.idle and not self.idle[-1].alive():
                self.idle.pop().kill()
            session = self.idle.pop() if self.idle else Session(self.logs.name)
            self.busy.add(session)
            if self.waiting is not None:
                self.waiting = max(0, self.waiting - 1)
            job = {**job, "spare": self.waiting is None or self.waiting > 0}
        try:
            session.grade(job, timeout)
        finally:
            with self.lock:
                self.busy.discard(session)
        with self.lock:
            if self.stopping:
                session.kill()
            else:
                self.idle.append(session)

    def stop(self):
        """Kill every session, busy or idle; later calls to grade raise GradingError."""
        with self.lock:
            self.stopping = True
            busy, idle, self.idle = list(self.busy), self.idle, []
        for session in busy:
            session.kill()
        for session in idle:  # all told first, so that they end together, not one after another
            session.end_input()
        for session in idle:
            session.close()


_shared_pool = None


def shared_pool():
    """The pool of this process, for grading where no backend holds one (a Dask worker)."""
    global _shared_pool
    if _shared_pool is None:
        _shared_pool = SessionPool()
    return _shared_pool


def grade_files(files, mode, limits, sessions=None):
    """Grade one submission's staged files ({name: bytes}) in a scratch folder; its SubmissionResult.
    Raises GradingError when the grader, not the submission, failed (a suite that does not load,
    a worker that cannot start).

    This runs where the grading happens: in a thread of this process, or on a Dask worker
    (cluster.py), which is why it takes the files' bytes rather than a path.
    """
    mode = sandbox.choose(mode, limits.account)
    with tempfile.TemporaryDirectory(prefix="nn-grade-") as scratch:
        code = Path(scratch) / "submission"
        code.mkdir()
        for name, data in files.items():
            (code / name).write_bytes(data)
        result = Path(scratch) / "result.json"
        (sessions or shared_pool()).grade({"submission": str(code), "result": str(result), "sandbox": mode,
                                           "limits": asdict(limits)}, timeout=limits.submission_seconds + 120)
        try:
            graded = SubmissionResult.from_json(result.read_text())
        except (OSError, ValueError) as error:
            raise GradingError(f"the grading session wrote no result: {error}") from None
    if graded.grader_errors:
        raise GradingError(graded.grader_errors[0])
    return graded


class LocalBackend:
    """Grades submissions in threads of this process, each in its own session process."""

    def __init__(self, mode, limits, workers):
        self.mode, self.limits = mode, limits
        self.sessions = SessionPool()
        self.pool = ThreadPoolExecutor(max_workers=max(1, workers))

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        # Sessions first: a session dies with the thread that started it (lifeline), and one
        # killed that way leaves its spare worker to notice alone that the session is gone.
        self.sessions.stop()
        self.pool.shutdown(wait=True)

    def submit(self, files):
        """A future of grade_files(files)."""
        self.sessions.expect()
        return self.pool.submit(grade_files, files, self.mode, self.limits, self.sessions)

    def completed(self, futures):
        return as_completed(futures)

    def stop(self, futures):
        self.sessions.stop()
        self.pool.shutdown(wait=True, cancel_futures=True)
