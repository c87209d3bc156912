# Numbers the lesson's prose quotes that no other example prints.
import numpy as np

evidence = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
latency = np.array([118.0, 141.0, 162.0, 181.0, 198.0])
X = np.column_stack([np.ones_like(evidence), evidence])

# The candidate line 100 + 20x, its prediction at x = 6, and its squared misses.
print("candidate_at_x_6", 100 + 20 * 6)
squares = (latency - (100 + 20 * evidence)) ** 2
print("squared_residuals", " + ".join(f"{s:g}" for s in squares))
print("rows", len(latency))

# R^2 from sums of squares: the line's and the mean baseline's.
line_sse = squares.sum()
baseline_sse = ((latency - latency.mean()) ** 2).sum()
print("line_sse", round(float(line_sse), 2))
print("mean_latency", round(float(latency.mean()), 2))
print("baseline_sse", round(float(baseline_sse), 2))
print("r2_percent", round(float(100 * (1 - line_sse / baseline_sse)), 2))

# One row of Xw: the third replay's [1, x] times the least-squares weights.
weights = np.linalg.lstsq(X, latency, rcond=None)[0]
print("row_3_prediction", round(float(X[2] @ weights), 2))

# The replay held out in the evaluation section: the last one.
print("last_latency", latency[-1])
