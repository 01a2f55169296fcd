"""Lexicon schema, validation messages, built-in lexicon content."""

import pytest

from framing.errors import FramingError
from framing.lexicon import LexiconError, builtin_lexicon_names, load_lexicon, load_lexicons
from tests.conftest import DATA

REQUIRED_FRAMES = {
    "special_operation",
    "invasion",
    "liberation",
    "occupation",
    "denazification",
    "surrender",
    "resistance",
    "negotiation",
    "civilian_harm",
    "existential",
    "foreign_involvement",
}
REQUIRED_AXES = {
    "operation_vs_invasion": ("special_operation", "invasion"),
    "liberation_vs_occupation": ("liberation", "occupation"),
    "surrender_vs_resistance": ("surrender", "resistance"),
}


def test_builtin_lexicon_has_required_frames_and_axes():
    lex = load_lexicon()
    assert "war_ukraine" in builtin_lexicon_names()
    assert REQUIRED_FRAMES <= set(lex.frame_ids)
    for axis_id, (left, right) in REQUIRED_AXES.items():
        axis = next(a for a in lex.axes if a.id == axis_id)
        assert (axis.left, axis.right) == (left, right)
    for frame in lex.frames:
        assert frame.label and frame.description
        assert 5 <= len(frame.exemplars) <= 40, frame.id
        assert frame.terms, frame.id
        assert all(0 < t.weight <= 1 for t in frame.terms)
    assert any(t.text == "special military operation" for t in lex.frame("special_operation").terms)
    assert lex.sources and len(lex.sources[0][1]) == 64


def _problems(tmp_path, body: str, name: str = "bad.toml") -> list[str]:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    with pytest.raises(LexiconError) as info:
        load_lexicon(path)
    for line in info.value.problems:
        assert line.startswith(str(path) + ":"), line
        assert "\n" not in line
    return info.value.problems


def test_malformed_toml_names_file_and_line(tmp_path):
    (problem,) = _problems(tmp_path, "[[frames]]\nid = \n")
    assert "invalid TOML" in problem and "line 2" in problem


def test_frame_without_terms_or_exemplars(tmp_path):
    (problem,) = _problems(tmp_path, '[[frames]]\nid = "empty"\nlabel = "Empty"\n')
    assert "frame empty" in problem and "no terms and no exemplars" in problem


def test_axis_naming_unknown_frame(tmp_path):
    body = (
        '[[frames]]\nid = "a"\nexemplars = ["x y z"]\n'
        '[[axes]]\nid = "a_vs_b"\nleft = "a"\nright = "bogus"\n'
    )
    (problem,) = _problems(tmp_path, body)
    assert problem.endswith("axis a_vs_b / right: unknown frame 'bogus'")


_TWO_FRAMES = (
    '[[frames]]\nid = "a"\nexemplars = ["x y z"]\n'
    '[[frames]]\nid = "b"\nexemplars = ["u v w"]\n'
    '[[axes]]\nid = "a_vs_b"\nleft = "a"\nright = "b"\n'
)


def test_axis_pairs_load_in_order(tmp_path):
    path = tmp_path / "pairs.toml"
    path.write_text(
        _TWO_FRAMES
        + '[[axes.pairs]]\nleft = "one from a"\nright = "one from b"\n'
        + '[[axes.pairs]]\nleft = "two from a"\nright = "two from b"\n',
        encoding="utf-8",
    )
    (axis,) = load_lexicon(path).axes
    assert axis.pairs == (("one from a", "one from b"), ("two from a", "two from b"))


def test_an_axis_without_pairs_still_loads(tmp_path):
    path = tmp_path / "old.toml"
    path.write_text(_TWO_FRAMES, encoding="utf-8")
    (axis,) = load_lexicon(path).axes
    assert axis.pairs == ()
    assert axis.left_frames == () and axis.right_frames == ()  # the poles alone, as before


_THIRD_FRAME = '[[frames]]\nid = "c"\nexemplars = ["p q r"]\n'


def test_axis_pole_allies_load(tmp_path):
    path = tmp_path / "allies.toml"
    path.write_text(_THIRD_FRAME + _TWO_FRAMES + 'left_frames = ["c"]\n', encoding="utf-8")
    (axis,) = load_lexicon(path).axes
    assert axis.left_frames == ("c",) and axis.right_frames == ()


@pytest.mark.parametrize(
    "allies, expected",
    [
        ('left_frames = ["bogus"]\n', "axis a_vs_b / left_frames: unknown frame 'bogus'"),
        ('right_frames = "c"\n', "'right_frames' must be an array of frame ids, got 'c'"),
        ('left_frames = ["c"]\nright_frames = ["c"]\n', "frame 'c' is on both poles"),
        ('right_frames = ["a"]\n', "frame 'a' is on both poles"),
    ],
)
def test_bad_axis_pole_allies_are_reported(tmp_path, allies, expected):
    (problem,) = _problems(tmp_path, _THIRD_FRAME + _TWO_FRAMES + allies)
    assert problem.endswith(expected), problem


@pytest.mark.parametrize(
    "pairs, expected",
    [
        ('pairs = ["a", "b"]\n', "axis a_vs_b: 'pairs' must be an array of tables"),
        ('[[axes.pairs]]\nleft = "only one side"\n', "axis a_vs_b / pair #1: missing 'right'"),
        ('[[axes.pairs]]\nleft = "same"\nright = "same"\n', "pair #1: 'left' and 'right' are"),
        ('[[axes.pairs]]\nleft = "x"\nright = "y"\nwhy = 1\n', "pair #1: unknown key 'why'"),
        ('[[axes.pairs]]\nleft = " "\nright = "y"\n', "pair #1: 'left' and 'right' must be"),
    ],
)
def test_bad_axis_pairs_are_reported(tmp_path, pairs, expected):
    (problem,) = _problems(tmp_path, _TWO_FRAMES + pairs)
    assert expected in problem


def test_every_problem_is_reported_at_once(tmp_path):
    body = """
[[frames]]
id = "a"
exemplar = ["typo in key"]
[frames.terms]
"" = 1.0
"ok term" = 0
"bad" = "high"
"worse" = true

[[frames]]
id = "a"
exemplars = ["dup id"]

[[frames]]
id = "Not Snake"
exemplars = ["x"]
"""
    problems = _problems(tmp_path, body)
    text = "\n".join(problems)
    assert "frame a: unknown key 'exemplar'" in text
    assert "frame a / term '': empty term" in text
    assert "frame a / term 'ok term': weight must be a number in (0, 1], got 0" in text
    assert "frame a / term 'bad': weight must be a number in (0, 1], got 'high'" in text
    assert "frame a / term 'worse': weight must be a number in (0, 1], got True" in text
    assert "frame a: duplicate frame id" in text
    assert "'id' must be snake_case" in text


def test_terms_equal_after_normalisation_are_reported(tmp_path):
    body = '[[frames]]\nid = "a"\n[frames.terms]\n"Invasion" = 1.0\n"invasions" = 0.5\n'
    (problem,) = _problems(tmp_path, body)
    assert "same as term 'Invasion'" in problem


def test_duplicate_frame_ids_across_files(tmp_path):
    other = tmp_path / "other.toml"
    other.write_text('[[frames]]\nid = "invasion"\nexemplars = ["x"]\n', encoding="utf-8")
    with pytest.raises(LexiconError) as info:
        load_lexicons([DATA / "mini.toml", other])
    assert "duplicate frame id" in str(info.value)


def test_missing_file_and_unknown_builtin():
    with pytest.raises(FramingError, match="no such lexicon file"):
        load_lexicon("nowhere/lexicon.toml")
    with pytest.raises(FramingError, match="no such lexicon file or built-in lexicon"):
        load_lexicon("not_a_lexicon")


def test_a_user_lexicon_combines_with_the_builtin(tmp_path):
    mine = tmp_path / "mine.toml"
    mine.write_text(
        '[[frames]]\nid = "genocide"\n[frames.terms]\ngenocide = 1.0\n', encoding="utf-8"
    )
    lex = load_lexicons(["war_ukraine", mine])
    assert "genocide" in lex.frame_ids and "invasion" in lex.frame_ids
    assert len(lex.sources) == 2
