"""What a student sees: `pytest assignments/` on the stubs and on finished code."""
import re
import shutil

from conftest import run_python

from grader.paths import ASSIGNMENTS, MODULES, SOLUTIONS


def run_pytest(path):
    return run_python("-m", "pytest", path, "-q", "-p", "no:cacheprovider", "-rfE")


def test_stubs_fail_only_with_not_implemented_naming_the_function():
    result = run_pytest(ASSIGNMENTS)
    failed = re.findall(r"^FAILED (\S+) - (.*)$", result.stdout, re.MULTILINE)
    assert re.search(r"^(\d+) failed in", result.stdout, re.MULTILINE), result.stdout[-2000:]
    assert "error" not in result.stdout.splitlines()[-1]
    total = int(re.search(r"^(\d+) failed", result.stdout, re.MULTILINE).group(1))
    assert len(failed) == total >= 5 * len(MODULES)
    for test, message in failed:
        assert message.startswith("NotImplementedError: "), (test, message)


def test_finished_code_passes_every_public_test(tmp_path):
    for path in [*ASSIGNMENTS.glob("test_*.py"), ASSIGNMENTS / "harness.py", ASSIGNMENTS / "conftest.py"]:
        shutil.copy(path, tmp_path)
    for module in MODULES:
        shutil.copy(SOLUTIONS / f"{module}.py", tmp_path)
    result = run_pytest(tmp_path)
    assert result.returncode == 0, result.stdout[-3000:]
    assert re.search(r"^\d+ passed in", result.stdout, re.MULTILINE)


def test_a_failure_shows_the_call_the_expected_and_the_actual_value(tmp_path):
    for path in [ASSIGNMENTS / "test_activations.py", ASSIGNMENTS / "harness.py", ASSIGNMENTS / "conftest.py"]:
        shutil.copy(path, tmp_path)
    source = (SOLUTIONS / "activations.py").read_text()
    buggy = source.replace("np.asarray(z) >= 0, 1.0, 0.0", "np.asarray(z) > 0, 1.0, 0.0")
    (tmp_path / "activations.py").write_text(buggy)
    result = run_pytest(tmp_path / "test_activations.py")
    assert "step(array([-2.e+00, -1.e-09,  0.e+00,  1.e-09,  3.e+00]))" in result.stdout
    assert "expected array([0., 0., 1., 1., 1.])" in result.stdout
    assert "got      array([0., 0., 0., 1., 1.])" in result.stdout
    assert "worst difference at index (2,): expected 1.0, got 0.0" in result.stdout
