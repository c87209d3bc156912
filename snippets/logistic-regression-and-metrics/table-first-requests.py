import numpy as np


def replay_requests(seed=269, n=200, base_log_odds=-1.0):
    """Replayed return requests in arrival order: two features, and whether a reviewer overturned."""
    rng = np.random.default_rng(seed)
    evidence = rng.uniform(1, 9, n).round(1)  # hundreds of tokens of policy evidence retrieved
    policy_match = rng.beta(4, 2, n).round(2)  # 0 to 1: how well the cited policy fits the case
    log_odds = base_log_odds + 0.5 * (evidence - 5) - 5.0 * (policy_match - 0.65)  # the simulation's rule
    overturned = (rng.random(n) < 1 / (1 + np.exp(-log_odds))).astype(int)
    return np.column_stack([evidence, policy_match]), overturned

X, overturned = replay_requests()

# The first eight replayed requests as a Markdown table: the same rows every script uses.
print("| Request | Evidence (hundreds of tokens) | Policy match | Reviewer overturned? |")
print("|:---:|:---:|:---:|:---:|")
for number, ((evidence, match), label) in enumerate(zip(X[:8], overturned[:8], strict=True), start=1):
    print(f"| {number} | {evidence:.1f} | {match:.2f} | {'yes (1)' if label else 'no (0)'} |")
