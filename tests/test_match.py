"""Lexical matching: inflections, multiword terms, spans, quoted and negated flags."""

import pytest

from framing.lexicon import load_lexicon
from framing.match import TermMatcher
from framing.text import find_quotes
from tests.conftest import DATA


@pytest.fixture(scope="module")
def matcher():
    return TermMatcher(load_lexicon(DATA / "mini.toml"))


def _terms(matcher, text):
    return [(h.frame, h.text) for h in matcher.match(text)]


@pytest.mark.parametrize("word", ["liberate", "liberating", "liberated", "Liberates", "LIBERATION"])
def test_inflections_of_liberate(matcher, word):
    assert _terms(matcher, f"They {word} the region.") == [("liberation", word)]


@pytest.mark.parametrize("word", ["invasion", "invading", "invaders", "invaded", "Invasions"])
def test_inflections_of_invasion(matcher, word):
    assert _terms(matcher, f"The {word} continued.") == [("invasion", word)]


@pytest.mark.parametrize("text", ["neo-Nazis", "neo Nazis", "neonazis", "Neo-Nazi"])
def test_hyphen_space_and_joined_variants(matcher, text):
    assert _terms(matcher, f"A gang of {text}.") == [("liberation", text)]


def test_longest_multiword_term_wins_and_spans_index_the_text(matcher):
    text = "Moscow calls it a Special Military Operation, not a war."
    hits = matcher.match(text)
    assert [(h.term, h.text) for h in hits] == [
        ("special military operation", "Special Military Operation")
    ]
    assert text[hits[0].start : hits[0].end] == "Special Military Operation"


@pytest.mark.parametrize(
    "text, found",
    [
        ("Day 40. #StopTheSpecialMilitaryOperation", "SpecialMilitaryOperation"),
        ("#NeoNazis in Kyiv, they say", "NeoNazis"),
        ("#NoInvasion", None),  # the hashtag's own "No" negates, as in "no invasion"
        ("#specialmilitaryoperation", "specialmilitaryoperation"),  # joined: the whole term
        ("#SPECIALOPERATION", None),  # no camel case: one word, and no term is that word
    ],
)
def test_camel_case_hashtags_hold_their_words(matcher, text, found):
    hits = [h for h in matcher.match(text) if not h.negated]
    assert [text[h.start : h.end] for h in hits] == ([found] if found else [])


def test_offsets_are_document_offsets_when_matching_a_slice(matcher):
    text = "First sentence. The invasion began."
    start = text.index("The")
    (hit,) = matcher.match(text, start, len(text))
    assert text[hit.start : hit.end] == "invasion"


def test_quoted_flag(matcher):
    text = 'Putin presented it as an effort to "liberate" the people; critics call it an invasion.'
    hits = {h.text: h for h in matcher.match(text, quotes=find_quotes(text))}
    assert hits["liberate"].quoted
    assert not hits["invasion"].quoted


@pytest.mark.parametrize(
    "text,negated",
    [
        ("This is not a real war.", True),
        ("There was no invasion, officials said.", True),
        ("Russia never planned an invasion of Ukraine.", True),
        ("Isn't this an invasion?", True),
        ("It is not over, and the invasion goes on.", False),  # clause break ends the scope
        ("Not only tanks but an invasion force.", False),  # 'but' ends the scope
        ("The invasion is not going well.", False),  # cue after the term
        ("Moscow does not seek to launch an invasion.", True),
        ("The Kremlin does not call it an invasion.", True),
        ("Moscow does not want an invasion.", True),
        ("We will not allow the invasion to continue.", False),  # negates 'allow', not the term
        ("There has never really been an invasion.", True),
    ],
)
def test_negation(matcher, text, negated):
    (hit,) = [h for h in matcher.match(text) if h.frame == "invasion"]
    assert hit.negated is negated


def test_any_unicode_text_gives_spans_inside_the_text(matcher):
    text = "Вторжение 🚀 \u200b invasion\u0301 ＩＮＶＡＳＩＯＮ liberate\x00"
    for hit in matcher.match(text):
        assert 0 <= hit.start < hit.end <= len(text)
        assert text[hit.start : hit.end] == hit.text
