"""Jupyter notebooks: written from a module's source for students, read back from submissions.

nbformat is imported here only, and only by the code that meets a notebook:
importing it costs more than a whole grading run of plain files.
"""
import ast
import sys
import warnings

from grader.paths import ASSIGNMENTS

sys.path.insert(0, str(ASSIGNMENTS))
from nbsupport import SKIP_TAG, notebook_source, stub_hash, untouched_stub  # noqa: E402,F401  (shared with students)

SETUP = """# Setup, not part of your answer: lets this notebook import your other notebooks and run the
# public tests. It finds assignments/nbsupport.py whether Jupyter started in the course folder, in
# assignments/ or in assignments/notebooks/. After you change another notebook, save it (Ctrl+S)
# and run again the cell that imports from it: the import then reads your saved code.
import sys
from pathlib import Path

for folder in (Path.cwd(), Path.cwd() / "assignments", *Path.cwd().parents):
    if (folder / "nbsupport.py").is_file():
        sys.path.insert(0, str(folder))
        break
from nbsupport import run_public_tests, use_notebooks
use_notebooks()"""


def _cells(source):
    """(markdown or None, code) per top-level function, and code for the statements between
    them (with the comments above each), in order. The module docstring is left out."""
    tree = ast.parse(source)
    lines = source.splitlines()
    body = tree.body[1:] if ast.get_docstring(tree) else tree.body
    pending, start = None, tree.body[0].end_lineno if body is not tree.body else 0
    for node in body:
        if not isinstance(node, ast.FunctionDef):
            pending = pending if pending is not None else start
            start = node.end_lineno
            continue
        if pending is not None:
            yield None, "\n".join(lines[pending:start]).strip("\n")
            pending = None
        docstring = ast.get_docstring(node)
        skip = range(node.body[0].lineno - 1, node.body[0].end_lineno) if docstring else range(0)
        code = "\n".join(line for i, line in enumerate(lines[start:node.end_lineno], start) if i not in skip)
        text = "\n".join("    " + line for line in (docstring or "").splitlines())
        yield f"## `{node.name}({ast.unparse(node.args)})`\n\n{text}", code.strip("\n")
        start = node.end_lineno
    if pending is not None:
        yield None, "\n".join(lines[pending:start]).strip("\n")


def build_notebook(module, source):
    """The notebook for one module, from its source: nbformat.NotebookNode."""
    import nbformat.v4 as v4

    cells = []

    def add(cell):
        cell["id"] = f"{module}-{len(cells)}"  # fixed ids keep `build --check` stable
        cells.append(cell)

    doc = ast.get_docstring(ast.parse(source)) or ""
    add(v4.new_markdown_cell(
        f"# `{module}`\n\n{doc}\n\nFill in each function below and run its cell; the last cell runs the "
        f"public tests on your code. Hand in this notebook or `{module}.py` (when you hand in both, the "
        f"`.py` file is graded unless it is the untouched stub)."))
    add(v4.new_code_cell(SETUP, metadata={"tags": [SKIP_TAG]}))
    for markdown, code in _cells(source):
        if markdown is not None:
            add(v4.new_markdown_cell(markdown))
        add(v4.new_code_cell(code))
    add(v4.new_code_cell(f'run_public_tests("{module}", globals())', metadata={"tags": [SKIP_TAG]}))
    return v4.new_notebook(cells=cells, nbformat_minor=5, metadata={
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"}})


def notebook_text(notebook):
    import nbformat

    nbformat.validate(notebook)
    return nbformat.writes(notebook) + "\n"


class NotANotebook(ValueError):
    pass


def module_from_notebook(data, filename):
    """The module source made of a submitted notebook's code cells (data: its bytes)."""
    import nbformat
    from nbformat.reader import NotJSONError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # notebooks from older Jupyter lack cell ids: fine here
            notebook = nbformat.reads(data.decode("utf-8"), as_version=4)
            nbformat.validate(notebook)
    except (UnicodeDecodeError, NotJSONError) as error:
        first = str(error).splitlines()[0][:120]
        raise NotANotebook(f"{filename} is not a notebook: not valid JSON ({first})") from None
    except Exception as error:  # nbformat's own errors differ between versions
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise NotANotebook(f"{filename} is not a valid notebook: {first[:200]}") from None
    return notebook_source(notebook)
