"""Shade where a depth-3 tree on two features says overturned, over the training requests."""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Patch, Rectangle
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
              "blue": "#0072b2", "orange": "#d55e00", "green": "#008a63",
              "blue_region": "#dbe9f4", "orange_region": "#f6dfd1"},
    "dark": {"bg": "#1e2129", "fg": "#e3e5ea", "muted": "#a3a9b4", "grid": "#363b47",
             "blue": "#56b4e9", "orange": "#e8793a", "green": "#2bbf8f",
             "blue_region": "#1f3447", "orange_region": "#45302a"},
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
    "page": {"size": (4.6, 5.6), "font_pt": 13, "axes": (0.17, 0.37, 0.78, 0.58), "legend_at": (0.02, 0.0)},
    "card": {"size": (12, 6.3), "font_pt": 18, "axes": (0.08, 0.14, 0.46, 0.8), "legend_at": (0.58, 0.04)},
}
DEPTH = 3


def boxes(tree, node=0, bounds=((0.0, 60.0), (0.1, 1.0))):
    """Each leaf of the tree as a rectangle over the two features, with its decision."""
    t = tree.tree_
    if t.children_left[node] == -1:
        share = t.value[node][0][1]  # the leaf's share overturned
        return [(bounds, bool(share >= 0.5))]
    f, cut = t.feature[node], t.threshold[node]
    low, high = list(bounds), list(bounds)
    low[f], high[f] = (bounds[f][0], min(bounds[f][1], cut)), (max(bounds[f][0], cut), bounds[f][1])
    return boxes(tree, t.children_left[node], tuple(low)) + boxes(tree, t.children_right[node], tuple(high))


def regions():
    """A depth-3 tree on two features, its leaves as rectangles, and its splits."""
    two = train_X[:, :2]  # days since delivery, policy match
    tree = DecisionTreeClassifier(max_depth=DEPTH, random_state=0).fit(two, train_y)
    t = tree.tree_
    inner = t.children_left != -1
    return {
        "tree": tree,
        "boxes": boxes(tree),
        "points": two,
        "labels": train_y,
        "splits": list(zip(t.feature[inner], t.threshold[inner], strict=True)),
        "train_error": 1 - tree.score(two, train_y),
        "validation_error": 1 - tree.score(val_X[:, :2], val_y),
    }


def draw(data, theme, layout="page"):
    spec = LAYOUTS[layout]
    colors = use_theme(theme, spec["font_pt"])
    fig = plt.figure(figsize=spec["size"])
    ax = fig.add_axes(spec["axes"])
    for ((x0, x1), (y0, y1)), overturned in data["boxes"]:
        fill = colors["orange_region"] if overturned else colors["blue_region"]
        ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, facecolor=fill, edgecolor=colors["bg"], zorder=0))
    points, labels = data["points"], data["labels"]
    ax.scatter(points[labels == 0, 0], points[labels == 0, 1], s=14, marker="o", color=colors["blue"],
               alpha=0.75, linewidths=0, label="request kept", zorder=3)  # fmt: skip
    ax.scatter(points[labels == 1, 0], points[labels == 1, 1], s=26, marker="^", color=colors["orange"],
               label="request overturned", zorder=4)  # fmt: skip
    ax.plot([30, 30], [0.1, 1.0], color=colors["fg"], linestyle=(0, (4, 3)), linewidth=1.4, zorder=5)
    ax.plot([30, 60], [0.6, 0.6], color=colors["fg"], linestyle=(0, (4, 3)), linewidth=1.4, zorder=5,
            label="the simulation's rule")  # fmt: skip
    ax.set_xlim(0, 60)
    ax.set_ylim(0.1, 1.0)
    ax.grid(False)
    ax.set_xlabel("days since delivery")
    ax.set_ylabel("policy match")
    handles, names = ax.get_legend_handles_labels()
    handles += [Patch(color=colors["orange_region"]), Patch(color=colors["blue_region"])]
    names += ["tree says overturned", "tree says kept"]
    legend_pt = spec["font_pt"] - 1
    fig.legend(
        handles,
        names,
        loc="lower left",
        bbox_to_anchor=spec["legend_at"],
        fontsize=legend_pt,
        handlelength=1.5,
    )
    if layout == "card":
        fig.text(0.6, 0.93, "Decision trees,\nforests, boosting", fontsize=30, va="top", weight="bold",
                 linespacing=1.2)  # fmt: skip
        fig.text(
            0.6, 0.66, "splits by hand and in NumPy,\nchecked against scikit-learn", fontsize=20, va="top"
        )
    return fig


if __name__ == "__main__":
    # Theme settings last only for this block, so later notebook cells keep their own.
    with plt.rc_context():
        data = regions()
        for theme in THEMES:
            fig = draw(data, theme)
            fig.savefig(f"{theme}.svg", metadata={"Date": None})  # no date: same data, same bytes
            plt.close(fig)
        card = draw(data, "light", layout="card")
        card.savefig("card.png", dpi=100)  # 12 x 6.3 in at 100 dpi: the 1200 x 630 social preview
        plt.close(card)

    names = ["days", "policy_match"]
    print("requests", len(data["labels"]), "overturned", int(data["labels"].sum()))
    print("splits", *[f"{names[f]}<={v:.4g}" for f, v in data["splits"]])
    print("leaves", data["tree"].get_n_leaves())
    area = sum((x1 - x0) * (y1 - y0) for ((x0, x1), (y0, y1)), overturned in data["boxes"] if overturned)
    print("share_of_plane_said_overturned", round(area / (60 * 0.9), 3))
    print(
        "train_error", round(data["train_error"], 3), "validation_error", round(data["validation_error"], 3)
    )
