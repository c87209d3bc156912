import numpy as np


def replay_requests(seed=269, n=200, base_log_odds=-1.0):
    """Replayed return requests in arrival order: two features, and whether a reviewer overturned."""
    rng = np.random.default_rng(seed)
    evidence = rng.uniform(1, 9, n).round(1)  # hundreds of tokens of policy evidence retrieved
    policy_match = rng.beta(4, 2, n).round(2)  # 0 to 1: how well the cited policy fits the case
    log_odds = base_log_odds + 0.5 * (evidence - 5) - 5.0 * (policy_match - 0.65)  # the simulation's rule
    overturned = (rng.random(n) < 1 / (1 + np.exp(-log_odds))).astype(int)
    return np.column_stack([evidence, policy_match]), overturned


def split_by_arrival(X, y):
    """The oldest 120 requests train, the next 40 validate, the newest 40 test."""
    return np.split(X, [120, 160]), np.split(y, [120, 160])


def design_matrix(X, train_X):
    """A ones column, then each feature standardized with the training split's mean and spread."""
    return np.column_stack([np.ones(len(X)), (X - train_X.mean(axis=0)) / train_X.std(axis=0)])

X, y = replay_requests()
(train_X, _, _), (train_y, _, _) = split_by_arrival(X, y)
design = design_matrix(train_X, train_X)
n, n_overturned = len(train_y), int(train_y.sum())
share = n_overturned / n

# At w = 0 every p is 0.5, so the gradient (1/n) X^T (p - y) splits into two column means.
mean_all = design.mean(axis=0).round(12) + 0.0  # exactly 0 for the standardized columns
mean_overturned = design[train_y == 1].mean(axis=0)
gradient = 0.5 * mean_all - share * mean_overturned


def row(label, values, digits=3):
    return f"| {label} | " + " | ".join(f"{v:.{digits}f}" for v in values) + " |"


print("| At $w = [0, 0, 0]$ | Intercept | Evidence | Policy match |")
print("|---|:---:|:---:|:---:|")
print(row(f"Column mean over all {n} training requests", mean_all))
print(row(f"Column mean over the {n_overturned} overturned ones", mean_overturned))
print(row(f"Gradient: $0.5 \\times$ first row $- \\tfrac{{{n_overturned}}}{{{n}}} \\times$ second row", gradient))
print(row("New weights with learning rate 1: $0 - 1 \\times$ gradient", -gradient))
