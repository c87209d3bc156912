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

# scikit-learn's tree from here on: the same splits as ours, grown faster.
for depth in range(1, 13):
    tree = DecisionTreeClassifier(max_depth=depth, random_state=0).fit(train_X, train_y)
    train_error, val_error = 1 - tree.score(train_X, train_y), 1 - tree.score(val_X, val_y)
    print(f"depth={depth}", "leaves", tree.get_n_leaves(), "train_error", round(train_error, 3),
          "validation_error", round(val_error, 3))  # fmt: skip
full = DecisionTreeClassifier(random_state=0).fit(train_X, train_y)  # no limit: grow until pure
print("unlimited depth", full.get_depth(), "leaves", full.get_n_leaves(),
      "train_error", round(1 - full.score(train_X, train_y), 3),
      "validation_error", round(1 - full.score(val_X, val_y), 3))  # fmt: skip
print("always_predict_kept validation_error", round(float(val_y.mean()), 3))
