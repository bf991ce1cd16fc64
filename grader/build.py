"""Write the student stubs and notebooks in assignments/ from the reference code in solutions/.

In a solution file every part the student writes sits between the lines
`# BEGIN SOLUTION` and `# END SOLUTION`. Inside a function the region becomes
`raise NotImplementedError(...)` naming the function; at module level every
name the region assigns becomes `NAME = None` for the student to set.
"""
import ast
import json
import re
import sys

from grader.paths import ASSIGNMENTS, MODULES, SOLUTIONS

BEGIN = re.compile(r"^(\s*)# BEGIN SOLUTION\s*$")
END = re.compile(r"^\s*# END SOLUTION\s*$")


class BuildError(Exception):
    pass


def _enclosing_function(tree, line_number):
    best = None
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) \
                and node.lineno <= line_number <= node.end_lineno:
            if best is None or node.lineno > best.lineno:
                best = node
    return best


def _assigned_names(code):
    names = []
    for node in ast.parse(code).body:
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        names += [t.id for t in targets if isinstance(t, ast.Name)]
    return names


def make_stub(source, filename="<solution>"):
    """The student version of one solution file's text."""
    tree = ast.parse(source, filename)
    lines = source.splitlines(keepends=True)
    out, region_start, indent = [], None, ""
    for number, line in enumerate(lines, start=1):
        begin = BEGIN.match(line)
        if region_start is None:
            if begin:
                region_start, indent = number, begin.group(1)
            else:
                out.append(line)
            continue
        if begin:
            raise BuildError(f"{filename}:{number}: BEGIN SOLUTION inside another region")
        if not END.match(line):
            continue
        function = _enclosing_function(tree, region_start)
        if function is not None:
            out.append(f'{indent}raise NotImplementedError("{function.name}: '
                       f'replace this line with your code (see the docstring above)")\n')
        else:
            code = "".join(lines[region_start:number - 1])
            names = _assigned_names(code)
            if not names:
                raise BuildError(f"{filename}:{region_start}: a module-level region must assign names")
            out += [f"{name} = None  # TODO: set {name}\n" for name in names]
        region_start = None
    if region_start is not None:
        raise BuildError(f"{filename}:{region_start}: BEGIN SOLUTION without END SOLUTION")
    return "".join(out)


def without_markers(source):
    """The solution's code with the BEGIN/END SOLUTION lines taken out."""
    return "".join(line for line in source.splitlines(keepends=True) if not (BEGIN.match(line) or END.match(line)))


def planned_files():
    """{path in assignments/: text}: every module's stub and its notebook, and stubs.sha256: the
    stubs' hashes, by which a notebook's tools and the grader tell an untouched stub."""
    from grader.notebooks import build_notebook, notebook_text, stub_hash

    plan, hashes = {}, []
    for name in MODULES:
        stub = make_stub((SOLUTIONS / f"{name}.py").read_text(), f"solutions/{name}.py")
        plan[ASSIGNMENTS / f"{name}.py"] = stub
        plan[ASSIGNMENTS / "notebooks" / f"{name}.ipynb"] = notebook_text(build_notebook(name, stub))
        hashes.append(f"{stub_hash(stub.encode())}  {name}.py\n")
    plan[ASSIGNMENTS / "stubs.sha256"] = "".join(hashes)
    return plan


def _up_to_date(path, text):
    if not path.exists():
        return False
    if path.suffix == ".ipynb":  # the same notebook, however this nbformat version lays out its JSON
        try:
            return json.loads(path.read_text()) == json.loads(text)
        except ValueError:
            return False
    return path.read_text() == text


def build(check=False):
    """Write the stubs, or with check=True report the ones out of date. Returns an exit code."""
    try:
        plan = planned_files()
    except (BuildError, SyntaxError) as error:
        print(f"build: {error}", file=sys.stderr)
        return 2
    stale = [path for path, text in plan.items() if not _up_to_date(path, text)]
    if check:
        for path in stale:
            print(f"out of date: {path.relative_to(ASSIGNMENTS.parent)} (run: python -m grader build)")
        return 1 if stale else 0
    for path in stale:
        path.parent.mkdir(exist_ok=True)
        path.write_text(plan[path])
        print(f"wrote {path.relative_to(ASSIGNMENTS.parent)}")
    return 0
