"""One pass over a corpus for the discovery commands: scored sentences and voiced word runs.

``score_corpus`` scores every sentence (``framing.pipeline.score_documents``) and cuts each
sentence into runs of words in one voice (``framing.discover.voices``), and returns both as
DataFrames with the documents themselves (the trend needs their dates).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from framing.actors import ActorRegistry
from framing.errors import FramingError
from framing.text import Document

if TYPE_CHECKING:
    import pandas as pd

    from framing.score import FrameScorer

__all__ = ["ScoredCorpus", "score_corpus"]


@dataclass
class ScoredCorpus:
    """``scores``: one row per sentence (``framing.dataframe.records_to_frame`` columns);
    ``segments``: one row per run of words in one voice; ``documents``: as read."""

    scores: pd.DataFrame
    segments: pd.DataFrame
    documents: list[Document]


def score_corpus(
    documents: Iterable[Document],
    scorer: FrameScorer,
    *,
    actors: ActorRegistry | None = None,
    with_segments: bool = True,
    progress: Callable[[int], None] | None = None,
) -> ScoredCorpus:
    """Score every sentence and, with ``with_segments``, cut them into voiced runs of words."""
    import pandas as pd

    from framing.dataframe import records_to_frame
    from framing.discover.voices import SEGMENT_COLUMNS, voice_segments
    from framing.pipeline import score_documents

    docs = list(documents)
    if not docs:
        raise FramingError("empty corpus: no documents")
    records = list(score_documents(docs, scorer, actors=actors, progress=progress))
    if not records:
        raise FramingError("empty corpus: the documents hold no sentences")
    scores = records_to_frame(records, scorer.lexicon.frame_ids, scorer.lexicon.axis_ids)
    segments = (
        voice_segments(docs, actors) if with_segments else pd.DataFrame(columns=SEGMENT_COLUMNS)
    )
    return ScoredCorpus(scores=scores, segments=segments, documents=docs)
