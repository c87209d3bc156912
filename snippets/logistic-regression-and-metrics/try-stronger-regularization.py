import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score


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
(train_X, val_X, _), (train_y, val_y, _) = split_by_arrival(X, y)
train_features = design_matrix(train_X, train_X)[:, 1:]
val_features = design_matrix(val_X, train_X)[:, 1:]

OLD_THRESHOLD = 0.179  # chosen on validation for the unpenalized model
for C in (1.0, 0.01):
    model = LogisticRegression(C=C).fit(train_features, train_y)
    p = model.predict_proba(val_features)[:, 1]
    auc, brier = roc_auc_score(val_y, p), brier_score_loss(val_y, p)
    spread = p.max() - p.min()
    print(f"C={C}", "weights", model.coef_[0].round(3), end=" ")
    print(f"spread_of_p {spread:.3f}", end=" ")
    print(f"auc {auc:.3f} brier {brier:.3f}")
print("at_C=0.01", f"lowest_p {p.min():.3f} sent_at_old_threshold", np.sum(p >= OLD_THRESHOLD))
