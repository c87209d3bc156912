import numpy as np
from sklearn.linear_model import LinearRegression
from sklearn.metrics import mean_squared_error, r2_score

# scikit-learn expects a 2-D feature table: one row per request, one column per feature.
evidence = np.array([[1.0], [2.0], [3.0], [4.0], [5.0]])
latency = np.array([118.0, 141.0, 162.0, 181.0, 198.0])

# Same ordinary least squares; the intercept is handled for us (no ones column).
reg = LinearRegression().fit(evidence, latency)
fitted = reg.predict(evidence)

# These should match the from-scratch numbers exactly.
print("intercept", round(float(reg.intercept_), 2))
print("slope", reg.coef_.round(2))
print("mse", round(float(mean_squared_error(latency, fitted)), 2))
print("r2", round(float(r2_score(latency, fitted)), 4))
