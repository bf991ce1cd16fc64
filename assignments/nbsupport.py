"""Working in Jupyter: notebooks used as modules, and the public tests run from a notebook.

Each notebook in assignments/notebooks/ starts with a cell that calls
`use_notebooks()`, so that `from activations import step` in the perceptron
notebook takes your code from activations.ipynb, and ends with a cell that
calls `run_public_tests("perceptron", globals())`, which runs
assignments/test_perceptron.py on the functions defined in the notebook.

When a notebook is graded, its code cells, in order, become the module; the
cells tagged "skip-when-graded" (those two) are left out, and IPython magics
and shell lines (`%...`, `!...`) are turned into comments, not run.
"""
import importlib.abc
import importlib.util
import json
import sys
import types
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
SKIP_TAG = "skip-when-graded"


def _text(source):
    return "".join(source) if isinstance(source, list) else source


def notebook_source(notebook):
    """The Python module made of a notebook's code cells (a notebook as loaded from JSON)."""
    parts = []
    for number, cell in enumerate(notebook.get("cells", []), start=1):
        source = _text(cell.get("source", ""))
        if cell.get("cell_type") != "code" or SKIP_TAG in cell.get("metadata", {}).get("tags", []) \
                or "run_public_tests(" in source:
            continue
        lines = source.splitlines()
        if lines and lines[0].lstrip().startswith("%%"):  # a cell magic: the whole cell is not Python
            lines = ["# " + line for line in lines]
        else:
            lines = [line.replace(line.lstrip(), "pass  # " + line.lstrip(), 1)
                     if line.lstrip().startswith(("%", "!")) else line for line in lines]
        parts.append(f"# cell {number}\n" + "\n".join(lines) + "\n")
    return "\n".join(parts)


class _NotebookFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def __init__(self, folder):
        self.folder = Path(folder).resolve()

    def find_spec(self, name, path=None, target=None):
        notebook = self.folder / f"{name}.ipynb"
        if path is not None or not notebook.exists():
            return None
        return importlib.util.spec_from_loader(name, self, origin=str(notebook))

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        notebook = json.loads(Path(module.__spec__.origin).read_text(encoding="utf-8"))
        code = compile(notebook_source(notebook), module.__spec__.origin, "exec")
        exec(code, module.__dict__)


def use_notebooks(folder="."):
    """Let `import activations` find activations.ipynb in `folder` before any .py file."""
    if not any(isinstance(f, _NotebookFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _NotebookFinder(folder))
    if str(HERE) not in sys.path:
        sys.path.append(str(HERE))


class _NotebookModules:
    def __init__(self, name, namespace):
        self.name = name
        self.namespace = types.SimpleNamespace(**{k: v for k, v in namespace.items() if not k.startswith("_")})

    def module(self, name):
        return self.namespace if name == self.name else importlib.import_module(name)


def run_public_tests(name, namespace):
    """Run assignments/test_<name>.py on the functions in `namespace` (pass globals())."""
    from harness import PROVIDER_PLUGIN

    provider = _NotebookModules(name, namespace)

    class Register:
        def pytest_configure(self, config):
            config.pluginmanager.register(provider, PROVIDER_PLUGIN)

    return pytest.main(["-q", "-p", "no:cacheprovider", "--no-header", str(HERE / f"test_{name}.py")],
                       plugins=[Register()])
