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

# The same depth-3 tree grown with each impurity: do the splits change?
trees = {
    c: DecisionTreeClassifier(criterion=c, max_depth=3, random_state=0).fit(train_X, train_y)
    for c in ("gini", "entropy")
}
for criterion, tree in trees.items():
    t = tree.tree_
    inner = t.children_left != -1
    splits = [f"{FEATURES[f]}<={v:.4g}" for f, v in zip(t.feature[inner], t.threshold[inner], strict=True)]
    print(f"{criterion}_splits", *splits)
    print(f"{criterion}_validation_error", round(1 - tree.score(val_X, val_y), 3))
agree = np.mean(trees["gini"].predict(val_X) == trees["entropy"].predict(val_X))
print("same_decision_share", round(float(agree), 3))
