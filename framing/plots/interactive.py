"""The interactive map (map.html): plotly, one self-contained page that works offline."""

from __future__ import annotations

import html
import json
import textwrap
from collections.abc import Mapping, Sequence

import numpy as np

from framing.plots.style import (
    CATEGORICAL,
    COLOR_BY,
    INLINE_NAMES,
    KEY_GREY,
    LEGEND_KEY,
    _cluster_label,
    _cluster_name,
    color_groups,
)

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
