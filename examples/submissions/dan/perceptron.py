import numpy as np

from activations import step


def weighted_sum(x, weights, bias)
    return np.dot(x, weights) + bias
