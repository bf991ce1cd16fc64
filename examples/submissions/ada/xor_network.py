import numpy as np

from activations import sigmoid


def init_params(n_inputs=2, n_hidden=4, seed=0):
    rng = np.random.default_rng(seed)
    scale = 1.0 / np.sqrt(n_inputs)
    return {"W1": rng.uniform(-scale, scale, (n_inputs, n_hidden)) * 2,
            "b1": rng.uniform(-0.5, 0.5, n_hidden),
            "W2": rng.uniform(-1, 1, (n_hidden, 1)),
            "b2": np.zeros(1)}


def forward(params, X):
    a1 = sigmoid(X @ params["W1"] + params["b1"])
    a2 = sigmoid(a1 @ params["W2"] + params["b2"])
    return a1, a2.reshape(-1)


def loss(params, X, y):
    _, out = forward(params, X)
    out = np.clip(out, 1e-12, 1 - 1e-12)
    return float(-np.mean(y * np.log(out) + (1 - y) * np.log(1 - out)))


def backward(params, X, y):
    n = len(X)
    a1, a2 = forward(params, X)
    d2 = (a2 - y).reshape(-1, 1) / n
    d1 = d2 @ params["W2"].T * a1 * (1 - a1)
    return {"W1": X.T @ d1, "b1": d1.sum(axis=0), "W2": a1.T @ d2, "b2": d2.sum(axis=0)}


def train(X, y, n_hidden=4, learning_rate=1.0, epochs=5000, seed=0):
    params = init_params(X.shape[1], n_hidden, seed)
    history = []
    for _ in range(epochs):
        grads = backward(params, X, y)
        for name in params:
            params[name] = params[name] - learning_rate * grads[name]
        history.append(loss(params, X, y))
    return params, history


def predict(params, X):
    return (forward(params, X)[1] >= 0.5).astype(float)
