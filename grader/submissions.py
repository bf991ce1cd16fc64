"""Finding the submissions in a folder and staging each one's files for grading.

An entry of SUBMISSIONS is a folder or a .zip; its name (without .zip) is the
student's. The module files may sit directly inside it or a few folders deeper
(a whole clone with assignments/ in it). Only regular `.py` files of the folder
that holds the modules are staged (at most 1,000), and `<module>.ipynb`
notebooks (beside them or in notebooks/), whose code cells become `<module>.py`:
no links are followed, and a zip member that would land outside the submission,
or a zip that inflates past a cap, rejects the whole zip with a message. nbformat is
imported only when a notebook is met.
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
MAX_NAME_BYTES = 255  # a file name's limit on Linux's file systems, where the worker writes the files
# .py files graded of one hand-in: each takes a page or more of the worker's folder, in bwrap a
# 64 MiB tmpfs, which 16,000 one-line files would fill before the student's code ran.
MAX_FILES = 1000
BYTES_PER_MEMBER = 256  # in a zip's list of members; a whole clone's zip takes about 90
SKIPPED_FOLDERS = {"__MACOSX", "__pycache__", ".git", ".ipynb_checkpoints", "node_modules"}


class Rejected(Exception):
    """A submission that cannot be graded as handed in; the message says why."""


@dataclass
class Entry:
    student: str
    path: Path  # the student's folder or zip
    id: str = ""  # the learning platform's id for the student, where it gave one
    late: bool = False  # handed in after the deadline, where the platform says so
    files: dict = None  # {name as uploaded: path}, for a platform that keeps files side by side

    @property
    def where(self):
        """How messages name the hand-in: its folder or zip, or the student for loose files."""
        return self.student if self.files is not None else self.path.name


@dataclass
class Staged:
    student: str
    files: dict = field(default_factory=dict)  # name -> bytes, the .py files that are graded
    problems: list = field(default_factory=list)  # what the student should hear about the hand-in

    def digest(self):
        h = hashlib.sha256()
        for name in sorted(self.files):
            h.update(name.encode("utf-8", "surrogatepass") + b"\0" + hashlib.sha256(self.files[name]).digest())
        return h.hexdigest()



def find_entries(folder, skip=()):
    """(entries sorted by student, one-line notes about anything passed over); names in `skip`
    are passed over without a note."""
    entries, notes, seen = [], [], {}
    for name in sorted(os.listdir(folder)):
        path = Path(folder) / name
        if name in skip or name in SKIPPED_FOLDERS:
            continue
        if name.startswith("."):
            if path.is_dir() or name.lower().endswith(".zip"):
                notes.append(f"skipped {name}: a hidden name (starting with '.') is not a student's")
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


def _owner(path):
    """The folder a module file counts for: assignments/notebooks/x.ipynb counts for assignments/."""
    return path.parent.parent if path.parent.name == "notebooks" and path.suffix == ".ipynb" else path.parent


def _choose_folder(paths):
    """The folder (a PurePosixPath) holding the most module files, the shallowest on a tie."""
    counts = {}
    for path in paths:
        if path.stem in MODULES:
            counts[_owner(path)] = counts.get(_owner(path), 0) + 1
    if not counts:
        return PurePosixPath(".")
    return min(counts, key=lambda p: (-counts[p], p.name != "assignments", len(p.parts), str(p)))


class _Budget:
    """Reads files for one submission, refusing one file or a total over the caps."""

    def __init__(self, where):
        self.where, self.total = where, 0

    def read(self, opener, name):
        with opener() as handle:
            data = handle.read(MAX_FILE_BYTES + 1)  # a zip header's size may lie: never trust it
        if len(data) > MAX_FILE_BYTES:
            raise Rejected(f"{self.where}: {name} is over the limit of {MAX_FILE_BYTES} bytes for one file")
        self.total += len(data)
        if self.total > MAX_TOTAL_BYTES:
            raise Rejected(f"{self.where}: its files hold over {MAX_TOTAL_BYTES} bytes")
        return data


def _notebook_module(staged, name, data):
    from grader.notebooks import NotANotebook, module_from_notebook

    try:
        source = module_from_notebook(data, f"{name}.ipynb")
    except NotANotebook as problem:
        staged.problems.append(str(problem))
        return f"raise ImportError({str(problem)!r})\n".encode()
    # backslashreplace: a lone surrogate in a cell becomes its escape, the same str in a literal
    return source.encode("utf-8", "backslashreplace")


def _assemble(entry, found):
    """Staged files from `found` ({PurePosixPath: opener}): the chosen folder's .py files, and a
    module made from each notebook that stands in for a missing or untouched .py file."""
    staged, budget = Staged(entry.student), _Budget(entry.where)
    folder = _choose_folder(list(found))
    graded = sum(path.suffix == ".py" and path.parent == folder for path in found)
    if graded > MAX_FILES:
        raise Rejected(f"{entry.where}: {graded} .py files beside the modules, over the limit of {MAX_FILES}")
    for path, opener in found.items():
        if path.suffix == ".py" and path.parent == folder:
            if len(os.fsencode(path.name)) > MAX_NAME_BYTES:  # a zip member's name may be that long
                staged.problems.append(f"{entry.where}: {path.name[:40]}...: a file name longer than "
                                       f"{MAX_NAME_BYTES} bytes, which no file may have here: left out")
                continue
            staged.files[path.name] = budget.read(opener, path.name)
    for name in MODULES:
        notebooks = [p for p in (folder / f"{name}.ipynb", folder / "notebooks" / f"{name}.ipynb") if p in found]
        if not notebooks:
            continue
        from grader.notebooks import untouched_stub  # only where a notebook is met (it adds to sys.path)

        handed_in = staged.files.get(f"{name}.py")
        if handed_in is not None and not untouched_stub(name, handed_in):
            staged.problems.append(f"both {name}.py and {name}.ipynb were handed in: {name}.py was graded")
            continue
        data = budget.read(found[notebooks[0]], notebooks[0].name)
        staged.files[f"{name}.py"] = _notebook_module(staged, name, data)
        staged.problems.append(
            f"{name}.ipynb was graded" + (f" ({name}.py is the untouched stub)" if handed_in else "")
            + f": its code cells, in order, make up {name}.py; line numbers in messages count in that file, "
            f"where each cell starts with a '# cell N' line")
    return staged


def _relevant(path):
    return path.suffix in (".py", ".ipynb") and len(path.parts) <= MAX_DEPTH + 1 and not any(
        part.startswith(".") or part in SKIPPED_FOLDERS for part in path.parts[:-1])


def _stage_folder(entry):
    root, found = entry.path, {}
    for current, folders, names in os.walk(root):
        depth = len(Path(current).relative_to(root).parts)
        folders[:] = [f for f in folders if not f.startswith(".") and f not in SKIPPED_FOLDERS
                      and depth < MAX_DEPTH]
        for name in names:
            path = Path(current) / name
            relative = PurePosixPath(path.relative_to(root).as_posix())
            if _relevant(relative) and stat.S_ISREG(os.lstat(path).st_mode):
                found[relative] = lambda path=path: open(path, "rb")
    return _assemble(entry, found)


def safe_member(name):
    path = name.replace("\\", "/")
    normal = posixpath.normpath(path)
    return not (path.startswith("/") or normal == ".." or normal.startswith("../") or ":" in path.split("/")[0])


def check_central_directory(path, where, max_members=MAX_ZIP_MEMBERS):
    """Refuse a zip whose end record announces too many members, or a central directory too big
    to hold only that many, before zipfile reads that directory into a member list."""
    with open(path, "rb") as handle:
        end = zipfile._EndRecData(handle)  # the record ZipFile itself goes by, zip64 included
    if end is None:
        raise zipfile.BadZipFile("File is not a zip file")
    members, size = end[zipfile._ECD_ENTRIES_TOTAL], end[zipfile._ECD_SIZE]
    if members > max_members:
        raise Rejected(f"{where}: {members} members, over the limit of {max_members}")
    if size > max_members * BYTES_PER_MEMBER:
        raise Rejected(f"{where}: a list of members of {size} bytes, over the limit of "
                       f"{max_members * BYTES_PER_MEMBER}")


def _stage_zip(entry, path):
    where = path.name
    try:
        check_central_directory(path, where)
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > MAX_ZIP_MEMBERS:
                raise Rejected(f"{where}: {len(members)} members, over the limit of {MAX_ZIP_MEMBERS}")
            found = {}
            for member in members:
                if not safe_member(member.filename):
                    raise Rejected(f"{where}: member {member.filename!r} points outside the submission; "
                                   f"the zip was not graded")
                path = PurePosixPath(posixpath.normpath(member.filename.replace("\\", "/")))
                if not member.is_dir() and not stat.S_ISLNK(member.external_attr >> 16) and _relevant(path):
                    found[path] = lambda member=member: archive.open(member)
            return _assemble(entry, found)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError, ValueError,
            NotImplementedError, RuntimeError) as error:  # ValueError: a member name that is not UTF-8
        raise Rejected(f"{where}: not a readable zip ({error})") from None


def _stage_uploads(entry):
    """The files an entry holds side by side ({name as uploaded: path}), or the one zip among them."""
    found = {PurePosixPath(name): (lambda path=path: open(path, "rb")) for name, path in entry.files.items()
             if _relevant(PurePosixPath(name))}
    zips = [path for name, path in entry.files.items() if name.lower().endswith(".zip")]
    if not found and len(zips) == 1:
        return _stage_zip(entry, zips[0])
    return _assemble(entry, found)


def _lone_zip(folder):
    """The one .zip in a folder that holds no .py or .ipynb file: a zip uploaded to a platform."""
    names = os.listdir(folder)
    zips = [n for n in names if n.lower().endswith(".zip") and (folder / n).is_file()]
    if len(zips) == 1 and not any(n.endswith((".py", ".ipynb")) for n in names):
        return folder / zips[0]
    return None


def stage(entry):
    """The student's files (a Staged); a rejected hand-in gives no files and says why."""
    try:
        if entry.files is not None:
            staged = _stage_uploads(entry)
        elif entry.path.is_file():
            staged = _stage_zip(entry, entry.path)
        elif _lone_zip(entry.path) is not None:
            staged = _stage_zip(entry, _lone_zip(entry.path))
        else:
            staged = _stage_folder(entry)
    except Rejected as problem:
        return Staged(entry.student, problems=[str(problem)])
    if not staged.files:
        staged.problems.append(f"{entry.where}: no .py or .ipynb files found in the submission")
    return staged
