import numpy as np

evidence = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
latency = np.array([118.0, 141.0, 162.0, 181.0, 198.0])
X = np.column_stack([np.ones_like(evidence), evidence])  # [intercept, slope] columns

# Normal equation: (X^T X) w = X^T y. solve() avoids forming an explicit inverse.
weights = np.linalg.solve(X.T @ X, X.T @ latency)
fitted = X @ weights
residuals = latency - fitted

# Compare against the predict-the-mean baseline to show the line learned something.
line_mse = np.mean((fitted - latency) ** 2)
baseline_mse = np.mean((latency.mean() - latency) ** 2)
r2 = 1 - line_mse / baseline_mse

print("closed_form_weights", weights.round(2))
print("residuals", residuals.round(2))
print("line_mse", round(float(line_mse), 2))
print("baseline_mse", round(float(baseline_mse), 2))
print("r2", round(float(r2), 4))
