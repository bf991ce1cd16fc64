"""Who handed in what: the students in SUBMISSIONS, in the layout it comes in.

- folders: one folder or .zip per student, named after the student.
- moodle: Moodle's "download all submissions": one folder per student named
  `Full Name_ID_assignsubmission_file_`, holding the uploaded files or a zip of them.
- canvas: Canvas' "download submissions": flat files named
  `namelastfirst_[LATE_]userid_submissionid_originalname`; one student's files share the prefix.

SUBMISSIONS may be any of these as a folder or as a .zip, which is unpacked (its .py, .ipynb and
.zip members only) into a temporary folder first. `--layout auto` tells the layouts apart by
their names.
"""
import os
import re
import shutil
import stat
import tempfile
import zipfile
import zlib
from contextlib import contextmanager
from pathlib import Path

from grader import submissions
from grader.submissions import SKIPPED_FOLDERS, Entry

LAYOUTS = ("auto", "folders", "moodle", "canvas")
MOODLE = re.compile(r"^(?P<name>.+?)_(?P<id>\d+)_assignsubmission_(?P<plugin>[a-z]+)_?$")
CANVAS = re.compile(r"^(?P<name>[^_]+)_(?P<late>LATE_)?(?P<id>\d+)_(?P<submission>\d+)_(?P<original>.+)$")
# Canvas renames a file uploaded again: activations-1.py, then activations-2.py
CANVAS_COPY = re.compile(r"-(\d+)(?=\.[A-Za-z]+$)")
UNPACKED_SUFFIXES = (".py", ".ipynb", ".zip")
MAX_ARCHIVE_MEMBERS = 500_000
MAX_UNPACKED_BYTES = 4 * 1024 ** 3


class LayoutError(Exception):
    """SUBMISSIONS is not laid out as asked or cannot be read; the message says why."""


def _visible(folder, skip=()):
    """The names in `folder` that may be submissions: not hidden, not a tool's, not in `skip`."""
    return [name for name in sorted(os.listdir(folder))
            if not name.startswith(".") and name not in SKIPPED_FOLDERS and name not in skip]


def detect(folder, skip=()):
    """'moodle', 'canvas' or 'folders', from the names in `folder` (but those in `skip`)."""
    names = _visible(folder, skip)
    folders = [n for n in names if (Path(folder) / n).is_dir()]
    files = [n for n in names if n not in folders]
    if folders and all(MOODLE.match(n) for n in folders):
        return "moodle"
    if files and not folders and all(CANVAS.match(n) for n in files):
        return "canvas"
    return "folders"


def _unique(entries):
    """Entries whose names are unique: two students of one name are told apart by their LMS id,
    again where that makes a name another student has ("Sam Lee (7)" twice: "Sam Lee (7) (70)")."""
    for _ in entries:
        counts = {}
        for entry in entries:
            counts[entry.student] = counts.get(entry.student, 0) + 1
        if all(count == 1 for count in counts.values()):
            break
        for entry in entries:
            if counts[entry.student] > 1:
                entry.student = f"{entry.student} ({entry.id})"
    return sorted(entries, key=lambda e: e.student)


def _moodle(folder, skip):
    entries, notes = [], []
    for name in _visible(folder, skip):
        match = MOODLE.match(name)
        path = Path(folder) / name
        if not match or not path.is_dir() or path.is_symlink():
            notes.append(f"skipped {name}: not a Moodle submission folder (Full Name_ID_assignsubmission_file_)")
        elif match["plugin"] != "file":
            notes.append(f"skipped {name}: a Moodle {match['plugin']} submission, not uploaded files")
        else:
            entries.append(Entry(match["name"].strip(), path, id=match["id"]))
    return entries, notes


def _canvas(folder, skip):
    students, uploads, notes = {}, {}, []
    for name in _visible(folder, skip):
        match = CANVAS.match(name)
        path = Path(folder) / name
        if not match or not path.is_file() or path.is_symlink():
            notes.append(f"skipped {name}: not a Canvas submission file (namelastfirst_userid_submissionid_name)")
            continue
        entry = students.setdefault(match["id"], Entry(match["name"], Path(folder), id=match["id"], files={}))
        entry.late = entry.late or bool(match["late"])
        copy = CANVAS_COPY.search(match["original"])
        uploads.setdefault(match["id"], {}).setdefault(CANVAS_COPY.sub("", match["original"]), []).append(
            (int(copy.group(1)) if copy else 0, path))
    for number, entry in students.items():  # of one file uploaded again and again, the last upload
        entry.files = {name: max(versions)[1] for name, versions in uploads[number].items()}
    return list(students.values()), notes


def find(folder, layout="auto", out=None):
    """(entries sorted by student, one-line notes about anything passed over). OUT, where it lies
    in `folder`, is no submission. Raises LayoutError."""
    out = Path(out).resolve() if out is not None else None
    skip = {name for name in os.listdir(folder) if out is not None and (
        out == (Path(folder) / name).resolve() or (Path(folder) / name).resolve() in out.parents)}
    notes = [f"skipped {name}: it holds OUT" for name in sorted(skip)]
    found = detect(folder, skip) if layout == "auto" else layout
    if found == "folders":
        entries, more = submissions.find_entries(folder, skip)
        return entries, notes + more
    entries, more = (_moodle if found == "moodle" else _canvas)(folder, skip)
    if not entries:
        raise LayoutError(f"{folder} does not look like a {found.capitalize()} download: " + (
            "no folder named 'Full Name_ID_assignsubmission_file_'" if found == "moodle"
            else "no file named 'namelastfirst_userid_submissionid_filename'"))
    return _unique(entries), notes + more


def _unpack(archive, destination):
    submissions.check_central_directory(archive, archive.name, MAX_ARCHIVE_MEMBERS)
    total = 0
    with zipfile.ZipFile(archive) as opened:
        for member in opened.infolist():
            if not submissions.safe_member(member.filename):
                raise LayoutError(f"{archive.name}: member {member.filename!r} points outside the archive")
            if member.is_dir() or stat.S_ISLNK(member.external_attr >> 16):
                continue
            target = destination / os.path.normpath(member.filename.replace("\\", "/"))
            target.parent.mkdir(parents=True, exist_ok=True)
            if not member.filename.lower().endswith(UNPACKED_SUFFIXES):
                target.touch()  # kept by name only: a student who handed in only this still has a row
                continue
            with opened.open(member) as source, open(target, "wb") as copy:
                # a member's stated size may lie: count what is really written
                for chunk in iter(lambda: source.read(1 << 20), b""):
                    total += len(chunk)
                    if total > MAX_UNPACKED_BYTES:
                        raise LayoutError(f"{archive.name}: over {MAX_UNPACKED_BYTES} bytes of submissions")
                    copy.write(chunk)


@contextmanager
def opened(source):
    """The folder to find the students in: `source` itself, or a zip of it unpacked for the run."""
    source = Path(source)
    if source.is_dir():
        yield source
        return
    if not (source.is_file() and source.suffix.lower() == ".zip"):
        raise LayoutError(f"no such folder or .zip: {source}")
    scratch = Path(tempfile.mkdtemp(prefix="nn-submissions-"))
    try:
        try:
            _unpack(source, scratch)
        except (submissions.Rejected, zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError,
                ValueError, NotImplementedError, RuntimeError) as error:
            raise LayoutError(f"{source.name}: not a readable zip of submissions ({error})") from None
        names = _visible(scratch)
        only = scratch / names[0] if len(names) == 1 and (scratch / names[0]).is_dir() else None
        # A zip of the submissions folder itself holds that one folder, and no module files at its top;
        # a Moodle download of one student holds that student's folder
        wrapper = only is not None and not MOODLE.match(only.name) and not any(
            p.suffix in (".py", ".ipynb") for p in only.iterdir())
        yield only if wrapper else scratch
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
