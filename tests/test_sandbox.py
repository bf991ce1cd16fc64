"""The worker's environment and its bounds, checked one mechanism at a time.

test_hostile.py grades whole hostile submissions; these tests start single
workers (remote.py) to show each mechanism on its own.
"""
import json
import platform
import site
import subprocess
import sys
from pathlib import Path

import pytest

from grader import sandbox
from grader.paths import ROOT

MODES = [pytest.param("bwrap", marks=pytest.mark.skipif(not sandbox.bwrap_path(), reason="bwrap not installed")),
         "none"]

ASK_WHERE = """
import json, sys, numpy
from grader import remote, sandbox
submission = remote.Submission(sys.argv[1], sys.argv[2], sandbox.Limits())
try:
    seen = remote.RemoteModule(submission, "probe").where()
finally:
    submission.close()
print(json.dumps({"worker": seen, "grader": [sys.prefix, numpy.__file__]}))
"""


@pytest.mark.parametrize("mode", MODES)
def test_the_worker_runs_in_the_graders_own_environment(mode, tmp_path):
    """A grader started from a venv runs its workers with that venv's packages (the venv's
    bin/python links to a base interpreter that does not have them)."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    packages = next((venv / "lib").glob("python*/site-packages"))
    (packages / "grading_environment.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    submission = tmp_path / "submission"
    submission.mkdir()
    (submission / "probe.py").write_text("import sys\nimport numpy\n\n\ndef where():\n"
                                         "    return [sys.prefix, numpy.__file__]\n")
    run = subprocess.run([str(venv / "bin" / "python"), "-c", ASK_WHERE, str(submission), mode],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout)
    assert Path(seen["grader"][0]) == venv
    assert seen["worker"] == seen["grader"]


def worker_on(machine):
    """A worker_command whose worker believes it runs on `machine`."""
    plain = sandbox.worker_command

    def command(mode, submission_dir, limits):
        *start, script, folder, cpu, memory, file_size = plain("none", submission_dir, limits)
        prelude = (f"import platform, runpy, sys; platform.machine = lambda: {machine!r}; "
                   f"sys.path.insert(0, {str(sandbox.RUNTIME)!r}); sys.argv = sys.argv[1:]; "
                   "runpy.run_path(sys.argv[0], run_name='__main__')")
        return [*start, "-c", prelude, script, folder, cpu, memory, file_size]
    return command


@pytest.mark.parametrize("machine", ["x86_64", "m68k"])
def test_the_record_says_whether_the_filter_is_on(machine, tmp_path, monkeypatch):
    from grader import remote

    (tmp_path / "probe.py").write_text("ANSWER = 42\n")
    monkeypatch.setattr(sandbox, "worker_command", worker_on(machine))
    submission = remote.Submission(str(tmp_path), "none", sandbox.Limits())
    try:
        assert remote.RemoteModule(submission, "probe").ANSWER == 42
    finally:
        submission.close()
    assert submission.seccomp is (machine == "x86_64" and platform.machine() == "x86_64")
