"""The perceptron: one unit with a step activation.

    h(x) = step(w0 + w1*x1 + w2*x2 + ... )

The bias w0 (here: `bias`) shifts the threshold; the weights w1, w2, ...
(here: `weights`) say how much each input counts. With the right weights a
single perceptron computes OR and AND; it learns them with the perceptron
learning rule. No weights make it compute XOR: XOR is not linearly separable.
"""
import numpy as np

from activations import step


def weighted_sum(x, weights, bias):
    """The unit's input: z = bias + w1*x1 + w2*x2 + ... = bias + x @ weights.

    x: (n_features,) for one sample, giving a number, or
       (n_samples, n_features) for a batch, giving an array (n_samples,).
    weights: (n_features,). bias: number.

    Example: weighted_sum(np.array([1.0, 0.0]), np.array([1.0, 1.0]), -1.0) -> 0.0
    """
    raise NotImplementedError("weighted_sum: replace this line with your code (see the docstring above)")


def perceptron_output(x, weights, bias):
    """The perceptron's output: h(x) = step(weighted_sum(x, weights, bias)).

    Same shapes as weighted_sum: one sample gives one 0/1 value, a batch
    (n_samples, n_features) gives an array (n_samples,) of 0.0 and 1.0.

    Example (OR, weights (1, 1), bias -1):
        perceptron_output(np.array([[0, 0], [0, 1], [1, 0], [1, 1]]), np.array([1, 1]), -1)
        -> array([0., 1., 1., 1.])
    """
    raise NotImplementedError("perceptron_output: replace this line with your code (see the docstring above)")


# Weights and biases with which perceptron_output computes OR and AND on
# inputs x1, x2 in {0, 1}. The lecture's choice works; so does any other that
# puts the threshold line between the right corners of the unit square.
OR_WEIGHTS = None  # TODO: set OR_WEIGHTS
OR_BIAS = None  # TODO: set OR_BIAS
AND_WEIGHTS = None  # TODO: set AND_WEIGHTS
AND_BIAS = None  # TODO: set AND_BIAS


def train_perceptron(X, y, learning_rate=1.0, epochs=10):
    """Learn weights and bias with the perceptron learning rule.

    Start from w = 0 (n_features zeros) and b = 0. In every epoch visit the
    samples in order i = 0, 1, ..., n-1 and for each one:

        y_hat = perceptron_output(X[i], w, b)
        w     = w + learning_rate * (y[i] - y_hat) * X[i]
        b     = b + learning_rate * (y[i] - y_hat)

    A correctly classified sample (y_hat == y[i]) changes nothing.

    X: (n_samples, n_features). y: (n_samples,) of 0/1 targets.
    Returns (weights, bias): weights a float array (n_features,), bias a float.

    Example: on the OR table (rows (0,0), (0,1), (1,0), (1,1), targets 0, 1, 1, 1)
    the first sample gives y_hat = step(0) = 1 against target 0, so after it
    w = (0, 0) and b = -1. Three epochs end at w = (1, 1), b = -1: the lecture's OR.
    """
    raise NotImplementedError("train_perceptron: replace this line with your code (see the docstring above)")


def train_until_converged(X, y, learning_rate=1.0, max_epochs=100):
    """The perceptron learning rule, run until every sample is classified correctly.

    The same rule, start (w = 0, b = 0) and sample order as train_perceptron.
    After each full epoch check the whole table: if
    perceptron_output(X, w, b) equals y on every row, stop.

    X: (n_samples, n_features). y: (n_samples,) of 0/1 targets.
    Returns (weights, bias, epochs): weights (n_features,) floats, bias a
    float and epochs the number of epochs run, an int of at least 1. If no
    epoch up to max_epochs ends with every row right, return the weights and
    bias after max_epochs and epochs = None.

    The rule converges whenever some straight line (in more dimensions: some
    plane) has all the ones on one side and all the zeros on the other: the
    classes are linearly separable. OR and AND are; XOR is not: no straight
    line separates its ones (0,1), (1,0) from its zeros (0,0), (1,1), so the
    weights go round in circles and XOR gives epochs = None.

    Example: on the OR table with learning_rate 1.0, epoch 1 ends at w = (0, 1),
    b = 0 and epoch 2 at w = (1, 1), b = 0: both still fire on (0, 0), as
    step(0) = 1. Epoch 3 ends at w = (1, 1), b = -1, right on all four rows,
    so the result is (array([1., 1.]), -1.0, 3).
    """
    raise NotImplementedError("train_until_converged: replace this line with your code (see the docstring above)")
