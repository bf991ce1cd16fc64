import numpy as np


def step(z):
    # step is 1 when z is positive
    return np.where(np.asarray(z) > 0, 1.0, 0.0)


def sigmoid(z):
    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))


def relu(z):
    return np.maximum(0.0, np.asarray(z, dtype=float))


def sigmoid_derivative(z):
    return z * (1 - z)


def relu_derivative(z):
    return np.where(np.asarray(z) > 0, 1.0, 0.0)


def softmax(z):
    exps = np.exp(np.asarray(z, dtype=float))
    return exps / np.sum(exps, axis=-1, keepdims=True)
