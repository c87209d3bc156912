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


def bag(X, y, trees, max_features=None, seed=0):
    """Fully grown trees, each on a bootstrap sample: n rows drawn with replacement.
    With max_features, each split also looks at only that many features, drawn at random."""
    rng = np.random.default_rng(seed)
    fitted = []
    for b in range(trees):
        rows = rng.integers(0, len(y), len(y))
        tree = DecisionTreeClassifier(max_features=max_features, random_state=b)
        fitted.append(tree.fit(X[rows], y[rows]))
    return fitted


def vote(fitted, X):
    """The ensemble's probability: the mean of its trees' probabilities."""
    return np.mean([tree.predict_proba(X)[:, 1] for tree in fitted], axis=0)


# Ten fresh months of 300 requests from the same process; the same 200 validation requests judge all.
models = {
    "one_tree": lambda X_, y_: [DecisionTreeClassifier(random_state=0).fit(X_, y_)],
    "bagged": lambda X_, y_: bag(X_, y_, trees=25),
    "forest": lambda X_, y_: bag(X_, y_, trees=25, max_features=2),  # 2 of the 4 features per split
}
probabilities = {name: [] for name in models}
pair_correlation = {name: [] for name in models}
for month in range(10):
    month_X, month_y = replay_requests(seed=100 + month, n=300)
    for name, fit in models.items():
        fitted = fit(month_X, month_y)
        probabilities[name].append(vote(fitted, val_X))
        if len(fitted) > 1:  # how alike are two of its trees on the validation requests?
            a, b = (tree.predict_proba(val_X)[:, 1] for tree in fitted[:2])
            pair_correlation[name].append(np.corrcoef(a, b)[0, 1])

for name, runs in probabilities.items():
    runs = np.array(runs)  # months x validation requests
    spread = runs.var(axis=0).mean()  # how much a request's probability moves from month to month
    error = np.mean((runs >= 0.5) != val_y)
    brier = np.mean((runs - val_y) ** 2)
    line = [name, "variance", round(spread, 4), "validation_error", round(error, 3), "brier", round(brier, 3)]
    if pair_correlation[name]:
        line += ["tree_pair_correlation", round(float(np.mean(pair_correlation[name])), 2)]
    print(*line)
