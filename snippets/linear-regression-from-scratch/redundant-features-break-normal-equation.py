import numpy as np

evidence = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
latency = np.array([118.0, 141.0, 162.0, 181.0, 198.0])

# The third column (double the tokens) repeats the second: no new information.
X_dup = np.column_stack([np.ones_like(evidence), evidence, 2 * evidence])

# X^T X is now singular, so the normal equation has no unique solution.
try:
    np.linalg.solve(X_dup.T @ X_dup, X_dup.T @ latency)
except np.linalg.LinAlgError:
    print("normal_equation", "singular")

# lstsq still fits; it flags rank < columns and picks the smallest-norm weights.
weights, _, rank, _ = np.linalg.lstsq(X_dup, latency, rcond=None)
print("lstsq_rank", rank, "columns", X_dup.shape[1])
print("lstsq_weights", weights.round(2))  # 4*x + 8*(2x) is still 20*x
print("mse", round(float(np.mean((X_dup @ weights - latency) ** 2)), 2))
