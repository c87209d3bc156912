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


def sigmoid(z):
    """Any real score to a probability strictly between 0 and 1."""
    return 1 / (1 + np.exp(-z))


def odds(p):
    return p / (1 - p)


def log_odds(p):
    """The inverse of the sigmoid, also called the logit."""
    return np.log(odds(p))


for p in (0.2, 0.5, 0.8):
    print(f"p={p}", f"odds {odds(p):.3g} log_odds {log_odds(p):.3f}")

scores = np.array([-6.0, -2.0, 0.0, 2.0, 6.0])
print("sigmoid_of_scores", sigmoid(scores).round(4))
round_trip = log_odds(sigmoid(scores))
print("round_trip_recovers_scores", bool(np.allclose(round_trip, scores)))

# With no features, the best constant probability is the training overturn rate.
_, overturned = replay_requests()
train_rate = overturned[:120].mean()
print("train_rate", f"{train_rate:.4g} its_log_odds {log_odds(train_rate):.4f}")
