"""Per-actor framing profiles: scored sentence records aggregated by speaker or by side.

What a profile counts: every sentence record once, under the voice it was attributed to
(``record["speaker"]`` or ``record["side"]``): a sentence mostly inside Putin's quotation
counts for Putin, a sentence of reported speech for the one reported, narration for the
author. With ``by="side"`` the narration of an author without a side (a journalist) forms
its own group, ``author``; narration whose author has a side (a speech's speaker, a
``--speaker-field`` channel the actors registry places) counts for that side. A
scare-quoted term of another actor inside an author's sentence adds nothing to that
sentence's lexical score (scoring counts a sentence's own voice only); ``term_usage``
counts such terms for the actor who used them.

Per group and frame:

- ``mean``: the mean combined score of the group's sentences for the frame;
- ``top_share``: the share of the group's sentences whose top frame is that frame;
- ``n``: the number of sentences;
- 95% intervals by the percentile bootstrap over sentences (Efron & Tibshirani 1993,
  ch. 13): resample the group's sentences with replacement ``n_boot`` times, recompute
  the statistic, take the 2.5th and 97.5th percentiles. Every frame of a group uses the
  same resamples. The random generator is seeded from ``seed`` and the group's name, so
  results do not depend on which other groups are present.
- ``small_sample``: ``n < min_n``; such intervals are too wide (or degenerate, for n = 1)
  to trust, and tables print the number with an ``n<5`` mark instead of an interval.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence

import numpy as np

from framing.errors import FramingError
from framing.records import AUTHOR_GROUP, BY, group_records

__all__ = ["profile_records", "axis_positions", "group_records", "term_usage", "BY"]

ROUND = 4
_CHUNK = 20_000_000  # resample weights held at once (n_boot x n), to bound memory


def _check(by: str, n_boot: int, min_n: int) -> None:
    if by not in BY:
        raise FramingError(f"--by must be one of {', '.join(BY)}; got {by!r}")
    if isinstance(n_boot, bool) or not isinstance(n_boot, int) or n_boot < 1:
        raise FramingError(f"--boot must be an integer >= 1; got {n_boot!r}")
    if isinstance(min_n, bool) or not isinstance(min_n, int) or min_n < 1:
        raise FramingError(f"--min-n must be an integer >= 1; got {min_n!r}")


def _rng(seed: int, group: str) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(group.encode("utf-8"))])


def _bootstrap_means(values: np.ndarray, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """(n_boot, k) means of ``values`` (n, k) over resamples of its rows with replacement."""
    n = values.shape[0]
    out = np.empty((n_boot, values.shape[1]))
    step = max(1, _CHUNK // max(n, 1))
    for lo in range(0, n_boot, step):
        hi = min(n_boot, lo + step)
        # Multinomial counts are the same resampling as drawing n indices, in n_boot x n memory.
        counts = rng.multinomial(n, np.full(n, 1.0 / n), size=hi - lo)
        out[lo:hi] = counts @ values / n
    return out


def _interval(boot: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    low, high = np.percentile(boot, [2.5, 97.5], axis=0)
    return low, high


def _r(x: float) -> float:
    return round(float(x), ROUND) + 0.0


def _keys(records: Sequence[dict], field: str) -> list[str]:
    keys: dict[str, None] = {}
    for r in records:
        for k in r.get(field) or {}:
            keys.setdefault(k, None)
    return list(keys)


def profile_records(
    records: Iterable[dict],
    by: str = "speaker",
    frames: Sequence[str] | None = None,
    n_boot: int = 1000,
    seed: int = 0,
    min_n: int = 5,
) -> list[dict]:
    """Actor x frame rows: mean combined score and top-frame share, with 95% bootstrap
    intervals, per group of sentences (see the module docstring for what is counted)."""
    _check(by, n_boot, min_n)
    records = list(records)
    frame_ids = list(frames) if frames is not None else _keys(records, "frames")
    rows: list[dict] = []
    for group, members in group_records(records, by).items():
        n = len(members)
        scores = np.array(
            [[float(r["frames"].get(f, 0.0)) for f in frame_ids] for r in members]
        ).reshape(n, len(frame_ids))
        tops = np.array(
            [[1.0 if r.get("top_frame") == f else 0.0 for f in frame_ids] for r in members]
        ).reshape(n, len(frame_ids))
        both = np.hstack([scores, tops])
        boot = _bootstrap_means(both, n_boot, _rng(seed, group))
        low, high = _interval(boot)
        mean = both.mean(axis=0)
        k = len(frame_ids)
        for j, frame in enumerate(frame_ids):
            rows.append(
                {
                    "group": group,
                    "frame": frame,
                    "n": n,
                    "mean": _r(mean[j]),
                    "mean_low": _r(low[j]),
                    "mean_high": _r(high[j]),
                    "top_share": _r(mean[k + j]),
                    "top_share_low": _r(low[k + j]),
                    "top_share_high": _r(high[k + j]),
                    "small_sample": n < min_n,
                }
            )
    return rows


def axis_positions(
    records: Iterable[dict],
    by: str = "speaker",
    axes: Sequence[str] | None = None,
    n_boot: int = 1000,
    seed: int = 0,
    min_n: int = 5,
) -> list[dict]:
    """Group x axis rows: mean FrameAxis position (negative: the left pole) with a 95%
    bootstrap interval over the group's sentences."""
    _check(by, n_boot, min_n)
    records = list(records)
    axis_ids = list(axes) if axes is not None else _keys(records, "axes")
    rows: list[dict] = []
    for group, members in group_records(records, by).items():
        n = len(members)
        values = np.array(
            [[float(r["axes"].get(a, 0.0)) for a in axis_ids] for r in members]
        ).reshape(n, len(axis_ids))
        boot = _bootstrap_means(values, n_boot, _rng(seed, group))
        low, high = _interval(boot)
        mean = values.mean(axis=0)
        for j, axis in enumerate(axis_ids):
            rows.append(
                {
                    "group": group,
                    "axis": axis,
                    "n": n,
                    "mean": _r(mean[j]),
                    "low": _r(low[j]),
                    "high": _r(high[j]),
                    "small_sample": n < min_n,
                }
            )
    return rows


def term_usage(records: Iterable[dict], by: str = "speaker") -> list[dict]:
    """Which lexicon terms each actor uses: one row per group, frame and term.

    Counts every hit under the voice of the words it stands in (``hit["speaker"]``), so
    'which Moscow calls a "special military operation"' counts the term for Moscow even
    inside the author's sentence. ``uses`` counts hits that are not negated, ``negated``
    the others ("this is not a real war"), ``quoted`` those inside quotation marks, and
    ``docs`` the documents it occurs in. Groups with most uses first, then terms by uses.
    """
    if by not in BY:
        raise FramingError(f"--by must be one of {', '.join(BY)}; got {by!r}")
    counts: dict[tuple[str, str, str], dict] = {}
    for record in records:
        for hit in record.get("hits", []):
            speaker = hit.get("speaker") or record.get("speaker") or AUTHOR_GROUP
            narrated = speaker == record.get("speaker") and record.get("voice_kind") == "author"
            if by == "speaker":
                group = speaker
            else:
                side = (record.get("side") if narrated else hit.get("side")) or "unknown"
                group = AUTHOR_GROUP if narrated and side == "unknown" else side
            row = counts.setdefault(
                (group, hit["frame"], hit["term"]),
                {"uses": 0, "negated": 0, "quoted": 0, "docs": set()},
            )
            row["negated" if hit.get("negated") else "uses"] += 1
            row["quoted"] += bool(hit.get("quoted"))
            row["docs"].add(record.get("doc"))
    totals: dict[str, int] = {}
    for (group, _, _), row in counts.items():
        totals[group] = totals.get(group, 0) + row["uses"]
    ordered = sorted(
        counts.items(),
        key=lambda kv: (-totals[kv[0][0]], kv[0][0], -kv[1]["uses"], kv[0][1], kv[0][2]),
    )
    return [
        {
            "group": group,
            "frame": frame,
            "term": term,
            "uses": row["uses"],
            "negated": row["negated"],
            "quoted": row["quoted"],
            "docs": len(row["docs"]),
        }
        for (group, frame, term), row in ordered
    ]
