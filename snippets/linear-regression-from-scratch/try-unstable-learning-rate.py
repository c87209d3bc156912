import itertools

import numpy as np

evidence = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
latency = np.array([118.0, 141.0, 162.0, 181.0, 198.0])
X = np.column_stack([np.ones_like(evidence), evidence])


def losses_during_training(learning_rate, steps=6):
    """The gradient loop from the lesson; returns the MSE after every step."""
    weights = np.zeros(2)
    losses = []
    for _ in range(steps):
        gradient = 2 / len(latency) * (X.T @ (X @ weights - latency))
        weights = weights - learning_rate * gradient
        losses.append(round(float(np.mean((X @ weights - latency) ** 2)), 1))
    return losses


# Same data, same loop, same model: only the step size differs.
calm = losses_during_training(0.05)
wild = losses_during_training(0.2)
print("calm_losses", calm)  # learning rate 0.05
print("unstable_losses", wild)  # learning rate 0.2

rises_every_step = all(later > earlier for earlier, later in itertools.pairwise(wild))
print("unstable_rises_every_step", rises_every_step)
assert rises_every_step and calm[-1] < calm[0]
