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


X, overturned = replay_requests()
evidence, policy_match = X[:, 0], X[:, 1]

# Before modelling, know the size, the ranges and how often the label is 1.
print("requests", len(overturned))
print("evidence_range", evidence.min(), evidence.max(), "hundreds_of_tokens")
print("policy_match_range", policy_match.min(), policy_match.max())
print("overturned", overturned.sum(), "kept", len(overturned) - overturned.sum())
print("overturn_rate", round(float(overturned.mean()), 3))
