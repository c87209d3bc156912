import numpy as np

evidence = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
latency = np.array([118.0, 141.0, 162.0, 181.0, 198.0])
X = np.column_stack([np.ones_like(evidence), evidence])

weights = np.zeros(2)
history = []

# Same update rule, but lr = 0.2 is too big: each step overshoots the valley.
for _ in range(5):
    errors = X @ weights - latency
    history.append(float(np.mean(errors**2)))
    weights = weights - 0.2 * (2 / len(latency) * (X.T @ errors))

print("losses", [round(value, 1) for value in history])
# A loss that grows instead of shrinking is the signal to lower the learning rate.
print("loss_increased", history[-1] > history[0])
