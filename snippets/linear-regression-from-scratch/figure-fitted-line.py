"""Draw the least-squares line through the five replays, its signed residuals and squared-error tiles."""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle

evidence = np.array([1.0, 2.0, 3.0, 4.0, 5.0])  # hundreds of tokens (the feature)
latency = np.array([118.0, 141.0, 162.0, 181.0, 198.0])  # milliseconds (the target)

# Okabe-Ito colours stay distinguishable with the common colour-vision deficiencies.
THEMES = {
    "light": {"bg": "#ffffff", "fg": "#1f2328", "muted": "#5f6670", "grid": "#e3e5e8",
              "slower": "#d55e00", "faster": "#0072b2", "accent": "#008a63", "tile_alpha": 0.3},
    "dark": {"bg": "#1e2129", "fg": "#e3e5ea", "muted": "#a3a9b4", "grid": "#363b47",
             "slower": "#e8793a", "faster": "#56b4e9", "accent": "#2bbf8f", "tile_alpha": 0.4},
}  # fmt: skip
# The page figure is 4.6 in wide: 13 pt text stays above 12.8 px when a phone shrinks it to 330 px.
LAYOUTS = {
    "page": {"size": (4.6, 5.6), "font_pt": 13, "line_axes": (0.2, 0.47, 0.76, 0.5),
             "residual_axes": (0.2, 0.12, 0.76, 0.28), "legend_at": (0.2, 0.45)},
    "card": {"size": (12, 6.3), "font_pt": 18, "line_axes": (0.08, 0.14, 0.42, 0.8),
             "residual_axes": (0.62, 0.14, 0.36, 0.3), "legend_at": (0.58, 0.54)},
}  # fmt: skip

X_LIMITS = (-0.3, 6.0)
RESIDUAL_LIMITS = (-2.9, 2.9)


def fit(x, y):
    """Least-squares intercept and slope, then the residuals and their squares."""
    X = np.column_stack([np.ones_like(x), x])
    (intercept, slope), *_ = np.linalg.lstsq(X, y, rcond=None)
    predicted = intercept + slope * x
    residuals = y - predicted  # positive: the request ran slower than the line predicts
    return {
        "x": x,
        "y": y,
        "intercept": intercept,
        "slope": slope,
        "residuals": residuals,
        "tile_areas": residuals**2,  # a square tile whose side is the residual
        "mse": np.mean((y - predicted) ** 2),
    }


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
        }
    )
    return colors


def draw_line_panel(ax, data, colors, label_x):
    b, m = data["intercept"], data["slope"]
    xs = np.array([0.0, data["x"].max() + 0.5])
    ax.plot(xs, b + m * xs, color=colors["fg"], linewidth=2, zorder=2)
    ax.scatter(data["x"], data["y"], s=60, color=colors["fg"], zorder=3)
    ax.text(0.1, 205, rf"$\hat{{y}} = {b:.0f} + {m:.0f}x$", ha="left", va="center")

    # Intercept: the fixed overhead every request pays, where the line meets x = 0.
    ax.scatter([0], [b], s=70, marker="D", color=colors["accent"], zorder=4)
    ax.annotate(
        f"intercept {b:.0f} ms\nfixed overhead",
        xy=(0, b),
        xytext=(0.35, b - 14),
        va="top",
        color=colors["accent"],
        arrowprops={"arrowstyle": "-", "color": colors["accent"], "linewidth": 1.2},
    )

    # Slope: the rise over one step of 100 tokens.
    x0 = 3.5
    y0 = b + m * x0
    ax.plot([x0, x0 + 1, x0 + 1], [y0, y0, y0 + m], color=colors["accent"], linewidth=2, zorder=2)
    ax.text(x0 + 0.5, y0 - 3, "+1", ha="center", va="top", color=colors["accent"])
    ax.text(x0 + 1.08, y0 + m / 2, f"+{m:.0f} ms", ha="left", va="center", color=colors["accent"])

    ax.set_xlim(*X_LIMITS)
    ax.set_ylim(58, 222)
    ax.set_xticks(range(6))
    ax.set_yticks([100, 150, 200])
    ax.set_ylabel("latency (ms)")
    if label_x:
        ax.set_xlabel("evidence (hundreds of tokens)")
    else:
        ax.tick_params(labelbottom=False)


def draw_residual_panel(ax, data, colors):
    ax.set_xlim(*X_LIMITS)
    ax.set_ylim(*RESIDUAL_LIMITS)
    # Horizontal data units per millisecond that make a tile square on the page.
    fig = ax.get_figure()
    box = ax.get_position()
    width_in, height_in = box.width * fig.get_figwidth(), box.height * fig.get_figheight()
    x_per_ms = ((X_LIMITS[1] - X_LIMITS[0]) / width_in) / (
        (RESIDUAL_LIMITS[1] - RESIDUAL_LIMITS[0]) / height_in
    )

    ax.axhline(0, color=colors["fg"], linewidth=2, zorder=2)  # the fitted line itself
    for x, r, area in zip(data["x"], data["residuals"], data["tile_areas"], strict=True):
        color = colors["slower"] if r > 0 else colors["faster"]
        side = abs(r)
        tile = Rectangle((x, min(0, r)), side * x_per_ms, side, color=color, label="squared-error tile")
        tile.set_alpha(colors["tile_alpha"])
        ax.add_patch(tile)
        ax.plot([x, x], [0, r], color=color, linewidth=3.5, solid_capstyle="butt", zorder=3)
        ax.text(x + side * x_per_ms / 2, r / 2, f"{area:.0f}", ha="center", va="center")

    # The mean tile: its area is the MSE.
    side = np.sqrt(data["mse"])
    mean_tile = Rectangle((0.0, -side / 2), side * x_per_ms, side, facecolor=colors["bg"], label="mean tile")
    mean_tile.set(edgecolor=colors["fg"], linestyle=(0, (3, 2)), linewidth=1.5, zorder=4)
    ax.add_patch(mean_tile)
    ax.text(side * x_per_ms / 2, 0, f"{data['mse']:.1f}", ha="center", va="center", zorder=5)
    ax.text(side * x_per_ms / 2, side / 2 + 0.2, "MSE", ha="center", va="bottom")

    ax.set_xticks(range(6))
    ax.set_yticks([-2, 0, 2])
    ax.set_ylabel("residual (ms)")
    ax.set_xlabel("evidence (hundreds of tokens)")


def draw(data, theme, layout="page"):
    spec = LAYOUTS[layout]
    colors = use_theme(theme, spec["font_pt"])
    fig = plt.figure(figsize=spec["size"])
    draw_line_panel(fig.add_axes(spec["line_axes"]), data, colors, label_x=layout == "card")
    draw_residual_panel(fig.add_axes(spec["residual_axes"]), data, colors)
    fig.legend(
        handles=[
            Rectangle((0, 0), 1, 1, color=colors["slower"], label="slower than predicted"),
            Rectangle((0, 0), 1, 1, color=colors["faster"], label="faster"),
        ],
        loc="upper left",
        bbox_to_anchor=spec["legend_at"],
        ncols=2,
        frameon=False,
        handlelength=1,
        columnspacing=1,
    )
    if layout == "card":
        headline = f"{data['intercept']:.0f} ms fixed overhead\n+{data['slope']:.0f} ms per 100 tokens"
        fig.text(0.58, 0.92, headline, fontsize=24, va="top", linespacing=1.3)
        fig.text(0.58, 0.73, f"MSE {data['mse']:.1f}", fontsize=30, va="top", weight="bold")
    return fig


if __name__ == "__main__":
    # Theme settings last only for this block, so later notebook cells keep their own.
    with plt.rc_context():
        data = fit(evidence, latency)
        for theme in THEMES:
            fig = draw(data, theme)
            fig.savefig(f"{theme}.svg", metadata={"Date": None})  # no date: same data, same bytes
            plt.close(fig)
        card = draw(data, "light", layout="card")
        card.savefig("card.png", dpi=100)  # 12 x 6.3 in at 100 dpi: the 1200 x 630 social preview
        plt.close(card)

    print("line", f"intercept {data['intercept']:.4g} slope {data['slope']:.4g}")
    print("residuals", data["residuals"].round(2))
    print("tile_areas", data["tile_areas"].round(2))
    print("mean_tile_area", round(float(data["tile_areas"].mean()), 2))
    print("mse", round(float(data["mse"]), 2))
