"""Figures of the discovery commands, from tables already computed (matplotlib, Agg):
``compare_figure`` (Fightin' Words: frequency against z, each side's top terms named) and
``trend_figure`` (small multiples: one panel per frame or axis, one line per group), and
``trend_html`` (the same, interactive, in one self-contained page)."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["compare_figure", "group_colors", "save", "DPI"]

DPI = 150  # enough for print; a 20,000-term panel stays under a megabyte
GREY = "#BDBDBD"


def group_colors(groups: Sequence[str]) -> dict[str, str]:
    """Sides keep the colours every framing figure gives them; other groups take the
    categorical palette in order."""
    from framing.plots import CATEGORICAL, SIDE_COLORS

    out: dict[str, str] = {}
    k = 0
    for g in groups:
        if g in SIDE_COLORS and g not in ("unknown", "author"):
            out[g] = SIDE_COLORS[g]
        else:
            while CATEGORICAL[k % len(CATEGORICAL)] in out.values():
                k += 1
            out[g] = CATEGORICAL[k % len(CATEGORICAL)]
            k += 1
    return out


def _figure(width: float, height: float):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def save(fig, stream, fmt: str) -> None:
    """Write a figure to an open binary stream; no dates in the file, so the same data gives
    the same bytes."""
    metadata = {"Date": None} if fmt == "svg" else {}
    fig.savefig(stream, format=fmt, dpi=DPI, facecolor="white", metadata=metadata)


# --- compare --------------------------------------------------------------------------


def compare_figure(table: pd.DataFrame, *, labels: int | None = None, title: str = ""):
    """Fightin' Words plot: one panel per compared group (one panel for A against B), each
    term a point at its frequency (x, log scale) and z (y); significant terms coloured;
    each side's top terms named in the margin, in z order, with a line to their point."""
    from framing.discover.compare import signature

    terms = table[table["kind"] == "term"]
    groups = list(dict.fromkeys(terms["group"]))
    pairwise = bool(len(groups) == 2 and (terms["versus"] == groups[1]).any())
    panels = groups[:1] if pairwise else groups
    colors = group_colors(groups)
    n = len(panels)
    per_panel = labels or (14 if n == 1 else 10 if n <= 4 else 8)
    ncols = 1 if n == 1 else 2
    nrows = int(np.ceil(n / ncols))
    width = 12.0 if n == 1 else 15.0
    height = 7.5 if n == 1 else 4.6 * nrows + 0.6
    fig = _figure(width, height)
    # each panel keeps its right 42% (pairwise: 40%) for the names of its terms
    grid = fig.add_gridspec(
        nrows,
        ncols,
        left=0.07 if n == 1 else 0.05,
        right=0.97,
        top=1 - 0.9 / height,
        bottom=0.55 / height + 0.03,
        hspace=0.42,
        wspace=0.12,
    )
    for k, group in enumerate(panels):
        cell = grid[k // ncols, k % ncols].subgridspec(1, 2, width_ratios=[1.45, 1], wspace=0.0)
        ax = fig.add_subplot(cell[0, 0])
        margin = fig.add_subplot(cell[0, 1])
        margin.set_axis_off()
        rows = terms[terms["group"] == group]
        other = rows["versus"].iat[0] if len(rows) else "rest"
        _compare_panel(
            ax,
            margin,
            rows,
            signature(rows, per_panel, kind="term"),
            signature(terms[terms["group"] == other], per_panel, kind="term") if pairwise else None,
            colors[group],
            colors.get(other, "#555555"),
            per_panel,
        )
        ax.set_title(
            f"{group} vs {other}" if pairwise or other != "rest" else f"{group} vs the rest",
            fontsize=12,
            loc="left",
            fontweight="bold",
        )
        if k // ncols == nrows - 1 or n == 1:
            ax.set_xlabel("uses in the compared text (log scale)", fontsize=10)
        if k % ncols == 0:
            ax.set_ylabel("z (log-odds, informative Dirichlet prior)", fontsize=10)
    fig.suptitle(
        title
        or "Distinctive terms: z > 0 leans to the named group; coloured: significant (FDR 5%)",
        fontsize=12,
        x=0.02,
        ha="left",
    )
    return fig


def _compare_panel(
    ax, margin, rows, top_own, top_other, own_color: str, other_color: str, slots: int
):
    freq = (rows["count"] + rows["count_other"]).to_numpy(dtype=float)
    z = rows["z"].to_numpy(dtype=float)
    significant = rows["significant"].to_numpy(dtype=bool)
    colours = np.where(significant & (z > 0), own_color, GREY)
    if top_other is not None:
        colours = np.where(significant & (z < 0), other_color, colours)
    order = np.argsort(significant, kind="stable")  # significant points drawn on top
    ax.scatter(
        freq[order],
        z[order],
        s=7,
        c=colours[order],
        alpha=0.7,
        linewidths=0,
        rasterized=True,  # 20,000 points in an SVG stay light
    )
    ax.set_xscale("log")
    from matplotlib.ticker import FuncFormatter

    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.axhline(0, color="#888888", lw=0.6)
    if significant.any():
        cut = float(np.min(np.abs(z[significant])))
        for sign in (1, -1):
            ax.axhline(sign * cut, color="#888888", lw=0.6, ls="--")
    ax.grid(alpha=0.25, lw=0.5)
    ax.tick_params(labelsize=9)
    top = float(max(np.max(z, initial=0), 1.0))
    bottom = float(min(np.min(z, initial=0), -1.0))
    pad = 0.06 * (top - bottom)
    ax.set_ylim(bottom - pad, top + pad)
    ax.set_xlim(
        max(0.8, float(np.min(freq, initial=1)) * 0.8), float(np.max(freq, initial=10)) * 1.5
    )
    # names in the margin: the group's terms down from the top, the other side's up from
    # the bottom; each an evenly spaced line, so none can overlap another
    sides = [(top_own, own_color, 0.98, 0.52 if top_other is not None else 0.02, 1)]
    if top_other is not None:
        sides.append((top_other, other_color, 0.02, 0.48, -1))
    for picked, color, start, stop, sign in sides:
        if picked is None or not len(picked):
            continue
        count = len(picked)
        # one fixed step per panel, so a short list stays packed at its end of the margin
        step = (stop - start) / max(slots - 1, 1)
        ys = start + step * np.arange(count)
        for (term, c, zz), y in zip(
            zip(picked["term"], picked["count"], picked["z"], strict=True), ys, strict=False
        ):
            match = rows[rows["term"] == term]
            f = float(match["count"].iat[0] + match["count_other"].iat[0]) if len(match) else None
            if sign < 0:
                zz = -zz  # the other group's z against this one is this panel's -z
            label = f"{textwrap.shorten(term, 34, placeholder='…')}  ({c}, z {abs(zz):.1f})"
            shade = color if bool(match["significant"].iat[0]) else "#8A8A8A"
            margin.annotate(
                label,
                xy=(f, zz) if f is not None else (1, 0),
                xycoords=ax.transData if f is not None else "axes fraction",
                xytext=(0.04, y),
                textcoords="axes fraction",
                fontsize=9,
                color=shade,
                ha="left",
                va="center",
                arrowprops={"arrowstyle": "-", "color": shade, "lw": 0.5, "alpha": 0.55}
                if f is not None
                else None,
                annotation_clip=False,
            )
