"""Scores as pandas DataFrames: ``score_dataframe`` for notebooks and Dask's map_partitions.

One row per sentence; the record's fields are columns, and its per-frame and per-axis scores
are ``frame:<id>``, ``lexical:<id>``, ``semantic:<id>`` and ``axis:<id>`` columns, as in the
CSV output. ``hits`` and ``evidence`` hold the record's lists and objects as JSON text, so
every column has one plain type and the frame writes to Parquet as it is.

With Dask, each partition is scored where it lies, and each worker process loads the model
once (the scorer is kept per process, see ``framing.distributed.cached_scorer``)::

    scores = ddf.map_partitions(score_dataframe, text="body", meta=output_meta())
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from framing.errors import FramingError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["score_dataframe", "output_meta", "output_columns", "records_to_frame"]

_FIXED = (
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
_GROUPS = (("frame", "frames"), ("lexical", "lexical"), ("semantic", "semantic"))
_JSON = (("hits", "string"), ("evidence", "string"))
RECORD_FIELDS = frozenset(
    [name for name, _ in _FIXED] + [key for _, key in _GROUPS] + ["axes"] + [n for n, _ in _JSON]
)


def output_columns(frame_ids: Sequence[str], axis_ids: Sequence[str]) -> list[tuple[str, str]]:
    """``(column, dtype)`` of a scores frame for these frames and axes, in order."""
    columns = list(_FIXED)
    for prefix, _ in _GROUPS:
        columns += [(f"{prefix}:{f}", "float64") for f in frame_ids]
    columns += [(f"axis:{a}", "float64") for a in axis_ids]
    return columns + list(_JSON)


def _lexicon(lexicon) -> Any:
    from framing.lexicon import DEFAULT_LEXICON, Lexicon, load_lexicons

    if isinstance(lexicon, Lexicon):
        return lexicon
    if isinstance(lexicon, (str, Path)):
        lexicon = [lexicon]
    return load_lexicons(lexicon or [DEFAULT_LEXICON])


def output_meta(lexicon=None) -> pd.DataFrame:
    """An empty scores frame with the columns and dtypes ``score_dataframe`` returns
    for ``lexicon`` (a Lexicon, names or paths; default: the built-in lexicon): the
    ``meta=`` of ``map_partitions``."""
    return records_to_frame([], lexicon=_lexicon(lexicon))


def records_to_frame(
    records: Sequence[dict],
    frame_ids: Sequence[str] | None = None,
    axis_ids: Sequence[str] | None = None,
    *,
    lexicon=None,
) -> pd.DataFrame:
    """Sentence records as a frame, one row each (columns from ``output_columns``)."""
    import pandas as pd

    if frame_ids is None or axis_ids is None:
        lex = _lexicon(lexicon)
        frame_ids, axis_ids = lex.frame_ids, lex.axis_ids
    columns = output_columns(frame_ids, axis_ids)
    data: dict[str, list] = {name: [] for name, _ in columns}
    nan = float("nan")
    for r in records:
        for name, _ in _FIXED:
            data[name].append(r.get(name))
        for prefix, key in _GROUPS:
            scores = r[key]
            for f in frame_ids:
                data[f"{prefix}:{f}"].append(scores.get(f, nan))
        for a in axis_ids:
            data[f"axis:{a}"].append(r["axes"].get(a, nan))
        data["hits"].append(json.dumps(r["hits"], ensure_ascii=False))
        evidence = r.get("evidence")
        data["evidence"].append(
            None if evidence is None else json.dumps(evidence, ensure_ascii=False)
        )
    return pd.DataFrame({name: pd.Series(data[name], dtype=dtype) for name, dtype in columns})


def score_dataframe(
    df: pd.DataFrame,
    text: str = "text",
    id: str | None = None,  # noqa: A002 - the name users pass
    lexicon=None,
    model: str | None = None,
    *,
    embedder=None,
    lexical_weight: float = 0.5,
    actors=None,
    cache_dir: str | Path | None = None,
    batch_size: int = 32,
    backend: str = "torch",
    speaker: str | None = None,
) -> pd.DataFrame:
    """Score the texts in column ``text`` of a pandas frame: one row per sentence.

    ``doc`` is the value of column ``id`` (default: the row's index label), so the scores
    join back onto ``df``. Column ``speaker``, if given, names who wrote each row (a channel,
    an account): the voice of its narration. Rows whose text is missing or blank give no
    sentences. The model and scorer are built once per process and reused by later calls
    (and Dask partitions).
    """
    from framing.distributed import ScorerSpec, using_scorer
    from framing.embed import Embedder
    from framing.pipeline import score_documents

    for option, column in (("text", text), ("id", id), ("speaker", speaker)):
        if column is not None and column not in df.columns:
            names = ", ".join(map(str, df.columns)) or "none"
            raise FramingError(
                f"score_dataframe: no column {column!r} (columns: {names}); pass {option}="
            )
    lex = _lexicon(lexicon)
    spec = ScorerSpec(
        lex,
        embedder or Embedder(model, cache_dir=cache_dir, batch_size=batch_size, backend=backend),
        lexical_weight=lexical_weight,
        actors=actors,
    )
    with using_scorer(spec) as (scorer, registry):
        documents = _documents(df, text, id, speaker)
        records = list(score_documents(documents, scorer, actors=registry))
    return records_to_frame(records, lex.frame_ids, lex.axis_ids)


def _missing(value) -> bool:
    import pandas as pd

    return (
        value is None
        or value is pd.NA
        or value is pd.NaT
        or (
            isinstance(value, float) and value != value  # NaN
        )
    )


def _documents(
    df: pd.DataFrame,
    text: str,
    id: str | None,  # noqa: A002
    speaker: str | None = None,
) -> Iterator:
    from framing.text import Document, speaker_name

    ids = df[id] if id is not None else df.index.to_series()
    speakers = df[speaker] if speaker is not None else [None] * len(df)
    for label, value, named in zip(ids, df[text], speakers, strict=True):
        if _missing(value):
            continue
        if not isinstance(value, str):
            raise FramingError(
                f"score_dataframe: column {text!r} holds {type(value).__name__} {value!r} "
                f"in row {label!r}, not text"
            )
        if not value.strip():
            continue
        if _missing(label):
            raise FramingError(f"score_dataframe: column {id!r} is empty where {text!r} has text")
        yield Document(
            id=str(label), text=value, speaker=None if _missing(named) else speaker_name(named)
        )
