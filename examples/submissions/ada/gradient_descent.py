import numpy as np

from activations import sigmoid


def predict_proba(X, w, b):
    return sigmoid(np.dot(X, w) + b)


def cross_entropy_loss(X, y, w, b):
    p = np.clip(predict_proba(X, w, b), 1e-12, 1 - 1e-12)
    return float(np.mean(-y * np.log(p) - (1 - y) * np.log(1 - p)))


def gradient(X, y, w, b):
    n = X.shape[0]
    diff = predict_proba(X, w, b) - y
    return np.dot(X.T, diff) / n, float(diff.sum() / n)


def _descend(X, y, learning_rate, epochs, batches):
    w, b = np.zeros(X.shape[1]), 0.0
    losses = []
    for epoch in range(epochs):
        for rows in batches():
            dw, db = gradient(X[rows], y[rows], w, b)
            w -= learning_rate * dw
            b -= learning_rate * db
        losses.append(cross_entropy_loss(X, y, w, b))
    return w, b, losses


def batch_gradient_descent(X, y, learning_rate=0.1, epochs=100):
    return _descend(X, y, learning_rate, epochs, lambda: [np.arange(len(X))])


def stochastic_gradient_descent(X, y, learning_rate=0.1, epochs=100, seed=0):
    rng = np.random.default_rng(seed)
    return _descend(X, y, learning_rate, epochs, lambda: [[i] for i in rng.permutation(len(X))])


def minibatch_gradient_descent(X, y, learning_rate=0.1, epochs=100, batch_size=32, seed=0):
    rng = np.random.default_rng(seed)

    def batches():
        order = rng.permutation(len(X))
        return [order[i:i + batch_size] for i in range(0, len(order), batch_size)]
    return _descend(X, y, learning_rate, epochs, batches)
