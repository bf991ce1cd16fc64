"""A control group per worker: it bounds the worker's memory (shared memory and tmpfs files
included, which the address-space limit does not count) and its number of tasks (threads
and processes), and it lets the grader kill every process the worker started, whatever
that process did to its session or parent.

The trusted side creates it (remote.Worker), starts the worker inside it and removes it
when the worker is killed. It is a cgroup v2 group where the grader's own cgroup hands
out the memory and pids controllers (`memory.max`, `pids.max`), otherwise one group in
each cgroup v1 hierarchy of those controllers (`memory.limit_in_bytes`, `pids.max`).
Where neither can be created (no permission, no such controller), `create` returns a
group that bounds nothing, and `missing` says so in a line for the run to print once.
"""
import itertools
import os
import re
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path

TASKS = 64  # threads and processes per worker: numpy's BLAS runs one thread here
PREFIX = "nn-grader"
_numbers = itertools.count()
# Joins the cgroups named before `--` (their cgroup.procs files), then runs the command after it,
# so the worker is inside before it runs anything at all.
JOIN = 'while [ "$1" != -- ]; do echo $$ > "$1" || exit 125; shift; done; shift; exec "$@"'


@dataclass
class Group:
    folders: list = field(default_factory=list)
    bounds: frozenset = frozenset()  # of "memory", "tasks"

    def command(self, argv):
        """`argv` started inside this group."""
        if not self.folders:
            return argv
        return ["/bin/sh", "-c", JOIN, "sh", *(str(f / "cgroup.procs") for f in self.folders), "--", *argv]

    def ran_out_of_memory(self):
        """Whether the kernel killed a process of the group for going past its memory bound."""
        for folder in self.folders:
            for name in ("memory.events", "memory.oom_control"):
                for line in _read(folder / name).splitlines():
                    key, _, count = line.partition(" ")
                    if key == "oom_kill" and int(count) > 0:
                        return True
        return False

    def kill(self):
        """SIGKILL every process in the group, and remove it."""
        for folder in self.folders:
            _kill_and_remove(folder)


def _read(path):
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def _hierarchies():
    """{'cgroup2' or a v1 controller: the folder of this process's own cgroup there}."""
    mounts = {}
    for line in _read("/proc/self/mountinfo").splitlines():
        fields = line.split()
        tail = fields[fields.index("-") + 1:]
        kinds = ["cgroup2"] if tail[0] == "cgroup2" else [
            option for option in tail[2].split(",") if tail[0] == "cgroup" and option in ("memory", "pids")]
        for kind in kinds:
            mounts[kind] = (fields[3], fields[4])
    own = {}
    for line in _read("/proc/self/cgroup").splitlines():
        number, controllers, path = line.split(":", 2)
        for kind in ["cgroup2"] if number == "0" else controllers.split(","):
            if kind in mounts and (path + "/").startswith(mounts[kind][0].rstrip("/") + "/"):
                root, mount = mounts[kind]
                own[kind] = Path(mount) / os.path.relpath(path, root)
    return own


def _write(path, value):
    try:
        Path(path).write_text(str(value))
        return True
    except OSError:
        return False


def _kill_and_remove(folder):
    kill_file = folder / "cgroup.kill"
    if kill_file.exists():
        _write(kill_file, 1)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        pids = [int(p) for p in _read(folder / "cgroup.procs").split()]
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            folder.rmdir()
            return
        except FileNotFoundError:
            return
        except OSError:  # busy until the killed processes have exited
            time.sleep(0.01)


def _sweep(parent):
    """Remove the groups left by grader processes that died without removing them."""
    for folder in parent.glob(f"{PREFIX}-*"):
        owner = re.match(rf"{PREFIX}-(\d+)-", folder.name)
        if owner and not Path(f"/proc/{owner[1]}").exists():
            _kill_and_remove(folder)


def _new_folder(parent):
    _sweep(parent)
    folder = parent / f"{PREFIX}-{os.getpid()}-{next(_numbers)}"
    try:
        folder.mkdir()
    except OSError:
        return None
    return folder


def _version2(folder, memory_bytes):
    parent = folder.parent
    if not {"memory", "pids"} <= set(_read(parent / "cgroup.subtree_control").split()):
        _write(parent / "cgroup.subtree_control", "+memory +pids")
    if (folder / "memory.max").exists() and (folder / "pids.max").exists() and _write(
            folder / "memory.max", memory_bytes) and _write(folder / "pids.max", TASKS):
        _write(folder / "memory.swap.max", 0)
        return Group([folder], frozenset({"memory", "tasks"}))
    _kill_and_remove(folder)
    return None


def _version1(own, memory_bytes):
    group = Group()
    for controller, bound, limit, value in (("memory", "memory", "memory.limit_in_bytes", memory_bytes),
                                            ("pids", "tasks", "pids.max", TASKS)):
        folder = controller in own and _new_folder(own[controller])
        if folder:
            group.folders.append(folder)
            if _write(folder / limit, value):
                group.bounds |= {bound}
    if "memory" in group.bounds:  # swap too, where the kernel accounts for it
        _write(group.folders[0] / "memory.memsw.limit_in_bytes", memory_bytes)
    return group


def create(memory_bytes):
    """A new group for one worker, bounded as far as this host allows."""
    own = _hierarchies()
    if "cgroup2" in own:
        folder = _new_folder(own["cgroup2"])
        group = folder and _version2(folder, memory_bytes)
        if group:
            return group
    return _version1(own, memory_bytes)


def available():
    """What a worker's group bounds on this host ("memory", "tasks"), found by making one."""
    group = create(1024 ** 3)
    group.kill()
    return group.bounds


def missing():
    """One line on what no cgroup bounds here and what the workers do instead, or None."""
    lacking = {"memory", "tasks"} - available()
    if not lacking:
        return None
    instead = {"memory": "shared memory (memfd_create) is refused to student code",
               "tasks": "student code may not start threads"}
    return (f"no cgroup bounds the workers' {' or '.join(sorted(lacking))} on this host (that needs root or "
            f"a delegated cgroup): {', and '.join(instead[k] for k in sorted(lacking))}")
