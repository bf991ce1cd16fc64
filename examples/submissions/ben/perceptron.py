import numpy as np

from activations import step


def weighted_sum(x, weights, bias):
    return np.asarray(x) @ np.asarray(weights) + bias


def perceptron_output(x, weights, bias):
    return step(weighted_sum(x, weights, bias))


OR_WEIGHTS, OR_BIAS = np.array([1, 1]), 0
AND_WEIGHTS, AND_BIAS = np.array([1, 1]), -1


def train_perceptron(X, y, learning_rate=1.0, epochs=10):
    weights = np.zeros(len(X[0]))
    bias = 0.0
    for _ in range(epochs):
        for xi, yi in zip(X, y):
            update = learning_rate * (yi - perceptron_output(xi, weights, bias))
            weights = weights + update * np.asarray(xi, dtype=float)
            bias = bias + update
    return weights, bias


def train_until_converged(X, y, learning_rate=1.0, max_epochs=100):
    weights = np.zeros(len(X[0]))
    bias = 0.0
    for epoch in range(max_epochs):
        for xi, yi in zip(X, y):
            update = learning_rate * (yi - perceptron_output(xi, weights, bias))
            weights = weights + update * np.asarray(xi, dtype=float)
            bias = bias + update
        if list(perceptron_output(X, weights, bias)) == list(y):
            return weights, bias, epoch
    return weights, bias, None
