"""Public tests for activations.py. Run them with: pytest assignments/test_activations.py"""
import math
import warnings

import numpy as np
import pytest
from harness import expect, show

pytestmark = pytest.mark.points(1)


def test_step_is_one_from_zero_upwards(activations):
    z = np.array([-2.0, -1e-9, 0.0, 1e-9, 3.0])
    expect(activations.step(z), np.array([0.0, 0.0, 1.0, 1.0, 1.0]), f"step({show(z)})")


def test_step_keeps_the_shape(activations):
    z = np.array([[-1.0, 2.0, 0.0], [5.0, -3.0, -0.5]])
    expect(activations.step(z), np.array([[0.0, 1.0, 1.0], [1.0, 0.0, 0.0]]), f"step({show(z)})")


def test_sigmoid_values(activations):
    z = np.array([-2.0, 0.0, 0.5, 3.0])
    expected = np.array([1 / (1 + math.exp(-v)) for v in z])
    expect(activations.sigmoid(z), expected, f"sigmoid({show(z)})")


def test_sigmoid_is_stable_for_large_inputs(activations):
    z = np.array([-1000.0, 1000.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = activations.sigmoid(z)
    expect(got, np.array([0.0, 1.0]), f"sigmoid({show(z)})", atol=1e-12)


def test_relu(activations):
    z = np.array([-2.0, 0.0, 0.5, 3.0])
    expect(activations.relu(z), np.array([0.0, 0.0, 0.5, 3.0]), f"relu({show(z)})")


def test_sigmoid_derivative_is_g_times_one_minus_g(activations):
    z = np.array([-3.0, 0.0, 2.0])
    g = 1 / (1 + np.exp(-z))
    expect(activations.sigmoid_derivative(z), g * (1 - g), f"sigmoid_derivative({show(z)})")


def test_relu_derivative(activations):
    z = np.array([-2.0, 0.0, 0.5, 3.0])
    expect(activations.relu_derivative(z), np.array([0.0, 0.0, 1.0, 1.0]),
           f"relu_derivative({show(z)})")


def test_softmax_rows_are_probabilities(activations):
    z = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    e = np.exp(z)
    expect(activations.softmax(z), e / e.sum(axis=1, keepdims=True), f"softmax({show(z)})")


def test_softmax_is_stable_for_large_scores(activations):
    z = np.array([1000.0, 1000.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = activations.softmax(z)
    expect(got, np.array([0.5, 0.5]), f"softmax({show(z)})")
