"""The actor x frame heatmap (heatmap.png): each group's mean score per frame."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from framing.plots.style import FIGSIZE, SIDE_COLORS, _choose_groups, _figure, _short, literal_text

# --- heatmap -------------------------------------------------------------------------------


@literal_text
def heatmap_figure(
    rows: Sequence[dict],
    *,
    frame_labels: Mapping[str, str] | None = None,
    group_sides: Mapping[str, str] | None = None,
    min_n: int = 5,
    max_groups: int = 20,
    by: str = "speaker",
    title: str = "How each actor frames the war",
):
    """Actor x frame heatmap of the mean combined score (``framing.profile`` rows), with
    95% intervals where the group is large enough and small groups marked."""
    from matplotlib import patheffects
    from matplotlib.patches import Rectangle

    frames = list(dict.fromkeys(r["frame"] for r in rows))
    ns = {r["group"]: r["n"] for r in rows}
    groups, left_out = _choose_groups(ns, min_n, max_groups)
    cells = {(r["group"], r["frame"]): r for r in rows}
    values = np.array(
        [[cells[(g, f)]["mean"] if (g, f) in cells else np.nan for f in frames] for g in groups],
        dtype=float,
    ).reshape(len(groups), len(frames))
    height = float(np.clip(2.6 + 0.42 * len(groups), 4.5, 10.0))
    fig = _figure((FIGSIZE[0], height))
    ax = fig.add_subplot()
    top = np.nanmax(values) if values.size and not np.all(np.isnan(values)) else 1.0
    vmax = max(0.1, float(np.ceil(top * 10) / 10))
    image = ax.imshow(values, cmap="YlGnBu", vmin=0.0, vmax=vmax, aspect="auto")
    labels = frame_labels or {}
    ax.set_xticks(
        range(len(frames)),
        [labels.get(f, f) for f in frames],
        rotation=25,
        ha="right",
        fontsize=9.5,
    )
    sides = group_sides or {}

    def row_label(g: str) -> str:
        name = _short(g, 30)
        if sides.get(g) == "author" and g != "author":
            name += " (author)"
        return f"{name}  (n={ns[g]}){' *' if ns[g] < min_n else ''}"

    ax.set_yticks(range(len(groups)), [row_label(g) for g in groups], fontsize=9.5)
    for tick, g in zip(ax.get_yticklabels(), groups, strict=False):
        tick.set_color(SIDE_COLORS.get(sides.get(g, ""), "#222222"))
    ax.tick_params(length=0)
    roomy = len(groups) <= 14 and len(frames) <= 8
    for i, g in enumerate(groups):
        for j, f in enumerate(frames):
            cell = cells.get((g, f))
            if cell is None:
                continue
            dark = cell["mean"] > 0.6 * vmax
            color = "white" if dark else "#222222"
            small = cell["small_sample"]
            text = f"{cell['mean']:.2f}"
            if roomy and not small:
                text += f"\n[{cell['mean_low']:.2f}, {cell['mean_high']:.2f}]"
            label = ax.text(
                j,
                i,
                text,
                ha="center",
                va="center",
                fontsize=8.5 if roomy else 7.5,
                color=color,
                style="italic" if small else "normal",
                zorder=3,
            )
            if small:
                # the hatch is faint and stops short of the number (a halo in the cell's own
                # colour), so the digits stay readable on hatched cells, dark ones included
                face = image.cmap(image.norm(cell["mean"]))
                label.set_path_effects([patheffects.withStroke(linewidth=4, foreground=face)])
                ax.add_patch(
                    Rectangle(
                        (j - 0.5, i - 0.5),
                        1,
                        1,
                        fill=False,
                        hatch="///",
                        ec=(1, 1, 1, 0.55) if dark else (0.45, 0.45, 0.45, 0.45),
                        lw=0,
                        zorder=2,
                    )
                )
    ax.set_xticks(np.arange(len(frames) + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(len(groups) + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="white", lw=1.5)
    ax.tick_params(which="minor", length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    bar = fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
    bar.set_label("mean combined frame score (0–1)", fontsize=9)
    bar.ax.tick_params(labelsize=8)
    fig.suptitle(title, fontsize=15, fontweight="bold")
    ax.set_title(
        f"by {by}: mean combined score of each frame over its sentences",
        fontsize=10,
        color="#444444",
        loc="left",
    )
    note = "Cells: mean [95% bootstrap interval]." if roomy else "Cells: mean score."
    if any(ns[g] < min_n for g in groups):
        note += f" * hatched: fewer than {min_n} sentences (no interval; read with care)."
    present = [s for s in SIDE_COLORS if s in {sides.get(g) for g in groups}]
    if present:
        from matplotlib.patches import Patch

        fig.legend(
            handles=[Patch(color=SIDE_COLORS[s], label=s) for s in present],
            title="Name colour:\nside",
            loc="outside right lower",
            fontsize=8.5,
            title_fontsize=8.5,
            frameon=False,
            handlelength=1.0,
        )
    if left_out:
        note += f"\n{left_out} {by} group{'s' if left_out != 1 else ''} with a single sentence"
        note += " or beyond the first " if len(groups) >= max_groups else " "
        note += f"{max_groups} not shown." if len(groups) >= max_groups else "not shown."
    fig.supxlabel(note, fontsize=8, color="#555555")
    return fig
