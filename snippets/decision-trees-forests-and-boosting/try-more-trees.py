import numpy as np
from sklearn.ensemble import RandomForestClassifier


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

# More trees in a forest: does the validation error ever turn back up?
for trees in (1, 5, 25, 100, 300):
    forest = RandomForestClassifier(n_estimators=trees, random_state=0).fit(train_X, train_y)
    p = forest.predict_proba(val_X)[:, 1]
    print(f"trees={trees}", "validation_error", round(1 - forest.score(val_X, val_y), 3),
          "brier", round(float(np.mean((p - val_y) ** 2)), 3))  # fmt: skip
