"""Finding submissions and staging the files that are graded."""
import os
import zipfile

from grader import submissions
from grader.submissions import Entry, find_entries, stage


def write(path, text="x = 1\n"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_entries_are_folders_and_zips_named_by_student(tmp_path):
    (tmp_path / "bob").mkdir()
    (tmp_path / "Zoë Li").mkdir()
    zipfile.ZipFile(tmp_path / "alice.zip", "w").close()
    write(tmp_path / "notes.txt")
    (tmp_path / ".DS_Store").write_text("")
    (tmp_path / "bob.zip").write_bytes(b"")
    entries, notes = find_entries(tmp_path)
    assert [e.student for e in entries] == ["Zoë Li", "alice", "bob"]
    assert entries[2].path.name == "bob"
    assert notes == ["bob: both bob and bob.zip found; grading bob", "skipped notes.txt: not a folder or a .zip"]


def test_modules_found_one_clone_deep_preferring_assignments(tmp_path):
    clone = tmp_path / "carol" / "nn-course"
    for module in ("activations", "perceptron"):
        write(clone / "assignments" / f"{module}.py", f"# {module}\n")
        write(clone / "solutions" / f"{module}.py", "# not the student's\n")
    write(clone / "assignments" / "helpers.py")
    write(clone / "assignments" / "deeper" / "activations.py")
    staged = stage(Entry("carol", tmp_path / "carol"))
    assert sorted(staged.files) == ["activations.py", "helpers.py", "perceptron.py"]
    assert staged.files["activations.py"] == b"# activations\n"


def test_links_are_not_followed(tmp_path):
    secret = write(tmp_path / "secret.py", "TOKEN = 'x'\n")
    folder = tmp_path / "dave"
    write(folder / "activations.py")
    os.symlink(secret, folder / "perceptron.py")
    assert sorted(stage(Entry("dave", folder)).files) == ["activations.py"]


def test_zip_with_a_folder_inside_is_staged(tmp_path):
    with zipfile.ZipFile(tmp_path / "erin.zip", "w") as archive:
        archive.writestr("erin/activations.py", "A = 1\n")
        archive.writestr("__MACOSX/erin/._activations.py", "junk")
        archive.writestr("erin/data.csv", "1,2")
    staged = stage(Entry("erin", tmp_path / "erin.zip"))
    assert staged.files == {"activations.py": b"A = 1\n"} and staged.problems == []


def test_unreadable_and_oversized_submissions_are_rejected_with_a_reason(tmp_path, monkeypatch):
    (tmp_path / "frank.zip").write_bytes(b"not a zip")
    assert "not a readable zip" in stage(Entry("frank", tmp_path / "frank.zip")).problems[0]
    monkeypatch.setattr(submissions, "MAX_TOTAL_BYTES", 10)
    write(tmp_path / "gina" / "activations.py", "x" * 20)
    staged = stage(Entry("gina", tmp_path / "gina"))
    assert staged.files == {} and "over 10 bytes" in staged.problems[0]


def test_digest_changes_with_the_files(tmp_path):
    write(tmp_path / "h" / "activations.py", "A = 1\n")
    first = stage(Entry("h", tmp_path / "h")).digest()
    assert stage(Entry("h", tmp_path / "h")).digest() == first
    write(tmp_path / "h" / "activations.py", "A = 2\n")
    assert stage(Entry("h", tmp_path / "h")).digest() != first


def test_student_names_that_look_like_paths_get_a_safe_folder(tmp_path):
    from grader.grade import folder_name

    zipfile.ZipFile(tmp_path / "..zip", "w").close()
    zipfile.ZipFile(tmp_path / "-rf ~.zip", "w").close()
    entries, _ = find_entries(tmp_path)
    assert [e.student for e in entries] == ["-rf ~"]  # dot files (..zip, .DS_Store) are not students
    names = [".", "..", "", "a\\b", "a_b", "a%5Cb", "-rf ~", "grades.csv", "x\udce9", "Zoë O'Brien, Jr", "a" * 300]
    folders = [folder_name(s) for s in names]
    assert folders[:7] == ["%2E", "%2E.", "%", "a%5Cb", "a_b", "a%255Cb", "-rf ~"]
    assert folders[-2] == "Zoë O'Brien, Jr"
    assert len(set(folders)) == len(names)  # one-to-one
    assert all("/" not in f and not f.startswith(".") and len(f.encode()) <= 255 for f in folders)


def test_text_that_is_not_utf8_costs_the_student_not_the_run(tmp_path):
    notebook = {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                           "source": "X = '\ud800'  # a lone surrogate\n"}],
                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    import json

    write(tmp_path / "nia" / "activations.ipynb", json.dumps(notebook))
    (tmp_path / "nia" / "helper\udcff.py").write_bytes(b"Y = 1\n")  # a file name that is not UTF-8
    staged = stage(Entry("nia", tmp_path / "nia"))
    assert b"X = '\\ud800'" in staged.files["activations.py"] and staged.digest()
    with zipfile.ZipFile(tmp_path / "ola.zip", "w") as archive:
        archive.writestr("helpé.py", "X = 1\n")  # a name zipfile marks as UTF-8 ...
    data = (tmp_path / "ola.zip").read_bytes().replace("é".encode(), b"\xff\xfe")  # ... that is not
    (tmp_path / "ola.zip").write_bytes(data)
    staged = stage(Entry("ola", tmp_path / "ola.zip"))
    assert staged.files == {} and staged.problems[0].startswith("ola.zip: not a readable zip (")
    assert "codec can't decode" in staged.problems[0]
