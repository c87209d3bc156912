import numpy as np

evidence = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
latency = np.array([118.0, 141.0, 162.0, 181.0, 198.0])


def design_matrix(x):
    """A ones column for the intercept next to the evidence column."""
    return np.column_stack([np.ones_like(x), x])


def solve_normal_equation(X, y):
    """The w with (X^T X) w = X^T y, solved directly: no inverse is ever formed."""
    return np.linalg.solve(X.T @ X, X.T @ y)


def mse(predicted, measured):
    return float(np.mean((predicted - measured) ** 2))


X = design_matrix(evidence)
weights = solve_normal_equation(X, latency)
fitted = X @ weights
line_mse = mse(fitted, latency)
baseline_mse = mse(latency.mean(), latency)  # did the line learn more than the average?

print("closed_form_weights", weights.round(2))
print("residuals", (latency - fitted).round(2))
print("line_mse", round(line_mse, 2))
print("baseline_mse", round(baseline_mse, 2))
print("r2", round(1 - line_mse / baseline_mse, 4))
