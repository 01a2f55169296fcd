"""Discovery over a scored corpus: which words and frames set groups apart (``compare``),
how each group's framing moves over time (``trend``), and which terms a frame's lexicon
misses (``expand``). Each takes and returns pandas DataFrames, for notebooks; the CLI
commands ``framing compare``, ``framing trend`` and ``framing lexicon expand`` are thin
layers over them."""

from __future__ import annotations

__all__ = [
    "voice_segments",
    "compare_groups",
    "trend_table",
    "expand_frame",
    "log_odds_z",
]


def __getattr__(name: str):
    # Imported on first use: pandas and numpy are not needed for `framing --help`.
    if name == "voice_segments":
        from framing.discover.voices import voice_segments

        return voice_segments
    if name == "compare_groups":
        from framing.discover.compare import compare_groups

        return compare_groups
    if name == "log_odds_z":
        from framing.discover.logodds import log_odds_z

        return log_odds_z
    if name == "trend_table":
        from framing.discover.trend import trend_table

        return trend_table
    if name == "expand_frame":
        from framing.discover.expand import expand_frame

        return expand_frame
    raise AttributeError(f"module 'framing.discover' has no attribute {name!r}")
