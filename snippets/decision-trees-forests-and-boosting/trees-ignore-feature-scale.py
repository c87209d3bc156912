import numpy as np
from sklearn.tree import DecisionTreeClassifier


def replay_requests(seed=30, n=500):
    """Refused returns in arrival order: four features; 1 if a reviewer overturned the refusal."""
    rng = np.random.default_rng(seed)
    days = rng.integers(0, 61, n)  # days since delivery when the customer asked
    policy_match = rng.beta(4, 2, n).round(2)  # 0 to 1: how well the cited policy fits
    evidence = rng.uniform(1, 9, n).round(1)  # hundreds of tokens retrieved
    ticket = rng.integers(0, 1000, n)  # last three digits of the ticket number: pure noise
    # The simulation's rule: refusals of late returns argued from a weak policy match fail most.
    late, weak = days > 30, policy_match < 0.6
    rate = np.where(late & weak, 0.85, np.where(late | weak, 0.25, 0.05))
    overturned = (rng.random(n) < rate).astype(int)
    return np.column_stack([days, policy_match, evidence, ticket]).astype(float), overturned


FEATURES = ["days", "policy_match", "evidence", "ticket"]
X, y = replay_requests()
train_X, val_X, train_y, val_y = X[:300], X[300:], y[:300], y[300:]  # older 300 train, newer 200 judge

# Change units: days to hours, policy match to percent, evidence to tokens. A tree only compares
# a feature with a threshold, so scaling a feature moves its thresholds and nothing else.
units = np.array([24.0, 100.0, 100.0, 1.0])
plain = DecisionTreeClassifier(max_depth=4, random_state=0).fit(train_X, train_y)
rescaled = DecisionTreeClassifier(max_depth=4, random_state=0).fit(train_X * units, train_y)
same = np.array_equal(plain.predict_proba(val_X), rescaled.predict_proba(val_X * units))
print("same_validation_predictions", same)
print("root_threshold", plain.tree_.threshold[0], "rescaled", rescaled.tree_.threshold[0])
