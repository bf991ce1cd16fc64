"""Hidden tests for gradient_descent.py: the submission against the reference on seeded inputs."""
import numpy as np
import pytest
from harness import expect, expect_floats_matching, expect_tuple, numerical_gradient, show


def data(seed, n=23, features=3):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, features))
    y = (X @ rng.normal(size=features) + rng.normal(scale=0.5, size=n) > 0).astype(float)
    return X, y, rng.normal(size=features), float(rng.normal())


@pytest.mark.points(1)
@pytest.mark.parametrize("seed, n, features", [(1, 23, 3), (2, 23, 3), (16, 1, 5), (17, 6, 1)])
def test_predict_proba(gradient_descent, reference, seed, n, features):
    """predict_proba = sigmoid(X @ w + b) on random data, also of one row and of 1 or 5 features"""
    X, _, w, b = data(seed, n=n, features=features)
    expect(gradient_descent.predict_proba(X, w, b), reference.gradient_descent.predict_proba(X, w, b),
           f"predict_proba({show(X)}, {show(w)}, {b!r})", rtol=1e-9)


@pytest.mark.points(2)
@pytest.mark.parametrize("seed", [3, 4])
def test_cross_entropy_loss(gradient_descent, reference, seed):
    """cross_entropy_loss, the mean over rows, on random data"""
    X, y, w, b = data(seed)
    expect(gradient_descent.cross_entropy_loss(X, y, w, b),
           reference.gradient_descent.cross_entropy_loss(X, y, w, b),
           f"cross_entropy_loss({show(X)}, {show(y)}, {show(w)}, {b!r})", rtol=1e-9)


@pytest.mark.points(1)
def test_cross_entropy_loss_is_clipped(gradient_descent, reference):
    """cross_entropy_loss stays finite for predictions of exactly 0 and 1"""
    X, y, w = np.array([[1.0], [-1.0], [2.0]]), np.array([0.0, 1.0, 1.0]), np.array([1000.0])
    expect(gradient_descent.cross_entropy_loss(X, y, w, 0.0),
           reference.gradient_descent.cross_entropy_loss(X, y, w, 0.0),
           f"cross_entropy_loss({show(X)}, {show(y)}, {show(w)}, 0.0)", rtol=1e-4)


def check_gradient(gradient_descent, reference, X, y, w, b, note=""):
    call = f"gradient({show(X)}, {show(y)}, {show(w)}, {b!r}){note}"
    dw, db = expect_tuple(gradient_descent.gradient(X, y, w, b), 2, call)
    want_dw, want_db = reference.gradient_descent.gradient(X, y, w, b)
    expect(dw, want_dw, call + ", dw", rtol=1e-8)
    expect(db, want_db, call + ", db", rtol=1e-8)


@pytest.mark.points(2)
@pytest.mark.parametrize("seed, n, features", [(5, 23, 3), (6, 1, 3), (7, 4, 3), (18, 9, 5), (19, 1, 1)])
def test_gradient_matches_reference(gradient_descent, reference, seed, n, features):
    """gradient on random data, including a single row and 1 or 5 features"""
    check_gradient(gradient_descent, reference, *data(seed, n=n, features=features))


@pytest.mark.points(2)
def test_gradient_matches_a_numerical_gradient(gradient_descent, reference):
    """gradient against (L(w + eps) - L(w - eps)) / 2eps of the reference loss"""
    X, y, w, b = data(8, n=15, features=4)
    numerical = numerical_gradient(lambda p: reference.gradient_descent.cross_entropy_loss(X, y, p["w"], p["b"][0]),
                                   {"w": w, "b": np.array([b])})
    call = f"gradient({show(X)}, {show(y)}, {show(w)}, {b!r})"
    dw, db = expect_tuple(gradient_descent.gradient(X, y, w, b), 2, call)
    expect(dw, numerical["w"], call + ", dw against a numerical gradient", rtol=1e-5, atol=1e-8)
    expect(db, numerical["b"][0], call + ", db against a numerical gradient", rtol=1e-5, atol=1e-8)


def check_descent(gradient_descent, reference, method, X, y, checked_epochs=None, **kwargs):
    """The submission's run against the reference's: losses, w and b. With checked_epochs, the
    reference runs only that many epochs, and only the first losses and their count are compared:
    a long run stays cheap."""
    arguments = ", ".join(f"{k}={v}" for k, v in kwargs.items())
    call = f"{method}(X, y, {arguments}) with X = {show(X)}, y = {show(y)}"
    w, b, losses = expect_tuple(getattr(gradient_descent, method)(X, y, **kwargs), 3, call)
    checked = dict(kwargs, epochs=checked_epochs) if checked_epochs else kwargs
    want_w, want_b, want_losses = getattr(reference.gradient_descent, method)(X, y, **checked)
    count = kwargs["epochs"] if checked_epochs else len(want_losses)
    if not isinstance(losses, (list, tuple, np.ndarray)) or len(losses) != count:
        pytest.fail(f"{call}\n  expected {count} losses, one per epoch, got {show(losses)[:200]}", pytrace=False)
    expect(np.asarray(losses[:len(want_losses)], dtype=float), np.asarray(want_losses),
           call + (f", the first {checked_epochs} losses" if checked_epochs else ", losses") + " (after each epoch)",
           rtol=1e-6)
    if not checked_epochs:
        expect(w, want_w, call + ", w", rtol=1e-6)
        expect(b, want_b, call + ", b", rtol=1e-6)


@pytest.mark.points(3)
@pytest.mark.parametrize("learning_rate, epochs", [(0.1, 1), (0.5, 30)])
def test_batch_gradient_descent(gradient_descent, reference, learning_rate, epochs):
    """batch_gradient_descent's weights and per-epoch losses"""
    X, y, _, _ = data(9)
    check_descent(gradient_descent, reference, "batch_gradient_descent", X, y,
                  learning_rate=learning_rate, epochs=epochs)


@pytest.mark.points(1)
def test_batch_gradient_descent_defaults(gradient_descent, reference):
    """batch_gradient_descent with its default learning rate and epochs"""
    X, y, _, _ = data(10)
    check_descent(gradient_descent, reference, "batch_gradient_descent", X, y)


@pytest.mark.points(3)
@pytest.mark.parametrize("seed", [0, 11])
def test_stochastic_gradient_descent_order_from_the_seed(gradient_descent, reference, seed):
    """stochastic_gradient_descent visits rows in rng.permutation order from the seed"""
    X, y, _, _ = data(12, n=9)
    check_descent(gradient_descent, reference, "stochastic_gradient_descent", X, y,
                  learning_rate=0.3, epochs=3, seed=seed)


@pytest.mark.points(1)
def test_stochastic_gradient_descent_defaults(gradient_descent, reference):
    """stochastic_gradient_descent with its defaults"""
    X, y, _, _ = data(13, n=11)
    check_descent(gradient_descent, reference, "stochastic_gradient_descent", X, y)


@pytest.mark.points(3)
@pytest.mark.parametrize("batch_size", [4, 5, 32], ids=lambda s: f"batch_size={s}")
def test_minibatch_gradient_descent_with_a_partial_last_batch(gradient_descent, reference, batch_size):
    """minibatch_gradient_descent on 23 rows: the last chunk is smaller and still counts"""
    X, y, _, _ = data(14)
    check_descent(gradient_descent, reference, "minibatch_gradient_descent", X, y,
                  learning_rate=0.2, epochs=4, batch_size=batch_size, seed=5)


@pytest.mark.points(1)
def test_minibatch_gradient_descent_defaults(gradient_descent, reference):
    """minibatch_gradient_descent with its defaults on 70 rows"""
    X, y, _, _ = data(15, n=70)
    check_descent(gradient_descent, reference, "minibatch_gradient_descent", X, y)


@pytest.mark.points(2)
@pytest.mark.parametrize("method, n, kwargs", [
    ("batch_gradient_descent", 2, {}),
    ("stochastic_gradient_descent", 2, {"seed": 2}),
    ("minibatch_gradient_descent", 3, {"batch_size": 2, "seed": 2}),
], ids=["batch", "stochastic", "minibatch"])
def test_a_run_of_1000_epochs(gradient_descent, reference, method, n, kwargs):
    """a run of 1000 epochs: every epoch is run and its loss recorded, to the end (the first 100 as the reference's)"""
    X, y, _, _ = data(20, n=n, features=2)
    check_descent(gradient_descent, reference, method, X, y, checked_epochs=100, learning_rate=0.5, epochs=1000,
                  **kwargs)


@pytest.mark.points(1)
@pytest.mark.parametrize("method, kwargs", [
    ("batch_gradient_descent", {}),
    ("stochastic_gradient_descent", {"seed": 3}),
    ("minibatch_gradient_descent", {"batch_size": 2, "seed": 3}),
], ids=["batch", "stochastic", "minibatch"])
def test_training_on_five_features(gradient_descent, reference, method, kwargs):
    """training on data with 5 features"""
    X, y, _, _ = data(21, n=9, features=5)
    check_descent(gradient_descent, reference, method, X, y, learning_rate=0.3, epochs=3, **kwargs)


def integer_data(seed, n=8, features=3):
    X, y, _, _ = data(seed, n=n, features=features)
    return np.round(2 * X).astype(int), y.astype(int)


@pytest.mark.points(1)
def test_integer_input(gradient_descent, reference):
    """int arrays for X, y and w give the same values as floats"""
    X, y = integer_data(22)
    w, b = np.array([1, -1, 2]), 1
    for name, args in (("predict_proba", (X, w, b)), ("cross_entropy_loss", (X, y, w, b))):
        expect(getattr(gradient_descent, name)(*args), getattr(reference.gradient_descent, name)(*args),
               f"{name}({', '.join(show(a) for a in args)}) of int arrays", rtol=1e-9)
    check_gradient(gradient_descent, reference, X, y, w, b, " of int arrays")


@pytest.mark.points(2)
@pytest.mark.parametrize("method, kwargs", [
    ("batch_gradient_descent", {}),
    ("stochastic_gradient_descent", {"seed": 4}),
    ("minibatch_gradient_descent", {"batch_size": 3, "seed": 4}),
], ids=["batch", "stochastic", "minibatch"])
def test_training_on_integer_input(gradient_descent, reference, method, kwargs):
    """training on int arrays X and y: the weights are floats from the start"""
    X, y = integer_data(23)
    check_descent(gradient_descent, reference, method, X, y, learning_rate=0.3, epochs=3, **kwargs)


@pytest.mark.points(1)
@pytest.mark.parametrize("name, parts", [
    ("predict_proba", None), ("cross_entropy_loss", None), ("gradient", ("dw", "db")),
    ("batch_gradient_descent", ("w", "b", "losses")), ("stochastic_gradient_descent", ("w", "b", "losses")),
    ("minibatch_gradient_descent", ("w", "b", "losses")),
], ids=["predict_proba", "cross_entropy_loss", "gradient", "batch", "stochastic", "minibatch"])
def test_returns_floats(gradient_descent, reference, name, parts):
    """returns floats (not ints), also for int arrays"""
    X, y = integer_data(24)
    w, b = np.array([1, 0, -1]), 0
    args = {"predict_proba": (X, w, b), "cross_entropy_loss": (X, y, w, b), "gradient": (X, y, w, b)}.get(
        name, (X, y, 0.1, 2))
    expect_floats_matching(getattr(gradient_descent, name)(*args), getattr(reference.gradient_descent, name)(*args),
                           f"{name}({', '.join(show(a) for a in args)})", parts)
