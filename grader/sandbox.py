"""How a submission's worker process is started: inside bubblewrap, or plainly.

With bubblewrap (`bwrap`) the worker sees a read-only system (/usr, Python
and its packages), the submission read-only at /submission, a small private
/tmp, and nothing else: not the repository, the solutions, the hidden tests,
other students or OUT. It has no network and its own process namespace, so
killing bwrap ends every process inside. Without bwrap the worker runs as a
plain child process in a temporary copy of the submission.

In both modes the worker limits its own CPU time, memory and file size and
refuses to create processes before any student code runs (worker.py).
"""
import os
import shutil
import site
import sys
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


def bwrap_path():
    return shutil.which("bwrap")


def choose(mode):
    """'bwrap' or 'none' for a --sandbox choice of 'auto', 'bwrap' or 'none'."""
    if mode == "auto":
        return "bwrap" if bwrap_path() else "none"
    if mode == "bwrap" and not bwrap_path():
        raise RuntimeError("--sandbox bwrap: bwrap is not installed (Debian: apt-get install bubblewrap)")
    return mode


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


def bwrap_command(submission_dir, limits):
    """The bwrap argv, up to the program, that encloses a worker over `submission_dir`."""
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
    command += ["--ro-bind", str(submission_dir), "/submission", "--chdir", "/submission"]
    for key, value in worker_environment().items():
        command += ["--setenv", key, value]
    return command


def worker_command(mode, submission_dir, limits, bounded=frozenset()):
    """The argv that starts a worker over `submission_dir`; `bounded` names what a cgroup
    bounds for it ("memory", "tasks"), which its seccomp filter then need not refuse."""
    cpu = int(limits.submission_seconds) + 5
    tail = [str(cpu), str(limits.memory_bytes), str(limits.file_bytes), ",".join(sorted(bounded)) or "-"]
    # The grader's own interpreter path, not its real path: a venv's bin/python is a link to
    # the base interpreter, which would start without the venv's packages.
    python = str(Path(sys.executable).absolute())
    if mode == "none":
        return [python, "-E", "-s", "-B", str(RUNTIME / "worker.py"), str(submission_dir), *tail]
    return bwrap_command(submission_dir, limits) + [python, "-E", "-s", "-B", "/grader/worker.py", "/submission",
                                                    *tail]
