"""framing: narrative and framing analysis for war and political communication.

The public API (a notebook user calls these; the CLI is a thin layer over them)::

    from framing import score_texts, load_lexicon, Embedder, FrameScorer
    records = score_texts(["Our troops will liberate Donbass."])
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = [
    "Document",
    "attribute",
    "axis_positions",
    "load_actors",
    "profile_records",
    "Embedder",
    "FrameScorer",
    "FramingError",
    "load_lexicon",
    "load_lexicons",
    "score_dataframe",
    "score_documents",
    "score_texts",
    "segment",
    "find_quotes",
]

from framing.errors import FramingError
from framing.lexicon import load_lexicon, load_lexicons
from framing.text import Document, find_quotes, segment


def __getattr__(name: str):
    # Imported on first use: these pull in numpy (and, on encoding, torch).
    if name == "Embedder":
        from framing.embed import Embedder

        return Embedder
    if name == "FrameScorer":
        from framing.score import FrameScorer

        return FrameScorer
    if name in ("score_documents", "score_texts"):
        from framing import pipeline

        return getattr(pipeline, name)
    if name == "attribute":
        from framing.attribution import attribute

        return attribute
    if name == "load_actors":
        from framing.actors import load_actors

        return load_actors
    if name in ("profile_records", "axis_positions"):
        from framing import profile

        return getattr(profile, name)
    if name == "score_dataframe":
        from framing.dataframe import score_dataframe

        return score_dataframe
    raise AttributeError(f"module 'framing' has no attribute {name!r}")
