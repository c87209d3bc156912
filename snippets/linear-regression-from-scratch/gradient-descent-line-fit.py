import numpy as np

evidence = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
latency = np.array([118.0, 141.0, 162.0, 181.0, 198.0])


def design_matrix(x):
    return np.column_stack([np.ones_like(x), x])


def mse(X, y, weights):
    return float(np.mean((X @ weights - y) ** 2))


def gradient_step(X, y, weights, learning_rate):
    """One step downhill: against the MSE gradient, scaled by the learning rate."""
    gradient = 2 / len(y) * (X.T @ (X @ weights - y))
    return weights - learning_rate * gradient


def train(X, y, learning_rate, steps, report_at):
    """Gradient descent from zero weights; yields (step, loss, weights) right after the reported steps."""
    weights = np.zeros(X.shape[1])
    for step in range(1, steps + 1):
        weights = gradient_step(X, y, weights, learning_rate)
        if step in report_at:
            yield step, mse(X, y, weights), weights


X = design_matrix(evidence)
for step, loss, weights in train(X, latency, learning_rate=0.05, steps=1000, report_at={1, 100, 1000}):
    print(f"after_step={step} loss={loss:.2f} w={weights.round(2)}")
