import numpy as np

# One replayed question (order A10234), varying only how much policy evidence is retrieved.
evidence = np.array([1.0, 2.0, 3.0, 4.0, 5.0])  # hundreds of tokens (the feature)
latency = np.array([118.0, 141.0, 162.0, 181.0, 198.0])  # milliseconds (the target)

# Before fitting anything, know how many rows you have and what ranges they cover.
print("requests", evidence.size)
print("evidence_range", (int(evidence.min()), int(evidence.max())), "hundreds_of_tokens")
print("latency_range", (int(latency.min()), int(latency.max())), "ms")
