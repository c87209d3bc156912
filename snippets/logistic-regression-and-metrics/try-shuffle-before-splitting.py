import numpy as np


def replay_requests(seed=269, n=200, base_log_odds=-1.0):
    """Replayed return requests in arrival order: two features, and whether a reviewer overturned."""
    rng = np.random.default_rng(seed)
    evidence = rng.uniform(1, 9, n).round(1)  # hundreds of tokens of policy evidence retrieved
    policy_match = rng.beta(4, 2, n).round(2)  # 0 to 1: how well the cited policy fits the case
    log_odds = base_log_odds + 0.5 * (evidence - 5) - 5.0 * (policy_match - 0.65)  # the simulation's rule
    overturned = (rng.random(n) < 1 / (1 + np.exp(-log_odds))).astype(int)
    return np.column_stack([evidence, policy_match]), overturned


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def train(X, y, learning_rate=1.0, steps=500, l2=0.0):
    """Gradient descent on the mean log loss; l2 shrinks every weight except the intercept."""
    w = np.zeros(X.shape[1])
    for _ in range(steps):
        gradient = X.T @ (sigmoid(X @ w) - y) / len(y)
        gradient[1:] += l2 * w[1:]
        w -= learning_rate * gradient
    return w


def rank_auc(y, p):
    above = p[y == 1][:, None] - p[y == 0][None, :]
    return float(np.mean((above > 0) + 0.5 * (above == 0)))


def cheapest_threshold(y, p):
    scores = np.unique(p)
    candidates = np.r_[0.0, (scores[:-1] + scores[1:]) / 2, 1.0]
    costs = [5 * np.sum((p < t) & (y == 1)) + np.sum((p >= t) & (y == 0)) for t in candidates]
    return float(candidates[int(np.argmin(costs))])


def standardized(X, reference):
    return np.column_stack([np.ones(len(X)), (X - reference.mean(axis=0)) / reference.std(axis=0)])


X, y = replay_requests()
aucs, thresholds = [], []
for shuffle_seed in range(5):
    order = np.random.default_rng(shuffle_seed).permutation(len(y))
    train_rows, val_rows = order[:120], order[120:160]  # the other 40 stay unused, as a test split would
    w = train(standardized(X[train_rows], X[train_rows]), y[train_rows])
    val_p = sigmoid(standardized(X[val_rows], X[train_rows]) @ w)
    aucs.append(rank_auc(y[val_rows], val_p))
    thresholds.append(cheapest_threshold(y[val_rows], val_p))
print("validation_auc", np.round(aucs, 3))
print("chosen_threshold", np.round(thresholds, 3))
print("auc_range", round(min(aucs), 3), round(max(aucs), 3))
print("threshold_range", round(min(thresholds), 3), round(max(thresholds), 3))
