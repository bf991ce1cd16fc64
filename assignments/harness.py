"""How the tests reach the code they check, and how they compare results.

The fixtures `activations`, `perceptron`, `gradient_descent`, `xor_network`
and `multiclass` hand each test the module under test. When you run
`pytest assignments/` that is your own module in this folder. The grader
hands them a submission's modules instead, through a provider (see `register`);
the tests cannot tell the difference.

`expect` compares what came back with what was expected in layers, so that a
failure names the first real difference: the type (array or number), then the
shape, then NaN or inf (nan is never right), then the values.
"""
import importlib
import numbers
from pathlib import Path

import numpy as np
import pytest

PROVIDER_PLUGIN = "nn-submission"
HERE = Path(__file__).resolve().parent
# Per test, with pytest-timeout: far more than any finished exercise needs, so a test that takes
# longer is stuck, most likely in an endless loop.
TEST_SECONDS = 30


def pytest_configure(config):
    config.addinivalue_line("markers", "points(n): how many points the test is worth")
    config.addinivalue_line("markers", "timeout(seconds): pytest-timeout's limit for the test")
    if not config.pluginmanager.has_plugin("nn-endless-loops"):  # conftests of both suites call this
        config.pluginmanager.register(EndlessLoops(), "nn-endless-loops")


def _stuck_at(excinfo):
    """'perceptron.py, line 75, in train_perceptron: while errors:' for the innermost line of the
    student's own code the test was running when it was stopped, or None."""
    for entry in reversed(excinfo.traceback):
        path = Path(str(entry.path))
        if path.parent == HERE and path.name not in ("harness.py", "conftest.py", "nbsupport.py") \
                and not path.name.startswith("test_"):
            return f"{path.name}, line {entry.lineno + 1}, in {entry.name}: {str(entry.statement).strip()}"
    return None


class EndlessLoops:
    """Gives every test a time limit (pytest-timeout) and turns the timeout into a message that
    names the line it was stuck on."""

    def pytest_collection_modifyitems(self, items):
        for item in items:
            if item.get_closest_marker("timeout") is None:
                item.add_marker(pytest.mark.timeout(TEST_SECONDS))

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        report = (yield).get_result()
        if call.excinfo is None or "pytest-timeout" not in str(call.excinfo.value):
            return
        seconds = item.get_closest_marker("timeout").args[0]
        where = _stuck_at(call.excinfo)
        report.longrepr = (f"{item.name} did not finish within {seconds:g} s: most likely an endless loop, "
                           + (f"at {where}" if where else "in your code")
                           + "\n  (a loop whose condition never becomes false?)")


def register(provider):
    """A pytest plugin, for pytest.main's `plugins`, that has `provider` hand the suites their modules.

    A provider is any object with a method `module(name)` that returns what the tests use in place
    of `import name`: an object whose attributes are the module's functions and constants. The
    grader's hands out handles onto a submission in its sandbox (grader/remote.py), the notebooks'
    the functions of a notebook (nbsupport.py), the speed benchmark's the modules themselves.
    """
    class Registration:
        def pytest_configure(self, config):
            config.pluginmanager.register(provider, PROVIDER_PLUGIN)

    return Registration()


def _module(request, name):
    provider = request.config.pluginmanager.get_plugin(PROVIDER_PLUGIN)
    if provider is None:
        return importlib.import_module(name)
    return provider.module(name)


def _module_fixture(name):
    @pytest.fixture(scope="session", name=name)
    def module(request):
        return _module(request, name)
    return module


activations = _module_fixture("activations")
perceptron = _module_fixture("perceptron")
gradient_descent = _module_fixture("gradient_descent")
xor_network = _module_fixture("xor_network")
multiclass = _module_fixture("multiclass")


def numerical_gradient(f, params, eps=1e-6):
    """The gradient of f by central differences, to check a backward pass against:

        df/dp[i] ~ (f(p with p[i] + eps) - f(p with p[i] - eps)) / (2 * eps)

    f: a function of a dict of arrays, returning a number. params: that dict.
    Returns a dict with the same keys and shapes. f is called 2 * (number of
    entries) times on copies; params is left as it was.
    """
    gradient = {}
    for key, value in params.items():
        gradient[key] = np.zeros(np.shape(value))
        for index in np.ndindex(*np.shape(value)):
            shifted = []
            for sign in (1.0, -1.0):
                copy = {k: np.array(v, dtype=float) for k, v in params.items()}
                copy[key][index] += sign * eps
                shifted.append(f(copy))
            gradient[key][index] = (shifted[0] - shifted[1]) / (2 * eps)
    return gradient


def show(value):
    """A short, readable form of a test input or result."""
    if isinstance(value, np.ndarray):
        return np.array2string(value, precision=6, threshold=12, edgeitems=3, separator=", ").join(
            ("array(", ")"))
    if isinstance(value, float):
        return repr(round(value, 10))
    return repr(value)


def _is_number(value):
    return isinstance(value, (numbers.Real, np.bool_)) or (
        isinstance(value, np.ndarray) and value.ndim == 0)


def _kind(value):
    if isinstance(value, np.ndarray) and value.ndim > 0:
        return f"an array of shape {value.shape}"
    if _is_number(value):
        return f"a number ({show(value)})"
    return f"a {type(value).__name__} ({show(value)[:80]})"


def expect(actual, expected, call, rtol=1e-6, atol=1e-9):
    """Fail unless `actual` is `expected` up to the tolerance.

    expected: a number or a numpy array. call: how the value was produced,
    e.g. "sigmoid(array([0., 1.]))"; it opens the failure message.
    """
    def fail(reason):
        pytest.fail(f"{call}\n  {reason}", pytrace=False)

    want_array = isinstance(expected, np.ndarray) and expected.ndim > 0
    if want_array and not isinstance(actual, np.ndarray):
        fail(f"expected a numpy array of shape {expected.shape}, got {_kind(actual)}")
    if not want_array and not _is_number(actual):
        fail(f"expected a number ({show(expected)}), got {_kind(actual)}")
    got = np.asarray(actual)
    want = np.asarray(expected, dtype=float)
    if got.dtype.kind not in "biuf":
        fail(f"expected numbers, got an array of dtype {got.dtype}")
    if got.shape != want.shape:
        fail(f"expected shape {want.shape}, got shape {got.shape}: {show(got)}")
    got = got.astype(float)
    # nan is never right, not even where another of the student's functions gave nan too;
    # an expected inf must come back as that very inf.
    special = ~(np.isfinite(got) & np.isfinite(want)) & (got != want)
    if special.any():
        where = tuple(int(i) for i in np.argwhere(special)[0])
        at = f" at index {where}" if where else ""
        if np.isnan(want[where]):
            fail(f"expected nan{at} (computed from another of your results): nan is never a right answer\n"
                 f"  got: {show(actual)}")
        fail(f"got {got[where]}{at} where {want[where]} was expected: nan or inf where none belongs\n"
             f"  got: {show(actual)}")
    finite = np.isfinite(want)  # elsewhere got is the same inf
    error = np.abs(np.subtract(got, want, out=np.zeros(want.shape), where=finite))
    allowed = atol + rtol * np.abs(np.where(finite, want, 0.0))
    if (error > allowed).any():
        where = tuple(int(i) for i in np.unravel_index(np.argmax(error - allowed), error.shape))
        at = f" at index {where}" if where else ""
        fail(f"expected {show(expected)}\n  got      {show(actual)}\n"
             f"  worst difference{at}: expected {float(want[where])!r}, got {float(got[where])!r} "
             f"(tolerance {atol:g} + {rtol:g}*|expected|)")


def expect_floats(actual, call):
    """Fail unless `actual` is a float or an array of floats, as the docstrings ask for.

    Bools and ints compare equal to 1.0 and 0.0, so `expect` lets them pass; this does not.
    """
    dtype = np.asarray(actual).dtype if isinstance(actual, (numbers.Real, np.bool_, np.ndarray)) else None
    if dtype is None or dtype.kind != "f":
        got = f"an array of dtype {dtype}" if isinstance(actual, np.ndarray) else _kind(actual)
        pytest.fail(f"{call}\n  should return floats, as the docstring says; got {got}: convert with .astype(float) "
                    f"or compute in floats from the start", pytrace=False)


def expect_floats_matching(actual, expected, call, parts=None):
    """expect_floats and expect on a result, or, with the `parts` named, on each value of a tuple."""
    if parts is None:
        actual, expected, calls = [actual], [expected], [call]
    else:
        actual, calls = expect_tuple(actual, len(parts), call), [f"{call}, {part}" for part in parts]
    for value, want, label in zip(actual, expected, calls):
        value = np.asarray(value) if isinstance(value, (list, tuple)) else value
        expect_floats(value, label)
        expect(value, np.asarray(want), label)


def expect_tuple(actual, length, call):
    """Fail unless `actual` is a tuple or list of `length` items; return it."""
    if not isinstance(actual, (tuple, list)) or len(actual) != length:
        pytest.fail(f"{call}\n  expected a tuple of {length} values, got {show(actual)[:200]}",
                    pytrace=False)
    return actual
