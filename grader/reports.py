"""What grading writes: the gradebook, Gradescope's results.json, feedback.md, the summary.

Every file is written whole to a temporary name beside it and then renamed, so
an interrupted run never leaves half a file behind.
"""
import csv
import io
import json
import os
import re
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from grader.paths import MODULES
from grader.results import SubmissionResult, columns

OUTPUT_LIMIT = 8000


def write_atomically(path, text):
    path = Path(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        # backslashreplace: a lone surrogate in a student's message or name cannot fail the write
        with os.fdopen(handle, "w", encoding="utf-8", errors="backslashreplace", newline="") as stream:
            stream.write(text)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; these files are for sharing
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def _points(value):
    return f"{value:g}"


@dataclass
class GradebookRow:
    student: str
    id: str  # the learning platform's, or ""
    late: bool
    result: SubmissionResult  # None when the student has no grade from this run's suites
    status: str  # "graded", or why not


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text):
    return "'" + text if text.startswith(_FORMULA_START) else text


def gradebook(rows):
    """grades.csv: student, id, one column per assignment, total, late, status; sorted by student.
    A row without a result has empty score cells: the grader could not grade it, it scored no zero."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", "id", *MODULES, "total", "late", "status"])
    for row in sorted(rows, key=lambda r: r.student):
        if row.result is None:
            points = [""] * (len(MODULES) + 1)
        else:
            scores = row.result.scores()
            points = [*(_points(scores[m].points) for m in MODULES), _points(row.result.total().points)]
        writer.writerow([spreadsheet_safe(row.student), row.id, *points, "late" if row.late else "",
                         spreadsheet_safe(row.status)])
    return buffer.getvalue()


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def printable(text):
    """`text` for a terminal: control characters (ANSI escapes among them) and undecodable
    bytes shown as escapes, not sent to the terminal."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape", "backslashreplace").decode("ascii"), text)


def _cut(text, limit=OUTPUT_LIMIT):
    return text if len(text) <= limit else text[:limit] + f"\n[... {len(text) - limit} more characters cut]"


def _output(result, reveal_hidden):
    """The submission's output the student may see: all of it with reveal_hidden, else what it
    printed before the hidden tests began."""
    shown = result.output.strip()
    hidden = result.hidden_output.strip()
    if not hidden:
        return shown
    if not reveal_hidden:
        return "\n".join([shown, "[output printed while the hidden tests ran is not shown]"]).strip()
    return "\n".join([shown, "[printed while the hidden tests ran:]", hidden]).strip()


def _fence(text, shortest):
    """Backticks that open and close code quoting `text`: more than any run of them in it, so
    nothing in the text can end the quote."""
    return "`" * max(shortest, max(map(len, re.findall("`+", text)), default=0) + 1)


def _fenced(text, indent=""):
    """Markdown lines that quote `text` as a block of code."""
    fence = indent + _fence(text, 3)
    return [fence, *(indent + line for line in text.splitlines()), fence]


def _plain(text):
    """`text` (a name from the platform or a folder) as Markdown text on one line: control
    characters escaped, markup and HTML shown as the characters they are."""
    return printable(re.sub(r"[\\`*_\[\]<>#|~!&]", lambda m: "\\" + m.group(), text))


def _code(text):
    """`text` (a name the student chose) as Markdown code on one line: control characters escaped,
    so a newline in it cannot start a line of its own, and no markup or HTML in it is rendered."""
    text = printable(text)
    fence, pad = _fence(text, 1), " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


# When Gradescope shows a test to the student, most open first.
VISIBILITIES = ("visible", "after_published", "after_due_date", "hidden")


def gradescope(result, reveal_hidden=False, hidden_visibility="after_published"):
    """results.json in Gradescope's autograder format; hidden tests get `hidden_visibility`."""
    tests = []
    for test in result.tests:
        hidden = test.suite == "hidden"
        output = test.message if test.failed and (reveal_hidden or not hidden) else ""
        if test.failed and hidden and not reveal_hidden:
            output = f"Hidden test failed: {test.description}"
        tests.append({
            "name": f"{test.assignment}: {test.description}",
            "score": test.score, "max_score": test.max_score,
            "status": "failed" if test.failed else "passed",
            "output": output,
            "visibility": hidden_visibility if hidden else "visible",
            "tags": [test.assignment, test.suite],
        })
    return json.dumps({
        "score": result.total().points,
        "execution_time": round(result.execution_time, 3),
        "output": "\n".join([*result.problems, _cut(_output(result, reveal_hidden))]).strip(),
        "tests": tests,
    }, indent=2)


def how_graded(result):
    """The line that says what was graded and how: the files, the sandbox, the time, any restarts."""
    files = ", ".join(map(_code, result.files)) or "no files"
    line = f"Graded {files} in the {result.sandbox or 'unknown'} sandbox in {result.execution_time:.1f} s."
    if result.restarts:
        times = "once" if result.restarts == 1 else f"{result.restarts} times"
        line += f" Your code crashed or hung {times}: its process was restarted for the tests after that."
    return line


def feedback(result, reveal_hidden=False):
    """feedback.md: per assignment the score and, for every lost point, what was checked."""
    total = result.total()
    lines = [f"# Feedback for {_plain(result.student)}", "",
             f"**Total: {_points(total.points)} / {_points(total.max_points)}**", "", how_graded(result), ""]
    for problem in result.problems:
        lines += [*(f"> {line}" for line in problem.splitlines()), ""]
    for assignment, score in result.scores().items():
        tests = [t for t in result.tests if t.assignment == assignment]
        failed = [t for t in tests if t.failed]
        lines += [f"## {assignment}: {_points(score.points)} / {_points(score.max_points)}", ""]
        if not failed:
            lines += [f"All {len(tests)} tests passed.", ""]
            continue
        lines += [f"{len(tests) - len(failed)} of {len(tests)} tests passed.", ""]
        shared = {t.message for t in failed}
        # One cause (a missing file, an import error) failed them all: say it once, if a public test
        # shows it (public tests run first: their messages cannot hold a hidden test's input).
        if len(failed) > 1 and len(shared) == 1 and (reveal_hidden or any(t.suite == "public" for t in failed)):
            lines += ["Every failed test stopped at the same problem:", "", *_fenced(shared.pop()), ""]
            failed = []
        for test in failed:
            points_lost = test.max_score - test.score
            lost = f"{_points(points_lost)} point{'s' if points_lost != 1 else ''}"
            lines.append(f"- **{test.description}** ({test.suite}, {lost} lost)")
            if test.suite == "public" or reveal_hidden:
                lines += ["", *_fenced(test.message, indent="  ")]
            lines.append("")
    output = _output(result, reveal_hidden)
    if output:
        lines += ["## Your code's output and errors", "", *_fenced(_cut(output)), ""]
    return "\n".join(lines)


def class_summary(results):
    """Per assignment (and 'total'): mean, median, full-marks count and maximum; and the
    tests most often failed, as (failures, TestResult) pairs."""
    rows = {}
    for assignment, scores in columns(results).items():
        if scores:
            points = [s.points for s in scores]
            rows[assignment] = {"mean": statistics.fmean(points), "median": statistics.median(points),
                                "full": sum(s.full for s in scores), "max": scores[0].max_points}
    failures = {}
    for result in results:
        for test in result.tests:
            if test.failed:
                count, _ = failures.get(test.nodeid, (0, test))
                failures[test.nodeid] = (count + 1, test)
    most_failed = sorted(failures.values(), key=lambda pair: (-pair[0], pair[1].nodeid))
    return rows, most_failed


def summary(results):
    """The table printed at the end of a run."""
    rows, most_failed = class_summary(results)
    lines = [f"Graded {len(results)} submission{'s' if len(results) != 1 else ''}.", "",
             f"{'assignment':<18}{'mean':>8}{'median':>8}{'max':>7}{'full marks':>12}"]
    for name, row in rows.items():
        lines.append(f"{name:<18}{row['mean']:>8.1f}{row['median']:>8.1f}{_points(row['max']):>7}"
                     f"{row['full']:>8} / {len(results)}")
    if most_failed:
        lines += ["", "Most-failed tests:"]
        for count, test in most_failed[:8]:
            lines.append(f"{count:>5} x  {test.assignment}: {test.description} ({test.suite})")
    crashed, restarts = [r for r in results if r.restarts], sum(r.restarts for r in results)
    if crashed:
        lines += ["", f"{len(crashed)} submission{'s' if len(crashed) != 1 else ''} crashed or hung the worker "
                      f"({restarts} restart{'s' if restarts != 1 else ''} in all; each feedback.md says how often)."]
    sandboxes = sorted({r.sandbox for r in results if r.sandbox})
    if sandboxes:
        lines += ["", f"Sandbox: {', '.join(sandboxes)}."]
    return "\n".join(lines)


class Progress:
    """A bar on a terminal, plain lines otherwise, on stderr."""

    def __init__(self, total, stream=sys.stderr):
        self.total, self.done, self.stream = total, 0, stream
        self.bar = stream.isatty()

    def update(self, student, result, cached=False):
        """One more submission done: its result (None: not graded), and whether it was unchanged."""
        self.done += 1
        score = result.total() if result is not None else None
        what = f"{_points(score.points)}/{_points(score.max_points)}" if score else "not graded"
        what += " (unchanged)" if cached else ""
        if self.bar:
            filled = int(30 * self.done / max(self.total, 1))
            self.stream.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {self.done}/{self.total} "
                              f"{printable(student)[:30]:<30} {what:<22}")
            if self.done == self.total:
                self.stream.write("\n")
        else:
            self.stream.write(f"[{self.done}/{self.total}] {printable(student)}: {what}\n")
        self.stream.flush()
