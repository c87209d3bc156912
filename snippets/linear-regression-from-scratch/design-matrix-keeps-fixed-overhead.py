import numpy as np

evidence = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
latency = np.array([118.0, 141.0, 162.0, 181.0, 198.0])

# A column of ones gives the model a weight for fixed overhead (the intercept).
X_overhead = np.column_stack([np.ones_like(evidence), evidence])
# Without it, the line must pass through 0 ms at 0 tokens.
X_origin = evidence.reshape(-1, 1)

w_overhead = np.linalg.lstsq(X_overhead, latency, rcond=None)[0]
w_origin = np.linalg.lstsq(X_origin, latency, rcond=None)[0]

mse_overhead = np.mean((X_overhead @ w_overhead - latency) ** 2)
mse_origin = np.mean((X_origin @ w_origin - latency) ** 2)

print("with_intercept", w_overhead.round(2), "mse", round(float(mse_overhead), 2))
print("forced_through_zero", w_origin.round(2), "mse", round(float(mse_origin), 2))
