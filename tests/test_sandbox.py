"""The worker's environment and its bounds, checked one mechanism at a time.

test_hostile.py grades whole hostile submissions; these tests start single
workers (remote.py) to show each mechanism on its own.
"""
import json
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



INSIDE = """
import ctypes, errno, os
print("capabilities", [l.split()[1] for l in open("/proc/self/status") if l.startswith("CapEff")][0])
libc = ctypes.CDLL(None, use_errno=True)
os.mkdir("/tmp/mounted")
print("mount", libc.mount(b"none", b"/tmp/mounted", b"tmpfs", 0, None), errno.errorcode[ctypes.get_errno()])
for folder in ("/dev", "/dev/shm", "/tmp"):
    written = 0
    try:
        with open(folder + "/filler", "wb") as filler:
            for _ in range(64):
                written += filler.write(bytes(2 ** 16))
                filler.flush()
    except OSError as error:
        print(folder, written, errno.errorcode[error.errno])
"""


@pytest.mark.skipif(not sandbox.bwrap_path(), reason="bwrap not installed")
def test_the_sandbox_keeps_no_capabilities_and_sizes_its_filesystems(tmp_path):
    """Without the worker's own filter: bwrap alone drops every capability (no mount), keeps
    /dev read-only and /dev/shm and /tmp within their size."""
    limits = sandbox.Limits(tmp_bytes=2 ** 20)
    command = sandbox.bwrap_command(tmp_path, limits) + [sys.executable, "-E", "-s", "-c", INSIDE]
    run = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert run.stdout.splitlines() == ["capabilities 0000000000000000", "mount -1 EPERM", "/dev 0 EROFS",
                                       "/dev/shm 1048576 ENOSPC", "/tmp 1048576 ENOSPC"], run.stderr
