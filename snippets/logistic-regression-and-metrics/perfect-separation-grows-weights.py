import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def train(X, y, learning_rate=1.0, steps=500, l2=0.0):
    """Gradient descent on the mean log loss; l2 shrinks all but the intercept."""
    w = np.zeros(X.shape[1])
    for _ in range(steps):
        gradient = X.T @ (sigmoid(X @ w) - y) / len(y)
        gradient[1:] += l2 * w[1:]
        w -= learning_rate * gradient
    return w


def mean_log_loss(X, y, w):
    """The log loss written with scores, so it stays finite when p reaches 0 or 1."""
    z = X @ w
    return float(np.mean(np.logaddexp(0, z) - y * z))


# Six requests one feature splits perfectly: every overturn has the longer evidence.
evidence = np.array([-1.5, -1.0, -0.5, 0.5, 1.0, 1.5])  # standardized
overturned = np.array([0, 0, 0, 1, 1, 1])
X = np.column_stack([np.ones(6), evidence])

for steps in (10, 100, 1000, 10000):
    w = train(X, overturned, steps=steps)
    loss = mean_log_loss(X, overturned, w)
    print(f"steps={steps}", f"evidence_weight {w[1]:.2f} loss {loss:.5f}")

# With an L2 penalty (l2 = 0.1) a finite weight is the best one.
w = train(X, overturned, steps=10000, l2=0.1)
loss = mean_log_loss(X, overturned, w)
print("penalized", f"evidence_weight {w[1]:.2f} loss {loss:.5f}")
