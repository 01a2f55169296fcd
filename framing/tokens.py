"""Word tokens with offsets, and the normalisation that makes matching inflection-tolerant.

Both lexicon terms and texts go through ``normalise``: lower case, curly apostrophes made
straight, Snowball (Porter2) English stemming, and one derivational rule (-sion -> -d) so
that "invasion" meets "invade", "invading", "invaders" as Porter2 alone would not.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise

import snowballstemmer

__all__ = ["Token", "tokenize", "normalise", "term_key"]

# A word: letters/digits, with inner apostrophes ("Ukraine's", "don't"). Hyphens split
# words, so "neo-Nazis" and "neo Nazis" give the same tokens.
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_STEMMER = snowballstemmer.stemmer("english")
_SION = re.compile(r"[^s]sions?$")


class Token(tuple):
    """(norm, start, end) of one word; ``norm`` is the stemmed form."""

    __slots__ = ()

    def __new__(cls, norm: str, start: int, end: int):
        return tuple.__new__(cls, (norm, start, end))

    norm = property(lambda self: self[0])
    start = property(lambda self: self[1])
    end = property(lambda self: self[2])


@lru_cache(maxsize=200_000)
def normalise(word: str) -> str:
    """The matching form of one word: lower-cased, stemmed."""
    lowered = word.lower().replace("’", "'")
    if lowered.endswith("n't"):
        return "not"  # "isn't", "won't": a negation cue, and "not" in a term matches it
    stem = _STEMMER.stemWord(lowered)
    if _SION.search(lowered) and stem.endswith("s"):
        stem = stem[:-1] + "d"  # invasion -> invad, decision -> decid, explosion -> explod
    return stem


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Word tokens of ``text[start:end]`` with offsets into ``text``."""
    return [Token(normalise(text[a:b]), a, b) for a, b in spans(_WORD, text, start, end)]


def spans(word: re.Pattern, text: str, start: int = 0, end: int | None = None) -> list:
    """The (start, end) of each word of ``text[start:end]`` that the ``word`` pattern finds,
    camel-case hashtags split into the words they run together (``word_spans``): the one
    word-finding step of every language's tokenizer."""
    end = len(text) if end is None else end
    if text.find("#", max(start - 1, 0), end) < 0:  # no hashtag: one span per word
        return [m.span() for m in word.finditer(text, start, end)]
    return [span for m in word.finditer(text, start, end) for span in word_spans(text, m)]


def word_spans(text: str, match: re.Match) -> list[tuple[int, int]]:
    """The (start, end) of the words in one matched word: itself, or, for a camel-case
    hashtag, each word it runs together: "#RussiaIsATerroristState" holds "terrorist state"
    and "#ArmUkraineNow" "arm Ukraine", as posts write them."""
    a, b = match.span()
    if a == 0 or text[a - 1] != "#":
        return [(a, b)]
    word = match.group()
    cuts = [0]
    for i in range(1, len(word)):
        before, here = word[i - 1], word[i]
        after = word[i + 1] if i + 1 < len(word) else ""
        if (
            (before.islower() and here.isupper())
            or (before.isupper() and here.isupper() and after.islower())  # "ATerrorist"
            or (before.isdigit() != here.isdigit())
        ):
            cuts.append(i)
    if not any(word[i - 1].islower() and word[i].isupper() for i in cuts[1:]):
        return [(a, b)]  # "#NATO", "#ukrainewar": no camel case, one word as written
    cuts.append(len(word))
    return [(a + x, a + y) for x, y in pairwise(cuts)]


def term_key(term: str) -> tuple[str, ...]:
    """The token sequence a lexicon term matches."""
    return tuple(normalise(m.group()) for m in _WORD.finditer(term))
