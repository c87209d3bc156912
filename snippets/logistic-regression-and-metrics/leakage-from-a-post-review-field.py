import numpy as np
from sklearn.linear_model import LogisticRegression


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
# The case log also records hours_open. Reviewers reopen the cases they overturn, so
# the field is written after the very review we want to predict.
rng = np.random.default_rng(7)
hours_open = np.where(y == 1, 30.0, 4.0) + rng.exponential(6.0, len(y))
leaky_X = np.column_stack([X, hours_open.round(1)])
(train_X, val_X, _), (train_y, val_y, _) = split_by_arrival(leaky_X, y)
train_design = design_matrix(train_X, train_X)
w = train(train_design, train_y)  # 500 steps, as every fit in this lesson

offline = sigmoid(design_matrix(val_X, train_X) @ w)
at_decision_time = val_X.copy()
at_decision_time[:, 2] = 0.0  # when the assistant decides, no case has been open yet
live = sigmoid(design_matrix(at_decision_time, train_X) @ w)

print("weights", w.round(2))
print("offline_auc", round(rank_auc(val_y, offline), 3))
print("live_highest_probability", f"{live.max():.4f}")
print("live_auc", round(rank_auc(val_y, live), 3))

# 500 steps stop short: the leaked field nearly separates the training split, so the
# optimum lies far out. scikit-learn runs all the way to it.
best = LogisticRegression(C=np.inf, tol=1e-12).fit(train_design[:, 1:], train_y)
wrong_side = np.sum(best.predict(train_design[:, 1:]) != train_y)
print("converged_field_weight", best.coef_[0][2].round(2), "wrong_side", wrong_side, "of", len(train_y))
