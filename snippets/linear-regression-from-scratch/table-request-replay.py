import numpy as np

evidence = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
latency = np.array([118.0, 141.0, 162.0, 181.0, 198.0])

# The replay as a Markdown table, so the page shows exactly the data the scripts use.
print("| Evidence retrieved, $x$ (hundreds of tokens) | Measured latency, $y$ (ms) |")
print("|:---:|:---:|")
for x, y in zip(evidence, latency, strict=True):
    print(f"| {x:g} | {y:g} |")
