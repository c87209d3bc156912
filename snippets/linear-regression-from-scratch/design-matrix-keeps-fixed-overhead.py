import numpy as np

evidence = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
latency = np.array([118.0, 141.0, 162.0, 181.0, 198.0])


def with_ones_column(x):
    """The ones column gives the model a weight for fixed overhead: the intercept."""
    return np.column_stack([np.ones_like(x), x])


def without_ones_column(x):
    """Evidence alone: the line has to pass through 0 ms at 0 tokens."""
    return x.reshape(-1, 1)


def least_squares_fit(X, y):
    """The least-squares weights and the MSE they leave."""
    weights = np.linalg.lstsq(X, y, rcond=None)[0]
    return weights, float(np.mean((X @ weights - y) ** 2))


for name, columns in [("with_intercept", with_ones_column), ("forced_through_zero", without_ones_column)]:
    weights, error = least_squares_fit(columns(evidence), latency)
    print(name, weights.round(2), "mse", round(error, 2))
