"""Public tests for xor_network.py. Run them with: pytest assignments/test_xor_network.py"""
import numpy as np
import pytest
from harness import expect, expect_tuple, numerical_gradient, show

pytestmark = pytest.mark.points(1)

X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR = np.array([0.0, 1.0, 1.0, 0.0])
SHAPES = {"W1": (2, 3), "b1": (3,), "W2": (3, 1), "b2": (1,)}


def fixed_params():
    return {"W1": np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.5]]), "b1": np.array([0.1, -0.2, 0.3]),
            "W2": np.array([[1.0], [-2.0], [0.5]]), "b2": np.array([0.2])}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def network_output(params, X):
    """The network's output, computed here: the tests check your functions against it."""
    return sigmoid(sigmoid(X @ params["W1"] + params["b1"]) @ params["W2"] + params["b2"])[:, 0]


def network_loss(params, X, y):
    out = network_output(params, X)
    return -np.mean(y * np.log(out) + (1 - y) * np.log(1 - out))


def test_init_params_shapes(xor_network):
    params = xor_network.init_params(2, 3, seed=0)
    assert isinstance(params, dict) and set(params) == set(SHAPES), \
        f"init_params(2, 3, seed=0): expected a dict with keys {sorted(SHAPES)}, got {show(params)[:200]}"
    for key, shape in SHAPES.items():
        got = np.shape(params[key])
        assert got == shape, f"init_params(2, 3, seed=0)[{key!r}]: expected shape {shape}, got {got}"
        assert np.isfinite(params[key]).all(), f"init_params(2, 3, seed=0)[{key!r}] = {show(params[key])}: nan or inf"
    weights = np.concatenate([np.ravel(params["W1"]), np.ravel(params["W2"])])
    assert np.ptp(weights) > 0, f"init_params(2, 3, seed=0): every weight is {weights[0]}; they should be random"


def test_init_params_is_random_but_repeatable(xor_network):
    first, again = xor_network.init_params(2, 3, seed=7), xor_network.init_params(2, 3, seed=7)
    expect(again["W1"], np.asarray(first["W1"]), "init_params(2, 3, seed=7) twice: W1 must repeat")
    w1 = np.asarray(first["W1"])
    assert not np.allclose(w1[:, 0], w1[:, 1]), \
        f"init_params(2, 3, seed=7)['W1'] = {show(w1)}: hidden units start equal, so they stay equal"


def test_forward(xor_network):
    params = fixed_params()
    hidden = sigmoid(X @ params["W1"] + params["b1"])
    output = sigmoid(hidden @ params["W2"] + params["b2"])[:, 0]
    got = expect_tuple(xor_network.forward(params, X), 2, "forward(params, X)")
    expect(got[0], hidden, "forward(params, X), hidden")
    expect(got[1], output, "forward(params, X), output")


def test_loss(xor_network):
    params = fixed_params()
    expect(xor_network.loss(params, X, XOR), network_loss(params, X, XOR), "loss(params, X, XOR)")


def test_backward_matches_a_numerical_gradient(xor_network):
    params = fixed_params()
    grads = xor_network.backward(params, X, XOR)
    numerical = numerical_gradient(lambda p: network_loss(p, X, XOR), params)
    for key in SHAPES:
        expect(grads[key], numerical[key], f"backward(params, X, XOR)[{key!r}] against a numerical gradient",
               rtol=1e-4, atol=1e-7)


def test_train_learns_xor(xor_network):
    call = f"train({show(X)}, {show(XOR)})"
    params, losses = expect_tuple(xor_network.train(X, XOR), 2, call)
    assert len(losses) == 5000, f"{call}: expected 5000 losses, one per epoch, got {len(losses)}"
    labels = (network_output(params, X) >= 0.5).astype(float)
    expect(labels, XOR, f"the labels (output >= 0.5) of the network {call} trained")
    expect(xor_network.predict(params, X), XOR, f"predict(params, {show(X)}) after {call}")


def test_predict_thresholds_at_one_half(xor_network):
    params = fixed_params()
    expect(xor_network.predict(params, X), (network_output(params, X) >= 0.5).astype(float),
           f"predict(params, {show(X)})")
