"""Small edits of the reference solutions: mistakes students really make, and correct
alternatives the API allows.

Each variant replaces one snippet (which must occur exactly once) in one
solution module. tests/test_hidden_suites.py grades every variant: a buggy one
must lose points on its module, a correct one must score full marks.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Variant:
    name: str
    module: str
    old: str
    new: str

    def apply(self, source):
        count = source.count(self.old)
        if count != 1:
            raise ValueError(f"variant {self.name}: the snippet occurs {count} times in {self.module}.py")
        return source.replace(self.old, self.new)


BUGGY = [
    Variant("step_is_zero_at_zero", "activations",
            "np.where(np.asarray(z) >= 0, 1.0, 0.0)", "np.where(np.asarray(z) > 0, 1.0, 0.0)"),
    Variant("sigmoid_overflows", "activations",
            "    e = np.exp(-np.abs(z))  # never overflows: the exponent is <= 0\n"
            "    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))",
            "    return 1.0 / (1.0 + np.exp(-z))"),
    Variant("relu_is_the_step", "activations",
            "return np.maximum(np.asarray(z, dtype=float), 0.0)", "return np.where(np.asarray(z) > 0, 1.0, 0.0)"),
    Variant("sigmoid_derivative_of_the_input", "activations", "    s = sigmoid(z)\n", "    s = z\n"),
    Variant("relu_derivative_is_one_at_zero", "activations",
            "np.where(np.asarray(z) > 0, 1.0, 0.0)", "np.where(np.asarray(z) >= 0, 1.0, 0.0)"),
    Variant("softmax_unstable", "activations",
            "np.exp(z - np.max(z, axis=-1, keepdims=True))", "np.exp(z)"),
    Variant("softmax_over_the_whole_array", "activations",
            "e / np.sum(e, axis=-1, keepdims=True)", "e / np.sum(e)"),
    Variant("softmax_over_columns", "activations",
            "e / np.sum(e, axis=-1, keepdims=True)", "e / np.sum(e, axis=0, keepdims=True)"),
    Variant("weighted_sum_forgets_the_bias", "perceptron",
            "@ np.asarray(weights, dtype=float) + bias", "@ np.asarray(weights, dtype=float)"),
    Variant("weighted_sum_subtracts_the_bias", "perceptron",
            "@ np.asarray(weights, dtype=float) + bias", "@ np.asarray(weights, dtype=float) - bias"),
    Variant("perceptron_fires_only_above_zero", "perceptron",
            "return step(weighted_sum(x, weights, bias))",
            "return np.where(weighted_sum(x, weights, bias) > 0, 1.0, 0.0)"),
    Variant("and_bias_of_or", "perceptron", "AND_BIAS = -2.0", "AND_BIAS = -1.0"),
    Variant("perceptron_rule_wrong_sign", "perceptron",
            "error = target - perceptron_output(xi, weights, bias)",
            "error = perceptron_output(xi, weights, bias) - target"),
    Variant("perceptron_bias_without_learning_rate", "perceptron",
            "bias = bias + learning_rate * error", "bias = bias + error"),
    Variant("perceptron_bias_never_learned", "perceptron",
            "            bias = bias + learning_rate * error\n", ""),
    Variant("perceptron_random_start", "perceptron",
            "weights = np.zeros(X.shape[1])", "weights = np.random.default_rng(0).normal(size=X.shape[1])"),
    Variant("perceptron_one_epoch_short", "perceptron", "for _ in range(epochs):", "for _ in range(epochs - 1):"),
    Variant("predict_proba_forgets_the_bias", "gradient_descent",
            "@ np.asarray(w, dtype=float) + b)", "@ np.asarray(w, dtype=float))"),
    Variant("loss_not_clipped", "gradient_descent",
            "p = np.clip(predict_proba(X, w, b), EPSILON, 1.0 - EPSILON)", "p = predict_proba(X, w, b)"),
    Variant("loss_summed_not_averaged", "gradient_descent",
            "return float(-np.mean(y * np.log(p)", "return float(-np.sum(y * np.log(p)"),
    Variant("gradient_without_division_by_n", "gradient_descent", "X.T @ error / len(X)", "X.T @ error"),
    Variant("gradient_wrong_sign", "gradient_descent",
            "error = predict_proba(X, w, b) - np.asarray(y, dtype=float)",
            "error = np.asarray(y, dtype=float) - predict_proba(X, w, b)"),
    Variant("batch_loss_recorded_before_the_step", "gradient_descent",
            "        dw, db = gradient(X, y, w, b)\n"
            "        w, b = w - learning_rate * dw, b - learning_rate * db\n"
            "        losses.append(cross_entropy_loss(X, y, w, b))",
            "        losses.append(cross_entropy_loss(X, y, w, b))\n"
            "        dw, db = gradient(X, y, w, b)\n"
            "        w, b = w - learning_rate * dw, b - learning_rate * db"),
    Variant("minibatch_drops_the_last_partial_batch", "gradient_descent",
            "for start in range(0, len(X), batch_size):",
            "for start in range(0, len(X) - batch_size + 1, batch_size):"),
    Variant("minibatch_never_shuffles", "gradient_descent",
            "order = rng.permutation(len(X))", "order = np.arange(len(X))"),
    Variant("minibatch_same_shuffle_every_epoch", "gradient_descent",
            "order = rng.permutation(len(X))", "order = np.random.default_rng(seed).permutation(len(X))"),
    Variant("sgd_ignores_the_seed", "gradient_descent", "batch_size=1, seed=seed)", "batch_size=1, seed=0)"),
    Variant("sgd_steps_on_all_rows", "gradient_descent", "batch_size=1, seed=seed)",
            "batch_size=len(X), seed=seed)"),
    Variant("xor_zero_hidden_weights", "xor_network",
            '"W1": rng.normal(size=(n_inputs, n_hidden))', '"W1": np.zeros((n_inputs, n_hidden))'),
    Variant("xor_init_ignores_the_seed", "xor_network",
            "    rng = np.random.default_rng(seed)\n    return {", "    rng = np.random.default_rng()\n    return {"),
    Variant("xor_output_not_flattened", "xor_network", "return hidden, output[:, 0]", "return hidden, output"),
    Variant("backward_without_sigmoid_derivative", "xor_network",
            "(delta2 @ params[\"W2\"].T) * hidden * (1.0 - hidden)", "(delta2 @ params[\"W2\"].T)"),
    Variant("backward_without_division_by_n", "xor_network",
            "((output - np.asarray(y, dtype=float)) / len(X))[:, None]",
            "(output - np.asarray(y, dtype=float))[:, None]"),
    Variant("backward_bias_averaged_twice", "xor_network",
            '"b1": delta1.sum(axis=0)', '"b1": delta1.mean(axis=0)'),
    Variant("train_ignores_the_seed", "xor_network",
            "init_params(np.asarray(X).shape[1], n_hidden, seed)", "init_params(np.asarray(X).shape[1], n_hidden)"),
    Variant("train_loss_recorded_before_the_step", "xor_network",
            "        grads = backward(params, X, y)\n"
            "        params = {k: params[k] - learning_rate * grads[k] for k in params}\n"
            "        losses.append(loss(params, X, y))",
            "        losses.append(loss(params, X, y))\n"
            "        grads = backward(params, X, y)\n"
            "        params = {k: params[k] - learning_rate * grads[k] for k in params}"),
    Variant("predict_strictly_above_one_half", "xor_network",
            "np.where(forward(params, X)[1] >= 0.5, 1.0, 0.0)", "np.where(forward(params, X)[1] > 0.5, 1.0, 0.0)"),
    Variant("xor_loss_not_clipped", "xor_network",
            "out = np.clip(forward(params, X)[1], EPSILON, 1.0 - EPSILON)", "out = forward(params, X)[1]"),
    Variant("until_converged_checked_before_the_epoch", "perceptron",
            "        for i in range(len(X)):\n"
            "            y_hat = perceptron_output(X[i], weights, bias)\n"
            "            weights = weights + learning_rate * (y[i] - y_hat) * X[i]\n"
            "            bias = bias + learning_rate * (y[i] - y_hat)\n"
            "        if np.array_equal(perceptron_output(X, weights, bias), y):\n"
            "            return weights, float(bias), epoch\n",
            "        if np.array_equal(perceptron_output(X, weights, bias), y):\n"
            "            return weights, float(bias), epoch\n"
            "        for i in range(len(X)):\n"
            "            y_hat = perceptron_output(X[i], weights, bias)\n"
            "            weights = weights + learning_rate * (y[i] - y_hat) * X[i]\n"
            "            bias = bias + learning_rate * (y[i] - y_hat)\n"),
    Variant("until_converged_counts_epochs_from_zero", "perceptron",
            "for epoch in range(1, max_epochs + 1):", "for epoch in range(max_epochs):"),
    Variant("until_converged_returns_max_epochs_when_it_gives_up", "perceptron",
            "return weights, float(bias), None", "return weights, float(bias), max_epochs"),
    Variant("until_converged_stops_after_an_epoch_without_mistakes", "perceptron",
            "        for i in range(len(X)):\n"
            "            y_hat = perceptron_output(X[i], weights, bias)\n"
            "            weights = weights + learning_rate * (y[i] - y_hat) * X[i]\n"
            "            bias = bias + learning_rate * (y[i] - y_hat)\n"
            "        if np.array_equal(perceptron_output(X, weights, bias), y):\n",
            "        mistakes = 0\n"
            "        for i in range(len(X)):\n"
            "            y_hat = perceptron_output(X[i], weights, bias)\n"
            "            mistakes += int(y_hat != y[i])\n"
            "            weights = weights + learning_rate * (y[i] - y_hat) * X[i]\n"
            "            bias = bias + learning_rate * (y[i] - y_hat)\n"
            "        if mistakes == 0:\n"),
    Variant("one_hot_transposed", "multiclass", "    return Y\n", "    return Y.T\n"),
    Variant("scores_forget_the_bias", "multiclass",
            "@ np.asarray(W, dtype=float) + np.asarray(b, dtype=float)", "@ np.asarray(W, dtype=float)"),
    Variant("multiclass_softmax_over_the_wrong_axis", "multiclass",
            "return softmax(output_scores(X, W, b))", "return softmax(output_scores(X, W, b).T).T"),
    Variant("multiclass_loss_not_clipped", "multiclass",
            "P = np.clip(predict_proba(X, W, b), EPSILON, 1.0)", "P = predict_proba(X, W, b)"),
    Variant("multiclass_loss_summed_not_averaged", "multiclass",
            "-np.mean(np.log(P[np.arange(len(labels)), labels]))",
            "-np.sum(np.log(P[np.arange(len(labels)), labels]))"),
    Variant("multiclass_gradient_without_division_by_n", "multiclass",
            "return X.T @ error / len(X), error.mean(axis=0)", "return X.T @ error, error.mean(axis=0)"),
    Variant("multiclass_db_over_the_wrong_axis", "multiclass",
            "return X.T @ error / len(X), error.mean(axis=0)", "return X.T @ error / len(X), error.mean(axis=1)"),
    Variant("multiclass_db_summed_not_averaged", "multiclass",
            "return X.T @ error / len(X), error.mean(axis=0)", "return X.T @ error / len(X), error.sum(axis=0)"),
    Variant("labels_used_as_one_hot", "multiclass",
            "error = predict_proba(X, W, b) - one_hot(labels, np.shape(W)[1])",
            "error = predict_proba(X, W, b) - np.asarray(labels)[:, None]"),
    Variant("multiclass_loss_recorded_before_the_step", "multiclass",
            "        dW, db = gradient(X, labels, W, b)\n"
            "        W, b = W - learning_rate * dW, b - learning_rate * db\n"
            "        losses.append(cross_entropy_loss(X, labels, W, b))",
            "        losses.append(cross_entropy_loss(X, labels, W, b))\n"
            "        dW, db = gradient(X, labels, W, b)\n"
            "        W, b = W - learning_rate * dW, b - learning_rate * db"),
    Variant("multiclass_random_start", "multiclass",
            "W, b = np.zeros((X.shape[1], n_classes)), np.zeros(n_classes)",
            "W, b = np.random.default_rng(0).normal(size=(X.shape[1], n_classes)), np.zeros(n_classes)"),
    Variant("predict_argmax_over_axis_0", "multiclass",
            "return np.argmax(output_scores(X, W, b), axis=1)", "return np.argmax(output_scores(X, W, b), axis=0)"),
    Variant("one_vs_rest_one_weight_vector_for_all_classes", "multiclass",
            "    units = [batch_gradient_descent(X, (labels == k).astype(float), learning_rate, epochs)\n"
            "             for k in range(n_classes)]\n"
            "    return np.column_stack([w for w, _, _ in units]), np.array([bias for _, bias, _ in units])",
            "    w, bias, _ = batch_gradient_descent(X, (labels == 0).astype(float), learning_rate, epochs)\n"
            "    return np.column_stack([w] * n_classes), np.full(n_classes, bias)"),
    Variant("one_vs_rest_targets_are_the_labels", "multiclass",
            "(labels == k).astype(float)", "labels.astype(float)"),
    Variant("predict_one_vs_rest_over_axis_0", "multiclass",
            "np.argmax(sigmoid(output_scores(X, W, b)), axis=1)", "np.argmax(sigmoid(output_scores(X, W, b)), axis=0)"),
    # Integer inputs, output types, defaults, long runs and edge shapes (issue 8, section 5).
    Variant("sigmoid_fills_an_array_like_its_input", "activations",
            "    z = np.asarray(z, dtype=float)\n"
            "    e = np.exp(-np.abs(z))  # never overflows: the exponent is <= 0\n"
            "    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))",
            "    z = np.asarray(z)\n"
            "    out = np.zeros_like(z)\n"
            "    e = np.exp(-np.abs(z))\n"
            "    out[z >= 0] = (1.0 / (1.0 + e))[z >= 0]\n"
            "    out[z < 0] = (e / (1.0 + e))[z < 0]\n"
            "    return out"),
    Variant("step_returns_bools", "activations",
            "return np.where(np.asarray(z) >= 0, 1.0, 0.0)", "return np.asarray(z) >= 0"),
    Variant("relu_keeps_the_int_dtype", "activations",
            "return np.maximum(np.asarray(z, dtype=float), 0.0)", "return np.maximum(z, 0)"),
    Variant("relu_derivative_returns_ints", "activations",
            "np.where(np.asarray(z) > 0, 1.0, 0.0)", "(np.asarray(z) > 0).astype(int)"),
    Variant("perceptron_weights_like_an_int_X", "perceptron",
            "    X = np.asarray(X, dtype=float)\n"
            "    y = np.asarray(y, dtype=float)\n"
            "    weights = np.zeros(X.shape[1])\n"
            "    bias = 0.0\n"
            "    for _ in range(epochs):\n"
            "        for xi, target in zip(X, y):\n"
            "            error = target - perceptron_output(xi, weights, bias)\n"
            "            weights = weights + learning_rate * error * xi\n",
            "    X = np.asarray(X)\n"
            "    y = np.asarray(y)\n"
            "    weights = np.zeros_like(X[0])\n"
            "    bias = 0.0\n"
            "    for _ in range(epochs):\n"
            "        for xi, target in zip(X, y):\n"
            "            error = target - perceptron_output(xi, weights, bias)\n"
            "            weights += learning_rate * error * xi\n"),
    Variant("perceptron_output_returns_ints", "perceptron",
            "return step(weighted_sum(x, weights, bias))", "return (weighted_sum(x, weights, bias) >= 0).astype(int)"),
    Variant("perceptron_default_epochs_100", "perceptron",
            "def train_perceptron(X, y, learning_rate=1.0, epochs=10):",
            "def train_perceptron(X, y, learning_rate=1.0, epochs=100):"),
    Variant("perceptron_assumes_two_features", "perceptron",
            "weights = np.zeros(X.shape[1])", "weights = np.zeros(2)"),
    Variant("gradient_fills_an_array_like_w", "gradient_descent",
            "    return X.T @ error / len(X), float(np.mean(error))",
            "    dw = np.zeros_like(w)\n    dw[:] = X.T @ error / len(X)\n    return dw, float(np.mean(error))"),
    Variant("batch_stops_when_the_loss_settles", "gradient_descent",
            "        losses.append(cross_entropy_loss(X, y, w, b))\n    return w, float(b), losses\n    # END SOLUTION\n\n\n"
            "def stochastic",
            "        losses.append(cross_entropy_loss(X, y, w, b))\n"
            "        if len(losses) > 1 and losses[-2] - losses[-1] < 1e-4:\n"
            "            break\n    return w, float(b), losses\n    # END SOLUTION\n\n\ndef stochastic"),
    Variant("minibatch_loss_recorded_after_every_step", "gradient_descent",
            "            w, b = w - learning_rate * dw, b - learning_rate * db\n"
            "        losses.append(cross_entropy_loss(X, y, w, b))",
            "            w, b = w - learning_rate * dw, b - learning_rate * db\n"
            "            losses.append(cross_entropy_loss(X, y, w, b))"),
    Variant("minibatch_default_batch_size_16", "gradient_descent",
            "epochs=100, batch_size=32, seed=0)", "epochs=100, batch_size=16, seed=0)"),
    Variant("sgd_default_seed_42", "gradient_descent",
            "def stochastic_gradient_descent(X, y, learning_rate=0.1, epochs=100, seed=0):",
            "def stochastic_gradient_descent(X, y, learning_rate=0.1, epochs=100, seed=42):"),
    Variant("train_assumes_two_inputs", "xor_network",
            "init_params(np.asarray(X).shape[1], n_hidden, seed)", "init_params(2, n_hidden, seed)"),
    Variant("init_params_default_three_hidden", "xor_network",
            "def init_params(n_inputs=2, n_hidden=4, seed=0):", "def init_params(n_inputs=2, n_hidden=3, seed=0):"),
    Variant("train_default_learning_rate_half", "xor_network",
            "def train(X, y, n_hidden=4, learning_rate=1.0, epochs=5000, seed=0):",
            "def train(X, y, n_hidden=4, learning_rate=0.5, epochs=5000, seed=0):"),
    Variant("train_stops_when_the_loss_settles", "xor_network",
            "        losses.append(loss(params, X, y))\n",
            "        losses.append(loss(params, X, y))\n"
            "        if len(losses) > 1 and losses[-2] - losses[-1] < 1e-5:\n"
            "            break\n"),
    Variant("predict_returns_bools", "xor_network",
            "np.where(forward(params, X)[1] >= 0.5, 1.0, 0.0)", "forward(params, X)[1] >= 0.5"),
    Variant("forward_output_squeezed", "xor_network",
            "return hidden, output[:, 0]", "return hidden, output.squeeze()"),
]

CORRECT = [
    Variant("step_with_python_numbers", "activations",
            "    return np.where(np.asarray(z) >= 0, 1.0, 0.0)",
            "    if np.ndim(z) == 0:\n        return 1.0 if z >= 0 else 0.0\n"
            "    return (np.asarray(z) >= 0).astype(float)"),
    Variant("sigmoid_through_tanh", "activations",
            "    e = np.exp(-np.abs(z))  # never overflows: the exponent is <= 0\n"
            "    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))",
            "    return 0.5 * (1.0 + np.tanh(z / 2.0))"),
    Variant("relu_by_multiplying", "activations",
            "return np.maximum(np.asarray(z, dtype=float), 0.0)",
            "z = np.asarray(z, dtype=float)\n    return z * (z > 0)"),
    Variant("weighted_sum_with_a_loop", "perceptron",
            "    return np.asarray(x, dtype=float) @ np.asarray(weights, dtype=float) + bias",
            "    x = np.asarray(x, dtype=float)\n"
            "    if x.ndim == 1:\n"
            "        return bias + sum(w_i * x_i for w_i, x_i in zip(weights, x))\n"
            "    return np.array([weighted_sum(row, weights, bias) for row in x])"),
    Variant("gate_constants_of_another_choice", "perceptron",
            "OR_WEIGHTS = np.array([1.0, 1.0])\nOR_BIAS = -1.0\nAND_WEIGHTS = np.array([1.0, 1.0])\nAND_BIAS = -2.0",
            "OR_WEIGHTS = [2, 2]\nOR_BIAS = -1\nAND_WEIGHTS = np.array([0.5, 0.5])\nAND_BIAS = -0.75"),
    Variant("perceptron_trained_with_indices", "perceptron",
            "        for xi, target in zip(X, y):\n"
            "            error = target - perceptron_output(xi, weights, bias)\n"
            "            weights = weights + learning_rate * error * xi\n"
            "            bias = bias + learning_rate * error\n"
            "    return weights, float(bias)",
            "        for i in range(len(X)):\n"
            "            y_hat = perceptron_output(X[i], weights, bias)\n"
            "            if y_hat != y[i]:\n"
            "                weights += learning_rate * (y[i] - y_hat) * X[i]\n"
            "                bias += learning_rate * (y[i] - y_hat)\n"
            "    return weights, np.float64(bias)"),
    Variant("sgd_with_its_own_loop", "gradient_descent",
            "    return minibatch_gradient_descent(X, y, learning_rate, epochs, batch_size=1, seed=seed)",
            "    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)\n"
            "    rng = np.random.default_rng(seed)\n"
            "    w, b, losses = np.zeros(X.shape[1]), 0.0, np.zeros(epochs)\n"
            "    for epoch in range(epochs):\n"
            "        for i in rng.permutation(len(X)):\n"
            "            p = sigmoid(X[i] @ w + b)\n"
            "            w = w - learning_rate * (p - y[i]) * X[i]\n"
            "            b = b - learning_rate * (p - y[i])\n"
            "        losses[epoch] = cross_entropy_loss(X, y, w, b)\n"
            "    return w, b, losses"),
    Variant("minibatch_with_a_while_loop", "gradient_descent",
            "        for start in range(0, len(X), batch_size):\n"
            "            chunk = order[start:start + batch_size]\n",
            "        start = 0\n"
            "        while start < len(X):\n"
            "            chunk = order[start:min(start + batch_size, len(X))]\n"
            "            start += batch_size\n"),
    Variant("xor_uniform_init_with_random_biases", "xor_network",
            '        "W1": rng.normal(size=(n_inputs, n_hidden)),\n'
            '        "b1": np.zeros(n_hidden),\n'
            '        "W2": rng.normal(size=(n_hidden, 1)),\n',
            '        "W1": rng.uniform(-1.0, 1.0, size=(n_inputs, n_hidden)),\n'
            '        "b1": rng.uniform(-1.0, 1.0, size=n_hidden),\n'
            '        "W2": rng.uniform(-1.0, 1.0, size=(n_hidden, 1)),\n'),
    Variant("xor_forward_with_its_own_sigmoid", "xor_network",
            '    hidden = sigmoid(X @ params["W1"] + params["b1"])\n'
            '    output = sigmoid(hidden @ params["W2"] + params["b2"])\n'
            '    return hidden, output[:, 0]',
            '    hidden = 1.0 / (1.0 + np.exp(-(X @ params["W1"] + params["b1"])))\n'
            '    output = 1.0 / (1.0 + np.exp(-(hidden @ params["W2"] + params["b2"])))\n'
            '    return hidden, output.ravel()'),
    Variant("xor_train_in_place_with_array_losses", "xor_network",
            "        params = {k: params[k] - learning_rate * grads[k] for k in params}\n"
            "        losses.append(loss(params, X, y))\n"
            "    return params, losses",
            "        for k in params:\n"
            "            params[k] -= learning_rate * grads[k]\n"
            "        losses.append(loss(params, X, y))\n"
            "    return params, np.array(losses)"),
    Variant("until_converged_with_a_while_loop", "perceptron",
            "    for epoch in range(1, max_epochs + 1):\n"
            "        for i in range(len(X)):\n"
            "            y_hat = perceptron_output(X[i], weights, bias)\n"
            "            weights = weights + learning_rate * (y[i] - y_hat) * X[i]\n"
            "            bias = bias + learning_rate * (y[i] - y_hat)\n"
            "        if np.array_equal(perceptron_output(X, weights, bias), y):\n"
            "            return weights, float(bias), epoch\n"
            "    return weights, float(bias), None",
            "    epochs = 0\n"
            "    while epochs < max_epochs:\n"
            "        for xi, target in zip(X, y):\n"
            "            change = learning_rate * (target - perceptron_output(xi, weights, bias))\n"
            "            weights += change * xi\n"
            "            bias += change\n"
            "        epochs += 1\n"
            "        if (perceptron_output(X, weights, bias) == y).all():\n"
            "            return weights, np.float64(bias), np.int64(epochs)\n"
            "    return weights, bias, None"),
    Variant("one_hot_from_the_identity_matrix", "multiclass",
            "    labels = np.asarray(labels, dtype=int)\n"
            "    Y = np.zeros((len(labels), n_classes))\n"
            "    Y[np.arange(len(labels)), labels] = 1.0\n"
            "    return Y\n",
            "    return np.eye(n_classes)[np.asarray(labels)]\n"),
    Variant("predict_proba_with_its_own_softmax", "multiclass",
            "    return softmax(output_scores(X, W, b))",
            "    scores = output_scores(X, W, b)\n"
            "    e = np.exp(scores - scores.max(axis=1, keepdims=True))\n"
            "    return e / e.sum(axis=1, keepdims=True)"),
    Variant("multiclass_loss_through_one_hot", "multiclass",
            "    return float(-np.mean(np.log(P[np.arange(len(labels)), labels])))",
            "    return -np.sum(one_hot(labels, P.shape[1]) * np.log(P)) / len(labels)"),
    Variant("predict_from_the_probabilities", "multiclass",
            "return np.argmax(output_scores(X, W, b), axis=1)", "return np.argmax(predict_proba(X, W, b), axis=1)"),
    Variant("one_vs_rest_column_by_column", "multiclass",
            "    labels = np.asarray(labels)\n"
            "    units = [batch_gradient_descent(X, (labels == k).astype(float), learning_rate, epochs)\n"
            "             for k in range(n_classes)]\n"
            "    return np.column_stack([w for w, _, _ in units]), np.array([bias for _, bias, _ in units])",
            "    W, b = np.zeros((np.shape(X)[1], n_classes)), np.zeros(n_classes)\n"
            "    for k in range(n_classes):\n"
            "        targets = 1.0 * (np.asarray(labels) == k)\n"
            "        W[:, k], b[k], _ = batch_gradient_descent(X, targets, learning_rate, epochs)\n"
            "    return W, b"),
    Variant("predict_one_vs_rest_from_the_scores", "multiclass",
            "np.argmax(sigmoid(output_scores(X, W, b)), axis=1)", "np.argmax(output_scores(X, W, b), axis=1)"),
    Variant("relu_by_maximum_made_float", "activations",
            "return np.maximum(np.asarray(z, dtype=float), 0.0)", "return np.maximum(z, 0) * 1.0"),
    Variant("perceptron_output_by_heaviside", "perceptron",
            "return step(weighted_sum(x, weights, bias))", "return np.heaviside(weighted_sum(x, weights, bias), 1.0)"),
    Variant("minibatch_casting_with_astype", "gradient_descent",
            "    X = np.asarray(X, dtype=float)\n    y = np.asarray(y, dtype=float)\n    rng",
            "    X = np.array(X).astype(float)\n    y = np.array(y) * 1.0\n    rng"),
    Variant("predict_by_astype", "xor_network",
            "np.where(forward(params, X)[1] >= 0.5, 1.0, 0.0)", "(forward(params, X)[1] >= 0.5).astype(float)"),
]
