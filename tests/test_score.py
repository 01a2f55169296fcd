"""Scoring: formulas (with a tiny deterministic embedder) and behaviour with the real model."""

import math

import numpy as np
import pytest

from framing.lexicon import load_lexicon
from framing.match import Hit
from framing.pipeline import score_documents, score_texts
from framing.score import FrameScorer, lexical_scores
from framing.text import Document
from tests.conftest import DATA


def _hit(frame, weight=1.0, negated=False):
    return Hit(
        frame=frame,
        term="t",
        start=0,
        end=1,
        text="t",
        weight=weight,
        quoted=False,
        negated=negated,
    )


def test_lexical_score_saturates_and_ignores_negated_hits():
    scores = lexical_scores(
        [[_hit("a")], [_hit("a"), _hit("a")], [_hit("a", negated=True)], [_hit("b", 0.5)]],
        ["a", "b"],
    )
    assert scores[0, 0] == pytest.approx(1 - math.exp(-1))
    assert scores[1, 0] == pytest.approx(1 - math.exp(-2))
    assert scores[2].tolist() == [0.0, 0.0]
    assert scores[3, 1] == pytest.approx(1 - math.exp(-0.5))


@pytest.fixture(scope="module")
def mini_scorer():
    from tests.conftest import HashingEmbedder

    return FrameScorer(
        load_lexicon(DATA / "mini.toml"), HashingEmbedder(), lexical_weight=0.5
    ).fit()


def test_fit_learns_centroids_and_calibration(mini_scorer):
    assert mini_scorer.centroids_.shape == (3, 64)
    assert np.allclose(np.linalg.norm(mini_scorer.centroids_, axis=1), 1.0)
    assert (mini_scorer.spread_ > 0).all() and mini_scorer.background_.shape == (3,)
    assert mini_scorer.axis_vectors_.shape == (1, 64)


def test_combined_is_the_documented_mix(mini_scorer):
    records = list(
        score_documents([Document("d", "Tanks invaded the sovereign state.")], mini_scorer)
    )
    (r,) = records
    cal = mini_scorer.calibrated(np.array([[r["semantic"][f] for f in mini_scorer.frame_ids_]]))[0]
    for j, f in enumerate(mini_scorer.frame_ids_):
        assert r["frames"][f] == pytest.approx(0.5 * r["lexical"][f] + 0.5 * cal[j], abs=2e-4)
    assert r["top_frame"] == "invasion"
    assert r["evidence"]["terms"] == ["invasion"]
    assert (
        r["evidence"]["nearest_exemplar"]
        in load_lexicon(DATA / "mini.toml").frame("invasion").exemplars
    )


def test_axis_sign_follows_the_poles(mini_scorer):
    left = mini_scorer.axes(
        mini_scorer.embedder_.encode(
            ["The special military operation is proceeding strictly according to plan."]
        )
    )
    right = mini_scorer.axes(
        mini_scorer.embedder_.encode(
            ["Russia launched an unprovoked full-scale invasion of Ukraine."]
        )
    )
    assert left[0, 0] < 0 < right[0, 0]


def test_axis_terms_lead_and_meaning_fills_the_rest(mini_scorer):
    embeddings = mini_scorer.embedder_.encode(["x", "y"])
    lexical = np.zeros((2, 3))
    lexical[0, 1] = 1 - math.exp(-1)  # one strong term of the right pole, own voice
    semantic = mini_scorer.semantic_axes(embeddings)
    axes = mini_scorer.axes(embeddings, lexical)
    d = lexical[0, 1]
    assert axes[0, 0] == pytest.approx(d + (1 - d) * semantic[0, 0])
    assert axes[1, 0] == pytest.approx(semantic[1, 0])
    assert (np.abs(axes) < 1).all()


def test_allied_frames_count_at_half_weight_for_their_pole(tmp_path):
    from tests.conftest import HashingEmbedder

    body = (DATA / "mini.toml").read_text(encoding="utf-8")
    plain = FrameScorer(load_lexicon(DATA / "mini.toml"), HashingEmbedder()).fit()
    (axis,) = plain.lexicon.axes
    third = next(f for f in plain.frame_ids_ if f not in (axis.left, axis.right))
    marker = f'right = "{axis.right}"\n'
    assert marker in body
    path = tmp_path / "allies.toml"
    path.write_text(body.replace(marker, marker + f'left_frames = ["{third}"]\n', 1), "utf-8")
    scorer = FrameScorer(load_lexicon(path), HashingEmbedder()).fit()
    embeddings = scorer.embedder_.encode(["x", "y"])
    lexical = np.zeros((2, 3))
    j = scorer.frame_ids_.index(third)
    right = scorer.frame_ids_.index(axis.right)
    lexical[0, j] = 1 - math.exp(-1)  # one strong term of the allied frame
    lexical[1, [j, right]] = 1 - math.exp(-1)  # ... and one of the right pole too
    semantic = scorer.semantic_axes(embeddings)
    axes = scorer.axes(embeddings, lexical)
    d0 = -0.5 * lexical[0, j]
    assert axes[0, 0] == pytest.approx(d0 + (1 - abs(d0)) * semantic[0, 0])
    d1 = lexical[1, right] - 0.5 * lexical[1, j]
    assert axes[1, 0] == pytest.approx(d1 + (1 - abs(d1)) * semantic[1, 0])
    # without the allies the same lexical evidence leaves the axis to the pole alone
    alone = plain.semantic_axes(embeddings)[0, 0]
    assert plain.axes(embeddings, lexical)[0, 0] == pytest.approx(alone)


def test_an_axis_from_pairs_cancels_the_shared_topic(tmp_path, monkeypatch):
    import framing.score
    from tests.conftest import HashingEmbedder

    # every pair shares "troops crossed the river"; only the framing word differs
    body = (DATA / "mini.toml").read_text(encoding="utf-8") + "".join(
        f'[[axes.pairs]]\nleft = "troops crossed the river {x} operation"\n'
        f'right = "troops crossed the river {x} invasion"\n'
        for x in ("today", "again", "at night")
    )
    path = tmp_path / "paired.toml"
    path.write_text(body, encoding="utf-8")
    scorer = FrameScorer(load_lexicon(path), HashingEmbedder()).fit()
    encode = scorer.embedder_.encode
    topic_only = encode(["troops crossed the river"])
    left, right, topic = scorer.semantic_axes(
        encode(["operation river troops", "invasion river troops", "troops crossed the river"])
    )[:, 0]
    assert left < -0.5 and right > 0.5
    # whitened by the exemplars' spread, the topic alone stays near the middle ...
    assert abs(topic) < 0.25 * min(-left, right)
    # ... and without whitening (full shrinkage) the pair differences are exactly orthogonal to it
    monkeypatch.setattr(framing.score, "AXIS_SHRINKAGE", 1.0)
    plain = FrameScorer(load_lexicon(path), HashingEmbedder()).fit()
    assert abs(float(plain.axis_vectors_[0] @ topic_only[0])) < 1e-6


def test_weak_sentences_get_no_top_frame(mini_scorer):
    (r,) = score_documents([Document("d", "Weather was mild on Tuesday.")], mini_scorer)
    assert r["top_frame"] is None and r["evidence"] is None


@pytest.mark.parametrize(
    "params, parameter",
    [({"lexical_weight": 1.5}, "lexical_weight"), ({"min_score": -0.1}, "min_score")],
)
def test_parameters_are_validated_in_scikit_learns_words(params, parameter):
    from framing.errors import FramingError, ParameterError
    from tests.conftest import HashingEmbedder

    scorer = FrameScorer(load_lexicon(DATA / "mini.toml"), HashingEmbedder(), **params)
    with pytest.raises(FramingError) as caught:
        scorer.fit()
    value = params[parameter]
    assert str(caught.value) == (
        f"The '{parameter}' parameter of FrameScorer must be in [0, 1], got {value}"
    )
    # the CLI says it of its flag
    flag = "--" + parameter.replace("_", "-")
    assert isinstance(caught.value, ParameterError)
    assert caught.value.as_flag() == f"{flag} must be in [0, 1]; got {value}"


def test_frame_scorer_is_a_scikit_learn_estimator():
    from sklearn.base import clone
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    from tests.conftest import HashingEmbedder

    lexicon = load_lexicon(DATA / "mini.toml")
    scorer = FrameScorer(lexicon, HashingEmbedder(), lexical_weight=0.3)
    params = scorer.get_params()
    assert params["lexical_weight"] == 0.3 and params["lexicon"] is lexicon
    copy = clone(scorer)
    assert copy is not scorer and copy.get_params()["lexical_weight"] == 0.3
    assert not hasattr(copy, "centroids_")  # clone copies parameters, not fitted state
    copy.set_params(lexical_weight=0.7)
    assert copy.lexical_weight == 0.7 and scorer.lexical_weight == 0.3

    texts = ["Tanks invaded the sovereign state."] * 3 + [
        "The special military operation is proceeding as planned."
    ] * 3
    pipeline = make_pipeline(FrameScorer(lexicon, HashingEmbedder()), LogisticRegression())
    pipeline.fit(texts, [1, 1, 1, 0, 0, 0])
    assert pipeline.predict(["Russia's aggression and invasion."]).tolist() == [1]
    assert list(pipeline[0].get_feature_names_out()) == lexicon.frame_ids


# --- the real model ---------------------------------------------------------------------


def test_special_military_operation_is_moscows_word_not_the_authors(seed_records):
    # 'the invasion, which Moscow calls a "special military operation"': the term is Moscow's.
    smo = [r for r in seed_records if "special military operation" in r["text"]]
    assert len(smo) == 2
    for r in smo:
        (hit,) = [h for h in r["hits"] if h["term"] == "special military operation"]
        assert hit["quoted"] and (hit["speaker"], hit["side"]) == ("Moscow", "russia")
        assert r["voice_kind"] == "author" and r["speaker"] != "Moscow"
        # the author's record keeps the hit for explanation but gets no lexical credit for it
        assert r["lexical"]["special_operation"] == 0.0, r["text"]
        assert "special military operation" not in (r["evidence"] or {}).get("terms", [])


def test_narration_does_not_own_quoted_words(real_scorer):
    text = (
        "“We will liberate every village,” a voice shouted from the crowd. "
        "The “liberation” was brutal. The troops liberated nothing."
    )
    records = list(score_documents([Document("t", text)], real_scorer))
    assert [r["voice_kind"] for r in records] == ["author", "author", "author"]
    # a quotation nobody could be credited with, and a scare-quoted term: listed, not scored
    for r in records[:2]:
        assert [h["quoted"] for h in r["hits"] if h["frame"] == "liberation"] == [True]
        assert r["lexical"]["liberation"] == 0.0
    # the author's own word counts
    assert records[2]["lexical"]["liberation"] > 0.5


def test_a_quoted_speakers_own_sentence_keeps_its_terms(real_scorer):
    (r,) = score_documents(
        [
            Document(
                "t", "“The special military operation is going according to plan,” Lavrov said."
            )
        ],
        real_scorer,
    )
    assert r["speaker"] == "Sergei Lavrov" and r["top_frame"] == "special_operation"
    assert r["lexical"]["special_operation"] > 0.5


def test_negated_real_war_does_not_count(seed_records):
    (r,) = [r for r in seed_records if "not a real war" in r["text"]]
    negated = [h for h in r["hits"] if h["negated"]]
    assert negated and all(
        r["lexical"][h["frame"]] == 0 or h["frame"] != negated[0]["frame"] for h in negated[:1]
    )


# Sentences written for this test that name no term of their frame: they must land on the
# right frame by meaning alone.
BY_MEANING = [
    (
        "Ordinary families in Kharkiv lost their homes and their children when rockets fell on "
        "the apartment blocks.",
        "civilian_harm",
    ),
    (
        "Kyiv has no choice left but to put down its weapons and accept every one of our "
        "conditions.",
        "surrender",
    ),
    (
        "The delegations sat down again in Istanbul to look for a compromise that could stop the "
        "fighting.",
        "negotiation",
    ),
    (
        "Grandmothers in the villages stood by the road with bread and tears of joy as our "
        "soldiers arrived, finally free.",
        "liberation",
    ),
    (
        "Volunteers with hunting rifles dug trenches outside their city, determined to defend "
        "every street.",
        "resistance",
    ),
    (
        "For Russia this is a question of whether we will continue to exist as a civilisation at "
        "all.",
        "existential",
    ),
    (
        "Crates of anti-tank missiles from Washington and London keep arriving at the Polish "
        "border.",
        "foreign_involvement",
    ),
]


@pytest.mark.parametrize("text,frame", BY_MEANING)
def test_frames_by_meaning_without_lexicon_terms(real_scorer, text, frame):
    (r,) = score_documents([Document("t", text)], real_scorer)
    assert not [h for h in r["hits"] if h["frame"] == frame], (
        "test sentence must not name a term of its frame"
    )
    assert r["top_frame"] == frame, (r["frames"], r["evidence"])


def test_score_texts_api_and_determinism(real_embedder):
    texts = {"a": "Our forces liberated the village.", "b": "The invaders shelled the hospital."}
    first = score_texts(texts, embedder=real_embedder)
    second = score_texts(texts, embedder=real_embedder)
    assert first == second
    assert [r["doc"] for r in first] == ["a", "b"]
    assert first[0]["top_frame"] == "liberation"


def test_axis_meaning_probes(real_scorer):
    """Each pole's idiom, with and without its terms, lands on its side; other talk near 0."""
    texts = [
        "The special military operation is going according to plan.",
        "Our units are carrying out the tasks set by the General Staff on schedule.",
        "Russia's brutal invasion of Ukraine has entered its second month.",
        "Russian troops attacked a peaceful neighbour that threatened no one.",
        "The weather in the capital was mild on Tuesday.",
        "Russia's actions are not an invasion, the spokesman said.",
    ]
    records = list(score_documents([Document(str(i), t) for i, t in enumerate(texts)], real_scorer))
    position = [r["axes"]["operation_vs_invasion"] for r in records]
    assert position[0] < position[1] < 0 < position[3] < position[2], position
    assert abs(position[4]) < 0.05, position
    # a negated term is no evidence of its pole
    assert records[5]["lexical"]["invasion"] == 0.0 and position[5] < position[2]
