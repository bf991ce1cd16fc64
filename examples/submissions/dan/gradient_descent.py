import numpy as np

from activations import sigmoid


def predict_proba(X, w, b):
    return sigmoid(X @ w + b)


def cross_entropy_loss(X, y, w, b):
    p = np.clip(predict_proba(X, w, b), 1e-12, 1 - 1e-12)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


# Trying it out: train until the loss is small enough.
X = np.array([[0.0], [1.0]])
y = np.array([0.0, 1.0])
w, b = np.zeros(1), 0.0
while cross_entropy_loss(X, y, w, b) > 0.0:
    p = predict_proba(X, w, b)
    w = w - 0.1 * X.T @ (p - y)
