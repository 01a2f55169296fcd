"""framing.mapping: the map pipeline called from Python, as a notebook calls it."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from framing.errors import FramingError
from framing.mapping import make_map
from framing.pipeline import score_documents
from framing.text import Document


def test_a_notebook_makes_the_map_files(real_scorer, seed_path, tmp_path):
    doc = Document(id=str(seed_path), text=seed_path.read_text(encoding="utf-8"))
    batches: list = []
    records = list(score_documents([doc], real_scorer, vectors=batches))
    vectors = np.concatenate(batches)
    assert vectors.shape == (len(records), real_scorer.centroids_.shape[1])
    # the vectors handed back are the ones the records were scored with
    again = real_scorer.embedder_.encode([r["text"] for r in records])
    assert np.allclose(vectors, again, atol=1e-5)

    written = make_map(records, vectors, tmp_path / "map", lexicon=real_scorer.lexicon)
    assert {"map.png", "map.svg", "map.html", "heatmap.png", "axes.png", "points.csv"} <= set(
        written
    )
    with open(tmp_path / "map" / "points.csv", encoding="utf-8", newline="") as handle:
        points = list(csv.DictReader(handle))
    assert [p["text"] for p in points] == [r["text"] for r in records]
    assert not [p for p in (tmp_path / "map").iterdir() if p.name.endswith(".part")]


def test_make_map_refuses_vectors_that_do_not_match(real_scorer, tmp_path):
    record = {"doc": "d", "sentence_id": 0, "text": "x", "frames": {}}
    with pytest.raises(ValueError, match="2 vectors for 1 records"):
        make_map([record], np.zeros((2, 4)), tmp_path, lexicon=real_scorer.lexicon)
    with pytest.raises(FramingError, match="no sentences"):
        make_map([], np.zeros((0, 4)), tmp_path, lexicon=real_scorer.lexicon)
