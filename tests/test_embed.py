"""The Embedder: real default model offline, the cache, model choice errors."""

import sqlite3

import numpy as np
import pytest

from framing.embed import Embedder
from framing.errors import FramingError


def test_default_model_loads_offline_and_normalises(real_embedder):
    vectors = real_embedder.encode(["The invasion began.", "Talks resumed in Antalya."])
    assert vectors.shape == (2, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert real_embedder.model_id == "sentence-transformers/all-MiniLM-L6-v2"
    assert len(real_embedder.weights_sha256) == 64


def test_a_model_given_by_path_works(tmp_path, real_embedder):
    from framing.embed import default_model_path

    by_path = Embedder(default_model_path(), cache_dir=tmp_path)
    assert np.allclose(by_path.encode(["Kyiv"]), real_embedder.encode(["Kyiv"]), atol=1e-6)
    assert by_path.model_key != real_embedder.model_key  # named differently, cached apart


def test_cache_rerun_skips_the_model_and_gives_identical_vectors(tmp_path):
    texts = [f"Sentence number {i} about the war." for i in range(20)]
    first = Embedder(cache_dir=tmp_path)
    v1 = first.encode(texts)
    assert first.cache_misses == 20
    second = Embedder(cache_dir=tmp_path)
    v2 = second.encode(texts + texts[:3])
    assert second._model is None, "a full cache hit must not load the model"
    assert second.cache_hits == 23
    assert np.array_equal(v1, v2[:20])


def test_corrupted_cache_entry_is_recomputed(tmp_path):
    emb = Embedder(cache_dir=tmp_path)
    good = emb.encode(["Mariupol is surrounded."])
    emb.close()
    db = sqlite3.connect(tmp_path / "embeddings.sqlite")
    db.execute("UPDATE vectors SET vec = substr(vec, 1, 100)")
    db.commit()
    db.close()
    again = Embedder(cache_dir=tmp_path)
    assert np.allclose(again.encode(["Mariupol is surrounded."]), good, atol=1e-6)
    assert again.cache_misses == 1


def test_no_cache_writes_nothing(tmp_path):
    Embedder(cache_dir=tmp_path, use_cache=False).encode(["x"])
    assert not (tmp_path / "embeddings.sqlite").exists()


def test_unknown_model_is_a_clear_error(tmp_path):
    emb = Embedder(str(tmp_path / "no-such-model"), cache_dir=tmp_path)
    with pytest.raises(FramingError, match=r"--model .*no-such-model.*cannot load"):
        emb.encode(["x"])


@pytest.mark.parametrize(
    "bad",
    [
        np.ones(10, dtype=np.float32) / np.sqrt(10),  # a unit vector of the wrong dimension
        np.full(384, np.nan, dtype=np.float32),
        np.zeros(384, dtype=np.float32),
        np.full(384, 5.0, dtype=np.float32),  # right size, finite, but not a unit vector
    ],
    ids=["wrong-dimension", "nan", "zero", "not-unit"],
)
def test_a_cache_entry_with_a_valid_crc_but_impossible_values_is_recomputed(tmp_path, bad):
    import zlib

    text = "Mariupol is surrounded."
    good = Embedder(cache_dir=tmp_path).encode([text])
    db = sqlite3.connect(tmp_path / "embeddings.sqlite")
    blob = bad.tobytes()
    db.execute("UPDATE vectors SET dim = ?, crc = ?, vec = ?", (len(bad), zlib.crc32(blob), blob))
    db.commit()
    db.close()
    again = Embedder(cache_dir=tmp_path)
    assert again.encode([text]).tobytes() == good.tobytes()
    assert again.cache_misses == 1
    assert Embedder(cache_dir=tmp_path).encode([text]).tobytes() == good.tobytes()  # rewritten


def test_a_read_only_cache_folder_is_a_warning_not_an_error(tmp_path, capfd):
    import os

    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        if os.access(folder, os.W_OK):  # root ignores permission bits: make it a file
            folder.chmod(0o755)
            folder.rmdir()
            folder.write_text("not a folder")
        embedder = Embedder(cache_dir=folder)
        vectors = embedder.encode(["Kyiv.", "Talks resumed."])
        assert vectors.shape == (2, 384)
        err = capfd.readouterr().err
        assert "embedding cache unusable" in err and "going on without the cache" in err
        assert err.count("\n") == 1
    finally:
        if folder.is_dir():
            folder.chmod(0o755)
