"""The student's tools cannot hang: in the release bundle, `pytest assignments/` and
`python -m grader check` stop a stuck test and name the line it was stuck on."""
import re

from conftest import run_python

from grader.paths import ROOT, SOLUTIONS

ENDLESS_STEP = "    while z is not None:\n        z = np.asarray(z)\n    return z"


def test_a_stuck_test_fails_and_names_the_endless_loop(tmp_path):
    bundle = tmp_path / "nn-course"
    assert run_python("-m", "grader", "release", bundle, cwd=ROOT).returncode == 0
    harness = bundle / "assignments" / "harness.py"
    assert "TEST_SECONDS = 30\n" in harness.read_text()
    harness.write_text(harness.read_text().replace("TEST_SECONDS = 30\n", "TEST_SECONDS = 1\n"))
    source = (SOLUTIONS / "activations.py").read_text()
    (bundle / "assignments" / "activations.py").write_text(
        source.replace("    return np.where(np.asarray(z) >= 0, 1.0, 0.0)", ENDLESS_STEP))
    line = source.splitlines().index("    return np.where(np.asarray(z) >= 0, 1.0, 0.0)") + 1
    stuck = re.compile(rf"did not finish within 1 s: most likely an endless loop, at activations\.py, "
                       rf"line ({line}|{line + 1}), in step")

    tests = run_python("-m", "pytest", "assignments/test_activations.py", "-q", "-p", "no:cacheprovider", cwd=bundle)
    assert re.search(r"^2 failed, 7 passed in", tests.stdout, re.MULTILINE), tests.stdout[-2000:]
    assert stuck.search(tests.stdout), tests.stdout[-2000:]

    check = run_python("-m", "grader", "check", "activations", cwd=bundle)
    assert check.returncode == 1 and "2 of 9 public tests failing" in check.stdout, check.stdout
    assert stuck.search(check.stdout), check.stdout
