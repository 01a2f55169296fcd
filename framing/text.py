"""Documents -> sentences with character offsets, and quotation spans.

Everything here is plain functions over plain data: offsets always index the original
document text, so ``doc.text[s.start:s.end] == s.text`` for every sentence and quote.
"""

from __future__ import annotations

import datetime
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

__all__ = [
    "Document",
    "Sentence",
    "Quote",
    "segment",
    "find_quotes",
    "main_script",
    "ABBREVIATIONS",
    "MAX_SENTENCE_CHARS",
]


@dataclass(frozen=True)
class Document:
    """One input text. ``id`` names it in every record (a file path, or a row id);
    ``speaker``, when a table row names who wrote it (a channel, an account), is the voice of
    its narration; ``date``, when the input gives it, picks who held an office then."""

    id: str
    text: str
    source: str = ""
    speaker: str | None = None
    date: datetime.date | None = None


def speaker_name(value: object) -> str | None:
    """A table cell naming a document's speaker, with its white space tidied; ``None`` for
    an empty or blank cell (a row nobody is named for)."""
    if value is None:
        return None
    return " ".join(str(value).split()) or None


@dataclass(frozen=True)
class Sentence:
    """A sentence of a document; ``start``/``end`` are offsets into ``Document.text``."""

    doc: str
    sentence_id: int
    start: int
    end: int
    text: str
    paragraph: int = 0


@dataclass(frozen=True)
class Quote:
    """A span between quotation marks.

    ``start``/``end`` include the marks, ``inner_start``/``inner_end`` exclude them.
    ``closed`` is False where the closing mark is missing and the span was cut at the
    paragraph end (best effort). ``depth`` is 2 for a quote nested inside another.
    """

    start: int
    end: int
    inner_start: int
    inner_end: int
    text: str
    closed: bool = True
    depth: int = 1
    sentence_ids: tuple[int, ...] = field(default=())


# Abbreviations whose trailing period does not end a sentence (lower-cased, without the
# final period). Titles matter most: news text is full of "Gen.", "Maj.", "Lt. Col.".
ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof sr jr st mt ft gen maj lt col capt cpt cmdr adm sgt cpl pvt brig
    gov sen rep del pres amb sec atty supt insp rev hon messrs
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun
    no nos vol vols pp ch fig figs approx est dept univ inc ltd co corp assn bros
    vs etc al cf ca min max
    """.split()
)

# Words that look like sentence ends when followed by a capital but are part of a name:
# "U.S.", "U.K.", "e.g.", "a.m." (letters separated by periods).
_DOTTED_ACRONYM = re.compile(r"(?:\b[A-Za-z]\.){2,}$")
_INITIAL = re.compile(r"(?:^|[\s(\"“‘'])[A-Z]\.$")

_TERMINAL = ".!?…"
# Characters that may follow the terminal punctuation and still belong to the sentence.
_CLOSERS = "\"'”’»)]"
# What may open the next sentence: a capital, a digit, an opening quote/bracket.
_OPENERS = "\"'“‘«([„"

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_NON_SPACE = re.compile(r"\S")
_SHORT_LINE = 60  # a line this short with no final punctuation is a heading of its own
# No abbreviation or dotted acronym is longer; bounding the look-back keeps a megabyte
# run like "a.b.c.d…" linear instead of quadratic.
_MAX_ABBREVIATION = 32


def _paragraph_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each paragraph: blank lines split, and so does a single newline
    after a heading-like short line or after sentence-final punctuation."""
    pos = 0
    for brk in _PARAGRAPH_BREAK.finditer(text):
        yield from _split_lines(text, pos, brk.start())
        pos = brk.end()
    yield from _split_lines(text, pos, len(text))


def _split_lines(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    block_start = start
    cursor = start
    while True:
        newline = text.find("\n", cursor, end)
        if newline == -1:
            break
        line = text[cursor:newline].rstrip()
        # The next visible character (a search, not a slice of the rest: thousands of
        # lines in one block would make a slice per line quadratic).
        nxt = _NON_SPACE.search(text, newline + 1, end)
        following = nxt.group() if nxt else ""
        # Hard-wrapped prose continues across the newline; a heading or a finished
        # sentence followed by a capitalised line starts a new paragraph.
        if (
            line
            and following
            and following.isupper()
            and (
                len(line) < _SHORT_LINE
                and not line.endswith((",", ";"))
                or line[-1] in _TERMINAL + _CLOSERS
            )
        ):
            yield block_start, newline
            block_start = newline + 1
        cursor = newline + 1
    yield block_start, end


def _is_abbreviation(text: str, period: int) -> bool:
    """True when the period at ``period`` closes an abbreviation, not a sentence."""
    word_start = period
    limit = max(0, period - _MAX_ABBREVIATION)
    while word_start > limit and (text[word_start - 1].isalpha() or text[word_start - 1] == "."):
        word_start -= 1
    if word_start == limit and limit > 0 and (text[limit - 1].isalpha() or text[limit - 1] == "."):
        return False  # a run this long is no abbreviation
    word = text[word_start:period]
    if not word:
        return False
    if word.lower().rstrip(".") in ABBREVIATIONS:
        return True
    with_period = text[word_start : period + 1]
    if _DOTTED_ACRONYM.search(with_period):
        # "U.S." ends a sentence only if the next word could not continue a name; we
        # keep it joined: a missed split costs less than a title torn from its name.
        return True
    return bool(_INITIAL.search(text[max(0, word_start - 1) : period + 1]))


def _sentence_bounds(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Sentence (start, end) offsets inside one paragraph, trimmed of white space."""
    sent_start = start
    i = start
    while i < end:
        ch = text[i]
        if ch in _TERMINAL:
            j = i + 1
            while j < end and text[j] in _TERMINAL:
                j += 1
            while j < end and text[j] in _CLOSERS:
                j += 1
            k = j
            while k < end and text[k].isspace():  # scraped news puts no-break spaces here
                k += 1
            boundary = (
                k > j
                and k < end
                and (text[k].isupper() or text[k].isdigit() or text[k] in _OPENERS)
                and not (ch == "." and j == i + 1 and _is_abbreviation(text, i))
            )
            if boundary:
                yield sent_start, j
                sent_start = k
                i = k
                continue
            i = j
            continue
        i += 1
    yield sent_start, end


_ASCII_LETTER = re.compile(r"[A-Za-z]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _pieces(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    for s_start, s_end in _sentence_bounds(text, start, end):
        yield from _bounded(text, s_start, s_end)


def main_script(text: str, sample: int = 5000) -> tuple[str, float]:
    """The writing system most of ``text``'s letters are in ("LATIN", "CYRILLIC", ...) and
    its share of the letters, judged on the first ``sample`` characters."""
    import unicodedata

    head = text[:sample]
    # ASCII letters are Latin: only the others are looked up one by one (this runs per
    # document, and an English text has few of them)
    counts: dict[str, int] = {}
    ascii_letters = len(_ASCII_LETTER.findall(head))
    if ascii_letters:
        counts["LATIN"] = ascii_letters
    for ch in _NON_ASCII.findall(head):
        if ch.isalpha():
            script = unicodedata.name(ch, "UNKNOWN").split(" ", 1)[0]
            counts[script] = counts.get(script, 0) + 1
    if not counts:
        return "LATIN", 1.0
    script = max(sorted(counts), key=counts.__getitem__)
    return script, counts[script] / sum(counts.values())


# A "sentence" longer than this (unpunctuated transcripts, captions, scraped run-ons) is
# cut into pieces of at most this many characters, at the last white space before the
# limit (mid-word only where a piece has none). Reported speech runs to the end of its
# sentence, so without a bound every claim in a megabyte-long sentence would span the rest
# of the text (memory quadratic in its length). Real sentences stay far below it, and the
# model reads only its first 256 word pieces (about 1,000-1,300 characters) anyway.
MAX_SENTENCE_CHARS = 2000


def _bounded(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """(start, end) pieces of one sentence, none longer than ``MAX_SENTENCE_CHARS``."""
    while end - start > MAX_SENTENCE_CHARS:
        cut = start + MAX_SENTENCE_CHARS
        space = max(text.rfind(" ", start + 1, cut), text.rfind("\n", start + 1, cut))
        if space > start:
            cut = space
        yield start, cut
        start = cut
        while start < end and text[start].isspace():
            start += 1
    yield start, end


def segment(doc: Document) -> list[Sentence]:
    """Split a document into sentences whose offsets slice ``doc.text`` exactly (a very
    long one in pieces of at most ``MAX_SENTENCE_CHARS``)."""
    sentences: list[Sentence] = []
    text = doc.text
    for paragraph, (p_start, p_end) in enumerate(_paragraph_spans(text)):
        for s_start, s_end in _pieces(text, p_start, p_end):
            while s_start < s_end and text[s_start].isspace():
                s_start += 1
            while s_end > s_start and text[s_end - 1].isspace():
                s_end -= 1
            if s_start == s_end or not any(c.isalnum() for c in text[s_start:s_end]):
                continue  # lone punctuation such as a stray ". ." is no sentence
            sentences.append(
                Sentence(
                    doc=doc.id,
                    sentence_id=len(sentences),
                    start=s_start,
                    end=s_end,
                    text=text[s_start:s_end],
                    paragraph=paragraph,
                )
            )
    return sentences


# --- quotations ---------------------------------------------------------------------

# Paired marks: opener -> closer. Straight marks are handled by position (see below).
_PAIRS = {"“": "”", "«": "»", "„": "“", "‘": "’", "‹": "›", "「": "」", "『": "』"}
_DOUBLE_OPENERS = {"“", "«", "„", "「", "『", '"'}
# Quotes nested deeper than this are not reported: real prose stops at two or three
# levels, and a run of unmatched marks in scraped junk would otherwise give one quote per
# mark, each copying the rest of the paragraph (quadratic time and memory).
MAX_QUOTE_DEPTH = 4


def _is_word_char(ch: str) -> bool:
    return ch.isalnum()


def _can_open_straight(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not _is_word_char(before) and not after.isspace() and before not in ".,;!?"


def _can_close_straight(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if before == " " and i > 1 and text[i - 2] in "'’":
        before = text[i - 2]  # "... like, 'Oh, this is important,' " Magel said": set apart
    return not before.isspace() and not _is_word_char(after)


# Words whose first letters an apostrophe stands for: "asked ‘em", "‘til", "rock ‘n’ roll".
_ELISIONS = re.compile(r"(?:em|til|cause|bout|n|tis|twas|round|cept|nuff|kay)\b", re.IGNORECASE)


def _can_open_single(text: str, i: int) -> bool:
    """A single mark opens a quote only where it cannot be an apostrophe."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (
        (before.isspace() or before in '([“"—–-')
        and after.isalpha()
        and not _ELISIONS.match(text, i + 1)
    )


def _can_close_single(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and not after.isalpha()


def find_quotes(text: str, sentences: list[Sentence] | None = None) -> list[Quote]:
    """Quotation spans of ``text``: curly, straight, guillemets, and single marks.

    Unbalanced marks never raise: an unclosed quote ends at its paragraph end
    (``closed=False``), a stray closer is ignored. Single-mark quotes inside a
    double-mark quote are nested quotes (``depth=2``); quotes deeper than
    ``MAX_QUOTE_DEPTH`` are left out. With ``sentences`` (sorted, as ``segment`` gives
    them), each quote lists the sentences it overlaps.
    """
    quotes: list[Quote] = []
    paragraphs = list(_paragraph_spans(text)) or [(0, len(text))]
    for p_start, p_end in paragraphs:
        quotes.extend(_quotes_in_paragraph(text, p_start, p_end))
    quotes.sort(key=lambda q: (q.start, -q.end))
    if sentences:
        starts = [s.start for s in sentences]
        ends = [s.end for s in sentences]
        ordered = all(a <= b for a, b in zip(ends, starts[1:], strict=False))
        quotes = [_with_sentences(q, sentences, starts, ends, ordered) for q in quotes]
    return quotes


def _quotes_in_paragraph(text: str, start: int, end: int) -> Iterator[Quote]:
    # Stack of open marks: (expected closer, position, is_double).
    stack: list[tuple[str, int, bool]] = []
    i = start
    while i < end:
        ch = text[i]
        top_closer = stack[-1][0] if stack else None
        closes = False
        if top_closer is not None and ch == top_closer:
            if ch in ("'", "’"):
                closes = _can_close_single(text, i)
            elif ch == '"':
                closes = _can_close_straight(text, i)
            else:
                closes = True
        elif (ch == '"' or ch == "”") and top_closer in ("”", '"') and stack[-1][2]:
            # Mixed marks ('“We will win,"', '"You will be happy.”'), common in edited
            # and scraped news: a double quotation closes with either double mark.
            closes = _can_close_straight(text, i)
        elif ch == "“" and top_closer in ("”", '"') and stack[-1][2]:
            # '“It's unusual,“ said Larry Noble': an opening mark typed for the closing one,
            # after the quotation's last punctuation and before a space, opens nothing
            after = text[i + 1] if i + 1 < len(text) else " "
            closes = i > 0 and text[i - 1] in ",.!?…" and after.isspace()
        if closes:
            closer, opened, _ = stack.pop()
            inner = text[opened + 1 : i] if len(stack) < MAX_QUOTE_DEPTH else ""
            if inner.strip():
                yield Quote(
                    start=opened,
                    end=i + 1,
                    inner_start=opened + 1,
                    inner_end=i,
                    text=inner,
                    closed=True,
                    depth=len(stack) + 1,
                )
        elif (
            ch in _PAIRS
            and (ch != "‘" or _can_open_single(text, i))
            and not (
                ch == "“" and stack and stack[-1][0] == "“"  # „…“ closes, handled above
            )
        ):
            stack.append((_PAIRS[ch], i, ch in _DOUBLE_OPENERS))
        elif ch == '"' and _can_open_straight(text, i):
            stack.append(('"', i, True))
        elif ch == "'" and _can_open_single(text, i):
            stack.append(("'", i, False))
        elif ch == "”" and not stack:
            pass  # a stray closer: ignore rather than guess
        i += 1
    # Unclosed double quotes run to the paragraph end (a multi-paragraph quotation, or
    # a typo). Unclosed single marks were most likely apostrophes: drop them.
    for depth, (_, opened, is_double) in enumerate(stack[:MAX_QUOTE_DEPTH], start=1):
        if not is_double:
            continue
        inner_end = end
        while inner_end > opened + 1 and text[inner_end - 1].isspace():
            inner_end -= 1
        inner = text[opened + 1 : inner_end]
        if inner.strip():
            yield Quote(
                start=opened,
                end=inner_end,
                inner_start=opened + 1,
                inner_end=inner_end,
                text=inner,
                closed=False,
                depth=depth,
            )


def _with_sentences(
    quote: Quote, sentences: list[Sentence], starts: list[int], ends: list[int], ordered: bool
) -> Quote:
    if ordered:
        # Sentences do not overlap, so the ones a quote touches are a contiguous run:
        # found by bisection, not by a scan per quote (quadratic on long texts).
        first = bisect_right(ends, quote.inner_start)
        last = bisect_left(starts, quote.inner_end, lo=first)
        ids = tuple(s.sentence_id for s in sentences[first:last])
    else:
        ids = tuple(
            s.sentence_id
            for s in sentences
            if s.start < quote.inner_end and quote.inner_start < s.end
        )
    return replace(quote, sentence_ids=ids)


def inside_quote(start: int, end: int, quotes: list[Quote]) -> Quote | None:
    """The innermost quote whose inner span contains [start, end), if any."""
    best: Quote | None = None
    for q in quotes:
        if q.inner_start <= start and end <= q.inner_end:
            if best is None or q.depth > best.depth:
                best = q
    return best


class QuoteIndex:
    """``inside_quote`` for many spans of one text: a bisection per nesting level instead
    of a scan of every quote per span (quadratic on a long text full of quotes).

    Quotes of one depth never overlap when they come from ``find_quotes``; for any other
    list (hand-made, overlapping) the index falls back to the plain scan.
    """

    def __init__(self, quotes: Sequence[Quote]):
        self.quotes = quotes
        self.size = len(quotes)
        by_depth: dict[int, list[Quote]] = {}
        for q in quotes:
            by_depth.setdefault(q.depth, []).append(q)
        self._levels: list[tuple[list[int], list[Quote]]] | None = []
        for _, level in sorted(by_depth.items(), reverse=True):  # innermost first
            level.sort(key=lambda q: q.inner_start)
            if any(a.inner_end > b.inner_start for a, b in zip(level, level[1:], strict=False)):
                self._levels = None
                break
            self._levels.append(([q.inner_start for q in level], level))

    def innermost(self, start: int, end: int) -> Quote | None:
        """The innermost quote whose inner span contains [start, end), if any."""
        if self._levels is None or start >= end:
            return inside_quote(start, end, list(self.quotes))
        for starts, level in self._levels:
            i = bisect_right(starts, start) - 1
            if i >= 0 and end <= level[i].inner_end:
                return level[i]
        return None
