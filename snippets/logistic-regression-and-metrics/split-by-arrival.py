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


X, y = replay_requests()
(train_X, val_X, test_X), (train_y, val_y, test_y) = split_by_arrival(X, y)

for name, labels in (("train", train_y), ("validation", val_y), ("test", test_y)):
    rate = f"rate {labels.mean():.3f}"
    print(name, len(labels), "requests", labels.sum(), "overturned", rate)

# Standardize with training statistics only: other splits must not shape the model.
print("train_mean", train_X.mean(axis=0).round(3))
print("train_spread", train_X.std(axis=0).round(3))
train_design = design_matrix(train_X, train_X)
standardized = train_design[:, 1:]
print("standardized_train_mean", standardized.mean(axis=0).round(3) + 0.0)  # no -0.0
print("standardized_train_spread", standardized.std(axis=0).round(3))
