"""python -m grader release DEST: the copy of the course that students receive.

It holds assignments/ (stubs, public tests, harness, notebooks), the student
side of the grader (`python -m grader check`, `python -m grader plot`), a
student README and a pyproject.toml; never the solutions, the hidden tests or
the grading machinery. It is written to a temporary folder and moved to DEST
whole, and refused while the stubs are out of date.
"""
import shutil
import sys
import tempfile
from pathlib import Path

from grader import build
from grader.paths import ASSIGNMENTS, MODULES

GRADER = Path(__file__).resolve().parent
STUDENT_GRADER_FILES = ("__init__.py", "paths.py", "results.py", "outcomes.py", "check.py", "plots.py")
ASSIGNMENT_FILES = ("harness.py", "conftest.py", "nbsupport.py", "stubs.sha256",
                    *(f"{m}.py" for m in MODULES), *(f"test_{m}.py" for m in MODULES))

STUDENT_MAIN = '''"""python -m grader check [MODULE] | plot [--out FOLDER]: the student side of the grader."""
import argparse
import sys

from grader.check import add_student_commands, run_student_command

parser = argparse.ArgumentParser(prog="python -m grader")
add_student_commands(parser.add_subparsers(dest="command", required=True))
sys.exit(run_student_command(parser.parse_args()))
'''

PYPROJECT = '''[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "nn-course-exercises"
version = "0.1.0"
description = "Neural-network exercises: from one unit to backpropagation"
readme = "README.md"
requires-python = ">=3.9"
dependencies = ["numpy", "pytest", "pytest-timeout"]  # pytest-timeout: a stuck test fails, naming the loop

[project.optional-dependencies]
plots = ["matplotlib"]
notebooks = ["notebook"]

[tool.setuptools]
packages = ["grader"]

[tool.pytest.ini_options]
testpaths = ["assignments"]
markers = ["points(n): how many points the test is worth"]
'''

README = '''# Neural networks from one unit to backpropagation: exercises

| module | what you build |
|---|---|
| `activations` | step, sigmoid (numerically stable), ReLU, their derivatives, softmax |
| `perceptron` | the weighted sum, the perceptron, OR and AND, the perceptron learning rule |
| `gradient_descent` | one sigmoid unit trained by batch, stochastic and mini-batch gradient descent |
| `xor_network` | a hidden layer that learns XOR: forward pass, backpropagation, training |
| `multiclass` | one output unit per class and softmax: the weather example, and one-vs-rest |

## Set up

```bash
python -m pip install -e .            # add ".[plots]" for the pictures
python -m pip install -e ".[notebooks]"   # only to work in Jupyter: installs Jupyter Notebook
```

To work in Jupyter, start it from this folder (or from `assignments/` or
`assignments/notebooks/`: the notebooks find their support file from any of them) with
`jupyter notebook` and open `assignments/notebooks/activations.ipynb`. JupyterLab
(`pip install jupyterlab`, then `jupyter lab`) or an editor with notebook support works as well.

## Work

1. Open `assignments/activations.py` first: the other modules use it. Every function says in its
   docstring what to compute, with the formula, the shapes and an example. Replace each
   `raise NotImplementedError(...)` line with your code and set the `None` constants in
   `perceptron.py`.
   In Jupyter, open `assignments/notebooks/<module>.ipynb` instead: the same exercises, one cell
   per function, and a last cell that runs the public tests on the notebook. Notebooks import
   each other (the perceptron notebook uses the `step` of your activations notebook): after you
   change one, save it and run again the cell that imports from it.
2. Check your work:
   - `pytest assignments/` runs the public tests and shows, for each failure, the call, what was
     expected, what came back and where they first differ;
   - `python -m grader check` sums them up as points per assignment and says what to look at next;
   - `python -m grader plot` draws the perceptron's and the network's decision boundaries, the
     loss curves of the three kinds of gradient descent, the perceptron's convergence on OR, AND
     and XOR and the weather classifiers' regions from your own code.

   `check` and `plot` read a module from its notebook where its `.py` file is still the untouched
   stub (or missing), as grading does, and say so: `perceptron: read from
   assignments/notebooks/perceptron.ipynb`. "Untouched" means the same text as handed out, line
   endings aside (`assignments/stubs.sha256` holds its hash): once you change a `.py` file, it
   counts instead of its notebook.

Passing the public tests is a good sign, not the final score: grading adds hidden tests that check
the same functions more thoroughly.

## Hand in

The five files `activations.py`, `perceptron.py`, `gradient_descent.py`, `xor_network.py` and
`multiclass.py` (or their notebooks), as a folder or a `.zip`; helper `.py` files beside them are
taken too. Where you hand in both, the `.py` file is graded unless it is the untouched stub.
'''


def release(destination):
    """Write the student copy to `destination`; returns an exit code."""
    destination = Path(destination)
    if destination.exists() and (not destination.is_dir() or any(destination.iterdir())):
        print(f"release: {destination} exists and is not empty", file=sys.stderr)
        return 2
    if build.build(check=True) != 0:
        print("release: assignments/ is out of date with solutions/: run python -m grader build first",
              file=sys.stderr)
        return 1
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=destination.parent, prefix=f".{destination.name}.") as scratch:
        bundle = Path(scratch) / "bundle"
        (bundle / "assignments" / "notebooks").mkdir(parents=True)
        (bundle / "grader").mkdir()
        for name in ASSIGNMENT_FILES:
            shutil.copy(ASSIGNMENTS / name, bundle / "assignments" / name)
        for module in MODULES:
            shutil.copy(ASSIGNMENTS / "notebooks" / f"{module}.ipynb", bundle / "assignments" / "notebooks")
        for name in STUDENT_GRADER_FILES:
            shutil.copy(GRADER / name, bundle / "grader" / name)
        (bundle / "grader" / "__main__.py").write_text(STUDENT_MAIN)
        (bundle / "pyproject.toml").write_text(PYPROJECT)
        (bundle / "README.md").write_text(README)
        (bundle / ".gitignore").write_text("__pycache__/\n*.egg-info/\n.pytest_cache/\nplots/\n")
        if destination.exists():
            destination.rmdir()
        bundle.rename(destination)
    print(f"wrote the student copy to {destination}")
    return 0
