import numpy as np

evidence = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
latency = np.array([118.0, 141.0, 162.0, 181.0, 198.0])


def design_matrix(x):
    return np.column_stack([np.ones_like(x), x])


def hold_out_last(X, y):
    """Training rows: all but the last. Test rows: the last one, kept away from the fit."""
    return (X[:-1], y[:-1]), (X[-1:], y[-1:])


def squared_error(predicted, measured):
    return round(float(np.mean((predicted - measured) ** 2)), 2)


(X_train, y_train), (X_test, y_test) = hold_out_last(design_matrix(evidence), latency)
weights = np.linalg.lstsq(X_train, y_train, rcond=None)[0]
predicted = X_test @ weights
baseline = np.full_like(y_test, y_train.mean())  # the training rows' mean: the test row stays unseen

print("train_weights", weights.round(2))
print("test_prediction_ms", predicted.round(2))
print("test_error_ms", (y_test - predicted).round(2))
print("line_squared_error", squared_error(predicted, y_test))
print("baseline_squared_error", squared_error(baseline, y_test))
