"""Hidden tests for xor_network.py: the submission against the reference on seeded inputs.

init_params may use any random scheme that breaks the symmetry, so the tests
never compare its values with the reference's; everything after it is
compared exactly, starting from fixed or from the submission's own weights.
"""
import numpy as np
import pytest
from harness import expect, expect_tuple, numerical_gradient, show

CORNERS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR = np.array([0.0, 1.0, 1.0, 0.0])
KEYS = ("W1", "b1", "W2", "b2")


def random_params(seed, n_inputs=2, n_hidden=4):
    rng = np.random.default_rng(seed)
    return {"W1": rng.normal(size=(n_inputs, n_hidden)), "b1": rng.normal(size=n_hidden),
            "W2": rng.normal(size=(n_hidden, 1)), "b2": rng.normal(size=1)}


def random_data(seed, n, n_inputs):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, n_inputs)), rng.integers(0, 2, size=n).astype(float)


def shapes(n_inputs, n_hidden):
    return {"W1": (n_inputs, n_hidden), "b1": (n_hidden,), "W2": (n_hidden, 1), "b2": (1,)}


def expect_params(params, call, n_inputs, n_hidden):
    if not isinstance(params, dict) or set(params) != set(KEYS):
        pytest.fail(f"{call}\n  expected a dict with keys {list(KEYS)}, got {show(params)[:200]}", pytrace=False)
    for key, shape in shapes(n_inputs, n_hidden).items():
        if not isinstance(params[key], np.ndarray) or params[key].shape != shape:
            pytest.fail(f"{call}[{key!r}]\n  expected an array of shape {shape}, got {show(params[key])[:200]}",
                        pytrace=False)
        if not np.isfinite(params[key]).all():
            pytest.fail(f"{call}[{key!r}]\n  nan or inf where none belongs: {show(params[key])}", pytrace=False)
    return params


@pytest.mark.points(1)
@pytest.mark.parametrize("n_inputs, n_hidden", [(2, 4), (3, 2), (2, 1)])
def test_init_params_shapes(xor_network, n_inputs, n_hidden):
    """init_params gives W1, b1, W2, b2 of the right shapes, and random weights"""
    call = f"init_params({n_inputs}, {n_hidden}, seed=0)"
    params = expect_params(xor_network.init_params(n_inputs, n_hidden, seed=0), call, n_inputs, n_hidden)
    weights = np.concatenate([params["W1"].ravel(), params["W2"].ravel()])
    assert np.ptp(weights) > 0, f"{call}: every weight is {weights[0]}; they should be random"


@pytest.mark.points(2)
def test_init_params_is_repeatable_and_depends_on_the_seed(xor_network):
    """init_params repeats for a seed and changes with it"""
    first = expect_params(xor_network.init_params(2, 4, seed=3), "init_params(2, 4, seed=3)", 2, 4)
    again = xor_network.init_params(2, 4, seed=3)
    other = xor_network.init_params(2, 4, seed=4)
    for key in KEYS:
        expect(again[key], first[key], f"init_params(2, 4, seed=3)[{key!r}] a second time")
    assert any(not np.array_equal(first[k], other[k]) for k in KEYS), \
        "init_params(2, 4, seed=3) and init_params(2, 4, seed=4) are the same: the seed is not used"


@pytest.mark.points(3)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_init_params_breaks_the_symmetry(xor_network, seed):
    """no two hidden units start with the same incoming weights (else they stay equal)"""
    params = expect_params(xor_network.init_params(2, 4, seed=seed), f"init_params(2, 4, seed={seed})", 2, 4)
    incoming = np.vstack([params["W1"], params["b1"]])
    for i in range(4):
        for j in range(i + 1, 4):
            assert not np.allclose(incoming[:, i], incoming[:, j]), (
                f"init_params(2, 4, seed={seed}): hidden units {i} and {j} start with the same weights "
                f"{show(incoming[:, i])}; they get the same gradients and can never differ")


@pytest.mark.points(2)
@pytest.mark.parametrize("n, n_inputs, n_hidden", [(4, 2, 4), (7, 3, 5), (1, 2, 1)])
def test_forward(xor_network, reference, n, n_inputs, n_hidden):
    """forward's hidden layer (n, n_hidden) and output (n,)"""
    params = random_params(n, n_inputs, n_hidden)
    X, _ = random_data(n, n, n_inputs)
    call = f"forward(params, {show(X)}) with {n_hidden} hidden units"
    hidden, output = expect_tuple(xor_network.forward(params, X), 2, call)
    want_hidden, want_output = reference.xor_network.forward(params, X)
    expect(hidden, want_hidden, call + ", hidden", rtol=1e-9)
    expect(output, want_output, call + ", output", rtol=1e-9)


@pytest.mark.points(2)
@pytest.mark.parametrize("seed", [5, 6])
def test_loss(xor_network, reference, seed):
    """loss, the mean binary cross-entropy, on random data"""
    params, (X, y) = random_params(seed, 3, 3), random_data(seed, 9, 3)
    expect(xor_network.loss(params, X, y), reference.xor_network.loss(params, X, y),
           f"loss(params, {show(X)}, {show(y)})", rtol=1e-9)


@pytest.mark.points(1)
def test_loss_is_clipped(xor_network, reference):
    """loss stays finite when the output is exactly 0 or 1"""
    params = random_params(7)
    params["b2"] = np.array([1000.0])
    expect(xor_network.loss(params, CORNERS, XOR), reference.xor_network.loss(params, CORNERS, XOR),
           "loss(params, corners, XOR) with b2 = 1000", rtol=1e-4)


@pytest.mark.points(4)
@pytest.mark.parametrize("n, n_inputs, n_hidden", [(4, 2, 4), (6, 3, 2)])
def test_backward_matches_reference(xor_network, reference, n, n_inputs, n_hidden):
    """backward's gradient for every parameter"""
    params, (X, y) = random_params(n, n_inputs, n_hidden), random_data(n + 1, n, n_inputs)
    call = f"backward(params, {show(X)}, {show(y)}) with {n_hidden} hidden units"
    grads = expect_params(xor_network.backward(params, X, y), call, n_inputs, n_hidden)
    want = reference.xor_network.backward(params, X, y)
    for key in KEYS:
        expect(grads[key], want[key], f"{call}[{key!r}]", rtol=1e-7, atol=1e-12)


@pytest.mark.points(2)
def test_backward_matches_a_numerical_gradient(xor_network, reference):
    """backward against (L(p + eps) - L(p - eps)) / 2eps of the reference loss"""
    params, (X, y) = random_params(8, 2, 3), random_data(8, 5, 2)
    grads = expect_params(xor_network.backward(params, X, y), "backward(params, X, y)", 2, 3)
    numerical = numerical_gradient(lambda p: reference.xor_network.loss(p, X, y), params)
    for key in KEYS:
        expect(grads[key], numerical[key], f"backward(params, X, y)[{key!r}] against a numerical gradient",
               rtol=1e-5, atol=1e-8)


@pytest.mark.points(4)
@pytest.mark.parametrize("n_hidden, learning_rate, epochs, seed", [(4, 1.0, 3, 0), (3, 0.5, 25, 9)])
def test_train_is_full_batch_descent_from_init_params(xor_network, reference, n_hidden, learning_rate,
                                                      epochs, seed):
    """train = full-batch gradient descent from the submission's own init_params"""
    call = f"train(corners, XOR, n_hidden={n_hidden}, learning_rate={learning_rate}, epochs={epochs}, seed={seed})"
    params, losses = expect_tuple(xor_network.train(CORNERS, XOR, n_hidden=n_hidden, learning_rate=learning_rate,
                                                    epochs=epochs, seed=seed), 2, call)
    expect_params(params, call, 2, n_hidden)
    want = expect_params(xor_network.init_params(2, n_hidden, seed), f"init_params(2, {n_hidden}, {seed})",
                         2, n_hidden)
    want_losses = []
    for _ in range(epochs):
        grads = reference.xor_network.backward(want, CORNERS, XOR)
        want = {k: want[k] - learning_rate * grads[k] for k in KEYS}
        want_losses.append(reference.xor_network.loss(want, CORNERS, XOR))
    if not isinstance(losses, (list, tuple, np.ndarray)) or len(losses) != epochs:
        pytest.fail(f"{call}\n  expected {epochs} losses, one per epoch, got {show(losses)[:200]}", pytrace=False)
    expect(np.asarray(losses, dtype=float), np.array(want_losses), call + ", losses (after each epoch)", rtol=1e-6)
    for key in KEYS:
        expect(params[key], want[key], f"{call}[{key!r}]", rtol=1e-6, atol=1e-10)


@pytest.mark.points(4)
def test_train_learns_xor_with_the_defaults(xor_network, reference):
    """train(corners, XOR) with its defaults classifies all four XOR points"""
    params, losses = expect_tuple(xor_network.train(CORNERS, XOR), 2, "train(corners, XOR)")
    expect_params(params, "train(corners, XOR)", 2, 4)
    expect(reference.xor_network.predict(params, CORNERS), XOR,
           "the trained network's labels for the four corners")


@pytest.mark.points(2)
@pytest.mark.parametrize("seed", [10, 11])
def test_predict(xor_network, reference, seed):
    """predict gives 0/1 labels of random data"""
    params, (X, _) = random_params(seed, 2, 3), random_data(seed, 8, 2)
    # b2 puts the threshold between the rows, so that half of them are labelled 1
    params["b2"] = np.array([-np.median(reference.xor_network.forward(params, X)[0] @ params["W2"])])
    expect(xor_network.predict(params, X), reference.xor_network.predict(params, X), f"predict(params, {show(X)})")


@pytest.mark.points(1)
def test_predict_is_one_at_exactly_one_half(xor_network):
    """predict is 1 where the output is exactly 0.5"""
    params = {"W1": np.zeros((2, 2)), "b1": np.zeros(2), "W2": np.zeros((2, 1)), "b2": np.zeros(1)}
    expect(xor_network.predict(params, CORNERS), np.ones(4), "predict(all-zero params, corners): every output is 0.5")
