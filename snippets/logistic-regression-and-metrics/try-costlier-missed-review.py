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


def cost_per_request(y, p, threshold, missed_cost, needless_cost=1):
    missed, needless = np.sum((p < threshold) & (y == 1)), np.sum((p >= threshold) & (y == 0))
    return (missed_cost * missed + needless_cost * needless) / len(y)


def cheapest_thresholds(y, p, missed_cost):
    """Every candidate threshold that ties for the lowest cost, lowest first."""
    scores = np.unique(p)
    candidates = np.r_[0.0, (scores[:-1] + scores[1:]) / 2, 1.0]
    costs = np.array([cost_per_request(y, p, t, missed_cost) for t in candidates])
    return candidates[np.isclose(costs, costs.min())]


X, y = replay_requests()
(train_X, val_X, _), (train_y, val_y, _) = split_by_arrival(X, y)
w = train(design_matrix(train_X, train_X), train_y)
val_p = sigmoid(design_matrix(val_X, train_X) @ w)
# A fresh month of 2000 requests from the same process judges the two rules.
fresh_X, fresh_y = replay_requests(seed=271, n=2000)
fresh_p = sigmoid(design_matrix(fresh_X, train_X) @ w)

for missed_cost in (2, 5, 10):
    tied = cheapest_thresholds(val_y, val_p, missed_cost)
    chosen, break_even = tied[0], 1 / (1 + missed_cost)  # the search keeps the lowest
    sent = [int(np.sum(val_p >= t)) for t in tied]
    print(f"missed_cost={missed_cost}", f"threshold {chosen:.3f} break_even {break_even:.3f}")
    on_val = [cost_per_request(val_y, val_p, t, missed_cost) * len(val_y) for t in (chosen, break_even)]
    print(f"validation_cost_at_{missed_cost}", "search {:.0f} break_even {:.0f}".format(*on_val))
    print(f"tied_at_{missed_cost}", "thresholds", tied.round(3), "sent", sent)
    on_fresh = [cost_per_request(fresh_y, fresh_p, t, missed_cost) for t in (chosen, break_even)]
    print(f"fresh_month_cost_at_{missed_cost}", "search {:.3f} break_even {:.3f}".format(*on_fresh))
