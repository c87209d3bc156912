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


X, y = replay_requests()
(train_X, val_X, _), (train_y, val_y, _) = split_by_arrival(X, y)
w = train(design_matrix(train_X, train_X), train_y)
val_p = sigmoid(design_matrix(val_X, train_X) @ w)

threshold = cheapest_threshold(val_y, val_p)
cost = review_cost(val_y, val_p, threshold)
print("costs missed", MISSED_REVIEW_COST, "needless", NEEDLESS_REVIEW_COST)
print("chosen_threshold", round(threshold, 3), "validation_cost", cost)
print("cost_at_0.5", review_cost(val_y, val_p, 0.5))
print("cost_review_everyone", review_cost(val_y, val_p, 0.0))
print("cost_review_no_one", review_cost(val_y, val_p, 1.0))
print("reviews_sent", int(np.sum(val_p >= threshold)), "of", len(val_y))


def break_even(fp, fn, tp=0, tn=0):
    """Review above this p. The costs above price mistakes only: tp = tn = 0."""
    return (fp - tn) / ((fp - tn) + (fn - tp))


print("calibrated_break_even", round(break_even(NEEDLESS_REVIEW_COST, MISSED_REVIEW_COST), 3))
every_review_costs = break_even(NEEDLESS_REVIEW_COST, MISSED_REVIEW_COST, tp=NEEDLESS_REVIEW_COST)
print("break_even_if_every_review_costs_1", round(every_review_costs, 3))
