"""Log loss on the training and the validation requests, round by round of gradient boosting."""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import log_loss


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
ROUNDS = 300


def boosting_curve():
    """Training and validation log loss after each round (learning rate 0.1, trees of depth 2)."""
    model = GradientBoostingClassifier(n_estimators=ROUNDS, learning_rate=0.1, max_depth=2, random_state=0)
    model.fit(train_X, train_y)
    train = np.array([log_loss(train_y, p[:, 1]) for p in model.staged_predict_proba(train_X)])
    val = np.array([log_loss(val_y, p[:, 1]) for p in model.staged_predict_proba(val_X)])
    start = log_loss(val_y, np.full(len(val_y), train_y.mean()))  # round 0: the training rate alone
    return {"rounds": np.arange(1, ROUNDS + 1), "train": train, "validation": val,
            "best_round": int(np.argmin(val)) + 1, "start": start}  # fmt: skip


def draw(data, theme):
    colors = use_theme(theme, FONT_PT)
    fig = plt.figure(figsize=(4.6, 5.0))
    ax = fig.add_axes((0.17, 0.37, 0.78, 0.59))
    ax.plot(data["rounds"], data["train"], color=colors["blue"], linewidth=2.2, label="training log loss")
    ax.plot(data["rounds"], data["validation"], color=colors["orange"], linewidth=2.2,
            linestyle=(0, (5, 2)), label="validation log loss")  # fmt: skip
    best = data["best_round"]
    ax.axvline(best, color=colors["green"], linewidth=1.6, linestyle=(0, (2, 2)))
    ax.scatter([best], [data["validation"][best - 1]], s=70, color=colors["green"], zorder=5,
               label=f"lowest validation loss, round {best}")  # fmt: skip
    ax.set_xlim(0, data["rounds"][-1])
    ax.set_ylim(0, 0.65)
    ax.set_xlabel("boosting round (trees so far)")
    ax.set_ylabel("mean log loss")
    fig.legend(loc="lower left", bbox_to_anchor=(0.02, 0.0), fontsize=FONT_PT - 1, handlelength=1.8)
    return fig


if __name__ == "__main__":
    # Theme settings last only for this block, so later notebook cells keep their own.
    with plt.rc_context():
        data = boosting_curve()
        for theme in THEMES:
            fig = draw(data, theme)
            fig.savefig(f"{theme}.svg", metadata={"Date": None})  # no date: same data, same bytes
            plt.close(fig)

    best = data["best_round"]
    print("validation_log_loss_of_the_rate_alone", round(data["start"], 3))
    print("best_round", best, "validation", round(float(data["validation"][best - 1]), 3),
          "train", round(float(data["train"][best - 1]), 3))  # fmt: skip
    print(f"round={ROUNDS}", "validation", round(float(data["validation"][-1]), 3),
          "train", round(float(data["train"][-1]), 3))  # fmt: skip
