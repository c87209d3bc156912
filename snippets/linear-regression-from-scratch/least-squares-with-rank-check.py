import numpy as np

evidence = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
latency = np.array([118.0, 141.0, 162.0, 181.0, 198.0])


def design_matrix(x):
    return np.column_stack([np.ones_like(x), x])


def fit_with_diagnostics(X, y):
    """Least squares on X itself (no X^T X), with the rank and singular values of X."""
    weights, _, rank, singular_values = np.linalg.lstsq(X, y, rcond=None)
    return weights, rank, singular_values


X = design_matrix(evidence)
weights, rank, singular_values = fit_with_diagnostics(X, latency)

print("weights", weights.round(2))
print("rank", rank, "columns", X.shape[1])  # equal: every column adds information of its own
print("mse", round(float(np.mean((X @ weights - latency) ** 2)), 2))
print("singular_values", singular_values.round(2))  # far from zero: a stable fit
