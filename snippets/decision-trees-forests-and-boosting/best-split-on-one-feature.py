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
    return 1 - p**2 - (1 - p) ** 2


def best_split(x, y):
    """The threshold on one feature whose two sides have the lowest weighted Gini impurity.
    Sort once; a running count of overturns scores every cut between two different values."""
    order = np.argsort(x, kind="stable")
    x, y = x[order], y[order]
    n = len(y)
    left_n = np.arange(1, n)  # a cut after row k leaves k rows on the left
    left_overturned = np.cumsum(y)[:-1]
    right_n, right_overturned = n - left_n, y.sum() - left_overturned
    weighted = (left_n * gini(left_overturned / left_n) + right_n * gini(right_overturned / right_n)) / n
    can_cut = np.flatnonzero(x[1:] > x[:-1])  # never between two equal values
    if len(can_cut) == 0:
        return None
    k = can_cut[np.argmin(weighted[can_cut])]  # the first of equally good cuts
    return (x[k] + x[k + 1]) / 2, weighted[k]  # cut halfway between neighbours


print("parent_gini", round(gini(train_y.mean()), 3))
for j, name in enumerate(FEATURES):
    threshold, weighted = best_split(train_X[:, j], train_y)
    print(name, "threshold", threshold, "weighted_gini", round(weighted, 3))
