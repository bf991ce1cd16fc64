"""The process that holds one submission's code: it runs inside the sandbox.

    python -E -s worker.py FOLDER CPU_SECONDS MEMORY_BYTES FILE_BYTES BOUNDED ACCOUNT

Requests come on stdin and answers go out on stdout (see wire.py); the
student's own prints go to stderr, which the grader reads and cuts. The worker
starts before its submission is known, in the empty FOLDER, and says it is
ready; the submission's files then come as messages {"op": "files", "files":
[[name, base64 bytes], ...]}, which it writes into FOLDER and acknowledges,
before any request for a module of theirs. Before any student code runs, the
worker limits itself (CPU time, address space, file size, open files) and
installs a seccomp filter that refuses to create processes, so a process bomb
gets an error instead of a machine full of processes, and to signal, renice or
re-limit any process but itself. BOUNDED names what the cgroup the grader
started it in bounds ("memory,tasks", or "-" for nothing): the filter refuses
threads and memfd shared memory where no cgroup bounds them. ACCOUNT is
"UID:GID" in user mode (see sandbox.py): the worker, started as root inside its
cgroup, becomes that account first, with no supplementary groups; otherwise "-".

This file imports only the standard library, numpy, and wire.py and lifeline.py beside it.
"""
import base64
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

# The seccomp filter, in classic BPF. A system call from another architecture's entry point
# (the 32-bit `int 0x80` on x86-64) kills the process: its numbers mean other calls, so no
# rule below would hold for it. x32 calls (number bit 0x40000000) are refused. So are new
# processes (clone is allowed only for threads), tracing or reading other processes, mounts
# and namespaces, and the kernel's other attack surface; everything else is allowed.
# Threads and memfd_create (shared memory that the address-space limit does not count) are
# refused too unless a cgroup bounds them (the BOUNDED argument).
# In user mode the workers graded at once share one account, which the kernel lets signal,
# renice or re-limit each other's processes: the calls that act on a process by its id are
# allowed only where that id is the worker's own (`targeted`), the rest refused (pidfd calls,
# and fcntl/ioctl's F_SETOWN and FIOSETOWN, which would aim SIGIO at another process).
# An id is compared on its low 32-bit word alone: the kernel's entry points cast each such
# argument to pid_t or int (32 bits) and ignore the high word, so a value with high bits set
# names to the kernel the same process as its low word does here.
SECCOMP_RET_KILL_PROCESS = 0x80000000
SECCOMP_RET_ERRNO = 0x00050000
SECCOMP_RET_ALLOW = 0x7FFF0000
EPERM, EAGAIN, ENOSYS = 1, 11, 38
CLONE_THREAD = 0x00010000
X32_SYSCALL_BIT = 0x40000000
AUDIT_ARCH = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}
SYSCALLS = {  # name: (number on x86_64, on aarch64); None where the architecture has none
    "clone": (56, 220), "clone3": (435, 435), "fork": (57, None), "vfork": (58, None),
    "memfd_create": (319, 279), "memfd_secret": (447, 447),
    "ptrace": (101, 117), "process_vm_readv": (310, 270), "process_vm_writev": (311, 271),
    "pidfd_getfd": (438, 438), "kcmp": (312, 272),
    "unshare": (272, 97), "setns": (308, 268), "mount": (165, 40), "umount2": (166, 39),
    "pivot_root": (155, 41), "chroot": (161, 51), "open_tree": (428, 428), "move_mount": (429, 429),
    "fsopen": (430, 430), "fsconfig": (431, 431), "fsmount": (432, 432), "fspick": (433, 433),
    "mount_setattr": (442, 442), "open_by_handle_at": (304, 265), "name_to_handle_at": (303, 264),
    "bpf": (321, 280), "perf_event_open": (298, 241), "userfaultfd": (323, 282),
    "io_uring_setup": (425, 425), "io_uring_enter": (426, 426), "io_uring_register": (427, 427),
    "keyctl": (250, 219), "add_key": (248, 217), "request_key": (249, 218),
    "kexec_load": (246, 104), "kexec_file_load": (320, 294), "init_module": (175, 105),
    "finit_module": (313, 273), "delete_module": (176, 106), "reboot": (169, 142),
    "swapon": (167, 224), "swapoff": (168, 225), "acct": (163, 89),
    "pidfd_open": (434, 434), "pidfd_send_signal": (424, 424), "process_madvise": (440, 440),
    "process_mrelease": (448, 448),
    "kill": (62, 129), "tgkill": (234, 131), "tkill": (200, 130), "rt_sigqueueinfo": (129, 138),
    "rt_tgsigqueueinfo": (297, 240), "prlimit64": (302, 261), "setpriority": (141, 140),
    "ioprio_set": (251, 30), "sched_setaffinity": (203, 122), "sched_setscheduler": (144, 119),
    "sched_setparam": (142, 118), "sched_setattr": (314, 274), "migrate_pages": (256, 238),
    "move_pages": (279, 239), "fcntl": (72, 25), "ioctl": (16, 29),
}
# classic BPF's load of a word of seccomp_data, jump if equal, jump if any bit set, return
LOAD, JUMP_EQUAL, JUMP_SET, RETURN = 0x20, 0x15, 0x45, 0x06
PRIO_PROCESS, IOPRIO_WHO_PROCESS = 0, 1
F_SETOWN, F_SETOWN_EX, FIOSETOWN, SIOCSPGRP = 8, 15, 0x8901, 0x8902


def targeted(pid, own_group):
    """The calls that name a process, each as its conditions (argument, values, whether those
    values are the allowed ones or the refused ones); 0 names the calling process (or thread)."""
    me = (0, pid)
    group = (pid, 0, -pid & 0xFFFFFFFF) if own_group else (pid,)  # kill(0) and kill(-pid): its group
    return {
        "kill": [(0, group, True)], "tgkill": [(0, (pid,), True)], "tkill": [(0, (pid,), True)],
        "rt_sigqueueinfo": [(0, (pid,), True)], "rt_tgsigqueueinfo": [(0, (pid,), True)],
        "prlimit64": [(0, me, True)], "setpriority": [(0, (PRIO_PROCESS,), True), (1, me, True)],
        "ioprio_set": [(0, (IOPRIO_WHO_PROCESS,), True), (1, me, True)],
        "sched_setaffinity": [(0, me, True)], "sched_setscheduler": [(0, me, True)],
        "sched_setparam": [(0, me, True)], "sched_setattr": [(0, me, True)],
        "migrate_pages": [(0, me, True)], "move_pages": [(0, me, True)],
        "fcntl": [(1, (F_SETOWN, F_SETOWN_EX), False)], "ioctl": [(1, (FIOSETOWN, SIOCSPGRP), False)],
    }


def argument_check(argument, values, allowed):
    """Instructions that go on when the low word of system-call argument `argument` is among
    `values` (allowed) or is none of them (not allowed), and refuse the call otherwise."""
    n = len(values)
    if allowed:  # a match jumps past the refusal
        checks = [(JUMP_EQUAL, n - j, 0, value) for j, value in enumerate(values)]
    else:  # a match jumps to the refusal, the last miss past it
        checks = [(JUMP_EQUAL, n - 1 - j, int(j == n - 1), value) for j, value in enumerate(values)]
    return [(LOAD, 0, 0, 16 + 8 * argument), *checks, (RETURN, 0, 0, SECCOMP_RET_ERRNO | EPERM)]


# the rest is refused outright
HANDLED_APART = ("clone", "clone3", "fork", "vfork", "memfd_create", *targeted(0, own_group=True))


def seccomp_program(machine, bounded, pid, own_group):
    """The filter's instructions for `machine`, or None where it has no table here, for the
    worker whose process id is `pid` (and which leads its own process group if `own_group`)."""
    if machine not in AUDIT_ARCH:
        return None
    column = list(AUDIT_ARCH).index(machine)
    number = {name: numbers[column] for name, numbers in SYSCALLS.items() if numbers[column] is not None}
    ld, jeq, jset, ret = LOAD, JUMP_EQUAL, JUMP_SET, RETURN
    errno = SECCOMP_RET_ERRNO
    refused = {name: errno | EPERM for name in SYSCALLS if name not in HANDLED_APART}
    refused.update(fork=errno | EAGAIN, vfork=errno | EAGAIN, clone3=errno | ENOSYS)  # glibc falls back to clone
    if "memory" not in bounded:
        refused["memfd_create"] = errno | EPERM
    threads = SECCOMP_RET_ALLOW if "tasks" in bounded else errno | EAGAIN
    program = [(ld, 0, 0, 4), (jeq, 1, 0, AUDIT_ARCH[machine]), (ret, 0, 0, SECCOMP_RET_KILL_PROCESS),
               (ld, 0, 0, 0), (jset, 0, 1, X32_SYSCALL_BIT), (ret, 0, 0, errno | ENOSYS)]
    for name, action in refused.items():
        if name in number:
            program += [(jeq, 0, 1, number[name]), (ret, 0, 0, action)]
    for name, conditions in targeted(pid, own_group).items():
        block = [instruction for condition in conditions for instruction in argument_check(*condition)]
        block.append((ret, 0, 0, SECCOMP_RET_ALLOW))
        program += [(jeq, 0, len(block), number[name]), *block]
    program += [(jeq, 1, 0, number["clone"]), (ret, 0, 0, SECCOMP_RET_ALLOW), (ld, 0, 0, 16),
                (jset, 0, 1, CLONE_THREAD), (ret, 0, 0, threads), (ret, 0, 0, errno | EAGAIN)]
    return b"".join(struct.pack("<HBBI", *instruction) for instruction in program)


def install_filter(bounded):
    """Install the seccomp filter; whether the kernel took it."""
    pid = os.getpid()
    program = seccomp_program(platform.machine(), bounded, pid, os.getpgrp() == pid)
    if program is None:
        return False
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


OPEN_FILES = 64  # with 16 MiB per file, what open files can hold in memory beside the address space


def limit_resources(cpu_seconds, memory_bytes, file_bytes):
    for limit, value in ((resource.RLIMIT_CPU, cpu_seconds), (resource.RLIMIT_AS, memory_bytes),
                         (resource.RLIMIT_FSIZE, file_bytes), (resource.RLIMIT_CORE, 0),
                         (resource.RLIMIT_NOFILE, OPEN_FILES)):
        hard = resource.getrlimit(limit)[1]
        value = value if hard == resource.RLIM_INFINITY else min(value, hard)
        resource.setrlimit(limit, (value, value))


PR_SET_DUMPABLE = 4


def become(uid, gid):
    """Drop root for good: this account only, no supplementary groups, and not dumpable, so that
    other processes of the account can neither trace this one nor read its /proc files."""
    os.setgroups([])
    os.setgid(gid)
    os.setuid(uid)
    if os.getresuid() != (uid, uid, uid) or os.getresgid() != (gid, gid, gid) or os.getgroups():
        raise SystemExit(f"the worker could not become uid {uid}, gid {gid}")
    ctypes.CDLL(None).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)


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


class ImportedSubmission:
    """The submission's side: its modules, imported on first use, and the answers to requests."""

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


def write_files(directory, files):
    """Write the submission's files, sent as [[name, base64 bytes], ...], into `directory`; how many."""
    for name, data in files:
        if os.path.basename(name) != name or name in ("", ".", "..") or "\0" in name:
            raise ValueError(f"not a file name: {name!r}")
        with open(os.path.join(directory, name), "xb") as file:
            file.write(base64.b64decode(data, validate=True))
    importlib.invalidate_caches()  # the folder's listing may be cached from before the files came
    return len(files)


def main():
    submission_dir, cpu, memory, file_size = os.path.abspath(sys.argv[1]), *map(int, sys.argv[2:5])
    bounded = set(sys.argv[5].split(","))
    if sys.argv[6] != "-":  # before the parent-death signal, which a change of account clears
        become(*map(int, sys.argv[6].split(":")))
    requests = os.fdopen(os.dup(0), "rb")
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    os.dup2(2, 1)  # the student's prints join their errors on the captured stream
    sys.stdout = os.fdopen(1, "w", buffering=1, closefd=False)
    lifeline.die_with_parent()
    limit_resources(cpu, memory, file_size)
    filtered = install_filter(bounded) and filter_in_force()
    sys.path.insert(0, submission_dir)
    os.chdir(submission_dir)
    submission = ImportedSubmission(os.path.abspath(submission_dir))
    wire.write_message(answers, {"ready": True, "seccomp": filtered})
    while True:
        try:
            request = wire.read_message(requests)
        except EOFError:
            return
        if request.get("op") == "files" and not submission.modules:
            answer = {"written": write_files(submission_dir, request["files"])}
        else:
            answer = submission.answer(request)
        answer["id"] = request.get("id")
        sys.stdout.flush()
        wire.write_message(answers, answer)


if __name__ == "__main__":
    main()
