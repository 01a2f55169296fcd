"""Figures from data already computed, one module per figure: the rhetoric map
(``static_map``: map.png, map.svg), the actor x frame heatmap (``heatmap``), actors on two
axes (``axes``), the interactive map (``interactive``: plotly, one self-contained HTML
page), and what they share (``style``: colours, sizes, labels).

Every function takes plain rows -- ``framing.maps.point_rows`` and ``cluster_summaries``,
``framing.profile.profile_records`` and ``axis_positions`` -- and never embeds or fits.
Figures are built on ``matplotlib.figure.Figure`` with an Agg canvas, not pyplot, so they work
on machines without a display. Mathtext is off while a figure is built and saved
(``style.literal_text``): every label comes from data, and a ``$`` in it is a dollar sign.
"""

from __future__ import annotations

from framing.plots.axes import axes_figure
from framing.plots.heatmap import heatmap_figure
from framing.plots.interactive import map_html
from framing.plots.static_map import map_figure
from framing.plots.style import (
    CATEGORICAL,
    COLOR_BY,
    DPI,
    FIGSIZE,
    KEY_GREY,
    LEGEND_KEY,
    MAX_CLUSTER_NAMES,
    SIDE_COLORS,
    color_groups,
    save_figure,
)

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
    "COLOR_BY",
    "KEY_GREY",
    "LEGEND_KEY",
    "MAX_CLUSTER_NAMES",
]
