import numpy as np

evidence = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
latency = np.array([118.0, 141.0, 162.0, 181.0, 198.0])
X = np.column_stack([np.ones_like(evidence), evidence])

# lstsq fits X directly (no X^T X) and also reports rank and singular values.
weights, _, rank, singular = np.linalg.lstsq(X, latency, rcond=None)
mse = np.mean((X @ weights - latency) ** 2)

print("weights", weights.round(2))
# rank == number of columns means every column adds independent information.
print("rank", rank, "columns", X.shape[1])
print("mse", round(float(mse), 2))
print("singular_values", singular.round(2))
