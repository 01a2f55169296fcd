"""Figures of the discovery commands, from tables already computed (matplotlib, Agg):
``compare_figure`` (Fightin' Words: frequency against z, each side's top terms named) and
``trend_figure`` (small multiples: one panel per frame or axis, one line per group); the
interactive page of the trend is ``framing.discover.trend_page``."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from framing.plots.style import literal_text  # labels from data are never mathtext

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["compare_figure", "trend_figure", "group_colors", "save", "DPI"]

DPI = 150  # enough for print; a 20,000-term panel stays under a megabyte
GREY = "#BDBDBD"


def group_colors(groups: Sequence[str]) -> dict[str, str]:
    """Sides keep the colours every framing figure gives them; other groups take the
    categorical palette in order, skipping its grey and any colour too close to one already
    given (tab10's blue beside the Ukraine side's blue would be one line in two)."""
    from framing.plots import CATEGORICAL, SIDE_COLORS

    out: dict[str, str] = {g: SIDE_COLORS[g] for g in groups if g in SIDE_COLORS}
    palette = [c for c in CATEGORICAL if c.lower() != "#7f7f7f"]
    free = iter(palette)
    for g in groups:
        if g in out:
            continue
        color = next((c for c in free if _apart(c, out.values())), None)
        if color is None:  # more groups than distinct colours: reuse in order
            color = palette[len(out) % len(palette)]
        out[g] = color
    return {g: out[g] for g in groups}


def _apart(color: str, taken, least: float = 60.0) -> bool:
    """Whether ``color`` is at least ``least`` apart (RGB distance) from every taken one."""

    def rgb(c: str) -> np.ndarray:
        return np.array([int(c[k : k + 2], 16) for k in (1, 3, 5)], dtype=float)

    return all(np.linalg.norm(rgb(color) - rgb(t)) >= least for t in taken)


def _figure(width: float, height: float):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


@literal_text
def save(fig, stream, fmt: str) -> None:
    """Write a figure to an open binary stream; no dates in the file, so the same data gives
    the same bytes."""
    metadata = {"Date": None} if fmt == "svg" else {}
    fig.savefig(stream, format=fmt, dpi=DPI, facecolor="white", metadata=metadata)


# --- compare --------------------------------------------------------------------------


@literal_text
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


# --- trend ----------------------------------------------------------------------------


def _measure_title(measure: str, kind: str, axis_poles: dict[str, tuple[str, str]]) -> str:
    if kind == "axis":
        left, right = axis_poles.get(measure, ("left", "right"))
        return f"{measure}\n(mean; − {left}, + {right})"
    return f"{measure}\n(share of sentences, top frame)"


def _drawn(table: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The rows worth a panel: a frame that is no sentence's top frame in any cell would
    draw an empty panel, so it is left out and named instead."""
    frames = table[table["kind"] == "frame"]
    shown = frames.groupby("measure", sort=False)["value"].max()
    dropped = [m for m, v in shown.items() if v <= 0]
    return table[~((table["kind"] == "frame") & table["measure"].isin(dropped))], dropped


BANDS_UP_TO = 4  # more groups' bands pile into one grey: their intervals stay in the CSV/HTML


def value_range(part: pd.DataFrame, kind: str, *, bands: bool = True) -> tuple[float, float]:
    """The y range of one panel: set by the cells that are not small samples (with their
    intervals where bands are drawn), so one group's three-sentence month at 100% cannot
    flatten every other line; frames from 0, axes around 0."""
    trusted = part[~part["small_sample"].astype(bool)]
    if not len(trusted):
        trusted = part
    columns = ["value", "low", "high"] if bands else ["value"]
    values = trusted[columns].to_numpy(dtype=float).ravel()
    values = values[np.isfinite(values)]
    if kind == "frame":
        top = max(float(values.max(initial=0.0)), 0.02)
        return 0.0, 1.0 if top >= 0.95 else min(1.0, top * 1.08)
    low, high = min(float(values.min(initial=0.0)), 0.0), max(float(values.max(initial=0.0)), 0.0)
    if high - low < 1e-6:
        low, high = -0.05, 0.05
    pad = 0.06 * (high - low)
    return low - pad, high + pad


@literal_text
def trend_figure(
    table: pd.DataFrame,
    *,
    axis_poles: dict[str, tuple[str, str]] | None = None,
    title: str = "",
):
    """Small multiples: one panel per frame (share of sentences whose top frame it is) and
    per axis (mean position), one line per group over the periods, with its 95% interval
    as a band (up to ``BANDS_UP_TO`` groups); periods with few sentences are hollow points
    outside the line, drawn as a triangle on the panel's edge when off its scale."""
    import matplotlib.dates as mdates
    from matplotlib.lines import Line2D
    from matplotlib.ticker import PercentFormatter

    poles = axis_poles or {}
    table, dropped = _drawn(table)
    measures = list(dict.fromkeys(zip(table["measure"], table["kind"], strict=True)))
    groups = list(dict.fromkeys(table["group"]))
    colors = group_colors(groups)
    bands = len(groups) <= BANDS_UP_TO
    n = max(len(measures), 1)
    ncols = 4 if n > 6 else 3 if n > 4 else max(n, 1)
    nrows = int(np.ceil(n / ncols))
    fig = _figure(4.3 * ncols, 3.1 * nrows + 1.3)
    fig.set_layout_engine("constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False, sharex=True)
    for k, (measure, kind) in enumerate(measures):
        ax = axes[k // ncols][k % ncols]
        part = table[(table["measure"] == measure) & (table["kind"] == kind)]
        y_low, y_high = value_range(part, kind, bands=bands)
        for group in groups:
            rows = part[part["group"] == group].sort_values("period_start")
            if not len(rows):
                continue
            x = np.array([np.datetime64(d) for d in rows["period_start"]])
            y = rows["value"].to_numpy(dtype=float)
            small = rows["small_sample"].to_numpy(dtype=bool)
            color = colors[group]
            # a small sample's value is too unsure to draw a trend through: it stands alone
            ax.plot(x, np.where(small, np.nan, y), color=color, lw=1.6 if bands else 1.3)
            band = ~small
            if bands and band.any():
                ax.fill_between(
                    x,
                    np.where(band, rows["low"], np.nan),
                    np.where(band, rows["high"], np.nan),
                    color=color,
                    alpha=0.15,
                    lw=0,
                )
            ax.scatter(x[band], y[band], color=color, s=14 if bands else 10, zorder=3)
            inside = small & (y >= y_low) & (y <= y_high)
            ax.scatter(
                x[inside], y[inside], facecolors="white", edgecolors=color, s=18, zorder=3, lw=1.1
            )
            for off, edge, marker in ((y > y_high, y_high, "^"), (y < y_low, y_low, "v")):
                if (small & off).any():
                    ax.scatter(
                        x[small & off],
                        np.full(int((small & off).sum()), edge),
                        marker=marker,
                        facecolors="white",
                        edgecolors=color,
                        s=26,
                        lw=1.1,
                        zorder=4,
                        clip_on=False,
                    )
        ax.set_ylim(y_low, y_high)
        if kind == "axis":
            ax.axhline(0, color="#888888", lw=0.6)
        else:
            ticks = ax.get_yticks()
            step = 100 * float(ticks[1] - ticks[0]) if len(ticks) > 1 else 1.0
            # as many decimals as the tick step needs: 0.5% steps are not printed as 0% 1% 1%
            decimals = next((d for d in range(4) if abs(round(step, d) - step) < 1e-9), 3)
            ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=decimals))
        ax.set_title(_measure_title(measure, kind, poles), fontsize=10, loc="left")
        ax.grid(alpha=0.25, lw=0.5)
        ax.tick_params(labelsize=8, labelbottom=True)
        locator = mdates.AutoDateLocator(minticks=3, maxticks=6)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    for k in range(len(measures), nrows * ncols):
        axes[k // ncols][k % ncols].set_visible(False)
    handles = [Line2D([], [], color=colors[g], lw=2, marker="o", ms=4, label=g) for g in groups]
    freq = table.attrs.get("freq", "period")
    min_n = table.attrs.get("min_n", 5)
    intervals = (
        "bands 95% bootstrap intervals"
        if bands
        else f"{len(groups)} groups: 95% intervals in trend.csv and trend.html, not drawn"
    )
    fig.suptitle(
        title
        or f"Framing by {freq}, one line per {table.attrs.get('by', 'group')}; {intervals}; "
        f"hollow points: fewer than {min_n} sentences (a triangle: off the scale)"
        + (f"\nnever a top frame (not drawn): {', '.join(dropped)}" if dropped else ""),
        fontsize=12,
        x=0.01,
        ha="left",
    )
    fig.legend(
        handles=handles,
        loc="outside lower center",
        ncols=min(len(groups), 8),
        fontsize=10,
        frameon=False,
    )
    return fig
