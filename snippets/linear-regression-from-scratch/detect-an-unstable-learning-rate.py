import numpy as np

evidence = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
latency = np.array([118.0, 141.0, 162.0, 181.0, 198.0])


def design_matrix(x):
    return np.column_stack([np.ones_like(x), x])


def losses_before_each_update(X, y, learning_rate, updates):
    """The MSE at step 0 (zero weights) and after each update but the last."""
    weights = np.zeros(X.shape[1])
    losses = []
    for _ in range(updates):
        errors = X @ weights - y
        losses.append(float(np.mean(errors**2)))
        weights = weights - learning_rate * (2 / len(y) * (X.T @ errors))
    return losses


# The lesson's loop with a step four times larger: 0.2 instead of 0.05.
losses = losses_before_each_update(design_matrix(evidence), latency, learning_rate=0.2, updates=5)
print("losses", [round(loss, 1) for loss in losses])
print("loss_increased", losses[-1] > losses[0])  # the optimisation is failing
