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


def mean_log_loss(y, p):
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


X, y = replay_requests()
(train_X, _, _), (train_y, _, _) = split_by_arrival(X, y)
design = design_matrix(train_X, train_X)

for steps in (1, 10, 100, 500):
    w = train(design, train_y, steps=steps)
    print(f"after_steps={steps}", "loss", round(mean_log_loss(train_y, sigmoid(design @ w)), 4), "w", w.round(3))

# Back to the features' own units: weight per unit = weight per standard deviation / spread.
per_100_tokens, per_policy_point = w[1:] / train_X.std(axis=0)
print("odds_factor_per_100_tokens", round(float(np.exp(per_100_tokens)), 2))
print("odds_factor_per_0.1_policy_match", round(float(np.exp(0.1 * per_policy_point)), 2))
print("simulation_rule_factors", round(float(np.exp(0.5)), 2), round(float(np.exp(-0.5)), 2))
