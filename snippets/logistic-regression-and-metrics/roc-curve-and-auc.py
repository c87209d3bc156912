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


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def train(X, y, learning_rate=1.0, steps=500, l2=0.0):
    """Gradient descent on the mean log loss; l2 shrinks all but the intercept."""
    w = np.zeros(X.shape[1])
    for _ in range(steps):
        gradient = X.T @ (sigmoid(X @ w) - y) / len(y)
        gradient[1:] += l2 * w[1:]
        w -= learning_rate * gradient
    return w


def rank_auc(y, p):
    """Share of (overturned, kept) pairs where the overturned one scores higher."""
    above = p[y == 1][:, None] - p[y == 0][None, :]
    return float(np.mean((above > 0) + 0.5 * (above == 0)))  # a tie counts half


def roc_points(y, p):
    """False- and true-positive rates as the threshold falls past each score."""
    thresholds = np.r_[np.inf, np.unique(p)[::-1]]
    tpr = np.array([np.mean(p[y == 1] >= t) for t in thresholds])
    fpr = np.array([np.mean(p[y == 0] >= t) for t in thresholds])
    return fpr, tpr


def average_precision(y, p):
    """Area under the precision-recall curve: precision where each overturn is reached."""
    hits = y[np.argsort(-p)]  # labels from the highest score down (no ties here)
    precision_at = np.cumsum(hits) / np.arange(1, len(hits) + 1)
    return float(precision_at[hits == 1].mean())


X, y = replay_requests()
(train_X, val_X, _), (train_y, val_y, _) = split_by_arrival(X, y)
w = train(design_matrix(train_X, train_X), train_y)
val_p = sigmoid(design_matrix(val_X, train_X) @ w)

fpr, tpr = roc_points(val_y, val_p)
positives, negatives = int(val_y.sum()), int((1 - val_y).sum())
print("roc_points", len(fpr))
print("pairs", positives, "x", negatives, "=", positives * negatives)
print("auc_area", round(float(np.trapezoid(tpr, fpr)), 4))
print("auc_rank", round(rank_auc(val_y, val_p), 4))
print("average_precision", round(average_precision(val_y, val_p), 4), "base_rate", val_y.mean())
