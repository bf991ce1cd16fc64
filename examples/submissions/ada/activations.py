import numpy as np


def step(z):
    z = np.asarray(z, dtype=float)
    out = np.zeros_like(z)
    out[z >= 0] = 1.0
    return out


def sigmoid(z):
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    positive = z >= 0
    out[positive] = 1.0 / (1.0 + np.exp(-z[positive]))
    exp_z = np.exp(z[~positive])
    out[~positive] = exp_z / (1.0 + exp_z)
    return out


def relu(z):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, 0.0)


def sigmoid_derivative(z):
    g = sigmoid(z)
    return g * (1 - g)


def relu_derivative(z):
    return (np.asarray(z) > 0).astype(float)


def softmax(z):
    z = np.asarray(z, dtype=float)
    shifted = z - z.max(axis=-1, keepdims=True)
    exps = np.exp(shifted)
    return exps / exps.sum(axis=-1, keepdims=True)
