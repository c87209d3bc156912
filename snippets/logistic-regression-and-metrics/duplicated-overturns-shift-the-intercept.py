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
(train_X, val_X, _), (train_y, val_y, _) = split_by_arrival(X, y)
train_design = design_matrix(train_X, train_X)
val_design = design_matrix(val_X, train_X)

w = train(train_design, train_y)
repeat = np.where(train_y == 1, 2, 1)  # every overturn counted twice
w_dup = train(np.repeat(train_design, repeat, axis=0), np.repeat(train_y, repeat))
# The same fit as a weighted loss: class_weight gives each overturn a weight of 2.
weighted = LogisticRegression(C=np.inf, class_weight={0: 1, 1: 2}, tol=1e-10)
weighted.fit(train_design[:, 1:], train_y)
gap = np.abs(np.r_[weighted.intercept_, weighted.coef_[0]] - w_dup).max()

print("intercept", f"as_recorded {w[0]:.3f} duplicated {w_dup[0]:.3f}")
print("intercept_shift", round(w_dup[0] - w[0], 3), "ln_2", round(np.log(2), 3))
print("feature_weights", f"as_recorded {w[1:].round(3)} duplicated {w_dup[1:].round(3)}")
print("class_weight_gap", f"{gap:.0e}")
val_p, val_p_dup = sigmoid(val_design @ w), sigmoid(val_design @ w_dup)
print("validation_auc", round(rank_auc(val_y, val_p), 4), round(rank_auc(val_y, val_p_dup), 4))

# Prior correction: subtract ln 2 from the intercept to undo the doubled overturn odds.
corrected = sigmoid(val_design @ (w_dup - np.r_[np.log(2), 0, 0]))
for name, p in (("as_recorded", val_p), ("duplicated", val_p_dup), ("corrected", corrected)):
    print(name, f"mean_prediction {p.mean():.3f} brier {np.mean((p - val_y) ** 2):.4f}")
