import numpy as np

evidence = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
latency = np.array([118.0, 141.0, 162.0, 181.0, 198.0])
X = np.column_stack([np.ones_like(evidence), evidence])

intercept, slope = np.linalg.lstsq(X, latency, rcond=None)[0]

# 600 tokens of evidence: fixed overhead plus six steps of the slope.
new_evidence = 6.0
prediction = intercept + slope * new_evidence

print("fixed_overhead_ms", round(float(intercept), 2))
print("ms_per_100_tokens", round(float(slope), 2))
print("prediction_at_x_6_ms", round(float(prediction), 2))
