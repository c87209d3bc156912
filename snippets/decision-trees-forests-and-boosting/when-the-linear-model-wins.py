import numpy as np
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss, roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
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


def lesson_2_requests(seed=269, n=200, base_log_odds=-1.0):
    """Lesson 2's requests: evidence and policy match, overturns drawn from a linear log-odds rule."""
    rng = np.random.default_rng(seed)
    evidence = rng.uniform(1, 9, n).round(1)
    policy_match = rng.beta(4, 2, n).round(2)
    log_odds = base_log_odds + 0.5 * (evidence - 5) - 5.0 * (policy_match - 0.65)
    overturned = (rng.random(n) < 1 / (1 + np.exp(-log_odds))).astype(int)
    return np.column_stack([evidence, policy_match]), overturned


models = {
    "logistic": lambda: make_pipeline(StandardScaler(), LogisticRegression()),
    "tree": lambda: DecisionTreeClassifier(max_depth=3, random_state=0),
    "forest": lambda: RandomForestClassifier(n_estimators=100, min_samples_leaf=5, random_state=0),
    "boosting": lambda: GradientBoostingClassifier(n_estimators=50, max_depth=2, random_state=0),
}
l2_X, l2_y = lesson_2_requests()
datasets = {
    "linear_rule": (l2_X[:120], l2_y[:120], l2_X[120:], l2_y[120:]),  # its 120 training requests, 80 newer
    "late_and_weak_rule": (train_X, train_y, val_X, val_y),
}
for data, (fit_X, fit_y, judge_X, judge_y) in datasets.items():
    for name, make in models.items():
        p = make().fit(fit_X, fit_y).predict_proba(judge_X)[:, 1]
        print(
            f"{data}_{name}",
            "log_loss",
            round(log_loss(judge_y, p), 3),
            "auc",
            round(roc_auc_score(judge_y, p), 3),
        )
