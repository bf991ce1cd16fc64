"""Hidden tests for perceptron.py: the submission against the reference on seeded inputs."""
import numpy as np
import pytest
from harness import expect, expect_tuple, show

CORNERS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
OR = np.array([0.0, 1.0, 1.0, 1.0])
AND = np.array([0.0, 0.0, 0.0, 1.0])


def separable(seed, n=12, features=3):
    """Random points labelled by a random line through the middle: the perceptron can learn them."""
    rng = np.random.default_rng(seed)
    X = rng.integers(-3, 4, size=(n, features)).astype(float)
    return X, (X @ rng.normal(size=features) + 0.5 > 0).astype(float)


@pytest.mark.points(1)
@pytest.mark.parametrize("features", [1, 2, 5])
def test_weighted_sum_of_one_sample(perceptron, reference, features):
    """weighted_sum of one sample is a number: bias + x @ weights"""
    rng = np.random.default_rng(features)
    x, w, b = rng.normal(size=features), rng.normal(size=features), float(rng.normal())
    expect(perceptron.weighted_sum(x, w, b), reference.perceptron.weighted_sum(x, w, b),
           f"weighted_sum({show(x)}, {show(w)}, {b!r})")


@pytest.mark.points(2)
@pytest.mark.parametrize("n, features", [(4, 2), (9, 3)])
def test_weighted_sum_of_a_batch(perceptron, reference, n, features):
    """weighted_sum of a batch gives one sum per row"""
    rng = np.random.default_rng(n)
    X, w, b = rng.normal(size=(n, features)), rng.normal(size=features), -0.75
    expect(perceptron.weighted_sum(X, w, b), reference.perceptron.weighted_sum(X, w, b),
           f"weighted_sum({show(X)}, {show(w)}, {b!r})")


@pytest.mark.points(1)
def test_perceptron_output_of_one_sample(perceptron):
    """perceptron_output of one sample is 0 or 1, and 1 exactly on the threshold"""
    w = np.array([1.0, 1.0])
    for x, want in (([1.0, 0.0], 1.0), ([0.0, 0.0], 0.0), ([1.0, 1.0], 1.0)):
        expect(perceptron.perceptron_output(np.array(x), w, -1.0), want,
               f"perceptron_output(array({x}), {show(w)}, -1.0)")


@pytest.mark.points(2)
def test_perceptron_output_of_a_batch(perceptron, reference):
    """perceptron_output of a random batch"""
    X, _ = separable(3, n=10)
    w, b = np.array([0.5, -1.0, 2.0]), 0.5
    expect(perceptron.perceptron_output(X, w, b), reference.perceptron.perceptron_output(X, w, b),
           f"perceptron_output({show(X)}, {show(w)}, {b})")


@pytest.mark.points(2)
@pytest.mark.parametrize("gate, table", [("OR", OR), ("AND", AND)])
def test_gate_constants(perceptron, reference, gate, table):
    """OR_/AND_WEIGHTS and _BIAS reproduce the truth table"""
    w, b = getattr(perceptron, f"{gate}_WEIGHTS"), getattr(perceptron, f"{gate}_BIAS")
    if w is None or b is None:
        pytest.fail(f"{gate}_WEIGHTS = {show(w)}, {gate}_BIAS = {show(b)}: set both", pytrace=False)
    expect(reference.perceptron.perceptron_output(CORNERS, np.asarray(w, dtype=float), float(b)), table,
           f"the {gate} table with {gate}_WEIGHTS = {show(w)}, {gate}_BIAS = {show(b)}")


def check_training(perceptron, reference, X, y, **kwargs):
    arguments = ", ".join(f"{k}={v}" for k, v in kwargs.items())
    call = f"train_perceptron(X, y, {arguments}) with X = {show(X)}, y = {show(y)}"
    weights, bias = expect_tuple(perceptron.train_perceptron(X, y, **kwargs), 2, call)
    want_weights, want_bias = reference.perceptron.train_perceptron(X, y, **kwargs)
    expect(weights, want_weights, call + ", weights")
    expect(bias, want_bias, call + ", bias")


@pytest.mark.points(2)
@pytest.mark.parametrize("epochs", [1, 2, 3])
def test_train_perceptron_on_or_epoch_by_epoch(perceptron, reference, epochs):
    """train_perceptron's exact weights on OR after 1, 2 and 3 epochs"""
    check_training(perceptron, reference, CORNERS, OR, learning_rate=1.0, epochs=epochs)


@pytest.mark.points(2)
def test_train_perceptron_on_and_with_a_small_learning_rate(perceptron, reference):
    """train_perceptron's exact weights on AND with learning_rate 0.25"""
    check_training(perceptron, reference, CORNERS, AND, learning_rate=0.25, epochs=6)


@pytest.mark.points(2)
@pytest.mark.parametrize("seed", [1, 2])
def test_train_perceptron_on_random_data(perceptron, reference, seed):
    """train_perceptron's exact weights on random separable data with 3 features"""
    X, y = separable(seed)
    check_training(perceptron, reference, X, y, learning_rate=0.5, epochs=4)


@pytest.mark.points(1)
def test_train_perceptron_defaults(perceptron, reference):
    """train_perceptron with its default learning rate and epochs"""
    X, y = separable(5)
    check_training(perceptron, reference, X, y)



XOR = np.array([0.0, 1.0, 1.0, 0.0])


def check_until_converged(perceptron, reference, X, y, **kwargs):
    arguments = "".join(f", {k}={v}" for k, v in kwargs.items())
    call = f"train_until_converged(X, y{arguments}) with X = {show(X)}, y = {show(y)}"
    weights, bias, epochs = expect_tuple(perceptron.train_until_converged(X, y, **kwargs), 3, call)
    want_weights, want_bias, want_epochs = reference.perceptron.train_until_converged(X, y, **kwargs)
    if want_epochs is None and epochs is not None:
        pytest.fail(f"{call}\n  expected epochs = None (never converged), got {show(epochs)}", pytrace=False)
    if want_epochs is not None and (epochs is None or isinstance(epochs, bool) or epochs != want_epochs):
        pytest.fail(f"{call}\n  expected epochs = {want_epochs}, got {show(epochs)}", pytrace=False)
    expect(weights, want_weights, call + ", weights")
    expect(bias, want_bias, call + ", bias")
    return epochs


@pytest.mark.points(1)
@pytest.mark.parametrize("gate, table", [("OR", OR), ("AND", AND)])
def test_train_until_converged_on_the_gates(perceptron, reference, gate, table):
    """train_until_converged stops after the first epoch that gets all of OR / AND right"""
    check_until_converged(perceptron, reference, CORNERS, table)


@pytest.mark.points(1)
@pytest.mark.parametrize("learning_rate, max_epochs", [(1.0, 7), (0.5, 2)])
def test_train_until_converged_gives_up_on_xor(perceptron, reference, learning_rate, max_epochs):
    """train_until_converged on XOR returns epochs = None and the weights after max_epochs"""
    check_until_converged(perceptron, reference, CORNERS, XOR, learning_rate=learning_rate, max_epochs=max_epochs)


@pytest.mark.points(1)
@pytest.mark.parametrize("seed, features", [(2, 3), (27, 1), (1, 4)])
def test_train_until_converged_on_random_data(perceptron, reference, seed, features):
    """train_until_converged on random separable data"""
    X, y = separable(seed, features=features)
    check_until_converged(perceptron, reference, X, y, learning_rate=0.5, max_epochs=50)


@pytest.mark.points(1)
def test_train_until_converged_stops_in_time(perceptron, reference):
    """train_until_converged returns None when max_epochs runs out just before it would converge"""
    want = reference.perceptron.train_until_converged(CORNERS, AND)[2]
    check_until_converged(perceptron, reference, CORNERS, AND, max_epochs=want - 1)


@pytest.mark.points(1)
def test_train_until_converged_on_one_row_of_integers(perceptron, reference):
    """train_until_converged on a single row, an int array"""
    check_until_converged(perceptron, reference, np.array([[2, -1]]), np.array([0]))


@pytest.mark.points(1)
def test_train_until_converged_defaults(perceptron, reference):
    """train_until_converged with its default learning rate and max_epochs"""
    X, y = separable(8, n=16)
    check_until_converged(perceptron, reference, X, y)


@pytest.mark.points(1)
def test_train_until_converged_for_a_thousand_epochs(perceptron, reference):
    """train_until_converged on XOR for 1000 epochs"""
    check_until_converged(perceptron, reference, CORNERS, XOR, max_epochs=1000)


@pytest.mark.points(1)
def test_train_until_converged_returns_an_int(perceptron, reference):
    """train_until_converged returns the number of epochs as an int"""
    epochs = check_until_converged(perceptron, reference, CORNERS, OR)
    assert isinstance(epochs, (int, np.integer)), \
        f"train_until_converged(X, OR): expected epochs as an int, got {type(epochs).__name__} {show(epochs)}"
