"""python -m grader grade: the instructor's command, its outputs and its errors."""
import concurrent.futures
import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

import pytest
from conftest import made_test, processes_naming, run_python

from grader import grade, reports, submissions
from grader.grade import load_result, student_folder
from grader.paths import MODULES, ROOT
from grader.results import SubmissionResult
from grader.runner import GradingError


def grader(*args):
    return run_python("-m", "grader", *args)


@pytest.fixture(scope="module")
def course(tmp_path_factory, solution_copy, stub_copy):
    submissions = tmp_path_factory.mktemp("submissions")
    solution_copy(submissions / "ada lovelace")
    stub_copy(submissions / "bo")
    out = tmp_path_factory.mktemp("out")
    result = grader("grade", submissions, "--out", out, "--workers", 2)
    return submissions, out, result


def test_grading_exits_zero_and_prints_a_summary(course):
    _, _, result = course
    assert result.returncode == 0, result.stderr
    assert "activations" in result.stdout and "full marks" in result.stdout
    assert "Most-failed tests:" in result.stdout
    assert "[2/2]" in result.stderr


def test_gradebook_has_a_row_per_student_with_points_per_assignment(course):
    _, out, _ = course
    with (out / "grades.csv").open(newline="") as stream:
        assert next(csv.reader(stream)) == ["student", "id", *MODULES, "total", "late", "status"]
        stream.seek(0)
        rows = list(csv.DictReader(stream))
    assert [r["student"] for r in rows] == ["ada lovelace", "bo"]
    full, stub = rows
    assert float(full["total"]) == sum(float(full[m]) for m in MODULES) > 0
    assert [stub[m] for m in MODULES] == ["0"] * len(MODULES) and stub["total"] == "0"
    assert stub["status"] == full["status"] == "graded" and stub["id"] == stub["late"] == ""


def test_results_json_is_in_gradescope_format(course):
    _, out, _ = course
    results = json.loads((student_folder(out, "bo") / "results.json").read_text())
    assert results["score"] == 0 and results["execution_time"] > 0
    assert {t["visibility"] for t in results["tests"]} == {"visible", "after_published"}
    for test in results["tests"]:
        assert {"name", "score", "max_score", "output", "visibility", "tags"} <= set(test)
        assert test["tags"][0] in MODULES
    hidden = [t for t in results["tests"] if t["visibility"] == "after_published"]
    assert all(t["output"].startswith("Hidden test failed:") for t in hidden)
    full = json.loads((student_folder(out, "ada lovelace") / "results.json").read_text())
    assert full["score"] == sum(t["max_score"] for t in full["tests"])


def test_feedback_explains_lost_points_and_keeps_hidden_inputs_hidden(course):
    _, out, _ = course
    feedback = (student_folder(out, "bo") / "feedback.md").read_text()
    assert "## activations: 0 /" in feedback
    assert "NotImplementedError: step: replace this line" in feedback
    assert "(hidden, 2 points lost)" in feedback
    assert "sigmoid(array([-1.e+04" not in feedback  # a hidden test's input
    assert re.search(r"^All \d+ tests passed\.$", (student_folder(out, "ada lovelace") / "feedback.md").read_text(),
                     re.MULTILINE)


def test_rerun_skips_unchanged_submissions_and_force_regrades(course, tmp_path):
    submissions, out, _ = course
    again = grader("grade", submissions, "--out", out)
    assert again.returncode == 0 and again.stderr.count("(unchanged)") == 2
    forced = grader("grade", submissions, "--out", out, "--only", "bo", "--force", "--reveal-hidden")
    assert forced.returncode == 0 and "(unchanged)" not in forced.stderr and "bo:" in forced.stderr
    assert len((out / "grades.csv").read_text().splitlines()) == 3
    feedback = (student_folder(out, "bo") / "feedback.md").read_text()
    assert "sigmoid() raised NotImplementedError" in feedback.split("sigmoid at +-1000")[1]


@pytest.mark.parametrize("args, message", [
    (["grade", "/no/such/folder", "--out", "{tmp}/out"], "grader: error: no such folder: /no/such/folder"),
    (["grade", "{tmp}", "--out", "{tmp}/file/out"], "grader: error: cannot write to {tmp}/file/out"),
    (["grade", "{tmp}", "--out", "{tmp}/out", "--only", "nobody"], "grader: error: no submission named nobody"),
    (["grade", "{tmp}", "--out", "{tmp}/out"], "grader: error: no submissions found in {tmp}"),
    (["grade", "{tmp}", "--out", "{tmp}/out", "--workers", "0"], "must be positive, got 0"),
])
def test_the_graders_own_errors_exit_non_zero_with_one_line(tmp_path, args, message):
    (tmp_path / "file").write_text("")
    result = grader(*(a.format(tmp=tmp_path) for a in args))
    assert result.returncode == 2
    assert message.format(tmp=tmp_path) in result.stderr
    assert not (tmp_path / "out" / "grades.csv").exists()


def test_an_interrupted_run_leaves_whole_files_and_resumes(tmp_path, solution_copy):
    submissions = tmp_path / "submissions"
    for student in ("a", "b", "c"):
        folder = solution_copy(submissions / student)
    (folder / "activations.py").write_text("while True:\n    pass\n")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "grader", "grade", submissions, "--out", out, "--workers", "1", "--timeout", "5"]
    scratch = tmp_path / "scratch"  # the run's scratch folders, named by all its processes
    scratch.mkdir()
    # SIGINT as at a terminal, even where this test runs in a background job (which ignores it).
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=dict(os.environ, TMPDIR=str(scratch)),
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    while not (student_folder(out, "b") / "grading.json").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    process.send_signal(signal.SIGINT)
    _, errors = process.communicate(timeout=60)
    assert process.returncode == 130 and "interrupted" in errors
    assert [p for p in out.rglob("*") if p.name.startswith(".")] == []
    assert not (student_folder(out, "c") / "grading.json").exists()
    # A worker spawned the instant its session was killed may set its parent-death signal too
    # late (bwrap sets it after exec); it ends by itself on finding its session's pipes closed.
    deadline = time.monotonic() + 10
    while processes_naming(scratch) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert processes_naming(scratch) == []
    resumed = grader("grade", submissions, "--out", out, "--timeout", "5")
    assert resumed.returncode == 0
    assert resumed.stderr.count("(unchanged)") == 2
    assert len((out / "grades.csv").read_text().splitlines()) == 4


def test_out_inside_the_submissions_folder_is_not_a_student(tmp_path, solution_copy):
    solution_copy(tmp_path / "ada")
    for _ in range(2):
        result = grader("grade", tmp_path, "--out", tmp_path / "out")
        assert result.returncode == 0 and "skipped out: it holds OUT" in result.stderr
    assert [row.split(",")[0] for row in (tmp_path / "out" / "grades.csv").read_text().splitlines()] == [
        "student", "ada"]


def test_output_printed_during_the_hidden_tests_is_shown_only_with_reveal_hidden():
    result = SubmissionResult(tests=[], student="ada", output="printed at import", hidden_output="hidden input 0.25")
    for reveal in (False, True):
        feedback = reports.feedback(result, reveal_hidden=reveal)
        results = json.loads(reports.gradescope(result, reveal_hidden=reveal))["output"]
        assert "printed at import" in feedback and "printed at import" in results
        assert ("hidden input 0.25" in feedback) is reveal and ("hidden input 0.25" in results) is reveal
        assert "while the hidden tests ran" in feedback and "while the hidden tests ran" in results


def test_feedback_fences_are_longer_than_any_backticks_they_quote():
    message = "expected ``` but\n````\n**Total: 178 / 178**"
    feedback = reports.feedback(SubmissionResult(tests=[made_test(message=message)], student="ada", output=message))
    assert feedback.count("  `````\n") == 2 and feedback.count("\n`````\n") == 2


def test_file_names_in_the_feedback_are_code_on_one_line():
    name = "a.py`\n\n**Total: 178 / 178**\n\n<img src=x onerror=alert(1)>.py"
    result = SubmissionResult(tests=[made_test()], student="eve", sandbox="bwrap", files=["`b`.py", name])
    assert reports.how_graded(result) == (
        "Graded `` `b`.py ``, ``a.py`\\n\\n**Total: 178 / 178**\\n\\n<img src=x onerror=alert(1)>.py`` "
        "in the bwrap sandbox in 0.0 s.")
    assert [line for line in reports.feedback(result).splitlines() if "178" in line] == [reports.how_graded(result)]


@pytest.mark.parametrize("student, heading", [
    ("Ada Lovelace", "# Feedback for Ada Lovelace"),
    ("eve\n\n**Total: 178 / 178**", "# Feedback for eve\\n\\n\\*\\*Total: 178 / 178\\*\\*"),
    ("<img src=x onerror=alert(1)> [me](http://x) `a` _b_ #1",
     "# Feedback for \\<img src=x onerror=alert(1)\\> \\[me\\](http://x) \\`a\\` \\_b\\_ \\#1"),
])
def test_the_students_name_in_the_feedback_is_plain_text_on_one_line(student, heading):
    lines = reports.feedback(SubmissionResult(tests=[made_test()], student=student)).splitlines()
    assert lines[0] == heading and not any("178" in line for line in lines[1:])


class FailingReferenceBackend:
    """A backend whose reference check fails with `error`, recording what was submitted before it failed."""

    def __init__(self, error=GradingError("the reference's worker was killed by SIGKILL")):
        self.submitted, self.error = [], error

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        pass

    def submit(self, files):
        self.submitted.append("reference" if files == grade.reference_files() else "student")
        future = concurrent.futures.Future()
        if files == grade.reference_files():
            future.set_exception(self.error)
        return future

    def stop(self, futures):
        pass


def grade_one_student(backend, mode, folder, stub_copy, monkeypatch):
    """grade_students on one student (the stubs) with `backend`."""
    monkeypatch.setattr(grade, "backend_for", lambda options, mode: backend)
    entry = submissions.Entry("ada", stub_copy(folder / "ada"))
    grade.grade_students([entry], [entry], grade.Options(submissions=folder, out=folder / "out"), mode)


@pytest.mark.parametrize(("mode", "submitted"), [("user", ["reference"]), ("bwrap", ["reference", "student"])])
def test_in_user_mode_no_student_runs_beside_the_reference(mode, submitted, tmp_path, stub_copy, monkeypatch):
    # In user mode every worker runs as one account: a student's worker could kill the reference's.
    backend = FailingReferenceBackend()
    with pytest.raises(GradingError, match="grading the reference solutions failed: .* SIGKILL"):
        grade_one_student(backend, mode, tmp_path, stub_copy, monkeypatch)
    assert backend.submitted == submitted


def test_a_reference_that_could_not_be_graded_stops_the_run_with_its_reason(tmp_path, stub_copy, monkeypatch):
    backend = FailingReferenceBackend(OSError(28, "No space left on device"))
    with pytest.raises(GradingError, match=r"reference solutions failed: \[Errno 28\] No space left on device"):
        grade_one_student(backend, "bwrap", tmp_path, stub_copy, monkeypatch)


def test_a_result_survives_its_json_and_a_file_of_another_shape_is_graded_again(course, tmp_path):
    _, out, _ = course
    folder = tmp_path / "bo"
    shutil.copytree(student_folder(out, "bo"), folder)
    saved = load_result(folder)
    assert saved.student == "bo" and saved.files == sorted(f"{m}.py" for m in MODULES)
    assert saved.tests and saved.total().max_points > 0 and saved.sandbox
    assert SubmissionResult.from_json(saved.to_json()) == saved
    for other in (json.dumps({"tests": [{"nodeid": "x"}], "student": "bo"}), "[" * 100_000 + "]" * 100_000,
                  '{"tests": []', json.dumps(["not", "a", "result"])):
        (folder / "grading.json").write_text(other)
        assert load_result(folder) is None


def test_feedback_and_summary_say_how_a_submission_was_graded():
    crashed = SubmissionResult(tests=[made_test()], student="eve", sandbox="bwrap", restarts=2,
                               files=["activations.py"], execution_time=1.3)
    calm = SubmissionResult(tests=[made_test(score=1.0)], student="ada", sandbox="user", files=["activations.py"])
    feedback = reports.feedback(crashed)
    assert "Graded `activations.py` in the bwrap sandbox in 1.3 s." in feedback
    assert "crashed or hung 2 times" in feedback and "crashed or hung" not in reports.feedback(calm)
    summary = reports.summary([crashed, calm])
    assert "1 submission crashed or hung the worker (2 restarts in all;" in summary
    assert "Sandbox: bwrap, user." in summary
