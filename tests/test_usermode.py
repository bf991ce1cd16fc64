"""User mode: where bwrap cannot start a sandbox and the grader runs as root (as on Gradescope),
each worker runs as an unprivileged account in a folder that holds only its submission.

These tests grade from a private copy of the course (chmod -R go-rwx), as an instructor must;
the repository itself is readable by everyone, so from there user mode must be refused.
"""
import json
import os
import platform
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import gradebook

from grader import sandbox
from grader.grade import load_result, student_folder
from grader.paths import ROOT

NOBODY = 65534


def _interpreter_problem():
    """Why this Python cannot serve user mode here, or None."""
    if os.geteuid() != 0:
        return "user mode needs the grader to run as root (CI runs the tests as root)"
    try:
        result = subprocess.run([sys.executable, "-E", "-s", "-c", "import numpy"], cwd="/", user=NOBODY,
                                group=NOBODY, extra_groups=[], capture_output=True, text=True, timeout=60)
    except OSError as error:
        return f"uid {NOBODY} cannot run {sys.executable}: {error.strerror} (is a parent folder such as /root private?)"
    if result.returncode != 0:
        return f"uid {NOBODY} cannot import numpy with {sys.executable}: {result.stderr.strip()[-200:]}"
    return None


needs_user_mode = pytest.mark.skipif(_interpreter_problem() is not None, reason=str(_interpreter_problem()))

# Run by a hostile submission at import: every attempt is reported on stderr as JSON.
HOSTILE = '''
import json, os, signal, sys

def attempt(action):
    try:
        action()
    except OSError as error:
        return error.strerror or type(error).__name__
    return "done"

def read(path):
    if os.path.isdir(path):
        os.listdir(path)
    else:
        open(path, "rb").close()

def write(folder):
    with open(os.path.join(folder, "planted.txt"), "w") as planted:
        planted.write("x")

report = {{"uid": os.getuid(), "gid": os.getgid(), "groups": os.getgroups(), "cwd": os.getcwd(),
          "own": attempt(lambda: write(".")),
          "kill parent": attempt(lambda: os.kill(os.getppid(), signal.SIGKILL))}}
if os.getuid() != 0:  # as root this would end every process on the machine
    # Succeeds whenever another process exists, even if it signalled none (Linux counts EPERM as tried).
    attempt(lambda: os.kill(-1, signal.SIGKILL))
for name, path in {reads!r}.items():
    report["read " + name] = attempt(lambda: read(path))
for name, path in {writes!r}.items():
    report["write " + name] = attempt(lambda: write(path))
print("REPORT" + json.dumps(report), file=sys.stderr)
'''


@pytest.fixture(scope="module")
def private(tmp_path_factory):
    """A private course copy, submissions and OUT in a folder every account may pass through."""
    base = Path(tempfile.mkdtemp(prefix="nn-usermode-test-"))
    base.chmod(0o711)
    course = base / "course"
    for part in ("grader", "assignments", "solutions", "tests/hidden"):
        shutil.copytree(ROOT / part, course / part, ignore=shutil.ignore_patterns("__pycache__", "notebooks"))
    yield base, course
    shutil.rmtree(base)


@pytest.fixture
def failing_bwrap(tmp_path, monkeypatch):
    """A bwrap that cannot create namespaces, as in many containers: the path of its folder."""
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "bwrap").write_text("#!/bin/sh\necho 'bwrap: No permissions to creating new namespace' >&2\nexit 1\n")
    (fake / "bwrap").chmod(0o755)
    monkeypatch.setattr(sandbox, "bwrap_path", lambda: str(fake / "bwrap"))
    sandbox.bwrap_problem.cache_clear()
    sandbox.choice.cache_clear()
    yield fake
    sandbox.bwrap_problem.cache_clear()
    sandbox.choice.cache_clear()


def test_auto_runs_unsandboxed_where_bwrap_fails_and_the_grader_is_not_root(failing_bwrap, monkeypatch):
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    assert sandbox.choice("auto") == sandbox.Choice(
        "none", "bwrap cannot start a sandbox here: bwrap: No permissions to creating new namespace, "
                "and user mode needs the grader to run as root")


def test_bwrap_asked_for_where_it_fails_stops_with_its_error(failing_bwrap):
    with pytest.raises(RuntimeError, match="--sandbox bwrap: bwrap cannot start a sandbox here: bwrap: No "
                                           "permissions to creating new namespace"):
        sandbox.choice("bwrap")


def test_user_mode_asked_for_without_root_stops(monkeypatch):
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    with pytest.raises(RuntimeError, match="must run as root"):
        sandbox.check_user_mode("nobody")


@pytest.mark.skipif(os.geteuid() != 0, reason="user mode needs the grader to run as root (CI runs as root)")
def test_user_mode_is_refused_where_the_account_cannot_run_this_python(tmp_path, monkeypatch):
    hidden_away = tmp_path / "private"
    hidden_away.mkdir(mode=0o700)
    (hidden_away / "python").symlink_to(sys.executable)
    monkeypatch.setattr(sandbox, "_python", lambda: str(hidden_away / "python"))
    with pytest.raises(RuntimeError) as refused:
        sandbox.check_user_mode("nobody")
    assert str(refused.value) == (
        f"user mode: the account nobody (uid {NOBODY}) cannot run this Python ({hidden_away / 'python'}: "
        f"Permission denied): make the interpreter and its packages readable by others (their parent folders "
        f"too: /root is often private), or use --sandbox none")


def make_private(*paths):
    subprocess.run(["chmod", "-R", "go-rwx", *map(str, paths)], check=True)


def grade_as_root(course, submissions, out, *extra, env=None):
    return subprocess.run([sys.executable, "-m", "grader", "grade", str(submissions), "--out", str(out),
                           "--workers", "1", *extra], cwd=course, capture_output=True, text=True, timeout=600,
                          env=env)



@pytest.fixture(scope="module")
def hostile_run(private):
    base, course = private
    submissions, out = base / "submissions", base / "out"
    shutil.copytree(course / "solutions", submissions / "ada")
    shutil.copytree(course / "solutions", submissions / "eve")
    out.mkdir()
    (out / "grades.csv").write_text("student\n")
    reads = {"solutions": str(course / "solutions" / "activations.py"),
             "hidden tests": str(course / "tests" / "hidden" / "test_activations.py"),
             "another student": str(submissions / "ada" / "activations.py"),
             "OUT": str(out / "grades.csv"), "OUT folder": str(out),
             "the course": str(course), "the scratch folder": "..", "the folder of all scratch folders": "../.."}
    writes = {"course": str(course), "OUT": str(out), "scratch folder": "..", "runtime files": "../grader",
              "another student": str(submissions / "ada")}
    hostile = submissions / "eve" / "activations.py"
    hostile.write_text(HOSTILE.format(reads=reads, writes=writes) + hostile.read_text())
    make_private(course, submissions, out)
    result = grade_as_root(course, submissions, out, "--sandbox", "user")
    return result, out, base


@needs_user_mode
def test_a_hostile_submission_in_user_mode_reads_writes_and_signals_nothing_of_the_grader(hostile_run):
    result, out, base = hostile_run
    assert result.returncode == 0, result.stderr
    assert "grader: sandbox: user (--sandbox user" in result.stderr
    eve = load_result(student_folder(out, "eve"))
    assert eve.sandbox == "user"
    # The seccomp filter is installed after the change of account (the filter needs no root).
    assert eve.seccomp is (platform.machine() in ("x86_64", "aarch64"))
    line = next(line for line in eve.output.splitlines() if line.startswith("REPORT"))
    report = json.loads(line[len("REPORT"):])
    assert (report["uid"], report["gid"], report["groups"]) == (NOBODY, NOBODY, [])
    assert report["own"] == "done"  # its own folder is its own
    assert Path(report["cwd"]).parent.parent.name.startswith("nn-user-")
    denied = {key: value for key, value in report.items() if key.startswith(("read", "write", "kill"))}
    assert set(denied.values()) == {"Permission denied", "Operation not permitted"}, denied
    assert denied["kill parent"] == "Operation not permitted"
    assert list(base.rglob("planted.txt")) == []
    # Its attempts did not cost it points: the session that graded it, and the grader, lived on.
    assert eve.tests and all(test.score == test.max_score for test in eve.tests)
    assert gradebook(out)["eve"]["total"] == gradebook(out)["ada"]["total"] != ""


# Run by a submission at import while another student's submission is graded beside it: for
# five seconds it signals, renices, re-limits and pins every other worker of this grading run
# (processes of its account started by the grader whose command line names `run`).
ATTACK = '''
import json, os, resource, signal, sys, time

def attempt(action, *args):
    try:
        action(*args)
    except OSError as error:
        return type(error).__name__
    return "done"

def parent(pid):
    with open(f"/proc/{{pid}}/stat") as stat:
        return int(stat.read().rsplit(")", 1)[1].split()[1])

def of_this_run(pid):
    while pid > 1:
        with open(f"/proc/{{pid}}/cmdline", "rb") as cmdline:
            if {run!r}.encode() in cmdline.read():
                return True
        pid = parent(pid)
    return False

def other_workers():
    found = []
    for pid in map(int, filter(str.isdigit, os.listdir("/proc"))):
        try:
            with open(f"/proc/{{pid}}/status") as status:
                uid = next(line.split()[1] for line in status if line.startswith("Uid:"))
            if pid != os.getpid() and int(uid) == os.getuid() and of_this_run(pid):
                found.append(pid)
        except OSError:
            pass
    return found

open({started!r}, "w").close()
targets, outcomes, end = set(), set(), time.monotonic() + 5
while time.monotonic() < end:
    for pid in other_workers():
        targets.add(pid)
        outcomes.add(attempt(os.setpriority, os.PRIO_PROCESS, pid, 19))
        outcomes.add(attempt(resource.prlimit, pid, resource.RLIMIT_CPU, (1, 1)))
        outcomes.add(attempt(os.sched_setaffinity, pid, {{0}}))
        outcomes.add(attempt(os.kill, pid, signal.SIGKILL))
    outcomes.add(attempt(os.setpriority, os.PRIO_USER, os.getuid(), 19))
    time.sleep(0.05)
print("ATTACK" + json.dumps({{"targets": sorted(targets), "outcomes": sorted(outcomes)}}), file=sys.stderr)
'''

# The victim's worker says who it is and stays at its import until the attack has begun.
VICTIM = '''
import os, sys, time
print("VICTIM", os.getpid(), file=sys.stderr)
for _ in range(60):
    if os.path.exists({started!r}):
        break
    time.sleep(0.1)
time.sleep(1)
'''


@needs_user_mode
def test_a_worker_cannot_kill_renice_or_limit_another_students_worker(private):
    """Two students graded at once run as the same account: one's worker attacks the other's."""
    base, course = private
    submissions, out = base / "attack-submissions", base / "attack-out"
    started = Path(tempfile.gettempdir()) / f"nn-attack-started-{os.getpid()}"
    for student, prelude in (("mallory", ATTACK), ("victor", VICTIM)):
        shutil.copytree(course / "solutions", submissions / student)
        module = submissions / student / "activations.py"
        module.write_text(prelude.format(started=str(started), run=str(submissions)) + module.read_text())
    make_private(course, submissions)
    try:
        result = grade_as_root(course, submissions, out, "--sandbox", "user", "--workers", "2")
    finally:
        started.unlink(missing_ok=True)
    assert result.returncode == 0, result.stderr
    attacker, victim = (load_result(student_folder(out, name)) for name in ("mallory", "victor"))
    attack = json.loads(next(line for line in attacker.output.splitlines() if line.startswith("ATTACK"))[6:])
    victim_pid = int(next(line for line in victim.output.splitlines() if line.startswith("VICTIM")).split()[1])
    assert victim_pid in attack["targets"], (attack, victim_pid)
    assert attack["outcomes"] == ["PermissionError"]
    assert victim.tests and all(test.score == test.max_score for test in victim.tests), victim.tests
    assert gradebook(out)["victor"]["total"] == gradebook(out)["mallory"]["total"] != ""


@needs_user_mode
def test_auto_takes_user_mode_when_bwrap_cannot_start_a_sandbox(private, failing_bwrap):
    base, course = private
    submissions, out = base / "auto-submissions", base / "auto-out"
    shutil.copytree(course / "solutions", submissions / "ada")
    make_private(submissions)
    env = dict(os.environ, PATH=f"{failing_bwrap}:{os.environ['PATH']}")
    result = grade_as_root(course, submissions, out, env=env)
    assert result.returncode == 0, result.stderr
    chosen = [line for line in result.stderr.splitlines() if line.startswith("grader: sandbox:")]
    assert chosen == ["grader: sandbox: user (bwrap cannot start a sandbox here: bwrap: No permissions to "
                      "creating new namespace; running as root, so workers run as the unprivileged account "
                      "nobody)"], result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o700  # a new OUT is made private
    ada = load_result(student_folder(out, "ada"))
    assert ada.sandbox == "user"
    assert ada.tests and all(test.score == test.max_score for test in ada.tests)


@needs_user_mode
def test_user_mode_is_refused_while_the_account_can_read_the_solutions(tmp_path, solution_copy):
    solution_copy(tmp_path / "submissions" / "ada")
    result = grade_as_root(ROOT, tmp_path / "submissions", tmp_path / "out", "--sandbox", "user")
    assert result.returncode == 2, result.stderr
    error = [line for line in result.stderr.splitlines() if line.startswith("grader: error:")]
    assert len(error) == 1 and f"can read {ROOT / 'solutions'}" in error[0], result.stderr
    assert error[0].endswith(f"(chmod -R go-rwx {ROOT})")
    assert not (tmp_path / "out" / "grades.csv").exists()


@needs_user_mode
def test_user_mode_is_refused_while_the_account_can_read_out(private, tmp_path):
    base, course = private
    submissions, out = base / "refused-submissions", base / "refused-out"
    shutil.copytree(course / "solutions", submissions / "ada")
    make_private(submissions)
    out.mkdir(mode=0o755)
    result = grade_as_root(course, submissions, out, "--sandbox", "user")
    assert result.returncode == 2, result.stderr
    assert f"can read {out}: make it private first (chmod -R go-rwx {out})" in result.stderr


def test_the_account_must_not_be_root():
    with pytest.raises(RuntimeError, match="unprivileged account"):
        sandbox.user_ids("0")
    with pytest.raises(RuntimeError, match="no such user"):
        sandbox.user_ids("no-such-account-here")
    assert sandbox.user_ids("nobody") == (NOBODY, NOBODY)
