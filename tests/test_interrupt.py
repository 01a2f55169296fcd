"""Ctrl-C and SIGTERM in the middle of `framing score`, as real processes: no partial output,
no traceback, and the embeddings computed before the signal stay in the cache for the
re-run (they are committed a chunk at a time, not at the end)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import DATA, ROOT

_VENV_FRAMING = ROOT / ".venv" / "bin" / "framing"
FRAMING = [str(_VENV_FRAMING)] if _VENV_FRAMING.exists() else [sys.executable, "-m", "framing"]
MINI = str(DATA / "mini.toml")
N_SENTENCES = 1600
CHUNK = 256  # framing.embed._STORE_CHUNK: misses are committed this many at a time

pytestmark = pytest.mark.slow  # real processes, the real model


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, list[str]]:
    """A text of a few thousand distinct sentences: long enough to interrupt mid-run."""
    places = ["Kyiv", "Kharkiv", "Mariupol", "Odesa", "Lviv", "Dnipro"]
    verbs = ["was shelled", "held out", "was liberated", "saw fighting", "was quiet"]
    sentences = [
        f"Report {i}: the town near {places[i % 6]} {verbs[i % 5]} on day {i % 97} of the invasion."
        for i in range(N_SENTENCES)
    ]
    paragraphs = [" ".join(sentences[i : i + 8]) for i in range(0, N_SENTENCES, 8)]
    path = tmp_path_factory.mktemp("interrupt") / "reports.txt"
    path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return path, sentences


def _cached_rows(cache: Path) -> int:
    db_path = cache / "embeddings.sqlite"
    if not db_path.exists():
        return 0
    try:
        db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=1)
        try:
            return db.execute("SELECT count(*) FROM vectors").fetchone()[0]
        finally:
            db.close()
    except sqlite3.Error:  # created but no table yet, or busy
        return 0


def _sigint_as_in_a_terminal() -> None:
    # A child started from a background job inherits SIGINT ignored; a terminal's Ctrl-C
    # reaches a process whose SIGINT is not ignored, so restore the default.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _score(corpus: Path, out: Path, cache: Path) -> subprocess.Popen:
    env = {**os.environ, "FRAMING_PROGRESS": "1", "HF_HUB_OFFLINE": "1"}
    env.pop("FRAMING_CACHE_DIR", None)
    return subprocess.Popen(
        [*FRAMING, "score", str(corpus), "-l", MINI, "-o", str(out), "--cache-dir", str(cache)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        preexec_fn=_sigint_as_in_a_terminal,
    )


def _interrupt_after_a_chunk(proc: subprocess.Popen, cache: Path, signum: int) -> tuple[int, str]:
    """Send ``signum`` once the run has committed one more chunk of sentence vectors."""
    start_rows = _cached_rows(cache)
    deadline = time.monotonic() + 300
    while _cached_rows(cache) < start_rows + CHUNK:
        if proc.poll() is not None:
            pytest.fail(f"the run ended before it could be interrupted:\n{proc.stderr.read()}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail("no embeddings were cached within 300 s")
        time.sleep(0.05)
    proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=120)
    return proc.returncode, stderr


def _assert_clean_interrupt(returncode: int, stderr: str, out: Path) -> None:
    assert returncode == 130, stderr
    assert "Traceback" not in stderr, stderr
    assert "framing: interrupted; no partial output was kept" in stderr
    assert not list(out.parent.glob(f".{out.name}.*")), "a temporary .part file was left behind"
    assert not Path(f"{out}.meta.json").exists()


def _assert_cache_serves(cache: Path, sentences: list[str], at_least: int) -> None:
    """The vectors the interrupted run committed are valid and found by a new Embedder."""
    import numpy as np

    from framing.embed import Embedder, _hash_text

    embedder = Embedder(cache_dir=cache)  # the CLI's default model and backend: same cache key
    # which sentences a chunk holds is the encoder's business (longest first), not text order
    found = embedder._lookup([_hash_text(s) for s in sentences])
    committed = [s for s in sentences if _hash_text(s) in found]
    assert len(committed) >= at_least
    vectors = embedder.encode(committed)
    assert embedder.cache_hits == len(committed) and embedder.cache_misses == 0
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    assert embedder._model is None, "a full cache hit must not load the model"
    embedder.close()


def test_ctrl_c_leaves_no_output_and_keeps_the_cache(corpus, tmp_path):
    path, sentences = corpus
    cache, out = tmp_path / "cache", tmp_path / "scores.jsonl"
    returncode, stderr = _interrupt_after_a_chunk(_score(path, out, cache), cache, signal.SIGINT)
    _assert_clean_interrupt(returncode, stderr, out)
    assert not out.exists()
    rows = _cached_rows(cache)
    assert CHUNK <= rows < N_SENTENCES, rows
    _assert_cache_serves(cache, sentences, CHUNK)


def test_sigterm_keeps_the_old_output_and_a_rerun_finishes_from_the_cache(corpus, tmp_path):
    path, sentences = corpus
    cache, out = tmp_path / "cache", tmp_path / "scores.jsonl"
    out.write_text("output of an earlier run\n", encoding="utf-8")

    returncode, stderr = _interrupt_after_a_chunk(_score(path, out, cache), cache, signal.SIGTERM)
    _assert_clean_interrupt(returncode, stderr, out)
    assert out.read_text(encoding="utf-8") == "output of an earlier run\n"  # untouched
    rows_after_interrupt = _cached_rows(cache)
    assert rows_after_interrupt >= CHUNK
    _assert_cache_serves(cache, sentences, CHUNK)

    rerun = _score(path, out, cache)
    _, stderr = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, stderr
    assert "Traceback" not in stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["text"] for r in records] == sentences
    assert Path(f"{out}.meta.json").exists()
    # Every sentence (and each exemplar of the lexicon) is cached once: the re-run added
    # only what the interrupted run had not committed.
    assert _cached_rows(cache) >= N_SENTENCES > rows_after_interrupt
