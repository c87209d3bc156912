import numpy as np

evidence = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
latency = np.array([118.0, 141.0, 162.0, 181.0, 198.0])
# A made-up replay where evidence does not matter: latency wobbles around 160 ms.
flat = np.array([161.0, 158.0, 162.0, 159.0, 161.0])
X = np.column_stack([np.ones_like(evidence), evidence])

for name, y in [("real", latency), ("flat", flat)]:
    weights = np.linalg.lstsq(X, y, rcond=None)[0]
    line_mse = float(np.mean((X @ weights - y) ** 2))
    baseline_mse = float(np.mean((y - y.mean()) ** 2))
    print(f"{name}_line_mse", round(line_mse, 2))
    print(f"{name}_baseline_mse", round(baseline_mse, 2))
    print(f"{name}_r2", round(1 - line_mse / baseline_mse, 4))

# On its own, the flat replay's line MSE looks even better than the real one's.
# Only next to the baseline does it show that that line learned nothing.
