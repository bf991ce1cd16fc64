"""A worker acts on its own process alone: the filter refuses it signals, priorities, limits and
CPUs of any other process, which in user mode may be a worker of the same account.

The target is a sacrificial process this test starts; the worker runs with `--sandbox none`,
as this test's own user (root in CI), so only the filter stands between it and the target.
"""
import os
import platform
import subprocess
import sys
import tempfile

import pytest
from conftest import processes_naming

from grader import cgroup, remote, sandbox
from grader.session import files_in

ATTACKS = '''
import fcntl, os, resource, signal, threading

import numpy as np


def outcome(action, *args):
    try:
        action(*args)
        return "done"
    except Exception as error:
        return type(error).__name__


def attack(victim, unused_uid):
    """Each call at `victim` (a process leading its own group), and what it came to."""
    return {
        "kill": outcome(os.kill, victim, signal.SIGKILL),
        "kill its group": outcome(os.killpg, victim, signal.SIGKILL),
        "probe every process": outcome(os.kill, -1, 0),  # signal 0: a probe, harmless if let through
        "renice": outcome(os.setpriority, os.PRIO_PROCESS, victim, 19),
        "renice its group": outcome(os.setpriority, os.PRIO_PGRP, victim, 19),
        "renice a user": outcome(os.setpriority, os.PRIO_USER, unused_uid, 19),  # ESRCH if let through
        "limit": outcome(resource.prlimit, victim, resource.RLIMIT_NOFILE, (3, 3)),
        "pin": outcome(os.sched_setaffinity, victim, {0}),
        "reschedule": outcome(os.sched_setscheduler, victim, os.SCHED_IDLE, os.sched_param(0)),
        "pidfd": outcome(os.pidfd_open, victim),
        "send it SIGIO": outcome(fcntl.fcntl, 2, fcntl.F_SETOWN, victim),
    }


def act_on_itself():
    """What the worker may still do to itself: signals, its own limits and priority, threads."""
    caught = []
    signal.signal(signal.SIGUSR1, lambda number, frame: caught.append(number))
    os.kill(os.getpid(), signal.SIGUSR1)
    os.kill(0, 0)
    signal.pthread_kill(threading.get_ident(), 0)
    os.setpriority(os.PRIO_PROCESS, 0, os.getpriority(os.PRIO_PROCESS, 0))
    resource.prlimit(os.getpid(), resource.RLIMIT_NOFILE, resource.getrlimit(resource.RLIMIT_NOFILE))
    os.sched_setaffinity(0, os.sched_getaffinity(0))
    errors = []
    thread = threading.Thread(target=lambda: errors.append(np.linalg.solve(np.eye(3) * 2, np.ones(3))))
    thread.start()
    thread.join()
    matrix = np.random.default_rng(0).normal(size=(300, 300))
    return {"caught": caught, "solved": errors[0].tolist(), "product": float(np.trace(matrix @ matrix.T)) > 0}
'''


def unused_uid():
    """A uid no process runs as."""
    used = {os.stat(f"/proc/{pid}").st_uid for pid in os.listdir("/proc") if pid.isdigit()}
    return next(uid for uid in range(54321, 60000) if uid not in used)


def state(pid):
    """What the attacks would change of process `pid`."""
    with open(f"/proc/{pid}/limits") as limits:
        open_files = next(line for line in limits if line.startswith("Max open files"))
    return (os.getpriority(os.PRIO_PROCESS, pid), open_files, os.sched_getaffinity(pid),
            os.sched_getscheduler(pid))


@pytest.mark.skipif(platform.machine() not in ("x86_64", "aarch64"), reason="no filter on this machine")
def test_a_worker_acts_on_no_other_process_but_on_itself(tmp_path, monkeypatch):
    if "tasks" not in cgroup.available():
        pytest.skip("the filter refuses threads where no cgroup bounds them")
    (tmp_path / "hostile.py").write_text(ATTACKS)
    victim = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"], start_new_session=True)
    before = state(victim.pid)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the worker's folder, named on its command line
    submission = remote.SandboxedSubmission("none", sandbox.Limits(), files_in(tmp_path))
    try:
        module = remote.RemoteModule(submission, "hostile")
        outcomes = module.attack(victim.pid, unused_uid())
        itself = module.act_on_itself()
        assert submission.seccomp
    finally:
        submission.close()
        alive = victim.poll() is None
        after = state(victim.pid) if alive else None
        victim.kill()
        victim.wait()
    assert outcomes == dict.fromkeys(outcomes, "PermissionError")
    assert alive and after == before
    assert itself == {"caught": [10], "solved": [0.5, 0.5, 0.5], "product": True}
    assert processes_naming(tmp_path) == []
