import numpy as np

evidence = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
latency = np.array([118.0, 141.0, 162.0, 181.0, 198.0])
X = np.column_stack([np.ones_like(evidence), evidence])

# Fit on the first four requests; hold the last one back as a tiny test set.
X_fit, y_fit = X[:-1], latency[:-1]
X_held, y_held = X[-1:], latency[-1:]

weights = np.linalg.lstsq(X_fit, y_fit, rcond=None)[0]
predicted = X_held @ weights
baseline = np.full_like(y_held, y_fit.mean())  # mean of training rows only

print("train_weights", weights.round(2))
print("test_prediction_ms", predicted.round(2))
print("test_error_ms", (y_held - predicted).round(2))
print("line_squared_error", round(float(np.mean((predicted - y_held) ** 2)), 2))
print("baseline_squared_error", round(float(np.mean((baseline - y_held) ** 2)), 2))
