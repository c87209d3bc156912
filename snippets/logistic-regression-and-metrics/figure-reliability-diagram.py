"""Draw the reliability diagram on validation: the model as trained, and trained with overturns duplicated."""

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


FONT_PT = 13  # the figure is 4.6 in wide: 13 pt stays above 12.8 px when a phone shrinks it to 330 px
BINS = 5


def reliability_bins(y, p, bins=BINS):
    """Per equal-width bin of predicted probability: requests, mean prediction, observed rate."""
    which = np.searchsorted(np.linspace(0, 1, bins + 1)[1:-1], p)  # bin edges belong to the lower bin
    rows = [(int(np.sum(which == b)), p[which == b].mean(), y[which == b].mean()) for b in range(bins)]
    return np.array([r for r in rows if r[0] > 0])


def two_models():
    X, y = replay_requests()
    (train_X, val_X, _), (train_y, val_y, _) = split_by_arrival(X, y)
    train_design, val_design = design_matrix(train_X, train_X), design_matrix(val_X, train_X)
    repeat = np.where(train_y == 1, 2, 1)  # every overturned training request counted twice
    models = {
        "as recorded": train(train_design, train_y),
        "overturns duplicated": train(np.repeat(train_design, repeat, axis=0), np.repeat(train_y, repeat)),
    }
    result = {}
    for name, w in models.items():
        p = sigmoid(val_design @ w)
        result[name] = {"bins": reliability_bins(val_y, p), "brier": float(np.mean((p - val_y) ** 2))}
    return result


def draw(data, theme):
    colors = use_theme(theme, FONT_PT)
    fig = plt.figure(figsize=(4.6, 5.3))
    ax = fig.add_axes((0.17, 0.3, 0.78, 0.67))
    ax.plot([0, 1], [0, 1], color=colors["muted"], linestyle=(0, (2, 3)), linewidth=1.2)
    ax.text(0.55, 0.66, "perfectly calibrated", color=colors["muted"], rotation=45, ha="center", va="center")
    for (name, model), color, marker in zip(
        data.items(), (colors["blue"], colors["orange"]), ("o", "s"), strict=True
    ):
        counts, predicted, observed = model["bins"].T
        ax.plot(predicted, observed, color=color, linewidth=2, zorder=3)
        ax.scatter(predicted, observed, s=counts * 12, marker=marker, color=color, zorder=4,
                   edgecolor=colors["bg"], label=f"{name}, Brier {model['brier']:.3f}")  # fmt: skip
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.03, 1.03)
    ax.set_aspect("equal")
    ax.set_xlabel("mean predicted probability")
    ax.set_ylabel("observed share overturned")
    fig.legend(loc="lower left", bbox_to_anchor=(0.02, 0.0), fontsize=FONT_PT - 1, markerscale=0.6,
               title="marker area: requests in the bin", title_fontsize=FONT_PT - 1)  # fmt: skip
    return fig


if __name__ == "__main__":
    # Theme settings last only for this block, so later notebook cells keep their own.
    with plt.rc_context():
        data = two_models()
        for theme in THEMES:
            fig = draw(data, theme)
            fig.savefig(f"{theme}.svg", metadata={"Date": None})  # no date: same data, same bytes
            plt.close(fig)

    for name, model in data.items():
        key = name.replace(" ", "_")
        print(key, "brier", round(model["brier"], 4))
        print(f"{key}_counts", model["bins"][:, 0].astype(int))
        print(f"{key}_predicted", model["bins"][:, 1].round(2))
        print(f"{key}_observed", model["bins"][:, 2].round(2))
