import numpy as np


def log_loss(y, p):
    return -(y * np.log(p) + (1 - y) * np.log(1 - p))


def squared_error(y, p):
    return (p - y) ** 2


# A request the reviewer did overturn (y = 1), under ever more confident wrong models.
y = 1
for p in (0.9, 0.5, 0.1, 0.01):
    z = np.log(p / (1 - p))  # the score the model gave
    # How hard each loss pushes the score z: derivatives through p = sigmoid(z).
    push_log = p - y
    push_squared = 2 * (p - y) * p * (1 - p)
    print(
        f"p={p}",
        f"z {z:.2f}",
        f"log_loss {log_loss(y, p):.3f}",
        f"squared {squared_error(y, p):.3f}",
        f"push_log {push_log:.3f}",
        f"push_squared {push_squared:.3f}",
    )
