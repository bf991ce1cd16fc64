"""No points for garbage: every test that awards points fails on answers that were not computed.

For every module in MODULES, garbage submissions are generated from the solution
module itself: each of its functions and constants is replaced by one that
answers garbage of exactly the right structure. To know that structure for
every call, a garbage function calls the reference (shipped beside it in the
submission as `_reference_<module>.py`) on the same arguments and fills what
comes back: arrays of the same shape, numbers, dicts with the same keys, tuples
and lists of the same length. All of them, and the untouched stubs, are graded
in one run through the real grader and must score 0 on every assignment.
"""
import importlib.util
import inspect
import re

import numpy as np
import pytest
from conftest import grade_folder

from grader import reference
from grader.paths import ASSIGNMENTS, MODULES, SOLUTIONS

# What every number of an answer becomes; "echo" answers its first argument unchanged
# (its constants, having no argument, are ones).
KINDS = {"constant": "0.3721", "zeros": "0.0", "nan": "nan", "echo": "1.0"}

GARBAGE_HELPER = '''"""Turns the reference's answer into garbage of the same structure."""
import numpy as np

KIND = {kind!r}
FILL = float({fill!r})


def fill(value):
    if isinstance(value, dict):
        return {{key: fill(item) for key, item in value.items()}}
    if isinstance(value, (tuple, list)):
        return type(value)(fill(item) for item in value)
    if isinstance(value, np.ndarray):
        return np.full(value.shape, FILL)
    return FILL


def answer(function):
    def garbage(*args, **kwargs):
        if KIND == "echo":
            return args[0] if args else next(iter(kwargs.values()), None)
        return fill(function(*args, **kwargs))
    return garbage
'''


def public_names(module):
    """(functions, constants) a module defines itself, by name."""
    functions, constants = [], []
    for name, value in vars(module).items():
        if name.startswith("_") or inspect.ismodule(value):
            continue
        if inspect.isfunction(value):
            if value.__module__ == module.__name__:
                functions.append(name)
        elif not callable(value):
            constants.append(name)
    return functions, constants


def garbage_module(name, module):
    functions, constants = public_names(module)
    lines = [f'"""{name}, answering garbage."""', "import _garbage", f"import _reference_{name} as _reference", ""]
    lines += [f"{function} = _garbage.answer(_reference.{function})" for function in functions]
    lines += [f"{constant} = _garbage.fill(_reference.{constant})" for constant in constants]
    return "\n".join(lines) + "\n"


def write_garbage(folder, kind):
    folder.mkdir()
    solutions = reference.load()
    siblings = re.compile(rf"\b(from|import) ({'|'.join(MODULES)})\b")
    (folder / "_garbage.py").write_text(GARBAGE_HELPER.format(kind=kind, fill=KINDS[kind]))
    for name in MODULES:
        source = (SOLUTIONS / f"{name}.py").read_text()
        (folder / f"_reference_{name}.py").write_text(siblings.sub(r"\1 _reference_\2", source))
        (folder / f"{name}.py").write_text(garbage_module(name, getattr(solutions, name)))


@pytest.fixture(scope="module")
def graded(tmp_path_factory, stub_copy):
    submissions = tmp_path_factory.mktemp("garbage")
    stub_copy(submissions / "stubs")
    for kind in KINDS:
        write_garbage(submissions / kind, kind)
    results, failures = grade_folder(submissions, tmp_path_factory.mktemp("out"))
    assert failures == []
    return results


def test_the_garbage_replaces_every_function_and_constant():
    functions, constants = public_names(reference.load().perceptron)
    assert {"weighted_sum", "perceptron_output", "train_perceptron"} <= set(functions)
    assert "step" not in functions  # imported from activations, not perceptron's own
    assert {"OR_WEIGHTS", "OR_BIAS", "AND_WEIGHTS", "AND_BIAS"} <= set(constants)


@pytest.mark.parametrize("kind", ["stubs", *KINDS])
def test_garbage_scores_nothing(graded, kind):
    result = graded[kind]
    scored = [f"{t.nodeid} ({t.score:g})" for t in result.tests if t.score > 0]
    assert not scored, f"{kind} scored on:\n" + "\n".join(scored)
    assert all(s.max_points > 0 for s in result.scores().values())


def load_harness():
    spec = importlib.util.spec_from_file_location("harness_under_test", ASSIGNMENTS / "harness.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("actual, expected", [
    (np.array([1.0, np.nan]), np.array([1.0, 2.0])),
    (np.array([1.0, np.nan]), np.array([1.0, np.nan])),
    (np.array([np.inf]), np.array([1.0])),
    (np.array([5.0]), np.array([np.inf])),
    (np.array([-np.inf]), np.array([np.inf])),
    (np.array([np.nan]), np.array([np.inf])),
    (float("nan"), float("nan")),
    (1e308, float("inf")),
], ids=["nan-for-a-number", "nan-for-nan", "inf-for-a-number", "number-for-inf", "minus-inf-for-inf",
        "nan-for-inf", "scalar-nan-for-nan", "big-number-for-inf"])
def test_expect_never_accepts_nan_and_compares_inf_as_such(actual, expected):
    harness = load_harness()
    with pytest.raises(pytest.fail.Exception, match="nan"):
        harness.expect(actual, expected, "f(x)")


def test_expect_accepts_the_same_inf():
    load_harness().expect(np.array([np.inf, 1.0, -np.inf]), np.array([np.inf, 1.0, -np.inf]), "f(x)")
