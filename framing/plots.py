"""Figures from data already computed: the rhetoric map, the actor x frame heatmap, actors on
two axes (matplotlib, Agg), and the interactive map (plotly, one self-contained HTML page).

Every function takes plain rows -- ``framing.maps.point_rows`` and ``cluster_summaries``,
``framing.profile.profile_records`` and ``axis_positions`` -- and never embeds or fits.
Figures are built on ``matplotlib.figure.Figure`` with an Agg canvas, not pyplot, so nothing
global changes and they work in threads and on machines without a display.

Colours are fixed per side (``SIDE_COLORS``, from Okabe & Ito's colour-blind-safe palette)
so figures from different runs compare; clusters and frames take ``CATEGORICAL`` in order.
Labels that would overlap are pushed apart (``_spread``) and tied to their point by a line.
"""

from __future__ import annotations

import html
import json
import textwrap
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

__all__ = [
    "SIDE_COLORS",
    "CATEGORICAL",
    "map_figure",
    "heatmap_figure",
    "axes_figure",
    "map_html",
    "save_figure",
    "color_groups",
    "FIGSIZE",
    "DPI",
]

FIGSIZE = (10.0, 7.0)  # inches: a page width, readable when printed
DPI = 200
SIDE_COLORS = {
    "russia": "#D55E00",  # vermillion
    "ukraine": "#0072B2",  # blue
    "west": "#009E73",  # bluish green
    "other": "#CC79A7",  # reddish purple
    "unknown": "#A6A6A6",  # a voice whose side is not known
    "author": "#3F3F3F",  # the author's narration
}
NOISE_COLOR = "#CFCFCF"
KEY_GREY = "#9A9A9A"  # side keys in map.html while the points wear another colouring
LEGEND_KEY = "legend-key"  # meta of map.html's empty traces that only draw the legend
REST_COLOR = "#B8B8B8"
# tab10, then the light halves of tab20: 20 colours that stay apart
CATEGORICAL = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5",
    "#c49c94", "#f7b6d2", "#dbdb8d", "#9edae5", "#393b79",
)  # fmt: skip
COLOR_BY = ("side", "speaker", "cluster", "top_frame")
_LEGEND_TITLES = {
    "side": "Voice (side)",
    "speaker": "Speaker",
    "cluster": "Cluster",
    "top_frame": "Top frame",
}
MAX_SPEAKERS = 10  # speakers coloured by name; the rest share one grey
# A cluster is named after its most common top frame only when that frame tops at least
# this share of its sentences; below, the name would mislead more than it tells.
CLEAR_FRAME = 0.2
MAX_CLUSTER_NAMES = 12  # clusters labelled with frames and words; smaller ones get "C12"
# Up to this many clusters carry their names on the map; beyond, the map shows short tags
# ("C3") beside each cluster and a key beside the map names them: on a 20k-sentence map with
# 20 clusters the full labels were pushed far from their clusters, their leader lines
# crossing other clusters, and a reader could not tell which label was whose.
INLINE_NAMES = 6


# --- colours -------------------------------------------------------------------------------


def _cluster_name(c: int) -> str:
    return "unclustered" if c == -1 else f"C{c}"


def color_groups(
    points: Sequence[dict], color_by: str = "side", frame_order: Sequence[str] = ()
) -> tuple[list[str], dict[str, str]]:
    """Each point's legend group under ``color_by``, and group -> colour in legend order."""
    if color_by not in COLOR_BY:
        raise ValueError(f"color_by must be one of {', '.join(COLOR_BY)}; got {color_by!r}")
    if color_by == "side":
        groups = [p["side"] if p["side"] in SIDE_COLORS else "unknown" for p in points]
        present = set(groups)
        return groups, {s: c for s, c in SIDE_COLORS.items() if s in present}
    if color_by == "cluster":
        groups = [_cluster_name(p["cluster"]) for p in points]
        ids = sorted({p["cluster"] for p in points}, key=lambda c: (c == -1, c))
        return groups, {
            _cluster_name(c): NOISE_COLOR if c == -1 else CATEGORICAL[c % len(CATEGORICAL)]
            for c in ids
        }
    if color_by == "top_frame":
        groups = [p["top_frame"] or "no frame" for p in points]
        counts = Counter(groups)
        order = [f for f in frame_order if f in counts] + sorted(
            f for f in counts if f not in frame_order and f != "no frame"
        )
        colors = {f: CATEGORICAL[i % len(CATEGORICAL)] for i, f in enumerate(order)}
        if "no frame" in counts:
            colors["no frame"] = NOISE_COLOR
        return groups, colors
    counts = Counter(p["speaker"] for p in points)
    top = [s for s, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_SPEAKERS]]
    rest = f"{len(counts) - len(top)} other speakers"
    groups = [p["speaker"] if p["speaker"] in top else rest for p in points]
    colors = {s: CATEGORICAL[i] for i, s in enumerate(top)}
    if len(counts) > len(top):
        colors[rest] = REST_COLOR
    return groups, colors


# --- matplotlib helpers --------------------------------------------------------------------


def _figure(figsize: tuple[float, float] = FIGSIZE):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def save_figure(fig, path: str | Path, fmt: str | None = None) -> None:
    """Write a figure (PNG at ``DPI``, or SVG/PDF by suffix or ``fmt``)."""
    fig.savefig(path, format=fmt, dpi=DPI, facecolor="white", metadata=_metadata(fmt, path))


def _metadata(fmt: str | None, path) -> dict:
    kind = (fmt or Path(str(path)).suffix.lstrip(".")).lower()
    # No creation dates: the same data gives the same bytes.
    if kind == "svg":
        return {"Date": None}
    if kind == "pdf":
        return {"CreationDate": None}
    return {}


def _place(
    ax,
    anchors: np.ndarray,
    sizes: np.ndarray,
    *,
    obstacles: np.ndarray,
    weight: float,
    offset: np.ndarray,
    owners: np.ndarray | None = None,
) -> np.ndarray:
    """Label centres in display pixels: for each label in turn, the candidate position
    around its anchor (rings of 16 directions, nearest first) whose box stays inside the
    axes and overlaps no label placed before, at the least cost of distance plus
    ``weight`` per obstacle point covered (``owners[j] == i``: point j is label i's own).
    Greedy, deterministic, and free of overlaps whenever a free place exists (adjustText is
    not a dependency)."""
    box = ax.get_window_extent()
    unit = float(np.median(sizes[:, 1])) if len(sizes) else 10.0
    angles = np.linspace(0, 2 * np.pi, 16, endpoint=False)
    rings = np.array([0, 0.7, 1.4, 2.1, 2.8, 3.6, 4.5, 5.5, 7, 9, 12, 16, 21, 28])
    steps = np.vstack(
        [[0.0, 0.0]] + [np.c_[np.cos(angles), np.sin(angles)] * r * unit for r in rings[1:]]
    )
    placed: list[np.ndarray] = []  # (x0, y0, x1, y1) of every label so far
    out = np.zeros_like(anchors, dtype=float)
    for i, anchor in enumerate(anchors):
        half = sizes[i] / 2 + 2.0
        centres = anchor + offset + steps
        lo, hi = centres - half, centres + half
        ok = (
            (lo[:, 0] >= box.x0)
            & (lo[:, 1] >= box.y0)
            & (hi[:, 0] <= box.x1)
            & (hi[:, 1] <= box.y1)
        )
        for other in placed:
            ok &= ~(
                (lo[:, 0] < other[2])
                & (hi[:, 0] > other[0])
                & (lo[:, 1] < other[3])
                & (hi[:, 1] > other[1])
            )
        distance = np.hypot(*(centres - anchor).T) / unit
        # far places cost more and more: a label three rows off its cluster reads as
        # another cluster's, and long leader lines cross the map
        cost = distance + 2.0 * np.maximum(0.0, distance - 3.0)
        if len(obstacles):
            inside = (
                (obstacles[None, :, 0] > lo[:, None, 0])
                & (obstacles[None, :, 0] < hi[:, None, 0])
                & (obstacles[None, :, 1] > lo[:, None, 1])
                & (obstacles[None, :, 1] < hi[:, None, 1])
            )
            # Covering other points is worth at most two rows of distance (on a dense map
            # every place covers some, and a label far from its cluster is worse); covering
            # the label's own points (``owners``) is not capped: it sits beside them.
            own = np.zeros(len(obstacles), dtype=bool) if owners is None else owners == i
            cost = cost + np.minimum(weight * inside[:, ~own].sum(axis=1), 2.0)
            cost = cost + 3 * weight * inside[:, own].sum(axis=1)
        if not ok.any():  # nowhere free: the nearest place inside the axes
            ok = (
                (lo[:, 0] >= box.x0)
                & (hi[:, 0] <= box.x1)
                & (lo[:, 1] >= box.y0)
                & (hi[:, 1] <= box.y1)
            )
            if not ok.any():
                ok[:] = True
        best = int(np.argmin(np.where(ok, cost, np.inf)))
        out[i] = centres[best]
        placed.append(np.r_[centres[best] - half, centres[best] + half])
    return out


def _place_labels(
    ax,
    anchors: np.ndarray,
    texts: Sequence[str],
    *,
    colors: Sequence[str],
    fontsize: float,
    offset: tuple[float, float] = (0.0, 0.0),
    obstacles: np.ndarray | None = None,
    owners: np.ndarray | None = None,
    weight: float = 1.0,
    box_edge: Sequence[str] | None = None,
    box_alpha: float = 0.85,
) -> list:
    """Draw labels near data points ``anchors``, none overlapping another, tied to their
    anchor by a thin line when moved off it; returns the text artists.

    The figure's layout is computed first and then frozen: labels stay inside the axes, so
    nothing else needs to move, and their pixel positions remain the ones checked here."""
    if not len(texts):
        return []
    fig = ax.figure
    fig.canvas.draw()
    fig.set_layout_engine("none")
    renderer = fig.canvas.get_renderer()
    pad = 0.3
    bbox = {"boxstyle": f"round,pad={pad}", "fc": "white", "alpha": box_alpha, "lw": 0.8}
    probes = [
        ax.text(0, 0, t, fontsize=fontsize, ha="center", va="center", bbox=bbox) for t in texts
    ]
    fig.canvas.draw()
    sizes = np.array(
        [
            [b.width, b.height]
            for b in (p.get_bbox_patch().get_window_extent(renderer) for p in probes)
        ]
    )
    for p in probes:
        p.remove()
    anchor_px = ax.transData.transform(anchors)
    obstacles_px = (
        np.empty((0, 2))
        if obstacles is None
        else ax.transData.transform(np.asarray(obstacles, dtype=float))
    )
    start_offset = np.array(offset) * fig.dpi / 72
    pos = _place(
        ax,
        anchor_px,
        sizes,
        obstacles=obstacles_px,
        weight=weight,
        offset=start_offset,
        owners=owners,
    )
    to_data = ax.transData.inverted()
    artists = []
    for k, text in enumerate(texts):
        # a line to the anchor whenever the label had to leave its first-choice place
        far = np.hypot(*(pos[k] - anchor_px[k] - start_offset)) > 1.0
        edge = box_edge[k] if box_edge is not None else colors[k]
        artists.append(
            ax.annotate(
                text,
                xy=anchors[k],
                xytext=to_data.transform(pos[k]),
                textcoords="data",
                ha="center",
                va="center",
                fontsize=fontsize,
                color=colors[k],
                bbox={**bbox, "ec": edge},
                arrowprops={"arrowstyle": "-", "color": edge, "lw": 0.8, "shrinkA": 0, "shrinkB": 3}
                if far
                else None,
                zorder=6,
                annotation_clip=False,
            )
        )
    return artists


def _limits(ax, xs: np.ndarray, ys: np.ndarray, pad: float = 0.06) -> None:
    for setter, v in ((ax.set_xlim, xs), (ax.set_ylim, ys)):
        lo, hi = float(np.min(v)), float(np.max(v))
        span = hi - lo or 1.0
        setter(lo - pad * span, hi + pad * span)


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


# --- the map -------------------------------------------------------------------------------


def _cluster_label(c: dict, detailed: bool, frame_labels: Mapping[str, str] | None = None) -> str:
    head = f"C{c['cluster']}"
    if not detailed:
        return head
    frames = c.get("frames") or []
    if frames and frames[0]["share"] >= CLEAR_FRAME:
        f = frames[0]
        head += f" · {(frame_labels or {}).get(f['frame'], f['frame'])} {f['share']:.0%}"
    else:
        head += " · no clear frame"
    words = c.get("keywords") or []
    return head + ("\n" + _short(", ".join(words[:3]), 34) if words else "")


def _cluster_key(
    fig, named: Sequence[dict], total: int, frame_labels: Mapping[str, str] | None
) -> None:
    """The names of the largest clusters in a key below the colour legend (crowded maps,
    where the map itself carries only each cluster's tag). Where the two would meet (a
    long colour legend), the key names fewer clusters."""
    import math

    from matplotlib.lines import Line2D

    def entry(c: dict) -> str:
        head, _, words = _cluster_label(c, True, frame_labels).partition("\n")
        tag, _, frame = head.partition(" · ")
        return f"{tag:<4} {frame}" + (f"\n{'':<5}{words}" if words else "")

    def draw(k: int):
        labels = [entry(c) for c in sorted(named[:k], key=lambda c: c["cluster"])]
        rest = total - k
        if rest:
            labels.append(f"+ {rest} smaller cluster{'s' if rest > 1 else ''} (tag only)")
        return fig.legend(
            handles=[Line2D([], [], ls="", marker="") for _ in labels],
            labels=labels,
            title="Clusters: top frame (share),\nmost distinctive words",
            loc="outside right lower",
            title_fontsize=8.5,
            frameon=False,
            handlelength=0,
            handletextpad=0,
            labelspacing=0.45,
            alignment="left",
            prop={"family": "DejaVu Sans Mono", "size": 7.5},
        )

    k = len(named)
    key = draw(k)
    above = fig.legends[0] if fig.legends[0] is not key else None
    if above is None or k == 0:
        return
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    top, floor = key.get_window_extent(renderer), above.get_window_extent(renderer)
    overlap = top.y1 - floor.y0 + 10  # pixels to give up, with a small gap
    if overlap <= 0:
        return
    per_entry = top.height / (k + 3)  # two title lines and a "smaller clusters" line
    k = max(0, k - math.ceil(overlap / per_entry))
    key.remove()
    draw(k)


def _wrap(title: str, width: int = 70) -> str:
    return "\n".join(textwrap.wrap(title, width)) or title


def map_figure(
    points: Sequence[dict],
    clusters: Sequence[dict],
    regions: Mapping[int, Sequence[np.ndarray]] | None = None,
    *,
    color_by: str = "side",
    frame_order: Sequence[str] = (),
    frame_labels: Mapping[str, str] | None = None,
    title: str = "Rhetoric map",
    subtitle: str = "",
    method: str = "umap",
):
    """The sentences as points coloured by ``color_by``; cluster outlines (``regions``, from
    ``framing.maps.cluster_regions``) and labels with each cluster's top frame and most
    distinctive words; a legend and a title."""
    from matplotlib.lines import Line2D

    groups, colors = color_groups(points, color_by, frame_order)
    xy = np.array([[p["x"], p["y"]] for p in points], dtype=float).reshape(-1, 2)
    cluster_ids = np.array([p["cluster"] for p in points], dtype=int)
    n = len(points)
    fig = _figure()
    ax = fig.add_subplot()
    size = float(np.clip(18000 / max(n, 1), 3.0, 46.0))
    alpha = 0.85 if n <= 500 else 0.6 if n <= 5000 else 0.4
    big = n > 2000  # rasterise big scatters, so the SVG stays small (text remains vector)
    counts = Counter(groups)
    group_arr = np.array(groups, dtype=object)
    # the largest groups first, so smaller ones stay visible on top
    for z, g in enumerate(sorted(colors, key=lambda g: (-counts[g], list(colors).index(g)))):
        mask = group_arr == g
        faint = g in ("unclustered", "no frame")
        ax.scatter(
            xy[mask, 0],
            xy[mask, 1],
            s=size * (0.6 if faint else 1.0),
            c=colors[g],
            alpha=alpha * (0.6 if faint else 1.0),
            linewidths=0,
            zorder=2 + z * 0.01,
            rasterized=big,
        )
    # frames by their labels, as the cluster labels name them
    names = dict(frame_labels or {}) if color_by == "top_frame" else {}
    handles = [  # legend in palette order
        Line2D(
            [],
            [],
            ls="",
            marker="o",
            markersize=7,
            color=colors[g],
            label=f"{_short(str(names.get(g, g)), 28)}  ({counts[g]:,})",
        )
        for g in colors
    ]
    region_color = {
        c["cluster"]: CATEGORICAL[c["cluster"] % len(CATEGORICAL)]
        if color_by == "cluster"
        else "#555555"
        for c in clusters
    }
    for cid, polygons in (regions or {}).items():
        color = region_color.get(cid, "#555555")
        for poly in polygons:
            ax.fill(poly[:, 0], poly[:, 1], fc=color, alpha=0.06, ec="none", zorder=1)
            closed = np.vstack([poly, poly[:1]])
            ax.plot(
                closed[:, 0],
                closed[:, 1],
                color=color,
                lw=0.8,
                ls=(0, (4, 3)),
                alpha=0.65,
                zorder=1.5,
            )
    if n:
        both = np.vstack([xy] + [p for polys in (regions or {}).values() for p in polys])
        _limits(ax, both[:, 0], both[:, 1], pad=0.04)
    label = {"pca": "PCA", "umap": "UMAP"}.get(method, "dimension")
    ax.set_xlabel(f"{label} 1", fontsize=10, color="#555555")
    ax.set_ylabel(f"{label} 2", fontsize=10, color="#555555")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_color("#BBBBBB")
    fig.suptitle(_wrap(title), fontsize=15, fontweight="bold")
    if subtitle:
        ax.set_title(_wrap(subtitle, 110), fontsize=10, color="#444444", loc="left")
    fig.legend(
        handles=handles,
        title=_LEGEND_TITLES[color_by],
        loc="outside right upper",
        fontsize=9,
        title_fontsize=10,
        frameon=False,
    )
    ranked = sorted(clusters, key=lambda c: (-c["size"], c["cluster"]))
    inline = len(ranked) <= INLINE_NAMES
    # left-aligned under the map, so it never runs into the cluster key at the lower right
    fig.supxlabel(
        "Each point is a sentence; nearby points are close in meaning. Dashed outlines: "
        f"clusters, {'labelled with' if inline else 'named in the key by'} their most\n"
        "common top frame (share of their sentences) and their most distinctive words "
        "(class-based TF-IDF).",
        fontsize=8,
        color="#555555",
        x=0.01,
        ha="left",
    )
    if ranked and not inline:
        _cluster_key(fig, ranked[:MAX_CLUSTER_NAMES], len(ranked), frame_labels)
    if ranked:
        named = {c["cluster"] for c in ranked[:MAX_CLUSTER_NAMES]} if inline else set()
        anchors = np.array([[c["x"], c["y"]] for c in ranked])
        texts = [_cluster_label(c, c["cluster"] in named, frame_labels) for c in ranked]
        # labels avoid covering points where they can: every point on a small map, a
        # sample on a large one (each then weighing for the points it stands for)
        step = max(1, n // 3000)
        label_of = {c["cluster"]: k for k, c in enumerate(ranked)}
        owners = np.array([label_of.get(int(c), -1) for c in cluster_ids[::step]])
        _place_labels(
            ax,
            anchors,
            texts,
            colors=["#222222"] * len(ranked),
            fontsize=8.5,
            obstacles=xy[::step],
            owners=owners,
            weight=2.0 * step * min(1, 300 / n),
            box_edge=[region_color[c["cluster"]] for c in ranked],
        )
    return fig


# --- heatmap -------------------------------------------------------------------------------


def _choose_groups(ns: Mapping[str, int], min_n: int, max_groups: int) -> tuple[list[str], int]:
    """Groups to show, largest first: every group with at least ``min_n`` sentences, then
    (marked as small samples) the largest smaller ones with two or more, up to ``max_groups``.
    Returns them and how many were left out."""
    ranked = sorted(ns, key=lambda g: (-ns[g], g))
    enough = [g for g in ranked if ns[g] >= min_n]
    small = [g for g in ranked if 2 <= ns[g] < min_n]
    chosen = (enough + small)[:max_groups]
    return chosen, len(ns) - len(chosen)


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


# --- actors on two axes --------------------------------------------------------------------


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


# --- interactive map -----------------------------------------------------------------------


def _hover_text(text: str) -> str:
    return "<br>".join(html.escape(line) for line in textwrap.wrap(text, 80)[:8]) or "&nbsp;"


def map_html(
    points: Sequence[dict],
    clusters: Sequence[dict],
    regions: Mapping[int, Sequence[np.ndarray]] | None = None,
    *,
    color_by: str = "side",
    frame_order: Sequence[str] = (),
    frame_labels: Mapping[str, str] | None = None,
    title: str = "Rhetoric map",
    subtitle: str = "",
    provenance: Mapping | None = None,
    method: str = "umap",
    webgl_above: int = 5000,
) -> str:
    """One self-contained HTML page (plotly.js inline; opens offline): a trace per side (click
    the legend to toggle a side), hover with the sentence, speaker, cluster and top frames,
    buttons to colour by side, cluster or top frame, and the run's provenance."""
    import plotly.graph_objects as go

    n = len(points)
    scatter = go.Scattergl if n > webgl_above else go.Scatter
    colorings = {
        kind: color_groups(points, kind, frame_order) for kind in COLOR_BY if kind != "speaker"
    }
    if color_by not in colorings:
        color_by = "side"
    side_groups, side_colors = colorings["side"]
    by_side: dict[str, list[int]] = {}
    for i, s in enumerate(side_groups):
        by_side.setdefault(s, []).append(i)
    size = float(np.clip(300 / np.sqrt(max(n, 1)), 3, 10))
    fig = go.Figure()
    traces = [s for s in side_colors if s in by_side]
    for s in traces:
        idx = by_side[s]
        fig.add_trace(
            scatter(
                x=[points[i]["x"] for i in idx],
                y=[points[i]["y"] for i in idx],
                mode="markers",
                name=f"{s} ({len(idx):,})",
                legendgroup=s,
                showlegend=False,
                marker={
                    "size": size,
                    "opacity": 0.8,
                    "line": {"width": 0},
                    "color": [colorings[color_by][1][colorings[color_by][0][i]] for i in idx],
                },
                customdata=[
                    [
                        html.escape(str(points[i]["speaker"])),
                        s,
                        _cluster_name(points[i]["cluster"]),
                        ", ".join(f"{f} {v:.2f}" for f, v in points[i].get("top_frames", []))
                        or "none",
                        html.escape(f"{points[i]['doc']} #{points[i]['sentence']}"),
                    ]
                    for i in idx
                ],
                hovertext=[_hover_text(points[i]["text"]) for i in idx],
                hovertemplate=(
                    "<b>%{customdata[0]}</b> (%{customdata[1]}) · %{customdata[2]}<br>"
                    "top frames: %{customdata[3]}<br><i>%{customdata[4]}</i><br><br>"
                    "%{hovertext}<extra></extra>"
                ),
            )
        )
    # Cluster labels as annotations: drawn above every point (WebGL points, on large maps,
    # cover a text trace), on a white box; a crowded map (as the PNG) shows each cluster's
    # tag, its name on hover.
    crowded = len(clusters) > INLINE_NAMES
    annotations = []
    for c in clusters:
        name = html.escape(_cluster_label(c, True, frame_labels)).replace("\n", "<br>")
        edge = CATEGORICAL[c["cluster"] % len(CATEGORICAL)] if color_by == "cluster" else "#777777"
        annotations.append(
            {
                "x": c["x"],
                "y": c["y"],
                "text": _cluster_label(c, False) if crowded else name,
                "hovertext": name,
                "showarrow": False,
                "font": {"size": 12, "color": "#222222"},
                "bgcolor": "rgba(255,255,255,0.85)",
                "bordercolor": edge,
                "borderwidth": 1,
                "borderpad": 3,
            }
        )
    shapes = [
        {
            "type": "path",
            "path": "M " + " L ".join(f"{x:.5g},{y:.5g}" for x, y in poly) + " Z",
            "line": {"color": "#777777", "width": 1, "dash": "dash"},
            "fillcolor": "rgba(120,120,120,0.05)",
            "layer": "below",
        }
        for polys in (regions or {}).values()
        for poly in polys
    ]
    # The legend is made of empty "key" traces: the points' own legend swatch would take the
    # colour of each side's first point, which is wrong once the points are coloured by
    # cluster or frame. Side keys (same legendgroup as their points) hide or show a side when
    # clicked and wear the side colour, or grey when another colouring is on; colour keys
    # name the colours of the colouring that is on (the buttons switch their showlegend).
    for k, s in enumerate(traces):
        fig.add_trace(
            scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=f"{s} ({len(by_side[s]):,})",
                legendgroup=s,
                legendgrouptitle={"text": "Side (click to hide or show)"} if k == 0 else None,
                marker={"size": 10, "color": side_colors[s] if color_by == "side" else KEY_GREY},
                hoverinfo="skip",
                meta=LEGEND_KEY,
            )
        )
    key_kinds: list[str] = []
    for kind, (_, colors) in colorings.items():
        if kind == "side":
            continue
        for k, (group, color) in enumerate(colors.items()):
            key_kinds.append(kind)
            fig.add_trace(
                scatter(
                    x=[None],
                    y=[None],
                    mode="markers",
                    name=group,
                    legendgroup=f"{LEGEND_KEY}:{kind}",
                    legendgrouptitle={"text": f"Colour: {kind.replace('_', ' ')}"}
                    if k == 0
                    else None,
                    showlegend=kind == color_by,
                    marker={"size": 10, "color": color},
                    hoverinfo="skip",
                    meta=LEGEND_KEY,
                )
            )
    n_keyed = 2 * len(traces)
    buttons = []
    for kind, (groups, colors) in colorings.items():
        point_colors = [[colors[groups[i]] for i in by_side[s]] for s in traces]
        side_keys = [side_colors[s] if kind == "side" else KEY_GREY for s in traces]
        buttons.append(
            {
                "label": f"colour: {kind.replace('_', ' ')}",
                "method": "restyle",
                "args": [
                    {
                        "marker.color": point_colors
                        + side_keys
                        + [fig.data[n_keyed + j].marker.color for j in range(len(key_kinds))],
                        "showlegend": [False] * len(traces)
                        + [True] * len(traces)
                        + [k == kind for k in key_kinds],
                    },
                    list(range(n_keyed + len(key_kinds))),
                ],
            }
        )
    menus = [
        {
            "type": "buttons",
            "direction": "right",
            "x": 0,
            "y": 1.07,
            "xanchor": "left",
            "yanchor": "bottom",
            "buttons": buttons,
            "active": list(colorings).index(color_by),
            "showactive": True,
        }
    ]
    if annotations:
        shown = {
            state: {f"annotations[{k}].visible": state == "on" for k in range(len(annotations))}
            for state in ("on", "off")
        }
        menus.append(
            {
                "type": "buttons",
                "direction": "right",
                "x": 0.42,
                "y": 1.07,
                "xanchor": "left",
                "yanchor": "bottom",
                "buttons": [
                    {
                        "label": f"cluster labels {state}",
                        "method": "relayout",
                        "args": [shown[state]],
                    }
                    for state in ("on", "off")
                ],
                "active": 0,
                "showactive": True,
            }
        )
    axis = {
        "showticklabels": False,
        "zeroline": False,
        "showgrid": False,
        "title": {"text": f"{'PCA' if method == 'pca' else 'UMAP'} 1"},
    }
    fig.update_layout(
        template="plotly_white",
        height=780,
        margin={"l": 40, "r": 20, "t": 60, "b": 40},
        legend={"itemsizing": "constant", "groupclick": "togglegroup"},
        xaxis=axis,
        yaxis={**axis, "title": {"text": axis["title"]["text"][:-1] + "2"}},
        updatemenus=menus,
        hoverlabel={"align": "left"},
        shapes=shapes,
        annotations=annotations,
    )
    body = fig.to_html(
        include_plotlyjs=True,
        full_html=False,
        div_id="rhetoric-map",
        config={
            "displaylogo": False,
            "responsive": True,
            "toImageButtonOptions": {"format": "png", "filename": "map", "scale": 2},
        },
    )
    tag_hint = " (hover a cluster's tag for its top frame and distinctive words)" if crowded else ""
    prov = json.dumps(provenance or {}, ensure_ascii=False, indent=2)
    prov_script = prov.replace("</", "<\\/")  # a "</script>" in a path cannot end the block
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>
body {{ font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 1.5rem 2rem;
       color: #222; }}
h1 {{ font-size: 1.5rem; margin: 0 0 .2rem; }}
p.sub {{ color: #555; margin: 0 0 .8rem; }}
details {{ margin-top: 1rem; color: #444; }}
pre {{ background: #f6f6f6; padding: .8rem; overflow-x: auto; font-size: .8rem; }}
</style>
</head>
<body>
<h1>{html.escape(title)}</h1>
<p class="sub">{html.escape(subtitle)}</p>
{body}
<p class="sub">Each point is a sentence; hover for its text, speaker, cluster and top frames.
Click a side in the legend to hide or show it; the buttons recolour the points or hide the
cluster labels{tag_hint}.</p>
<details><summary>How this map was made</summary><pre>{html.escape(prov)}</pre></details>
<script type="application/json" id="framing-provenance">{prov_script}</script>
</body>
</html>
"""
