"""Shared fixtures. The real model is used wherever users' code paths run; the tiny
hashing embedder below exists only for unit tests of scoring logic."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "antalya_talks_2022-03.txt"
DATA = Path(__file__).resolve().parent / "data"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory) -> Path:
    """One embedding cache for the whole test session (tests that test the cache make their own)."""
    return tmp_path_factory.mktemp("embedding-cache")


@pytest.fixture(scope="session")
def onnx_export(tmp_path_factory) -> Path:
    """The default model exported to ONNX once per session (framing.backends.export_model)."""
    from framing.embed import Embedder

    root = tmp_path_factory.mktemp("onnx-export")
    return Embedder(cache_dir=root / "cache").export(root / "all-MiniLM-L6-v2")


@pytest.fixture(autouse=True)
def _isolated_cache(cache_dir, onnx_export, monkeypatch):
    # Never touch the user's real cache from tests.
    monkeypatch.setenv("FRAMING_CACHE_DIR", str(cache_dir))
    # Every fresh --cache-dir would export the model again (10-20 s): run the session's
    # export instead, as the CPU image does. Same model id, weights hash and cache key;
    # tests of the first-use export unset it.
    monkeypatch.setenv("FRAMING_MODEL", str(onnx_export))


@pytest.fixture(scope="session")
def real_embedder(cache_dir):
    """The bundled all-MiniLM-L6-v2, loaded once per session."""
    from framing.embed import Embedder

    return Embedder(cache_dir=cache_dir)


@pytest.fixture(scope="session")
def default_lexicon():
    from framing.lexicon import load_lexicon

    return load_lexicon()


@pytest.fixture(scope="session")
def real_scorer(default_lexicon, real_embedder):
    from framing.score import FrameScorer

    return FrameScorer(default_lexicon, real_embedder).fit()


@pytest.fixture(scope="session")
def seed_records(real_scorer, seed_path):
    """The sample corpus scored with the real model and the default lexicon."""
    from framing.pipeline import score_documents
    from framing.text import Document

    doc = Document(id=str(seed_path), text=seed_path.read_text(encoding="utf-8"))
    return list(score_documents([doc], real_scorer))


class HashingEmbedder:
    """A tiny deterministic stand-in for unit tests of scoring logic only: a bag of
    hashed words, L2-normalised. Never used where the real path is under test."""

    backend = "hashing"
    model_id = "test/hashing"
    model_name = "test/hashing"
    weights_sha256 = None

    def __init__(self, dim: int = 64):
        self.dim = dim

    @property
    def dimension(self) -> int:
        return self.dim

    def encode(self, texts, progress=None):
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in text.lower().split():
                h = int(hashlib.md5(word.strip(".,;:!?\"'“”").encode()).hexdigest(), 16)
                out[i, h % self.dim] += 1.0
            norm = np.linalg.norm(out[i])
            if norm:
                out[i] /= norm
        if progress:
            progress(len(texts))
        return out


@pytest.fixture
def hashing_embedder() -> HashingEmbedder:
    return HashingEmbedder()


@pytest.fixture
def runner():
    from typer.testing import CliRunner

    return CliRunner()
