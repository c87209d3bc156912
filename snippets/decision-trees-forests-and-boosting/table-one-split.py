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

# The split "days > 30" by hand: counts, the share overturned p, and each node's Gini impurity.
late = train_X[:, 0] > 30
print("| Node | Requests | Overturned | Share $p$ | Gini $1 - p^2 - (1 - p)^2$ |")
print("|:---|:---:|:---:|:---:|:---:|")
for name, labels in (
    ("All training requests", train_y),
    ("Days ≤ 30", train_y[~late]),
    ("Days > 30", train_y[late]),
):
    p = labels.mean()
    print(f"| {name} | {len(labels)} | {labels.sum()} | {p:.3f} | {1 - p**2 - (1 - p) ** 2:.3f} |")
