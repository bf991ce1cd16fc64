import math

import numpy as np


def step(z):
    return np.vectorize(lambda v: 1.0 if v >= 0 else 0.0, otypes=[float])(z)


def sigmoid(z):
    return np.vectorize(lambda v: 1 / (1 + math.exp(-v)) if v >= 0 else math.exp(v) / (1 + math.exp(v)),
                        otypes=[float])(z)


def relu(z):
    return np.vectorize(lambda v: max(v, 0.0), otypes=[float])(z)


def sigmoid_derivative(z):
    s = sigmoid(z)
    return s - s ** 2


def relu_derivative(z):
    return np.vectorize(lambda v: 1.0 if v > 0 else 0.0, otypes=[float])(z)


def softmax(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - np.amax(z, axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)
