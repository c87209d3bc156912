import numpy as np

evidence = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
latency = np.array([118.0, 141.0, 162.0, 181.0, 198.0])

with_ones = np.column_stack([np.ones_like(evidence), evidence])
x_alone = evidence.reshape(-1, 1)  # no ones column: the line must pass through (0, 0)

w_ones = np.linalg.lstsq(with_ones, latency, rcond=None)[0]
w_alone = np.linalg.lstsq(x_alone, latency, rcond=None)[0]
mse_ones = float(np.mean((with_ones @ w_ones - latency) ** 2))
mse_alone = float(np.mean((x_alone @ w_alone - latency) ** 2))

print("with_intercept slope", w_ones[1].round(2), "mse", round(mse_ones, 2))
print("through_origin slope", w_alone[0].round(2), "mse", round(mse_alone, 2))
# At x = 0 the forced line predicts 0 ms; the fitted overhead says otherwise.
print("at_zero_evidence_ms", w_ones[0].round(2), "vs", 0.0)
print("residuals_through_origin", (latency - x_alone @ w_alone).round(2))
assert mse_alone > mse_ones
