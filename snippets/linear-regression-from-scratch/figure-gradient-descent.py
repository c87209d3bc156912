"""Draw gradient descent on the MSE surface: lr 0.05 walks to the minimum, lr 0.2 overshoots and explodes."""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, LogLocator

evidence = np.array([1.0, 2.0, 3.0, 4.0, 5.0])  # hundreds of tokens (the feature)
latency = np.array([118.0, 141.0, 162.0, 181.0, 198.0])  # milliseconds (the target)

STABLE_RATE, STABLE_STEPS = 0.05, 1000  # the lesson's training loop
UNSTABLE_RATE, UNSTABLE_STEPS = 0.2, 6  # the lesson's too-large step, a few steps are enough
CHECKPOINTS = (1, 100, 1000)  # the steps the lesson's loop prints

# Okabe-Ito colours stay distinguishable with the common colour-vision deficiencies.
THEMES = {
    "light": {"bg": "#ffffff", "fg": "#1f2328", "muted": "#5f6670", "grid": "#e3e5e8",
              "contour": "#9aa1ab", "stable": "#0072b2", "unstable": "#d55e00"},
    "dark": {"bg": "#1e2129", "fg": "#e3e5ea", "muted": "#a3a9b4", "grid": "#363b47",
             "contour": "#5d6472", "stable": "#56b4e9", "unstable": "#e8793a"},
}  # fmt: skip
FONT_PT = 13  # the figure is 4.6 in wide: 13 pt stays above 12.8 px when a phone shrinks it to 330 px
INTERCEPT_LIMITS, SLOPE_LIMITS = (-12.0, 125.0), (-8.0, 76.0)


def design_matrix(x):
    return np.column_stack([np.ones_like(x), x])


def mse(X, y, weights):
    return np.mean((X @ weights - y) ** 2)


def descend(x, y, learning_rate, steps):
    """Plain gradient descent from w = (0, 0): every weight vector visited, and the loss at each."""
    X = design_matrix(x)
    weights = np.zeros(2)
    path, losses = [weights], [mse(X, y, weights)]
    for _ in range(steps):
        gradient = 2 / len(y) * (X.T @ (X @ weights - y))
        weights = weights - learning_rate * gradient
        path.append(weights)
        losses.append(mse(X, y, weights))
    return np.array(path), np.array(losses)


def loss_surface(x, y, intercepts, slopes):
    """MSE at every (intercept, slope) pair of the grid."""
    b, m = np.meshgrid(intercepts, slopes)
    predictions = b[..., None] + m[..., None] * x  # grid x rows
    return b, m, np.mean((predictions - y) ** 2, axis=-1)


def descent_data(x, y):
    X = design_matrix(x)
    minimum, *_ = np.linalg.lstsq(X, y, rcond=None)
    stable_path, stable_losses = descend(x, y, STABLE_RATE, STABLE_STEPS)
    unstable_path, unstable_losses = descend(x, y, UNSTABLE_RATE, UNSTABLE_STEPS)
    grid = loss_surface(x, y, np.linspace(*INTERCEPT_LIMITS, 300), np.linspace(*SLOPE_LIMITS, 300))
    return {
        "minimum": minimum,
        "minimum_loss": mse(X, y, minimum),
        "stable_path": stable_path,
        "stable_losses": stable_losses,
        "unstable_path": unstable_path,
        "unstable_losses": unstable_losses,
        "surface": grid,
    }


def use_theme(theme):
    colors = THEMES[theme]
    plt.rcParams.update(
        {
            "font.family": "DejaVu Sans",  # ships with matplotlib: the same glyphs on every machine
            "mathtext.fontset": "dejavusans",
            "font.size": FONT_PT,
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


def draw_surface_panel(ax, data, colors):
    b, m, loss = data["surface"]
    floor = data["minimum_loss"]
    levels = floor + np.array([3, 10, 30, 100, 300, 1000, 3000, 10000, 30000])
    ax.contour(b, m, loss, levels=levels, colors=colors["contour"], linewidths=1)

    path = data["stable_path"]
    ax.plot(path[:, 0], path[:, 1], color=colors["stable"], linewidth=2.2, zorder=3, label="stable path")
    ax.plot(path[1:11, 0], path[1:11, 1], "o", color=colors["stable"], markersize=3.5, zorder=3)
    ax.plot(*path[0], "o", color=colors["fg"], markersize=6, zorder=4)
    for step, offset in zip(CHECKPOINTS[:-1], [(8, -6), (4, 4)], strict=True):
        ax.plot(*path[step], "o", color=colors["stable"], markersize=6, zorder=4)
        ax.annotate(
            f"step {step}", path[step], xytext=offset, textcoords="offset points", color=colors["stable"]
        )

    # lr 0.2 overshoots so far that its first step already leaves the chart.
    start, landing = data["unstable_path"][0], data["unstable_path"][1]
    exit_point = start + (landing - start) * (SLOPE_LIMITS[1] - start[1]) / (landing[1] - start[1])
    ax.plot(
        *zip(start, exit_point, strict=True), color=colors["unstable"], linewidth=2, linestyle=(0, (4, 2))
    )
    ax.annotate(
        "",
        xy=exit_point,
        xytext=start + (exit_point - start) * 0.9,
        arrowprops={"arrowstyle": "-|>,head_length=0.6,head_width=0.3", "color": colors["unstable"]},
    )
    ax.text(
        exit_point[0] + 6,
        SLOPE_LIMITS[1] - 1,
        f"step 1 lands at ({landing[0]:.0f}, {landing[1]:.0f}):\n"
        f"same way, {UNSTABLE_RATE / STABLE_RATE:.0f} times as far",
        va="top",
        color=colors["unstable"],
    )

    ax.plot(*data["minimum"], "*", color=colors["fg"], markersize=16, zorder=5)
    ax.annotate(
        f"minimum ({data['minimum'][0]:.0f}, {data['minimum'][1]:.0f})",
        data["minimum"],
        xytext=(6, -12),
        textcoords="offset points",
        ha="right",
        va="top",
    )
    ax.set_xlim(*INTERCEPT_LIMITS)
    ax.set_ylim(*SLOPE_LIMITS)
    ax.set_xlabel("intercept b (ms)")
    ax.set_ylabel("slope m (ms per 100 tokens)")
    ax.grid(False)


def draw_loss_panel(ax, data, colors):
    stable, wild = data["stable_losses"], data["unstable_losses"]
    ax.plot(np.arange(1, len(stable)), stable[1:], color=colors["stable"], linewidth=2.2)
    ax.plot(
        np.arange(1, len(wild)),
        wild[1:],
        "o",
        linestyle=(0, (4, 2)),
        color=colors["unstable"],
        linewidth=2,
        markersize=5,
    )
    ax.axhline(stable[0], color=colors["muted"], linewidth=1, linestyle=(0, (1, 2)))
    ax.text(1000, stable[0] * 1.6, "loss at w = (0, 0)", ha="right", va="bottom", color=colors["muted"])
    ax.axhline(data["minimum_loss"], color=colors["muted"], linewidth=1, linestyle=(0, (1, 2)))
    ax.text(
        1.2,
        data["minimum_loss"] * 1.6,
        f"minimum {data['minimum_loss']:.1f}",
        va="bottom",
        color=colors["muted"],
    )
    ax.set_xscale("log")
    ax.set_yscale("log")
    # Plain labels (1e6, not a superscript 6): every character stays at the full font size.
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    ax.yaxis.set_major_locator(LogLocator(base=1000))
    ax.yaxis.set_major_formatter(
        FuncFormatter(lambda value, _: f"{value:.0e}".replace("e+0", "e").replace("1e0", "1"))
    )
    ax.set_xlabel("step (log scale)")
    ax.set_ylabel("MSE (log scale)")


def draw(data, theme):
    colors = use_theme(theme)
    fig = plt.figure(figsize=(4.6, 7.0))
    draw_surface_panel(fig.add_axes((0.2, 0.47, 0.76, 0.44)), data, colors)
    draw_loss_panel(fig.add_axes((0.2, 0.08, 0.76, 0.26)), data, colors)
    fig.legend(
        handles=[
            Line2D([], [], color=colors["stable"], linewidth=2.2, label=f"lr {STABLE_RATE}"),
            Line2D(
                [],
                [],
                color=colors["unstable"],
                linewidth=2,
                linestyle=(0, (4, 2)),
                label=f"lr {UNSTABLE_RATE}",
            ),
        ],
        loc="upper left",
        bbox_to_anchor=(0.18, 1.0),
        ncols=2,
        frameon=False,
    )
    return fig


if __name__ == "__main__":
    # Theme settings last only for this block, so later notebook cells keep their own.
    with plt.rc_context():
        data = descent_data(evidence, latency)
        for theme in THEMES:
            fig = draw(data, theme)
            fig.savefig(f"{theme}.svg", metadata={"Date": None})  # no date: same data, same bytes
            plt.close(fig)

    stable, unstable = data["stable_path"], data["unstable_path"]
    print("minimum", data["minimum"].round(2), "mse", round(float(data["minimum_loss"]), 2))
    print("stable_rate", STABLE_RATE, "steps", STABLE_STEPS, "end", stable[-1].round(2))
    print("stable_checkpoints", *(stable[step].round(2) for step in CHECKPOINTS))
    print("stable_loss_falls_every_step", bool(np.all(np.diff(data["stable_losses"]) < 0)))
    print("unstable_rate", UNSTABLE_RATE, "steps", UNSTABLE_STEPS, "first_step", unstable[1].round(2))
    print("unstable_losses", [f"{loss:.3g}" for loss in data["unstable_losses"]])
    print("unstable_loss_rises_every_step", bool(np.all(np.diff(data["unstable_losses"]) > 0)))
