"""Workers started before their submission is known: the files come over the wire, a spare
that died waiting is replaced unseen, and nothing of one submission reaches the next one
graded by the same session, nor outlives a killed session."""
import errno
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path

import pytest
from conftest import copy_modules

from grader import remote, runner, sandbox, session, wire
from grader.paths import ROOT, SOLUTIONS
from grader.results import SubmissionResult

MODES = [pytest.param("bwrap", marks=pytest.mark.skipif(not sandbox.bwrap_path(), reason="bwrap not installed")),
         "none"]


def account_runs_this_python():
    """Whether user mode's account can start this Python with numpy (as in CI's system-Python venv)."""
    if os.geteuid() != 0:
        return False
    uid, gid = sandbox.user_ids("nobody")
    try:
        return subprocess.run([sys.executable, "-c", "import numpy"], user=uid, group=gid, extra_groups=[],
                              cwd="/", capture_output=True, check=False).returncode == 0
    except PermissionError:
        return False


# Grading whole submissions in user mode needs a private course copy: tests/test_usermode.py.
WORKER_MODES = [*MODES, pytest.param("user", marks=pytest.mark.skipif(
    not account_runs_this_python(), reason="user mode: the account cannot run this Python (run with CI's venv)"))]

PROBE = b"""
import os


def listing():
    return sorted(os.listdir("."))


def sizes():
    return {name: os.path.getsize(name) for name in os.listdir(".")}


def files_and_bytes():
    return len(os.listdir(".")), sum(map(os.path.getsize, os.listdir(".")))


def crash():
    os.remove("probe.py")
    os._exit(3)
"""


def spare(mode, limits=None):
    """A worker started before its submission, its folder still empty."""
    submission = remote.SandboxedSubmission(mode, limits or sandbox.Limits())
    submission.spawn()
    assert sandbox.folder(mode, submission.scratch).exists()
    assert list(sandbox.folder(mode, submission.scratch).iterdir()) == []
    return submission


@pytest.mark.parametrize("mode", WORKER_MODES)
def test_a_spare_gets_its_files_over_the_wire_and_a_restarted_worker_gets_them_again(mode):
    submission = spare(mode)
    try:
        time.sleep(0.5)  # up and waiting, its folder still empty
        submission.hand_in({"probe.py": PROBE, "other.py": b"X = 1\n"})
        probe = remote.RemoteModule(submission, "probe")
        assert probe.listing() == ["other.py", "probe.py"]
        with pytest.raises(pytest.fail.Exception, match="crash\\(\\) stopped the submission: .* exited with code 3"):
            probe.crash()
        assert probe.listing() == ["other.py", "probe.py"]
        assert (submission.restarts, submission.start_failure) == (1, None)
    finally:
        submission.close()


def test_the_submissions_time_runs_from_its_files_not_from_the_spares_start():
    submission = spare("none", sandbox.Limits(submission_seconds=1.0))
    try:
        time.sleep(1.5)
        submission.hand_in({"probe.py": PROBE})
        assert remote.RemoteModule(submission, "probe").listing() == ["probe.py"]
        time.sleep(1.0)
        with pytest.raises(pytest.fail.Exception, match="grading this submission stopped after 1 s"):
            remote.RemoteModule(submission, "probe").listing()
    finally:
        submission.close()


def test_files_larger_than_one_message_are_sent_in_several():
    filler = b"# " + b"x" * (1024 ** 2 - 3) + b"\n"
    files = {"probe.py": PROBE, **{f"filler{i}.py": filler for i in range(6)}}
    messages = wire.file_messages(files)
    assert len(messages) > 1
    assert all(len(json.dumps(m)) <= wire.MAX_MESSAGE for m in messages)
    submission = remote.SandboxedSubmission("none", sandbox.Limits(), files)
    try:
        assert remote.RemoteModule(submission, "probe").sizes() == {name: len(data) for name, data in files.items()}
    finally:
        submission.close()


def test_file_names_full_of_brackets_are_sent_under_the_cap_on_values():
    # 500 empty files whose names hold 240 '[' each: 120,000 values in one message, past the
    # reader's cap, would crash every worker the submission gets before its code ran.
    files = {"probe.py": PROBE, **{f"{i:03d}{'[' * 240}.py": b"" for i in range(500)}}
    assert len(wire.file_messages(files)) > 1
    submission = remote.SandboxedSubmission("none", sandbox.Limits(), files)
    try:
        assert remote.RemoteModule(submission, "probe").files_and_bytes() == (501, len(PROBE))
    finally:
        submission.close()


def test_a_file_too_large_for_a_message_is_the_graders_failure_not_a_crash():
    submission = remote.SandboxedSubmission("none", sandbox.Limits(), {"probe.py": b"#" * wire.MAX_MESSAGE})
    with pytest.raises(pytest.fail.Exception, match="the submission's files cannot reach its worker: probe.py holds"):
        remote.RemoteModule(submission, "probe").listing()
    assert submission.start_failure.startswith("the submission's files cannot reach its worker")
    assert submission.worker is None and submission.scratch is None


def test_a_worker_that_cannot_be_started_again_is_the_graders_failure_not_a_failed_test(monkeypatch):
    submission = remote.SandboxedSubmission("none", sandbox.Limits(), {"probe.py": PROBE})
    try:
        probe = remote.RemoteModule(submission, "probe")
        with pytest.raises(pytest.fail.Exception, match="stopped the submission"):
            probe.crash()

        def full_disk(*args):
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(sandbox, "worker_folder", full_disk)
        with pytest.raises(pytest.fail.Exception, match="could not start: .*No space left on device"):
            probe.listing()
        assert submission.start_failure.startswith("the sandboxed worker could not start")
    finally:
        submission.close()


@pytest.mark.parametrize("mode", WORKER_MODES)
def test_a_spare_that_died_waiting_is_replaced_and_not_counted(mode):
    limits = sandbox.Limits()
    dead = spare(mode, limits)
    os.killpg(dead.worker.process.pid, signal.SIGKILL)
    dead.worker.process.wait()
    taken = session.take_spare(dead, mode, limits)
    assert taken is not dead and dead.worker is None
    # Dying between the session's look and the first request is not the student's doing either.
    os.killpg(taken.worker.process.pid, signal.SIGKILL)
    taken.hand_in({"probe.py": PROBE})
    try:
        assert remote.RemoteModule(taken, "probe").listing() == ["probe.py"]
        assert (taken.restarts, taken.start_failure) == (0, None)
    finally:
        taken.close()


def test_a_spare_of_other_limits_is_killed_and_a_fresh_worker_started():
    waiting = spare("none")
    process = waiting.worker.process
    other = sandbox.Limits(call_seconds=3.0)
    taken = session.take_spare(waiting, "none", other)
    try:
        assert taken is not waiting and taken.limits == other and process.poll() is not None
    finally:
        taken.close()


LEAVES_TRACES = """
import os, subprocess, sys
print("FOLDER", os.getcwd(), "PID", os.getpid())
open("left.py", "w").write("LEFT = 1\\n")
open("/tmp/left-by-the-previous-student", "w").write("here")
with open("activations.py", "a") as own:
    own.write("\\nTAMPERED = True\\n")
try:
    subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)", os.getcwd()])
except OSError as error:
    print("NO CHILD", error)
"""

LOOKS_FOR_TRACES = """
import os, sys
print("SEES", sorted(os.listdir(".")), os.path.exists("/tmp/left-by-the-previous-student"),
      "TAMPER" + "ED = True" in open("activations.py").read())
"""


def solutions_with(folder, extra):
    copy_modules(SOLUTIONS, folder)
    with (folder / "activations.py").open("a") as module:
        module.write(extra)
    return folder


def job(folder, result, mode):
    return {"submission": str(folder), "result": str(result), "sandbox": mode,
            "limits": asdict(sandbox.Limits(call_seconds=5.0, submission_seconds=120.0))}


def stat_fields(pid):
    """The fields of /proc/PID/stat after the command's name (state, parent, ...), or None."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_bytes()
    except OSError:
        return None
    return stat[stat.rindex(b")") + 2:].split()


def running(pids):
    """Those of `pids` ({pid: start time}) that are the same processes and not yet reaped zombies."""
    alive = set()
    for pid, started in pids.items():
        fields = stat_fields(pid)
        if fields and fields[0] != b"Z" and fields[19] == started:
            alive.add(pid)
    return alive


def descendants(root):
    """{pid: start time} of every process below `root`."""
    stats = {}
    for name in filter(str.isdigit, os.listdir("/proc")):
        fields = stat_fields(name)
        if fields:
            stats[int(name)] = (int(fields[1]), fields[19])
    below, frontier = {}, {root}
    while frontier:
        frontier = {pid for pid, (parent, _) in stats.items() if parent in frontier and pid not in below}
        below.update({pid: stats[pid][1] for pid in frontier})
    return below


def spare_of(graded):
    """The processes of the spare worker `graded` (a runner.Session) starts after a job."""
    deadline = time.monotonic() + 10
    while not descendants(graded.process.pid):
        assert time.monotonic() < deadline, "the session started no spare worker"
        time.sleep(0.01)
    return descendants(graded.process.pid)


@pytest.mark.parametrize("mode", MODES)
def test_nothing_of_one_submission_reaches_the_next_in_the_same_session(mode, tmp_path):
    first = solutions_with(tmp_path / "first", LEAVES_TRACES)
    second = solutions_with(tmp_path / "second", LOOKS_FOR_TRACES)
    graded = runner.Session(tmp_path)
    try:
        graded.grade(job(first, tmp_path / "first.json", mode), timeout=240)
        spare_of(graded)
        graded.grade(job(second, tmp_path / "second.json", mode), timeout=240)
    finally:
        graded.close()
    left = SubmissionResult.from_json((tmp_path / "first.json").read_text()).output
    folder = left.split("FOLDER ")[1].split()[0]
    assert not os.path.exists(folder)
    seen = SubmissionResult.from_json((tmp_path / "second.json").read_text()).output
    files = sorted(path.name for path in second.iterdir())
    in_tmp = mode == "none"  # without the sandbox /tmp is the host's: why the grader warns
    assert f"SEES {files} {in_tmp} False" in seen
    if in_tmp:
        os.remove("/tmp/left-by-the-previous-student")


def test_a_spare_is_started_only_while_another_job_is_announced(tmp_path):
    code = solutions_with(tmp_path / "code", "")
    pool = runner.SessionPool()
    pool.expect()
    pool.expect()
    try:
        pool.grade(job(code, tmp_path / "1.json", "none"), timeout=240)
        (graded,) = pool.idle
        spare_of(graded)  # a second job was announced
        pool.grade(job(code, tmp_path / "2.json", "none"), timeout=240)
        assert pool.idle == [graded]
        time.sleep(1.0)  # a spare starts right after the job's "done": long enough to see one
        assert descendants(graded.process.pid) == {}
    finally:
        pool.stop()
    assert SubmissionResult.from_json((tmp_path / "2.json").read_text()).total().full


# A session whose second worker, the spare started after the first job, cannot be started.
SPARE_FAILS = """
import sys
from grader import remote, session

spawn, calls = remote.SandboxedSubmission.spawn, []


def spawn_but_the_spare(submission):
    calls.append(submission)
    if len(calls) == 2:
        raise OSError(11, "Resource temporarily unavailable")
    spawn(submission)


remote.SandboxedSubmission.spawn = spawn_but_the_spare
sys.exit(session.main())
"""


def test_a_spare_that_cannot_be_started_costs_the_next_submission_nothing(tmp_path):
    folder = solutions_with(tmp_path / "solutions", "")
    jobs = "".join(json.dumps(job(folder, tmp_path / f"{n}.json", "none")) + "\n" for n in (1, 2))
    graded = subprocess.run([sys.executable, "-c", SPARE_FAILS], cwd=ROOT, input=jobs, capture_output=True,
                            text=True, timeout=240, env=runner.SESSION_ENV)
    assert (graded.stdout, graded.returncode) == ("done\ndone\n", 0), graded.stderr[-500:]
    second = SubmissionResult.from_json((tmp_path / "2.json").read_text())
    assert second.grader_errors == [] and second.total().full


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("wait", [0.0, 1.0])
def test_no_worker_outlives_a_killed_session(mode, wait, tmp_path):
    """The session is killed while its spare starts up (wait 0) or while it waits for a job."""
    code = solutions_with(tmp_path / "code", "")
    killed = runner.Session(tmp_path)
    try:
        killed.grade(job(code, tmp_path / "result.json", mode), timeout=240)
        spare_of(killed)
        time.sleep(wait)
        below = descendants(killed.process.pid)
    finally:
        killed.kill()
    deadline = time.monotonic() + 10
    while running(below) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert running(below) == set()
