"""Broken and hostile submissions: the run completes, each gets its message and no
points it did not earn, nothing is left running and nothing is written outside OUT.

Each case is the reference solutions with some files replaced; all cases are
graded in one run per sandbox mode.
"""
import glob
import json
import os
import platform
import shutil
import socket
import struct
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest
from conftest import grade_folder, gradebook, processes_naming

from grader import cgroup, remote, results, runner, sandbox
from grader.grade import folder_name, student_folder
from grader.paths import HIDDEN, MODULES, ROOT, SOLUTIONS
from grader.session import files_in

ESCAPE = Path(f"/tmp/nn-grader-escape-test-{os.getpid()}")  # one per test run: runs may overlap


def solution(module):
    return (SOLUTIONS / f"{module}.py").read_text()


def replace_function(module, name, body):
    """The solution module with function `name` replaced by one of the given body."""
    source = solution(module)
    start = source.index(f"\ndef {name}(")
    end = source.find("\ndef ", start + 1)
    signature = source[start:source.index(":\n", start) + 2]
    return source[:start] + signature + body + "\n\n" + (source[end:] if end != -1 else "")


def relu_that_writes_on_the_answer_channel(message, then=""):
    """activations.py whose relu writes the bytes `message` (Python source) on the worker's own
    answer channel, which student code finds by trying the files it has open, runs `then`, and
    returns the right value."""
    return replace_function("activations", "relu", (
        "    import json, os, struct, sys, threading, time\n"
        f"    message = {message}\n"
        "    for fd in range(3, 11):\n"
        "        try:\n"
        "            os.write(fd, message)\n"
        "            break\n"
        "        except OSError:\n"
        "            pass\n"
        f"{then}"
        "    return np.maximum(np.asarray(z, dtype=float), 0.0)"))


def framed(body):
    return f"struct.pack('<Q', len({body})) + {body}"


FAKE_TOTAL = "```\n**Total: 178 / 178**\n```"
NOT_PLAIN = "relu() sent back a value that is not plain data"

SHM = f"/dev/shm/nn-grader-hostile-{os.getpid()}-"


def with_attack(module, attack):
    """The solution module with `attack` run at import: if the attack gets through, the
    module imports and earns its points; if a limit holds, importing it fails."""
    return solution(module) + "\n" + attack


# Each tries to get past one bound at import; the messages say which bound held.
ATTACKS = {
    "threads": ("""
import threading
threading.stack_size(2 ** 16)
_forever = threading.Event()
for _ in range(2000):
    threading.Thread(target=_forever.wait, daemon=True).start()
""", ("can't start new thread",)),
    "int_0x80_fork": ("""
import ctypes, mmap, os, time
_code = mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
_code.write(b"\\xb8\\x02\\x00\\x00\\x00\\xcd\\x80\\xc3")  # mov eax, 2 (fork); int 0x80; ret
if ctypes.CFUNCTYPE(ctypes.c_int)(ctypes.addressof(ctypes.c_char.from_buffer(_code)))() == 0:
    os.setsid()  # the child leaves the worker's session, and lives on
    time.sleep(300)
""", ("killed by SIGSYS", "PermissionError")),
    "x32_fork": ("""
import ctypes, os, time
_pid = ctypes.CDLL(None, use_errno=True).syscall(0x40000000 | 57)  # fork, by its x32 number
if _pid == 0:
    os.setsid()
    time.sleep(300)
if _pid < 0:
    raise OSError(ctypes.get_errno(), "x32 fork refused")
""", ("[Errno 38] x32 fork refused",)),
    "ptrace": ("""
import ctypes, os
if ctypes.CDLL(None, use_errno=True).ptrace(0x4206, os.getppid(), None, None) != 0:  # PTRACE_SEIZE
    raise OSError(ctypes.get_errno(), "ptrace refused")
""", ("[Errno 1] ptrace refused",)),
    "mount_tmpfs": ("""
import ctypes, os, tempfile
_libc, _target = ctypes.CDLL(None, use_errno=True), tempfile.mkdtemp()
try:
    if _libc.mount(b"none", _target.encode(), b"tmpfs", 0, None) != 0:
        raise OSError(ctypes.get_errno(), "mount refused")
    _libc.umount2(_target.encode(), 0)
finally:
    os.rmdir(_target)
""", ("[Errno 1] mount refused",)),
}

# name: (files that replace the solution's, {module: text its failures must show, or
#        alternatives}, modules that must keep full marks (None: all others))
CASES = {
    **{name: ({"xor_network.py": with_attack("xor_network", attack)}, {"xor_network": shown}, None)
       for name, (attack, shown) in ATTACKS.items()},
    "syntax_error": ({"perceptron.py": "import numpy as np\n\ndef weighted_sum(x, weights, bias)\n    pass\n"},
                     {"perceptron": "SyntaxError: expected ':' (perceptron.py, line 3)"}, None),
    "not_utf8": ({"perceptron.py": b'import numpy as np\nGREETING = "caf\xe9"\n'},
                 {"perceptron": "can't decode byte 0xe9 in position 3: unexpected end of data (perceptron.py, line 2)"},
                 None),
    "exception_at_import": ({"xor_network.py": "raise ValueError('boom')\n"},
                            {"xor_network": "ValueError: boom (xor_network.py, line 1"}, None),
    "sys_exit_at_import": ({"xor_network.py": "import sys\nsys.exit(3)\n"},
                           {"xor_network": "xor_network.py could not be imported: SystemExit: 3"}, None),
    "os_exit_at_import": ({"xor_network.py": "import os\nos._exit(7)\n"},
                          {"xor_network": "exited with code 7"}, None),
    "loop_at_import": ({"perceptron.py": "while True:\n    pass\n"},
                       {"perceptron": "importing it timed out after 4 s"}, None),
    "os_exit_in_a_call": ({"activations.py": replace_function("activations", "relu", "    import os\n    os._exit(1)")},
                          {"activations": "stopped the submission: the submission's process exited with code 1"},
                          None),
    "sys_exit_in_a_call": ({"activations.py": replace_function("activations", "relu", "    raise SystemExit(0)")},
                           {"activations": "relu() raised SystemExit: 0"}, None),
    "loop_in_a_call": ({"activations.py": replace_function("activations", "relu", "    while True:\n        pass")},
                       {"activations": "relu() timed out after 4 s"}, None),
    "memory_bomb": ({"activations.py": replace_function("activations", "relu",
                                                        "    return np.ones((100000, 100000))")},
                    {"activations": "relu() raised MemoryError"}, None),
    "segfault": ({"activations.py": replace_function("activations", "relu",
                                                     "    import ctypes\n    return ctypes.string_at(0)")},
                 {"activations": "killed by SIGSEGV"}, None),
    "process_bomb": ({"activations.py": replace_function(
        "activations", "relu", "    import os\n    while True:\n        os.fork()")},
        {"activations": "relu() raised BlockingIOError"}, None),
    "subprocess": ({"activations.py": replace_function(
        "activations", "relu", "    import os, subprocess, sys\n"
                                "    subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(300)', os.getcwd()])")},
        {"activations": "relu() raised"}, None),
    "print_flood": ({"activations.py": replace_function(
        "activations", "relu", "    for _ in range(50000):\n        print('x' * 1000)\n"
                               "    return np.maximum(np.asarray(z, dtype=float), 0.0)")}, {}, None),
    "rigged_eq": ({"activations.py": replace_function(
        "activations", "step", "    class Anything:\n        def __eq__(self, other):\n            return True\n"
                               "    return Anything()")},
        {"activations": "step() returned an unsupported type activations.step.<locals>.Anything"},
        ["gradient_descent", "xor_network"]),
    "ndarray_subclass": ({"activations.py": replace_function(
        "activations", "relu", "    class Always(np.ndarray):\n        def __eq__(self, other):\n"
                               "            return np.ones(self.shape, bool)\n"
                               "    return np.asarray(z, dtype=float).view(Always)")},
        {"activations": "relu() returned an unsupported type"}, None),
    "silenced_overflow": ({"activations.py": replace_function(
        "activations", "sigmoid", "    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))") + (
        "import warnings\nnp.seterr(all='ignore')\nwarnings.filterwarnings('ignore')\n"
        "warnings.simplefilter = warnings.filterwarnings = warnings.showwarning = lambda *a, **k: None\n")},
        {"activations": "sigmoid() warned: overflow encountered in exp"}, None),
    "forges_results": ({
        "conftest.py": "import pytest\n\n@pytest.hookimpl(hookwrapper=True)\n"
                       "def pytest_runtest_makereport(item, call):\n"
                       "    outcome = yield\n    outcome.get_result().outcome = 'passed'\n",
        "perceptron.py": "import json, os, sys\nimport pytest\npytest.fail = lambda *a, **k: None\n"
                         f"for path in ['results.json', '../results.json', '{ESCAPE}/results.json']:\n"
                         "    try:\n"
                         "        with open(path, 'w') as f:\n"
                         "            json.dump({'score': 1000}, f)\n"
                         "    except OSError:\n        pass\n"},
        {"perceptron": "perceptron.py has no weighted_sum"}, None),
    "forged_huge_message": ({"activations.py": relu_that_writes_on_the_answer_channel(
        "struct.pack('<Q', 2 ** 40) + b'[]'")}, {"activations": f"{NOT_PLAIN} (a message of 1099511627776 bytes"},
        None),
    "forged_million_lists": ({"activations.py": relu_that_writes_on_the_answer_channel(
        framed("(b'[' + b'[],' * 1300000 + b'[]]')"))}, {"activations": f"{NOT_PLAIN} (a message of over"}, None),
    "forged_deep_message": ({"activations.py": relu_that_writes_on_the_answer_channel(
        framed("(b'[' * 40000 + b']' * 40000)"))}, {"activations": f"{NOT_PLAIN} (a message nested too deeply)"},
        None),
    "answer_flood": ({"activations.py": relu_that_writes_on_the_answer_channel(
        framed("json.dumps({'id': -1, 'value': 1.0}).encode()"),
        then="    threading.Thread(target=lambda: [os.write(fd, message) for _ in iter(int, 1)], daemon=True).start()\n"
             "    time.sleep(0.2)\n")},
        {"activations": "relu(): the submission's process answered out of turn"}, None),
    "shape_overflow": ({"activations.py": replace_function("activations", "relu", (
        "    wire = __import__('sys').modules['wire']\n"
        "    honest = wire.encode\n"
        "    def forged(value):\n"
        "        wire.encode = honest\n"
        "        return {'$array': '', 'dtype': '<f8', 'shape': [2 ** 70]}\n"
        "    wire.encode = forged\n"
        "    return np.maximum(np.asarray(z, dtype=float), 0.0)"))},
        {"activations": f"{NOT_PLAIN} (malformed array shape)"}, None),
    "prints_inputs_and_fences": ({"activations.py": replace_function(
        "activations", "relu_derivative", f"    raise ValueError({FAKE_TOTAL!r})").replace(
        "\ndef relu(z):\n", "\ndef relu(z):\n    print('RELU', np.asarray(z).tolist())\n", 1)
        + f"\nprint({FAKE_TOTAL!r})\n"}, {"activations": "relu_derivative() raised ValueError"}, None),
}


def peeking_module(paths, port):
    """activations.py that reports, at import, which paths it can see and whether it reached the port."""
    return solution("activations") + (
        "\nimport os, socket\n"
        f"print('SEES', [p for p in {[str(p) for p in paths]!r} if os.path.exists(p)])\n"
        f"print('HOLDS', sorted(os.listdir({str(paths[0])!r})) if os.path.isdir({str(paths[0])!r}) else [])\n"
        "try:\n"
        f"    socket.create_connection(('127.0.0.1', {port}), timeout=2).close()\n"
        "    print('NETWORK reached')\n"
        "except OSError as error:\n"
        "    print('NETWORK refused', error)\n")


def build_submissions(root, out, port):
    for name, (files, _, _) in CASES.items():
        folder = root / name
        folder.mkdir()
        for module in MODULES:
            (folder / f"{module}.py").write_text(solution(module))
        for filename, text in files.items():
            data = text if isinstance(text, bytes) else text.encode()
            (folder / filename).write_bytes(data)
    peeks = root / "peeks"
    peeks.mkdir()
    for module in MODULES:
        (peeks / f"{module}.py").write_text(solution(module))
    (peeks / "activations.py").write_text(peeking_module([ROOT, SOLUTIONS, HIDDEN, out, root / "syntax_error"], port))
    (root / "Zoë O'Brien, Jr").mkdir()
    for module in MODULES:
        (root / "Zoë O'Brien, Jr" / f"{module}.py").write_text(solution(module))
    (root / "empty").mkdir()
    with zipfile.ZipFile(root / "zip slip.zip", "w") as archive:
        for module in MODULES:
            archive.writestr(f"assignments/{module}.py", solution(module))
        archive.writestr("../evil.py", "print('escaped')\n")
    with zipfile.ZipFile(root / "zip bomb.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("activations.py", "#" * (40 * 1024 ** 2))
    with zipfile.ZipFile(root / "zip of many members.zip", "w") as archive:
        for module in MODULES:
            archive.writestr(f"{module}.py", solution(module))
    announce_members(root / "zip of many members.zip", 0xFFFF)
    with zipfile.ZipFile(root / "zip of a long name.zip", "w") as archive:
        for module in MODULES:
            archive.writestr(f"{module}.py", solution(module))
        archive.writestr(f"{'x' * 300}.py", "print('written')\n")
    with zipfile.ZipFile(root / "zip of many files.zip", "w") as archive:
        for module in MODULES:
            archive.writestr(f"{module}.py", solution(module))
        for number in range(17000):  # a page each: more than the 64 MiB of a worker's folder in bwrap
            archive.writestr(f"helper{number}.py", "\n")


def announce_members(path, count):
    """Rewrite a zip's end record to announce `count` members (zipfile itself would read just the
    directory's actual entries: it is the size of that directory that costs memory)."""
    data = bytearray(path.read_bytes())
    end = data.rfind(b"PK\x05\x06")
    data[end + 8:end + 12] = struct.pack("<HH", count, count)
    path.write_bytes(data)


MODES = [pytest.param("bwrap", marks=pytest.mark.skipif(not sandbox.bwrap_path(), reason="bwrap not installed")),
         "none"]


@pytest.fixture(scope="module", params=MODES)
def graded(request, tmp_path_factory):
    ESCAPE.mkdir(exist_ok=True)
    for stale in ESCAPE.iterdir():
        stale.unlink()
    submissions = tmp_path_factory.mktemp("hostile")
    out = tmp_path_factory.mktemp("out")
    # Calls get 4 s: a slow machine's XOR training still fits, and loops are caught quickly.
    # Scratch folders go in one of the test's own, so the processes of this run (and of no
    # other run on the machine) can be told apart.
    scratch = tmp_path_factory.mktemp("scratch")
    with socket.create_server(("127.0.0.1", 0)) as listener, pytest.MonkeyPatch.context() as patch:
        patch.setattr(tempfile, "tempdir", str(scratch))
        patch.setitem(runner.SESSION_ENV, "TMPDIR", str(scratch))  # where the sessions make workers' folders
        build_submissions(submissions, out, listener.getsockname()[1])
        records, failures = grade_folder(submissions, out, sandbox=request.param,
                                         limits={"call_seconds": 4.0, "submission_seconds": 90.0})
    for held in glob.glob(f"{SHM}*"):  # without the sandbox, files in /dev/shm outlive the worker
        os.remove(held)
    assert failures == []
    yield request.param, records, out, scratch
    shutil.rmtree(ESCAPE)


@pytest.mark.parametrize("case", CASES)
def test_hostile_case_gets_its_message_and_no_free_points(graded, case):
    mode, records, *_ = graded
    _, expected, full_marks = CASES[case]
    scores = results.by_assignment(records[case].tests)
    for module, texts in expected.items():
        assert scores[module].points < scores[module].max_points
        messages = [t.message for t in records[case].tests
                    if t.assignment == module and t.score < t.max_score]
        texts = (texts,) if isinstance(texts, str) else texts
        assert any(text in m for text in texts for m in messages), messages[:3]
    keep = full_marks if full_marks is not None else [m for m in MODULES if m not in expected]
    assert {m: scores[m].full for m in keep} == {m: True for m in keep}


def test_forged_results_gain_nothing_and_nothing_lands_outside_out(graded):
    mode, records, out, _ = graded
    assert results.by_assignment(records["forges_results"].tests)["perceptron"].points == 0
    assert "1000" not in (out / "grades.csv").read_text()
    assert {p.name for p in out.iterdir()} == {"grades.csv", "reference-check.json", "students"}
    assert {p.name for p in (out / "students").iterdir()} == {folder_name(student) for student in records}
    for student in records:
        assert {p.name for p in student_folder(out, student).iterdir()} == {"feedback.md", "results.json",
                                                                            "grading.json"}
    if mode == "bwrap":  # without the sandbox student code can write where the grader can
        assert list(ESCAPE.iterdir()) == []


def test_print_flood_is_cut(graded):
    _, records, out, _ = graded
    output = records["print_flood"].output
    assert len(output) < 100_000 and "more bytes of output cut" in output
    assert len((student_folder(out, "print_flood") / "feedback.md").read_text()) < 50_000


def test_rejected_zips_and_empty_submissions_say_why(graded):
    _, records, *_ = graded
    assert "points outside the submission" in records["zip slip"].problems[0]
    assert "over the limit" in records["zip bomb"].problems[0]
    assert "no .py or .ipynb files" in records["empty"].problems[0]
    assert "65535 members, over the limit" in records["zip of many members"].problems[0]
    assert "a file name longer than 255 bytes" in records["zip of a long name"].problems[0]
    assert results.total(records["zip of a long name"].tests).full
    assert "17005 .py files beside the modules, over the limit of 1000" in records["zip of many files"].problems[0]
    for student in ("zip slip", "zip bomb", "empty", "zip of many members", "zip of many files"):
        assert results.total(records[student].tests).points == 0


def test_nothing_is_left_running(graded):
    *_, scratch = graded
    assert processes_naming(scratch) == []


def test_every_student_is_in_the_gradebook(graded):
    _, records, out, _ = graded
    rows = gradebook(out)
    students = set(CASES) | {"empty", "zip slip", "zip bomb", "zip of many members", "zip of a long name",
                             "zip of many files", "peeks", "Zoë O'Brien, Jr"}
    assert set(records) == students and sorted(rows) == sorted(students)
    full = rows["Zoë O'Brien, Jr"]
    assert float(full["total"]) == results.total(records["Zoë O'Brien, Jr"].tests).max_points
    assert {row["status"] for row in rows.values()} == {"graded"}


def test_the_sandbox_hides_the_course_other_students_and_the_network(graded):
    mode, records, *_ = graded
    output = records["peeks"].output
    assert results.total(records["peeks"].tests).full
    if mode == "bwrap":
        # A venv inside the course (python -m venv .venv in a clone) is bound in for the worker's
        # Python, which makes the course's folder exist around it, holding that venv and nothing else.
        interpreter = sorted({Path(p).relative_to(ROOT).parts[0] for p in (sys.prefix, sys.executable)
                              if Path(p).is_relative_to(ROOT)})
        assert f"SEES {[str(ROOT)] if interpreter else []}" in output, output
        assert f"HOLDS {interpreter}" in output and "NETWORK refused" in output, output
    else:  # without it, the submission sees what the grader sees: why the grader warns
        assert str(SOLUTIONS) in output


def outside_code_blocks(markdown):
    """The lines of `markdown` outside its fenced code blocks, read as CommonMark does: a block
    opened by N backticks ends at a line of N or more backticks alone."""
    lines, fence = [], 0
    for line in markdown.splitlines():
        stripped = line.strip()
        ticks = len(stripped) - len(stripped.lstrip("`"))
        if not fence and ticks >= 3:
            fence = ticks
        elif fence and ticks >= fence and stripped == "`" * ticks:
            fence = 0
        elif not fence:
            lines.append(line)
    return lines


def test_what_hidden_tests_made_the_code_print_is_not_shown_and_no_output_ends_its_block(graded):
    _, records, out, _ = graded
    record = records["prints_inputs_and_fences"]
    shown = {line for line in record.output.splitlines() if line.startswith("RELU")}
    hidden = {line for line in record.hidden_output.splitlines() if line.startswith("RELU")} - shown
    assert shown and hidden  # relu's public inputs, and the hidden tests' own
    feedback = (student_folder(out, "prints_inputs_and_fences") / "feedback.md").read_text()
    results = json.loads((student_folder(out, "prints_inputs_and_fences") / "results.json").read_text())
    assert all(line in feedback and line in results["output"] for line in shown)
    assert not any(line in feedback or line in results["output"] for line in hidden)
    assert feedback.count("**Total: 178 / 178**") == 2  # printed at import, and softmax's message
    assert [line for line in outside_code_blocks(feedback) if "178 / 178" in line] == []
HOLD_SHARED_MEMORY = f"""
import glob, os


def hold(total):
    \"\"\"Hold `total` bytes outside the address space: in memfd files, then in /dev/shm.\"\"\"
    chunk, held, written = b"x" * 2 ** 23, [], 0
    while written < total:
        try:
            held.append(os.memfd_create("held"))
            fd = held[-1]
        except OSError as error:
            if error.errno != 24:  # EMFILE: no more open files, so on to /dev/shm
                raise
            fd = os.open("{SHM}%d" % written, os.O_CREAT | os.O_WRONLY, 0o600)
        os.write(fd, chunk)
        os.write(fd, chunk)
        written += 2 * len(chunk)
        if fd not in held:
            os.close(fd)
    return written
"""


def started_groups(monkeypatch):
    """The cgroups the workers started from now on are made in (appended to as they start)."""
    groups, create = [], cgroup.create

    def recorded(memory_bytes):
        groups.append(create(memory_bytes))
        return groups[-1]

    monkeypatch.setattr(cgroup, "create", recorded)
    return groups


@pytest.mark.parametrize("mode", MODES)
def test_shared_memory_counts_against_the_memory_limit(mode, tmp_path, monkeypatch):
    """memfd files and /dev/shm are not in the address space: the worker's cgroup bounds
    them, or without one the filter refuses memfd_create (and bwrap's /dev/shm is small)."""
    (tmp_path / "hog.py").write_text(HOLD_SHARED_MEMORY)
    groups = started_groups(monkeypatch)
    limits = sandbox.Limits(memory_bytes=256 * 1024 ** 2)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the worker's folder, named on its command line
    submission = remote.SandboxedSubmission(mode, limits, files_in(tmp_path))
    try:
        with pytest.raises(pytest.fail.Exception) as failed:
            remote.RemoteModule(submission, "hog").hold(2 * limits.memory_bytes)
    finally:
        submission.close()
        for held in glob.glob(f"{SHM}*"):
            os.remove(held)
    if "memory" in groups[0].bounds:
        assert "hold() stopped the submission: the submission's process was killed: it used more memory" in str(
            failed.value)
    else:
        assert "hold() raised PermissionError: [Errno 1] Operation not permitted" in str(failed.value)
    assert [f for g in groups for f in g.folders if f.exists()] == []
    assert processes_naming(tmp_path) == []


def worker_on(machine):
    """A worker_command whose worker believes it runs on `machine`."""
    plain = sandbox.worker_command

    def command(mode, submission_dir, limits, bounded):
        python, *flags, script = plain("none", submission_dir, limits, bounded)[:5]
        prelude = (f"import platform, runpy, sys; platform.machine = lambda: {machine!r}; "
                   f"sys.path.insert(0, {str(sandbox.RUNTIME)!r}); sys.argv = sys.argv[1:]; "
                   "runpy.run_path(sys.argv[0], run_name='__main__')")
        return [python, *flags, "-c", prelude, *plain("none", submission_dir, limits, bounded)[4:]]
    return command


@pytest.mark.parametrize("machine", ["x86_64", "m68k"])
def test_the_record_says_whether_the_filter_is_on(machine, tmp_path, monkeypatch):
    (tmp_path / "probe.py").write_text("ANSWER = 42\n")
    monkeypatch.setattr(sandbox, "worker_command", worker_on(machine))
    submission = remote.SandboxedSubmission("none", sandbox.Limits(), files_in(tmp_path))
    try:
        assert remote.RemoteModule(submission, "probe").ANSWER == 42
    finally:
        submission.close()
    assert submission.seccomp is (machine == "x86_64" and platform.machine() == "x86_64")


LEAVE_A_CHILD = """
import os, time


def leave_a_child():
    \"\"\"Start a grandchild in its own session, orphaned at once: a daemon.\"\"\"
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            time.sleep(300)
        os._exit(0)
    os.wait()
    return 1
"""


@pytest.mark.parametrize("with_cgroup", [True, False])
def test_a_child_that_leaves_the_session_is_killed_too(with_cgroup, tmp_path, monkeypatch):
    """Without the sandbox, on a host where the filter is off: the worker's daemon child
    outlives the process group, but not the cgroup, or without one the grader's reaping."""
    (tmp_path / "daemon.py").write_text(LEAVE_A_CHILD)
    monkeypatch.setattr(sandbox, "worker_command", worker_on("m68k"))
    if with_cgroup:
        if not cgroup.available():
            pytest.skip("no cgroup can be made here")
        groups = started_groups(monkeypatch)
    else:
        monkeypatch.setattr(cgroup, "create", lambda memory_bytes: cgroup.Group())
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the worker's folder, named on its command line
    submission = remote.SandboxedSubmission("none", sandbox.Limits(), files_in(tmp_path))
    try:
        assert remote.RemoteModule(submission, "daemon").leave_a_child() == 1
        assert len(processes_naming(tmp_path)) == 2  # the worker and its daemon
    finally:
        submission.close()
    assert processes_naming(tmp_path) == [] and list(tmp_path.glob("nn-worker-*")) == []
    if with_cgroup:
        assert [f for g in groups for f in g.folders if f.exists()] == []
