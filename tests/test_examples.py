"""The README's main command: grading the sample submissions gives what the README says."""
import sys

from conftest import grade_folder

from grader.paths import ROOT


def test_sample_submissions_grade_as_described(tmp_path):
    graded, failures = grade_folder(ROOT / "examples" / "submissions", tmp_path)
    assert failures == [] and sorted(graded) == ["ada", "ben", "cleo", "dan"]
    totals = {student: r.total() for student, r in graded.items()}
    assert totals["ada"].full
    assert totals["cleo"].points == 0
    assert 0 < totals["ben"].points < totals["ben"].max_points
    messages = {student: {t.message for t in r.tests} for student, r in graded.items()}
    assert "xor_network.py not found in the submission" in messages["ben"]
    assert any("NotImplementedError: step:" in m for m in messages["cleo"])
    assert "perceptron.py could not be imported: SyntaxError: expected ':' (perceptron.py, line 6)" in messages["dan"]
    assert "gradient_descent.py could not be imported: importing it timed out after 10 s" in messages["dan"]
    assert graded["dan"].scores()["activations"].full
    assert "multiclass.py not found in the submission" in messages["dan"]
    ben = graded["ben"].scores()["multiclass"]
    assert 0 < ben.points < ben.max_points
    assert any("gradient_descent.batch_gradient_descent" in m for m in messages["ben"])  # one-vs-rest builds on it


def test_the_stub_sample_holds_the_current_stubs():
    import zipfile

    sys.path.insert(0, str(ROOT / "examples"))
    from make_cleo_zip import ZIP, members

    with zipfile.ZipFile(ZIP) as archive:
        held = {name: archive.read(name).decode() for name in archive.namelist()}
    assert held == members(), "cleo.zip is stale: run python examples/make_cleo_zip.py"
