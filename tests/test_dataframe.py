"""framing.score_dataframe on pandas, and inside dask.dataframe.map_partitions (real model)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import framing
from framing.dataframe import RECORD_FIELDS, output_meta, records_to_frame, score_dataframe
from framing.errors import FramingError
from tests.conftest import DATA

MINI = str(DATA / "mini.toml")

POSTS = pd.DataFrame(
    {
        "post": ["t1", "t2", "t3", "t4", "t5"],
        "channel": ["a", "b", "a", "b", "a"],
        "body": [
            "Our troops will liberate the towns. The special military operation goes as planned.",
            "Russia launched an unprovoked invasion. “This is a real war,” Zelensky said.",
            None,  # a post without text gives no sentences
            "   ",
            "Talks in Antalya ended without agreement on a ceasefire.",
        ],
    },
    index=[10, 11, 12, 13, 14],
)


@pytest.fixture(scope="module")
def expected(real_embedder):
    """The local engine's records for the posts that have text."""
    from framing.lexicon import load_lexicons
    from framing.pipeline import score_documents
    from framing.score import FrameScorer
    from framing.text import Document

    scorer = FrameScorer(load_lexicons([MINI]), real_embedder).fit()
    docs = [
        Document(id=p, text=t)
        for p, t in zip(POSTS["post"], POSTS["body"], strict=True)
        if isinstance(t, str) and t.strip()
    ]
    return list(score_documents(docs, scorer))


def test_one_row_per_sentence_with_the_records_fields(expected, real_embedder):
    scores = score_dataframe(POSTS, text="body", id="post", lexicon=MINI, embedder=real_embedder)
    assert len(scores) == len(expected) == 5
    assert list(scores["doc"]) == [r["doc"] for r in expected]
    pd.testing.assert_frame_equal(scores, records_to_frame(expected, lexicon=MINI))
    row = scores.iloc[0]
    assert row["frame:liberation"] == expected[0]["frames"]["liberation"]
    assert row["axis:operation_vs_invasion"] == expected[0]["axes"]["operation_vs_invasion"]
    assert json.loads(row["hits"]) == expected[0]["hits"]
    assert json.loads(scores.iloc[1]["evidence"]) == expected[1]["evidence"]
    # The scores join back onto the posts.
    joined = scores.merge(POSTS, left_on="doc", right_on="post")
    assert list(joined["channel"]) == ["a", "a", "b", "b", "a"]


def test_the_index_is_the_default_id_and_the_package_exports_it(real_embedder):
    scores = framing.score_dataframe(POSTS, text="body", lexicon=MINI, embedder=real_embedder)
    assert list(scores["doc"].unique()) == ["10", "11", "14"]


def test_every_record_field_has_a_column(expected):
    # A field added to the records must be added to the frame (and its meta) too.
    assert set(expected[0]) == RECORD_FIELDS


def test_meta_matches_what_score_dataframe_returns(real_embedder):
    scores = score_dataframe(POSTS, text="body", lexicon=MINI, embedder=real_embedder)
    meta = output_meta(MINI)
    assert len(meta) == 0
    assert list(meta.columns) == list(scores.columns)
    assert list(meta.dtypes) == list(scores.dtypes)
    empty = score_dataframe(POSTS.iloc[2:4], text="body", lexicon=MINI, embedder=real_embedder)
    pd.testing.assert_frame_equal(empty, meta)


def test_with_dask_map_partitions(real_embedder):
    import dask
    import dask.dataframe as dd

    ddf = dd.from_pandas(POSTS, npartitions=3)
    lazy = ddf.map_partitions(
        score_dataframe,
        text="body",
        id="post",
        lexicon=MINI,
        embedder=real_embedder,
        meta=output_meta(MINI),
    )
    with dask.config.set(scheduler="threads", num_workers=2):  # partitions at once, one model
        scores = lazy.compute()
    alone = score_dataframe(POSTS, text="body", id="post", lexicon=MINI, embedder=real_embedder)
    pd.testing.assert_frame_equal(scores.reset_index(drop=True), alone)


def test_mistakes_name_the_column():
    with pytest.raises(FramingError, match="no column 'text' .*post, channel, body.*pass text="):
        score_dataframe(POSTS, lexicon=MINI)
    with pytest.raises(FramingError, match="no column 'id'"):
        score_dataframe(POSTS, text="body", id="id", lexicon=MINI)
    with pytest.raises(FramingError, match="column 'n' holds int 3 in row 0, not text"):
        score_dataframe(pd.DataFrame({"n": [3]}), text="n", lexicon=MINI)
