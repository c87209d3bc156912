import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def train(X, y, learning_rate=1.0, steps=500, l2=0.0):
    """Gradient descent on the mean log loss; l2 shrinks every weight except the intercept."""
    w = np.zeros(X.shape[1])
    for _ in range(steps):
        gradient = X.T @ (sigmoid(X @ w) - y) / len(y)
        gradient[1:] += l2 * w[1:]
        w -= learning_rate * gradient
    return w


def mean_log_loss(X, y, w):
    z = X @ w
    return float(np.mean(np.logaddexp(0, z) - y * z))  # log loss from scores, stable when p is near 0 or 1


# Six requests a single feature splits perfectly: every overturned one has the longer evidence.
evidence = np.array([-1.5, -1.0, -0.5, 0.5, 1.0, 1.5])  # standardized
overturned = np.array([0, 0, 0, 1, 1, 1])
X = np.column_stack([np.ones(6), evidence])

for steps in (10, 100, 1000, 10000):
    w = train(X, overturned, steps=steps)
    print(f"steps={steps}", "evidence_weight", round(float(w[1]), 2), "loss", f"{mean_log_loss(X, overturned, w):.5f}")

# With an L2 penalty (l2 = 0.1) a finite weight is the best one.
w = train(X, overturned, steps=10000, l2=0.1)
print("penalized", "evidence_weight", round(float(w[1]), 2), "loss", f"{mean_log_loss(X, overturned, w):.5f}")
