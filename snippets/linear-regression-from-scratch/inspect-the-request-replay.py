import numpy as np

# One question (order A10234) replayed five times; only the retrieved evidence changes.
evidence = np.array([1.0, 2.0, 3.0, 4.0, 5.0])  # hundreds of tokens: the feature
latency = np.array([118.0, 141.0, 162.0, 181.0, 198.0])  # milliseconds: the target


def value_range(values):
    """Smallest and largest value as whole numbers, easy to compare with what you expect."""
    return int(values.min()), int(values.max())


# Know what you have before fitting anything: one latency per evidence length.
assert evidence.shape == latency.shape
print("requests", evidence.size)
print("evidence_range", value_range(evidence), "hundreds_of_tokens")
print("latency_range", value_range(latency), "ms")
