import numpy as np

evidence = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
latency = np.array([118.0, 141.0, 162.0, 181.0, 198.0])


def design_matrix(x):
    return np.column_stack([np.ones_like(x), x])


def mse(X, y, weights):
    return float(np.mean((X @ weights - y) ** 2))


def mse_gradient(X, y, weights):
    """(2/n) X^T (Xw - y): one number per weight, pointing uphill."""
    return 2 / len(y) * (X.T @ (X @ weights - y))


X = design_matrix(evidence)
start = np.zeros(2)  # deliberately bad: predicts 0 ms for every request
gradient = mse_gradient(X, latency, start)
after_one_step = start - 0.05 * gradient  # learning rate 0.05, against the gradient

print("gradient", gradient)
print("next_weights", after_one_step)
print("old_mse", round(mse(X, latency, start), 1))
print("new_mse", round(mse(X, latency, after_one_step), 1))
