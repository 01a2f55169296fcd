"""The scorer each process keeps: built once from a ``ScorerSpec``, reused by every later call.

``score_dataframe`` (a notebook, or Dask's ``map_partitions``) and the Dask engine's tasks
both score through ``using_scorer``, so a worker process loads the model once per spec,
however many partitions it scores.
"""

from __future__ import annotations

import hashlib
import pickle
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from typing import Any

__all__ = ["ScorerSpec", "cached_scorer", "cached_scorer_info", "using_scorer"]

_MAX_SCORERS = 4  # scorers a process keeps (a notebook may switch lexicons)


@dataclass(frozen=True, eq=False)
class ScorerSpec:
    """Everything a worker needs to build the scorer: it travels to the workers once.

    ``embedder`` is an ``Embedder`` whose model is not loaded yet (only its parameters
    travel); each worker process loads the model the first time it needs this spec.
    """

    lexicon: Any  # framing.lexicon.Lexicon
    embedder: Any  # framing.embed.Embedder, or any object with its encode()
    lexical_weight: float = 0.5
    actors: Any = None  # framing.actors.ActorRegistry; None: the built-in registry
    batch_sentences: int = 512

    @cached_property
    def key(self) -> str:
        """Identity of the scorer this spec builds: lexicon, model options, scoring options."""
        from framing.embed import Embedder

        e = self.embedder
        if isinstance(e, Embedder):
            embedder = (
                "Embedder",
                e.model,
                str(e.cache_dir),
                e.use_cache,
                e.batch_size,
                e.device,
                e.backend,
            )
        else:
            embedder = (type(e).__module__, type(e).__qualname__, pickle.dumps(e))
        blob = pickle.dumps(
            (self.lexicon, embedder, self.lexical_weight, self.actors, self.batch_sentences)
        )
        return hashlib.sha256(blob).hexdigest()


_SCORERS: OrderedDict[str, tuple[Any, Any]] = OrderedDict()
_SCORERS_LOCK = threading.Lock()
_BUILDS = 0
# One partition at a time per process: the model is shared, and the embedding cache's
# SQLite connection belongs to the thread that opened it (closed after each partition).
_SCORING_LOCK = threading.Lock()


def cached_scorer(spec: ScorerSpec) -> tuple[Any, Any]:
    """``(fitted FrameScorer, ActorRegistry)`` for ``spec``, built once per process."""
    global _BUILDS
    key = spec.key
    with _SCORERS_LOCK:
        if key in _SCORERS:
            _SCORERS.move_to_end(key)
            return _SCORERS[key]
        from framing.actors import load_actors
        from framing.score import FrameScorer

        scorer = FrameScorer(spec.lexicon, spec.embedder, lexical_weight=spec.lexical_weight).fit()
        _close_cache(scorer)
        _SCORERS[key] = (scorer, spec.actors or load_actors())
        _BUILDS += 1
        while len(_SCORERS) > _MAX_SCORERS:
            _SCORERS.popitem(last=False)
        return _SCORERS[key]


@contextmanager
def using_scorer(spec: ScorerSpec) -> Iterator[tuple[Any, Any]]:
    """The process's scorer for ``spec``, for this thread alone while the block runs."""
    scorer, registry = cached_scorer(spec)
    with _SCORING_LOCK:
        try:
            yield scorer, registry
        finally:
            _close_cache(scorer)


def cached_scorer_info() -> dict:
    """How many scorers this process has built, and the keys it holds (for tests and logs)."""
    with _SCORERS_LOCK:
        return {"builds": _BUILDS, "keys": list(_SCORERS)}


def _close_cache(scorer) -> None:
    close = getattr(scorer.embedder_, "close", None)
    if close is not None:
        close()
