"""A network with one hidden layer that learns XOR by backpropagation.

No single unit computes XOR: no line separates {(0,1), (1,0)} from
{(0,0), (1,1)}. A hidden layer of sigmoid units bends the space so that the
output unit can. The network, for X of shape (n_samples, n_inputs):

    hidden = sigmoid(X @ W1 + b1)          (n_samples, n_hidden)
    output = sigmoid(hidden @ W2 + b2)     (n_samples,)

Its loss is the mean binary cross-entropy of `output` against y, and
backpropagation applies the chain rule from the loss back to every weight.
"""
import numpy as np

from activations import sigmoid

EPSILON = 1e-12  # keeps log() finite when an output is exactly 0 or 1


def init_params(n_inputs=2, n_hidden=4, seed=0):
    """Random starting weights, the same ones for the same seed.

    If all hidden units started equal they would get equal gradients and stay
    equal forever (the network could not learn XOR): random weights break
    that symmetry. Use rng = np.random.default_rng(seed) and, for instance,
    standard normal weights; biases may start at zero.

    Returns a dict:
        "W1": (n_inputs, n_hidden)   "b1": (n_hidden,)
        "W2": (n_hidden, 1)          "b2": (1,)

    Example: init_params(2, 3, seed=0)["W1"].shape -> (2, 3), and calling it
    again with seed=0 gives the very same numbers.
    """
    # BEGIN SOLUTION
    rng = np.random.default_rng(seed)
    return {
        "W1": rng.normal(size=(n_inputs, n_hidden)),
        "b1": np.zeros(n_hidden),
        "W2": rng.normal(size=(n_hidden, 1)),
        "b2": np.zeros(1),
    }
    # END SOLUTION


def forward(params, X):
    """Run the network forward.

        hidden = sigmoid(X @ W1 + b1)
        output = sigmoid(hidden @ W2 + b2), flattened to (n_samples,)

    X: (n_samples, n_inputs). Returns (hidden, output):
    hidden (n_samples, n_hidden), output (n_samples,).

    Example: with every weight and bias 0, every hidden unit and the output
    are sigmoid(0) = 0.5, whatever X is.
    """
    # BEGIN SOLUTION
    X = np.asarray(X, dtype=float)
    hidden = sigmoid(X @ params["W1"] + params["b1"])
    output = sigmoid(hidden @ params["W2"] + params["b2"])
    return hidden, output[:, 0]
    # END SOLUTION


def loss(params, X, y):
    """Mean binary cross-entropy of the network's output against y:

        L = -mean( y * log(out) + (1 - y) * log(1 - out) )

    with out clipped to [1e-12, 1 - 1e-12]. Returns a float.

    Example: all-zero params give out = 0.5 for every row, so L = log(2) = 0.6931...
    """
    # BEGIN SOLUTION
    out = np.clip(forward(params, X)[1], EPSILON, 1.0 - EPSILON)
    y = np.asarray(y, dtype=float)
    return float(-np.mean(y * np.log(out) + (1.0 - y) * np.log(1.0 - out)))
    # END SOLUTION


def backward(params, X, y):
    """Gradient of the mean loss with respect to every parameter.

    Work backwards with the chain rule (n = number of rows):

        delta2 = (output - y) / n                          (n_samples, 1)
        dW2 = hidden^T @ delta2        db2 = sum of delta2 over rows
        delta1 = (delta2 @ W2^T) * hidden * (1 - hidden)   (n_samples, n_hidden)
        dW1 = X^T @ delta1             db1 = sum of delta1 over rows

    hidden * (1 - hidden) is the sigmoid's slope at the hidden units; the
    output unit's slope cancels against the cross-entropy (as in
    gradient_descent.gradient).

    Returns a dict with the keys and shapes of `params`. Check it against a
    numerical gradient: (loss(W + eps) - loss(W - eps)) / (2 * eps).
    """
    # BEGIN SOLUTION
    X = np.asarray(X, dtype=float)
    hidden, output = forward(params, X)
    delta2 = ((output - np.asarray(y, dtype=float)) / len(X))[:, None]
    delta1 = (delta2 @ params["W2"].T) * hidden * (1.0 - hidden)
    return {
        "W1": X.T @ delta1,
        "b1": delta1.sum(axis=0),
        "W2": hidden.T @ delta2,
        "b2": delta2.sum(axis=0),
    }
    # END SOLUTION


def train(X, y, n_hidden=4, learning_rate=1.0, epochs=5000, seed=0):
    """Full-batch gradient descent on the network.

    Start from params = init_params(X.shape[1], n_hidden, seed). Each epoch:

        grads = backward(params, X, y)
        params[k] = params[k] - learning_rate * grads[k]   for every key k

    then record loss(params, X, y) in `losses`.

    Returns (params, losses), losses a list of `epochs` floats. With the
    defaults it learns the four XOR points: predict(params, X) -> [0, 1, 1, 0]
    for X = [[0, 0], [0, 1], [1, 0], [1, 1]], and losses[-1] is below 0.01.
    """
    # BEGIN SOLUTION
    params = init_params(np.asarray(X).shape[1], n_hidden, seed)
    losses = []
    for _ in range(epochs):
        grads = backward(params, X, y)
        params = {k: params[k] - learning_rate * grads[k] for k in params}
        losses.append(loss(params, X, y))
    return params, losses
    # END SOLUTION


def predict(params, X):
    """Class labels: 1.0 where the network's output is >= 0.5, else 0.0.

    X: (n_samples, n_inputs). Returns (n_samples,).

    Example: all-zero params give output 0.5 everywhere, so every label is 1.0.
    """
    # BEGIN SOLUTION
    return np.where(forward(params, X)[1] >= 0.5, 1.0, 0.0)
    # END SOLUTION
