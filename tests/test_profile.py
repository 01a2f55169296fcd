"""Per-actor profiles: bootstrap logic on small synthetic records, then the real sample records
(real model), including the voices and hit credits that scoring now attaches."""

import numpy as np
import pytest

from framing.errors import FramingError
from framing.profile import axis_positions, group_records, profile_records

FRAMES = ("war", "peace")


def _rec(speaker, side="west", kind="reported", war=0.5, peace=0.1, axis=0.0):
    top = "war" if war >= peace else "peace"
    return {
        "speaker": speaker,
        "side": side,
        "voice_kind": kind,
        "frames": {"war": war, "peace": peace},
        "top_frame": top,
        "axes": {"war_vs_peace": axis},
    }


def _rows(rows, group, frame=None):
    return [
        r
        for r in rows
        if r["group"] == group and (frame is None or r.get("frame", r.get("axis")) == frame)
    ]


@pytest.fixture
def synthetic():
    rng = np.random.default_rng(7)
    records = [
        _rec("Ann", war=float(w), peace=float(p)) for w, p in rng.uniform(0, 1, size=(40, 2))
    ]
    records += [_rec("Bob", side="russia", war=0.9, peace=0.0) for _ in range(3)]
    records += [_rec("author", side="unknown", kind="author", war=0.2, peace=0.3) for _ in range(6)]
    return records


def test_rows_have_the_documented_keys_and_intervals_hold_the_mean(synthetic):
    rows = profile_records(synthetic, n_boot=500)
    assert {r["group"] for r in rows} == {"Ann", "Bob", "author"}
    for r in rows:
        assert list(r) == [
            "group",
            "frame",
            "n",
            "mean",
            "mean_low",
            "mean_high",
            "top_share",
            "top_share_low",
            "top_share_high",
            "small_sample",
        ]
        assert r["mean_low"] <= r["mean"] <= r["mean_high"]
        assert r["top_share_low"] <= r["top_share"] <= r["top_share_high"]
        assert 0 <= r["top_share_low"] and r["top_share_high"] <= 1


def test_means_counts_and_top_shares_are_exact(synthetic):
    rows = profile_records(synthetic)
    ann = [r for r in synthetic if r["speaker"] == "Ann"]
    war = _rows(rows, "Ann", "war")[0]
    assert war["n"] == 40
    assert war["mean"] == pytest.approx(np.mean([r["frames"]["war"] for r in ann]), abs=1e-4)
    assert war["top_share"] == pytest.approx(
        np.mean([r["top_frame"] == "war" for r in ann]), abs=1e-4
    )
    bob = _rows(rows, "Bob", "war")[0]
    # Every Bob sentence is identical: the interval collapses onto the value.
    assert (bob["mean"], bob["mean_low"], bob["mean_high"]) == (0.9, 0.9, 0.9)
    assert (bob["top_share"], bob["top_share_low"], bob["top_share_high"]) == (1.0, 1.0, 1.0)


def test_small_samples_are_flagged(synthetic):
    rows = profile_records(synthetic, min_n=5)
    assert all(r["small_sample"] for r in _rows(rows, "Bob"))
    assert not any(r["small_sample"] for r in _rows(rows, "Ann") + _rows(rows, "author"))
    assert all(r["small_sample"] for r in _rows(profile_records(synthetic, min_n=50), "Ann"))


def test_bootstrap_is_deterministic_and_per_group(synthetic):
    a = profile_records(synthetic, seed=3, n_boot=300)
    assert a == profile_records(synthetic, seed=3, n_boot=300)
    assert a != profile_records(synthetic, seed=4, n_boot=300)
    # A group's interval does not depend on which other groups are present.
    alone = profile_records([r for r in synthetic if r["speaker"] == "Ann"], seed=3, n_boot=300)
    assert alone == _rows(a, "Ann")


def test_interval_width_matches_the_standard_error():
    rng = np.random.default_rng(0)
    values = rng.normal(0.5, 0.1, size=400)
    records = [_rec("X", war=float(v), peace=0.0) for v in values]
    row = _rows(profile_records(records, n_boot=2000), "X", "war")[0]
    expected = 2 * 1.96 * values.std() / np.sqrt(len(values))  # ~0.0196
    assert row["mean_high"] - row["mean_low"] == pytest.approx(expected, rel=0.2)


def test_grouping_by_side_puts_narration_in_its_own_group(synthetic):
    groups = group_records(synthetic, by="side")
    assert set(groups) == {"west", "russia", "author"}
    assert list(groups) == ["west", "author", "russia"]  # largest first
    rows = profile_records(synthetic, by="side", frames=["peace"])
    assert {r["frame"] for r in rows} == {"peace"}


def test_axis_positions(synthetic):
    for r in synthetic:
        r["axes"]["war_vs_peace"] = r["frames"]["war"] - r["frames"]["peace"]
    rows = axis_positions(synthetic, by="speaker", n_boot=400)
    for r in rows:
        assert list(r) == ["group", "axis", "n", "mean", "low", "high", "small_sample"]
        assert r["low"] <= r["mean"] <= r["high"]
    assert _rows(rows, "Bob")[0]["mean"] == pytest.approx(0.9)
    assert _rows(rows, "Bob")[0]["small_sample"] is True


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"by": "actor"}, "--by must be one of speaker, side; got 'actor'"),
        ({"n_boot": 0}, "--boot must be an integer >= 1; got 0"),
        ({"min_n": 0}, "--min-n must be an integer >= 1; got 0"),
    ],
)
def test_bad_options(synthetic, kwargs, message):
    with pytest.raises(FramingError, match=message):
        profile_records(synthetic, **kwargs)


def test_empty_input_gives_no_rows():
    assert profile_records([]) == [] and axis_positions([]) == []


# --- the sample corpus, scored with the real model ---------------------------------------


def _hits_inside(records, text, phrase, occurrence=None):
    starts = []
    pos = text.find(phrase)
    while pos != -1:
        starts.append(pos)
        pos = text.find(phrase, pos + 1)
    spans = [(s, s + len(phrase)) for s in starts]
    if occurrence is not None:
        spans = [spans[occurrence]]
    return [
        h
        for r in records
        for h in r["hits"]
        if any(a <= h["start"] and h["end"] <= b for a, b in spans)
    ]


def test_records_carry_voices_after_text(seed_records):
    for r in seed_records:
        keys = list(r)
        assert keys[keys.index("text") + 1 : keys.index("text") + 4] == [
            "speaker",
            "side",
            "voice_kind",
        ]
        assert r["voice_kind"] in ("author", "direct", "reported")
        assert r["speaker"] and r["side"]
        for h in r["hits"]:
            assert h["speaker"] and h["side"]
    kinds = {r["voice_kind"] for r in seed_records}
    assert kinds == {"author", "direct", "reported"}


def test_hits_are_credited_to_the_quoted_speaker(seed_records, seed_text):
    smo = _hits_inside(seed_records, seed_text, "special military operation")
    assert (
        len(smo) >= 2
        and {h["speaker"] for h in smo} == {"Moscow"}
        and {h["side"] for h in smo} == {"russia"}
    )
    liberate = _hits_inside(seed_records, seed_text, "“liberate”")
    assert liberate and {h["speaker"] for h in liberate} == {"Vladimir Putin"}
    gang = _hits_inside(seed_records, seed_text, "gang of neo-Nazis and drug addicts")
    assert gang and {h["speaker"] for h in gang} == {"Vladimir Putin"}
    surrender = _hits_inside(seed_records, seed_text, "we will not surrender")
    assert surrender and {h["speaker"] for h in surrender} == {"Dmytro Kuleba"}
    # The author's own sentence around a quoted term keeps the author's voice.
    host = next(r for r in seed_records if "Putin presented the operation" in r["text"])
    assert (host["speaker"], host["voice_kind"]) == ("Mark Episkopos", "author")


def test_profile_of_the_sample(seed_records):
    frames = list(seed_records[0]["frames"])
    rows = profile_records(seed_records, by="speaker", n_boot=300)
    groups = {r["group"]: r["n"] for r in rows}
    assert sum(groups.values()) == len(seed_records)
    assert len(rows) == len(groups) * len(frames)
    assert groups["Mark Episkopos"] > 10  # the author narrates most of it
    assert groups["Dmytro Kuleba"] == 4 and groups["Sergei Lipovoy"] == 3
    assert all(r["small_sample"] for r in rows if r["group"] == "Dmytro Kuleba")
    for r in rows:
        assert r["mean_low"] <= r["mean"] <= r["mean_high"]
    by_side = profile_records(seed_records, by="side", n_boot=300)
    assert {r["group"] for r in by_side} <= {
        "author",
        "russia",
        "ukraine",
        "west",
        "other",
        "unknown",
    }
    assert {"author", "russia", "ukraine", "west"} <= {r["group"] for r in by_side}
    axes = axis_positions(seed_records, by="side", n_boot=300)
    assert {r["axis"] for r in axes} == set(seed_records[0]["axes"])


def test_term_usage_counts_each_term_for_the_voice_that_uses_it():
    from framing.profile import term_usage

    hit = {"frame": "invasion", "term": "invasion", "quoted": False, "negated": False}
    records = [
        {
            "doc": "a",
            "speaker": "Ann",
            "side": "author",
            "voice_kind": "author",
            "hits": [
                {**hit, "speaker": "Ann", "side": "unknown"},
                {
                    **hit,
                    "frame": "special_operation",
                    "term": "special military operation",
                    "quoted": True,
                    "speaker": "Moscow",
                    "side": "russia",
                },
            ],
        },
        {
            "doc": "b",
            "speaker": "Ann",
            "side": "author",
            "voice_kind": "author",
            "hits": [
                {**hit, "negated": True, "speaker": "Ann", "side": "unknown"},
            ],
        },
    ]
    rows = term_usage(records, by="speaker")
    assert [
        (r["group"], r["term"], r["uses"], r["negated"], r["quoted"], r["docs"]) for r in rows
    ] == [
        ("Ann", "invasion", 1, 1, 0, 2),
        ("Moscow", "special military operation", 1, 0, 1, 1),
    ]
    by_side = {(r["group"], r["term"]) for r in term_usage(records, by="side")}
    assert by_side == {("author", "invasion"), ("russia", "special military operation")}
    with pytest.raises(FramingError):
        term_usage(records, by="colour")


def test_term_usage_of_the_sample(seed_records):
    from framing.profile import term_usage

    rows = {(r["group"], r["term"]): r for r in term_usage(seed_records)}
    assert rows[("Moscow", "special military operation")]["uses"] == 2
    assert ("Mark Episkopos", "special military operation") not in rows
    assert rows[("Vladimir Putin", "liberate")]["quoted"] == 1
    assert rows[("Mark Episkopos", "real war")]["negated"] == 1
