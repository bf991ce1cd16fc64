"""Hidden tests for perceptron.py: the submission against the reference on seeded inputs."""
import numpy as np
import pytest
from harness import expect, expect_floats_matching, expect_tuple, show

CORNERS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
OR = np.array([0.0, 1.0, 1.0, 1.0])
AND = np.array([0.0, 0.0, 0.0, 1.0])
XOR = np.array([0.0, 1.0, 1.0, 0.0])


def separable(seed, n=12, features=3):
    """Random points labelled by a random line through the middle: the perceptron can learn them."""
    rng = np.random.default_rng(seed)
    X = rng.integers(-3, 4, size=(n, features)).astype(float)
    return X, (X @ rng.normal(size=features) + 0.5 > 0).astype(float)


def inseparable(seed, n=12, features=3):
    """Random points with random labels: no line separates them, so every epoch changes the weights."""
    rng = np.random.default_rng(seed)
    return rng.integers(-3, 4, size=(n, features)).astype(float), rng.integers(0, 2, size=n).astype(float)


@pytest.mark.points(1)
@pytest.mark.parametrize("features", [1, 2, 5])
def test_weighted_sum_of_one_sample(perceptron, reference, features):
    """weighted_sum of one sample is a number: bias + x @ weights"""
    rng = np.random.default_rng(features)
    x, w, b = rng.normal(size=features), rng.normal(size=features), float(rng.normal())
    expect(perceptron.weighted_sum(x, w, b), reference.perceptron.weighted_sum(x, w, b),
           f"weighted_sum({show(x)}, {show(w)}, {b!r})")


@pytest.mark.points(2)
@pytest.mark.parametrize("n, features", [(4, 2), (9, 3), (1, 4), (6, 5)])
def test_weighted_sum_of_a_batch(perceptron, reference, n, features):
    """weighted_sum of a batch gives one sum per row, also for a batch of one row"""
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
@pytest.mark.parametrize("n, features", [(10, 3), (1, 3), (7, 6)])
def test_perceptron_output_of_a_batch(perceptron, reference, n, features):
    """perceptron_output of a random batch, also of one row"""
    X, _ = separable(3, n=n, features=features)
    w = np.linspace(-1.0, 2.0, features)
    b = 0.5 - float(np.median(X @ w))  # the threshold between the rows: both labels occur
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
@pytest.mark.parametrize("data, seed", [(separable, 5), (inseparable, 1)], ids=["separable", "inseparable"])
def test_train_perceptron_defaults(perceptron, reference, data, seed):
    """train_perceptron with its default learning rate and epochs"""
    X, y = data(seed)
    check_training(perceptron, reference, X, y)


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
@pytest.mark.points(2)
def test_train_perceptron_for_1000_epochs(perceptron, reference):
    """train_perceptron runs every one of 1000 epochs on XOR, which it cannot separate"""
    check_training(perceptron, reference, CORNERS, XOR, learning_rate=0.5, epochs=1000)


@pytest.mark.points(2)
@pytest.mark.parametrize("features, seed", [(1, 8), (5, 7)])
def test_train_perceptron_on_other_numbers_of_features(perceptron, reference, features, seed):
    """train_perceptron's exact weights on data with 1 and 5 features"""
    X, y = separable(seed, features=features)
    check_training(perceptron, reference, X, y, learning_rate=0.5, epochs=5)


@pytest.mark.points(1)
def test_integer_input(perceptron, reference):
    """int arrays for x, weights, X and y give the same values as floats"""
    X, y = separable(8, n=6)
    X, y, w = X.astype(int), y.astype(int), np.array([2, -1, 1])
    expect(perceptron.weighted_sum(X[0], w, 1), reference.perceptron.weighted_sum(X[0], w, 1),
           f"weighted_sum({show(X[0])}, {show(w)}, 1) of int arrays")
    expect(perceptron.perceptron_output(X, w, -1), reference.perceptron.perceptron_output(X, w, -1),
           f"perceptron_output({show(X)}, {show(w)}, -1) of int arrays")


@pytest.mark.points(2)
@pytest.mark.parametrize("learning_rate", [1.0, 0.25])
def test_train_perceptron_on_integer_input(perceptron, reference, learning_rate):
    """train_perceptron on int arrays X and y: the weights are floats from the start"""
    X, y = separable(9, n=8)
    check_training(perceptron, reference, X.astype(int), y.astype(int), learning_rate=learning_rate, epochs=3)


@pytest.mark.points(1)
@pytest.mark.parametrize("name, sample, parts", [
    ("perceptron_output", slice(None), None), ("perceptron_output", 2, None),  # row 2 is labelled 1
    ("train_perceptron", slice(None), ("weights", "bias")),
], ids=["perceptron_output-batch", "perceptron_output-sample", "train_perceptron"])
def test_returns_floats(perceptron, reference, name, sample, parts):
    """returns floats (not bools or ints), also for int arrays"""
    X, y = separable(10, n=6)
    X, y, w = X.astype(int)[sample], y.astype(int), np.array([1, -2, 1])
    args = (X, w, 1) if name == "perceptron_output" else (X, y, 1.0, 2)
    expect_floats_matching(getattr(perceptron, name)(*args), getattr(reference.perceptron, name)(*args),
                           f"{name}({', '.join(show(a) for a in args)})", parts)
