"""Sentence structure: each sentence's tokens, clauses and relative clauses, the
quotation each token stands in, and the titles a document gives its people."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from framing.attribution.phrases import (
    FUNCTION_WORDS,
    MONTHS,
    TIME_WORDS,
    TITLES,
    Speaker,
    SpeakerContext,
    Word,
    WordClasses,
    person,
    phrase_left,
    trailing_name,
)
from framing.attribution.vocabulary import (
    _AUX,
    _CHAIN,
    _CLAUSE_CONJ,
    _CLOSE_MARKS,
    _DASHES,
    _NEW_SUBJECT,
    _OPEN_MARKS,
    _RELATIVE,
)
from framing.slavic import has_cyrillic
from framing.text import Quote, Sentence


@dataclass
class _Sent:
    """A sentence's tokens (indices into the document's tokens) and its structure."""

    index: int
    sentence: Sentence
    lo: int  # first token index
    hi: int  # one past the last token index
    clauses: list[tuple[int, int]]  # char ranges, in order, not overlapping
    relatives: list[tuple[int, int]]  # ", which ...," char ranges
    clause_starts: list[int] = field(default_factory=list)
    # built when first needed (see _tail_of): tokens that are words or a colon, and the
    # runs of tokens inside one quotation, as (first, end, quotation)
    said_words: list[int] | None = None
    quote_runs: list[tuple[int, int, int]] | None = None
    _relative_index: _Relatives | None = None

    @property
    def relative_index(self) -> _Relatives:
        if self._relative_index is None:
            self._relative_index = _Relatives(self.relatives)
        return self._relative_index


class _Relatives:
    """A sentence's ", which ...," clauses, for bisection. They come in text order and
    each ends at the first comma that can close it, so their ends never decrease either
    (checked: else every question is a pass over them all, as before)."""

    def __init__(self, relatives: list[tuple[int, int]]):
        self.relatives = relatives
        self.starts = [r[0] for r in relatives]
        self.ends = [r[1] for r in relatives]
        self.ordered = all(
            a[0] < b[0] and a[1] <= b[1] for a, b in zip(relatives, relatives[1:], strict=False)
        )
        self.start_by_end: dict[int, int] = {}  # the first relative ending there
        for start, end in relatives:
            self.start_by_end.setdefault(end, start)

    def reaches(self, verb: int, target: int) -> bool:
        """False when ``verb`` lies in a relative clause that does not hold ``target``."""
        if not self.ordered:
            return all(
                not start <= verb < end or start <= target < end for start, end in self.relatives
            )
        # the relatives holding verb are those from the first ending after it to the last
        # starting at or before it; all hold target when the innermost bounds do
        first = bisect.bisect_right(self.ends, verb)
        last = bisect.bisect_right(self.starts, verb) - 1
        return first > last or self.starts[last] <= target < self.ends[first]


def _skip_left(toks: list[Word], j: int, lo: int) -> int:
    """Index of the last token before a verb once auxiliaries, adverbs, time phrases and
    verb chains ("continue to", "has repeatedly") are skipped."""
    while j >= lo:
        t = toks[j]
        low = t.low
        if not t.word:
            return j
        if (
            low in _AUX
            or low in TIME_WORDS
            or low in MONTHS
            and not t.cap
            or (low.endswith("ly") and len(low) > 4 and not t.cap)
        ):
            j -= 1
        elif low == "to" and j - 1 >= lo and toks[j - 1].low in _CHAIN:
            j -= 2
        elif low in ("on",) and j + 1 < len(toks) and toks[j + 1].low in TIME_WORDS:
            j -= 1
        elif low in TIME_WORDS and t.cap:
            j -= 1
        else:
            return j
    return j


@dataclass
class _Event:
    """A speech act: a verb (or 'according to') with its speaker and where its words are."""

    cls: str  # say | that | name | number | according | setting | participle
    verb_start: int
    verb_end: int
    speaker: Speaker | None
    first: int  # char offset where the attribution begins (speaker or verb)
    last: int  # char offset where the attribution (speaker, verb) ends
    clause: tuple[int, int]
    container: int | None  # index of the quotation the verb stands in, None: narration
    tail: bool = False  # ", X said." closing a clause: the words are before it
    sentence: int = 0
    paragraph: int = 0
    used_for_quote: bool = False
    source: bool = False  # "..., according to CNN" beside another speaker: a source only


@dataclass
class _Doc:
    """One document as every stage reads it: its text, its words and where each starts,
    the registry's word classes, what the document has said so far (``ctx``: names behind
    surnames, learnt titles, last speakers, its date), and the quotation each word stands
    in (``in_quote``: None for narration; filled once the quotations are known)."""

    text: str
    toks: list[Word]
    starts: list[int]
    lex: WordClasses
    ctx: SpeakerContext
    in_quote: list[int | None] = field(default_factory=list)


@dataclass
class _Q:
    """A quotation being attributed."""

    quote: Quote
    start: int  # inner start
    end: int  # effective inner end (an unclosed quote counts to its first sentence's end)
    sentence: int
    paragraph: int
    parent: int | None
    accepted: bool  # may give sentences a direct voice
    speaker: Speaker | None = None
    kind: str = "direct"
    cue: tuple[int, int] | None = None
    words: int = 0
    turn: bool = False  # a transcript turn ("Vladimir Putin: ..."), its speaker known


class _SentenceIndex:
    """Which sentences overlap a character range (sentences are in text order)."""

    def __init__(self, sentences: Sequence[Sentence]):
        self.starts = [s.start for s in sentences]
        self.ends = [s.end for s in sentences]

    def overlapping(self, start: int, end: int) -> range:
        return range(bisect.bisect_right(self.ends, start), bisect.bisect_left(self.starts, end))

    def at(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.starts, pos) - 1)


def _prepare_quotes(text: str, quotes: Sequence[Quote], sentences: Sequence[Sentence]) -> list[_Q]:
    """Quotations with their effective extent, sentence, paragraph and parent quotation."""
    index = _SentenceIndex(sentences)
    paragraph_first: dict[int, int] = {}
    for s in sentences:
        paragraph_first.setdefault(s.paragraph, s.start)

    next_alnum = _NextAlnum(text)
    qs: list[_Q] = []
    open_top: list[int] = []  # top-level quotations that may still hold the next one
    for quote in sorted(quotes, key=lambda q: (q.start, -q.end)):
        if not sentences:
            break
        si = index.at(quote.start)
        par = sentences[si].paragraph
        end = quote.inner_end
        accepted = True
        if not quote.closed:
            # The convention for a quotation over paragraphs: it opens as an utterance (at a
            # sentence start or after "said:" / "said,"), and the next paragraph reopens.
            nxt = paragraph_first.get(par + 1)
            opener = _char_before(text, quote.start)
            utterance = opener in ":," or next_alnum(sentences[si].start) >= quote.start
            runs_on = utterance and nxt is not None and text[nxt] in _OPEN_MARKS
            if not runs_on:
                # A quote that never closes: trust it only as far as its first sentence
                # (nothing of it when it opens after that sentence, in text segment() left
                # out: 'a\n\n".' -- an end before the start made a span with start > end).
                end = max(quote.inner_start, min(end, sentences[si].end))
                accepted = False
        while end > quote.inner_start and text[end - 1].isspace():
            end -= 1
        # Quotations come sorted by start, so the one holding this one, if any, is the
        # last top-level quotation that has not ended before it.
        while open_top and qs[open_top[-1]].end <= quote.inner_start:
            open_top.pop()
        parent = None
        if open_top:
            holder = qs[open_top[-1]]
            if holder.start <= quote.inner_start and quote.inner_end <= holder.end:
                parent = open_top[-1]
        words = len(re.findall(r"[^\W_]+(?:['’\-][^\W_]+)*", text[quote.inner_start : end]))
        qs.append(_Q(quote, quote.inner_start, end, si, par, parent, accepted, words=words))
        if parent is None:
            open_top.append(len(qs) - 1)
    return qs


def _quote_index(toks: list[Word], qs: list[_Q]) -> list[int | None]:
    """For each token, the top-level quotation it lies in (marks included), or None."""
    out: list[int | None] = [None] * len(toks)
    starts = [t.start for t in toks]
    for k, q in enumerate(qs):
        if q.parent is not None:
            continue
        lo = bisect.bisect_left(starts, q.quote.start)
        hi = bisect.bisect_left(starts, max(q.end, q.quote.end if q.quote.closed else q.end))
        for i in range(lo, hi):
            out[i] = k
    return out


def _structure(
    index: int, s: Sentence, toks: list[Word], starts: list[int], in_quote, text: str
) -> _Sent:
    lo = bisect.bisect_left(starts, s.start)
    hi = bisect.bisect_left(starts, s.end)
    clauses: list[tuple[int, int]] = []
    relatives: list[tuple[int, int]] = []
    begin = s.start
    i = lo
    while i < hi:
        t = toks[i]
        if in_quote[i] is not None:
            i += 1
            continue
        cut = None
        if t.text == ";":
            cut = (t.start, t.end)
        elif (
            t.text in _DASHES or t.text == "-" and i + 1 < hi and text[t.start - 1 : t.start] == " "
        ):
            if text[t.start - 1 : t.start].isspace():
                cut = (t.start, t.end)
        elif t.text == "," and i + 2 < hi and toks[i + 1].low in _CLAUSE_CONJ:
            nxt = toks[i + 2]
            if nxt.word and (nxt.cap and nxt.low not in FUNCTION_WORDS or nxt.low in _NEW_SUBJECT):
                cut = (t.start, toks[i + 1].end)
        elif t.text == "," and i + 1 < hi and toks[i + 1].low in _RELATIVE:
            relatives.append((t.start, _relative_end(toks, i + 1, hi, in_quote, text, s.end)))
        if cut is not None:
            if cut[0] > begin:
                clauses.append((begin, cut[0]))
            begin = cut[1]
        i += 1
    clauses.append((begin, s.end))
    return _Sent(index, s, lo, hi, clauses, relatives, [c[0] for c in clauses])


def _relative_end(toks, k: int, hi: int, in_quote, text: str, limit: int) -> int:
    """End of a ", which ..." clause: its closing comma (outside quotes, or just before a
    closing quotation mark, as in 'which Moscow calls a "special military operation,"')."""
    for j in range(k, hi):
        t = toks[j]
        if t.text != ",":
            continue
        if in_quote[j] is None:
            return t.end
        after = t.end
        if after < len(text) and text[after] in _CLOSE_MARKS:
            while after < len(text) and text[after] in _CLOSE_MARKS:
                after += 1
            return after
    return limit


def _clause_of(st: _Sent, pos: int) -> tuple[int, int]:
    """The clause holding ``pos``, else the last one when ``pos`` is after it, else the first."""
    c = _clause_at(st, pos)
    if c is not None:
        return c
    return st.clauses[-1] if pos >= st.clauses[-1][0] else st.clauses[0]


def _clause_at(st: _Sent, pos: int) -> tuple[int, int] | None:
    """The clause holding ``pos``, if one does (a bisection: clauses are in order)."""
    k = bisect.bisect_right(st.clause_starts, pos) - 1
    if k >= 0 and pos < st.clauses[k][1]:
        return st.clauses[k]
    return None


def _learn_titles(sents: list[_Sent], d: _Doc) -> None:
    """Remember every "title + full name" of the document, so that a later bare surname
    gets the full name and the side its title gave ("Russian General X ... X said")."""
    toks, lex, ctx = d.toks, d.lex, d.ctx
    for st in sents:
        i = st.lo
        while i < st.hi:
            if not (toks[i].word and (toks[i].low in TITLES or toks[i].low in lex.role_heads)):
                i += 1
                continue
            j = i
            if has_cyrillic(toks[i].text):
                # "Губернатор Сумской области Олег Федоров": a Russian or Ukrainian office
                # runs on with its genitive, no link word, up to the name
                j = _office_end(toks, j, st.hi, lex)
            # "President of Ukraine Volodymyr Zelenskyy", "Adviser to the Head of the
            # President's Office Mykhailo Podoliak": the office may run on with its links
            while (
                j + 2 < st.hi
                and toks[j + 1].word
                and toks[j + 1].low in ("of", "to", "for")
                and toks[j + 2].word
                and (toks[j + 2].cap or toks[j + 2].low == "the")
            ):
                j = _office_end(toks, j + 2, st.hi, lex)
            while j + 1 < st.hi and toks[j + 1].word and lex.name_word(toks[j + 1]):
                j += 1
            if j - i >= 2:  # a first name and a surname at least
                span = phrase_left(toks, j, st.lo, lex)
                if span is not None:
                    phrase = toks[span[0] : span[1] + 1]
                    split = trailing_name(phrase, lex)
                    if len(phrase) - split >= 2 and split > 0:
                        named = person(phrase[split:], phrase[:split], (), lex, ctx)
                        if named.kind == "person":
                            ctx.learn_title(phrase[:split], named)
            i = j + 1


def _office_end(toks: list[Word], j: int, hi: int, lex: WordClasses) -> int:
    """The last token of an office's words that run on from token ``j`` up to the name
    that follows them (two name words in a row)."""
    while j + 1 < hi and toks[j + 1].word and lex.inner(toks[j + 1]):
        if (
            lex.name_word(toks[j + 1])
            and j + 2 < hi
            and lex.name_word(toks[j + 2])
            and not lex.vocab(toks[j + 1])
        ):
            break  # the name begins
        j += 1
    return j


def _first_token_at(toks: list[Word], st: _Sent, pos: int) -> int:
    """Index of the first token of the sentence starting at or after ``pos``."""
    lo, hi = st.lo, st.hi
    while lo < hi:
        mid = (lo + hi) // 2
        if toks[mid].start < pos:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _char_before(text: str, pos: int) -> str:
    k = pos - 1
    while k >= 0 and text[k] in " \t":
        k -= 1
    return text[k] if k >= 0 else ""


_ALNUM = re.compile(r"[^\W_]")  # exactly str.isalnum, character by character

_INF = float("inf")


class _NextAlnum:
    """Where the first letter or digit at or after a position is (len(text): none)."""

    def __init__(self, text: str):
        self.text = text
        self.last = (1, 0)  # (asked, found): no letter in [asked, found)

    def __call__(self, pos: int) -> int:
        asked, found = self.last
        if asked <= pos <= found:  # asked in text order, a long run of marks is read once
            return found
        m = _ALNUM.search(self.text, pos)
        found = m.start() if m else len(self.text)
        self.last = (pos, found)
        return found
