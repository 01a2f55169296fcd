"""How each group's framing moves over time: frame shares and axis positions per period.

For each group (``framing profile``'s groups: speaker, or side) and period (ISO week from
Monday, calendar month or quarter) of the sentences' document dates:

- a frame's ``value`` is its **share** of the group's sentences in the period whose top
  frame it is;
- an axis's ``value`` is the **mean position** of those sentences on it (negative: the
  left pole);
- ``low``/``high``: a 95% percentile bootstrap interval over the sentences (Efron &
  Tibshirani 1993), every measure of a cell from the same resamples, the generator seeded
  from ``seed``, the group and the period, so a cell does not depend on the others;
- ``n``: the sentences; ``small_sample``: ``n < min_n``, as ``framing profile`` flags it
  (its interval is printed but too wide or degenerate to trust; plots draw it hollow).

Sentences without a date are left out of the table and counted in ``attrs["undated"]``.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

import numpy as np

from framing.errors import FramingError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["trend_table", "period_of", "FREQS", "TREND_COLUMNS"]

FREQS = ("week", "month", "quarter")
TREND_COLUMNS = (
    "group",
    "period",
    "measure",
    "value",
    "low",
    "high",
    "n",
    "kind",
    "small_sample",
    "period_start",
)
MAX_GROUPS = 8
_CHUNK = 20_000_000  # resample weights held at once (n_boot x n), to bound memory


def check_freq(freq: str) -> str:
    if freq not in FREQS:
        raise FramingError(f"--freq must be one of {', '.join(FREQS)}; got {freq!r}")
    return freq


def period_of(day: date, freq: str) -> tuple[str, date]:
    """(label, first day) of the period holding ``day``: ``2022-02-21`` (the week's
    Monday), ``2022-03`` or ``2022-Q1``."""
    if freq == "week":
        start = day - timedelta(days=day.weekday())
        return start.isoformat(), start
    if freq == "month":
        return f"{day.year}-{day.month:02d}", date(day.year, day.month, 1)
    if freq == "quarter":
        q = (day.month - 1) // 3 + 1
        return f"{day.year}-Q{q}", date(day.year, 3 * q - 2, 1)
    raise FramingError(f"--freq must be one of {', '.join(FREQS)}; got {freq!r}")


def trend_table(
    scores: pd.DataFrame,
    *,
    by: str = "side",
    freq: str = "month",
    frames: Sequence[str] | None = None,
    axes: Sequence[str] | None = None,
    groups: Sequence[str] | None = None,
    max_groups: int = MAX_GROUPS,
    n_boot: int = 1000,
    seed: int = 0,
    min_n: int = 5,
    date_column: str = "date",
) -> pd.DataFrame:
    """Long table (``TREND_COLUMNS``) of frame shares and mean axis positions per group and
    period, from sentence rows (``framing.dataframe.records_to_frame`` columns and a
    ``date_column`` of dates; a missing date leaves the row out, counted in
    ``attrs["undated"]``)."""
    import pandas as pd

    from framing.discover.compare import group_labels

    check_freq(freq)
    if by not in ("speaker", "side"):
        raise FramingError(f"--by must be speaker or side; got {by!r}")
    if isinstance(n_boot, bool) or not isinstance(n_boot, int) or n_boot < 1:
        raise FramingError(f"--boot must be an integer >= 1; got {n_boot!r}")
    if isinstance(min_n, bool) or not isinstance(min_n, int) or min_n < 1:
        raise FramingError(f"--min-n must be an integer >= 1; got {min_n!r}")
    if len(scores) == 0:
        raise FramingError("empty corpus: no sentences")
    if date_column not in scores.columns:
        raise FramingError(f"no column {date_column!r} of dates in the scores")
    frame_ids = list(frames) if frames is not None else _ids(scores, "frame:")
    axis_ids = list(axes) if axes is not None else _ids(scores, "axis:")
    for column in [f"axis:{a}" for a in axis_ids]:
        if column not in scores.columns:
            raise FramingError(f"no column {column!r} in the scores")

    days = [_as_date(v) for v in scores[date_column].tolist()]
    dated = np.array([d is not None for d in days])
    if not dated.any():
        raise FramingError("no sentence has a date")
    labels = np.array(group_labels(scores, by), dtype=object)
    sizes = pd.Series(labels[dated]).value_counts()
    ordered = sorted(sizes.index, key=lambda g: (-sizes[g], g))
    if groups:
        for g in groups:
            if g not in sizes.index:
                shown = ", ".join(ordered[:12])
                raise FramingError(f"--groups: unknown group {g!r} for --by {by} (groups: {shown})")
        chosen = list(dict.fromkeys(groups))
    else:
        chosen = ordered[:max_groups]

    tops = [
        t if isinstance(t, str) else None  # a missing top frame is pandas' NA, not None
        for t in (scores["top_frame"] if "top_frame" in scores.columns else [None] * len(scores))
    ]
    onehot = np.array([[1.0 if t == f else 0.0 for f in frame_ids] for t in tops]).reshape(
        len(scores), len(frame_ids)
    )
    positions = scores[[f"axis:{a}" for a in axis_ids]].to_numpy(dtype=float)
    values = np.hstack([onehot, positions])
    measures = [(f, "frame") for f in frame_ids] + [(a, "axis") for a in axis_ids]

    cells: dict[tuple[str, str], list[int]] = {}
    starts: dict[str, date] = {}
    for k, (day, group) in enumerate(zip(days, labels, strict=True)):
        if day is None or group not in chosen:
            continue
        label, start = period_of(day, freq)
        starts[label] = start
        cells.setdefault((group, label), []).append(k)

    rows = []
    order = {g: i for i, g in enumerate(chosen)}
    for group, period in sorted(cells, key=lambda c: (order[c[0]], starts[c[1]])):
        members = values[cells[(group, period)]]
        n = len(members)
        mean = members.mean(axis=0)
        rng = np.random.default_rng([seed, zlib.crc32(f"{group}\x00{period}".encode())])
        low, high = np.percentile(_bootstrap_means(members, n_boot, rng), [2.5, 97.5], axis=0)
        for j, (measure, kind) in enumerate(measures):
            rows.append(
                {
                    "group": group,
                    "period": period,
                    "measure": measure,
                    "value": _r(mean[j]),
                    "low": _r(low[j]),
                    "high": _r(high[j]),
                    "n": n,
                    "kind": kind,
                    "small_sample": n < min_n,
                    "period_start": starts[period],
                }
            )
    table = pd.DataFrame(rows, columns=list(TREND_COLUMNS))
    table.attrs.update(
        {
            "by": by,
            "freq": freq,
            "groups": chosen,
            "all_groups": len(sizes),
            "undated": int((~dated).sum()),
            "min_n": min_n,
        }
    )
    return table


def _ids(scores: pd.DataFrame, prefix: str) -> list[str]:
    return [c[len(prefix) :] for c in scores.columns if c.startswith(prefix)]


def _as_date(value) -> date | None:
    from framing.discover.dates import parse_date

    if value is None or (isinstance(value, float) and value != value):
        return None
    try:
        import pandas as pd

        if value is pd.NaT or value is pd.NA:
            return None
    except ImportError:  # pragma: no cover
        pass
    return parse_date(value)


def _bootstrap_means(values: np.ndarray, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """(n_boot, k) means of ``values`` (n, k) over resamples of its rows with replacement."""
    n = values.shape[0]
    out = np.empty((n_boot, values.shape[1]))
    step = max(1, _CHUNK // max(n, 1))
    for lo in range(0, n_boot, step):
        hi = min(n_boot, lo + step)
        # multinomial counts are the same resampling as drawing n indices
        counts = rng.multinomial(n, np.full(n, 1.0 / n), size=hi - lo)
        out[lo:hi] = counts @ values / n
    return out


def _r(x: float) -> float:
    return round(float(x), 4) + 0.0
