"""SUBMISSIONS as a learning platform hands it over: Moodle's and Canvas' "download all", as a
folder or a zip, grade to the same scores as one folder per student, with clean names."""
import io
import shutil
import zipfile

import pytest
from conftest import grade_folder, gradebook

from grader import layouts
from grader.grade import GradingError
from grader.paths import ROOT

SAMPLES = ROOT / "examples" / "submissions"
# sample student: (name on the platform, id, Canvas' namelastfirst, late)
PEOPLE = {"ada": ("Ada Lovelace", "1001", "lovelaceada", False), "ben": ("Smith, Ben", "1002", "smithben", True),
          "cleo": ("Cleo Park", "1003", "parkcleo", False), "dan": ("Dan Brown", "1004", "browndan", False)}


def sample_files(student):
    """{name: bytes} of a sample student as handed in: a folder's files, or her zip whole."""
    folder = SAMPLES / student
    if folder.is_dir():
        return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}
    return {f"{student}.zip": (SAMPLES / f"{student}.zip").read_bytes()}


def zip_bytes(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def write(folder, files):
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)


def moodle(root):
    """Ada's files as uploaded, Ben's in a zip he made, Cleo's whole clone, Dan's files and a text."""
    for student, (name, number, _, _) in PEOPLE.items():
        files = sample_files(student)
        if student == "ben":
            files = {"my work.zip": zip_bytes(files)}
        write(root / f"{name}_{number}_assignsubmission_file_", files)
    write(root / "Dan Brown_1004_assignsubmission_onlinetext_", {"onlinetext.html": b"<p>done</p>"})
    return root


def canvas(root):
    """Every file flat, prefixed; Ben late, and his perceptron.py uploaded twice."""
    for submission, (student, (_, number, short, late)) in enumerate(PEOPLE.items(), start=5001):
        prefix = f"{short}_{'LATE_' if late else ''}{number}_{submission}_"
        for name, data in sample_files(student).items():
            stem, dot, suffix = name.rpartition(".")
            renamed = f"{stem}-1.{suffix}" if (student, name) == ("ben", "perceptron.py") else name
            write(root, {prefix + renamed: data})
    return root



@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    out = tmp_path_factory.mktemp("plain")
    grade_folder(SAMPLES, out)
    return gradebook(out)


def archive(folder, destination):
    with zipfile.ZipFile(destination, "w") as zipped:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zipped.write(path, path.relative_to(folder).as_posix())
    return destination


@pytest.mark.parametrize("layout, as_zip", [("moodle", False), ("moodle", True), ("canvas", True)])
def test_a_platform_download_grades_like_one_folder_per_student(plain, tmp_path, layout, as_zip):
    source = (moodle if layout == "moodle" else canvas)(tmp_path / "download")
    if as_zip:
        source = archive(source, tmp_path / "download.zip")
    graded, failures = grade_folder(source, tmp_path / "out")
    assert failures == []
    book = gradebook(tmp_path / "out")
    for student, (name, number, short, late) in PEOPLE.items():
        row = book[name if layout == "moodle" else short]
        assert row["total"] == plain[student]["total"], (student, row)
        assert row["id"] == number and row["late"] == ("late" if late and layout == "canvas" else "")
        assert row["status"] == "graded"


def test_moodle_names_are_cleaned_and_other_plugins_skipped(tmp_path):
    entries, notes = layouts.find(moodle(tmp_path), "auto")
    assert [(e.student, e.id) for e in entries] == sorted((name, number) for name, number, _, _ in PEOPLE.values())
    assert notes == ["skipped Dan Brown_1004_assignsubmission_onlinetext_: a Moodle onlinetext submission, "
                     "not uploaded files"]


def test_canvas_groups_a_students_files_and_keeps_the_late_flag(tmp_path):
    entries, _ = layouts.find(canvas(tmp_path), "auto")
    ben = [e for e in entries if e.student == "smithben"][0]
    assert ben.id == "1002" and ben.late and sorted(ben.files) == sorted(sample_files("ben"))
    assert not [e for e in entries if e.student == "lovelaceada"][0].late


def test_two_students_of_one_name_are_told_apart_by_their_id(tmp_path):
    for number in ("7", "8"):
        write(tmp_path / f"Sam Lee_{number}_assignsubmission_file_", {"activations.py": b"X = 1\n"})
    entries, _ = layouts.find(tmp_path, "moodle")
    assert [e.student for e in entries] == ["Sam Lee (7)", "Sam Lee (8)"]


def test_a_name_made_unique_never_becomes_another_students(tmp_path):
    for folder in ("Sam Lee_7_", "Sam Lee_8_", "Sam Lee (7)_70_"):
        write(tmp_path / f"{folder}assignsubmission_file_", {"activations.py": b"X = 1\n"})
    entries, _ = layouts.find(tmp_path, "moodle")
    assert sorted(e.student for e in entries) == ["Sam Lee (7) (7)", "Sam Lee (7) (70)", "Sam Lee (8)"]


def test_plain_folders_are_not_taken_for_a_platform(tmp_path):
    shutil.copytree(SAMPLES, tmp_path / "s")
    assert layouts.detect(tmp_path / "s") == "folders"


@pytest.mark.parametrize("layout, message", [
    ("moodle", "does not look like a Moodle download: no folder named 'Full Name_ID_assignsubmission_file_'"),
    ("canvas", "does not look like a Canvas download: no file named 'namelastfirst_userid_submissionid_filename'"),
])
def test_a_forced_layout_that_does_not_fit_says_so(tmp_path, layout, message):
    write(tmp_path / "ada", sample_files("ada"))
    with pytest.raises(GradingError, match=message):
        grade_folder(tmp_path, tmp_path / "out", layout=layout)


def test_an_archive_member_outside_the_folder_rejects_the_archive(tmp_path):
    with zipfile.ZipFile(tmp_path / "all.zip", "w") as zipped:
        zipped.writestr("ada/activations.py", "X = 1\n")
        zipped.writestr("../escape.py", "X = 1\n")
    with pytest.raises(GradingError, match="points outside the archive"):
        grade_folder(tmp_path / "all.zip", tmp_path / "out")
    assert not (tmp_path / "escape.py").exists()


def test_out_inside_a_download_is_no_student_and_leaves_the_layout_alone(tmp_path):
    download = canvas(tmp_path / "download")
    graded, failures = grade_folder(download, download / "out", only=("lovelaceada",))
    assert failures == [] and gradebook(download / "out")["lovelaceada"]["id"] == "1001"


def test_a_zipped_download_keeps_every_student(tmp_path):
    moodle(tmp_path / "download")
    write(tmp_path / "download" / "Rae Rar_1005_assignsubmission_file_", {"work.rar": b"Rar!"})
    entries, _ = layouts.find(tmp_path / "download")
    with layouts.opened(archive(tmp_path / "download", tmp_path / "all.zip")) as folder:
        unpacked, _ = layouts.find(folder)
        assert [(e.student, e.id) for e in unpacked] == [(e.student, e.id) for e in entries]
        assert "Rae Rar" in [e.student for e in unpacked]
    shutil.rmtree(tmp_path / "download")
    write(tmp_path / "download" / "Ada Lovelace_1001_assignsubmission_file_", {"hw.zip": zip_bytes(sample_files("ada"))})
    with layouts.opened(archive(tmp_path / "download", tmp_path / "one.zip")) as folder:
        assert [(e.student, e.id) for e in layouts.find(folder)[0]] == [("Ada Lovelace", "1001")]


def test_of_a_file_uploaded_again_to_canvas_the_last_upload_is_graded(tmp_path):
    for name, text in [("activations.py", "X = 0\n"), ("activations-1.py", "X = 1\n"), ("activations-2.py", "X = 2\n")]:
        write(tmp_path, {f"leeamy_1_9_{name}": text.encode()})
    (entry,), _ = layouts.find(tmp_path)
    assert entry.files["activations.py"].read_text() == "X = 2\n"
