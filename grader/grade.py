"""python -m grader grade: grade a folder of submissions into OUT.

Before any student, the reference solutions are graded through the same path
(session, sandbox, worker, suites): unless they get full marks the run stops,
since every grade it wrote would be wrong. Then each submission is staged into
a temporary folder and graded by its own trusted session process (session.py),
which reaches the student's code only through a sandboxed worker. Up to
--workers submissions are graded at once. A submission whose files and suites
are unchanged since the last run into the same OUT is not graded again (its
OUT/students/<name>/grading.json says so).
"""
import hashlib
import json
import os
import sys
import tempfile
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path

from grader import cgroup, layouts, plots, reports, runner, sandbox, submissions
from grader.paths import MODULES, SOLUTIONS
from grader.results import SubmissionResult
from grader.runner import GradingError

RESULT_FILE = "grading.json"
STUDENTS = "students"
REFERENCE_CHECK = "reference-check.json"


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
    layout: str = "auto"


# Characters kept as they are in a student's folder name; every other one is written %XX (its
# UTF-8 bytes), '%' included, so that two names never share a folder and none is a path.
_KEPT = frozenset(" ,'()-_+=@~")
_LONGEST = 200


def folder_name(student):
    """A one-to-one, path-safe folder name for a student: 'Zoë O'Brien', '%2E%2E', 'a%5Cb'."""
    parts = []
    for char in student:
        if (char.isalnum() and unicodedata.category(char)[0] in "LN") or char in _KEPT or (
                char == "." and parts):
            parts.append(char)
        else:
            parts.extend(f"%{byte:02X}" for byte in char.encode("utf-8", "surrogatepass"))
    name = "".join(parts) or "%"
    if len(name.encode("utf-8")) > _LONGEST:  # the filesystem's limit is 255 bytes
        digest = hashlib.sha256(student.encode("utf-8", "surrogatepass")).hexdigest()[:16]
        name = name.encode("utf-8")[:_LONGEST - 20].decode("utf-8", "ignore") + "%~" + digest
    return name


def student_folder(out, student):
    return Path(out) / STUDENTS / folder_name(student)


def load_result(folder, digest=None):
    """The SubmissionResult saved in `folder`, if there is one (and it has `digest`), else None."""
    try:
        result = SubmissionResult.from_json((folder / RESULT_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return result if digest is None or result.digest == digest else None


@dataclass
class Job:
    entry: submissions.Entry
    staged: submissions.Staged
    digest: str
    folder: Path


def prepare(entry, options, suites):
    """(job, the earlier result if the submission and suites are unchanged, else None)."""
    staged = submissions.stage(entry)
    digest = hashlib.sha256((suites + staged.digest() + repr(staged.problems)).encode()).hexdigest()
    job = Job(entry, staged, digest, student_folder(options.out, entry.student))
    return job, (None if options.force else load_result(job.folder, digest))


def save(folder, result):
    """Write the student's results.json, feedback.md and, last (its presence means "done"), the result."""
    folder.mkdir(parents=True, exist_ok=True)
    reports.write_atomically(folder / "results.json", reports.gradescope(result, result.reveal_hidden))
    reports.write_atomically(folder / "feedback.md", reports.feedback(result, result.reveal_hidden))
    reports.write_atomically(folder / RESULT_FILE, result.to_json())


def finish(job, result, options):
    """The graded result, with what the grader knows of the hand-in, saved; returns it."""
    result.student, result.digest, result.reveal_hidden = job.entry.student, job.digest, options.reveal_hidden
    result.problems, result.files = list(job.staged.problems), sorted(job.staged.files)
    save(job.folder, result)
    return result


def reuse(job, result, options):
    """An unchanged submission's earlier result, saved again if --reveal-hidden changed."""
    if result.reveal_hidden != options.reveal_hidden:
        result.reveal_hidden = options.reveal_hidden
        save(job.folder, result)
    return result


def _check_out(out):
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out, prefix=".probe-"):
            pass
    except OSError as error:
        raise GradingError(f"cannot write to {out}: {error.strerror or error}") from None


def find_students(folder, options):
    """The submissions in `folder` (entries), and those of them this run grades (--only)."""
    try:
        entries, notes = layouts.find(folder, options.layout, options.out)
    except layouts.LayoutError as error:
        raise GradingError(str(error)) from None
    for note in notes:
        print(f"grader: {reports.printable(note)}", file=sys.stderr)
    unknown = sorted(set(options.only) - {e.student for e in entries})
    if unknown:
        raise GradingError(f"no submission named {', '.join(unknown)} in {options.submissions}")
    if not entries:
        raise GradingError(f"no submissions found in {options.submissions}")
    return entries, [e for e in entries if not options.only or e.student in options.only]


@dataclass
class ReferenceCheck:
    """What grading the reference solutions showed, kept in OUT/reference-check.json."""
    digest: str  # of the suites it holds for
    sandbox: str
    seccomp: bool
    points: dict  # {test's nodeid: its points}: every student's run must hold exactly these


def cached_reference_check(out, suites):
    """The reference check an earlier run into `out` saved for these suites, or None."""
    try:
        earlier = ReferenceCheck(**json.loads((out / REFERENCE_CHECK).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None
    return earlier if earlier.digest == suites else None


def reference_files():
    return {f"{module}.py": (SOLUTIONS / f"{module}.py").read_bytes() for module in MODULES}


def reason(error):
    """The first line of what `error` says, or its type's name."""
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def check_reference(graded, suites, out):
    """The reference solutions' grading (a future) checked, and saved in `out` for the next run.
    Raises GradingError, naming the first test that fails and why, unless they get full marks."""
    try:
        result = graded.result()
    except Exception as error:  # an OSError, a Dask worker lost: as for a student, the grader's own failure
        raise GradingError(f"grading the reference solutions failed: {reason(error)}") from None
    failed = [t for t in result.tests if t.failed]
    if failed:
        first = failed[0]
        why = (first.message.strip().splitlines() or ["no message"])[0][:300]
        raise GradingError(f"the reference solutions do not get full marks, so no grade would be right: "
                           f"{first.nodeid}: the reference scores {first.score:g} / {first.max_score:g}: {why}")
    untested = [m for m, score in result.scores().items() if m in MODULES and score.max_points <= 0]
    if untested:
        raise GradingError(f"the suites award no points for {', '.join(untested)}: "
                           f"is tests/hidden/test_{untested[0]}.py or assignments/test_{untested[0]}.py missing?")
    checked = ReferenceCheck(suites, result.sandbox, result.seccomp, tests_and_points(result))
    reports.write_atomically(out / REFERENCE_CHECK, json.dumps(asdict(checked)))
    return checked


def tests_and_points(result):
    return {test.nodeid: test.max_score for test in result.tests}


def check_same_tests(result, reference_points):
    """Raise GradingError unless a submission ran exactly the reference's tests, for the same points:
    anything else is the grader's doing (a pytest option, a suite changed during the run)."""
    tests = tests_and_points(result)
    if tests != reference_points:
        differing = sorted(set(tests.items()) ^ set(reference_points.items()))
        raise GradingError(f"its tests were not the reference's ({len(tests)} run, {len(reference_points)} "
                           f"expected; first difference: {differing[0][0] if differing else '?'})")


def plan(entries, chosen, options, suites, progress):
    """{student: job} for every submission, and the chosen jobs that need grading (the rest are
    unchanged since the last run)."""
    jobs, to_grade = {}, []
    for entry in entries:
        job, earlier = prepare(entry, options, suites)
        jobs[entry.student] = job
        if entry not in chosen:
            continue
        if earlier is None:
            to_grade.append(job)
        else:
            progress.update(entry.student, reuse(job, earlier, options), cached=True)
    return jobs, to_grade


def run(options):
    """Grade everything; returns (results in student order, one line per submission that the
    grader itself failed to grade). Raises GradingError when nothing can be graded correctly."""
    if not options.submissions.is_dir() and not options.submissions.is_file():
        raise GradingError(f"no such folder: {options.submissions}")
    mode = options.sandbox if options.scheduler else choose_sandbox(options)
    _check_out(options.out)
    try:
        with layouts.opened(options.submissions) as folder:
            entries, chosen = find_students(folder, options)
            return grade_students(entries, chosen, options, mode)
    except layouts.LayoutError as error:
        raise GradingError(str(error)) from None


def choose_sandbox(options):
    """The run's sandbox mode, printed once with the reason; a new OUT is made private first,
    since user mode is refused while the workers' account can read OUT."""
    if options.sandbox in ("auto", "user") and os.geteuid() == 0 and not options.out.exists():
        try:
            options.out.mkdir(mode=0o700, parents=True)
        except OSError:
            pass  # _check_out says why
    try:
        chosen = sandbox.choice(options.sandbox, options.limits.account,
                                (str(options.out.resolve()), str(options.submissions.resolve())))
    except RuntimeError as error:
        raise GradingError(str(error)) from None
    print(f"grader: sandbox: {chosen.mode} ({chosen.reason})", file=sys.stderr)
    return chosen.mode


def grade_students(entries, chosen, options, mode):
    """Grade the chosen entries (staged now: their files may live in a temporary folder)."""
    if mode == "none":
        print("grader: WARNING: grading WITHOUT the sandbox: student code can read and write your files; "
              "install bubblewrap to isolate it, or run the grader as root for --sandbox user", file=sys.stderr)
    if not options.scheduler and cgroup.missing():
        print(f"grader: note: {cgroup.missing()}", file=sys.stderr)
    # matplotlib takes ~0.35 s of CPU to import, for report.png: it is imported while the
    # submissions are graded, as soon as a CPU is left idle by them (at once where there are fewer
    # workers than CPUs, else when the last submissions leave a worker idle), not after them.
    if options.workers < (os.cpu_count() or 1) or options.scheduler:
        plots.load_matplotlib_soon()
    suites = runner.suites_digest(options.limits, mode)
    progress = reports.Progress(len(chosen))
    jobs, to_grade = plan(entries, chosen, options, suites, progress)
    failures = {}
    with backend_for(options, mode) as backend:
        checked = cached_reference_check(options.out, suites) if to_grade else None
        # The reference is graded first, the students beside it: none of their results is kept
        # unless it passes, and a failed check stops their grading. Not in user mode (nor where a
        # Dask worker may choose it), where the workers share an account and with it /tmp and
        # /dev/shm, which a student's could fill to fail the check and so the whole run: there
        # the students wait for the check.
        reference = backend.submit(reference_files()) if to_grade and checked is None else None
        beside = reference is None or mode in ("bwrap", "none")

        def submit_students():
            return {backend.submit(job.staged.files): job for job in to_grade}

        futures = submit_students() if beside else {}
        try:
            if reference is not None:
                try:
                    checked = check_reference(reference, suites, options.out)
                except GradingError:
                    backend.stop(futures)
                    raise
            if not beside:
                futures = submit_students()
            if checked is not None and checked.seccomp is False:
                print("grader: WARNING: the worker's seccomp filter could not be installed on this machine: "
                      "student code is not stopped from creating processes", file=sys.stderr)
            for done, future in enumerate(backend.completed(futures), 1):
                if len(futures) - done < options.workers:
                    plots.load_matplotlib_soon()
                job = futures[future]
                try:
                    result = future.result()
                    check_same_tests(result, checked.points)
                    result = finish(job, result, options)
                except Exception as error:  # the grader's own failure on one submission: report, go on
                    failures[job.entry.student] = reason(error)
                    print(f"grader: {reports.printable(job.entry.student)}: not graded: "
                          f"{failures[job.entry.student]}", file=sys.stderr)
                    result = None
                progress.update(job.entry.student, result)
        except KeyboardInterrupt:
            backend.stop(futures)
            write_gradebook(options.out, jobs, failures)
            raise
    results = write_gradebook(options.out, jobs, failures)
    return results, [f"{student}: {why}" for student, why in sorted(failures.items())]


def backend_for(options, mode):
    """Where the submissions are graded: here, or on the Dask cluster of --scheduler."""
    if options.scheduler:
        from grader import cluster

        return cluster.DaskBackend(options.scheduler, options.sandbox, options.limits)
    return runner.LocalBackend(mode, options.limits, options.workers)


def write_gradebook(out, jobs, failures):
    """grades.csv from each student's result of the current suites and files; a student without one
    gets a row that says why. Returns the results."""
    rows = []
    for student, job in sorted(jobs.items()):
        result = load_result(job.folder, job.digest)
        if student in failures:
            status = f"not graded: {failures[student]}"
        elif result is None:
            status = "not graded yet: left out by --only, or the run was interrupted; run again to grade it"
        else:
            status = "graded"
        rows.append(reports.GradebookRow(student, job.entry.id, job.entry.late,
                                         result if student not in failures else None, status))
    reports.write_atomically(out / "grades.csv", reports.gradebook(rows))
    return [row.result for row in rows if row.result is not None]


def main(args):
    limits = sandbox.Limits(call_seconds=args.timeout, submission_seconds=args.submission_timeout,
                            account=args.sandbox_user)
    options = Options(submissions=Path(args.submissions), out=Path(args.out), workers=args.workers,
                      limits=limits, sandbox=args.sandbox, only=tuple(args.only or ()), force=args.force,
                      reveal_hidden=args.reveal_hidden, scheduler=args.scheduler, layout=args.layout)
    try:
        results, failures = run(options)
    except GradingError as error:
        print(f"grader: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\ngrader: interrupted; finished submissions are saved, run again to resume", file=sys.stderr)
        return 130
    print(reports.summary(results))
    if failures:
        print(f"\n{len(failures)} submission(s) could not be graded by the grader's own failure; "
              f"their rows in grades.csv are empty and say why (run again to retry):")
        print("\n".join(f"  {reports.printable(line)}" for line in failures))
    print(f"\nGradebook: {options.out / 'grades.csv'}\nFeedback:  {options.out / STUDENTS}/<student>/feedback.md "
          f"and results.json\n{plots.report_figure(results, options.out / 'report.png')}")
    return 1 if failures else 0
