import numpy as np

evidence = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
latency = np.array([118.0, 141.0, 162.0, 181.0, 198.0])
X = np.column_stack([np.ones_like(evidence), evidence])
X_dup = np.column_stack([X, 2 * evidence])  # a third column that repeats the second

try:
    np.linalg.solve(X_dup.T @ X_dup, X_dup.T @ latency)
    print("solve", "succeeded")
except np.linalg.LinAlgError as error:
    print("solve_error", error)

weights, _, rank, _ = np.linalg.lstsq(X_dup, latency, rcond=None)
print("rank", rank, "of", X_dup.shape[1], "columns")
print("lstsq_weights", weights.round(2))

# Any split of the slope between x and 2x gives the same line.
b, slope = np.linalg.lstsq(X, latency, rcond=None)[0]
splits = [weights, np.array([b, slope, 0.0]), np.array([b, 0.0, slope / 2])]
print("other_splits", splits[1].round(2), splits[2].round(2))
predictions = [X_dup @ w for w in splits]
print("predictions", predictions[0].round(2))
same = all(np.allclose(p, X @ [b, slope]) for p in predictions)
print("same_predictions_for_every_split", same)
assert rank < X_dup.shape[1] and same
