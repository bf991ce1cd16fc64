"""Finding the submissions in a folder and staging each one's files for grading.

An entry of SUBMISSIONS is a folder or a .zip; its name (without .zip) is the
student's. The module files may sit directly inside it or a few folders deeper
(a whole clone with assignments/ in it). Only regular `.py` files of the folder
that holds the modules are staged: no links are followed, and a zip member
that would land outside the submission, or a zip that inflates past a cap,
rejects the whole zip with a message.
"""
import hashlib
import os
import posixpath
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from grader.paths import MODULES

MAX_DEPTH = 3
MAX_FILE_BYTES = 1024 ** 2
MAX_TOTAL_BYTES = 16 * 1024 ** 2
MAX_ZIP_MEMBERS = 20000
SKIPPED_FOLDERS = {"__MACOSX", "__pycache__", ".git", ".ipynb_checkpoints", "node_modules"}


class Rejected(Exception):
    """A submission that cannot be graded as handed in; the message says why."""


@dataclass
class Entry:
    student: str
    path: Path


@dataclass
class Staged:
    student: str
    files: dict = field(default_factory=dict)  # name -> bytes, the .py files that are graded
    problems: list = field(default_factory=list)  # what the student should hear about the hand-in

    def digest(self):
        h = hashlib.sha256()
        for name in sorted(self.files):
            h.update(name.encode() + b"\0" + hashlib.sha256(self.files[name]).digest())
        return h.hexdigest()

    def write(self, directory):
        for name, data in self.files.items():
            (Path(directory) / name).write_bytes(data)


def find_entries(folder):
    """(entries sorted by student, one-line notes about anything passed over)."""
    entries, notes, seen = [], [], {}
    for name in sorted(os.listdir(folder)):
        path = Path(folder) / name
        if name.startswith(".") or name in SKIPPED_FOLDERS:
            continue
        if path.is_dir() and not path.is_symlink():
            student = name
        elif name.lower().endswith(".zip") and path.is_file() and not path.is_symlink():
            student = name[:-4]
        else:
            notes.append(f"skipped {name}: not a folder or a .zip")
            continue
        if student in seen:
            notes.append(f"{student}: both {seen[student].name} and {name} found; grading {seen[student].name}")
            continue
        seen[student] = path
        entries.append(Entry(student, path))
    return sorted(entries, key=lambda e: e.student), notes


def _choose_folder(py_files):
    """The folder (a PurePosixPath) holding the most module files, the shallowest on a tie."""
    counts = {}
    for path in py_files:
        if path.stem in MODULES:
            counts[path.parent] = counts.get(path.parent, 0) + 1
    if not counts:
        return PurePosixPath(".")
    return min(counts, key=lambda p: (-counts[p], p.name != "assignments", len(p.parts), str(p)))


def _keep(paths):
    folder = _choose_folder(paths)
    return [path for path in paths if path.parent == folder]


class _Budget:
    """Reads files for one submission, refusing one file or a total over the caps."""

    def __init__(self, where):
        self.where, self.total = where, 0

    def read(self, handle, name):
        data = handle.read(MAX_FILE_BYTES + 1)  # a zip header's size may lie: never trust it
        if len(data) > MAX_FILE_BYTES:
            raise Rejected(f"{self.where}: {name} is over the limit of {MAX_FILE_BYTES} bytes for one file")
        self.total += len(data)
        if self.total > MAX_TOTAL_BYTES:
            raise Rejected(f"{self.where}: its .py files hold over {MAX_TOTAL_BYTES} bytes")
        return data


def _stage_folder(entry):
    staged, found, budget = Staged(entry.student), [], _Budget(entry.path.name)
    root = entry.path
    for current, folders, names in os.walk(root):
        depth = len(Path(current).relative_to(root).parts)
        folders[:] = [f for f in folders if not f.startswith(".") and f not in SKIPPED_FOLDERS
                      and depth < MAX_DEPTH]
        for name in names:
            path = Path(current) / name
            info = os.lstat(path)
            if name.endswith(".py") and stat.S_ISREG(info.st_mode):
                found.append(PurePosixPath(path.relative_to(root).as_posix()))
    for relative in _keep(found):
        with open(root / relative, "rb") as handle:
            staged.files[relative.name] = budget.read(handle, relative.name)
    return staged


def _safe_member(name):
    path = name.replace("\\", "/")
    normal = posixpath.normpath(path)
    return not (path.startswith("/") or normal == ".." or normal.startswith("../") or ":" in path.split("/")[0])


def _stage_zip(entry):
    where = entry.path.name
    staged, budget = Staged(entry.student), _Budget(where)
    try:
        with zipfile.ZipFile(entry.path) as archive:
            members = archive.infolist()
            if len(members) > MAX_ZIP_MEMBERS:
                raise Rejected(f"{where}: {len(members)} members, over the limit of {MAX_ZIP_MEMBERS}")
            found = {}
            for member in members:
                if not _safe_member(member.filename):
                    raise Rejected(f"{where}: member {member.filename!r} points outside the submission; "
                                   f"the zip was not graded")
                path = PurePosixPath(posixpath.normpath(member.filename.replace("\\", "/")))
                is_link = stat.S_ISLNK(member.external_attr >> 16)
                if member.is_dir() or is_link or path.suffix != ".py" or len(path.parts) > MAX_DEPTH + 1 \
                        or any(part.startswith(".") or part in SKIPPED_FOLDERS for part in path.parts[:-1]):
                    continue
                found[path] = member
            for path in _keep(list(found)):
                with archive.open(found[path]) as handle:
                    staged.files[path.name] = budget.read(handle, path.name)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError,
            NotImplementedError, RuntimeError) as error:
        raise Rejected(f"{where}: not a readable zip ({error})") from None
    return staged


def stage(entry):
    """The student's files (a Staged); a rejected hand-in gives no files and says why."""
    try:
        staged = _stage_zip(entry) if entry.path.is_file() else _stage_folder(entry)
    except Rejected as problem:
        return Staged(entry.student, problems=[str(problem)])
    if not staged.files:
        staged.problems.append(f"{entry.path.name}: no .py files found in the submission")
    return staged
