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
    """The threshold on one feature whose two sides have the lowest weighted Gini impurity."""
    order = np.argsort(x, kind="stable")
    x, y = x[order], y[order]
    n = len(y)
    left_n = np.arange(1, n)
    left_overturned = np.cumsum(y)[:-1]
    right_n, right_overturned = n - left_n, y.sum() - left_overturned
    weighted = (left_n * gini(left_overturned / left_n) + right_n * gini(right_overturned / right_n)) / n
    can_cut = np.flatnonzero(x[1:] > x[:-1])
    if len(can_cut) == 0:
        return None
    k = can_cut[np.argmin(weighted[can_cut])]
    return (x[k] + x[k + 1]) / 2, weighted[k]


def grow(X, y, max_depth, depth=0):
    """A node predicts its share overturned; it splits on the best feature until it is pure
    or the depth limit is reached."""
    node = {"requests": len(y), "rate": y.mean()}
    if depth == max_depth or y.min() == y.max():
        return node
    best = None
    for j in range(X.shape[1]):  # the best cut of every feature; keep the best of those
        split = best_split(X[:, j], y)
        if split is not None and (best is None or split[1] < best[2]):
            best = (j, *split)
    if best is None:  # every feature constant here
        return node
    j, threshold, node["weighted_gini"] = best
    left = X[:, j] <= threshold
    node["feature"], node["threshold"] = j, threshold
    node["left"] = grow(X[left], y[left], max_depth, depth + 1)
    node["right"] = grow(X[~left], y[~left], max_depth, depth + 1)
    return node


def predict(node, X):
    """Each row walks from the root to a leaf and takes the leaf's share overturned."""
    rates = np.empty(len(X))
    for i, row in enumerate(X):
        here = node
        while "feature" in here:
            here = here["left"] if row[here["feature"]] <= here["threshold"] else here["right"]
        rates[i] = here["rate"]
    return rates


def rules(node, path=()):
    """Each leaf as the conditions that lead to it."""
    if "feature" not in node:
        return [(" and ".join(path) or "all", node)]
    name, t = FEATURES[node["feature"]], node["threshold"]
    return rules(node["left"], (*path, f"{name}<={t:g}")) + rules(node["right"], (*path, f"{name}>{t:g}"))


tree = grow(train_X, train_y, max_depth=2)
for number, (condition, leaf) in enumerate(rules(tree), start=1):
    print(f"leaf_{number}", condition, "requests", leaf["requests"], "rate", round(leaf["rate"], 3))

# Decide "overturned" where the leaf's share is at least a half, then count the mistakes.
for depth in (2, 3):
    tree = grow(train_X, train_y, max_depth=depth)
    errors = [np.mean((predict(tree, X_) >= 0.5) != y_) for X_, y_ in ((train_X, train_y), (val_X, val_y))]
    print(f"depth={depth}", "train_error", round(errors[0], 3), "validation_error", round(errors[1], 3))
