"""python -m grader gradescope: the autograder zip, run as Gradescope runs it, under a temporary
root laid out like /autograder, and its results.json checked against Gradescope's specification."""
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import jsonschema
import pytest
from conftest import made_test, run_python
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from grader import gradescope
from grader.notebooks import build_notebook, notebook_text
from grader.paths import MODULES, ROOT
from grader.results import SubmissionResult

# Gradescope's results.json (gradescope-autograders.readthedocs.io, "Autograder Specifications"):
# every field it defines, with its allowed values; the fields this grader promises are required.
VISIBILITY = {"enum": ["hidden", "after_due_date", "after_published", "visible"]}
FORMAT = {"enum": ["text", "html", "simple_format", "md", "ansi"]}
TEST = {
    "type": "object",
    "required": ["name", "score", "max_score", "status", "output", "tags", "visibility"],
    "additionalProperties": False,
    "properties": {
        "score": {"type": "number", "minimum": 0}, "max_score": {"type": "number", "minimum": 0},
        "status": {"enum": ["passed", "failed"]}, "name": {"type": "string", "minLength": 1},
        "name_format": FORMAT, "number": {"type": "string"}, "output": {"type": "string"},
        "output_format": FORMAT, "tags": {"type": "array", "items": {"type": "string"}},
        "visibility": VISIBILITY, "extra_data": {"type": "object"},
    },
}
RESULTS = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["score", "execution_time", "output", "output_format", "stdout_visibility", "tests"],
    "additionalProperties": False,
    "properties": {
        "score": {"type": "number", "minimum": 0}, "execution_time": {"type": "number", "minimum": 0},
        "output": {"type": "string", "minLength": 1}, "output_format": {"const": "md"},
        "test_output_format": FORMAT, "test_name_format": FORMAT, "visibility": VISIBILITY,
        "stdout_visibility": VISIBILITY, "extra_data": {"type": "object"},
        "tests": {"type": "array", "items": TEST}, "leaderboard": {"type": "array"},
    },
}


def build(destination, *options):
    result = run_python("-m", "grader", "gradescope", destination, *options)
    assert result.returncode == 0, result.stderr
    return destination / "autograder.zip"


@pytest.fixture(scope="module")
def autograder(tmp_path_factory):
    return build(tmp_path_factory.mktemp("dest"))


def unpack(archive, root):
    """`root` laid out like Gradescope's /autograder: the zip in source/ (file modes kept),
    run_autograder copied beside it, an empty submission/ and results/."""
    for name in ("source", "submission", "results"):
        (root / name).mkdir(parents=True)
    with zipfile.ZipFile(archive) as opened:
        for member in opened.infolist():
            Path(opened.extract(member, root / "source")).chmod(member.external_attr >> 16 & 0o777)
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")
    return root


def run_autograder(root):
    """Run root/run_autograder as Gradescope does: (exit status, results.json, stderr). The
    results are checked against the specification."""
    result = subprocess.run([str(root / "run_autograder")], cwd=root, capture_output=True, text=True, timeout=600,
                            env=dict(os.environ, AUTOGRADER_ROOT=str(root), AUTOGRADER_PYTHON=sys.executable))
    results = json.loads((root / "results" / "results.json").read_text())
    jsonschema.validate(results, RESULTS)
    return result.returncode, results, result.stderr


def max_score(results):
    return sum(t["max_score"] for t in results["tests"])


def test_the_zip_holds_the_scripts_and_the_course_at_its_root(autograder):
    with zipfile.ZipFile(autograder) as opened:
        members = {m.filename: m.external_attr >> 16 & 0o777 for m in opened.infolist()}
    assert members["setup.sh"] == members["run_autograder"] == 0o755
    expected = {"pyproject.toml", "grader/__main__.py", "grader/gradescope.py", "grader/session.py",
                "grader/worker.py", "assignments/harness.py", "tests/hidden/conftest.py"}
    for module in MODULES:
        expected |= {f"solutions/{module}.py", f"assignments/{module}.py", f"assignments/test_{module}.py",
                     f"tests/hidden/test_{module}.py"}
    assert expected <= set(members)
    assert not [name for name in members if name.startswith(("examples/", "bench/", "tests/test_"))
                or "__pycache__" in name]


def test_setup_sh_is_bash_and_installs_only_what_it_lists(autograder):
    text = zipfile.ZipFile(autograder).read("setup.sh").decode()
    assert subprocess.run(["bash", "-n"], input=text, text=True).returncode == 0
    installs = [line for line in text.splitlines() if re.search(r"\binstall\b", line) and not line.startswith("#")]
    assert len(installs) == 2
    python = f"python{sys.version_info.major}.{sys.version_info.minor}"
    apt = installs[0].split("apt-get install -y --no-install-recommends ")[1].split()
    assert apt == [python, f"{python}-venv", "bubblewrap"]
    assert f"{python} -m venv {gradescope.VENV}" in text
    command, pins = installs[1].split(" --no-deps ")
    assert command == f"{gradescope.VENV}/bin/python -m pip install --no-cache-dir"
    pinned = dict(pin.split("==") for pin in pins.split())
    for name, version in pinned.items():
        assert importlib.metadata.version(name) == version
        # --no-deps: every package needs only packages the line pins
        for line in importlib.metadata.requires(name) or []:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                assert canonicalize_name(requirement.name) in pinned, (name, line)
    assert {"numpy", "pytest", "pytest-timeout", "nbformat"} <= set(pinned)
    assert not re.search(r"\b(curl|wget|git|conda|uv|easy_install)\b", text)
    assert text.rstrip().endswith('chown -R root:root "$SOURCE"\nchmod -R go-rwx "$SOURCE"')


@pytest.fixture(scope="module")
def ada(autograder, tmp_path_factory):
    """ada's files straight in submission/, her first module as a notebook."""
    root = unpack(autograder, tmp_path_factory.mktemp("ada"))
    for path in (ROOT / "examples" / "submissions" / "ada").glob("*.py"):
        if path.stem == MODULES[0]:
            notebook = notebook_text(build_notebook(path.stem, path.read_text()))
            (root / "submission" / f"{path.stem}.ipynb").write_text(notebook)
        else:
            shutil.copy(path, root / "submission")
    return run_autograder(root)


def test_ada_gets_full_marks_with_the_hidden_tests_shown_after_publishing(ada):
    code, results, stderr = ada
    assert code == 0, stderr
    assert results["score"] == max_score(results) > 0
    assert {t["status"] for t in results["tests"]} == {"passed"}
    by_suite = {suite: {t["visibility"] for t in results["tests"] if suite in t["tags"]} for suite in ("public", "hidden")}
    assert by_suite == {"public": {"visible"}, "hidden": {"after_published"}}
    assert {t["tags"][0] for t in results["tests"]} == set(MODULES)
    assert results["stdout_visibility"] == "hidden"
    assert "**Public tests: " in results["output"] and "once your instructor publishes" in results["output"]
    assert f"{MODULES[0]}.ipynb was graded" in results["output"]


def test_ben_uploaded_as_a_zip_gets_his_points_and_messages(autograder, tmp_path):
    root = unpack(autograder, tmp_path / "ben")
    with zipfile.ZipFile(root / "submission" / "ben.zip", "w") as archive:
        for path in (ROOT / "examples" / "submissions" / "ben").glob("*.py"):
            archive.write(path, f"homework/{path.name}")
    code, results, stderr = run_autograder(root)
    assert code == 0, stderr
    assert 0 < results["score"] == sum(t["score"] for t in results["tests"]) < max_score(results)
    failed = [t for t in results["tests"] if t["status"] == "failed"]
    assert failed and all(t["score"] < t["max_score"] for t in failed)
    assert any("xor_network.py not found in the submission" in t["output"] for t in failed if "public" in t["tags"])
    hidden = [t for t in failed if "hidden" in t["tags"]]
    assert hidden and all(t["output"].startswith("Hidden test failed:") for t in hidden)
    # before publishing, the feedback names no hidden test
    assert not [t for t in hidden if t["name"].split(": ", 1)[1] in results["output"]]
    assert "xor_network.py not found in the submission" in results["output"]


def test_a_hostile_submission_cannot_forge_or_stop_the_results(autograder, tmp_path):
    root = unpack(autograder, tmp_path / "hostile")
    forged = json.dumps({"score": 1000, "output": "forged", "tests": []})
    folder = root / "submission" / "hw1"
    folder.mkdir()
    for path in (ROOT / "examples" / "submissions" / "ada").glob("*.py"):
        shutil.copy(path, folder)
    (folder / f"{MODULES[0]}.py").write_text(
        f"import os\nprint({forged!r})\n"
        f"try:\n    open({str(root / 'results' / 'results.json')!r}, 'w').write({forged!r})\n"
        f"except OSError:\n    pass\nos._exit(0)\n")
    code, results, stderr = run_autograder(root)
    assert code == 0, stderr
    assert results["tests"] and max_score(results) > 0
    assert results["score"] == sum(t["score"] for t in results["tests"]) < max_score(results)
    assert {t["score"] for t in results["tests"] if t["tags"][0] == MODULES[0]} == {0}
    assert os.listdir(root / "results") == ["results.json"]


def test_when_the_grader_cannot_grade_results_json_says_so_and_the_exit_status_is_not_zero(autograder, tmp_path):
    root = unpack(autograder, tmp_path / "broken")
    (root / "source" / "tests" / "hidden" / f"test_{MODULES[0]}.py").write_text("def broken(:\n")
    shutil.copytree(ROOT / "examples" / "submissions" / "ada", root / "submission", dirs_exist_ok=True)
    code, results, stderr = run_autograder(root)
    assert code == 2
    assert results["tests"] == [] and results["score"] == 0
    assert results["output"].startswith("**The autograder failed: this submission was not graded**")
    assert f"tests/hidden/test_{MODULES[0]}.py" in results["output"] and "SyntaxError" in results["output"]
    assert "SyntaxError" in stderr


def test_the_hidden_tests_visibility_is_chosen_when_the_zip_is_built(tmp_path):
    archive = build(tmp_path, "--hidden-visibility", "after_due_date")
    assert "--hidden-visibility after_due_date\n" in zipfile.ZipFile(archive).read("run_autograder").decode()
    test = {"assignment": MODULES[0], "max_score": 2.0}
    result = SubmissionResult(student="submission", execution_time=1.0, tests=[
        made_test("p", suite="public", description="the public check", message="expected 1, got 0", **test),
        made_test("h", suite="hidden", description="the hidden check", message="expected 2, got 0", **test)])
    later = gradescope.results(result, "after_due_date")
    jsonschema.validate(later, RESULTS)
    assert [t["visibility"] for t in later["tests"]] == ["visible", "after_due_date"]
    assert "the public check" in later["output"] and "the hidden check" not in later["output"]
    assert "after the due date" in later["output"]
    shown = gradescope.results(result, "visible")
    assert {t["visibility"] for t in shown["tests"]} == {"visible"} and "the hidden check" in shown["output"]
