"""The stubs are generated from the solutions and kept in step with them."""
import ast
import subprocess
import sys

import pytest

from grader import build
from grader.paths import ASSIGNMENTS, MODULES, ROOT, SOLUTIONS


def test_assignments_are_up_to_date():
    result = subprocess.run([sys.executable, "-m", "grader", "build", "--check"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_reports_a_stale_stub(tmp_path, monkeypatch):
    monkeypatch.setattr(build, "ASSIGNMENTS", tmp_path)
    assert build.build(check=True) == 1
    assert build.build() == 0
    assert build.build(check=True) == 0
    (tmp_path / "perceptron.py").write_text("# edited\n")
    assert build.build(check=True) == 1


@pytest.mark.parametrize("module", MODULES)
def test_stub_keeps_every_signature_and_docstring_and_no_solution(module):
    solution_source = (SOLUTIONS / f"{module}.py").read_text()
    solution = ast.parse(solution_source)
    stub_source = (ASSIGNMENTS / f"{module}.py").read_text()
    stub = ast.parse(stub_source)
    functions = {n.name: n for n in solution.body if isinstance(n, ast.FunctionDef)}
    stubs = {n.name: n for n in stub.body if isinstance(n, ast.FunctionDef)}
    assert functions.keys() == stubs.keys()
    for name, function in functions.items():
        assert ast.dump(function.args) == ast.dump(stubs[name].args)
        assert ast.get_docstring(function) == ast.get_docstring(stubs[name])
        written = ast.get_source_segment(stub_source, stubs[name])
        if "# BEGIN SOLUTION" in ast.get_source_segment(solution_source, function):
            assert f'NotImplementedError("{name}:' in written
        else:  # given code, such as multiclass.weather_data, stays as it is
            assert written == ast.get_source_segment(solution_source, function)
    assert "BEGIN SOLUTION" not in stub_source


def test_module_level_region_becomes_names_to_set():
    source = "A = 1\n# BEGIN SOLUTION\nX = 2\nY: float = 3.0\n# END SOLUTION\n"
    assert build.make_stub(source) == "A = 1\nX = None  # TODO: set X\nY = None  # TODO: set Y\n"


@pytest.mark.parametrize("source, error", [
    ("def f():\n    # BEGIN SOLUTION\n    return 1\n", "without END"),
    ("# BEGIN SOLUTION\n# BEGIN SOLUTION\n", "inside another"),
    ("# BEGIN SOLUTION\nprint(1)\n# END SOLUTION\n", "must assign"),
])
def test_malformed_regions_are_reported_with_their_line(source, error):
    with pytest.raises(build.BuildError, match=error):
        build.make_stub(source, "solutions/x.py")
