"""Hidden tests for multiclass.py: the submission against the reference on seeded inputs.

The data come from the reference's weather_data, never from the submission's copy.
"""
import inspect
import warnings

import numpy as np
import pytest
from harness import expect, expect_tuple, numerical_gradient, show

# (n_samples, n_features, n_classes): one row, and 1 to 5 features with 2 to 6 classes. A test
# that checks every shape scores only when all of them are right.
SHAPES = [(1, 3, 4), (6, 1, 2), (11, 2, 3), (17, 3, 4), (9, 4, 5), (14, 5, 6)]


def data(seed, n=23, features=2, classes=4):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, features))
    labels = rng.integers(0, classes, size=n)
    return X, labels, rng.normal(size=(features, classes)), rng.normal(size=classes)


def weather(reference, n, seed):
    return reference.multiclass.weather_data(n, seed)


@pytest.mark.points(2)
def test_one_hot(multiclass, reference):
    """one_hot of random labels, 1 to 17 of them, 2 to 6 classes"""
    for n, features, classes in SHAPES:
        _, labels, _, _ = data(n, n, features, classes)
        expect(multiclass.one_hot(labels, classes), reference.multiclass.one_hot(labels, classes),
               f"one_hot({show(labels)}, {classes})")


@pytest.mark.points(1)
def test_one_hot_returns_floats(multiclass, reference):
    """one_hot returns floats"""
    labels = np.array([3, 0, 2, 2])
    got = multiclass.one_hot(labels, 5)
    expect(got, reference.multiclass.one_hot(labels, 5), f"one_hot({show(labels)}, 5)")
    assert got.dtype.kind == "f", f"one_hot({show(labels)}, 5): expected floats, got dtype {got.dtype}"


@pytest.mark.points(2)
def test_output_scores(multiclass, reference):
    """output_scores = X @ W + b, for one row and for 1 to 5 features with 2 to 6 classes"""
    for n, features, classes in SHAPES:
        X, _, W, b = data(n + 1, n, features, classes)
        expect(multiclass.output_scores(X, W, b), reference.multiclass.output_scores(X, W, b),
               f"output_scores({show(X)}, {show(W)}, {show(b)})", rtol=1e-9)


@pytest.mark.points(1)
def test_output_scores_of_integer_inputs(multiclass, reference):
    """output_scores of an int array X"""
    X, _, W, b = data(30, n=8, features=3, classes=3)
    X = np.round(3 * X).astype(int)
    expect(multiclass.output_scores(X, W, b), reference.multiclass.output_scores(X, W, b),
           f"output_scores({show(X)}, {show(W)}, {show(b)})", rtol=1e-9)


@pytest.mark.points(3)
def test_predict_proba(multiclass, reference):
    """predict_proba: the softmax of the scores along each row, for every shape"""
    for n, features, classes in SHAPES:
        X, _, W, b = data(n + 2, n, features, classes)
        expect(multiclass.predict_proba(X, W, b), reference.multiclass.predict_proba(X, W, b),
               f"predict_proba({show(X)}, {show(W)}, {show(b)})", rtol=1e-9)


@pytest.mark.points(2)
def test_predict_proba_of_huge_scores(multiclass, reference):
    """predict_proba of scores around 1e4: no overflow, no warning"""
    X, _, W, b = data(31, n=5, features=2, classes=4)
    W = 1e4 * W
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = multiclass.predict_proba(X, W, b)
    expect(got, reference.multiclass.predict_proba(X, W, b), f"predict_proba({show(X)}, {show(W)}, {show(b)})")


@pytest.mark.points(3)
def test_cross_entropy_loss(multiclass, reference):
    """cross_entropy_loss, the mean over rows, on random data of every shape"""
    for n, features, classes in SHAPES[1:]:
        X, labels, W, b = data(n + 3, n, features, classes)
        expect(multiclass.cross_entropy_loss(X, labels, W, b),
               reference.multiclass.cross_entropy_loss(X, labels, W, b),
               f"cross_entropy_loss({show(X)}, {show(labels)}, {show(W)}, {show(b)})", rtol=1e-9)


@pytest.mark.points(1)
def test_cross_entropy_loss_of_one_row_of_integers(multiclass, reference):
    """cross_entropy_loss of a single row, an int array"""
    X, labels, W, b = np.array([[2, -1, 0]]), np.array([1]), *data(32, n=1, features=3, classes=3)[2:]
    expect(multiclass.cross_entropy_loss(X, labels, W, b), reference.multiclass.cross_entropy_loss(X, labels, W, b),
           f"cross_entropy_loss({show(X)}, {show(labels)}, {show(W)}, {show(b)})", rtol=1e-9)


@pytest.mark.points(1)
def test_cross_entropy_loss_returns_a_float(multiclass, reference):
    """cross_entropy_loss returns a float"""
    X, labels, W, b = data(37, n=6, features=2, classes=3)
    got = multiclass.cross_entropy_loss(X, labels, W, b)
    call = f"cross_entropy_loss({show(X)}, {show(labels)}, {show(W)}, {show(b)})"
    expect(got, reference.multiclass.cross_entropy_loss(X, labels, W, b), call, rtol=1e-9)
    assert isinstance(got, float), f"{call}: expected a float, got {type(got).__name__} {show(got)}"


@pytest.mark.points(1)
def test_cross_entropy_loss_is_clipped(multiclass, reference):
    """cross_entropy_loss stays finite when the true class gets probability 0"""
    X, labels = np.array([[1.0], [-1.0], [2.0]]), np.array([0, 2, 1])
    W, b = np.array([[-1000.0, 1000.0, 0.0]]), np.zeros(3)
    expect(multiclass.cross_entropy_loss(X, labels, W, b), reference.multiclass.cross_entropy_loss(X, labels, W, b),
           f"cross_entropy_loss({show(X)}, {show(labels)}, {show(W)}, {show(b)})", rtol=1e-4)


@pytest.mark.points(3)
def test_gradient(multiclass, reference):
    """gradient on random data of every shape, including a single row"""
    for n, features, classes in SHAPES:
        X, labels, W, b = data(n + 4, n, features, classes)
        call = f"gradient({show(X)}, {show(labels)}, {show(W)}, {show(b)})"
        dW, db = expect_tuple(multiclass.gradient(X, labels, W, b), 2, call)
        want_dW, want_db = reference.multiclass.gradient(X, labels, W, b)
        expect(dW, want_dW, call + ", dW", rtol=1e-8)
        expect(db, want_db, call + ", db", rtol=1e-8)


@pytest.mark.points(2)
def test_gradient_matches_a_numerical_gradient(multiclass, reference):
    """gradient against (L(W + eps) - L(W - eps)) / 2eps of the reference loss"""
    X, labels, W, b = data(33, n=15, features=3, classes=4)
    numerical = numerical_gradient(lambda p: reference.multiclass.cross_entropy_loss(X, labels, p["W"], p["b"]),
                                   {"W": W, "b": b})
    call = f"gradient({show(X)}, {show(labels)}, {show(W)}, {show(b)})"
    dW, db = expect_tuple(multiclass.gradient(X, labels, W, b), 2, call)
    expect(dW, numerical["W"], call + ", dW against a numerical gradient", rtol=1e-5, atol=1e-8)
    expect(db, numerical["b"], call + ", db against a numerical gradient", rtol=1e-5, atol=1e-8)


def check_training(multiclass, reference, X, labels, n_classes, **kwargs):
    arguments = "".join(f", {k}={v}" for k, v in kwargs.items())
    call = f"train(X, labels, {n_classes}{arguments}) with X = {show(X)}, labels = {show(labels)}"
    W, b, losses = expect_tuple(multiclass.train(X, labels, n_classes, **kwargs), 3, call)
    want_W, want_b, want_losses = reference.multiclass.train(X, labels, n_classes, **kwargs)
    if not isinstance(losses, (list, tuple, np.ndarray)) or len(losses) != len(want_losses):
        pytest.fail(f"{call}\n  expected {len(want_losses)} losses, one per epoch, got {show(losses)[:200]}",
                    pytrace=False)
    expect(np.asarray(losses, dtype=float), np.asarray(want_losses), call + ", losses (after each epoch)", rtol=1e-6)
    expect(W, want_W, call + ", W", rtol=1e-6)
    expect(b, want_b, call + ", b", rtol=1e-6)
    return W, b


@pytest.mark.points(2)
@pytest.mark.parametrize("learning_rate, epochs, seed", [(1.0, 1, 1), (0.3, 25, 2)])
def test_train(multiclass, reference, learning_rate, epochs, seed):
    """train's weights and per-epoch losses on the weather data"""
    X, labels = weather(reference, 30, seed)
    check_training(multiclass, reference, X, labels, 4, learning_rate=learning_rate, epochs=epochs)


@pytest.mark.points(2)
def test_train_on_other_shapes(multiclass, reference):
    """train on random data of other shapes: 1 to 5 features, 2 to 6 classes"""
    for n, features, classes in SHAPES[1:]:
        X, labels, _, _ = data(n + 5, n, features, classes)
        check_training(multiclass, reference, X, labels, classes, learning_rate=0.7, epochs=6)


@pytest.mark.points(1)
def test_train_on_one_row_of_integers(multiclass, reference):
    """train on a single row, an int array"""
    check_training(multiclass, reference, np.array([[1, -2]]), np.array([2]), 3, learning_rate=0.5, epochs=4)


@pytest.mark.points(1)
def test_train_defaults(multiclass, reference):
    """train with its default learning rate and epochs"""
    X, labels = weather(reference, 50, 3)
    check_training(multiclass, reference, X, labels, 4)


@pytest.mark.points(1)
def test_train_for_a_thousand_epochs(multiclass, reference):
    """train for 1000 epochs"""
    X, labels = weather(reference, 24, 4)
    check_training(multiclass, reference, X, labels, 4, learning_rate=1.0, epochs=1000)


@pytest.mark.points(2)
def test_train_classifies_the_weather(multiclass, reference):
    """train on weather data classifies at least 85% of the days right"""
    X, labels = weather(reference, 200, 7)  # not the default seed's days: no answer known in advance fits
    W, b, _ = expect_tuple(multiclass.train(X, labels, 4), 3, "train(X, labels, 4) on weather_data(200, 7)")
    accuracy = np.mean(reference.multiclass.predict(X, np.asarray(W, dtype=float), np.asarray(b, dtype=float))
                       == labels)
    assert accuracy >= 0.85, f"train(X, labels, 4) on weather_data(200, 7): the learned W = {show(W)}, b = {show(b)} " \
                             f"classify {accuracy:.1%} of the days right, expected at least 85%"


@pytest.mark.points(2)
def test_predict(multiclass, reference):
    """predict: the index of each row's highest score, for every shape"""
    for n, features, classes in SHAPES:
        X, _, W, b = data(n + 9, n, features, classes)
        expect(multiclass.predict(X, W, b), reference.multiclass.predict(X, W, b),
               f"predict({show(X)}, {show(W)}, {show(b)})")


@pytest.mark.points(1)
def test_predict_breaks_ties_towards_the_lowest_index(multiclass, reference):
    """predict on tied scores gives the lowest index"""
    X, _, W, b = data(34, n=12, features=2, classes=5)
    W[:, 3], b[3] = W[:, 1], b[1]
    W[:, 4], b[4] = W[:, 0], b[0]
    expect(multiclass.predict(X, W, b), reference.multiclass.predict(X, W, b),
           f"predict({show(X)}, {show(W)}, {show(b)}): units 1 and 3, 0 and 4 are the same")


@pytest.mark.points(1)
def test_predict_returns_ints(multiclass, reference):
    """predict returns ints"""
    X, _, W, b = data(35, n=7, features=2, classes=3)
    got = multiclass.predict(X, W, b)
    expect(got, reference.multiclass.predict(X, W, b), f"predict({show(X)}, {show(W)}, {show(b)})")
    assert got.dtype.kind in "iu", f"predict: expected ints (class indices), got dtype {got.dtype}"


def gradient_descent_problem(gradient_descent, reference, X, labels, n_classes, kwargs):
    """What is wrong with the submission's batch_gradient_descent, which train_one_vs_rest builds on; or None."""
    bound = inspect.signature(reference.multiclass.train_one_vs_rest).bind(X, labels, n_classes, **kwargs)
    bound.apply_defaults()
    learning_rate, epochs = bound.arguments["learning_rate"], bound.arguments["epochs"]
    for k in range(n_classes):
        y = (labels == k).astype(float)
        want_w, want_b, _ = reference.gradient_descent.batch_gradient_descent(X, y, learning_rate, epochs)
        try:
            w, b, _ = gradient_descent.batch_gradient_descent(X, y, learning_rate, epochs)
            same = np.allclose(np.asarray(w, dtype=float), want_w, rtol=1e-6, atol=1e-9) \
                and np.isclose(float(b), want_b, rtol=1e-6, atol=1e-9)
        except (Exception, pytest.fail.Exception) as error:
            return ("train_one_vs_rest builds on your gradient_descent.batch_gradient_descent, which failed: "
                    f"{str(error).splitlines()[-1].strip()}")
        if not same:
            return ("train_one_vs_rest builds on your gradient_descent.batch_gradient_descent, which gives other "
                    f"weights than the reference for the targets labels == {k}: fix gradient_descent.py first")
    return None


def check_one_vs_rest(multiclass, gradient_descent, reference, X, labels, n_classes, **kwargs):
    arguments = "".join(f", {k}={v}" for k, v in kwargs.items())
    call = f"train_one_vs_rest(X, labels, {n_classes}{arguments}) with X = {show(X)}, labels = {show(labels)}"
    want_W, want_b = reference.multiclass.train_one_vs_rest(X, labels, n_classes, **kwargs)
    try:
        W, b = expect_tuple(multiclass.train_one_vs_rest(X, labels, n_classes, **kwargs), 2, call)
        expect(W, want_W, call + ", W (column k: the unit for class k)", rtol=1e-6)
        expect(b, want_b, call + ", b", rtol=1e-6)
    except pytest.fail.Exception as failure:
        problem = gradient_descent_problem(gradient_descent, reference, X, labels, n_classes, kwargs)
        if problem is None:
            raise
        pytest.fail(f"{failure}\n  {problem}", pytrace=False)
    return W, b


@pytest.mark.points(3)
def test_train_one_vs_rest(multiclass, gradient_descent, reference):
    """train_one_vs_rest: one batch_gradient_descent unit per class, for 2 to 6 classes"""
    for n, features, classes in SHAPES[1:]:
        X, labels, _, _ = data(n + 7, n, features, classes)
        check_one_vs_rest(multiclass, gradient_descent, reference, X, labels, classes, learning_rate=0.4, epochs=7)


@pytest.mark.points(3)
def test_train_one_vs_rest_defaults_classify_the_weather(multiclass, gradient_descent, reference):
    """train_one_vs_rest with its defaults on weather data, classifying at least 85% of the days right"""
    X, labels = weather(reference, 200, 7)  # not the default seed's days: no answer known in advance fits
    W, b = check_one_vs_rest(multiclass, gradient_descent, reference, X, labels, 4)
    accuracy = np.mean(reference.multiclass.predict_one_vs_rest(X, W, b) == labels)
    assert accuracy >= 0.85, f"train_one_vs_rest on weather_data(200, 7) classifies {accuracy:.1%} of the days right"


@pytest.mark.points(1)
def test_train_one_vs_rest_on_one_row_of_integers(multiclass, gradient_descent, reference):
    """train_one_vs_rest on a single row, an int array"""
    check_one_vs_rest(multiclass, gradient_descent, reference, np.array([[2, -1]]), np.array([1]), 3,
                      learning_rate=1.0, epochs=50)


@pytest.mark.points(2)
def test_predict_one_vs_rest(multiclass, reference):
    """predict_one_vs_rest: the unit with the highest sigmoid output, for every shape"""
    for n, features, classes in SHAPES:
        X, _, W, b = data(n + 8, n, features, classes)
        expect(multiclass.predict_one_vs_rest(X, W, b), reference.multiclass.predict_one_vs_rest(X, W, b),
               f"predict_one_vs_rest({show(X)}, {show(W)}, {show(b)})")


@pytest.mark.points(1)
def test_predict_one_vs_rest_returns_ints(multiclass, reference):
    """predict_one_vs_rest returns ints"""
    X, _, W, b = data(36, n=7, features=3, classes=4)
    got = multiclass.predict_one_vs_rest(X, W, b)
    expect(got, reference.multiclass.predict_one_vs_rest(X, W, b),
           f"predict_one_vs_rest({show(X)}, {show(W)}, {show(b)})")
    assert got.dtype.kind in "iu", f"predict_one_vs_rest: expected ints (class indices), got dtype {got.dtype}"
