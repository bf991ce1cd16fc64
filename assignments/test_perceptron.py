"""Public tests for perceptron.py. Run them with: pytest assignments/test_perceptron.py"""
import numpy as np
import pytest
from harness import expect, expect_tuple, show

pytestmark = pytest.mark.points(1)

X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
OR = np.array([0.0, 1.0, 1.0, 1.0])
AND = np.array([0.0, 0.0, 0.0, 1.0])


def labels(X, weights, bias):
    """The perceptron's outputs, computed here: the tests check your functions against them."""
    return np.where(X @ np.asarray(weights, dtype=float) + bias >= 0, 1.0, 0.0)


def test_weighted_sum_of_one_sample(perceptron):
    x, w = np.array([2.0, -1.0, 0.5]), np.array([0.5, 1.0, -2.0])
    expect(perceptron.weighted_sum(x, w, 0.25), 0.25 + 1.0 - 1.0 - 1.0,
           f"weighted_sum({show(x)}, {show(w)}, 0.25)")


def test_weighted_sum_of_a_batch(perceptron):
    w = np.array([1.0, 2.0])
    expect(perceptron.weighted_sum(X, w, -1.0), np.array([-1.0, 1.0, 0.0, 2.0]),
           f"weighted_sum({show(X)}, {show(w)}, -1.0)")


def test_perceptron_output_computes_or_with_the_lectures_weights(perceptron):
    w = np.array([1.0, 1.0])
    expect(perceptron.perceptron_output(X, w, -1.0), OR, f"perceptron_output({show(X)}, {show(w)}, -1.0)")


def check_gate(perceptron, gate, table):
    w, b = getattr(perceptron, f"{gate}_WEIGHTS"), getattr(perceptron, f"{gate}_BIAS")
    setting = f"with {gate}_WEIGHTS = {show(w)}, {gate}_BIAS = {show(b)}"
    expect(perceptron.perceptron_output(X, w, b), table,
           f"perceptron_output({show(X)}, {gate}_WEIGHTS, {gate}_BIAS) {setting}")
    expect(labels(X, w, b), table, f"step({show(X)} @ {gate}_WEIGHTS + {gate}_BIAS) {setting}")


def test_or_constants(perceptron):
    check_gate(perceptron, "OR", OR)


def test_and_constants(perceptron):
    check_gate(perceptron, "AND", AND)


def test_train_perceptron_one_epoch_on_or(perceptron):
    # Worked by hand: X[0] is misclassified (step(0) = 1), then X[1] (step(-1) = 0).
    call = f"train_perceptron({show(X)}, {show(OR)}, learning_rate=1.0, epochs=1)"
    weights, bias = expect_tuple(perceptron.train_perceptron(X, OR, learning_rate=1.0, epochs=1), 2, call)
    expect(weights, np.array([0.0, 1.0]), call + ", weights")
    expect(bias, 0.0, call + ", bias")


def test_train_perceptron_learns_and(perceptron):
    call = f"train_perceptron({show(X)}, {show(AND)}, epochs=10)"
    weights, bias = expect_tuple(perceptron.train_perceptron(X, AND, epochs=10), 2, call)
    expect(labels(X, weights, bias), AND,
           f"step(X @ weights + bias) with the learned weights {show(weights)}, bias {show(bias)}, "
           f"after {call}")


XOR = np.array([0.0, 1.0, 1.0, 0.0])


def check_until_converged(perceptron, y, want_weights, want_bias, want_epochs):
    call = f"train_until_converged(X, {show(y)})"
    weights, bias, epochs = expect_tuple(perceptron.train_until_converged(X, y), 3, call)
    expect(weights, want_weights, call + ", weights")
    expect(bias, want_bias, call + ", bias")
    if want_epochs is None:
        right = epochs is None
    else:
        right = isinstance(epochs, (int, np.integer)) and not isinstance(epochs, bool) and epochs == want_epochs
    assert right, f"{call}: expected epochs = {want_epochs!r} (an int, or None), got {show(epochs)}"
    return weights, bias


def test_train_until_converged_on_or(perceptron):
    # Worked in the docstring: epochs 1 and 2 still fire on (0, 0); epoch 3 ends at the lecture's OR.
    check_until_converged(perceptron, OR, np.array([1.0, 1.0]), -1.0, 3)


def test_train_until_converged_on_and(perceptron):
    weights, bias = check_until_converged(perceptron, AND, np.array([2.0, 1.0]), -3.0, 5)
    expect(np.where(X @ weights + bias >= 0, 1.0, 0.0), AND, "step(X @ weights + bias) with the learned weights")


def test_train_until_converged_gives_up_on_xor(perceptron):
    # From epoch 2 on, every epoch ends at w = (-1, 0), b = 0, which gets (0, 0) and (0, 1) wrong.
    weights, bias = check_until_converged(perceptron, XOR, np.array([-1.0, 0.0]), 0.0, None)
    assert (np.where(X @ weights + bias >= 0, 1.0, 0.0) != XOR).any(), "no line separates XOR's classes"
