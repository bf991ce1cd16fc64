"""End this process when its parent ends, so that no grading process outlives its caller.

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
