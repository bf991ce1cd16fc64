"""The worker's environment and its bounds, checked one mechanism at a time.

test_hostile.py grades whole hostile submissions; these tests start single
workers (remote.py) to show each mechanism on its own.
"""
import json
import site
import struct
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
from grader.session import files_in
submission = remote.SandboxedSubmission(sys.argv[2], sandbox.Limits(), files_in(sys.argv[1]))
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


def run_filter(program, nr, arch=0xC000003E, first_argument=0):
    """What a classic-BPF seccomp program answers for one system call."""
    data = struct.pack("<iI8xQ", nr, arch, first_argument)
    instructions = [struct.unpack("<HBBI", program[i:i + 8]) for i in range(0, len(program), 8)]
    accumulator, at = 0, 0
    while True:
        code, true, false, k = instructions[at]
        if code == 0x20:  # load a word of the data
            accumulator = struct.unpack_from("<I", data, k)[0]
        elif code == 0x06:  # return
            return k
        elif code in (0x15, 0x45):  # jump if equal, jump if any bit set
            at += true if (accumulator == k if code == 0x15 else accumulator & k) else false
        at += 1


@pytest.mark.parametrize("bounded", [set(), {"memory", "tasks"}])
def test_the_filter_refuses_what_it_must(bounded, monkeypatch):
    monkeypatch.syspath_prepend(str(sandbox.RUNTIME))
    import worker

    program = worker.seccomp_program("x86_64", bounded)
    allow, kill, errno = 0x7FFF0000, 0x80000000, 0x00050000
    clone_thread = 0x00010000 | 0x00000100
    assert run_filter(program, 39) == allow  # getpid
    assert run_filter(program, 2, arch=0x40000003) == kill  # fork through the 32-bit entry
    assert run_filter(program, 0x40000000 | 57) == errno | 38  # fork by its x32 number
    assert run_filter(program, 57) == run_filter(program, 56, first_argument=17) == errno | 11  # fork, clone
    assert run_filter(program, 101) == run_filter(program, 165) == errno | 1  # ptrace, mount
    assert run_filter(program, 56, first_argument=clone_thread) == (allow if bounded else errno | 11)
    assert run_filter(program, 319) == (allow if bounded else errno | 1)  # memfd_create


def test_a_cgroup_v2_group_gets_its_bounds_where_the_controllers_are_there(tmp_path):
    """cgroup v2 is not on every machine that runs these tests: its files, imitated."""
    from grader import cgroup

    (tmp_path / "cgroup.subtree_control").write_text("memory pids\n")
    given, bare = tmp_path / "given", tmp_path / "bare"
    for folder in (given, bare):
        folder.mkdir()
    for name in ("memory.max", "pids.max", "memory.swap.max"):
        (given / name).write_text("max\n")
    group = cgroup._version2(given, 12345)
    assert group.folders == [given] and group.bounds == {"memory", "tasks"}
    assert [(given / n).read_text() for n in ("memory.max", "pids.max", "memory.swap.max")] == ["12345", "64", "0"]
    assert cgroup._version2(bare, 12345) is None and not bare.exists()
