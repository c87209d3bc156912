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


X, y = replay_requests()
train_X, train_y = X[:120], y[:120]

# Lesson 1's least squares on the 0/1 label: intercept, evidence, policy match.
design = np.column_stack([np.ones(len(X)), X])
w, *_ = np.linalg.lstsq(design[:120], train_y, rcond=None)
scores = design @ w

print("line_weights", w.round(3))
print("scores_below_zero", int((scores < 0).sum()), "of", len(scores))
print("lowest_score", round(float(scores.min()), 3))
long_weak_request = np.array([1.0, 12.0, 0.3])  # 1,200 tokens, policy match 0.3
print("long_weak_request_score", round(float(long_weak_request @ w), 3))
