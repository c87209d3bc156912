import numpy as np

evidence = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
latency = np.array([118.0, 141.0, 162.0, 181.0, 198.0])
X = np.column_stack([np.ones_like(evidence), evidence])

weights = np.zeros(2)
learning_rate = 0.05
checkpoints = (1, 100, 1000)

for step in range(1, 1001):
    # Walk downhill: one small step against the MSE gradient.
    gradient = 2 / len(latency) * (X.T @ (X @ weights - latency))
    weights = weights - learning_rate * gradient

    # Report loss and weights from the same state, right after the update.
    if step in checkpoints:
        loss = np.mean((X @ weights - latency) ** 2)
        print(f"after_step={step} loss={loss:.2f} w={weights.round(2)}")
