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


def cost_per_request(y, p, threshold):
    review = p >= threshold
    return float(5 * np.sum(~review & (y == 1)) + np.sum(review & (y == 0))) / len(y)


def cheapest_threshold(y, p):
    scores = np.unique(p)
    candidates = np.r_[0.0, (scores[:-1] + scores[1:]) / 2, 1.0]
    return float(candidates[int(np.argmin([cost_per_request(y, p, t) for t in candidates]))])


X, y = replay_requests()
(train_X, val_X, test_X), (train_y, val_y, test_y) = split_by_arrival(X, y)
w = train(design_matrix(train_X, train_X), train_y)
val_p, test_p = (sigmoid(design_matrix(part, train_X) @ w) for part in (val_X, test_X))

honest = cheapest_threshold(val_y, val_p)
peeked = cheapest_threshold(test_y, test_p)  # the mistake: tuning on the split that reports
# A fresh month of 2000 requests from the same process tells which test figure was true.
fresh_X, fresh_y = replay_requests(seed=271, n=2000)
fresh_p = sigmoid(design_matrix(fresh_X, train_X) @ w)
for name, t in (("chosen_on_validation", honest), ("chosen_on_test", peeked)):
    print(name, f"threshold {t:.3f}", f"test_cost {cost_per_request(test_y, test_p, t):.3f}",
          f"fresh_month_cost {cost_per_request(fresh_y, fresh_p, t):.3f}")  # fmt: skip
