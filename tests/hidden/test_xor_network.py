"""Hidden tests for xor_network.py: the submission against the reference on seeded inputs.

init_params may use any random scheme that breaks the symmetry, so the tests
never compare its values with the reference's; everything after it is
compared exactly, starting from fixed or from the submission's own weights.
"""
import inspect

import numpy as np
import pytest
from harness import expect, expect_floats_matching, expect_tuple, numerical_gradient, show

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


def expect_random(params, call):
    weights = np.concatenate([params["W1"].ravel(), params["W2"].ravel()])
    if np.ptp(weights) == 0:
        pytest.fail(f"{call}\n  every weight is {weights[0]}: they should be random", pytrace=False)


@pytest.mark.points(1)
@pytest.mark.parametrize("n_inputs, n_hidden", [(2, 4), (3, 2), (2, 1)])
def test_init_params_shapes(xor_network, n_inputs, n_hidden):
    """init_params gives W1, b1, W2, b2 of the right shapes, and random weights"""
    call = f"init_params({n_inputs}, {n_hidden}, seed=0)"
    expect_random(expect_params(xor_network.init_params(n_inputs, n_hidden, seed=0), call, n_inputs, n_hidden), call)


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
@pytest.mark.parametrize("n, n_inputs, n_hidden", [(4, 2, 4), (7, 3, 5), (1, 2, 1), (1, 5, 3)])
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


def check_training(xor_network, reference, X, y, checked_epochs=None, **kwargs):
    """train(X, y, **kwargs) against full-batch descent, by the reference, from the submission's own
    init_params (any random scheme is allowed); what kwargs leave out takes the reference's defaults.
    With checked_epochs, only the first losses are compared (the weights not): a long run stays cheap.
    Returns the trained params."""
    arguments = ", ".join(f"{k}={v}" for k, v in kwargs.items())
    call = f"train(X, y{', ' if arguments else ''}{arguments}) with X = {show(X)}, y = {show(y)}"
    settings = {name: parameter.default for name, parameter in
                inspect.signature(reference.xor_network.train).parameters.items()
                if parameter.default is not inspect.Parameter.empty}
    settings.update(kwargs)
    n_inputs, n_hidden, seed = np.shape(X)[1], settings["n_hidden"], settings["seed"]
    params, losses = expect_tuple(xor_network.train(X, y, **kwargs), 2, call)
    expect_params(params, call, n_inputs, n_hidden)
    want = expect_params(xor_network.init_params(n_inputs, n_hidden, seed),
                         f"init_params({n_inputs}, {n_hidden}, {seed}), where train starts", n_inputs, n_hidden)
    want_losses = []
    for _ in range(checked_epochs or settings["epochs"]):
        grads = reference.xor_network.backward(want, X, y)
        want = {k: want[k] - settings["learning_rate"] * grads[k] for k in KEYS}
        want_losses.append(reference.xor_network.loss(want, X, y))
    if not isinstance(losses, (list, tuple, np.ndarray)) or len(losses) != settings["epochs"]:
        pytest.fail(f"{call}\n  expected {settings['epochs']} losses, one per epoch, got {show(losses)[:200]}",
                    pytrace=False)
    if checked_epochs:
        expect(np.asarray(losses[:checked_epochs], dtype=float), np.array(want_losses),
               f"{call}, the first {checked_epochs} losses (after each epoch)", rtol=1e-6)
        return params
    expect(np.asarray(losses, dtype=float), np.array(want_losses), call + ", losses (after each epoch)", rtol=1e-6)
    for key in KEYS:
        expect(params[key], want[key], f"{call}[{key!r}]", rtol=1e-6, atol=1e-10)
    return params


@pytest.mark.points(4)
@pytest.mark.parametrize("n_hidden, learning_rate, epochs, seed", [(4, 1.0, 3, 0), (3, 0.5, 25, 9)])
def test_train_is_full_batch_descent_from_init_params(xor_network, reference, n_hidden, learning_rate,
                                                      epochs, seed):
    """train = full-batch gradient descent from the submission's own init_params"""
    check_training(xor_network, reference, CORNERS, XOR, n_hidden=n_hidden, learning_rate=learning_rate,
                   epochs=epochs, seed=seed)


@pytest.mark.points(2)
@pytest.mark.parametrize("n_inputs", [1, 3, 5])
def test_train_on_other_numbers_of_inputs(xor_network, reference, n_inputs):
    """train on data with 1, 3 and 5 inputs: the first layer takes its size from X"""
    X, y = random_data(12 + n_inputs, 6, n_inputs)
    check_training(xor_network, reference, X, y, n_hidden=3, learning_rate=0.5, epochs=10, seed=1)


@pytest.mark.points(2)
def test_train_on_integer_input(xor_network, reference):
    """train on int arrays X and y"""
    check_training(xor_network, reference, CORNERS.astype(int), XOR.astype(int), epochs=5)


@pytest.mark.points(1)
def test_init_params_defaults(xor_network):
    """init_params() with its defaults: 2 inputs, 4 hidden units, seed 0"""
    params = expect_params(xor_network.init_params(), "init_params()", 2, 4)
    expect_random(params, "init_params()")
    again = xor_network.init_params(2, 4, seed=0)
    for key in KEYS:
        expect(params[key], again[key], f"init_params()[{key!r}] against init_params(2, 4, seed=0)")


@pytest.mark.points(4)
def test_train_learns_xor_with_the_defaults(xor_network, reference):
    """train(corners, XOR) with its defaults: 5000 losses, the first ones as the reference's from the
    same start, and a network that classifies all four XOR points"""
    # The corners in another order than the lecture's: no answer known in advance fits
    X, y = CORNERS[[3, 1, 0, 2]], XOR[[3, 1, 0, 2]]
    params = check_training(xor_network, reference, X, y, checked_epochs=100)
    expect(reference.xor_network.predict(params, X), y, "the trained network's labels for the four corners")


@pytest.mark.points(2)
@pytest.mark.parametrize("seed, n, n_inputs", [(10, 8, 2), (11, 8, 2), (12, 6, 5)])
def test_predict(xor_network, reference, seed, n, n_inputs):
    """predict gives 0/1 labels of random data"""
    params, (X, _) = random_params(seed, n_inputs, 3), random_data(seed, n, n_inputs)
    # b2 puts the threshold between the rows, so that half of them are labelled 1
    params["b2"] = np.array([-np.median(reference.xor_network.forward(params, X)[0] @ params["W2"])])
    expect(xor_network.predict(params, X), reference.xor_network.predict(params, X), f"predict(params, {show(X)})")


@pytest.mark.points(1)
def test_predict_is_one_at_exactly_one_half(xor_network):
    """predict is 1 where the output is exactly 0.5"""
    params = {"W1": np.zeros((2, 2)), "b1": np.zeros(2), "W2": np.zeros((2, 1)), "b2": np.zeros(1)}
    expect(xor_network.predict(params, CORNERS), np.ones(4), "predict(all-zero params, corners): every output is 0.5")


@pytest.mark.points(1)
def test_predict_of_one_row(xor_network, reference):
    """predict of a batch of one row gives an array of one label"""
    params, X = random_params(13, 3, 2), np.array([[0.5, -1.0, 2.0]])
    expect(xor_network.predict(params, X), reference.xor_network.predict(params, X), f"predict(params, {show(X)})")


@pytest.mark.points(2)
def test_integer_input(xor_network, reference):
    """forward, loss and backward of int arrays X and y give the same values as floats"""
    params, X, y = random_params(14, 2, 3), CORNERS.astype(int), XOR.astype(int)
    call = f"forward(params, {show(X)}) of an int array"
    for got, want, part in zip(expect_tuple(xor_network.forward(params, X), 2, call),
                               reference.xor_network.forward(params, X), ("hidden", "output")):
        expect(got, want, f"{call}, {part}", rtol=1e-9)
    expect(xor_network.loss(params, X, y), reference.xor_network.loss(params, X, y),
           f"loss(params, {show(X)}, {show(y)}) of int arrays", rtol=1e-9)
    call = f"backward(params, {show(X)}, {show(y)}) of int arrays"
    grads = expect_params(xor_network.backward(params, X, y), call, 2, 3)
    want = reference.xor_network.backward(params, X, y)
    for key in KEYS:
        expect(grads[key], want[key], f"{call}[{key!r}]", rtol=1e-7, atol=1e-12)


@pytest.mark.points(1)
@pytest.mark.parametrize("name, parts", [("forward", ("hidden", "output")), ("predict", None)], ids=["forward", "predict"])
def test_returns_floats(xor_network, reference, name, parts):
    """returns floats (not bools or ints), also for int arrays"""
    params, X = random_params(15, 2, 3), CORNERS.astype(int)
    expect_floats_matching(getattr(xor_network, name)(params, X), getattr(reference.xor_network, name)(params, X),
                           f"{name}(params, {show(X)})", parts)
