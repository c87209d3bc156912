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


def scorecard(y, review):
    """Accuracy, recall and the review cost (5 per missed review, 1 per needless one)."""
    missed, needless = np.sum(~review & (y == 1)), np.sum(review & (y == 0))
    accuracy = np.mean(review == (y == 1))
    recall = np.sum(review & (y == 1)) / np.sum(y == 1)
    return f"accuracy {accuracy:.3f} recall {recall:.3f} cost {5 * missed + needless}"


def cheapest_threshold(y, p):
    """As in the cost section: the candidate threshold with the lowest validation cost."""
    scores = np.unique(p)
    candidates = np.r_[0.0, (scores[:-1] + scores[1:]) / 2, 1.0]
    costs = [5 * np.sum((p < t) & (y == 1)) + np.sum((p >= t) & (y == 0)) for t in candidates]
    return candidates[int(np.argmin(costs))]


X, y = replay_requests()
(train_X, val_X, _), (train_y, val_y, _) = split_by_arrival(X, y)
val_p = sigmoid(design_matrix(val_X, train_X) @ train(design_matrix(train_X, train_X), train_y))

print("never_review", scorecard(val_y, np.zeros(len(val_y), dtype=bool)))
print("at_one_half", scorecard(val_y, val_p >= 0.5))
print("at_cheapest", scorecard(val_y, val_p >= cheapest_threshold(val_y, val_p)))

# A later, larger month in which the assistant is overturned far more rarely.
_, later_y = replay_requests(seed=270, n=2000, base_log_odds=-4.0)
never = np.zeros(len(later_y), dtype=bool)
print("later_month", len(later_y), "requests", int(later_y.sum()), "overturned")
print("later_never_review", scorecard(later_y, never))
