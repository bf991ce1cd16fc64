"""Public tests for multiclass.py. Run them with: pytest assignments/test_multiclass.py

Every expected value is worked out here, in the test, with plain numpy.
"""
import math
import warnings

import numpy as np
import pytest
from harness import expect, expect_tuple, numerical_gradient, show

pytestmark = pytest.mark.points(1)

# Three clouds of points, one per class: 30 rows, 2 features.
RNG = np.random.default_rng(11)
LABELS = np.arange(30) % 3
X = np.array([[0.0, 1.0], [1.0, -1.0], [-1.0, -0.5]])[LABELS] + 0.4 * RNG.normal(size=(30, 2))
W = np.array([[0.5, -1.0, 0.25], [1.0, 0.5, -0.75]])
B = np.array([0.1, -0.2, 0.3])


def softmax_rows(scores):
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def loss(X, labels, W, b):
    p = softmax_rows(X @ W + b)[np.arange(len(labels)), labels]
    return -np.mean(np.log(np.clip(p, 1e-12, 1.0)))


def test_one_hot(multiclass):
    labels = np.array([2, 0, 1, 2])
    expect(multiclass.one_hot(labels, 3),
           np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]),
           f"one_hot({show(labels)}, 3)")


def test_one_hot_returns_floats(multiclass):
    labels = np.array([1, 0])
    got = multiclass.one_hot(labels, 2)
    expect(got, np.array([[0.0, 1.0], [1.0, 0.0]]), f"one_hot({show(labels)}, 2)")
    assert got.dtype.kind == "f", f"one_hot({show(labels)}, 2): expected floats, got dtype {got.dtype}"


def test_output_scores_of_integer_inputs(multiclass):
    x = np.array([[1, 2], [0, -1], [3, 0]])
    want = np.array([[2.6, -0.2, -0.95], [-0.9, -0.7, 1.05], [1.6, -3.2, 1.05]])
    expect(multiclass.output_scores(x, W, B), want, f"output_scores({show(x)}, {show(W)}, {show(B)})")


def test_predict_proba_is_the_softmax_of_the_scores(multiclass):
    expect(multiclass.predict_proba(X, W, B), softmax_rows(X @ W + B), f"predict_proba(X, {show(W)}, {show(B)})")


def test_predict_proba_of_huge_scores(multiclass):
    x, w, b = np.array([[1.0]]), np.array([[1e4, 1e4]]), np.array([0.0, math.log(3.0)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = multiclass.predict_proba(x, w, b)
    expect(got, np.array([[0.25, 0.75]]), f"predict_proba({show(x)}, {show(w)}, {show(b)}): scores of 1e4")


def test_loss_at_zero_weights_is_log_of_the_number_of_classes(multiclass):
    expect(multiclass.cross_entropy_loss(X, LABELS, np.zeros((2, 4)), np.zeros(4)), math.log(4),
           "cross_entropy_loss(X, labels, zeros((2, 4)), zeros(4)): every class gets 1/4")


def test_loss(multiclass):
    expect(multiclass.cross_entropy_loss(X, LABELS, W, B), loss(X, LABELS, W, B),
           f"cross_entropy_loss(X, labels, {show(W)}, {show(B)})")


def test_loss_stays_finite_for_confident_wrong_predictions(multiclass):
    x, labels, w, b = np.array([[1.0]]), np.array([0]), np.array([[-1000.0, 1000.0]]), np.zeros(2)
    expect(multiclass.cross_entropy_loss(x, labels, w, b), -math.log(1e-12),
           f"cross_entropy_loss({show(x)}, {show(labels)}, {show(w)}, {show(b)}): P[0, 0] is clipped to 1e-12",
           rtol=1e-4)


def test_gradient_matches_a_numerical_gradient(multiclass):
    numerical = numerical_gradient(lambda p: loss(X, LABELS, p["W"], p["b"]), {"W": W, "b": B})
    call = f"gradient(X, labels, {show(W)}, {show(B)})"
    dW, db = expect_tuple(multiclass.gradient(X, LABELS, W, B), 2, call)
    expect(dW, numerical["W"], call + ", dW against (L(W+eps) - L(W-eps)) / 2eps", rtol=1e-4, atol=1e-7)
    expect(db, numerical["b"], call + ", db against (L(b+eps) - L(b-eps)) / 2eps", rtol=1e-4, atol=1e-7)


def test_train_one_epoch(multiclass):
    # From W = 0 every class has probability 1/3, so the first step is -0.5 * X^T (1/3 - Y) / n.
    Y = np.eye(3)[LABELS]
    want_W, want_b = -0.5 * X.T @ (1 / 3 - Y) / len(X), -0.5 * np.mean(1 / 3 - Y, axis=0)
    call = "train(X, labels, 3, learning_rate=0.5, epochs=1)"
    W1, b1, losses = expect_tuple(multiclass.train(X, LABELS, 3, learning_rate=0.5, epochs=1), 3, call)
    expect(W1, want_W, call + ", W")
    expect(b1, want_b, call + ", b")
    expect(np.asarray(losses, dtype=float), np.array([loss(X, LABELS, want_W, want_b)]), call + ", losses")


def test_train_learns_the_three_clouds(multiclass):
    call = "train(X, labels, 3, learning_rate=0.5, epochs=100)"
    W1, b1, losses = expect_tuple(multiclass.train(X, LABELS, 3, learning_rate=0.5, epochs=100), 3, call)
    assert len(losses) == 100, f"{call}: expected 100 losses, one per epoch, got {len(losses)}"
    expect(losses[-1], loss(X, LABELS, W1, b1), call + ": the last loss, against the returned W and b")
    assert losses[-1] < 0.5 * math.log(3), f"{call}: the loss should fall well below log(3), ended at {losses[-1]}"
    accuracy = np.mean(np.argmax(X @ W1 + b1, axis=1) == LABELS)
    assert accuracy >= 0.9, f"{call}: the learned W and b classify {accuracy:.0%} of the rows right, expected 90%"


def test_predict_takes_the_highest_score_and_the_lowest_index_on_a_tie(multiclass):
    x, w, b = np.array([[1.0], [-1.0], [0.0]]), np.array([[1.0, 3.0, 3.0, -1.0]]), np.array([0.0, 0.0, 0.0, 0.5])
    expect(multiclass.predict(x, w, b), np.array([1, 3, 3]), f"predict({show(x)}, {show(w)}, {show(b)})")


def test_predict_returns_ints(multiclass):
    got = multiclass.predict(X, W, B)
    expect(got, np.argmax(X @ W + B, axis=1), f"predict(X, {show(W)}, {show(B)})")
    assert got.dtype.kind in "iu", f"predict(X, W, b): expected ints (class indices), got dtype {got.dtype}"


def test_train_one_vs_rest_trains_one_sigmoid_unit_per_class(multiclass):
    W1, b1 = expect_tuple(multiclass.train_one_vs_rest(X, LABELS, 3, learning_rate=0.5, epochs=20), 2,
                          "train_one_vs_rest(X, labels, 3, learning_rate=0.5, epochs=20)")
    for k in range(3):
        y = (LABELS == k).astype(float)
        w, b = np.zeros(2), 0.0
        for _ in range(20):
            error = 1 / (1 + np.exp(-(X @ w + b))) - y
            w, b = w - 0.5 * X.T @ error / len(X), b - 0.5 * np.mean(error)
        call = (f"train_one_vs_rest(X, labels, 3, learning_rate=0.5, epochs=20), unit {k}: your "
                f"gradient_descent.batch_gradient_descent(X, labels == {k}, 0.5, 20), which it builds on")
        expect(np.asarray(W1)[:, k], w, call + ", column W[:, k]")
        expect(np.asarray(b1)[k], b, call + ", entry b[k]")


def test_predict_one_vs_rest(multiclass):
    x, w, b = np.array([[1.0], [-1.0], [0.0]]), np.array([[2.0, -1.0, 0.5]]), np.array([0.0, 0.5, 0.2])
    got = multiclass.predict_one_vs_rest(x, w, b)
    expect(got, np.array([0, 1, 1]), f"predict_one_vs_rest({show(x)}, {show(w)}, {show(b)})")
    assert got.dtype.kind in "iu", f"predict_one_vs_rest: expected ints (class indices), got dtype {got.dtype}"
