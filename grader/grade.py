"""python -m grader grade: grade a folder of submissions into OUT.

Each submission is staged into a temporary folder and graded by its own
trusted session process (session.py), which reaches the student's code only
through a sandboxed worker. Up to --workers submissions are graded at once.
A submission whose files and suites are unchanged since the last run into the
same OUT is not graded again (its OUT/<student>/grading.json says so).
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
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from grader import reports, sandbox, submissions
from grader.paths import ASSIGNMENTS, HIDDEN, ROOT, SOLUTIONS

RECORD = "grading.json"
# Sessions load no pytest plugins from the environment: a plugin an instructor happens to have
# installed can neither change a score nor slow every submission down (hypothesis' costs ~1 s).
SESSION_ENV = dict(os.environ, PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")


class GradingError(Exception):
    """The grader's own failure (not the student's): a one-line reason."""


@dataclass
class Options:
    submissions: Path
    out: Path
    workers: int = os.cpu_count() or 1
    limits: sandbox.Limits = field(default_factory=sandbox.Limits)
    sandbox: str = "auto"
    only: tuple = ()
    force: bool = False
    reveal_hidden: bool = False
    scheduler: str = None


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


def folder_name(student):
    name = student.replace("/", "_").replace("\\", "_").replace("\0", "_")
    return name if name not in ("", ".", "..") else f"_{name}_"


class Sessions:
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


def load_record(folder, digest=None):
    try:
        record = json.loads((folder / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if digest is not None and record.get("digest") != digest:
        return None
    return record


def grade_files(files, mode, limits, sessions=None):
    """Grade one submission's staged files ({name: bytes}) in a scratch folder; the session's record.

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
        (sessions or Sessions()).run(
            [sys.executable, "-m", "grader.session", str(code), str(result), "--sandbox", mode,
             "--timeout", str(limits.call_seconds), "--submission-timeout", str(limits.submission_seconds)],
            timeout=limits.submission_seconds + 120)
        return json.loads(result.read_text())


@dataclass
class Job:
    entry: submissions.Entry
    staged: submissions.Staged
    digest: str
    folder: Path


def prepare(entry, options, suites):
    """(job, the earlier record if the submission and suites are unchanged, else None)."""
    staged = submissions.stage(entry)
    digest = hashlib.sha256((suites + staged.digest() + repr(staged.problems)).encode()).hexdigest()
    job = Job(entry, staged, digest, options.out / folder_name(entry.student))
    return job, (None if options.force else load_record(job.folder, digest))


def finish(job, record, options):
    """Write the student's results.json, feedback.md and record; returns the record."""
    record.update(student=job.entry.student, digest=job.digest, problems=job.staged.problems,
                  files=sorted(job.staged.files))
    job.folder.mkdir(parents=True, exist_ok=True)
    reports.write_atomically(job.folder / "results.json", reports.gradescope(record, options.reveal_hidden))
    reports.write_atomically(job.folder / "feedback.md", reports.feedback(record, options.reveal_hidden))
    reports.write_atomically(job.folder / RECORD, json.dumps(record))  # last: its presence means "done"
    return record


def _check_out(out):
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out, prefix=".probe-"):
            pass
    except OSError as error:
        raise GradingError(f"cannot write to {out}: {error.strerror or error}") from None


def run(options):
    """Grade everything; returns the records in student order. Raises GradingError."""
    if not options.submissions.is_dir():
        raise GradingError(f"no such folder: {options.submissions}")
    try:
        mode = options.sandbox if options.scheduler else sandbox.choose(options.sandbox)
    except RuntimeError as error:
        raise GradingError(str(error)) from None
    _check_out(options.out)
    entries, notes = submissions.find_entries(options.submissions)
    out = options.out.resolve()
    inside = [e for e in entries if e.path.resolve() == out or e.path.resolve() in out.parents]
    entries = [e for e in entries if e not in inside]
    notes += [f"skipped {e.path.name}: it holds OUT" for e in inside]
    for note in notes:
        print(f"grader: {note}", file=sys.stderr)
    chosen = entries
    if options.only:
        unknown = sorted(set(options.only) - {e.student for e in entries})
        if unknown:
            raise GradingError(f"no submission named {', '.join(unknown)} in {options.submissions}")
        chosen = [e for e in entries if e.student in options.only]
    if mode == "none":
        print("grader: WARNING: grading WITHOUT the sandbox (bwrap not found or --sandbox none): student code "
              "can read and write your files; install bubblewrap to isolate it", file=sys.stderr)
    suites = suites_digest(options.limits, mode)
    progress = reports.Progress(len(chosen))
    jobs = []
    for entry in chosen:
        job, earlier = prepare(entry, options, suites)
        if earlier is None:
            jobs.append(job)
        else:
            progress.update(earlier, cached=True)
    failures = []
    with _backend(options, mode) as (submit, completed, stop):
        futures = {submit(job.staged.files): job for job in jobs}
        try:
            for future in completed(futures):
                job = futures[future]
                try:
                    record = finish(job, future.result(), options)
                except Exception as error:  # the grader's own failure on one submission: report, go on
                    failures.append(f"{job.entry.student}: not graded: {error}")
                    print(f"grader: {failures[-1]}", file=sys.stderr)
                    record = {"student": job.entry.student}
                progress.update(record)
        except KeyboardInterrupt:
            stop(futures)
            write_gradebook(options.out, entries)
            raise
    records = write_gradebook(options.out, entries)
    return records, failures


@contextmanager
def _backend(options, mode):
    """(submit(files) -> future, as_completed(futures), stop(futures)) for grading here or on Dask."""
    if options.scheduler:
        from grader import cluster

        with cluster.connect(options.scheduler, suite_files_digest()) as client:
            yield cluster.backend(client, options.sandbox, options.limits)
        return
    sessions = Sessions()
    with ThreadPoolExecutor(max_workers=max(1, options.workers)) as pool:
        def stop(futures):
            sessions.stop()
            pool.shutdown(wait=True, cancel_futures=True)

        yield (lambda files: pool.submit(grade_files, files, mode, options.limits, sessions)), as_completed, stop


def write_gradebook(out, entries):
    records = [r for r in (load_record(out / folder_name(e.student)) for e in entries) if r is not None]
    reports.write_atomically(out / "grades.csv", reports.gradebook(records))
    return records


def main(args):
    limits = sandbox.Limits(call_seconds=args.timeout, submission_seconds=args.submission_timeout)
    options = Options(submissions=Path(args.submissions), out=Path(args.out), workers=args.workers,
                      limits=limits, sandbox=args.sandbox, only=tuple(args.only or ()), force=args.force,
                      reveal_hidden=args.reveal_hidden, scheduler=args.scheduler)
    from grader import plots

    # matplotlib takes ~0.8 s to import: do it while the submissions are graded, not after.
    threading.Thread(target=plots.load_matplotlib, daemon=True).start()
    try:
        records, failures = run(options)
    except GradingError as error:
        print(f"grader: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\ngrader: interrupted; finished submissions are saved, run again to resume", file=sys.stderr)
        return 130
    print(reports.summary(records))
    if failures:
        print(f"\n{len(failures)} submission(s) could not be graded (run again to retry):")
        print("\n".join(f"  {line}" for line in failures))
    print(f"\nGradebook: {options.out / 'grades.csv'}\nFeedback:  {options.out}/<student>/feedback.md "
          f"and results.json\n{plots.report_figure(records, options.out / 'report.png')}")
    return 0
