import numpy as np


def replay_requests(seed=30, n=500):
    """Refused returns in arrival order: four features; 1 if a reviewer overturned the refusal."""
    rng = np.random.default_rng(seed)
    days = rng.integers(0, 61, n)  # days since delivery when the customer asked
    policy_match = rng.beta(4, 2, n).round(2)  # 0 to 1: how well the cited policy fits
    evidence = rng.uniform(1, 9, n).round(1)  # hundreds of tokens retrieved
    ticket = rng.integers(0, 1000, n)  # last three digits of the ticket number: pure noise
    # The simulation's rule: refusals of late returns argued from a weak policy match fail most.
    late, weak = days > 30, policy_match < 0.6
    rate = np.where(late & weak, 0.85, np.where(late | weak, 0.25, 0.05))
    overturned = (rng.random(n) < rate).astype(int)
    return np.column_stack([days, policy_match, evidence, ticket]).astype(float), overturned


FEATURES = ["days", "policy_match", "evidence", "ticket"]
X, y = replay_requests()
train_X, val_X, train_y, val_y = X[:300], X[300:], y[:300], y[300:]  # older 300 train, newer 200 judge

# Before modelling: the size, the ranges, how often the label is 1, and the split.
print("requests", len(y), "train", len(train_y), "validation", len(val_y))
for j, name in enumerate(FEATURES):
    print(f"{name}_range", X[:, j].min(), X[:, j].max())
print("overturned", y.sum(), "rate", round(float(y.mean()), 3))
days, match = X[:, 0], X[:, 1]
for label, cell in (
    ("late_and_weak", (days > 30) & (match < 0.6)),
    ("late_or_weak_only", (days > 30) ^ (match < 0.6)),
    ("neither", (days <= 30) & (match >= 0.6)),
):
    print(label, cell.sum(), "requests", "rate", round(float(y[cell].mean()), 3))
