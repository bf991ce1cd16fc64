import numpy as np

from activations import sigmoid, softmax

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
    return np.eye(n_classes)[labels]


def output_scores(X, W, b):
    return np.dot(X, W) + b


def predict_proba(X, W, b):
    return softmax(output_scores(X, W, b))


def cross_entropy_loss(X, labels, W, b):
    P = np.clip(predict_proba(X, W, b), 1e-12, 1.0)
    return float(-np.mean(np.log(P[np.arange(len(labels)), labels])))


def gradient(X, labels, W, b):
    n = X.shape[0]
    diff = predict_proba(X, W, b) - one_hot(labels, W.shape[1])
    return np.dot(X.T, diff) / n, diff.sum(axis=0) / n


def train(X, labels, n_classes, learning_rate=0.5, epochs=200):
    W = np.zeros((X.shape[1], n_classes))
    b = np.zeros(n_classes)
    losses = []
    for epoch in range(epochs):
        dW, db = gradient(X, labels, W, b)
        W = W - learning_rate * dW
        b = b - learning_rate * db
        losses.append(cross_entropy_loss(X, labels, W, b))
    return W, b, losses


def predict(X, W, b):
    return np.argmax(predict_proba(X, W, b), axis=1)


def train_one_vs_rest(X, labels, n_classes, learning_rate=0.5, epochs=200):
    from gradient_descent import batch_gradient_descent
    W = np.zeros((X.shape[1], n_classes))
    b = np.zeros(n_classes)
    for k in range(n_classes):
        W[:, k], b[k], _ = batch_gradient_descent(X, (labels == k).astype(float), learning_rate, epochs)
    return W, b


def predict_one_vs_rest(X, W, b):
    return np.argmax(sigmoid(output_scores(X, W, b)), axis=1)
