"""Actors on two framing axes (axes.png): each group's mean position with its interval."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from framing.plots.style import (
    SIDE_COLORS,
    _choose_groups,
    _figure,
    _limits,
    _place_labels,
    _short,
    literal_text,
)

# --- actors on two axes --------------------------------------------------------------------


@literal_text
def axes_figure(
    rows: Sequence[dict],
    *,
    x_axis: str,
    y_axis: str,
    poles: Mapping[str, tuple[str, str]] | None = None,
    group_sides: Mapping[str, str] | None = None,
    min_n: int = 5,
    max_groups: int = 15,
    by: str = "speaker",
    title: str = "Where each actor stands",
):
    """One point per group at its mean position on two axes (``framing.profile.axis_positions``
    rows), with 95% interval bars; small groups hollow and without bars."""
    from matplotlib.lines import Line2D

    table: dict[str, dict[str, dict]] = {}
    for r in rows:
        table.setdefault(r["group"], {})[r["axis"]] = r
    table = {g: a for g, a in table.items() if x_axis in a and y_axis in a}
    ns = {g: a[x_axis]["n"] for g, a in table.items()}
    groups, left_out = _choose_groups(ns, min_n, max_groups)
    sides = group_sides or {}
    fig = _figure()
    ax = fig.add_subplot()
    n_max = max(ns.values()) if ns else 1
    xs, ys = [], []
    bar_points: list[tuple[float, float]] = []
    bar_owner: list[int] = []
    for g in groups:
        x, y = table[g][x_axis], table[g][y_axis]
        color = SIDE_COLORS.get(sides.get(g, "unknown"), SIDE_COLORS["unknown"])
        small = x["small_sample"]
        marker_size = 6 + 8 * np.sqrt(ns[g] / n_max)
        if not small:
            ax.errorbar(
                x["mean"],
                y["mean"],
                # clipped at 0: rounded interval ends can fall a hair inside the mean
                xerr=[[max(0.0, x["mean"] - x["low"])], [max(0.0, x["high"] - x["mean"])]],
                yerr=[[max(0.0, y["mean"] - y["low"])], [max(0.0, y["high"] - y["mean"])]],
                fmt="none",
                ecolor=color,
                elinewidth=1.4,
                capsize=3,
                alpha=0.8,
                zorder=2,
            )
            xs += [x["low"], x["high"]]
            ys += [y["low"], y["high"]]
            # the bars, as points along them: labels keep off them where they can
            k = len(bar_points)
            bar_points += [(v, y["mean"]) for v in np.linspace(x["low"], x["high"], 9)]
            bar_points += [(x["mean"], v) for v in np.linspace(y["low"], y["high"], 9)]
            bar_owner += [groups.index(g)] * (len(bar_points) - k)
        ax.plot(
            x["mean"],
            y["mean"],
            marker="o",
            ms=marker_size,
            color=color,
            mfc="white" if small else color,
            mew=1.6,
            ls="",
            zorder=3,
        )
        xs.append(x["mean"])
        ys.append(y["mean"])
    if xs:
        _limits(ax, np.array(xs), np.array(ys), pad=0.12)
        # the neutral point, where it is in view (forcing it in would squeeze the actors)
        (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
        if x0 < 0 < x1:
            ax.axvline(0, color="#BBBBBB", lw=0.8, zorder=0)
        if y0 < 0 < y1:
            ax.axhline(0, color="#BBBBBB", lw=0.8, zorder=0)
    poles = poles or {}

    def axis_label(axis: str) -> str:
        if axis in poles:
            left, right = poles[axis]
            return f"{axis}\n← {left}          {right} →"
        return axis

    ax.set_xlabel(axis_label(x_axis), fontsize=10)
    ax.set_ylabel(axis_label(y_axis), fontsize=10)
    ax.tick_params(labelsize=8.5)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    fig.suptitle(title, fontsize=15, fontweight="bold")
    ax.set_title(
        f"mean position of each {by}'s sentences on two framing axes "
        "(cosine with the right pole minus the left)",
        fontsize=10,
        color="#444444",
        loc="left",
    )
    present = [s for s in SIDE_COLORS if s in {sides.get(g, "unknown") for g in groups}]
    handles = [
        Line2D([], [], ls="", marker="o", ms=8, color=SIDE_COLORS[s], label=s) for s in present
    ]
    handles.append(
        Line2D(
            [],
            [],
            ls="",
            marker="o",
            ms=8,
            mfc="white",
            mew=1.6,
            color="#555555",
            label=f"fewer than {min_n}\nsentences (*)",
        )
    )
    fig.legend(
        handles=handles,
        title="Side",
        loc="outside right upper",
        fontsize=9,
        title_fontsize=10,
        frameon=False,
    )
    note = (
        "Bars: 95% bootstrap intervals over each group's sentences; marker area grows "
        "with the number of sentences."
    )
    if left_out:
        note += f"\n{left_out} {by} group{'s' if left_out != 1 else ''} with a single sentence"
        note += f" or beyond the first {max_groups}" if len(groups) >= max_groups else ""
        note += " not shown."
    fig.supxlabel(note, fontsize=8, color="#555555")
    if groups:
        anchors = np.array([[table[g][x_axis]["mean"], table[g][y_axis]["mean"]] for g in groups])
        texts = [
            _short(g, 26)
            + (" (author)" if sides.get(g) == "author" and g != "author" else "")
            + (" *" if ns[g] < min_n else "")
            for g in groups
        ]
        colors = [SIDE_COLORS.get(sides.get(g, "unknown"), "#222222") for g in groups]
        _place_labels(
            ax,
            anchors,
            texts,
            colors=colors,
            fontsize=8.5,
            offset=(0, 12),
            # each actor's own point and bars weigh most: a label over its own interval
            # hid the interval's end and was struck through by the bar
            obstacles=np.vstack([anchors, np.array(bar_points).reshape(-1, 2)]),
            owners=np.array([*range(len(groups)), *bar_owner]),
            weight=3.0,
            box_edge=["#DDDDDD"] * len(groups),
            box_alpha=1.0,
        )
    return fig
