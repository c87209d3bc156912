import numpy as np

evidence = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
latency = np.array([118.0, 141.0, 162.0, 181.0, 198.0])
X = np.column_stack([np.ones_like(evidence), evidence])

# The experiment: the last (largest-evidence) request runs 42 ms slower.
slower = latency.copy()
slower[-1] += 42.0

before = np.linalg.lstsq(X, latency, rcond=None)[0]
after = np.linalg.lstsq(X, slower, rcond=None)[0]
# How far each row's residual moved (rounded so float noise cannot pick a winner).
moved = np.abs((slower - X @ after) - (latency - X @ before)).round(6)

print("last_latency_ms", latency[-1], "->", slower[-1])
print("intercept", before[0].round(2), "->", after[0].round(2))
print("slope", before[1].round(2), "->", after[1].round(2))
print("slope_rose", bool(after[1] > before[1]))
print("residuals_before", (latency - X @ before).round(2))
print("residuals_after", (slower - X @ after).round(2))
biggest = moved.max()
print("largest_residual_move_ms", biggest.round(2), "at_x", evidence[moved == biggest])

# What a good answer claims, checked: the slope goes up, and the two
# highest-evidence rows' residuals move at least as much as any other row's.
assert after[1] > before[1]
assert moved[-2:].min() >= moved[:-2].max()
