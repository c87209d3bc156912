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


def cheapest_threshold(y, p, missed_cost, needless_cost=1):
    scores = np.unique(p)
    candidates = np.r_[0.0, (scores[:-1] + scores[1:]) / 2, 1.0]
    costs = []
    for t in candidates:
        missed, needless = np.sum((p < t) & (y == 1)), np.sum((p >= t) & (y == 0))
        costs.append(missed_cost * missed + needless_cost * needless)
    return float(candidates[int(np.argmin(costs))])


X, y = replay_requests()
(train_X, val_X, _), (train_y, val_y, _) = split_by_arrival(X, y)
w = train(design_matrix(train_X, train_X), train_y)
val_p = sigmoid(design_matrix(val_X, train_X) @ w)

for missed_cost in (2, 5, 10):
    t = cheapest_threshold(val_y, val_p, missed_cost)
    break_even = 1 / (1 + missed_cost)
    sent = int(np.sum(val_p >= t))
    print(f"missed_cost={missed_cost}", f"threshold {t:.3f}", end=" ")
    print(f"break_even {break_even:.3f} sent {sent}")
