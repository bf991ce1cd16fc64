import numpy as np

from activations import step


def weighted_sum(x, weights, bias):
    return np.dot(x, weights) + bias


def perceptron_output(x, weights, bias):
    return step(weighted_sum(x, weights, bias))


OR_WEIGHTS = np.array([1.0, 1.0])
OR_BIAS = -0.5
AND_WEIGHTS = np.array([1.0, 1.0])
AND_BIAS = -1.5


def train_perceptron(X, y, learning_rate=1.0, epochs=10):
    X = np.array(X, dtype=float)
    w = np.zeros(X.shape[1])
    b = 0.0
    for epoch in range(epochs):
        for i in range(len(X)):
            prediction = perceptron_output(X[i], w, b)
            w = w + learning_rate * (y[i] - prediction) * X[i]
            b = b + learning_rate * (y[i] - prediction)
    return w, float(b)


def train_until_converged(X, y, learning_rate=1.0, max_epochs=100):
    X = np.array(X, dtype=float)
    y = np.array(y, dtype=float)
    w = np.zeros(X.shape[1])
    b = 0.0
    for epoch in range(1, max_epochs + 1):
        for i in range(len(X)):
            prediction = perceptron_output(X[i], w, b)
            w = w + learning_rate * (y[i] - prediction) * X[i]
            b = b + learning_rate * (y[i] - prediction)
        if np.all(perceptron_output(X, w, b) == y):
            return w, float(b), epoch
    return w, float(b), None
