import numpy as np
from sklearn.linear_model import LinearRegression
from sklearn.metrics import mean_squared_error, r2_score

evidence = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
latency = np.array([118.0, 141.0, 162.0, 181.0, 198.0])


def feature_table(x):
    """scikit-learn takes a 2-D table: one row per request, one column per feature."""
    return x.reshape(-1, 1)


# Ordinary least squares; LinearRegression fits the intercept itself, so no ones column.
model = LinearRegression().fit(feature_table(evidence), latency)
fitted = model.predict(feature_table(evidence))

# The from-scratch numbers, from a maintained library.
print("intercept", round(float(model.intercept_), 2))
print("slope", model.coef_.round(2))
print("mse", round(float(mean_squared_error(latency, fitted)), 2))
print("r2", round(float(r2_score(latency, fitted)), 4))
