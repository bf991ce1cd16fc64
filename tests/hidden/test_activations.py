"""Hidden tests for activations.py: the submission against the reference on seeded inputs."""
import warnings

import numpy as np
import pytest
from harness import expect, expect_floats_matching, show

RNG = np.random.default_rng(101)
SHAPES = [(7,), (3, 4), (2, 3, 2)]
INPUTS = [RNG.normal(scale=4.0, size=shape) for shape in SHAPES]
FUNCTIONS = ["step", "sigmoid", "relu", "sigmoid_derivative", "relu_derivative", "softmax"]
INTEGERS = np.array([[-3, -1, 0, 2], [1, 0, 5, 40]])


def no_warnings(function, z):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return function(z)


@pytest.mark.points(1)
@pytest.mark.parametrize("z", INPUTS, ids=[str(s) for s in SHAPES])
def test_step_matches_reference(activations, reference, z):
    """step on random arrays of several shapes"""
    expect(activations.step(z), reference.activations.step(z), f"step({show(z)})")


@pytest.mark.points(2)
def test_step_at_zero_is_one(activations):
    """step(0) is 1, also for -0.0 and for a plain number"""
    z = np.array([0.0, -0.0, -1e-300, 1e-300])
    expect(activations.step(z), np.array([1.0, 1.0, 0.0, 1.0]), f"step({show(z)})")
    expect(activations.step(0.0), 1.0, "step(0.0)")


@pytest.mark.points(1)
@pytest.mark.parametrize("z", INPUTS, ids=[str(s) for s in SHAPES])
def test_sigmoid_matches_reference(activations, reference, z):
    """sigmoid on random arrays of several shapes"""
    expect(activations.sigmoid(z), reference.activations.sigmoid(z), f"sigmoid({show(z)})", rtol=1e-9)


@pytest.mark.points(1)
def test_sigmoid_of_a_number(activations):
    """sigmoid(0.5) of a plain number"""
    expect(activations.sigmoid(0.5), 1 / (1 + np.exp(-0.5)), "sigmoid(0.5)")


@pytest.mark.points(2)
def test_sigmoid_stable_at_the_extremes(activations):
    """sigmoid at +-1000 and +-1e4: at its limits, finite and without RuntimeWarning"""
    z = np.array([-1e4, -1000.0, -745.0, -50.0, 50.0, 745.0, 1000.0, 1e4])
    expected = np.array([0.0, 0.0, 0.0, 1.9287498479639178e-22, 1.0, 1.0, 1.0, 1.0])
    expect(no_warnings(activations.sigmoid, z), expected, f"sigmoid({show(z)})", atol=1e-12)


@pytest.mark.points(1)
@pytest.mark.parametrize("z", INPUTS, ids=[str(s) for s in SHAPES])
def test_relu_matches_reference(activations, reference, z):
    """relu on random arrays of several shapes"""
    expect(activations.relu(z), reference.activations.relu(z), f"relu({show(z)})")


@pytest.mark.points(1)
@pytest.mark.parametrize("z", INPUTS, ids=[str(s) for s in SHAPES])
def test_sigmoid_derivative_matches_reference(activations, reference, z):
    """sigmoid_derivative on random arrays of several shapes"""
    expect(activations.sigmoid_derivative(z), reference.activations.sigmoid_derivative(z),
           f"sigmoid_derivative({show(z)})", rtol=1e-9)


@pytest.mark.points(1)
def test_sigmoid_derivative_at_zero_and_extremes(activations):
    """sigmoid_derivative is 0.25 at 0 and vanishes, warning-free, at +-1000"""
    z = np.array([-1000.0, 0.0, 1000.0])
    expect(no_warnings(activations.sigmoid_derivative, z), np.array([0.0, 0.25, 0.0]),
           f"sigmoid_derivative({show(z)})", atol=1e-12)


@pytest.mark.points(1)
@pytest.mark.parametrize("z", INPUTS, ids=[str(s) for s in SHAPES])
def test_relu_derivative_matches_reference(activations, reference, z):
    """relu_derivative on random arrays of several shapes"""
    expect(activations.relu_derivative(z), reference.activations.relu_derivative(z),
           f"relu_derivative({show(z)})")


@pytest.mark.points(1)
def test_relu_derivative_at_zero_is_zero(activations):
    """relu_derivative(0) is 0"""
    z = np.array([0.0, -0.0, 1e-12])
    expect(activations.relu_derivative(z), np.array([0.0, 0.0, 1.0]), f"relu_derivative({show(z)})")


@pytest.mark.points(1)
@pytest.mark.parametrize("shape", [(5,), (4, 3), (1, 6)], ids=str)
def test_softmax_matches_reference(activations, reference, shape):
    """softmax of random 1-D and 2-D scores"""
    z = np.random.default_rng(7).normal(scale=3.0, size=shape)
    expect(activations.softmax(z), reference.activations.softmax(z), f"softmax({show(z)})", rtol=1e-9)


@pytest.mark.points(2)
def test_softmax_along_the_last_axis(activations):
    """softmax of a 2-D array normalises each row, not columns or the whole array"""
    z = np.array([[1.0, 2.0, 3.0], [10.0, 10.0, 10.0], [0.0, -1.0, 5.0]])
    e = np.exp(z - z.max(axis=1, keepdims=True))
    expect(activations.softmax(z), e / e.sum(axis=1, keepdims=True), f"softmax({show(z)})")


@pytest.mark.points(2)
def test_softmax_stable_for_large_scores(activations):
    """softmax of large equal and unequal scores, warning-free"""
    z = np.array([[1000.0, 1000.0], [1000.0, 0.0], [-1000.0, -1000.0]])
    expected = np.array([[0.5, 0.5], [1.0, 0.0], [0.5, 0.5]])
    expect(no_warnings(activations.softmax, z), expected, f"softmax({show(z)})", atol=1e-12)


@pytest.mark.points(1)
@pytest.mark.parametrize("name", FUNCTIONS)
def test_integer_input(activations, reference, name):
    """an int array gives the same values as the same numbers as floats"""
    expect(getattr(activations, name)(INTEGERS), getattr(reference.activations, name)(INTEGERS),
           f"{name}({show(INTEGERS)}) of an int array", rtol=1e-9)


@pytest.mark.points(1)
@pytest.mark.parametrize("name", FUNCTIONS)
def test_returns_floats(activations, reference, name):
    """returns floats (not bools or ints), also for an int array"""
    for z in (INTEGERS, INPUTS[1]):
        call = f"{name}({show(z)})" + (" of an int array" if z.dtype.kind == "i" else "")
        expect_floats_matching(getattr(activations, name)(z), getattr(reference.activations, name)(z), call)
