import numpy as np

evidence = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
latency = np.array([118.0, 141.0, 162.0, 181.0, 198.0])
X = np.column_stack([np.ones_like(evidence), evidence])

start = np.zeros(2)
predictions = X @ start
errors = predictions - latency
n = len(latency)


def vector(values):
    return "[" + ", ".join(f"{v:g}" for v in values) + "]"


def written_sum(terms):
    """Terms as a reader would write them: -118 - 141 + 5."""
    text = f"{terms[0]:g}"
    for term in terms[1:]:
        text += f" - {-term:g}" if term < 0 else f" + {term:g}"
    return text


weighted = " + ".join(f"{x:g}({e:g})" for x, e in zip(evidence, errors, strict=True))

# Each row of the hand calculation, as a Markdown table (math in $...$).
print("| Quantity | Value at $w = [0, 0]$ |")
print("|---|---|")
print(f"| Predictions $Xw$ | ${vector(predictions)}$ |")
print(f"| Errors $Xw - y$ | ${vector(errors)}$ |")
print(f"| Intercept component: plain sum of the errors | ${written_sum(errors)} = {errors.sum():g}$ |")
print(f"| Slope component: errors weighted by their $x$ | ${weighted} = {evidence @ errors:g}$ |")
print(f"| Scale both by $2/n = 2/{n}$ | ${vector(2 / n * (X.T @ errors))}$ |")
