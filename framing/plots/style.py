"""What every figure shares: the colours (fixed per side), the figure size and its saving,
label placement (labels that would overlap are pushed apart and tied to their point by a
line), cluster names and the choice of groups to show.

Colours are fixed per side (``SIDE_COLORS``, from Okabe & Ito's colour-blind-safe palette)
so figures from different runs compare; clusters and frames take ``CATEGORICAL`` in order.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numpy as np

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


def literal_text(build: Callable) -> Callable:
    """Build (or save) a figure with matplotlib's mathtext off, so that every label taken
    from data (a speaker ``$\\foo{$``, a file ``price $5$ list.txt``) shows as written and
    never fails to parse. The setting is read when each text is made and when it is drawn,
    so both building and saving run under it; it is restored afterwards."""
    import functools

    @functools.wraps(build)
    def without_mathtext(*args, **kwargs):
        import matplotlib as mpl

        with mpl.rc_context({"text.parse_math": False}):
            return build(*args, **kwargs)

    return without_mathtext


def _figure(figsize: tuple[float, float] = FIGSIZE):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


@literal_text
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


def _choose_groups(ns: Mapping[str, int], min_n: int, max_groups: int) -> tuple[list[str], int]:
    """Groups to show, largest first: every group with at least ``min_n`` sentences, then
    (marked as small samples) the largest smaller ones with two or more, up to ``max_groups``.
    Returns them and how many were left out."""
    ranked = sorted(ns, key=lambda g: (-ns[g], g))
    enough = [g for g in ranked if ns[g] >= min_n]
    small = [g for g in ranked if 2 <= ns[g] < min_n]
    chosen = (enough + small)[:max_groups]
    return chosen, len(ns) - len(chosen)
