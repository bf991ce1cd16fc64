"""Only plain data crosses from a submission to the grader."""
import io
import json
import os
import sys
import time
import tracemalloc

import numpy as np
import pytest
from conftest import run_python

from grader import cgroup, remote, sandbox, wire


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
    submission = remote.SandboxedSubmission("none", sandbox.Limits(), {})
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


@pytest.mark.parametrize("data", [
    {"$array": "", "dtype": "<f8", "shape": [2 ** 70]},
    {"$array": "", "dtype": "<f8", "shape": [0, 2 ** 40]},
    {"$array": "", "dtype": "<f8", "shape": [0] * 40},
    {"$array": "", "dtype": "<f8", "shape": [-8]},
    {"$array": "", "dtype": "<f8", "shape": [True]},
    {"$array": "", "dtype": "<f8", "shape": 3},
    {"$array": "", "dtype": "junk", "shape": [0]},
    {"$array": "", "dtype": ["<f8"], "shape": [0]},
    {"$array": "", "dtype": "(2,)<f8", "shape": [0]},
    {"$array": "", "dtype": "<M8[s]", "shape": [0]},
    {"$array": 7, "dtype": "<f8", "shape": [0]},
])
def test_every_malformed_array_is_a_value_error(data):
    """Whatever a rigged worker puts in an array's fields, decoding fails with ValueError,
    which the grader reports as 'sent back a value that is not plain data'."""
    with pytest.raises(ValueError):
        wire.decode(data)


def framed(body):
    return io.BytesIO(wire.HEADER.pack(len(body)) + body)


def test_a_message_over_the_size_cap_is_refused_before_its_body_is_read():
    stream = io.BytesIO(wire.HEADER.pack(wire.MAX_MESSAGE + 1) + b"[]")
    with pytest.raises(ValueError, match="over the limit"):
        wire.read_message(stream)
    assert stream.read() == b"[]"


@pytest.mark.parametrize("body", [
    b"[" + b"[]," * ((wire.MAX_MESSAGE - 4) // 3) + b"[]]",  # each [] a list: over a million of them
    b"[" + b"0," * ((wire.MAX_MESSAGE - 3) // 2) + b"0]",
], ids=["lists", "numbers"])
def test_a_message_of_too_many_values_is_refused_before_json_builds_them(body):
    assert len(body) <= wire.MAX_MESSAGE
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match="values"):
            wire.read_message(framed(body))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 3 * len(body)  # parsed, the first alone takes about 95 MB


def test_a_message_nested_too_deeply_is_refused():
    depth = wire.MAX_ITEMS // 2
    with pytest.raises(ValueError, match="nested too deeply"):
        wire.read_message(framed(b"[" * depth + b"]" * depth))


@pytest.mark.parametrize("body", [b"\xff\xfe", b"{\"id\": ", b"1" * 5000], ids=["utf8", "cut", "digits"])
def test_a_message_that_is_not_json_is_a_value_error(body):
    with pytest.raises(ValueError):
        wire.read_message(framed(body))


def test_the_largest_honest_messages_fit_well_within_the_caps():
    """A training run's losses, the largest answer grading the solutions sends back."""
    losses = list(np.random.default_rng(0).random(5000))
    params = {name: np.random.default_rng(1).random((8, 8)) for name in ("W1", "b1", "W2", "b2")}
    message = {"id": 1, "value": wire.encode((params, losses))}
    body = json.dumps(message).encode()
    assert wire.read_message(framed(body)) == message
    assert len(body) * 10 < wire.MAX_MESSAGE


FLOODING_WORKER = """
import json, struct, sys
def send(message):
    body = json.dumps(message).encode()
    sys.stdout.buffer.write(struct.pack('<Q', len(body)) + body)
    sys.stdout.buffer.flush()
send({"ready": True, "seccomp": False})
for _ in range(64):  # 64 MiB nobody asked for, far more than a pipe holds
    send({"id": -1, "value": "x" * 1024 ** 2})
"""


def test_only_the_answer_to_the_request_in_flight_is_read(tmp_path):
    """A worker that writes messages nobody asked for: they stay in the pipe (its writes wait)
    until a request reads one, which is out of turn and ends that worker."""
    submission = remote.SandboxedSubmission("none", sandbox.Limits(call_seconds=5.0), {})
    submission.worker = remote.Worker([sys.executable, "-c", FLOODING_WORKER], dict(os.environ), tmp_path,
                                      submission.output, cgroup.create(submission.limits.memory_bytes))
    process = submission.worker.process
    submission._await_ready()
    time.sleep(1.0)
    assert process.poll() is None
    with pytest.raises(pytest.fail.Exception, match="step\\(\\): the submission's process answered out of turn"):
        submission.request("call", "activations", "step", (1.0,))
    assert submission.worker is None and process.poll() is not None


def test_output_from_the_first_hidden_test_on_is_kept_apart():
    output = remote.Output(budget=10)
    output.drain(io.BytesIO(b"public"))
    output.hide_from_now()
    output.drain(io.BytesIO(b"hidden input 0.25"))
    output.drain(io.BytesIO(b"printed again later"))
    assert output.text() == "public"
    assert output.text("hidden") == "hidden inp\n[... 26 more bytes of output cut]"


def test_the_session_caps_its_own_address_space():
    result = run_python("-c", "from grader import session; session.limit_memory(); bytearray(8 * 1024 ** 3)")
    assert result.returncode == 1 and "MemoryError" in result.stderr
