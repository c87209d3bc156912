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


MISSED_REVIEW_COST = 5  # a wrong decision reaches the customer unreviewed
NEEDLESS_REVIEW_COST = 1  # a reviewer confirms a decision that was right


def review_cost(y, p, threshold):
    """Total cost when every request with p >= threshold goes to a reviewer."""
    review = p >= threshold
    missed = np.sum(~review & (y == 1))
    needless = np.sum(review & (y == 0))
    return int(MISSED_REVIEW_COST * missed + NEEDLESS_REVIEW_COST * needless)


def cheapest_threshold(y, p):
    """Try a threshold between each pair of neighbouring scores, and both ends."""
    scores = np.unique(p)
    candidates = np.r_[0.0, (scores[:-1] + scores[1:]) / 2, 1.0]
    costs = [review_cost(y, p, t) for t in candidates]
    return float(candidates[int(np.argmin(costs))])  # a tie: the lower threshold


def rank_auc(y, p):
    """Share of (overturned, kept) pairs where the overturned one scores higher."""
    above = p[y == 1][:, None] - p[y == 0][None, :]
    return float(np.mean((above > 0) + 0.5 * (above == 0)))  # a tie counts half


X, y = replay_requests()
aucs, thresholds = [], []
for shuffle_seed in range(5):
    order = np.random.default_rng(shuffle_seed).permutation(len(y))
    train_rows, val_rows = order[:120], order[120:160]  # the last 40 stay unused
    w = train(design_matrix(X[train_rows], X[train_rows]), y[train_rows])
    val_p = sigmoid(design_matrix(X[val_rows], X[train_rows]) @ w)
    aucs.append(rank_auc(y[val_rows], val_p))
    thresholds.append(cheapest_threshold(y[val_rows], val_p))
print("validation_auc", np.round(aucs, 3))
print("chosen_threshold", np.round(thresholds, 3))
print("auc_range", round(min(aucs), 3), round(max(aucs), 3))
print("threshold_range", round(min(thresholds), 3), round(max(thresholds), 3))
