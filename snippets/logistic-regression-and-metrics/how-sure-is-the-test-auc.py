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


X, y = replay_requests()
(train_X, _, test_X), (train_y, _, test_y) = split_by_arrival(X, y)
w = train(design_matrix(train_X, train_X), train_y)
test_p = sigmoid(design_matrix(test_X, train_X) @ w)

# Bootstrap: redraw the 40 test requests with replacement, many times, and see how far
# the AUC moves. A redraw with no overturn (or no kept decision) has no AUC; skip it.
rng = np.random.default_rng(0)
resampled = []
for _ in range(2000):
    rows = rng.integers(0, len(test_y), len(test_y))
    if 0 < test_y[rows].sum() < len(rows):
        resampled.append(rank_auc(test_y[rows], test_p[rows]))
low, high = np.percentile(resampled, [2.5, 97.5])
print("test_auc", round(rank_auc(test_y, test_p), 4))
print("bootstrap_95_interval", round(low, 3), round(high, 3), "from", len(resampled), "redraws")

# A fresh month of the same process, scored by the same model, for comparison.
fresh_X, fresh_y = replay_requests(seed=271, n=2000)
fresh_p = sigmoid(design_matrix(fresh_X, train_X) @ w)
print("fresh_month_auc", round(rank_auc(fresh_y, fresh_p), 3), "on", len(fresh_y), "requests")
