"""Lexicon quality: leave-one-out checks of frames and axes (framing lexicon check --quality)."""

from framing.cli import app
from framing.lexicon import load_lexicon
from framing.quality import axis_quality, frame_quality, lexicon_quality
from tests.conftest import DATA, HashingEmbedder

BODY = """
[[frames]]
id = "sea"
exemplars = [
  "waves boat harbour", "boat sailor harbour", "waves sailor boat", "harbour waves", "sailor waves"
]
[[frames]]
id = "land"
exemplars = [
  "field tractor farm", "farm barn field", "tractor barn farm", "field barn", "farm tractor"
]
[[axes]]
id = "sea_vs_land"
left = "sea"
right = "land"
[[axes.pairs]]
left = "today waves boat"
right = "today field farm"
[[axes.pairs]]
left = "again sailor harbour"
right = "again tractor barn"
[[axes.pairs]]
left = "at night boat harbour"
right = "at night farm field"
[[axes.pairs]]
left = "still sailor waves"
right = "still barn tractor"
[[axes.pairs]]
left = "so harbour boat"
right = "so farm barn"
"""


def _lexicon(tmp_path, body=BODY):
    path = tmp_path / "q.toml"
    path.write_text(body, encoding="utf-8")
    return load_lexicon(path)


def test_distinct_frames_and_paired_axes_pass(tmp_path):
    frames, axes = lexicon_quality(_lexicon(tmp_path), HashingEmbedder())
    found = [(q.frame, q.nearest_own, q.exemplars) for q in frames]
    assert found == [("sea", 5, 5), ("land", 5, 5)]
    assert all(not q.problems for q in frames)
    (axis,) = axes
    assert (axis.source, axis.ordered, axis.checked) == ("pairs", 5, 5) and not axis.problems
    assert axis.mean_gap > 0


def test_an_exemplar_of_the_wrong_frame_strays_and_a_reversed_pair_is_caught(tmp_path):
    stray = '"farm tractor", "boat waves harbour sailor"\n]'
    body = BODY.replace('"farm tractor"\n]', stray).replace(
        'left = "at night boat harbour"\nright = "at night farm field"',
        'left = "at night farm field"\nright = "at night boat harbour"',
    )
    lexicon = _lexicon(tmp_path, body)
    embedder = HashingEmbedder()
    vectors = [embedder.encode(list(f.exemplars)) for f in lexicon.frames]
    sea, land = frame_quality(lexicon, vectors)
    assert land.strays == (("boat waves harbour sailor", "sea"),)
    (axis,) = axis_quality(lexicon, vectors, embedder.encode)
    assert axis.ordered == 4
    assert axis.misordered == (("at night farm field", "at night boat harbour"),)


def test_an_axis_without_pairs_is_flagged_but_checked_on_its_poles(tmp_path):
    body = BODY[: BODY.index("[[axes.pairs]]")]
    (axis,) = lexicon_quality(_lexicon(tmp_path, body), HashingEmbedder())[1]
    assert axis.source == "pole exemplars" and axis.checked == 5
    assert any("no [[axes.pairs]]" in p for p in axis.problems)


def test_too_few_exemplars_are_flagged():
    frames, _ = lexicon_quality(load_lexicon(DATA / "mini.toml"), HashingEmbedder())
    liberation = next(q for q in frames if q.frame == "liberation")
    assert any("only 1 exemplars" in p for p in liberation.problems)


def test_cli_quality_report_with_the_real_model(runner):
    result = runner.invoke(app, ["lexicon", "check", "war_ukraine", "--quality"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "war_ukraine: ok" in out
    for frame in load_lexicon().frame_ids:
        assert f"  {frame} " in out
    assert "operation_vs_invasion" in out and "[pairs]" in out
