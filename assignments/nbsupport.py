"""Working in Jupyter: notebooks used as modules, and the public tests run from a notebook.

Each notebook in assignments/notebooks/ starts with a cell that finds this file
and calls `use_notebooks()`, so that `from activations import step` in the
perceptron notebook takes your code from activations.ipynb, and ends with a
cell that calls `run_public_tests("perceptron", globals())`, which runs
assignments/test_perceptron.py on the functions defined in the notebook.

A notebook stands in for its module where the module's .py file is missing or
is still the untouched stub: the same bytes (up to line endings) as the stub
`python -m grader build` wrote, whose hash stubs.sha256 holds. Grading,
`python -m grader check` and `python -m grader plot` follow the same rule.
In Jupyter, before each cell runs, the modules imported from this folder are
forgotten if one of their files changed since: the next import reads your
latest saved code, without restarting the kernel.

When a notebook is graded, its code cells, in order, become the module; the
cells tagged "skip-when-graded" (those two) are left out, and IPython magics
and shell lines (`%...`, `!...`) are turned into comments, not run.
"""
import hashlib
import importlib
import importlib.abc
import importlib.util
import json
import sys
import types
from pathlib import Path

HERE = Path(__file__).resolve().parent
NOTEBOOKS = HERE / "notebooks"
STUB_HASHES = HERE / "stubs.sha256"
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


def stub_hash(data):
    """The hash stubs.sha256 keeps of a stub (bytes); a checkout's CRLF line endings do not count."""
    return hashlib.sha256(data.replace(b"\r\n", b"\n")).hexdigest()


def untouched_stub(name, data):
    """Whether `data` (the bytes of name.py) is the stub as it was generated."""
    if not STUB_HASHES.exists():
        return False
    wanted = f"{stub_hash(data)}  {name}.py"  # a line of `sha256sum`'s format
    return wanted in STUB_HASHES.read_text().splitlines()


def notebook_in_use(name):
    """The notebook that stands in for module `name` here (a Path), or None when name.py counts."""
    notebook, module = NOTEBOOKS / f"{name}.ipynb", HERE / f"{name}.py"
    if not notebook.is_file() or (module.exists() and not untouched_stub(name, module.read_bytes())):
        return None
    return notebook


def files_in_use(names):
    """{name: which file is read and why}, for the modules among `names` that a notebook stands in for."""
    lines = {}
    for name in names:
        notebook = notebook_in_use(name)
        if notebook is not None:
            why = "is the untouched stub" if (HERE / f"{name}.py").exists() else "is missing"
            lines[name] = f"{name}: read from {notebook.relative_to(HERE.parent)} ({name}.py {why})"
    return lines


class _NotebookFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path=None, target=None):
        notebook = notebook_in_use(name) if path is None else None
        return None if notebook is None else importlib.util.spec_from_loader(name, self, origin=str(notebook))

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        path = Path(module.__spec__.origin)
        try:
            source = notebook_source(json.loads(path.read_text(encoding="utf-8")))
        except (ValueError, TypeError, AttributeError) as error:
            raise ImportError(f"{path.name} is not a notebook that can be read: {error}") from None
        module.__file__ = str(path)
        exec(compile(source, str(path), "exec"), module.__dict__)


class _ForgetChanged:
    """Called before each cell: forgets the modules of this folder once one of their files changed."""

    def __init__(self):
        self.names = sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))
        self.seen = self.stamps()

    def stamps(self):
        return {path: (path.stat().st_mtime_ns, path.stat().st_size) if path.exists() else None
                for name in self.names for path in (HERE / f"{name}.py", NOTEBOOKS / f"{name}.ipynb")}

    def __call__(self, *cell_info):
        now = self.stamps()
        if now != self.seen:
            for name in self.names:
                sys.modules.pop(name, None)
            self.seen = now


def use_notebooks():
    """Let `import activations` read notebooks/activations.ipynb where activations.py is missing or
    the untouched stub; in IPython (Jupyter), forget changed modules before each cell."""
    if any(isinstance(f, _NotebookFinder) for f in sys.meta_path):
        return
    sys.meta_path.insert(0, _NotebookFinder())
    if str(HERE) not in sys.path:
        sys.path.append(str(HERE))
    shell = sys.modules["IPython"].get_ipython() if "IPython" in sys.modules else None
    if shell is not None:
        shell.events.register("pre_run_cell", _ForgetChanged())


def _stale_imports(namespace):
    """Names in `namespace` bound to functions of a course module that has been read again since."""
    stale = []
    for name, value in namespace.items():
        module = getattr(value, "__module__", None)
        if isinstance(value, types.FunctionType) and (NOTEBOOKS / f"{module}.ipynb").exists() \
                and getattr(sys.modules.get(module), value.__name__, None) is not value:
            stale.append(f"{name} (from {module})")
    return stale


class _NotebookModules:
    def __init__(self, name, namespace):
        self.name = name
        self.namespace = types.SimpleNamespace(**{k: v for k, v in namespace.items() if not k.startswith("_")})

    def module(self, name):
        return self.namespace if name == self.name else importlib.import_module(name)


def run_public_tests(name, namespace):
    """Run assignments/test_<name>.py on the functions in `namespace` (pass globals())."""
    import pytest
    from harness import register

    stale = _stale_imports(namespace)
    if stale:
        print(f"Not your latest saved code: {', '.join(stale)}, changed since this notebook imported it. "
              f"Run the cell that imports it again (or Run All) to test the current code.")
    return pytest.main(["-q", "-p", "no:cacheprovider", "--no-header", str(HERE / f"test_{name}.py")],
                       plugins=[register(_NotebookModules(name, namespace))])
