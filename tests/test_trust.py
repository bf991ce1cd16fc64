"""Every grade in grades.csv is what the student's code deserves, or the run says that it is not.

The reference solutions are graded first, through the same path as the students: a broken
suite, a reference that fails a test or a worker that cannot start stops the run with exit 2
and its reason. The grader's own failure on one student is an empty row that says why, never
a zero.
"""
import json
import os
import shutil
import subprocess
import sys

import pytest
from conftest import grade_folder, gradebook, made_test, run_python

from grader import grade, reports, runner
from grader.grade import student_folder
from grader.paths import ASSIGNMENTS, HIDDEN, MODULES, ROOT
from grader.results import SubmissionResult



@pytest.fixture
def course(tmp_path, solution_copy):
    """A copy of the course (grader, suites, solutions) to break, and a folder with one student."""
    copy = tmp_path / "course"
    for part in ("grader", "assignments", "solutions", "tests/hidden"):
        shutil.copytree(ROOT / part, copy / part, ignore=shutil.ignore_patterns("__pycache__", "notebooks"))
    solution_copy(tmp_path / "submissions" / "ada")
    return copy


def grade_with(course, tmp_path, *extra):
    return subprocess.run([sys.executable, "-m", "grader", "grade", tmp_path / "submissions",
                           "--out", tmp_path / "out", *extra], cwd=course, capture_output=True, text=True,
                          timeout=300)


def edit(path, old, new):
    text = path.read_text()
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new))


def assert_stopped_before_grading(result, tmp_path, message):
    assert result.returncode == 2, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("grader: error:")]
    assert len(errors) == 1 and message in errors[0], result.stderr
    assert not (tmp_path / "out" / "grades.csv").exists()
    assert not (tmp_path / "out" / "students").exists()


def test_a_syntax_error_in_a_hidden_suite_stops_the_run(course, tmp_path):
    suite = course / "tests" / "hidden" / "test_activations.py"
    lines = suite.read_text().splitlines()
    lines.insert(40, "def broken(:")
    suite.write_text("\n".join(lines) + "\n")
    result = grade_with(course, tmp_path)
    assert_stopped_before_grading(result, tmp_path, "tests/hidden/test_activations.py: SyntaxError")
    assert "(line 41)" in result.stderr


def test_a_reference_that_fails_a_test_stops_the_run(course, tmp_path):
    edit(course / "solutions" / "activations.py", "np.where(np.asarray(z) >= 0, 1.0, 0.0)",
         "np.where(np.asarray(z) > 0, 1.0, 0.0)")
    result = grade_with(course, tmp_path)
    assert_stopped_before_grading(result, tmp_path, "the reference scores 0")
    assert "test_activations.py::" in result.stderr and "step" in result.stderr


def test_a_missing_suite_stops_the_run(course, tmp_path):
    (course / "tests" / "hidden" / "test_xor_network.py").unlink()
    result = grade_with(course, tmp_path)
    assert result.returncode == 2 and "test_xor_network.py" in result.stderr, result.stderr


@pytest.mark.parametrize("mode", ["bwrap", "none"])
def test_a_worker_that_cannot_start_stops_the_run(course, tmp_path, mode):
    if mode == "bwrap" and not shutil.which("bwrap"):
        pytest.skip("bwrap not installed")
    edit(course / "grader" / "worker.py", "import numpy  #", "import numpy_that_is_not_installed  #")
    result = grade_with(course, tmp_path, "--sandbox", mode)
    assert_stopped_before_grading(result, tmp_path, "the sandboxed worker could not start")
    assert "No module named 'numpy_that_is_not_installed'" in result.stderr


def test_the_reference_check_is_paid_once_per_suites(course, tmp_path, solution_copy):
    assert grade_with(course, tmp_path).returncode == 0
    check = tmp_path / "out" / "reference-check.json"
    first = check.stat().st_mtime_ns
    solution_copy(tmp_path / "submissions" / "bea")
    assert grade_with(course, tmp_path).returncode == 0 and gradebook(tmp_path / "out")["bea"]["status"] == "graded"
    assert check.stat().st_mtime_ns == first
    with (course / "tests" / "hidden" / "test_activations.py").open("a") as suite:
        suite.write("# a changed suite is checked again\n")
    assert grade_with(course, tmp_path).returncode == 0
    assert check.stat().st_mtime_ns != first


def test_the_graders_own_failure_is_an_empty_row_not_a_zero(tmp_path, solution_copy, monkeypatch):
    for student in ("ada", "bea"):
        solution_copy(tmp_path / "submissions" / student)
    out = tmp_path / "out"
    records, failures = grade_folder(tmp_path / "submissions", out)
    assert failures == [] and gradebook(out)["bea"]["status"] == "graded"
    (tmp_path / "submissions" / "bea" / "extra.py").write_text("X = 1\n")  # bea is graded again
    real = runner.grade_files

    def session_crash(files, *args, **kwargs):
        if "extra.py" in files:
            raise runner.GradingError("the grading session failed: Segmentation fault")
        return real(files, *args, **kwargs)

    monkeypatch.setattr(runner, "grade_files", session_crash)
    records, failures = grade_folder(tmp_path / "submissions", out)
    assert failures == ["bea: the grading session failed: Segmentation fault"]
    book = gradebook(out)
    assert book["bea"]["status"] == "not graded: the grading session failed: Segmentation fault"
    assert [book["bea"][m] for m in (*MODULES, "total")] == [""] * (len(MODULES) + 1)
    assert book["ada"]["status"] == "graded" and float(book["ada"]["total"]) > 0
    assert list(records) == ["ada"]  # bea's earlier record is of other files


def test_exit_status_is_one_when_a_student_could_not_be_graded(tmp_path, solution_copy, monkeypatch, capsys):
    from grader.__main__ import main

    solution_copy(tmp_path / "submissions" / "ada")
    monkeypatch.setattr(runner, "grade_files", lambda *a, **k: (_ for _ in ()).throw(
        runner.GradingError("the sandbox could not start")))
    monkeypatch.setattr(grade, "check_reference", lambda *a: grade.ReferenceCheck("", "bwrap", True, {}))
    assert main(["grade", str(tmp_path / "submissions"), "--out", str(tmp_path / "out")]) == 1
    printed = capsys.readouterr()
    assert "ada: the sandbox could not start" in printed.out
    assert "ada: not graded: the sandbox could not start" in printed.err


def test_every_limit_reaches_the_worker(tmp_path, solution_copy):
    folder = solution_copy(tmp_path / "submissions" / "loud")
    with (folder / "activations.py").open("a") as module:
        module.write("\nprint('x' * 5000)\n")
    records, _ = grade_folder(tmp_path / "submissions", tmp_path / "out", limits={"output_bytes": 300})
    output = records["loud"].output
    assert output.startswith("x" * 300) and "x" * 301 not in output and "more bytes of output cut" in output


def test_reveal_hidden_rewrites_the_feedback_without_regrading(tmp_path, stub_copy):
    stub_copy(tmp_path / "submissions" / "bo")
    command = ("-m", "grader", "grade", tmp_path / "submissions", "--out", tmp_path / "out")
    results = student_folder(tmp_path / "out", "bo") / "results.json"

    def hidden_messages_shown():
        tests = json.loads(results.read_text())["tests"]
        hidden = [t["output"] for t in tests if t["visibility"] == "after_published"]
        return not any(output.startswith("Hidden test failed:") for output in hidden)

    assert run_python(*command).returncode == 0 and not hidden_messages_shown()
    revealed = run_python(*command, "--reveal-hidden")
    assert "(unchanged)" in revealed.stderr and hidden_messages_shown()
    hidden_again = run_python(*command)
    assert "(unchanged)" in hidden_again.stderr and not hidden_messages_shown()


def test_names_cannot_break_the_gradebook_or_the_terminal(tmp_path, solution_copy):
    submissions = tmp_path / "submissions"
    names = ["grades.csv", "report.png", "students", "john\\smith", "john_smith", "=HYPERLINK(\"x\")",
             "evil\x1b[2J\x1b[31mred"]
    for name in names:
        solution_copy(submissions / name)
    not_utf8 = bytes(submissions) + b"/caf\xe9"
    shutil.copytree(submissions / "john_smith", not_utf8.decode("utf-8", "surrogateescape"))
    surrogate = solution_copy(submissions / "surrogate")
    edit(surrogate / "activations.py", "def relu(z):\n", "def relu(z):\n    raise ValueError('\\ud800')\n")
    out = tmp_path / "out"
    result = run_python("-m", "grader", "grade", submissions, "--out", out)
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout + result.stderr
    book = gradebook(out).values()
    assert len(book) == len(names) + 2
    assert all(row["status"] == "graded" and row["total"] != "" for row in book)
    students = [row["student"] for row in book]
    assert "'=HYPERLINK(\"x\")" in students and "caf\\udce9" in students
    assert len(list((out / "students").iterdir())) == len(book)
    assert "relu() raised ValueError" in (student_folder(out, "surrogate") / "feedback.md").read_text()


def test_spreadsheet_formulas_are_escaped():
    assert [reports.spreadsheet_safe(t) for t in ("=1+1", "+1", "-1", "@SUM(A1)", "ada")] == [
        "'=1+1", "'+1", "'-1", "'@SUM(A1)", "ada"]


def test_the_instructors_pytest_options_change_no_grade(tmp_path, solution_copy, stub_copy):
    solution_copy(tmp_path / "submissions" / "ada")
    stub_copy(tmp_path / "submissions" / "bo")
    command = ("-m", "grader", "grade", tmp_path / "submissions", "--out", tmp_path / "out")
    result = subprocess.run([sys.executable, *map(str, command)], cwd=ROOT, capture_output=True, text=True,
                            timeout=300, env={**os.environ, "PYTEST_ADDOPTS": "-x -k step"})
    assert result.returncode == 0, result.stderr
    tests = {student: json.loads((student_folder(tmp_path / "out", student) / "results.json").read_text())["tests"]
             for student in ("ada", "bo")}
    suites = [*ASSIGNMENTS.glob("test_*.py"), *HIDDEN.glob("test_*.py")]
    collected = run_python("-m", "pytest", "--collect-only", "-q", "-c", os.devnull, "--rootdir", ROOT, "-p",
                           "no:cacheprovider", "--import-mode=importlib", *suites)
    assert collected.returncode == 0, collected.stdout
    assert len(tests["bo"]) == len(tests["ada"]) == sum("::" in line for line in collected.stdout.splitlines())
    assert gradebook(tmp_path / "out")["ada"]["total"] == str(int(sum(t["max_score"] for t in tests["ada"])))


def test_a_submission_that_ran_other_tests_than_the_reference_is_not_graded():
    reference = SubmissionResult(tests=[made_test("a"), made_test("b", max_score=2.0)])
    grade.check_same_tests(reference, grade.tests_and_points(reference))
    with pytest.raises(runner.GradingError, match=r"its tests were not the reference's \(1 run, 2 expected"):
        grade.check_same_tests(SubmissionResult(tests=reference.tests[:1]), grade.tests_and_points(reference))


def test_one_message_shared_by_hidden_tests_only_is_not_shown():
    hidden = {"suite": "hidden", "message": "relu() raised ValueError: HIDDEN INPUT [1.5, -2.0]", "description": "relu"}
    result = SubmissionResult(tests=[made_test("h1", **hidden), made_test("h2", **hidden)], student="eve")
    assert "HIDDEN INPUT" not in reports.feedback(result)
    assert "HIDDEN INPUT" in reports.feedback(result, reveal_hidden=True)
