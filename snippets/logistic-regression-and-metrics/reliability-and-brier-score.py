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


def reliability_bins(y, p, bins=5):
    """Per equal-width bin of p: requests, mean prediction, observed rate."""
    edges = np.linspace(0, 1, bins + 1)[1:-1]
    which = np.searchsorted(edges, p)  # a p on an edge belongs to the lower bin
    rows = []
    for b in range(bins):
        members = which == b
        if members.any():
            rows.append((members.sum(), p[members].mean(), y[members].mean()))
    return rows


def brier_score(y, p):
    return float(np.mean((p - y) ** 2))


X, y = replay_requests()
(train_X, val_X, _), (train_y, val_y, _) = split_by_arrival(X, y)
train_design = design_matrix(train_X, train_X)
val_design = design_matrix(val_X, train_X)

as_recorded = sigmoid(val_design @ train(train_design, train_y))
# A common "fix" for imbalance: count every overturned training request twice.
repeat = np.where(train_y == 1, 2, 1)
w_dup = train(np.repeat(train_design, repeat, axis=0), np.repeat(train_y, repeat))
duplicated = sigmoid(val_design @ w_dup)

for name, p in (("as_recorded", as_recorded), ("duplicated_overturns", duplicated)):
    print(name, f"brier {brier_score(val_y, p):.4f} mean_prediction {p.mean():.3f}")
    for count, predicted, observed in reliability_bins(val_y, p):
        print(f"  bin n={count:2d} predicted {predicted:.3f} observed {observed:.3f}")
print("validation_overturn_rate", round(float(val_y.mean()), 3))
constant = np.full(len(val_y), train_y.mean())  # always predict the training rate
print("brier_of_constant_train_rate", round(brier_score(val_y, constant), 4))
