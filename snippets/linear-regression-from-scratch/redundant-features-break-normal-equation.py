import numpy as np

evidence = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
latency = np.array([118.0, 141.0, 162.0, 181.0, 198.0])


def with_doubled_evidence(x):
    """The design matrix plus a third column that only repeats the second, doubled."""
    return np.column_stack([np.ones_like(x), x, 2 * x])


def normal_equation_solves(X, y):
    """False when X^T X is singular, so the normal equation has no unique solution."""
    try:
        np.linalg.solve(X.T @ X, X.T @ y)
    except np.linalg.LinAlgError:
        return False
    return True


X = with_doubled_evidence(evidence)
print("normal_equation", "solved" if normal_equation_solves(X, latency) else "singular")

# lstsq still fits: it reports rank < columns and returns the smallest-norm weights.
weights, _, rank, _ = np.linalg.lstsq(X, latency, rcond=None)
print("lstsq_rank", rank, "columns", X.shape[1])
print("lstsq_weights", weights.round(2))  # 4x + 8(2x) is still 20x
print("mse", round(float(np.mean((X @ weights - latency) ** 2)), 2))
