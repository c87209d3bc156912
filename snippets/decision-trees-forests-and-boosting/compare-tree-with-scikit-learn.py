import numpy as np
from sklearn.tree import DecisionTreeClassifier


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


def our_splits(node):
    """(requests, feature, threshold, weighted Gini) of every split, root first, left before right."""
    if "feature" not in node:
        return []
    here = (node["requests"], node["feature"], node["threshold"], node["weighted_gini"])
    return [here, *our_splits(node["left"]), *our_splits(node["right"])]


def sklearn_splits(fitted):
    """The same list read from scikit-learn's tree arrays (its node ids are in that order too)."""
    t = fitted.tree_
    found = []
    for i in range(t.node_count):
        left, right = t.children_left[i], t.children_right[i]
        if left != -1:
            children = t.impurity[left] * t.n_node_samples[left] + t.impurity[right] * t.n_node_samples[right]
            found.append((t.n_node_samples[i], t.feature[i], t.threshold[i], children / t.n_node_samples[i]))
    return found


def first_difference(a, b):
    """Index of the first split where the two trees choose differently, or None."""
    for i in range(min(len(a), len(b))):
        if a[i][1] != b[i][1] or abs(a[i][2] - b[i][2]) > 1e-6:
            return i
    return None if len(a) == len(b) else min(len(a), len(b))


# scikit-learn visits the features in an order drawn from random_state: try ten seeds per depth.
for depth in range(1, 7):
    ours = grow(train_X, train_y, max_depth=depth)
    a, same, differing = our_splits(ours), 0, None
    for seed in range(10):
        theirs = DecisionTreeClassifier(criterion="gini", max_depth=depth, random_state=seed)
        theirs.fit(train_X, train_y)
        i = first_difference(a, sklearn_splits(theirs))
        same += i is None
        if i is not None and differing is None:
            differing = (seed, i, theirs)
        if seed == 0:  # and the predictions themselves, on all 500 requests
            gap = np.abs(predict(ours, X) - theirs.predict_proba(X)[:, 1]).max()
    print(f"depth={depth}", "splits", len(a), "same_splits_for_seeds", same, "of", 10,
          "seed_0_largest_probability_gap", round(gap, 12))  # fmt: skip
    if differing:  # the first node where the two chose differently: how good was each choice?
        seed, i, theirs = differing
        s, t = a[i], sklearn_splits(theirs)[i]
        gaps = [np.abs(predict(ours, X_) - theirs.predict_proba(X_)[:, 1]).max() for X_ in (train_X, val_X)]
        print(f"tie_at_depth={depth}", "seed", seed, "node_requests", s[0],
              f"ours {FEATURES[s[1]]}<={s[2]:g} theirs {FEATURES[t[1]]}<={t[2]:.4g}",
              f"weighted_gini {s[3]:.6f} {t[3]:.6f}", "largest_gap_train", round(gaps[0], 3),
              "validation", round(gaps[1], 3))  # fmt: skip
