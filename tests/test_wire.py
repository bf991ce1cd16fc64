"""Only plain data crosses from a submission to the grader."""
import json

import numpy as np
import pytest

from grader import wire


def roundtrip(value):
    return wire.decode(json.loads(json.dumps(wire.encode(value))))


@pytest.mark.parametrize("value", [None, True, 3, -2.5, float("inf"), "text", [1, 2.0], (1, "a"),
                                   {"W1": 1.0, "b": [None]}, 10 ** 30])
def test_plain_values_cross_unchanged(value):
    back = roundtrip(value)
    assert back == value and type(back) is type(value)


@pytest.mark.parametrize("array", [np.arange(6.0).reshape(2, 3), np.array(1.5), np.array([True, False]),
                                   np.arange(4, dtype=np.int32)[::2], np.zeros((0, 3)), np.array([np.nan])])
def test_arrays_cross_with_dtype_and_shape(array):
    back = roundtrip(array)
    assert type(back) is np.ndarray and back.dtype == array.dtype and back.shape == array.shape
    np.testing.assert_array_equal(back, array)
    assert back.flags.writeable


def test_numpy_scalars_become_python_numbers():
    assert type(roundtrip(np.float64(0.5))) is float
    assert type(roundtrip(np.int64(2))) is int


@pytest.mark.parametrize("value, named", [
    (object(), "builtins.object"), (np.zeros(2).view(type("Rigged", (np.ndarray,), {})), "Rigged"),
    (np.array(["a"]), "dtype <U1"),
    (np.array([1 + 2j]), "complex128"), ({1: 2}, "keys that are not strings"), (lambda: 0, "function"),
    (np.array([None]), "dtype object")])
def test_anything_else_is_refused_by_name(value, named):
    with pytest.raises(wire.Unsupported, match=named):
        wire.encode(value)


def test_deep_nesting_is_refused():
    value = []
    for _ in range(wire.MAX_DEPTH + 5):
        value = [value]
    with pytest.raises(wire.Unsupported):
        wire.encode(value)


@pytest.mark.parametrize("data", [
    {"$array": "AAAA", "dtype": "|O", "shape": [1]},
    {"$array": "AAAAAAAAAAA=", "dtype": "<f8", "shape": [2]},
    {"$array": "AAAAAAAAAAA=", "dtype": "<f8", "shape": [-1]},
    {"$array": "AAAAAAAAAAA=", "dtype": [["a", "<f8"]], "shape": [1]},
    {"$class": "numpy.matrix"}, {"$tuple": "ab"}, {"$dict": [[1, 2]]}, {"$array": "!!", "dtype": "<f8", "shape": [1]},
])
def test_malformed_data_from_a_worker_is_refused(data):
    with pytest.raises((ValueError, TypeError)):
        wire.decode(data)


def test_a_worker_that_answers_out_of_form_fails_only_the_call():
    """A rigged worker's answers are data: a call answered 'callable', or answered with junk,
    fails that test with a message and gives the test nothing to run."""
    from grader import remote, sandbox

    submission = remote.Submission("/nonexistent", "none", sandbox.Limits())
    submission.ready = True
    answers = iter([{"id": 0, "callable": True}, {"id": 1, "value": {"$class": "os.system"}},
                    {"id": 2, "value": 1.0, "warnings": "not a list of pairs"}])

    class Rigged:
        def ask(self, message, timeout):
            return next(answers)

    submission.worker = Rigged()
    for _ in range(3):
        with pytest.raises(pytest.fail.Exception, match="step\\(\\) sent back a value that is not plain data"):
            submission.request("call", "activations", "step", (1.0,))
