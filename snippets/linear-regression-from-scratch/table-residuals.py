import numpy as np

evidence = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
latency = np.array([118.0, 141.0, 162.0, 181.0, 198.0])

# Candidate line: 100 ms fixed overhead + 20 ms per extra 100 tokens.
guess = 100 + 20 * evidence
misses = latency - guess

# One Markdown row per replay: what was measured, what the line said, and the miss.
print("| Evidence $x$ | Measured $y$ | Predicted $\\hat{y}$ | Residual $y - \\hat{y}$ | Squared residual |")
print("|:---:|:---:|:---:|:---:|:---:|")
for x, y, predicted, miss in zip(evidence, latency, guess, misses, strict=True):
    print(f"| {x:g} | {y:g} | {predicted:g} | {miss:g} | {miss**2:g} |")
