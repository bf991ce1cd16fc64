"""The worker's environment and its bounds, checked one mechanism at a time.

test_hostile.py grades whole hostile submissions; these tests start single
workers (remote.py) to show each mechanism on its own.
"""
import functools
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


def run_filter(program, nr, *arguments, arch=0xC000003E):
    """What a classic-BPF seccomp program answers for one system call."""
    data = struct.pack("<iI8x6Q", nr, arch, *arguments, *[0] * (6 - len(arguments)))
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

    program = worker.seccomp_program("x86_64", bounded, 4321, True)
    allow, kill, errno = 0x7FFF0000, 0x80000000, 0x00050000
    clone_thread = 0x00010000 | 0x00000100
    assert run_filter(program, 39) == allow  # getpid
    assert run_filter(program, 2, arch=0x40000003) == kill  # fork through the 32-bit entry
    assert run_filter(program, 0x40000000 | 57) == errno | 38  # fork by its x32 number
    assert run_filter(program, 57) == run_filter(program, 56, 17) == errno | 11  # fork, clone
    assert run_filter(program, 101) == run_filter(program, 165) == errno | 1  # ptrace, mount
    assert run_filter(program, 56, clone_thread) == (allow if bounded else errno | 11)
    assert run_filter(program, 319) == (allow if bounded else errno | 1)  # memfd_create


@pytest.mark.parametrize("machine, kill, setpriority, tgkill", [("x86_64", 62, 141, 234), ("aarch64", 129, 140, 131)])
def test_the_filter_lets_a_worker_act_on_itself_alone(machine, kill, setpriority, tgkill, monkeypatch):
    """Workers of one account graded at once: neither signals, renices nor re-limits another."""
    monkeypatch.syspath_prepend(str(sandbox.RUNTIME))
    import worker

    pid, other, arch = 4321, 4322, worker.AUDIT_ARCH[machine]
    allow, eperm = 0x7FFF0000, 0x00050000 | 1
    program = worker.seccomp_program(machine, set(), pid, True)
    answer = functools.partial(run_filter, program, arch=arch)
    high_word = 0x1_0000_0000  # the kernel reads a pid's low 32 bits alone, as the filter does
    for own in (pid, 0, -pid & 0xFFFFFFFF, high_word | pid):  # itself, its group, its group by number
        assert answer(kill, own, 9) == allow
    for foreign in (other, 0xFFFFFFFF, -other & 0xFFFFFFFF, high_word | other):  # another, every process
        assert answer(kill, foreign, 9) == eperm
    assert answer(tgkill, pid, 4330, 9) == allow and answer(tgkill, other, other, 9) == eperm
    prio_process, prio_pgrp, prio_user = 0, 1, 2
    assert answer(setpriority, prio_process, 0, 19) == answer(setpriority, prio_process, pid, 19) == allow
    assert answer(setpriority, prio_process, other, 19) == eperm
    assert answer(setpriority, prio_pgrp, 0, 19) == answer(setpriority, prio_user, 0, 19) == eperm
    number = {name: numbers[list(worker.AUDIT_ARCH).index(machine)] for name, numbers in worker.SYSCALLS.items()}
    for name in ("prlimit64", "sched_setaffinity", "sched_setscheduler", "sched_setparam", "sched_setattr"):
        assert answer(number[name], 0) == answer(number[name], pid) == allow, name
        assert answer(number[name], other) == eperm, name
    assert answer(number["ioprio_set"], 1, pid) == allow and answer(number["ioprio_set"], 3, 0) == eperm
    assert answer(number["tkill"], pid, 9) == allow and answer(number["tkill"], other, 9) == eperm
    for name in ("pidfd_open", "pidfd_send_signal", "process_madvise"):
        assert answer(number[name], pid) == eperm, name
    f_getfl, f_setown, fionread, fiosetown = 3, 8, 0x541B, 0x8901
    assert answer(number["fcntl"], 3, f_getfl) == answer(number["ioctl"], 3, fionread) == allow
    assert answer(number["fcntl"], 3, f_setown, pid) == answer(number["ioctl"], 3, fiosetown) == eperm
    not_leader = worker.seccomp_program(machine, set(), pid, False)  # kill(0) would reach others of its group
    assert run_filter(not_leader, kill, pid, 9, arch=arch) == allow
    assert run_filter(not_leader, kill, 0, 9, arch=arch) == eperm


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
