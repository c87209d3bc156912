import numpy as np

evidence = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
latency = np.array([118.0, 141.0, 162.0, 181.0, 198.0])

# Candidate line: 100 ms fixed overhead + 20 ms per extra 100 tokens.
guess = 100 + 20 * evidence
misses = latency - guess  # positive = request ran slower than predicted

# Squaring keeps +/- misses from cancelling and punishes big misses more.
line_mse = np.mean(misses**2)

# Naive baseline: always predict the average latency.
mean_mse = np.mean((latency - latency.mean()) ** 2)

# R^2 = fraction of the baseline's error the line removes.
r_squared = 1 - line_mse / mean_mse

print("predictions", guess.astype(int))
print("residuals", misses.astype(int))
print("mse", round(float(line_mse), 1))
print("baseline_mse", round(float(mean_mse), 1))
print("r2", round(float(r_squared), 4))
