"""More than two classes: one output unit per class, softmax on top.

To predict one of four kinds of weather (rainy, sunny, cloudy, snowy) the
network gets four output units, each with its own weights and bias. For X of
shape (n_samples, n_features):

    scores = X @ W + b                     (n_samples, n_classes)
    P      = softmax(scores, per row)      each row: a probability distribution
    prediction = the class with the highest probability

Column k of W (n_features, n_classes) and entry k of b (n_classes,) belong to
output unit k. The loss is the mean cross-entropy -log P[i, label_i]: small
when the true class gets a high probability. Training the four output units is
like training four independent networks; `train_one_vs_rest` does exactly that
with the sigmoid unit of gradient_descent.py, one "class k or not" unit per class.
"""
import numpy as np

from activations import sigmoid, softmax

EPSILON = 1e-12  # keeps log() finite when a probability is exactly 0

CLASSES = ("rainy", "sunny", "cloudy", "snowy")


# Given code, nothing to fill in: the lecture's weather data. The grader uses its own copy.
def weather_data(n=200, seed=0):
    """n days of weather: X[:, 0] is the humidity (0 = dry, 1 = saturated), X[:, 1] the
    temperature in tens of degrees Celsius (1.5 = 15 C); labels[i] is the index of the
    day's weather in CLASSES. The four kinds form overlapping clouds of points: a linear
    classifier separates them well, but not perfectly.

    Returns (X, labels): X (n, 2) floats, labels (n,) ints in 0..3.
    """
    rng = np.random.default_rng(seed)
    centres = np.array([[0.85, 1.2], [0.35, 2.4], [0.6, 1.6], [0.75, -0.3]])
    spread = np.array([0.1, 0.45])
    labels = rng.integers(0, len(CLASSES), size=n)
    return centres[labels] + spread * rng.normal(size=(n, 2)), labels


def one_hot(labels, n_classes):
    """The targets as rows of 0s with a single 1: Y[i, labels[i]] = 1.0.

    labels: (n_samples,) ints in 0 .. n_classes-1.
    Returns (n_samples, n_classes) floats.

    Example: one_hot(np.array([2, 0]), 3) -> array([[0., 0., 1.],
                                                    [1., 0., 0.]])
    """
    raise NotImplementedError("one_hot: replace this line with your code (see the docstring above)")


def output_scores(X, W, b):
    """Every output unit's weighted sum, for every row: scores = X @ W + b.

    X: (n_samples, n_features). W: (n_features, n_classes), column k holding
    output unit k's weights. b: (n_classes,).
    Returns (n_samples, n_classes): scores[i, k] = b[k] + sum_j X[i, j] * W[j, k].

    Example: X = [[1.0, 2.0]], W = [[1.0, 0.0], [0.0, 1.0]], b = [0.5, -0.5]
             -> array([[1.5, 1.5]])
    """
    raise NotImplementedError("output_scores: replace this line with your code (see the docstring above)")


def predict_proba(X, W, b):
    """The class probabilities: P = softmax(output_scores(X, W, b)) along each row.

    Use activations.softmax: it subtracts each row's largest score first, so
    scores of 1e4 give probabilities, not nan.

    X: (n_samples, n_features). W: (n_features, n_classes). b: (n_classes,).
    Returns (n_samples, n_classes); every row sums to 1.

    Example: scores [[0, log 3]] (X = [[1.0]], W = [[0.0, log 3]], b = [0, 0])
             -> array([[0.25, 0.75]])
    """
    raise NotImplementedError("predict_proba: replace this line with your code (see the docstring above)")


def cross_entropy_loss(X, labels, W, b):
    """Mean cross-entropy of the true classes' probabilities, P = predict_proba(X, W, b):

        L = -(1/n) * sum_i log P[i, labels[i]]

    Clip P to [1e-12, 1] first so that a confident wrong prediction gives a
    large but finite loss.

    X: (n_samples, n_features). labels: (n_samples,) ints. Returns a float.

    Example: with W = 0 and b = 0 every class gets 1/n_classes, so with four
    classes L = log(4) = 1.3862...
    """
    raise NotImplementedError("cross_entropy_loss: replace this line with your code (see the docstring above)")


def gradient(X, labels, W, b):
    """Gradient of the mean loss: with P = predict_proba(X, W, b) and
    Y = one_hot(labels, n_classes),

        dL/dW = X^T (P - Y) / n        dL/db = mean(P - Y, over the rows)

    the same form as one sigmoid unit's, now with a column per class.

    X: (n_samples, n_features). labels: (n_samples,) ints.
    Returns (dW, db): dW (n_features, n_classes), db (n_classes,).

    Example: X = [[1.0]], labels = [0], W = [[0.0, 0.0]], b = [0.0, 0.0]:
             P = [[0.5, 0.5]], Y = [[1, 0]], so dW = [[-0.5, 0.5]], db = [-0.5, 0.5]
    """
    raise NotImplementedError("gradient: replace this line with your code (see the docstring above)")


def train(X, labels, n_classes, learning_rate=0.5, epochs=200):
    """Full-batch gradient descent on all output units at once.

    Start from W = zeros((n_features, n_classes)) and b = zeros(n_classes). Each epoch:

        dW, db = gradient(X, labels, W, b)
        W = W - learning_rate * dW
        b = b - learning_rate * db

    then record the loss on all of X (after the step) in `losses`.

    Returns (W, b, losses): W (n_features, n_classes), b (n_classes,), losses
    a list of `epochs` floats; losses[k] is the loss after epoch k.

    Example: X = [[1.0]], labels = [0], n_classes = 2, learning_rate = 1.0,
    epochs = 1: the gradient at zero is ([[-0.5, 0.5]], [-0.5, 0.5]), so
    W = [[0.5, -0.5]], b = [0.5, -0.5] and losses = [-log(softmax([1, -1])[0])]
    = [0.1269...].
    """
    raise NotImplementedError("train: replace this line with your code (see the docstring above)")


def predict(X, W, b):
    """The predicted class of every row: the index of its highest score.

    Softmax keeps the order of the scores, so the highest score is also the
    highest probability. On a tie the lowest index wins, as with np.argmax.

    Returns an int array (n_samples,).

    Example: scores [[1, 3, 3], [2, 0, 1]] -> array([1, 0])
    """
    raise NotImplementedError("predict: replace this line with your code (see the docstring above)")


def train_one_vs_rest(X, labels, n_classes, learning_rate=0.5, epochs=200):
    """The lecture's "independent networks": one sigmoid unit per class, each
    trained to say "class k or not".

    For k = 0 .. n_classes-1, train your gradient_descent.batch_gradient_descent
    on X with the targets (labels == k) as floats (1.0 for class k, 0.0 for the
    rest), with this learning_rate and these epochs; its w becomes column k of
    W and its b entry k of b.

    Returns (W, b): W (n_features, n_classes), b (n_classes,).

    Example: labels [0, 1, 2] give the targets [1, 0, 0] for unit 0,
    [0, 1, 0] for unit 1 and [0, 0, 1] for unit 2.
    """
    # Imported here, not at the top: the rest of this module works even while
    # gradient_descent.py does not.
    from gradient_descent import batch_gradient_descent
    raise NotImplementedError("train_one_vs_rest: replace this line with your code (see the docstring above)")


def predict_one_vs_rest(X, W, b):
    """The class whose unit is most sure: argmax over k of sigmoid(X @ W[:, k] + b[k]).

    X: (n_samples, n_features). W, b: as train_one_vs_rest returns them.
    Returns an int array (n_samples,); ties go to the lowest index.

    Example: unit outputs [[0.2, 0.9, 0.4], [0.7, 0.1, 0.3]] -> array([1, 0])
    """
    raise NotImplementedError("predict_one_vs_rest: replace this line with your code (see the docstring above)")
