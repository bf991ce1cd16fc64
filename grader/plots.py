"""Pictures (optional extra `plots`: matplotlib).

For students, `python -m grader plot` draws from their own code in assignments/ (a
module's notebook where its .py file is missing or the untouched stub, as in grading):
- perceptron.png: the perceptron's decision regions on OR, AND and XOR (no
  line separates XOR's classes: some corner stays on the wrong side);
- xor_network.png: the hidden-layer network's regions on XOR and on a circle;
- gradient_descent.png: the loss per epoch of batch, stochastic and mini-batch
  gradient descent on one data set, side by side;
- convergence.png: the epochs train_until_converged needs on OR and AND, beside
  XOR, where it gives up (with its line after max_epochs);
- multiclass.png: the weather data's four classes with the decision regions of
  the softmax classifier beside those of one-vs-rest.
For instructors, `grade` draws OUT/report.png: the score distribution per assignment.
"""
import importlib
import sys
import threading
from pathlib import Path

import numpy as np

from grader.paths import MODULES
from grader.results import columns

DPI = 100
CORNERS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
GATES = {"OR": np.array([0.0, 1.0, 1.0, 1.0]), "AND": np.array([0.0, 0.0, 0.0, 1.0]),
         "XOR": np.array([0.0, 1.0, 1.0, 0.0])}


class MissingMatplotlib(ImportError):
    pass


def load_matplotlib_soon():
    """Start importing matplotlib, if it is installed, in a thread of its own (once per process):
    drawing later then does not wait for it."""
    global _loading
    with _loading_lock:
        if _loading is None:
            _loading = threading.Thread(target=_load_matplotlib, daemon=True)
            _loading.start()


_loading, _loading_lock = None, threading.Lock()


def _load_matplotlib():
    try:
        _pyplot()
    except MissingMatplotlib:
        pass


def _pyplot():
    try:
        import matplotlib
    except ImportError:
        raise MissingMatplotlib("matplotlib is not installed (pip install -e \".[plots]\")") from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def _regions(axis, predict, X, y, title, limits=(-0.5, 1.5)):
    grid = np.linspace(*limits, 200)
    xx, yy = np.meshgrid(grid, grid)
    labels = np.asarray(predict(np.column_stack([xx.ravel(), yy.ravel()])), dtype=float).reshape(xx.shape)
    axis.contourf(xx, yy, labels, levels=[-0.5, 0.5, 1.5], colors=["#f4c7c3", "#c6dbef"])
    wrong = np.asarray(predict(X), dtype=float) != y
    axis.scatter(X[:, 0], X[:, 1], c=np.where(y == 1, "#08519c", "#a50f15"), edgecolors="k", s=60, zorder=3)
    if wrong.any():
        axis.scatter(X[wrong, 0], X[wrong, 1], s=250, facecolors="none", edgecolors="k", linewidths=2, zorder=4)
        title += f"\n{int(wrong.sum())} point(s) on the wrong side, circled"
    axis.set(title=title, xlim=limits, ylim=limits, xlabel="x1", ylabel="x2")


def perceptron_figure(plt, perceptron):
    figure, axes = plt.subplots(1, 3, figsize=(12, 4.6), dpi=DPI)
    for axis, (gate, y) in zip(axes, GATES.items()):
        weights, bias = perceptron.train_perceptron(CORNERS, y, epochs=20)
        note = "\nno line separates its classes" if gate == "XOR" else ""
        _regions(axis, lambda X, w=weights, b=bias: perceptron.perceptron_output(X, w, b), CORNERS, y,
                 f"perceptron on {gate}{note}")
    figure.tight_layout()
    return figure


def convergence_figure(plt, perceptron):
    figure, axes = plt.subplots(1, 3, figsize=(12, 5), dpi=DPI)
    for axis, (gate, y) in zip(axes, GATES.items()):
        weights, bias, epochs = perceptron.train_until_converged(CORNERS, y)
        outcome = f"converged after {epochs} epoch(s)" if epochs is not None else \
            "not converged after 100 epochs:\nno line separates its classes"
        _regions(axis, lambda X, w=weights, b=bias: perceptron.perceptron_output(X, w, b), CORNERS, y,
                 f"train_until_converged on {gate}\n{outcome}")
    figure.tight_layout()
    return figure


CLASS_COLOURS = ["#3182bd", "#fd8d3c", "#bdbdbd", "#756bb1"]


def _class_regions(axis, predict, X, labels, names, title):
    low, high = X.min(axis=0) - 0.2 * np.ptp(X, axis=0), X.max(axis=0) + 0.2 * np.ptp(X, axis=0)
    xx, yy = np.meshgrid(np.linspace(low[0], high[0], 200), np.linspace(low[1], high[1], 200))
    regions = np.asarray(predict(np.column_stack([xx.ravel(), yy.ravel()]))).reshape(xx.shape)
    colours = CLASS_COLOURS[:len(names)]
    axis.contourf(xx, yy, regions, levels=np.arange(len(names) + 1) - 0.5, colors=colours, alpha=0.35)
    for k, name in enumerate(names):
        axis.scatter(*X[labels == k].T, color=colours[k], edgecolors="k", s=25, label=name, zorder=3)
    accuracy = np.mean(np.asarray(predict(X)) == labels)
    axis.set(title=f"{title}\n{accuracy:.0%} of the days right", xlabel="humidity",
             ylabel="temperature (tens of degrees C)")
    axis.legend(loc="lower left", fontsize="small")


def multiclass_figure(plt, multiclass):
    X, labels = multiclass.weather_data()
    figure, axes = plt.subplots(1, 2, figsize=(10, 4.6), dpi=DPI)
    W, b, _ = multiclass.train(X, labels, len(multiclass.CLASSES))
    _class_regions(axes[0], lambda x: multiclass.predict(x, W, b), X, labels, multiclass.CLASSES,
                   "softmax over four output units")
    W, b = multiclass.train_one_vs_rest(X, labels, len(multiclass.CLASSES))
    _class_regions(axes[1], lambda x: multiclass.predict_one_vs_rest(x, W, b), X, labels, multiclass.CLASSES,
                   "one vs rest: four independent sigmoid units")
    figure.tight_layout()
    return figure


def circle_data(n=200, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1.5, 1.5, size=(n, 2))
    return X, (np.hypot(X[:, 0], X[:, 1]) < 1.0).astype(float)


def network_figure(plt, xor_network):
    figure, axes = plt.subplots(1, 2, figsize=(9, 4.2), dpi=DPI)
    params, _ = xor_network.train(CORNERS, GATES["XOR"])
    _regions(axes[0], lambda X: xor_network.predict(params, X), CORNERS, GATES["XOR"], "hidden layer on XOR")
    X, y = circle_data()
    params, _ = xor_network.train(X, y, n_hidden=8, learning_rate=2.0, epochs=3000)
    _regions(axes[1], lambda X: xor_network.predict(params, X), X, y, "hidden layer (8 units) on a circle",
             limits=(-1.5, 1.5))
    figure.tight_layout()
    return figure


def descent_figure(plt, gradient_descent):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(120, 2))
    y = (X @ np.array([2.0, -1.0]) + rng.normal(scale=0.8, size=120) > 0).astype(float)
    runs = {"batch": gradient_descent.batch_gradient_descent(X, y, 0.5, 30),
            "stochastic": gradient_descent.stochastic_gradient_descent(X, y, 0.05, 30),
            "mini-batch (16)": gradient_descent.minibatch_gradient_descent(X, y, 0.2, 30, batch_size=16)}
    figure, axes = plt.subplots(1, 3, figsize=(12, 3.8), dpi=DPI, sharey=True)
    for axis, (name, (_, _, losses)) in zip(axes, runs.items()):
        axis.plot(np.arange(1, len(losses) + 1), losses, marker=".")
        axis.set(title=f"{name} gradient descent", xlabel="epoch")
    axes[0].set_ylabel("cross-entropy loss on all rows")
    figure.tight_layout()
    return figure


FIGURES = {"perceptron.png": ("perceptron", perceptron_figure),
           "xor_network.png": ("xor_network", network_figure),
           "gradient_descent.png": ("gradient_descent", descent_figure),
           "convergence.png": ("perceptron", convergence_figure),
           "multiclass.png": ("multiclass", multiclass_figure)}


def student_main(out):
    """Draw the student's pictures into `out`; returns an exit code."""
    try:
        plt = _pyplot()
    except MissingMatplotlib as error:
        print(f"plot: {error}", file=sys.stderr)
        return 2
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    from grader.check import use_notebooks

    for line in use_notebooks().values():
        print(line)
    drawn = 0
    for filename, (module, draw) in FIGURES.items():
        try:
            figure = draw(plt, importlib.import_module(module))
        except (Exception, SystemExit) as error:  # the student's code is unfinished or wrong: say so, draw the rest
            print(f"{filename} not drawn: {type(error).__name__}: {error}")
            continue
        figure.savefig(out / filename)
        plt.close(figure)
        print(f"drew {out / filename}")
        drawn += 1
    return 0 if drawn == len(FIGURES) else 1


def report_figure(results, path):
    """OUT/report.png: a histogram of the scores per assignment. Returns what to tell the user."""
    try:
        plt = _pyplot()
    except MissingMatplotlib:
        return "report.png not drawn: matplotlib is not installed (pip install -e \".[plots]\")"
    from matplotlib.ticker import MaxNLocator

    figure, axes = plt.subplots(1, len(MODULES) + 1, figsize=(3 * (len(MODULES) + 1), 3), dpi=DPI)
    for axis, (name, scores) in zip(axes, columns(results).items()):
        top = max((s.max_points for s in scores), default=1) or 1
        axis.hist([s.points for s in scores], bins=10, range=(0, top), color="#3182bd", edgecolor="white")
        axis.set(title=name, xlabel=f"points (of {top:g})")
        axis.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes[0].set_ylabel("students")
    figure.tight_layout()
    partial = path.with_name(f".{path.name}.tmp")
    figure.savefig(partial, format="png")
    plt.close(figure)
    partial.replace(path)  # whole or not at all, like every other file in OUT
    return f"Report:    {path}"
