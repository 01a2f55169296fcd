"""The static rhetoric map (map.png, map.svg): points, cluster regions and their names."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np

from framing.plots.style import (
    _LEGEND_TITLES,
    CATEGORICAL,
    INLINE_NAMES,
    MAX_CLUSTER_NAMES,
    _cluster_key,
    _cluster_label,
    _figure,
    _limits,
    _place_labels,
    _short,
    _wrap,
    color_groups,
    literal_text,
)


@literal_text
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
