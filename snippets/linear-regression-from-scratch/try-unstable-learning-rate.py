import itertools

import numpy as np

evidence = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
latency = np.array([118.0, 141.0, 162.0, 181.0, 198.0])
STEPS = 6


def design_matrix(x):
    return np.column_stack([np.ones_like(x), x])


def loss_at_each_step(X, y, learning_rate, steps):
    """The MSE at step 0 (the all-zero start) and after each of `steps` updates."""
    weights = np.zeros(X.shape[1])
    losses = []
    for step in range(steps + 1):
        errors = X @ weights - y
        losses.append(round(float(np.mean(errors**2)), 1))
        if step < steps:
            weights = weights - learning_rate * 2 / len(y) * (X.T @ errors)
    return losses


# Same data, same loop, same model: only the step size differs.
X = design_matrix(evidence)
calm = loss_at_each_step(X, latency, learning_rate=0.05, steps=STEPS)
wild = loss_at_each_step(X, latency, learning_rate=0.2, steps=STEPS)
print("steps", STEPS)
print("calm_losses", calm)  # learning rate 0.05, steps 0 to 6
print("unstable_losses", wild)  # learning rate 0.2, steps 0 to 6

rises_every_step = all(later > earlier for earlier, later in itertools.pairwise(wild))
print("unstable_rises_every_step", rises_every_step)
assert rises_every_step and calm[-1] < calm[0]
