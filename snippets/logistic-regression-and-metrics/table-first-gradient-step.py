import numpy as np


def replay_requests(seed=269, n=200, base_log_odds=-1.0):
    """Past requests in arrival order: two features; 1 if a reviewer overturned."""
    rng = np.random.default_rng(seed)
    evidence = rng.uniform(1, 9, n).round(1)  # hundreds of tokens retrieved
    policy_match = rng.beta(4, 2, n).round(2)  # 0 to 1: how well the policy fits
    # The simulation's rule, which a good trainer should recover:
    log_odds = base_log_odds + 0.5 * (evidence - 5) - 5.0 * (policy_match - 0.65)
    overturned = (rng.random(n) < 1 / (1 + np.exp(-log_odds))).astype(int)
    return np.column_stack([evidence, policy_match]), overturned


def split_by_arrival(X, y):
    """The oldest 120 requests train, the next 40 validate, the newest 40 test."""
    return np.split(X, [120, 160]), np.split(y, [120, 160])


def design_matrix(X, train_X):
    """A ones column, then the features standardized with training statistics."""
    standardized = (X - train_X.mean(axis=0)) / train_X.std(axis=0)
    return np.column_stack([np.ones(len(X)), standardized])


X, y = replay_requests()
(train_X, _, _), (train_y, _, _) = split_by_arrival(X, y)
design = design_matrix(train_X, train_X)
n, n_overturned = len(train_y), int(train_y.sum())

# At w = 0 every p is 0.5, so the gradient (1/n) X^T (p - y) is two column means.
mean_all = design.mean(axis=0).round(12) + 0.0  # exactly 0 for standardized columns
mean_overturned = design[train_y == 1].mean(axis=0)
gradient = 0.5 * mean_all - n_overturned / n * mean_overturned


def row(label, values):
    return f"| {label} | " + " | ".join(f"{v:.3f}" for v in values) + " |"


share = f"\\tfrac{{{n_overturned}}}{{{n}}}"
print("| At $w = 0$ | Intercept | Evidence | Policy match |")
print("|---|:---:|:---:|:---:|")
print(row(f"(1) mean, all {n}", mean_all))
print(row(f"(2) mean, {n_overturned} overturned", mean_overturned))
print(row(f"Gradient: $0.5 \\times (1) - {share} \\times (2)$", gradient))
print(row("Step: $0 - 1 \\times$ gradient", -gradient))
