import numpy as np

evidence = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
latency = np.array([118.0, 141.0, 162.0, 181.0, 198.0])


def candidate_line(x):
    """The guess made before any fitting: 100 ms to get going, 20 ms per 100 tokens."""
    return 100 + 20 * x


def mse(predicted, measured):
    """Mean squared error: squares keep +/- misses from cancelling and weigh big misses more."""
    return float(np.mean((measured - predicted) ** 2))


predicted = candidate_line(evidence)
residuals = latency - predicted  # positive: the request ran slower than the line says
line_mse = mse(predicted, latency)
baseline_mse = mse(latency.mean(), latency)  # the lazy model: always predict the mean

print("predictions", predicted.astype(int))
print("residuals", residuals.astype(int))
print("mse", round(line_mse, 1))
print("baseline_mse", round(baseline_mse, 1))
print("r2", round(1 - line_mse / baseline_mse, 4))  # the share of the baseline's error removed
