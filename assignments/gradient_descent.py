"""Gradient descent for one sigmoid unit (logistic regression).

The unit predicts p = sigmoid(X @ w + b), the probability that y = 1. How bad
the predictions are is measured by the mean binary cross-entropy

    L(w, b) = -(1/n) * sum_i [ y_i * log(p_i) + (1 - y_i) * log(1 - p_i) ]

and gradient descent walks downhill: w <- w - learning_rate * dL/dw. The three
variants differ only in how many rows each step looks at: all of them (batch),
one (stochastic) or a few (mini-batch).
"""
import numpy as np

from activations import sigmoid

EPSILON = 1e-12  # keeps log() finite when a prediction is exactly 0 or 1


def predict_proba(X, w, b):
    """p = sigmoid(X @ w + b): the unit's output for every row of X.

    X: (n_samples, n_features). w: (n_features,). b: number.
    Returns (n_samples,).

    Example: predict_proba(np.array([[0.0], [1.0]]), np.array([2.0]), -1.0)
             -> array([0.26894142, 0.73105858])
    """
    raise NotImplementedError("predict_proba: replace this line with your code (see the docstring above)")


def cross_entropy_loss(X, y, w, b):
    """Mean binary cross-entropy of the predictions p = predict_proba(X, w, b):

        L = -mean( y * log(p) + (1 - y) * log(1 - p) )

    Clip p to [1e-12, 1 - 1e-12] first so that a confident wrong prediction
    gives a large but finite loss.

    X: (n_samples, n_features). y: (n_samples,) of 0/1. Returns a float.

    Example: with w = 0, b = 0 every p is 0.5, so L = log(2) = 0.6931...
    """
    raise NotImplementedError("cross_entropy_loss: replace this line with your code (see the docstring above)")


def gradient(X, y, w, b):
    """Gradient of the mean loss over the given rows:

        dL/dw = X^T (p - y) / n        dL/db = mean(p - y)

    where p = predict_proba(X, w, b) and n = number of rows. (The sigmoid's
    slope cancels against the cross-entropy's: that is why it is so simple.)

    X: (n_samples, n_features). y: (n_samples,).
    Returns (dw, db): dw of shape (n_features,), db a float.

    Example: X = [[1.0]], y = [1.0], w = [0.0], b = 0.0 -> p = 0.5,
             (dw, db) = (array([-0.5]), -0.5)
    """
    raise NotImplementedError("gradient: replace this line with your code (see the docstring above)")


def batch_gradient_descent(X, y, learning_rate=0.1, epochs=100):
    """Full-batch gradient descent: one step per epoch on all rows.

    Start from w = zeros(n_features), b = 0. Each epoch:

        dw, db = gradient(X, y, w, b)
        w = w - learning_rate * dw
        b = b - learning_rate * db

    then record the loss on all of X (after the step) in `losses`.

    Returns (w, b, losses): w (n_features,), b a float, losses a list of
    `epochs` floats; losses[k] is the loss after epoch k.

    Example: X = [[1.0]], y = [1.0], learning_rate=1.0, epochs=1: the gradient
    at w = [0], b = 0 is ([-0.5], -0.5), so w = [0.5], b = 0.5 and
    losses = [-log(sigmoid(1.0))] = [0.3133...].
    """
    raise NotImplementedError("batch_gradient_descent: replace this line with your code (see the docstring above)")


def stochastic_gradient_descent(X, y, learning_rate=0.1, epochs=100, seed=0):
    """Stochastic gradient descent: one step per row, rows in random order.

    Start from w = zeros(n_features), b = 0 and rng = np.random.default_rng(seed).
    Each epoch:

        order = rng.permutation(n_samples)
        for i in order: step on the single row X[i:i+1], y[i:i+1]

    then record the loss on all of X in `losses`.

    Returns (w, b, losses) as batch_gradient_descent does.

    Example: with seed=0 and 4 rows, the first epoch visits the rows in the
    order np.random.default_rng(0).permutation(4) -> [2, 0, 1, 3].
    """
    raise NotImplementedError("stochastic_gradient_descent: replace this line with your code (see the docstring above)")


def minibatch_gradient_descent(X, y, learning_rate=0.1, epochs=100, batch_size=32, seed=0):
    """Mini-batch gradient descent: one step per chunk of `batch_size` rows.

    Start from w = zeros(n_features), b = 0 and rng = np.random.default_rng(seed).
    Each epoch:

        order = rng.permutation(n_samples)
        cut order into consecutive chunks order[0:batch_size],
            order[batch_size:2*batch_size], ... (the last one may be smaller,
            and it still counts)
        for each chunk: step on X[chunk], y[chunk]

    then record the loss on all of X in `losses`.

    Returns (w, b, losses) as batch_gradient_descent does.

    Example: 10 rows with batch_size 4 make chunks of 4, 4 and 2 rows:
             three steps per epoch.
    """
    raise NotImplementedError("minibatch_gradient_descent: replace this line with your code (see the docstring above)")
