"""How a submission's worker process is started: inside bubblewrap, as an unprivileged user, or plainly.

A worker starts before its submission is known, in an empty folder of its own,
and receives the submission's files over its pipe (remote.py, worker.py).
With bubblewrap (`bwrap`) the worker sees a read-only system (/usr, Python
and its packages), its folder and /tmp as small private tmpfs, and nothing
else: not the repository, the solutions, the hidden tests, other students or
OUT. It has no network and its own process namespace, so killing bwrap ends
every process inside. In user mode (for a grader that runs as root where bwrap
cannot create namespaces, as in many containers) the worker drops to an
unprivileged account before any student code runs, in a folder only that
account may open; the grader refuses this mode while that account can read the
solutions, the hidden tests, other students' files or OUT. Without either the
worker runs as a plain child process in a temporary folder.

In every mode the worker limits its own CPU time, memory and file size and
refuses to create processes before any student code runs (worker.py).
"""
import atexit
import functools
import json
import os
import pwd
import shutil
import site
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy

RUNTIME = Path(__file__).resolve().parent
RUNTIME_FILES = ("worker.py", "wire.py", "lifeline.py")
SAFE_ENV_PASSTHROUGH = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


@dataclass(frozen=True)
class Limits:
    call_seconds: float = 10.0
    submission_seconds: float = 300.0
    memory_bytes: int = 2 * 1024 ** 3
    file_bytes: int = 16 * 1024 ** 2
    output_bytes: int = 64 * 1024
    tmp_bytes: int = 64 * 1024 ** 2
    account: str = "nobody"  # whom user mode runs the worker as: a user name or a uid


MODES = ("auto", "bwrap", "user", "none")
NOBODY = 65534  # nobody / nogroup, where the system has no such names
RUNTIME_COPY = "grader"  # the runtime files' folder beside a user-mode worker's folder


@dataclass(frozen=True)
class Choice:
    mode: str  # "bwrap", "user" or "none"
    reason: str


def bwrap_path():
    return shutil.which("bwrap")


def _python():
    # The grader's own interpreter path, not its real path: a venv's bin/python is a link to
    # the base interpreter, which would start without the venv's packages.
    return str(Path(sys.executable).absolute())


@functools.cache
def bwrap_problem():
    """None when bwrap starts a worker's Python here (tried once per process), else why not."""
    if not bwrap_path():
        return "bwrap is not installed (Debian: apt-get install bubblewrap)"
    with tempfile.TemporaryDirectory(prefix="nn-probe-") as folder:
        try:
            result = subprocess.run(bwrap_command(folder, Limits()) + [_python(), "-E", "-s", "-B", "-c", "pass"],
                                    stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as error:
            return f"bwrap did not start a sandbox here: {error}"
    if result.returncode != 0:
        lines = result.stderr.decode(errors="replace").strip().splitlines() or [f"exit code {result.returncode}"]
        return f"bwrap cannot start a sandbox here: {lines[-1][:200]}"
    return None


@functools.cache
def choice(requested, account="nobody", private=()):
    """The mode for a --sandbox choice of 'auto', 'bwrap', 'user' or 'none', and why.

    'auto' takes bwrap where it starts a sandbox, else user mode when running as root, else
    none. User mode is refused (RuntimeError naming the path) while `account` can read the
    solutions, the hidden tests or a path of `private` (OUT, the submissions)."""
    if requested == "none":
        return Choice("none", "--sandbox none")
    if requested in ("auto", "bwrap"):
        problem = bwrap_problem()
        if problem is None:
            return Choice("bwrap", "bwrap starts a sandbox here" if requested == "auto" else "--sandbox bwrap")
        if requested == "bwrap":
            raise RuntimeError(f"--sandbox bwrap: {problem}")
        if os.geteuid() != 0:
            return Choice("none", f"{problem}, and user mode needs the grader to run as root")
        reason = f"{problem}; running as root, so workers run as the unprivileged account {account}"
    elif requested == "user":
        reason = f"--sandbox user: workers run as the unprivileged account {account}"
    else:
        raise RuntimeError(f"--sandbox {requested}: not one of {', '.join(MODES)}")
    check_user_mode(account, private)
    return Choice("user", reason)


def choose(requested, account="nobody"):
    """The mode alone: 'bwrap', 'user' or 'none'."""
    return choice(requested, account).mode


def user_ids(account):
    """(uid, gid) of `account`, a user name or a number; never root's."""
    if account.isdigit():
        uid = gid = int(account)
    else:
        try:
            entry = pwd.getpwnam(account)
            uid, gid = entry.pw_uid, entry.pw_gid
        except KeyError:
            if account != "nobody":
                raise RuntimeError(f"--sandbox-user {account}: no such user") from None
            uid = gid = NOBODY
    if uid == 0 or gid == 0:
        raise RuntimeError(f"--sandbox-user {account}: user mode needs an unprivileged account, not root's")
    return uid, gid


# Run as the account: Python must start and import numpy (the worker's needs), and none of
# the paths it is sent may open (files) or list (folders). Prints the first that does.
ACCESS_PROBE = """
import json, os, sys
import numpy
for path in json.load(sys.stdin):
    try:
        os.listdir(path) if os.path.isdir(path) else open(path, "rb").close()
    except OSError:
        continue
    print(path)
    break
"""


def _every_path(roots):
    for root in map(Path, roots):
        if not root.exists():
            continue
        yield root, root
        if root.is_dir():
            for folder, folders, files in os.walk(root):
                for name in folders + files:
                    yield root, Path(folder, name)


def check_user_mode(account, private=()):
    """Raise RuntimeError, saying what to fix, unless the grader runs as root and `account` can run
    this Python but read neither the solutions, the hidden tests nor any path of `private`."""
    from grader.paths import HIDDEN, ROOT, SOLUTIONS

    if os.geteuid() != 0:
        raise RuntimeError("--sandbox user: the grader must run as root to start workers as another account")
    uid, gid = user_ids(account)
    secret = dict((str(path), root) for root, path in _every_path([SOLUTIONS, HIDDEN, *private]))
    try:
        result = subprocess.run([_python(), "-E", "-s", "-B", "-c", ACCESS_PROBE], input=json.dumps(list(secret)),
                                capture_output=True, text=True, timeout=120, cwd="/", user=uid, group=gid,
                                extra_groups=[], env=worker_environment())
        failure = result.returncode and (result.stderr.strip().splitlines() or [f"exit code {result.returncode}"])[-1]
    except (OSError, subprocess.SubprocessError) as error:
        failure = getattr(error, "strerror", None) or str(error)
    if failure:
        raise RuntimeError(f"user mode: the account {account} (uid {uid}) cannot run this Python "
                           f"({_python()}: {failure[:200]}): make the interpreter and its packages readable by "
                           f"others (their parent folders too: /root is often private), or use --sandbox none")
    readable = result.stdout.strip()
    if readable:
        root = secret[readable]
        top = ROOT if root in (SOLUTIONS, HIDDEN) else root
        raise RuntimeError(f"user mode: the account {account} (uid {uid}) can read {readable}: "
                           f"make it private first (chmod -R go-rwx {top})")


@functools.cache
def user_folder():
    """This process's folder for user-mode workers' folders: every account may pass through it
    but none may list it, so no worker finds another's folder."""
    folder = Path(tempfile.mkdtemp(prefix="nn-user-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    folder.chmod(0o711)
    return folder


def worker_folder(mode, account):
    """A new scratch folder for one worker, made before its submission is known; the worker
    writes the submission's files into `folder(mode, scratch)` itself, as the worker's account.
    In user mode that folder is the account's and only its, with the worker's runtime files
    beside it where the account can read them."""
    if mode != "user":
        return Path(tempfile.mkdtemp(prefix="nn-worker-"))
    uid, gid = user_ids(account)
    scratch = Path(tempfile.mkdtemp(prefix="nn-worker-", dir=user_folder()))
    scratch.chmod(0o711)
    runtime = scratch / RUNTIME_COPY
    runtime.mkdir(mode=0o755)
    for name in RUNTIME_FILES:
        shutil.copyfile(RUNTIME / name, runtime / name)
        (runtime / name).chmod(0o644)
    code = folder(mode, scratch)
    code.mkdir(mode=0o700)
    os.chown(code, uid, gid)
    return scratch


def folder(mode, scratch):
    """The folder a worker works in (its submission's files, once they have come), on the host."""
    return scratch / "submission" if mode == "user" else scratch


def worker_environment():
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/tmp",
           "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    env.update({key: os.environ[key] for key in SAFE_ENV_PASSTHROUGH if key in os.environ})
    return env


def _python_roots():
    """Folders the worker's Python needs to read: the interpreter, its library, the
    environment's packages and, for a venv, its folder with `pyvenv.cfg`."""
    roots = {Path(p) for p in (sys.base_prefix, sys.prefix, sys.base_exec_prefix, sys.exec_prefix,
                               *site.getsitepackages())}
    roots |= {Path(sys.executable).absolute().parent, Path(os.path.realpath(sys.executable)).parent,
              Path(numpy.__file__).resolve().parent.parent}
    kept = []
    for root in sorted(roots, key=lambda p: len(p.parts)):
        if not any(root.is_relative_to(k) for k in kept) and not any(
                Path(p).is_relative_to(root) for p in ("/usr", "/bin", "/lib", "/lib64")):
            kept.append(root)
    return kept


def bwrap_command(folder, limits):
    """The bwrap argv, up to the program, that encloses a worker working in `folder`: a small
    private tmpfs of its own, mounted at the path of the empty folder the grader made for it,
    so that the sandbox's processes name that folder as in the other modes."""
    command = [bwrap_path(), "--unshare-all", "--die-with-parent", "--new-session", "--clearenv",
               "--cap-drop", "ALL", "--ro-bind", "/usr", "/usr", "--proc", "/proc", "--dev", "/dev",
               "--size", str(limits.tmp_bytes), "--tmpfs", "/dev/shm", "--remount-ro", "/dev",
               "--size", str(limits.tmp_bytes), "--tmpfs", "/tmp"]
    for link in ("bin", "lib", "lib64", "sbin"):
        target = Path("/", link)
        if target.is_symlink():
            command += ["--symlink", os.readlink(target), str(target)]
        elif target.is_dir():
            command += ["--ro-bind", str(target), str(target)]
    for root in _python_roots():
        command += ["--ro-bind", str(root), str(root)]
    for name in RUNTIME_FILES:
        command += ["--ro-bind", str(RUNTIME / name), f"/grader/{name}"]
    command += ["--size", str(limits.tmp_bytes), "--tmpfs", str(folder), "--chdir", str(folder)]
    for key, value in worker_environment().items():
        command += ["--setenv", key, value]
    return command


def worker_command(mode, scratch, limits, bounded=frozenset()):
    """The argv that starts a worker in the scratch folder `scratch` (worker_folder); `bounded`
    names what a cgroup bounds for it ("memory", "tasks"), which its seccomp filter then need
    not refuse."""
    cpu = int(limits.submission_seconds) + 5
    tail = [str(cpu), str(limits.memory_bytes), str(limits.file_bytes), ",".join(sorted(bounded)) or "-"]
    python = _python()
    if mode == "user":
        # The folder is the worker's working directory and named nowhere on its command line,
        # which every process can read, while other workers run as the same account.
        uid, gid = user_ids(limits.account)
        return [python, "-E", "-s", "-B", os.path.join("..", RUNTIME_COPY, "worker.py"), ".",
                *tail, f"{uid}:{gid}"]
    if mode == "none":
        return [python, "-E", "-s", "-B", str(RUNTIME / "worker.py"), str(scratch), *tail, "-"]
    return bwrap_command(scratch, limits) + [python, "-E", "-s", "-B", "/grader/worker.py", str(scratch), *tail, "-"]
