"""Activation functions: what a unit does with its weighted input.

A unit computes a weighted sum of its inputs, z = w0 + w1*x1 + w2*x2 + ..., and
passes it through an activation function g to produce its output h = g(z).
Every function here works elementwise on a number or on a numpy array of any
shape and returns floats of the same shape (softmax works along the last axis).
"""
import numpy as np


def step(z):
    """Threshold (Heaviside) activation: g(z) = 1 if z >= 0 else 0.

    The perceptron's activation. Note that z == 0 counts as "on".

    z: number or array of any shape. Returns floats of the same shape.

    Example: step(np.array([-2.0, 0.0, 3.0])) -> array([0., 1., 1.])
    """
    raise NotImplementedError("step: replace this line with your code (see the docstring above)")


def sigmoid(z):
    """Logistic activation: g(z) = 1 / (1 + e^-z), a smooth step from 0 to 1.

    Compute it so that large |z| cannot overflow: for z >= 0 use
    1 / (1 + e^-z); for z < 0 use the equal form e^z / (1 + e^z). Then
    sigmoid(-1000) is 0.0 and sigmoid(1000) is 1.0, with no RuntimeWarning.
    Careful: np.where(cond, a, b) computes both a and b for every element, so
    build each form only on its half (a boolean mask), or build both from
    e = e^-|z|, which never overflows.

    z: number or array of any shape. Returns floats of the same shape.

    Example: sigmoid(np.array([-1000.0, 0.0, 2.0])) -> array([0., 0.5, 0.88079708])
    """
    raise NotImplementedError("sigmoid: replace this line with your code (see the docstring above)")


def relu(z):
    """Rectified linear unit: g(z) = max(z, 0).

    z: number or array of any shape. Returns floats of the same shape.

    Example: relu(np.array([-2.0, 0.0, 3.0])) -> array([0., 0., 3.])
    """
    raise NotImplementedError("relu: replace this line with your code (see the docstring above)")


def sigmoid_derivative(z):
    """Slope of the sigmoid: g'(z) = g(z) * (1 - g(z)), with g = sigmoid.

    Backpropagation multiplies by this at every sigmoid unit. It is largest
    at z = 0 (0.25) and vanishes for large |z|.

    z: number or array of any shape (the unit's input, not its output).
    Returns floats of the same shape.

    Example: sigmoid_derivative(np.array([0.0])) -> array([0.25])
    """
    raise NotImplementedError("sigmoid_derivative: replace this line with your code (see the docstring above)")


def relu_derivative(z):
    """Slope of the ReLU: g'(z) = 1 if z > 0 else 0 (we take 0 at z == 0).

    z: number or array of any shape. Returns floats of the same shape.

    Example: relu_derivative(np.array([-2.0, 0.0, 3.0])) -> array([0., 0., 1.])
    """
    raise NotImplementedError("relu_derivative: replace this line with your code (see the docstring above)")


def softmax(z):
    """Turn scores into probabilities along the last axis:

        softmax(z)_k = e^(z_k) / sum_j e^(z_j)

    Subtract the largest score of each row first: the result does not change
    (the factor e^-max cancels) but e^z can no longer overflow, so
    softmax([1000, 1000]) is [0.5, 0.5] instead of nan.

    z: (n_classes,) or (n_samples, n_classes). Returns floats of the same
    shape; each row sums to 1.

    Example: softmax(np.array([0.0, np.log(3.0)])) -> array([0.25, 0.75])
    """
    raise NotImplementedError("softmax: replace this line with your code (see the docstring above)")
