import numpy as np

from activations import sigmoid


def predict_proba(X, w, b):
    return sigmoid(X @ w + b)


def cross_entropy_loss(X, y, w, b):
    p = np.clip(predict_proba(X, w, b), 1e-12, 1 - 1e-12)
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def gradient(X, y, w, b):
    error = predict_proba(X, w, b) - y
    return X.T @ error, np.sum(error)


def batch_gradient_descent(X, y, learning_rate=0.1, epochs=100):
    w, b, losses = np.zeros(X.shape[1]), 0.0, []
    for _ in range(epochs):
        dw, db = gradient(X, y, w, b)
        w, b = w - learning_rate * dw, b - learning_rate * db
        losses.append(cross_entropy_loss(X, y, w, b))
    return w, b, losses


def stochastic_gradient_descent(X, y, learning_rate=0.1, epochs=100, seed=0):
    raise NotImplementedError("stochastic_gradient_descent: replace this line with your code (see the docstring above)")


def minibatch_gradient_descent(X, y, learning_rate=0.1, epochs=100, batch_size=32, seed=0):
    raise NotImplementedError("minibatch_gradient_descent: replace this line with your code (see the docstring above)")
