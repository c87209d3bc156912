"""Training and validation error of trees grown deeper and deeper."""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.tree import DecisionTreeClassifier


def replay_requests(seed=30, n=500):
    """Refused returns in arrival order: four features; 1 if a reviewer overturned the refusal."""
    rng = np.random.default_rng(seed)
    days = rng.integers(0, 61, n)  # days since delivery when the customer asked
    policy_match = rng.beta(4, 2, n).round(2)  # 0 to 1: how well the cited policy fits
    evidence = rng.uniform(1, 9, n).round(1)  # hundreds of tokens retrieved
    ticket = rng.integers(0, 1000, n)  # last three digits of the ticket number: pure noise
    # The simulation's rule: refusals of late returns argued from a weak policy match fail most.
    late, weak = days > 30, policy_match < 0.6
    rate = np.where(late & weak, 0.85, np.where(late | weak, 0.25, 0.05))
    overturned = (rng.random(n) < rate).astype(int)
    return np.column_stack([days, policy_match, evidence, ticket]).astype(float), overturned


FEATURES = ["days", "policy_match", "evidence", "ticket"]
X, y = replay_requests()
train_X, val_X, train_y, val_y = X[:300], X[300:], y[:300], y[300:]  # older 300 train, newer 200 judge


# Okabe-Ito colours stay distinguishable with the common colour-vision deficiencies.
THEMES = {
    "light": {"bg": "#ffffff", "fg": "#1f2328", "muted": "#5f6670", "grid": "#e3e5e8",
              "blue": "#0072b2", "orange": "#d55e00", "green": "#008a63"},
    "dark": {"bg": "#1e2129", "fg": "#e3e5ea", "muted": "#a3a9b4", "grid": "#363b47",
             "blue": "#56b4e9", "orange": "#e8793a", "green": "#2bbf8f"},
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


FONT_PT = 13  # on a 4.6 in figure: above 12.8 px when a phone shrinks it to 330 px
DEPTHS = range(1, 13)


def depth_curve():
    """Error on the training and the validation requests for each depth limit."""
    train_error, val_error = [], []
    for depth in DEPTHS:
        tree = DecisionTreeClassifier(max_depth=depth, random_state=0).fit(train_X, train_y)
        train_error.append(1 - tree.score(train_X, train_y))
        val_error.append(1 - tree.score(val_X, val_y))
    best = int(np.argmin(val_error))
    return {"depths": np.array(DEPTHS), "train": np.array(train_error), "validation": np.array(val_error),
            "best_depth": DEPTHS[best], "baseline": float(val_y.mean())}  # fmt: skip


def draw(data, theme):
    colors = use_theme(theme, FONT_PT)
    fig = plt.figure(figsize=(4.6, 5.0))
    ax = fig.add_axes((0.17, 0.37, 0.78, 0.59))
    ax.axhline(data["baseline"], color=colors["muted"], linestyle=(0, (2, 3)), linewidth=1.2,
               label="always say kept")  # fmt: skip
    ax.plot(
        data["depths"], data["train"], color=colors["blue"], marker="o", linewidth=2, label="training error"
    )
    ax.plot(data["depths"], data["validation"], color=colors["orange"], marker="s", linewidth=2,
            label="validation error")  # fmt: skip
    best = data["best_depth"]
    ax.scatter([best], [data["validation"][best - 1]], s=160, facecolor="none", edgecolor=colors["green"],
               linewidth=2.2, zorder=5, label=f"lowest validation error, depth {best}")  # fmt: skip
    ax.set_xticks([1, 3, 5, 7, 9, 11])
    ax.set_ylim(-0.01, 0.32)
    ax.set_xlabel("depth limit of the tree")
    ax.set_ylabel("share of requests misjudged")
    fig.legend(loc="lower left", bbox_to_anchor=(0.02, 0.0), fontsize=FONT_PT - 1, handlelength=1.8)
    return fig


if __name__ == "__main__":
    # Theme settings last only for this block, so later notebook cells keep their own.
    with plt.rc_context():
        data = depth_curve()
        for theme in THEMES:
            fig = draw(data, theme)
            fig.savefig(f"{theme}.svg", metadata={"Date": None})  # no date: same data, same bytes
            plt.close(fig)

    print("depths", data["depths"])
    print("train_error", data["train"].round(3))
    print("validation_error", data["validation"].round(3))
    print("best_depth", data["best_depth"], "validation_error", round(float(data["validation"].min()), 3))
    print("always_say_kept", round(data["baseline"], 3))
