"""Public tests for gradient_descent.py. Run them with: pytest assignments/test_gradient_descent.py"""
import math

import numpy as np
import pytest
from harness import expect, expect_tuple, numerical_gradient, show

pytestmark = pytest.mark.points(1)

RNG = np.random.default_rng(2024)
X = RNG.normal(size=(10, 3))
Y = (X @ np.array([1.5, -2.0, 0.5]) + 0.3 > 0).astype(float)


def loss(X, y, w, b):
    """The mean cross-entropy, computed here: the tests check your functions against it."""
    p = np.clip(1 / (1 + np.exp(-(X @ w + b))), 1e-12, 1 - 1e-12)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def descend(X, y, learning_rate, epochs):
    """Full-batch gradient descent, computed here: (w, b, losses)."""
    w, b, losses = np.zeros(X.shape[1]), 0.0, []
    for _ in range(epochs):
        error = 1 / (1 + np.exp(-(X @ w + b))) - y
        w, b = w - learning_rate * X.T @ error / len(X), b - learning_rate * np.mean(error)
        losses.append(loss(X, y, w, b))
    return w, b, losses


def test_predict_proba(gradient_descent):
    x, w = np.array([[0.0], [1.0]]), np.array([2.0])
    expect(gradient_descent.predict_proba(x, w, -1.0),
           np.array([1 / (1 + math.exp(1.0)), 1 / (1 + math.exp(-1.0))]),
           f"predict_proba({show(x)}, {show(w)}, -1.0)")


def test_loss_at_zero_weights_is_log_2(gradient_descent):
    expect(gradient_descent.cross_entropy_loss(X, Y, np.zeros(3), 0.0), math.log(2),
           "cross_entropy_loss(X, y, zeros(3), 0.0): every p is 0.5")


def test_loss_stays_finite_for_confident_wrong_predictions(gradient_descent):
    x, y, w = np.array([[1.0]]), np.array([0.0]), np.array([1000.0])
    expect(gradient_descent.cross_entropy_loss(x, y, w, 0.0), -math.log(1e-12),
           f"cross_entropy_loss({show(x)}, {show(y)}, {show(w)}, 0.0): p is clipped to 1 - 1e-12",
           rtol=1e-4)


def test_gradient_matches_a_numerical_gradient(gradient_descent):
    w, b = np.array([0.3, -0.2, 0.1]), 0.05
    numerical = numerical_gradient(lambda p: loss(X, Y, p["w"], p["b"][0]),
                                   {"w": w, "b": np.array([b])})
    call = f"gradient(X, y, {show(w)}, {b})"
    dw, db = expect_tuple(gradient_descent.gradient(X, Y, w, b), 2, call)
    expect(dw, numerical["w"], call + ", dw against (L(w+eps) - L(w-eps)) / 2eps", rtol=1e-4, atol=1e-7)
    expect(db, numerical["b"][0], call + ", db against (L(b+eps) - L(b-eps)) / 2eps", rtol=1e-4, atol=1e-7)


def test_batch_gradient_descent_lowers_the_loss(gradient_descent):
    call = "batch_gradient_descent(X, y, learning_rate=0.5, epochs=50)"
    w, b, losses = expect_tuple(gradient_descent.batch_gradient_descent(X, Y, 0.5, 50), 3, call)
    assert len(losses) == 50, f"{call}: expected 50 losses, one per epoch, got {len(losses)}"
    assert losses[-1] < losses[0] < math.log(2), f"{call}: the loss should fall, got {losses[0]} ... {losses[-1]}"
    expect(losses[-1], loss(X, Y, w, b), call + ": the last loss against the loss of the returned w, b")
    assert losses[-1] < 0.5, f"{call}: the loss should fall below 0.5, ended at {losses[-1]}"


def test_minibatch_with_one_batch_is_batch_gradient_descent(gradient_descent):
    # A batch holding every row gives the same gradient whatever the order.
    full = descend(X, Y, 0.5, 20)
    mini = gradient_descent.minibatch_gradient_descent(X, Y, 0.5, 20, batch_size=len(X), seed=3)
    call = "minibatch_gradient_descent(X, y, 0.5, 20, batch_size=10, seed=3): one batch of all rows, so batch descent"
    mini = expect_tuple(mini, 3, call)
    expect(mini[0], full[0], call + ", w")
    expect(mini[1], full[1], call + ", b")
    expect(np.asarray(mini[2]), np.asarray(full[2]), call + ", losses")


def test_stochastic_on_one_row_is_batch_gradient_descent(gradient_descent):
    x, y = X[:1], Y[:1]
    full = descend(x, y, 0.5, 5)
    sgd = gradient_descent.stochastic_gradient_descent(x, y, 0.5, 5, seed=1)
    call = f"stochastic_gradient_descent({show(x)}, {show(y)}, 0.5, 5, seed=1): one row, so batch descent"
    sgd = expect_tuple(sgd, 3, call)
    expect(sgd[0], full[0], call + ", w")
    expect(sgd[1], full[1], call + ", b")
    expect(np.asarray(sgd[2]), np.asarray(full[2]), call + ", losses")


def test_stochastic_gradient_descent_lowers_the_loss(gradient_descent):
    call = "stochastic_gradient_descent(X, y, learning_rate=0.1, epochs=20, seed=0)"
    w, b, losses = expect_tuple(gradient_descent.stochastic_gradient_descent(X, Y, 0.1, 20, seed=0), 3, call)
    assert len(losses) == 20, f"{call}: expected 20 losses, one per epoch, got {len(losses)}"
    assert losses[-1] < math.log(2), f"{call}: the loss should fall below log(2), ended at {losses[-1]}"
    expect(losses[-1], loss(X, Y, w, b), call + ": the last loss against the loss of the returned w, b")
