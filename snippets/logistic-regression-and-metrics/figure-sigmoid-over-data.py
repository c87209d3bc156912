"""Draw the training requests against the model's score, the sigmoid, and a least-squares line."""

import matplotlib.pyplot as plt
import numpy as np


def replay_requests(seed=269, n=200, base_log_odds=-1.0):
    """Past requests in arrival order: two features; 1 if a reviewer overturned."""
    rng = np.random.default_rng(seed)
    evidence = rng.uniform(1, 9, n).round(1)  # hundreds of tokens retrieved
    policy_match = rng.beta(4, 2, n).round(2)  # 0 to 1: how well the policy fits
    # The simulation's rule, which a good trainer should recover:
    log_odds = base_log_odds + 0.5 * (evidence - 5) - 5.0 * (policy_match - 0.65)
    overturned = (rng.random(n) < 1 / (1 + np.exp(-log_odds))).astype(int)
    return np.column_stack([evidence, policy_match]), overturned


def split_by_arrival(X, y):
    """The oldest 120 requests train, the next 40 validate, the newest 40 test."""
    return np.split(X, [120, 160]), np.split(y, [120, 160])


def design_matrix(X, train_X):
    """A ones column, then the features standardized with training statistics."""
    standardized = (X - train_X.mean(axis=0)) / train_X.std(axis=0)
    return np.column_stack([np.ones(len(X)), standardized])


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def train(X, y, learning_rate=1.0, steps=500, l2=0.0):
    """Gradient descent on the mean log loss; l2 shrinks all but the intercept."""
    w = np.zeros(X.shape[1])
    for _ in range(steps):
        gradient = X.T @ (sigmoid(X @ w) - y) / len(y)
        gradient[1:] += l2 * w[1:]
        w -= learning_rate * gradient
    return w


# Okabe-Ito colours stay distinguishable with the common colour-vision deficiencies.
THEMES = {
    "light": {"bg": "#ffffff", "fg": "#1f2328", "muted": "#5f6670", "grid": "#e3e5e8",
              "blue": "#0072b2", "orange": "#d55e00", "green": "#008a63", "band": "#f3e3d9"},
    "dark": {"bg": "#1e2129", "fg": "#e3e5ea", "muted": "#a3a9b4", "grid": "#363b47",
             "blue": "#56b4e9", "orange": "#e8793a", "green": "#2bbf8f", "band": "#3a2d28"},
}  # fmt: skip


def use_theme(theme, font_pt):
    colors = THEMES[theme]
    plt.rcParams.update(
        {
            "font.family": "DejaVu Sans",  # ships with matplotlib: the same glyphs on every machine
            "mathtext.fontset": "dejavusans",
            "font.size": font_pt,
            "svg.hashsalt": "lessonkit",  # fixed element ids: the same bytes at every build
            "figure.facecolor": colors["bg"],
            "axes.facecolor": colors["bg"],
            "savefig.facecolor": colors["bg"],
            "axes.edgecolor": colors["muted"],
            "axes.labelcolor": colors["fg"],
            "text.color": colors["fg"],
            "xtick.color": colors["muted"],
            "ytick.color": colors["muted"],
            "xtick.labelcolor": colors["fg"],
            "ytick.labelcolor": colors["fg"],
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.color": colors["grid"],
            "axes.axisbelow": True,
            "legend.frameon": False,
        }
    )
    return colors


# The page figure is 4.6 in wide: 13 pt text stays above 12.8 px when a phone shrinks it to 330 px.
LAYOUTS = {
    "page": {"size": (4.6, 5.2), "font_pt": 13, "axes": (0.17, 0.36, 0.78, 0.61), "legend_at": (0.02, 0.0)},
    "card": {"size": (12, 6.3), "font_pt": 18, "axes": (0.08, 0.14, 0.46, 0.8), "legend_at": (0.58, 0.08)},
}
BINS = 6  # equal-count groups of training requests for the observed rates


def sigmoid_fit():
    """The trained model's score on each training request, a line fitted to the same 0/1 labels,
    and the share overturned within groups of neighbouring scores."""
    X, y = replay_requests()
    (train_X, _, _), (train_y, _, _) = split_by_arrival(X, y)
    design = design_matrix(train_X, train_X)
    w = train(design, train_y)
    scores = design @ w
    line = np.polyfit(scores, train_y, 1)  # slope, intercept: least squares on the score
    order = np.argsort(scores)
    groups = np.array_split(order, BINS)
    return {
        "weights": w,
        "scores": scores,
        "labels": train_y,
        "line": line,
        "group_scores": np.array([scores[g].mean() for g in groups]),
        "group_rates": np.array([train_y[g].mean() for g in groups]),
    }


def draw(data, theme, layout="page"):
    spec = LAYOUTS[layout]
    colors = use_theme(theme, spec["font_pt"])
    fig = plt.figure(figsize=spec["size"])
    ax = fig.add_axes(spec["axes"])
    lo, hi = -5.0, 3.5
    ax.axhspan(-0.45, 0, color=colors["band"], zorder=0)
    ax.axhspan(1, 1.3, color=colors["band"], zorder=0)
    ax.text(lo + 0.15, -0.3, "not a probability", color=colors["muted"], va="center")

    jitter = np.random.default_rng(0).uniform(-0.04, 0.04, len(data["scores"]))  # fixed: same drawing
    ax.scatter(data["scores"], data["labels"] + jitter, s=16, color=colors["muted"], alpha=0.7, zorder=2,
               label="request (1 = overturned)")  # fmt: skip
    zs = np.linspace(lo, hi, 200)
    ax.plot(zs, sigmoid(zs), color=colors["blue"], linewidth=2.5, zorder=3, label="sigmoid of the score")
    ax.plot(zs, np.polyval(data["line"], zs), color=colors["orange"], linewidth=2, linestyle=(0, (5, 3)),
            zorder=3, label="least-squares line")  # fmt: skip
    ax.scatter(data["group_scores"], data["group_rates"], s=60, marker="D", color=colors["green"], zorder=4,
               label=f"share overturned in {BINS} groups")  # fmt: skip

    ax.set_xlim(lo, hi)
    ax.set_ylim(-0.45, 1.3)
    ax.set_yticks([0, 0.5, 1])
    ax.set_xlabel("model score z (log-odds)")
    ax.set_ylabel("P(overturned)")
    legend_pt = spec["font_pt"] - 1
    fig.legend(loc="lower left", bbox_to_anchor=spec["legend_at"], fontsize=legend_pt, handlelength=1.5)
    if layout == "card":
        headline = "Send this return\nto a reviewer?"
        fig.text(0.6, 0.9, headline, fontsize=30, va="top", weight="bold", linespacing=1.2)
        fig.text(0.6, 0.62, "p = sigmoid(w · x)", fontsize=24, va="top")
        fig.text(0.6, 0.5, "logistic regression, thresholds,\nROC and calibration", fontsize=20, va="top")
    return fig


if __name__ == "__main__":
    # Theme settings last only for this block, so later notebook cells keep their own.
    with plt.rc_context():
        data = sigmoid_fit()
        for theme in THEMES:
            fig = draw(data, theme)
            fig.savefig(f"{theme}.svg", metadata={"Date": None})  # no date: same data, same bytes
            plt.close(fig)
        card = draw(data, "light", layout="card")
        card.savefig("card.png", dpi=100)  # 12 x 6.3 in at 100 dpi: the 1200 x 630 social preview
        plt.close(card)

    slope, intercept = data["line"]
    print("requests", len(data["labels"]), "overturned", int(data["labels"].sum()))
    print("score_range", round(float(data["scores"].min()), 2), round(float(data["scores"].max()), 2))
    print("line_zero_and_one_at_scores", round(-intercept / slope, 2), round((1 - intercept) / slope, 2))
    print("line_at_lowest_score", round(float(np.polyval(data["line"], data["scores"].min())), 2))
    print("group_scores", data["group_scores"].round(2))
    print("group_rates", data["group_rates"].round(2))
    print("sigmoid_at_group_scores", sigmoid(data["group_scores"]).round(2))
