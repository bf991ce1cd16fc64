"""No grading process outlives its caller: each ends when its parent ends, and a session
can end every process below it.

Used by the session (its parent: the grader, or a Dask worker) and by the
worker inside the sandbox (its parent: the session), which imports this file
by plain name; so it needs nothing but the standard library.
"""
import ctypes
import os
import signal

PR_SET_PDEATHSIG = 1


def die_with_parent():
    parent = os.getppid()
    try:
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the caller's own kill still ends us
        return
    if os.getppid() != parent:  # the parent ended before the call above
        os._exit(1)


PR_SET_CHILD_SUBREAPER = 36


def adopt_orphans():
    """Become the parent of every orphan below this process: a worker's child that leaves its
    session (setsid) and loses its parent is then still found by kill_descendants."""
    try:
        ctypes.CDLL(None).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _parents():
    parents = {}
    for name in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{name}/stat", "rb") as stat:
                line = stat.read()
        except OSError:
            continue
        parents[int(name)] = int(line[line.rindex(b")") + 2:].split()[1])
    return parents


def kill_descendants():
    """SIGKILL every process below this one and reap those orphaned to it; for a
    process that has only workers below it."""
    me = os.getpid()
    for _ in range(100):  # processes may fork while they are being killed
        parents = _parents()
        below, frontier = set(), {me}
        while frontier:
            frontier = {pid for pid, parent in parents.items() if parent in frontier} - below
            below |= frontier
        if not below:
            return
        for pid in below:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for pid in below:
            if parents[pid] == me:
                try:
                    os.waitpid(pid, 0)
                except ChildProcessError:
                    pass
