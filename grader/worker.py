"""The process that holds one submission's code: it runs inside the sandbox.

    python -E -s worker.py SUBMISSION_DIR CPU_SECONDS MEMORY_BYTES FILE_BYTES

Requests come on stdin and answers go out on stdout (see wire.py); the
student's own prints go to stderr, which the grader reads and cuts. Before any
student code runs, the worker limits itself (CPU time, address space, file
size) and installs a seccomp filter that refuses to create processes, so a
process bomb gets an error instead of a machine full of processes.

This file imports only the standard library, numpy, and wire.py and lifeline.py beside it.
"""
import ctypes
import importlib
import os
import platform
import resource
import struct
import sys
import traceback
import warnings

import numpy  # loaded before the limits, and before student files can shadow it

import lifeline
import wire

# Classic BPF for seccomp: refuse fork, vfork, clone3 and any clone that does
# not create a thread; allow everything else.
SECCOMP_RET_ALLOW = 0x7FFF0000
SECCOMP_RET_ERRNO = 0x00050000
EAGAIN, ENOSYS = 11, 38
CLONE_THREAD = 0x00010000
ARCHES = {  # audit arch, clone, clone3, syscalls that fork outright
    "x86_64": (0xC000003E, 56, 435, (57, 58)),
    "aarch64": (0xC00000B7, 220, 435, ()),
}


def _seccomp_program(arch, clone, clone3, forks):
    ld, jeq, jset, ret = 0x20, 0x15, 0x45, 0x06
    allow, refuse = SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO | EAGAIN
    program = [(ld, 0, 0, 4), (jeq, 1, 0, arch), (ret, 0, 0, allow), (ld, 0, 0, 0),
               (jeq, 0, 1, clone3), (ret, 0, 0, SECCOMP_RET_ERRNO | ENOSYS)]
    for number in forks:
        program += [(jeq, 0, 1, number), (ret, 0, 0, refuse)]
    program += [(jeq, 1, 0, clone), (ret, 0, 0, allow), (ld, 0, 0, 16),
                (jset, 0, 1, CLONE_THREAD), (ret, 0, 0, allow), (ret, 0, 0, refuse)]
    return b"".join(struct.pack("<HBBI", *instruction) for instruction in program)


def forbid_new_processes():
    arch = ARCHES.get(platform.machine())
    if arch is None:
        return False
    program = _seccomp_program(*arch)
    libc = ctypes.CDLL(None, use_errno=True)

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_char_p)]

    fprog = SockFprog(len(program) // 8, program)
    pr_set_no_new_privs, pr_set_seccomp, seccomp_mode_filter = 38, 22, 2
    if libc.prctl(pr_set_no_new_privs, 1, 0, 0, 0) != 0:
        return False
    return libc.prctl(pr_set_seccomp, seccomp_mode_filter, ctypes.byref(fprog), 0, 0) == 0


# numpy's floating-point error handling and the warnings machinery as they are before any
# student code runs: a submission that silences them at import (np.seterr(over="ignore"), a
# warnings filter, a replaced warnings function) would otherwise dodge the tests that call
# its functions with warnings as errors.
DEFAULT_FLOAT_ERRORS = numpy.geterr()
SET_FLOAT_ERRORS = numpy.seterr
WARNINGS_NAMESPACE = dict(vars(warnings))
WARNING_FILTERS = list(warnings.filters)


def reset_floats_and_warnings():
    """numpy's error handling and the warnings module as at start-up, before each call."""
    SET_FLOAT_ERRORS(**DEFAULT_FLOAT_ERRORS)
    sys.modules["warnings"] = warnings
    vars(warnings).update(WARNINGS_NAMESPACE)
    warnings.filters[:] = WARNING_FILTERS
    warnings._filters_mutated()


def filter_in_force():
    """Whether the kernel says this process runs under a seccomp filter (mode 2)."""
    try:
        with open("/proc/self/status") as status:
            return any(line.split() == ["Seccomp:", "2"] for line in status)
    except OSError:
        return False


def limit_resources(cpu_seconds, memory_bytes, file_bytes):
    for limit, value in ((resource.RLIMIT_CPU, cpu_seconds), (resource.RLIMIT_AS, memory_bytes),
                         (resource.RLIMIT_FSIZE, file_bytes), (resource.RLIMIT_CORE, 0)):
        resource.setrlimit(limit, (value, value))


def describe_exception(error, submission_dir):
    """'Type: message (file.py, line N)' naming the deepest line in the student's files."""
    where = ""
    if isinstance(error, SyntaxError) and error.filename:
        where = f" ({os.path.basename(error.filename)}, line {error.lineno})"
        return f"{type(error).__name__}: {error.msg}{where}"
    for frame in traceback.extract_tb(error.__traceback__):
        if os.path.dirname(os.path.abspath(frame.filename)) == submission_dir:
            where = f" ({os.path.basename(frame.filename)}, line {frame.lineno}, in {frame.name})"
    message = str(error)
    return f"{type(error).__name__}: {message}{where}" if message else f"{type(error).__name__}{where}"


class Submission:
    def __init__(self, directory):
        self.directory = directory
        self.modules = {}

    def module(self, name):
        """The imported module, or raises ImportFailed with what went wrong."""
        if name not in self.modules:
            if not os.path.exists(os.path.join(self.directory, f"{name}.py")):
                self.modules[name] = ImportFailed(f"{name}.py not found in the submission")
            else:
                try:
                    self.modules[name] = importlib.import_module(name)
                except BaseException as error:  # noqa: B036  (sys.exit() at import is a student error too)
                    self.modules[name] = ImportFailed(
                        f"{name}.py could not be imported: {describe_exception(error, self.directory)}")
        found = self.modules[name]
        if isinstance(found, ImportFailed):
            raise found
        return found

    def answer(self, request):
        try:
            module = self.module(request["module"])
        except ImportFailed as failure:
            return {"import_error": str(failure)}
        name = request["name"]
        if not hasattr(module, name):
            return {"missing": f"{request['module']}.py has no {name}"}
        try:
            attribute = getattr(module, name)
            if request["op"] == "get":
                if callable(attribute):
                    return {"callable": True}
                result = attribute
            else:
                args = wire.decode(request["args"])
                kwargs = wire.decode(request["kwargs"])
                reset_floats_and_warnings()
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    result = attribute(*args, **kwargs)
                if caught:
                    return {"value": wire.encode(result), "warnings": [
                        [w.category.__name__, f"{w.message} ({os.path.basename(w.filename)}, line {w.lineno})"]
                        for w in caught[:10]]}
            return {"value": wire.encode(result)}
        except wire.Unsupported as error:
            return {"unsupported": str(error)}
        except BaseException as error:  # noqa: B036  (a student's sys.exit() fails that call only)
            return {"error": describe_exception(error, self.directory)}


class ImportFailed(Exception):
    pass


def main():
    submission_dir, cpu, memory, file_size = sys.argv[1], *map(int, sys.argv[2:5])
    requests = os.fdopen(os.dup(0), "rb")
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    os.dup2(2, 1)  # the student's prints join their errors on the captured stream
    sys.stdout = os.fdopen(1, "w", buffering=1, closefd=False)
    lifeline.die_with_parent()
    limit_resources(cpu, memory, file_size)
    filtered = forbid_new_processes() and filter_in_force()
    sys.path.insert(0, submission_dir)
    os.chdir(submission_dir)
    submission = Submission(os.path.abspath(submission_dir))
    wire.write_message(answers, {"ready": True, "seccomp": filtered})
    while True:
        try:
            request = wire.read_message(requests)
        except EOFError:
            return
        answer = submission.answer(request)
        answer["id"] = request["id"]
        sys.stdout.flush()
        wire.write_message(answers, answer)


if __name__ == "__main__":
    main()
