import numpy as np
from sklearn.ensemble import GradientBoostingClassifier


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


def best_cut(x, r):
    """The threshold on one feature that most lowers the squared error of the residuals r:
    maximize sum_left^2 / n_left + sum_right^2 / n_right."""
    order = np.argsort(x, kind="stable")
    x, r = x[order], r[order]
    n = len(r)
    left_n = np.arange(1, n)
    left_sum = np.cumsum(r)[:-1]
    gain = left_sum**2 / left_n + (r.sum() - left_sum) ** 2 / (n - left_n)
    can_cut = np.flatnonzero(x[1:] > x[:-1])
    if len(can_cut) == 0:
        return None
    k = can_cut[np.argmax(gain[can_cut])]
    return (x[k] + x[k + 1]) / 2, gain[k]


def grow(X, r, rows, max_depth, depth=0):
    """A regression tree on the residuals; each leaf keeps the rows that reach it."""
    best = None
    if depth < max_depth and len(rows) > 1:
        for j in range(X.shape[1]):
            cut = best_cut(X[rows, j], r[rows])
            if cut is not None and (best is None or cut[1] > best[2]):
                best = (j, *cut)
    if best is None:
        return {"rows": rows}
    j, threshold, _ = best
    left = X[rows, j] <= threshold
    return {"feature": j, "threshold": threshold,
            "left": grow(X, r, rows[left], max_depth, depth + 1),
            "right": grow(X, r, rows[~left], max_depth, depth + 1)}  # fmt: skip


def leaves(node):
    return [node] if "feature" not in node else leaves(node["left"]) + leaves(node["right"])


def predict(node, X):
    values = np.empty(len(X))
    for i, row in enumerate(X):
        here = node
        while "feature" in here:
            here = here["left"] if row[here["feature"]] <= here["threshold"] else here["right"]
        values[i] = here["value"]
    return values


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def log_loss(y, p):
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def boost(X, y, rounds, learning_rate=0.1, max_depth=2):
    """Gradient boosting on the log loss. The score F starts at the log-odds of the overturn rate;
    each round fits a small tree to the residuals y - p, the loss's negative gradient in F, and
    sets each leaf to one Newton step: sum(y - p) / sum(p(1 - p)) over its rows."""
    start = np.log(y.mean() / (1 - y.mean()))
    F, trees = np.full(len(y), start), []
    for _ in range(rounds):
        p = sigmoid(F)
        tree = grow(X, y - p, np.arange(len(y)), max_depth)
        for leaf in leaves(tree):
            rows = leaf.pop("rows")
            leaf["value"] = (y - p)[rows].sum() / (p[rows] * (1 - p[rows])).sum()
        F += learning_rate * predict(tree, X)
        trees.append(tree)
    return start, trees


def scores(start, trees, X, learning_rate=0.1):
    """The score after each round: the start plus every tree so far, shrunk by the learning rate."""
    return start + learning_rate * np.cumsum([predict(tree, X) for tree in trees], axis=0)


start, trees = boost(train_X, train_y, rounds=30)
print("start_score", round(start, 4), "probability", round(float(sigmoid(start)), 3))
first = trees[0]
print("first_tree_root", FEATURES[first["feature"]], "<=", first["threshold"],
      "leaf_values", [round(float(leaf["value"]), 3) for leaf in leaves(first)])  # fmt: skip
ours_train, ours_val = sigmoid(scores(start, trees, train_X)), sigmoid(scores(start, trees, val_X))
for m in (1, 2, 3, 10, 30):
    print(f"round={m}", "train_log_loss", round(log_loss(train_y, ours_train[m - 1]), 4),
          "validation_log_loss", round(log_loss(val_y, ours_val[m - 1]), 4))  # fmt: skip

# scikit-learn with the same loss, rounds, shrinkage and depth, no subsampling: the same model.
theirs = GradientBoostingClassifier(loss="log_loss", n_estimators=30, learning_rate=0.1, max_depth=2,
                                    subsample=1.0, random_state=0).fit(train_X, train_y)  # fmt: skip
staged = np.array([p[:, 1] for p in theirs.staged_predict_proba(val_X)])
print("largest_gap_over_30_rounds", f"{np.abs(staged - ours_val).max():.1e}")
same = [
    t.tree_.feature[0] == ours["feature"] and abs(t.tree_.threshold[0] - ours["threshold"]) < 1e-6
    for t, ours in zip(theirs.estimators_[:, 0], trees, strict=True)
]
print("same_root_split_in_every_round", all(same))
