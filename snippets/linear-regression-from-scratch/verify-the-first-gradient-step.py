import numpy as np

evidence = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
latency = np.array([118.0, 141.0, 162.0, 181.0, 198.0])
X = np.column_stack([np.ones_like(evidence), evidence])

start = np.zeros(2)  # deliberately bad: predicts 0 ms for every request
errors = X @ start - latency

# MSE gradient: (2/n) X^T (Xw - y). It points uphill, so we step against it.
gradient = 2 / len(latency) * (X.T @ errors)
stepped = start - 0.05 * gradient  # learning rate 0.05

print("gradient", gradient)
print("next_weights", stepped)
print("old_mse", round(float(np.mean(errors**2)), 1))
print("new_mse", round(float(np.mean((X @ stepped - latency) ** 2)), 1))
