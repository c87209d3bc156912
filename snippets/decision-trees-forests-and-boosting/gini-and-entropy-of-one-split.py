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


def gini(p):
    """Chance that two requests drawn from the node disagree: 1 - p^2 - (1 - p)^2."""
    return 1 - p**2 - (1 - p) ** 2


def entropy(p):
    """Bits of surprise in one label; 0 for a pure node (0 log 0 counts as 0)."""
    q = np.array([p, 1 - p])
    q = q[q > 0]
    return float(-(q * np.log2(q)).sum())


# One candidate split: was the return asked more than 30 days after delivery?
late = train_X[:, 0] > 30
nodes = {"parent": train_y, "left": train_y[~late], "right": train_y[late]}
for name, labels in nodes.items():
    p = labels.mean()
    print(name, len(labels), "requests", labels.sum(), "overturned", f"p {p:.3f}",
          f"gini {gini(p):.3f}", f"entropy {entropy(p):.3f}")  # fmt: skip

# A split is scored by its children's impurity, each weighted by its share of the requests.
share_left = (~late).mean()  # days <= 30 go left, the rest right
weighted_gini = share_left * gini(train_y[~late].mean()) + (1 - share_left) * gini(train_y[late].mean())
weighted_entropy = share_left * entropy(train_y[~late].mean()) + (1 - share_left) * entropy(
    train_y[late].mean()
)
print("weighted_gini", round(weighted_gini, 3), "decrease", round(gini(train_y.mean()) - weighted_gini, 3))
print("weighted_entropy", round(weighted_entropy, 3),
      "information_gain", round(entropy(train_y.mean()) - weighted_entropy, 3))  # fmt: skip
