"""Notebooks: built from the same source as the stubs, handed in instead of .py files."""
import json
import os
import shutil
import subprocess
import sys

import nbformat
import pytest
from conftest import grade_folder, solution_notebook

from grader import results
from grader.paths import ASSIGNMENTS, MODULES, ROOT


@pytest.mark.parametrize("module", MODULES)
def test_built_notebooks_are_valid_and_shaped_like_the_lecture(module):
    notebook = nbformat.read(ASSIGNMENTS / "notebooks" / f"{module}.ipynb", as_version=4)
    nbformat.validate(notebook)
    kinds = [cell.cell_type for cell in notebook.cells]
    assert kinds[0] == "markdown" and notebook.cells[0].source.startswith(f"# `{module}`")
    assert "run_public_tests" in notebook.cells[-1].source
    functions = [c.source for c in notebook.cells if c.cell_type == "code" and c.source.startswith("def ")]
    assert functions and all("raise NotImplementedError" in f for f in functions)
    assert all(kinds[i - 1] == "markdown" for i, c in enumerate(notebook.cells) if c.source.startswith("def "))


@pytest.fixture(scope="module")
def graded(tmp_path_factory, solution_copy):
    root = tmp_path_factory.mktemp("notebooks")
    (root / "from solutions").mkdir()
    (root / "from stubs").mkdir()
    for module in MODULES:
        (root / "from solutions" / f"{module}.ipynb").write_text(solution_notebook(module))
        shutil.copy(ASSIGNMENTS / "notebooks" / f"{module}.ipynb", root / "from stubs")
    clone = root / "clone" / "nn-course" / "assignments"
    (clone / "notebooks").mkdir(parents=True)
    for module in MODULES:
        shutil.copy(ASSIGNMENTS / f"{module}.py", clone)
        (clone / "notebooks" / f"{module}.ipynb").write_text(solution_notebook(module))
    crlf = (clone / "activations.py").read_bytes().replace(b"\n", b"\r\n")  # a Windows checkout: still untouched
    (clone / "activations.py").write_bytes(crlf)
    both = solution_copy(root / "both")
    buggy = (both / "perceptron.py").read_text().replace("AND_BIAS = -2.0", "AND_BIAS = 0.0")
    (both / "perceptron.py").write_text(buggy)
    (both / "perceptron.ipynb").write_text(solution_notebook("perceptron"))
    bad = solution_copy(root / "bad")
    for module, text in (("xor_network", "{not json"), ("gradient_descent", '{"cells": 5}')):
        (bad / f"{module}.py").unlink()
        (bad / f"{module}.ipynb").write_text(text)
    magics = json.loads(solution_notebook("activations"))
    magics["cells"].insert(3, nbformat.v4.new_code_cell("%matplotlib inline\n!touch /tmp/nn-magic-ran\nx = 1"))
    magics["cells"].insert(4, nbformat.v4.new_code_cell("%%bash\ntouch /tmp/nn-magic-ran"))
    magics["cells"].append(nbformat.v4.new_code_cell("run_public_tests('activations', globals())"))
    for cell in magics["cells"]:
        cell.pop("id", None)
    (solution_copy(root / "magics") / "activations.py").unlink()
    (root / "magics" / "activations.ipynb").write_text(json.dumps(magics))
    results, failures = grade_folder(root, tmp_path_factory.mktemp("out"))
    assert failures == []
    return results


def scores(result):
    return result.scores()


@pytest.mark.parametrize("student", ["from solutions", "clone", "magics"])
def test_correct_notebooks_score_full_marks(graded, student):
    lost = [(t.nodeid, t.message) for t in graded[student].tests if t.score < t.max_score]
    assert lost == []


def test_stub_notebooks_score_nothing_with_not_implemented(graded):
    tests = graded["from stubs"].tests
    assert results.total(tests).points == 0
    assert all("NotImplementedError" in t.message for t in tests if t.suite == "public")


def test_the_feedback_says_which_file_was_graded(graded):
    assert any("activations.ipynb was graded (activations.py is the untouched stub)" in p
               for p in graded["clone"].problems)
    assert "both perceptron.py and perceptron.ipynb were handed in: perceptron.py was graded" \
        in graded["both"].problems
    assert not scores(graded["both"])["perceptron"].full


def test_a_broken_notebook_costs_its_assignment_only(graded):
    bad = graded["bad"]
    assert {m: s.full for m, s in scores(bad).items()} == {
        "activations": True, "perceptron": True, "gradient_descent": False, "xor_network": False,
        "multiclass": False}
    assert scores(bad)["xor_network"].points == 0
    lost = [t for t in bad.tests if t.score < t.max_score]
    # multiclass loses only what builds on gradient_descent: one-vs-rest
    assert all("one_vs_rest" in t.nodeid for t in lost if t.assignment == "multiclass")
    messages = {t.assignment: t.message for t in lost}
    assert "xor_network.ipynb is not a notebook: not valid JSON" in messages["xor_network"]
    assert "gradient_descent.ipynb is not a valid notebook" in messages["gradient_descent"]


def test_magics_and_shell_lines_become_comments_and_test_cells_are_left_out():
    from nbsupport import SKIP_TAG, notebook_source

    cell = nbformat.v4.new_code_cell
    notebook = nbformat.v4.new_notebook(cells=[
        cell("import sys", metadata={"tags": [SKIP_TAG]}), nbformat.v4.new_markdown_cell("x = 0"),
        cell("%matplotlib inline\nfor i in range(2):\n    !echo hi\nX = 1"), cell("%%bash\nrm -rf /"),
        cell("run_public_tests('activations', globals())")])
    source = notebook_source(notebook)
    assert source == ("# cell 3\npass  # %matplotlib inline\nfor i in range(2):\n    pass  # !echo hi\nX = 1\n"
                      "\n# cell 4\n# %%bash\n# rm -rf /\n")
    compile(source, "activations.py", "exec")


def grading_imports_nbformat(submissions, out):
    code = ("import sys\nfrom pathlib import Path\nfrom grader import grade\n"
            f"grade.run(grade.Options(Path({str(submissions)!r}), Path({str(out)!r}), workers=1))\n"
            "print('nbformat' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    return result.stdout.strip().splitlines()[-1]


def test_nbformat_is_imported_only_when_a_notebook_is_met(tmp_path, solution_copy):
    solution_copy(tmp_path / "plain" / "ada")
    assert grading_imports_nbformat(tmp_path / "plain", tmp_path / "out1") == "False"
    (tmp_path / "plain" / "ada" / "activations.py").unlink()
    (tmp_path / "plain" / "ada" / "activations.ipynb").write_text(solution_notebook("activations"))
    assert grading_imports_nbformat(tmp_path / "plain", tmp_path / "out2") == "True"


RUN_CELLS = """
import json, sys
from pathlib import Path
namespace = {"__name__": "__main__"}
result = None
for cell in json.loads(Path(sys.argv[1]).read_text())["cells"]:
    if cell["cell_type"] == "code":
        source = "".join(cell["source"])
        if source.startswith("run_public_tests"):
            result = eval(source, namespace)
        else:
            exec(source, namespace)
print("EXIT", int(result))
"""


@pytest.mark.parametrize("filled, exit_code", [(True, 0), (False, 1)])
def test_a_notebook_runs_its_public_tests_in_the_kernel(tmp_path, filled, exit_code):
    # Like a student's Jupyter kernel: cells run in order in one namespace, from the notebooks folder,
    # and `from activations import sigmoid` takes the student's activations notebook.
    assignments = tmp_path / "assignments"
    shutil.copytree(ASSIGNMENTS, assignments, ignore=shutil.ignore_patterns("__pycache__"))
    if filled:
        for module in MODULES:
            (assignments / "notebooks" / f"{module}.ipynb").write_text(solution_notebook(module))
    result = subprocess.run([sys.executable, "-c", RUN_CELLS, "gradient_descent.ipynb"],
                            cwd=assignments / "notebooks", capture_output=True, text=True, timeout=300)
    assert f"EXIT {exit_code}" in result.stdout, result.stdout[-3000:] + result.stderr[-3000:]


def course_copy(tmp_path):
    """A student's copy of the course: assignments/ as handed out, the notebooks holding the reference."""
    assignments = tmp_path / "course" / "assignments"
    shutil.copytree(ASSIGNMENTS, assignments, ignore=shutil.ignore_patterns("__pycache__"))
    for module in MODULES:
        (assignments / "notebooks" / f"{module}.ipynb").write_text(solution_notebook(module))
    return assignments.resolve()


def code_cells(module):
    cells = nbformat.read(ASSIGNMENTS / "notebooks" / f"{module}.ipynb", as_version=4).cells
    return [cell.source for cell in cells if cell.cell_type == "code"]


@pytest.mark.parametrize("start", [".", "assignments", "assignments/notebooks"])
def test_the_setup_cell_finds_its_support_wherever_jupyter_starts(tmp_path, start):
    assignments = course_copy(tmp_path)
    setup = code_cells("perceptron")[0]
    code = setup + "\nimport activations, nbsupport\nprint(nbsupport.__file__)\nprint(activations.__file__)"
    result = subprocess.run([sys.executable, "-c", code], cwd=assignments.parent / start, capture_output=True,
                            text=True, timeout=60)
    assert result.stdout.splitlines() == [str(assignments / "nbsupport.py"),
                                          str(assignments / "notebooks" / "activations.ipynb")], result.stderr


KERNEL = """
import sys
from IPython.core.interactiveshell import InteractiveShell

shell = InteractiveShell.instance(colors='NoColor')
for source in sys.argv[1:]:
    if source == "EDIT":
        edit()
    else:
        shell.run_cell(source).raise_error()
"""


def test_an_edit_to_an_imported_notebook_is_read_by_the_next_import_without_a_restart(tmp_path):
    pytest.importorskip("IPython")
    assignments = course_copy(tmp_path)
    edited = json.loads(solution_notebook("activations"))
    edited["cells"].append(nbformat.v4.new_code_cell('def step(z):\n    return "edited step"'))
    edit = f"import pathlib\ndef edit():\n    pathlib.Path('activations.ipynb').write_text({json.dumps(edited)!r})\n"
    setup, imports = code_cells("perceptron")[:2]
    assert "from activations import step" in imports
    cells = [setup, imports, "print(step(0.0))", "EDIT", "print(step(0.0))",
             'run_public_tests("perceptron", globals())', imports, "print(step(0.0))"]
    result = subprocess.run([sys.executable, "-c", edit + KERNEL, *cells], cwd=assignments / "notebooks",
                            capture_output=True, text=True, timeout=120,
                            env={**os.environ, "IPYTHONDIR": str(tmp_path / "ipython")})
    printed = [line for line in result.stdout.splitlines() if "step" in line or line == "1.0"]
    assert printed[:2] == ["1.0", "1.0"], result.stdout + result.stderr  # the name keeps what it was bound to
    assert printed[2].startswith("Not your latest saved code: step (from activations)")
    assert printed[-1] == "edited step"
