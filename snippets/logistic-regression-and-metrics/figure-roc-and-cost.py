"""Draw the validation ROC curve with two thresholds marked, and the review cost at every threshold."""

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


MISSED_REVIEW_COST = 5  # a wrong decision reaches the customer unreviewed
NEEDLESS_REVIEW_COST = 1  # a reviewer confirms a decision that was right


def review_cost(y, p, threshold):
    """Total cost when every request with p >= threshold goes to a reviewer."""
    review = p >= threshold
    missed = np.sum(~review & (y == 1))
    needless = np.sum(review & (y == 0))
    return int(MISSED_REVIEW_COST * missed + NEEDLESS_REVIEW_COST * needless)


def cheapest_threshold(y, p):
    """Try a threshold between each pair of neighbouring scores, and both ends."""
    scores = np.unique(p)
    candidates = np.r_[0.0, (scores[:-1] + scores[1:]) / 2, 1.0]
    costs = [review_cost(y, p, t) for t in candidates]
    return float(candidates[int(np.argmin(costs))])  # a tie: the lower threshold


FONT_PT = 13  # the figure is 4.6 in wide: 13 pt stays above 12.8 px when a phone shrinks it to 330 px


def rates(y, p, threshold):
    """(false-positive rate, true-positive rate) when p >= threshold goes to review."""
    review = p >= threshold
    return float(np.mean(review[y == 0])), float(np.mean(review[y == 1]))


def roc_and_cost():
    X, y = replay_requests()
    (train_X, val_X, _), (train_y, val_y, _) = split_by_arrival(X, y)
    w = train(design_matrix(train_X, train_X), train_y)
    p = sigmoid(design_matrix(val_X, train_X) @ w)
    scores = np.unique(p)
    candidates = np.r_[0.0, (scores[:-1] + scores[1:]) / 2, 1.0]
    costs = np.array([review_cost(val_y, p, t) for t in candidates])
    chosen = float(candidates[int(np.argmin(costs))])
    roc = np.array([rates(val_y, p, t) for t in np.r_[np.inf, scores[::-1]]])
    return {
        "roc": roc,
        "auc": float(np.trapezoid(roc[:, 1], roc[:, 0])),
        "scores": scores,
        "candidates": candidates,
        "costs": costs,
        "chosen": chosen,
        "at_chosen": rates(val_y, p, chosen),
        "at_half": rates(val_y, p, 0.5),
        "cost_chosen": review_cost(val_y, p, chosen),
        "cost_half": review_cost(val_y, p, 0.5),
    }


def draw(data, theme):
    colors = use_theme(theme, FONT_PT)
    fig = plt.figure(figsize=(4.6, 7.6))
    roc_ax = fig.add_axes((0.19, 0.47, 0.76, 0.5))
    cost_ax = fig.add_axes((0.19, 0.08, 0.76, 0.28))

    roc_ax.plot([0, 1], [0, 1], color=colors["muted"], linestyle=(0, (2, 3)), linewidth=1.2)
    roc_ax.text(0.74, 0.66, "chance", color=colors["muted"], rotation=45, ha="center", va="center")
    roc_ax.step(data["roc"][:, 0], data["roc"][:, 1], where="post", color=colors["blue"], linewidth=2.5)
    roc_ax.fill_between(data["roc"][:, 0], data["roc"][:, 1], step="post", color=colors["blue"], alpha=0.12)
    roc_ax.text(0.55, 0.2, f"AUC {data['auc']:.2f}", color=colors["blue"], weight="bold")
    for key, color, label, offset in (
        ("at_half", colors["orange"], "threshold 0.5", (0.08, -0.1)),
        ("at_chosen", colors["green"], f"threshold {data['chosen']:.3f}", (0.06, -0.13)),
    ):
        fpr, tpr = data[key]
        roc_ax.scatter([fpr], [tpr], s=80, color=color, zorder=4, edgecolor=colors["bg"])
        roc_ax.annotate(label, (fpr, tpr), xytext=(fpr + offset[0], tpr + offset[1]), color=color)
    roc_ax.set_xlim(-0.02, 1.02)
    roc_ax.set_ylim(-0.02, 1.05)
    roc_ax.set_aspect("equal")
    roc_ax.set_xlabel("false-positive rate (needless reviews)")
    roc_ax.set_ylabel("true-positive rate (recall)")

    # The cost only changes where the threshold passes a validation score.
    edges = np.r_[0.0, data["scores"], 1.0]
    costs = np.r_[data["costs"], data["costs"][-1]]
    cost_ax.step(edges, costs, where="post", color=colors["fg"], linewidth=1.8)
    cost_ax.scatter([0.5], [data["cost_half"]], s=70, color=colors["orange"], zorder=4)
    cost_ax.scatter([data["chosen"]], [data["cost_chosen"]], s=70, color=colors["green"], zorder=4)
    cost_ax.annotate("cheapest", (data["chosen"], data["cost_chosen"]), xytext=(data["chosen"] + 0.05, 4),
                     color=colors["green"])  # fmt: skip
    cost_ax.set_xlim(0, 1)
    cost_ax.set_ylim(0, data["costs"].max() * 1.1)
    cost_ax.set_xlabel("threshold")
    cost_ax.set_ylabel("cost on validation")
    return fig


if __name__ == "__main__":
    # Theme settings last only for this block, so later notebook cells keep their own.
    with plt.rc_context():
        data = roc_and_cost()
        for theme in THEMES:
            fig = draw(data, theme)
            fig.savefig(f"{theme}.svg", metadata={"Date": None})  # no date: same data, same bytes
            plt.close(fig)

    print("auc", round(data["auc"], 4), "drawn_as", f"{data['auc']:.2f}")
    print("chosen_threshold", round(data["chosen"], 3), "cost", data["cost_chosen"])
    print("rates_at_chosen", "fpr", round(data["at_chosen"][0], 3), "tpr", round(data["at_chosen"][1], 3))
    print("threshold_half_cost", data["cost_half"])
    print("rates_at_half", "fpr", round(data["at_half"][0], 3), "tpr", round(data["at_half"][1], 3))
    print("cost_range", int(data["costs"].min()), int(data["costs"].max()))
