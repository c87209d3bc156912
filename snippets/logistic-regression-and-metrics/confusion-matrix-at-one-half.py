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


def confusion(y, p, threshold):
    """The four outcomes when every request with p >= threshold is reviewed."""
    review = p >= threshold
    return {
        "TP": int(np.sum(review & (y == 1))),  # reviewed, and the reviewer overturned
        "FP": int(np.sum(review & (y == 0))),  # a needless review
        "FN": int(np.sum(~review & (y == 1))),  # a missed review
        "TN": int(np.sum(~review & (y == 0))),
    }


def precision_recall_f1(c):
    precision = c["TP"] / (c["TP"] + c["FP"])  # reviewed requests that needed it
    recall = c["TP"] / (c["TP"] + c["FN"])  # requests needing review that got it
    return precision, recall, 2 * precision * recall / (precision + recall)


X, y = replay_requests()
(train_X, val_X, _), (train_y, val_y, _) = split_by_arrival(X, y)
w = train(design_matrix(train_X, train_X), train_y)
val_p = sigmoid(design_matrix(val_X, train_X) @ w)

counts = confusion(val_y, val_p, threshold=0.5)
precision, recall, f1 = precision_recall_f1(counts)
print("confusion", " ".join(f"{k} {v}" for k, v in counts.items()))
print("accuracy", round((counts["TP"] + counts["TN"]) / len(val_y), 3))
print("precision", round(precision, 3))
print("recall", round(recall, 3))
print("f1", round(f1, 3))
