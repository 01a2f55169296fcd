"""Which terms and frames set one group of speakers apart from another (Fightin' Words).

Terms are the 1- to 3-grams of each speaker's own words (``framing.discover.voices``): a
term quoted from Moscow inside a journalist's sentence counts for Moscow. Frames are the
sentences' top frames, counted for the sentence's voice (as ``framing profile`` counts
them). Both are compared with the log-odds ratio with an informative Dirichlet prior
(``framing.discover.logodds``): each group against the rest of the corpus, or group A
against group B.

Groups follow ``framing profile``'s rule (``framing.records.group_records``): by speaker,
or by side, where narration by an author without a side is its own group, ``author``.

The result is long: one row per group and term, ``group``, ``versus`` (``rest`` or the
other group), ``term``, ``kind`` (``term`` or ``frame``), ``count`` (uses by the group),
``rate`` (terms: per 1,000 of the group's words; frames: share of its sentences),
``count_other`` (uses by the other side of the comparison), ``z`` (positive: the group's
mark), ``q`` (Benjamini-Hochberg) and ``significant`` (q < 0.05). Sorted by group, then z
descending, so a group's first rows are its signature.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from framing.discover.logodds import FDR, PRIOR_SCALE, bh_qvalues, log_odds_z
from framing.discover.voices import ngrams
from framing.errors import FramingError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "compare_groups",
    "group_labels",
    "resolve_groups",
    "signature",
    "COMPARE_COLUMNS",
    "REST",
    "MAX_GROUPS",
]

COMPARE_COLUMNS = (
    "group",
    "versus",
    "term",
    "kind",
    "count",
    "rate",
    "count_other",
    "z",
    "q",
    "significant",
)
REST = "rest"
MAX_GROUPS = 8  # more panels than this are no longer readable side by side
MIN_COUNT = 3
NO_FRAME = "\x00no frame"  # sentences without a top frame: in the totals, never reported


def group_labels(frame: pd.DataFrame, by: str) -> list[str]:
    """Each row's group under ``framing profile``'s rule (columns speaker, side, voice_kind)."""
    from framing.records import group_records

    rows = [
        {"speaker": sp, "side": si, "voice_kind": vk, "_row": k}
        for k, (sp, si, vk) in enumerate(
            zip(
                _column(frame, "speaker"),
                _column(frame, "side"),
                _column(frame, "voice_kind"),
                strict=True,
            )
        )
    ]
    labels = [""] * len(rows)
    for group, members in group_records(rows, by).items():
        for m in members:
            labels[m["_row"]] = group
    return labels


def _column(frame: pd.DataFrame, name: str) -> list:
    if name not in frame.columns:
        return [None] * len(frame)
    return [None if _missing(v) else v for v in frame[name].tolist()]


def _missing(value) -> bool:
    import pandas as pd

    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def resolve_groups(
    sizes: dict[str, int], groups: Sequence[str] | None, by: str, max_groups: int = MAX_GROUPS
) -> tuple[list[str], bool]:
    """The groups to compare and whether the comparison is pairwise (A against B).

    No ``groups``: the ``max_groups`` largest, each against the rest. Two groups: the first
    against the second. One, or more than two: each named group against the rest."""
    known = sorted(sizes, key=lambda g: (-sizes[g], g))
    if len(known) < 2 and not groups:
        only = known[0] if known else "none"
        raise FramingError(f"--by {by}: only one group ({only}); nothing to compare it with")
    if not groups:
        return known[:max_groups], False
    wanted = list(dict.fromkeys(g.strip() for g in groups if g.strip()))
    for g in wanted:
        if g not in sizes:
            shown = ", ".join(known[:12]) + (
                f", ... ({len(known)} in all)" if len(known) > 12 else ""
            )
            raise FramingError(f"--groups: unknown group {g!r} for --by {by} (groups: {shown})")
    if not wanted:
        raise FramingError("--groups: give group names separated by commas, e.g. russia,ukraine")
    if len(wanted) == 1 and len(known) < 2:
        raise FramingError(f"--groups: {wanted[0]!r} is the only group; nothing to compare it with")
    return wanted, len(wanted) == 2


def compare_groups(
    segments: pd.DataFrame,
    scores: pd.DataFrame | None = None,
    *,
    by: str = "speaker",
    groups: Sequence[str] | None = None,
    max_groups: int = MAX_GROUPS,
    min_count: int = MIN_COUNT,
    n_max: int = 3,
    frames: Sequence[str] | None = None,
    prior_scale: float = PRIOR_SCALE,
) -> pd.DataFrame:
    """Distinctive terms (from ``segments``, see ``voice_segments``) and frames (from
    ``scores``, sentence rows with speaker, side, voice_kind and top_frame) of each group,
    as a long table (columns ``COMPARE_COLUMNS``); every term used ``min_count`` times or
    more in the compared groups is listed."""
    import pandas as pd

    if by not in ("speaker", "side"):
        raise FramingError(f"--by must be speaker or side; got {by!r}")
    if isinstance(min_count, bool) or not isinstance(min_count, int) or min_count < 1:
        raise FramingError(f"--min-count must be an integer >= 1; got {min_count!r}")
    if not 1 <= n_max <= 5:
        raise FramingError(f"n-grams up to n_max in 1..5; got {n_max!r}")
    if len(segments) == 0 and (scores is None or len(scores) == 0):
        raise FramingError("empty corpus: no sentences to compare")

    term_counts, words = _term_counts(segments, by, n_max)
    frame_counts, sentences = (
        _frame_counts(scores, by, frames) if scores is not None else ({}, Counter())
    )
    sizes = {g: words.get(g, 0) + sentences.get(g, 0) for g in set(words) | set(sentences)}
    chosen, pairwise = resolve_groups(sizes, groups, by, max_groups)

    rows: list[pd.DataFrame] = []
    for kind, counts, per in (("term", term_counts, words), ("frame", frame_counts, sentences)):
        if not counts:
            continue
        everything: Counter = Counter()
        for c in counts.values():
            everything.update(c)
        vocabulary = sorted(everything)
        total = np.array([everything[t] for t in vocabulary], dtype=float)
        # vectors for the compared groups only: a corpus has hundreds of speakers
        matrix = {
            g: np.array([counts[g].get(t, 0) for t in vocabulary], dtype=float)
            for g in chosen
            if g in counts
        }
        empty = np.zeros(len(vocabulary))
        reportable = np.array([t != NO_FRAME for t in vocabulary])
        pairs = (
            [(chosen[0], chosen[1]), (chosen[1], chosen[0])]
            if pairwise
            else [(g, REST) for g in chosen]
        )
        for group, versus in pairs:
            own = matrix.get(group, empty)
            other = matrix.get(versus, empty) if pairwise else total - own
            _, z = log_odds_z(own, other, prior=own + other, prior_scale=prior_scale)
            keep = (own + other >= (min_count if kind == "term" else 1)) & reportable
            if not keep.any():
                continue
            size = per.get(group, 0)
            # a group with no words of this kind (no sentences it voices) has no rate
            scale = ((1000.0 if kind == "term" else 1.0) / size) if size else 0.0
            part = pd.DataFrame(
                {
                    "group": group,
                    "versus": versus,
                    "term": np.array(vocabulary, dtype=object)[keep],
                    "kind": kind,
                    "count": own[keep].astype(int),
                    "rate": np.round(own[keep] * scale if size else 0.0, 4),
                    "count_other": other[keep].astype(int),
                    "z": np.round(z[keep], 4),
                }
            )
            part["q"] = np.round(bh_qvalues(part["z"].to_numpy()), 6)
            part["significant"] = part["q"] < FDR
            rows.append(part)
    if not rows:
        raise FramingError(
            f"no term is used {min_count} times or more by the compared groups; "
            "lower --min-count or give a larger corpus"
        )
    table = pd.concat(rows, ignore_index=True)
    order = {g: k for k, g in enumerate(chosen)}
    table["_order"] = table["group"].map(order)
    table = table.sort_values(
        ["_order", "z", "kind", "term"], ascending=[True, False, True, True], kind="mergesort"
    )
    table = table.drop(columns="_order").reset_index(drop=True)
    table.attrs.update({"by": by, "groups": chosen, "pairwise": pairwise, "sizes": sizes})
    return table[list(COMPARE_COLUMNS)]


def _term_counts(segments: pd.DataFrame, by: str, n_max: int) -> tuple[dict, Counter]:
    counts: dict[str, Counter] = {}
    words: Counter = Counter()
    if len(segments) == 0:
        return counts, words
    for text, group in zip(segments["text"].tolist(), group_labels(segments, by), strict=True):
        counts.setdefault(group, Counter()).update(ngrams(text, n_max))
        words[group] += text.count(" ") + 1
    return counts, words


def _frame_counts(scores: pd.DataFrame, by: str, frames: Sequence[str] | None) -> tuple:
    counts: dict[str, Counter] = {}
    sentences: Counter = Counter()
    if len(scores) == 0:
        return counts, sentences
    known = (
        list(frames)
        if frames is not None
        else [c.split(":", 1)[1] for c in scores.columns if c.startswith("frame:")]
    )
    for top, group in zip(_column(scores, "top_frame"), group_labels(scores, by), strict=True):
        c = counts.setdefault(group, Counter({f: 0 for f in known}))
        c[top if top else NO_FRAME] += 1
        sentences[group] += 1
    return counts, sentences


def signature(table: pd.DataFrame, top: int = 20, kind: str | None = None) -> pd.DataFrame:
    """Each group's ``top`` rows by z (positive z only), per kind, in table order.

    A term nested in a longer one of the same group that is used nearly as often ("special
    military" in "special military operation") says nothing the longer term does not, so it
    gives its place to the next term; ``top`` 0 keeps every row."""
    if top == 0:
        return table if kind is None else table[table["kind"] == kind]
    picked = []
    for (_, _), part in table.groupby(["group", "kind"], sort=False):
        if kind is not None and part["kind"].iat[0] != kind:
            continue
        part = part[part["z"] > 0]
        if len(part) and part["kind"].iat[0] == "term":
            part = part[~_absorbed(part)]
        picked.append(part.head(top))
    if not picked:
        return table.iloc[0:0]
    out = table.loc[sorted(set().union(*(p.index for p in picked)))]
    return out


def _absorbed(part: pd.DataFrame) -> np.ndarray:
    """True where a longer term of ``part`` holds this term's words and nearly all its uses."""
    terms = part["term"].tolist()
    counts = part["count"].tolist()
    by_word: dict[str, list[int]] = {}
    for k, t in enumerate(terms):
        if " " in t:
            for w in set(t.split(" ")):
                by_word.setdefault(w, []).append(k)
    out = np.zeros(len(terms), dtype=bool)
    for k, t in enumerate(terms):
        first = t.split(" ")[0]
        padded = f" {t} "
        for j in by_word.get(first, ()):
            longer = terms[j]
            if j != k and len(longer) > len(t) and padded in f" {longer} ":
                if counts[j] >= 0.8 * counts[k]:
                    out[k] = True
                    break
    return out
