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


def permutation_importance(model, X, y, repeats=10, seed=0):
    """How much accuracy drops when one column is shuffled, cutting its link to the label;
    the mean drop over several shuffles, on data the model did not train on."""
    rng = np.random.default_rng(seed)
    baseline = model.score(X, y)
    drops = np.zeros((X.shape[1], repeats))
    for j in range(X.shape[1]):
        for k in range(repeats):
            shuffled = X.copy()
            shuffled[:, j] = rng.permutation(shuffled[:, j])
            drops[j, k] = baseline - model.score(shuffled, y)
    return drops.mean(axis=1), drops.std(axis=1)


forest = RandomForestClassifier(n_estimators=100, random_state=0).fit(train_X, train_y)
drop, spread = permutation_importance(forest, val_X, val_y)
print("validation_accuracy", round(forest.score(val_X, val_y), 3))
for j, name in enumerate(FEATURES):
    print(name, "impurity", round(forest.feature_importances_[j], 3),
          "permutation", round(drop[j], 3), "spread", round(spread[j], 3),
          "distinct_values", len(np.unique(train_X[:, j])))  # fmt: skip
