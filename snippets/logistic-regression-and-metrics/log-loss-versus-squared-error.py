import numpy as np


def log_loss(y, p):
    return -(y * np.log(p) + (1 - y) * np.log(1 - p))


def squared_error(y, p):
    return (p - y) ** 2


# A request the reviewer did overturn (y = 1), under ever more confident wrong models.
y = 1
for p in (0.9, 0.5, 0.1, 0.01):
    z = np.log(p / (1 - p))  # the score the model gave
    # Each loss's slope in z, through p = sigmoid(z); a gradient step moves z against it.
    slope_log = p - y
    slope_squared = 2 * (p - y) * p * (1 - p)
    print(
        f"p={p}",
        f"z {z:.2f}",
        f"log_loss {log_loss(y, p):.3f}",
        f"squared {squared_error(y, p):.3f}",
        f"slope_log {slope_log:.3f}",
        f"slope_squared {slope_squared:.3f}",
    )


def stable_log_loss(y, z):
    """The log loss from the score: ln(1 + e^-z) if overturned, ln(1 + e^z) if not."""
    return np.logaddexp(0, -z) if y == 1 else np.logaddexp(0, z)


# A kept decision (y = 0) scored z = 40: p rounds to exactly 1, and ln(1 - p) to -inf.
with np.errstate(divide="ignore"):
    naive = log_loss(0, 1 / (1 + np.exp(-40.0)))
print("kept_at_z=40", f"naive {naive} stable {stable_log_loss(0, 40.0):.3f}")
