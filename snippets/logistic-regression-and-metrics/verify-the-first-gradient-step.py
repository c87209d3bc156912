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


def mean_log_loss(y, p):
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


X, y = replay_requests()
(train_X, _, _), (train_y, _, _) = split_by_arrival(X, y)
design = design_matrix(train_X, train_X)

w = np.zeros(3)  # intercept, evidence, policy match
p = sigmoid(design @ w)  # 0.5 for every request
gradient = design.T @ (p - train_y) / len(train_y)
stepped = w - 1.0 * gradient  # learning rate 1

print("gradient", gradient.round(4))
print("next_weights", stepped.round(4))
loss_before = mean_log_loss(train_y, p)
print("loss_before", round(loss_before, 4), "ln_two", round(np.log(2), 4))
print("loss_after", round(mean_log_loss(train_y, sigmoid(design @ stepped)), 4))
