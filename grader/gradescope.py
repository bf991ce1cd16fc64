"""python -m grader gradescope DEST: the course as a Gradescope autograder, DEST/autograder.zip.

Gradescope unpacks the zip into /autograder/source and runs its setup.sh there once, as root,
to build the image: it installs Python and the course's dependencies at the versions this
machine runs, and makes the course unreadable to every other user. For each submission it then
runs run_autograder, which calls

    python -m grader.gradescope AUTOGRADER_ROOT [--hidden-visibility VISIBILITY]

to grade AUTOGRADER_ROOT/submission as one student through the same engine as `grader grade`
(the reference check, a session, the sandbox, both suites) and write
AUTOGRADER_ROOT/results/results.json in Gradescope's format. When the grader itself cannot grade,
results.json says so, and why, and the exit status is 2: never a silent zero.
"""
import argparse
import dataclasses
import importlib.metadata
import json
import os
import re
import shlex
import shutil
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from packaging.requirements import Requirement  # pytest's own dependency
from packaging.utils import canonicalize_name

from grader import build, grade, reports
from grader.paths import ASSIGNMENTS, HIDDEN, ROOT, SOLUTIONS

VENV = "/opt/nn-course"
STUDENT = "submission"
# Zip members get this date, so that the same course always makes the same zip.
EPOCH = (1980, 1, 1, 0, 0, 0)

HIDDEN_NOTE = {
    "after_published": "The hidden tests are listed with the other tests once your instructor publishes the grades.",
    "after_due_date": "The hidden tests are listed with the other tests after the due date.",
    "hidden": "The hidden tests' results are not shown; they count in the score.",
}

SETUP = '''#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image, with the zip's
# contents in /autograder/source. Written by `python -m grader gradescope`: Python {python} and
# the packages below are the versions the course was graded with when the zip was built.
set -euo pipefail
SOURCE="$(cd "$(dirname "${{BASH_SOURCE[0]}}")" && pwd)"
apt-get update
apt-get install -y --no-install-recommends {apt}
python{python} -m venv {venv}
# --no-deps: exactly these packages, the dependencies' own dependencies included, and no others.
{venv}/bin/python -m pip install --no-cache-dir --no-deps {pins}
# Student code may run as an unprivileged user (where bubblewrap cannot start in the container):
# it must not read the solutions, the hidden tests or the grader. The venv stays readable: the
# sandboxed worker runs its Python.
chown -R root:root "$SOURCE"
chmod -R go-rwx "$SOURCE"
'''

RUN = '''#!/usr/bin/env bash
# Gradescope runs this for every submission, as root, in a fresh container of the image that
# setup.sh built. AUTOGRADER_ROOT and AUTOGRADER_PYTHON are for trying it outside Gradescope.
set -u
AUTOGRADER_ROOT="${{AUTOGRADER_ROOT:-/autograder}}"
PYTHON="${{AUTOGRADER_PYTHON:-{venv}/bin/python}}"
if [ ! -x "$PYTHON" ]; then
    mkdir -p "$AUTOGRADER_ROOT/results"
    printf '%s\\n' {failed} > "$AUTOGRADER_ROOT/results/results.json"
    exit 2
fi
cd "$AUTOGRADER_ROOT/source" || exit 2
exec "$PYTHON" -m grader.gradescope "$AUTOGRADER_ROOT" --hidden-visibility {hidden_visibility}
'''


def base_dependencies():
    """The names in pyproject.toml's `dependencies` (the base install)."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    listed = re.search(r"^dependencies\s*=\s*\[(.*?)\]", text, re.MULTILINE | re.DOTALL)
    return [Requirement(name).name for name in re.findall(r'"([^"]+)"', listed.group(1))]


def pinned_requirements(names):
    """`name==version` for `names` and everything they need, as installed here, sorted. Raises
    importlib.metadata.PackageNotFoundError for a package that is not installed."""
    pins, todo = {}, list(names)
    while todo:
        distribution = importlib.metadata.distribution(todo.pop())
        name = canonicalize_name(distribution.metadata["Name"])
        if name in pins:
            continue
        pins[name] = distribution.version
        for line in distribution.requires or []:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)
    return [f"{name}=={version}" for name, version in sorted(pins.items())]


def setup_script():
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    return SETUP.format(python=python, venv=VENV, apt=f"python{python} python{python}-venv bubblewrap",
                        pins=" ".join(pinned_requirements(base_dependencies())))


def run_script(hidden_visibility):
    failed = json.dumps(failure_results("its Python is missing: setup.sh did not finish", 0.0))
    return RUN.format(venv=VENV, hidden_visibility=hidden_visibility, failed=shlex.quote(failed))


def course_files():
    """{name in the zip: path}: the grader, both suites, the stubs (and their hashes, which tell an
    untouched stub from a student's own file) and the solutions."""
    folders = [ROOT / "grader", ASSIGNMENTS, HIDDEN, SOLUTIONS]
    files = {path.relative_to(ROOT).as_posix(): path for folder in folders for path in sorted(folder.glob("*.py"))}
    files["pyproject.toml"] = ROOT / "pyproject.toml"
    files["assignments/stubs.sha256"] = ASSIGNMENTS / "stubs.sha256"
    return files


def _add(archive, name, data, mode=0o644):
    member = zipfile.ZipInfo(name, EPOCH)
    member.external_attr = (0o100000 | mode) << 16  # a regular file with these permissions
    member.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(member, data)


def write_zip(destination, hidden_visibility="after_published"):
    """Write `destination`/autograder.zip; returns an exit code."""
    if build.build(check=True) != 0:
        print("gradescope: assignments/ is out of date with solutions/: run python -m grader build first",
              file=sys.stderr)
        return 1
    try:
        setup = setup_script()
    except importlib.metadata.PackageNotFoundError as error:
        print(f"gradescope: {error.args[0]} is not installed here, so its version cannot be pinned: "
              f"python -m pip install -e . first", file=sys.stderr)
        return 2
    destination = Path(destination)
    target = destination / "autograder.zip"
    try:
        destination.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=destination, prefix=".autograder.", suffix=".zip")
    except OSError as error:
        print(f"gradescope: cannot write to {destination}: {error.strerror or error}", file=sys.stderr)
        return 2
    try:
        with os.fdopen(handle, "wb") as stream, zipfile.ZipFile(stream, "w") as archive:
            _add(archive, "setup.sh", setup, 0o755)
            _add(archive, "run_autograder", run_script(hidden_visibility), 0o755)
            for name, path in course_files().items():
                _add(archive, name, path.read_bytes())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise
    print(f"wrote {target}: upload it as the autograder of a Gradescope programming assignment "
          f"(base image: Ubuntu with python{sys.version_info.major}.{sys.version_info.minor})")
    return 0


def grade_upload(upload, scratch):
    """The SubmissionResult of grading `upload` as one student; raises GradingError when the grader failed.
    The upload is copied as the one student's folder of a SUBMISSIONS folder: its .py files,
    notebooks, a folder of them or a lone zip are then staged as in a local run."""
    submissions, out = scratch / "submissions", scratch / "out"
    shutil.copytree(upload, submissions / STUDENT, symlinks=True)
    graded, failures = grade.run(grade.Options(submissions=submissions, out=out, workers=1, layout="folders"))
    if failures:
        raise grade.GradingError(failures[0].removeprefix(f"{STUDENT}: "))
    if not graded:
        raise grade.GradingError("the grading run wrote no result for the submission")
    return graded[0]


def student_feedback(result, hidden_visibility):
    """feedback.md for what the student may see now: hidden tests only when they are visible."""
    if hidden_visibility == "visible":
        return reports.feedback(result)
    public = dataclasses.replace(result, tests=[t for t in result.tests if t.suite == "public"])
    text = reports.feedback(public).replace("**Total:", "**Public tests:", 1)
    return f"{text}\n{HIDDEN_NOTE[hidden_visibility]}\n"


def results(result, hidden_visibility):
    """results.json's content for a graded submission."""
    content = json.loads(reports.gradescope(result, hidden_visibility=hidden_visibility))
    content.update(output=student_feedback(result, hidden_visibility), output_format="md",
                   stdout_visibility="hidden")
    return content


def failure_results(reason, seconds):
    """results.json's content when the grader itself could not grade: it says so, never a grade."""
    return {"score": 0, "execution_time": round(seconds, 3), "output_format": "md", "stdout_visibility": "hidden",
            "output": f"**The autograder failed: this submission was not graded**, and its score of 0 is not "
                      f"a grade. Please tell your instructor.\n\nReason: {reason}\n", "tests": []}


def run(root, hidden_visibility):
    """Grade root/submission into root/results/results.json; returns an exit code."""
    started = time.monotonic()
    try:
        with tempfile.TemporaryDirectory(prefix="nn-gradescope-") as scratch:
            content, code = results(grade_upload(root / "submission", Path(scratch)), hidden_visibility), 0
        content["execution_time"] = round(time.monotonic() - started, 3)
    except Exception as error:  # whatever stopped the grader, Gradescope must show it
        reason = str(error) if isinstance(error, grade.GradingError) else f"{type(error).__name__}: {error}"
        reason = (reason.strip().splitlines() or [type(error).__name__])[0]
        print(f"grader: error: {reports.printable(reason)}", file=sys.stderr)
        content, code = failure_results(reason, time.monotonic() - started), 2
    (root / "results").mkdir(exist_ok=True)
    reports.write_atomically(root / "results" / "results.json", json.dumps(content, indent=2))
    return code


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m grader.gradescope", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root", type=Path, help="Gradescope's /autograder (submission/, results/)")
    parser.add_argument("--hidden-visibility", choices=reports.VISIBILITIES, default="after_published")
    args = parser.parse_args(argv)
    return run(args.root, args.hidden_visibility)


if __name__ == "__main__":
    sys.exit(main())
