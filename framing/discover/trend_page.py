"""trend.html: the trend figure as one small self-contained page, drawn as inline SVG.

A trend table is aggregate (groups x periods x measures: a few thousand numbers at most),
so the page draws it directly: one SVG per panel, a line per group with its 95% interval
as a band, hollow points for small samples, a tooltip per point, and a legend that hides a
group in every panel (click) or brings it forward (hover). plotly.js inline, as map.html
carries it, is 4.8 MB for these few numbers; this page is a few hundred kB and needs no
script from the network either."""

from __future__ import annotations

import html
import json
import math
from datetime import date
from typing import TYPE_CHECKING

from framing.discover.figures import BANDS_UP_TO, _drawn, group_colors, value_range

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["trend_html"]

# one panel's drawing box in SVG units; the page scales it to the window
WIDTH, HEIGHT = 340, 230
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 44, 26
MAX_X_TICKS = 5


def _nice_step(span: float, count: int = 4) -> float:
    """A round step (1, 2, 2.5 or 5 x 10^k) giving about ``count`` intervals over ``span``."""
    raw = span / max(count, 1)
    if raw <= 0 or not math.isfinite(raw):
        return 1.0
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * power:
            return m * power
    return 10 * power


def _ticks(low: float, high: float) -> list[float]:
    step = _nice_step(high - low)
    first = math.ceil(low / step - 1e-9)
    last = math.floor(high / step + 1e-9)
    return [round(k * step, 10) + 0.0 for k in range(first, last + 1)]


def _label(value: float, kind: str, step: float) -> str:
    scale = 100.0 if kind == "frame" else 1.0
    # as many decimals as the step needs: a 0.025 step is not printed as 0.03
    decimals = next((d for d in range(7) if abs(round(step * scale, d) - step * scale) < 1e-9), 6)
    if kind == "frame":
        return f"{value:.{decimals}%}"
    return f"{value:+.{decimals}f}" if value else "0"


def _f(x: float) -> str:
    return f"{x:.1f}"


def _panel(
    index: int,
    part: pd.DataFrame,
    measure: str,
    kind: str,
    note: str,
    groups: list[str],
    colors: dict[str, str],
    periods: list[tuple[date, str]],
) -> str:
    """One panel's <svg>: gridlines and ticks, then per group a band, a line and points."""
    first, last = periods[0][0].toordinal(), periods[-1][0].toordinal()
    span = max(last - first, 1)
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x_of(day: date) -> float:
        if last == first:
            return LEFT + inner_w / 2
        return LEFT + inner_w * (day.toordinal() - first) / span

    bands = len(groups) <= BANDS_UP_TO
    y_low, y_high = value_range(part, kind, bands=bands)

    def y_of(v: float) -> float:
        return TOP + inner_h * (1 - (v - y_low) / (y_high - y_low))

    out = [
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{html.escape(measure)} by period">',
        f'<text class="pt" x="4" y="15">{html.escape(measure)}</text>',
        f'<text class="pn" x="4" y="30">{html.escape(note)}</text>',
        f'<clipPath id="clip{index}"><rect x="{LEFT}" y="{TOP}" width="{inner_w}" '
        f'height="{inner_h}"/></clipPath>',
    ]
    ticks = _ticks(y_low, y_high)
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    for t in ticks:
        y = _f(y_of(t))
        zero = kind == "axis" and t == 0
        out.append(
            f'<line class="{"zero" if zero else "grid"}" x1="{LEFT}" x2="{WIDTH - RIGHT}" '
            f'y1="{y}" y2="{y}"/><text class="yt" x="{LEFT - 4}" y="{y}">'
            f"{_label(t, kind, step)}</text>"
        )
    every = max(1, math.ceil(len(periods) / MAX_X_TICKS))
    for day, label in periods[::every]:
        x = _f(x_of(day))
        out.append(
            f'<line class="grid" x1="{x}" x2="{x}" y1="{TOP}" y2="{HEIGHT - BOTTOM}"/>'
            f'<text class="xt" x="{x}" y="{HEIGHT - BOTTOM + 14}">{html.escape(label)}</text>'
        )
    fmt = "{:.0%}" if kind == "frame" else "{:+.3f}"
    for k, group in enumerate(groups):
        rows = part[part["group"] == group].sort_values("period_start")
        if not len(rows):
            continue
        color = colors[group]
        xs = [x_of(d) for d in rows["period_start"]]
        value = rows["value"].astype(float).tolist()
        low = rows["low"].astype(float).tolist()
        high = rows["high"].astype(float).tolist()
        small = rows["small_sample"].astype(bool).tolist()
        out.append(f'<g class="grp{"" if bands else " many"}" data-g="{k}" style="--c:{color}">')
        out.append(f'<g clip-path="url(#clip{index})">')
        # bands and lines over runs of cells that are not small samples, as the PNG draws
        # them: a small sample's value is too unsure to draw a trend through
        run: list[int] = []
        for j in [*range(len(rows)), None]:
            if j is not None and not small[j]:
                run.append(j)
                continue
            if run:
                upper = " ".join(f"{_f(xs[i])},{_f(y_of(high[i]))}" for i in run)
                lower = " ".join(f"{_f(xs[i])},{_f(y_of(low[i]))}" for i in reversed(run))
                out.append(f'<polygon class="band" points="{upper} {lower}"/>')
                line = " ".join(f"{_f(xs[i])},{_f(y_of(value[i]))}" for i in run)
                out.append(f'<polyline class="line" points="{line}"/>')
            run = []
        out.append("</g>")
        for i, (period, n) in enumerate(zip(rows["period"], rows["n"], strict=True)):
            tip = (
                f"{group} · {period}\n{measure}: {fmt.format(value[i])} "
                f"[{fmt.format(low[i])}, {fmt.format(high[i])}]\n{int(n):,} sentences"
                + (" (few: interval not to be trusted)" if small[i] else "")
            )
            x, y = _f(xs[i]), y_of(value[i])
            if small[i] and not y_low <= value[i] <= y_high:
                # off the scale (set by the trusted cells): a triangle on the edge
                edge = TOP if value[i] > y_high else TOP + inner_h
                d = -1 if value[i] > y_high else 1
                shape = (
                    f"{x},{_f(edge + 4 * d)} {_f(xs[i] - 4)},{_f(edge - 3 * d)} "
                    f"{_f(xs[i] + 4)},{_f(edge - 3 * d)}"
                )
                out.append(
                    f'<polygon class="small" points="{shape}" data-tip="{html.escape(tip)}"/>'
                )
                continue
            out.append(
                f'<circle class="{"small" if small[i] else "pt"}" cx="{x}" '
                f'cy="{_f(y)}" r="3" data-tip="{html.escape(tip)}"/>'
            )
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)


_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 1.5rem 2rem;
       color: #222; }
h1 { font-size: 1.5rem; margin: 0 0 .2rem; }
p.sub { color: #555; margin: 0 0 .8rem; }
#keys { display: flex; flex-wrap: wrap; gap: .3rem .9rem; margin: .4rem 0 .8rem; }
#keys button { font: inherit; font-size: .9rem; background: none; border: 0; padding: .1rem;
               cursor: pointer; color: #222; }
#keys button.off { color: #aaa; text-decoration: line-through; }
#keys i { display: inline-block; width: 1.4em; height: .3em; margin-right: .4em;
          vertical-align: middle; background: var(--c); }
#panels { display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr));
          gap: .6rem 1rem; }
svg { width: 100%; height: auto; overflow: visible; }
svg text { font-size: 10px; fill: #444; }
svg .pt { font-size: 12px; font-weight: 600; fill: #222; }
svg .pn { font-size: 10px; fill: #666; }
svg .yt { text-anchor: end; dominant-baseline: middle; }
svg .xt { text-anchor: middle; }
svg .grid { stroke: #e6e6e6; stroke-width: .6; }
svg .zero { stroke: #888; stroke-width: .7; }
.grp .band { fill: var(--c); fill-opacity: .13; stroke: none; }
.grp .line { fill: none; stroke: var(--c); stroke-width: 1.6; stroke-linejoin: round; }
.grp circle { fill: var(--c); stroke: var(--c); stroke-width: 1.2; }
.grp .small { fill: #fff; stroke: var(--c); stroke-width: 1.2; }
.grp.many .band { display: none; }
body.focus .grp.many.on .band { display: inline; }
.grp.off { display: none; }
body.focus .grp { opacity: .12; }
body.focus .grp.on { opacity: 1; }
#tip { position: fixed; pointer-events: none; background: #fff; border: 1px solid #bbb;
       padding: .3rem .5rem; font-size: .8rem; white-space: pre; display: none;
       box-shadow: 0 1px 4px rgba(0,0,0,.15); }
details { margin-top: 1rem; color: #444; }
pre { background: #f6f6f6; padding: .8rem; overflow-x: auto; font-size: .8rem; }
"""

_SCRIPT = """
(() => {
  const tip = document.getElementById("tip");
  const groups = g => document.querySelectorAll(`.grp[data-g="${g}"]`);
  for (const key of document.querySelectorAll("#keys button")) {
    const g = key.dataset.g;
    key.addEventListener("click", () => {
      key.classList.toggle("off");
      groups(g).forEach(e => e.classList.toggle("off"));
    });
    key.addEventListener("mouseenter", () => {
      document.body.classList.add("focus");
      groups(g).forEach(e => e.classList.add("on"));
    });
    key.addEventListener("mouseleave", () => {
      document.body.classList.remove("focus");
      groups(g).forEach(e => e.classList.remove("on"));
    });
  }
  document.addEventListener("mouseover", e => {
    const t = e.target.dataset && e.target.dataset.tip;
    tip.style.display = t ? "block" : "none";
    if (t) tip.textContent = t;
  });
  document.addEventListener("mousemove", e => {
    tip.style.left = (e.clientX + 12) + "px";
    tip.style.top = (e.clientY + 12) + "px";
  });
})();
"""


def trend_html(
    table: pd.DataFrame,
    *,
    axis_poles: dict[str, tuple[str, str]] | None = None,
    title: str = "Framing over time",
    subtitle: str = "",
    provenance: dict | None = None,
) -> str:
    """One self-contained HTML page (inline SVG, no external script): the trend figure's
    panels, a tooltip per point with value, interval and sentences; click a group in the
    legend to hide it in every panel, hover it to bring it forward."""
    poles = axis_poles or {}
    table, dropped = _drawn(table)
    measures = list(dict.fromkeys(zip(table["measure"], table["kind"], strict=True)))
    groups = list(dict.fromkeys(table["group"]))
    colors = group_colors(groups)
    periods = sorted(set(zip(table["period_start"], table["period"], strict=True)))
    panels = []
    for measure, kind in measures:
        part = table[(table["measure"] == measure) & (table["kind"] == kind)]
        if kind == "axis":
            left, right = poles.get(measure, ("left", "right"))
            note = f"mean position; − {left}, + {right}"
        else:
            note = "share of sentences (top frame)"
        panels.append(_panel(len(panels), part, measure, kind, note, groups, colors, periods))
    keys = "".join(
        f'<button type="button" data-g="{k}" style="--c:{colors[g]}"><i></i>{html.escape(g)}'
        "</button>"
        for k, g in enumerate(groups)
    )
    skipped = (
        f'<p class="sub">Never a top frame (not drawn): {html.escape(", ".join(dropped))}</p>'
        if dropped
        else ""
    )
    prov = json.dumps(provenance or {}, ensure_ascii=False, indent=2, default=str)
    prov_script = prov.replace("</", "<\\/")  # a "</script>" in a path cannot end the block
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>{_STYLE}</style>
</head>
<body>
<h1>{html.escape(title)}</h1>
<p class="sub">{html.escape(subtitle)}</p>
<div id="keys">{keys}</div>
<div id="panels">
{chr(10).join(panels)}
</div>
{skipped}
<p class="sub">Frames: share of the group's sentences in the period whose top frame it is;
axes: mean position (negative: the left pole). Bands: 95% bootstrap intervals (with more
than {BANDS_UP_TO} groups, only for the group under the pointer in the legend); hollow points:
periods with few sentences, outside the lines (a triangle: off the scale). Click a group
above to hide or show it in every panel; hover it to bring it forward; hover a point for
its figures.</p>
<div id="tip"></div>
<details><summary>How this page was made</summary><pre>{html.escape(prov)}</pre></details>
<script type="application/json" id="framing-provenance">{prov_script}</script>
<script>{_SCRIPT}</script>
</body>
</html>
"""
