import numpy as np
from sklearn.calibration import calibration_curve
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score


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


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def train(X, y, learning_rate=1.0, steps=500, l2=0.0):
    """Gradient descent on the mean log loss; l2 shrinks all but the intercept."""
    w = np.zeros(X.shape[1])
    for _ in range(steps):
        gradient = X.T @ (sigmoid(X @ w) - y) / len(y)
        gradient[1:] += l2 * w[1:]
        w -= learning_rate * gradient
    return w


def weights_of(model):
    return np.r_[model.intercept_, model.coef_[0]]


X, y = replay_requests()
(train_X, val_X, _), (train_y, val_y, _) = split_by_arrival(X, y)
train_design = design_matrix(train_X, train_X)
val_design = design_matrix(val_X, train_X)
features, n = train_design[:, 1:], len(train_y)  # scikit-learn adds the intercept

# C=1.0 is the default, so an L2 penalty is on; a tight tol reaches the optimum.
default = LogisticRegression(tol=1e-10).fit(features, train_y)
ours_matched = train(train_design, train_y, l2=1 / (default.C * n))
gap = np.abs(weights_of(default) - ours_matched).max()
print("sklearn_default_C", default.C, "weights", weights_of(default).round(4))
print("ours_with_penalty", "weights", ours_matched.round(4))
print("gap_with_penalty", f"{gap:.0e}")

unpenalized = LogisticRegression(C=np.inf, tol=1e-10).fit(features, train_y)
ours = train(train_design, train_y)
gap = np.abs(weights_of(unpenalized) - ours).max()
print("sklearn_unpenalized_weights", weights_of(unpenalized).round(4))
print("gap_without_penalty", f"{gap:.0e}")

# How much would the weights move on another 120 requests? Their standard errors come
# from the log loss's curvature at the optimum (the inverse of X^T diag(p(1-p)) X).
p = sigmoid(train_design @ ours)
curvature = train_design.T @ (train_design * (p * (1 - p))[:, None])
standard_errors = np.sqrt(np.diag(np.linalg.inv(curvature)))
print("standard_errors", standard_errors.round(2))
shrink = ours[1] - weights_of(default)[1]
print("evidence_weight_shrinkage", round(shrink, 2), "standard_error", standard_errors[1].round(2))

# scikit-learn's metrics on our unpenalized model's validation probabilities.
val_p = sigmoid(val_design @ ours)
print("log_loss", round(log_loss(val_y, val_p), 4))
print("roc_auc_score", round(roc_auc_score(val_y, val_p), 4))
print("brier_score_loss", round(brier_score_loss(val_y, val_p), 4))
observed, predicted = calibration_curve(val_y, val_p, n_bins=5)
print("calibration_curve_observed", observed.round(3))
print("calibration_curve_predicted", predicted.round(3))
