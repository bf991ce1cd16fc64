"""The student's side: the release bundle, `python -m grader check` and `python -m grader plot`."""
import re
import shutil
import struct

import pytest
from conftest import grader_without, run_python, solution_notebook

from grader.paths import ASSIGNMENTS, HIDDEN, MODULES, ROOT, SOLUTIONS

BEGIN, END = "# BEGIN SOLUTION", "# END SOLUTION"


def run(command, cwd):
    return run_python(*command, cwd=cwd)


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    destination = tmp_path_factory.mktemp("release") / "nn-course"
    result = run(["-m", "grader", "release", str(destination)], ROOT)
    assert result.returncode == 0, result.stderr
    return destination


def solution_lines():
    """The distinctive lines students must write themselves (not those the docstrings or the
    public tests already show)."""
    shown = "\n".join(path.read_text() for path in ASSIGNMENTS.glob("*.py"))
    lines = set()
    for module in MODULES:
        inside = False
        for line in (SOLUTIONS / f"{module}.py").read_text().splitlines():
            inside = (inside or line.strip() == BEGIN) and line.strip() != END
            if inside and len(line.strip()) > 12 and not line.strip().startswith("#"):
                lines.add(line.strip())
    return {line for line in lines if line not in shown}


def test_the_bundle_holds_no_solution_and_no_hidden_test(bundle):
    secrets = solution_lines() | {line.strip() for path in HIDDEN.glob("test_*.py")
                                  for line in path.read_text().splitlines() if "def test_" in line}
    assert len(secrets) > 40
    texts = {path: path.read_text(errors="replace") for path in bundle.rglob("*") if path.is_file()}
    leaks = [(str(path.relative_to(bundle)), s) for path, text in texts.items() for s in secrets if s in text]
    assert leaks == []
    names = {str(p.relative_to(bundle)) for p in texts}
    assert not any("hidden" in n or n.startswith(("solutions", "tests")) for n in names)
    assert {"README.md", "pyproject.toml", "assignments/activations.py", "assignments/notebooks/perceptron.ipynb",
            "grader/check.py", "grader/__main__.py"} <= names
    assert not {"grader/sandbox.py", "grader/grade.py", "grader/reference.py", "grader/build.py"} & names


def test_public_tests_in_the_bundle_fail_only_with_not_implemented(bundle):
    result = run(["-m", "pytest", "assignments/", "-q", "-p", "no:cacheprovider", "-rf"], bundle)
    failures = re.findall(r"^FAILED \S+ - (\w+)", result.stdout, re.MULTILINE)
    assert result.returncode == 1 and failures and set(failures) == {"NotImplementedError"}, result.stdout[-2000:]
    assert re.search(r"^\d+ failed in", result.stdout, re.MULTILINE)


def test_check_on_the_stubs_points_at_the_first_function(bundle):
    result = run(["-m", "grader", "check"], bundle)
    assert result.returncode == 1
    assert re.search(r"activations\s+0 / 9\s+9 of 9 public tests failing", result.stdout)
    assert "NotImplementedError: step:" in result.stdout
    assert "activations: read from assignments/notebooks/activations.ipynb (activations.py is the untouched stub)" \
        in result.stdout
    assert "See every failure with: the last cell of assignments/notebooks/activations.ipynb" in result.stdout
    assert "all tests passed" not in result.stdout.lower()


def finished_copy(bundle, folder, relu=None):
    """A copy of the bundle with the reference code in assignments/, relu's body replaced by `relu`."""
    shutil.copytree(bundle, folder)
    for module in MODULES:
        shutil.copy(SOLUTIONS / f"{module}.py", folder / "assignments")
    if relu is not None:
        path = folder / "assignments" / "activations.py"
        source = path.read_text()
        start = source.index("\ndef relu(")
        end = source.index("\ndef ", start + 1)
        path.write_text(source[:start] + source[start:source.index(":\n", start) + 2] + relu + "\n\n" + source[end:])
    return folder


def test_check_on_finished_code_says_public_tests_passed_not_all(bundle, tmp_path):
    finished = finished_copy(bundle, tmp_path / "finished")
    result = run(["-m", "grader", "check"], finished)
    assert result.returncode == 0, result.stdout
    assert result.stdout.count("public tests passed") == len(MODULES)
    assert "hidden tests" in result.stdout and "all tests passed" not in result.stdout.lower()
    only = run(["-m", "grader", "check", "perceptron"], finished)
    assert only.returncode == 0 and "activations" not in only.stdout


@pytest.mark.parametrize("relu, says", [
    ("    import os\n    os._exit(0)", "The public tests did not finish: the process running them exited with code 0"),
    ("    raise KeyboardInterrupt", "The public tests did not all run: KeyboardInterrupt in "
                                  "assignments/test_activations.py::test_relu"),
    ("    import pytest\n    pytest.exit('done', returncode=0)", "The public tests did not all run: Exit (done)"),
], ids=["os_exit", "keyboard_interrupt", "pytest_exit"])
def test_check_never_reports_success_when_student_code_ends_the_run(bundle, tmp_path, relu, says):
    result = run(["-m", "grader", "check"], finished_copy(bundle, tmp_path / "finished", relu))
    assert result.returncode == 1 and says in result.stdout, result.stdout + result.stderr
    assert "Every public test passed" not in result.stdout


def test_release_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    result = run(["-m", "grader", "release", str(tmp_path)], ROOT)
    assert result.returncode == 2 and "is not empty" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def png_size(path):
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000
    return struct.unpack(">II", data[16:24])


def test_plot_draws_the_students_pictures(bundle, tmp_path):
    pytest.importorskip("matplotlib")
    finished = finished_copy(bundle, tmp_path / "finished")
    result = run(["-m", "grader", "plot", "--out", "pictures"], finished)
    assert result.returncode == 0, result.stdout + result.stderr
    sizes = {p.name: png_size(p) for p in (finished / "pictures").iterdir()}
    assert sizes == {"perceptron.png": (1200, 460), "xor_network.png": (900, 420),
                     "gradient_descent.png": (1200, 380), "convergence.png": (1200, 500),
                     "multiclass.png": (1000, 460)}


def test_plot_on_unfinished_code_says_what_is_missing(bundle, tmp_path):
    pytest.importorskip("matplotlib")
    result = run(["-m", "grader", "plot", "--out", str(tmp_path / "pictures")], bundle)
    assert result.returncode == 1
    assert "perceptron.png not drawn: NotImplementedError: train_perceptron:" in result.stdout


def test_grading_draws_the_score_report(tmp_path, solution_copy):
    pytest.importorskip("matplotlib")
    solution_copy(tmp_path / "submissions" / "ada")
    result = run(["-m", "grader", "grade", str(tmp_path / "submissions"), "--out", str(tmp_path / "out")], ROOT)
    assert result.returncode == 0 and "Report:" in result.stdout
    assert png_size(tmp_path / "out" / "report.png") == (300 * (len(MODULES) + 1), 300)  # a panel each, and total


def test_without_matplotlib_nothing_is_drawn_and_grading_says_so(tmp_path, solution_copy):
    solution_copy(tmp_path / "submissions" / "ada")
    result = grader_without("matplotlib", ["grade", tmp_path / "submissions", "--out", tmp_path / "out"], tmp_path)
    assert result.returncode == 0
    assert "report.png not drawn: matplotlib is not installed" in result.stdout
    assert not (tmp_path / "out" / "report.png").exists()


def test_plot_reports_a_system_exit_in_student_code(bundle, tmp_path):
    pytest.importorskip("matplotlib")
    finished = finished_copy(bundle, tmp_path / "finished")
    path = finished / "assignments" / "perceptron.py"
    path.write_text(path.read_text() + "\nraise SystemExit(3)\n")
    result = run(["-m", "grader", "plot", "--out", "pictures"], finished)
    assert result.returncode == 1
    assert "perceptron.png not drawn: SystemExit: 3" in result.stdout
    assert "drew pictures/gradient_descent.png" in result.stdout


def notebook_copy(bundle, folder):
    """A copy of the bundle whose notebooks hold the reference code; the .py files stay the stubs."""
    shutil.copytree(bundle, folder)
    for module in MODULES:
        (folder / "assignments" / "notebooks" / f"{module}.ipynb").write_text(solution_notebook(module))
    return folder


def test_check_and_plot_read_the_notebooks_where_the_py_files_are_the_stubs(bundle, tmp_path):
    pytest.importorskip("matplotlib")
    student = notebook_copy(bundle, tmp_path / "student")
    check = run(["-m", "grader", "check"], student)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.count("public tests passed") == len(MODULES)
    plot = run(["-m", "grader", "plot", "--out", "pictures"], student)
    assert plot.returncode == 0, plot.stdout + plot.stderr
    assert {p.name for p in (student / "pictures").iterdir()} == {
        "perceptron.png", "xor_network.png", "gradient_descent.png", "convergence.png", "multiclass.png"}
    for result in (check, plot):
        for module in MODULES:
            assert f"{module}: read from assignments/notebooks/{module}.ipynb ({module}.py is the untouched stub)" \
                in result.stdout


def test_a_changed_py_file_counts_over_its_notebook_and_line_endings_change_nothing(bundle, tmp_path):
    student = notebook_copy(bundle, tmp_path / "student")
    assignments = student / "assignments"
    crlf = (assignments / "activations.py").read_bytes().replace(b"\n", b"\r\n")  # a Windows checkout
    (assignments / "activations.py").write_bytes(crlf)
    (assignments / "xor_network.py").unlink()
    started = assignments / "perceptron.py"
    started.write_text(started.read_text() + "\n# started here, then went on in the notebook\n")
    result = run(["-m", "grader", "check"], student)
    assert result.returncode == 1
    assert "activations: read from assignments/notebooks/activations.ipynb (activations.py is the untouched stub)" \
        in result.stdout
    assert "xor_network: read from assignments/notebooks/xor_network.ipynb (xor_network.py is missing)" \
        in result.stdout
    assert "perceptron: read from" not in result.stdout
    assert re.search(r"^  activations\s+(\d+) / \1\s+public tests passed", result.stdout, re.MULTILINE)
    assert re.search(r"^  perceptron\s+0 / \d+\s+(\d+) of \1 public tests failing", result.stdout, re.MULTILINE)
    assert "Look next at perceptron" in result.stdout and "NotImplementedError: weighted_sum:" in result.stdout
    assert "See every failure with: pytest assignments/test_perceptron.py" in result.stdout
