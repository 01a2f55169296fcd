"""The sentence record: its fields, its columns in CSV and dataframes, its group and its side.

``FrameScorer.score_records`` makes one record (a dict) per sentence; every writer and
every aggregate reads it through the names here, so a field added or renamed is changed
in one place. What a record's *group* is (``profile``, the heatmap's rows) and what its
*side* is (the map's colours) is defined here once, so the profile and the map agree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from framing.errors import FramingError

__all__ = [
    "AUTHOR_GROUP",
    "AXIS_FIELD",
    "AXIS_PREFIX",
    "BY",
    "CSV_FIXED_COLUMNS",
    "FIXED_FIELDS",
    "FRAME_GROUPS",
    "JSON_FIELDS",
    "RECORD_FIELDS",
    "csv_header",
    "group_of",
    "group_records",
    "group_sides",
    "side_of",
]

# (field, dataframe dtype) of the scalar fields, in column order
FIXED_FIELDS: tuple[tuple[str, str], ...] = (
    ("doc", "string"),
    ("sentence_id", "int64"),
    ("start", "int64"),
    ("end", "int64"),
    ("text", "string"),
    ("speaker", "string"),
    ("side", "string"),
    ("voice_kind", "string"),
    ("lang", "string"),
    ("top_frame", "string"),
    ("top_score", "float64"),
)
# (column prefix, record field) of the per-frame score dicts: ``frame:<id>`` <- record["frames"]
FRAME_GROUPS: tuple[tuple[str, str], ...] = (
    ("frame", "frames"),
    ("lexical", "lexical"),
    ("semantic", "semantic"),
)
AXIS_PREFIX, AXIS_FIELD = "axis", "axes"
# the fields holding lists and objects (JSON text in a dataframe)
JSON_FIELDS: tuple[tuple[str, str], ...] = (("hits", "string"), ("evidence", "string"))
RECORD_FIELDS = frozenset(
    [name for name, _ in FIXED_FIELDS]
    + [key for _, key in FRAME_GROUPS]
    + [AXIS_FIELD]
    + [name for name, _ in JSON_FIELDS]
)
# the CSV output: these, then text, then the score columns, then the hits
CSV_FIXED_COLUMNS = (
    "doc",
    "sentence_id",
    "start",
    "end",
    "speaker",
    "side",
    "voice_kind",
    "lang",
    "top_frame",
    "top_score",
)


def csv_header(frame_ids: Sequence[str], axis_ids: Sequence[str]) -> list[str]:
    """The CSV output's columns for these frames and axes."""
    return (
        [*CSV_FIXED_COLUMNS, "text"]
        + [f"{prefix}:{f}" for prefix, _ in FRAME_GROUPS for f in frame_ids]
        + [f"{AXIS_PREFIX}:{a}" for a in axis_ids]
        + ["hits"]
    )


# --- group and side ------------------------------------------------------------------------

BY = ("speaker", "side")
AUTHOR_GROUP = "author"


def side_of(record: dict) -> str:
    """The side a record's words count for: its voice's side; narration whose author has
    no side (a journalist) is ``"author"``; a quoted voice without a side is ``"unknown"``.

    Narration by an author who has a side (a speech's speaker, a ``--speaker-field``
    channel the actors registry places) counts for that side, in the profile and on the map.
    """
    side = record.get("side") or "unknown"
    if record.get("voice_kind", "author") == "author" and side == "unknown":
        return AUTHOR_GROUP
    return side


def group_of(record: dict, by: str) -> str:
    """A record's group: its voice's speaker (the narration of no one named: "author"),
    or with ``by="side"`` its ``side_of``."""
    if by == "side":
        return side_of(record)
    return record.get("speaker") or AUTHOR_GROUP


def _check_by(by: str) -> None:
    if by not in BY:
        raise FramingError(f"--by must be one of {', '.join(BY)}; got {by!r}")


def group_records(records: Iterable[dict], by: str = "speaker") -> dict[str, list[dict]]:
    """Records grouped by their voice's speaker or side, largest group first."""
    _check_by(by)
    groups: dict[str, list[dict]] = {}
    for record in records:
        groups.setdefault(group_of(record, by), []).append(record)
    return dict(sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])))


def group_sides(records: Iterable[dict], by: str = "speaker") -> dict[str, str]:
    """The side of each group of ``group_records``: a speaker's most frequent side
    (ties: the first by name); with ``by="side"`` a side is its own."""
    sides: dict[str, str] = {}
    for group, members in group_records(records, by).items():
        counts = Counter(side_of(r) for r in members)
        sides[group] = min(counts, key=lambda s: (-counts[s], s))
    return sides
