"""Voices: transcript turns, the author (byline, title line), reported spans, and the
voice of every sentence."""

from __future__ import annotations

import bisect
import re
from array import array
from collections.abc import Iterable, Sequence
from itertools import accumulate

from framing.actors import UNKNOWN, ActorRegistry
from framing.attribution.phrases import (
    TITLES,
    Speaker,
    phrase_left,
    resolve_speaker,
    words,
)
from framing.attribution.results import Voice
from framing.attribution.structure import _ALNUM, _Q, _Doc, _Event, _SentenceIndex
from framing.attribution.vocabulary import _OPEN_MARKS, AUTHOR
from framing.text import Quote, Sentence

_LABEL = re.compile(r"([^\W\d_][^:\n]{0,60}?)\s*:[ \t]+(?=\S)")

_LABEL_WORDS = 5  # "Russian Foreign Minister Sergei Lavrov:" is about as long as labels get
# a longer label opens with an office: "Governor of Tula Region Alexei Dyumin:" (a headline
# such as "A Curious Plan to Fight Climate Change: ..." is no speaker)
_TITLED_LABEL_WORDS = 8


def _transcript_turns(sentences: Sequence[Sentence], d: _Doc) -> dict[Quote, Speaker]:
    """Turns of a transcript or interview: a paragraph that opens with a speaker's label
    ("Vladimir Putin: Colleagues, ...") is that speaker's speech, up to the next label when
    the text has several labels, else to its paragraph end. Labels nobody can be found
    for ("Question:") end a turn; datelines ("KYIV:") and headings are not speakers."""
    toks, starts, lex, ctx, text = d.toks, d.starts, d.lex, d.ctx, d.text
    paragraphs: dict[int, list[Sentence]] = {}
    for s in sentences:
        paragraphs.setdefault(s.paragraph, []).append(s)
    labels: list[tuple[int, Sentence, re.Match]] = []
    for par, members in paragraphs.items():
        m = _LABEL.match(members[0].text)
        if m and m.group(1)[0].isupper():
            label = m.group(1).split()
            if len(label) <= _LABEL_WORDS or (
                len(label) <= _TITLED_LABEL_WORDS and label[0].lower() in TITLES
            ):
                labels.append((par, members[0], m))
    transcript = len(labels) >= 2
    turns: dict[Quote, Speaker] = {}
    for n, (par, first, m) in enumerate(labels):
        if text[first.start + m.end()] in _OPEN_MARKS:
            continue  # 'Boris Johnson: "..."' is a quotation with its attribution
        colon = bisect.bisect_left(starts, first.start + m.end(1))
        lo = bisect.bisect_left(starts, first.start)
        span = phrase_left(toks, colon - 1, lo, lex)
        if span is None or span[0] != lo or span[1] != colon - 1:
            continue
        speaker = resolve_speaker(toks[lo:colon], lex, ctx, par)
        if (
            speaker is None
            or speaker.kind == "place"
            or (
                speaker.kind == "person"
                and len(speaker.name.split()) < 2
                and lex.registry.find(speaker.name) is None
            )
        ):
            continue
        last = labels[n + 1][0] if transcript and n + 1 < len(labels) else par + 1
        end = max(s.end for p in range(par, last) for s in paragraphs.get(p, ()))
        inner = first.start + m.end()
        quote = Quote(first.start, end, inner, end, text[inner:end], closed=True, depth=1)
        turns[quote] = speaker
    return turns


_NAME_RE = (
    r"((?:[A-Z][\w'’\-]+|[A-Z]\.)(?:\s+(?:[A-Z][\w'’\-]+|[A-Z]\.|de|van|von|der|al|bin)){1,3})"
)

_BYLINE = [
    re.compile(r"^\s*By\s+" + _NAME_RE + r"(?:\s*(?:,|and|$))", re.MULTILINE),
    re.compile(
        r"^" + _NAME_RE + r"\s+(?:is|was)\s+(?:a|an|the)\s+[^.]{0,80}?\b(?:reporter|correspondent|"
        r"writer|journalist|editor|columnist|contributor|analyst|fellow|author|researcher|"
        r"producer|commentator|blogger|professor)\b"
    ),
    re.compile(r"\bReporting by\s+" + _NAME_RE),
    re.compile(r"^\s*\(?(?:Written|Story) by\s+" + _NAME_RE, re.MULTILINE),
]


def find_author(sentences: Sequence[Sentence]) -> str | None:
    """The byline name ("By X", "X is a ... reporter", "Reporting by X"), if there is one."""
    for i, s in enumerate(sentences):
        for number, pattern in enumerate(_BYLINE):
            if number == 0 and i > 2:
                continue  # "By X" is a byline only at the top of the text
            m = pattern.search(s.text)
            if m:
                return " ".join(m.group(1).split())
    return None


# A speech's or statement's title names its speaker, whose voice the whole text then is:
# "Address by President Volodymyr Zelenskyy", "Remarks by President Biden on ...",
# "Statement by the Ministry of Foreign Affairs of Ukraine", "Vladimir Putin's address".
_KINDS = r"(?:address|speech|statement|remarks|message|declaration|briefing|comment|commentary)"

_HEADER_BY = re.compile(
    r"\A\s*(?:[A-Z][a-z]+\s+){0,2}" + _KINDS + r"\s+(?:delivered\s+|made\s+)?by\s+(?:the\s+)?"
    r"([A-Z][^\n,.:;()\[\]–—]*?)"
    r"(?=\s+(?:on|at|to|before|during|in|regarding|concerning|about|following|for|after)\b"
    r"|\s*[\n,.:;()\[\]–—]|\s*\Z)",
    re.IGNORECASE,
)

_HEADER_POSSESSIVE = re.compile(
    r"\A\s*([A-Z][^\n,.:;()\[\]]{2,60}?)['’]s\s+(?:[a-z]+\s+){0,2}" + _KINDS + r"\b",
)


def _header_voice(d: _Doc) -> Voice | None:
    """The speaker a speech's or statement's title line names, as the text's own voice."""
    text, toks, starts, lex, ctx = d.text, d.toks, d.starts, d.lex, d.ctx
    first_line = text[: text.find("\n") if "\n" in text[:300] else 300]
    m = _HEADER_BY.match(first_line) or _HEADER_POSSESSIVE.match(first_line)
    if m is None or not m.group(1)[:1].isupper():
        return None
    lo, hi = bisect.bisect_left(starts, m.start(1)), bisect.bisect_left(starts, m.end(1))
    speaker = resolve_speaker(toks[lo:hi], lex, ctx, 0) if hi > lo else None
    if speaker is None or speaker.side is None and hi - lo == 1:
        return None  # one unknown word ("Statement by Me") names nobody we can place
    return Voice(speaker.name, speaker.side or UNKNOWN, "author")


def _given_voice(name: str, lex, ctx) -> Voice:
    """The voice of a text whose input names its speaker (``Document.speaker``): the
    registry's actor when it knows the name, else the name as given, with the side its
    words give ("Russian Defense Ministry": russia) or unknown."""
    actor = lex.registry.find(name)
    if actor is not None:
        return Voice(actor.name, actor.side, "author")
    toks = words(name)
    speaker = resolve_speaker(toks, lex, ctx, 0) if toks else None
    return Voice(name, (speaker.side if speaker else None) or UNKNOWN, "author")


def _author_voice(sentences: Sequence[Sentence], registry: ActorRegistry) -> Voice:
    name = find_author(sentences)
    if name is None:
        return Voice(AUTHOR, UNKNOWN, "author")
    actor = registry.find(name)
    return Voice(actor.name if actor else name, actor.side if actor else UNKNOWN, "author")


def _reported_spans(
    events: list[list[_Event]], qs: list[_Q], text: str
) -> list[tuple[int, int, Speaker]]:
    """(start, end, speaker) of every reported claim: from its speaker to its clause end."""
    by_sentence: dict[int, list[_Q]] = {}
    for q in qs:
        if q.parent is None:
            by_sentence.setdefault(q.sentence, []).append(q)
    starting = {i: _SentenceQuotes(found) for i, found in by_sentence.items()}
    spans: list[tuple[int, int, Speaker]] = []
    for sentence, found in enumerate(events):
        by_clause: dict[tuple[int, int], list[_Event]] = {}
        for e in found:
            if e.container is None and e.speaker is not None:
                by_clause.setdefault(e.clause, []).append(e)
        for clause, group in by_clause.items():
            covered: list[tuple[int, int, Speaker]] = []
            for e in group:
                if e.cls == "according":
                    if not e.source:
                        spans.append((clause[0], clause[1], e.speaker))
                elif e.cls == "setting":
                    spans.append((e.first, clause[1], e.speaker))
                elif e.cls != "name":
                    if e.used_for_quote and (
                        e.tail or _only_quotes_after(e, starting.get(sentence), text)
                    ):
                        continue  # it introduced a quotation, which is the claim
                    if e.cls == "participle" and any(
                        c[2] == e.speaker and c[0] <= e.first < c[1] for c in covered
                    ):
                        continue  # "..., adding that ...": the same claim goes on
                    covered.append((clause[0] if e.tail else e.first, clause[1], e.speaker))
                    spans.append(covered[-1])  # in the order of the speech acts
    # Each span once, in the order found (the text order of the speech acts in a clause):
    # spans of two speakers over the same text keep that order through the stable sort, and
    # the first of them wins a tie in _voice_of. (A set here ordered them by string hashes,
    # so the voice of such a sentence changed with PYTHONHASHSEED.)
    cleaned: dict[tuple[int, int, Speaker], None] = {}
    for start, end, speaker in spans:
        start, end = _trim(text, start, end)
        if end > start:
            cleaned.setdefault((start, end, speaker))
    return sorted(cleaned, key=lambda s: (s[0], -s[1]))


class _SentenceQuotes:
    """A sentence's top-level quotations, by where they open, for _only_quotes_after."""

    def __init__(self, qs: list[_Q]):
        self.qs = qs  # sorted by quote.start, as _prepare_quotes made them
        self.opens = [q.quote.start for q in qs]
        # by inner start too (always, but for a transcript turn whose label holds a quote)
        self.inner_sorted = all(a.start <= b.start for a, b in zip(qs, qs[1:], strict=False))

    def opening_in(self, start: int, end: int) -> Iterable[_Q]:
        """The quotations that open in ``[start, end)``, sorted by inner start (lazily: the
        caller mostly stops at the first)."""
        lo = bisect.bisect_left(self.opens, start)
        hi = bisect.bisect_left(self.opens, end)
        if self.inner_sorted:
            return (self.qs[k] for k in range(lo, hi))
        return sorted(self.qs[lo:hi], key=lambda q: q.start)


_FILLER_RE = re.compile(r"\b(?:that|reporters|journalists|on|in|a|an|the|statement|\w+day)\b")


def _only_quotes_after(e: _Event, quotes: _SentenceQuotes | None, text: str) -> bool:
    """True when all the words after an introducing verb are a quotation (`X said: "..."`)."""
    rest_start, rest_end = e.last, e.clause[1]
    k = rest_start
    for q in quotes.opening_in(rest_start, rest_end) if quotes is not None else ():
        between = text[k : q.quote.start]
        if _ALNUM.search(_FILLER_RE.sub("", between)):
            return False
        k = max(k, q.quote.end if q.quote.closed else q.end)
    return k > rest_start and not _ALNUM.search(text, k, rest_end)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:–—"):
        end -= 1
    while start < end and (text[start].isspace() or text[start] in ",;:–—"):
        start += 1
    return start, end


def _voices(
    sentences: Sequence[Sentence], qs: list[_Q], reported, author: Voice, text: str
) -> list[Voice]:
    """Each sentence's voice: direct or reported when that covers most of its letters."""
    index = _SentenceIndex(sentences)
    direct: list[dict[Speaker, int]] = [{} for _ in sentences]
    said: list[dict[Speaker, int]] = [{} for _ in sentences]
    letters = _letter_counter(text, sum(end - start for start, end, _ in reported))

    for q in qs:
        if q.parent is not None or q.speaker is None or q.kind != "direct" or not q.accepted:
            continue
        for a, b in ((q.start, q.end), q.cue or (0, 0)):
            for i in index.overlapping(a, b):
                lo, hi = max(a, sentences[i].start), min(b, sentences[i].end)
                direct[i][q.speaker] = direct[i].get(q.speaker, 0) + letters(lo, hi)
    for start, end, speaker in reported:
        for i in index.overlapping(start, end):
            lo, hi = max(start, sentences[i].start), min(end, sentences[i].end)
            said[i][speaker] = max(said[i].get(speaker, 0), letters(lo, hi))
    voices: list[Voice] = []
    for i, s in enumerate(sentences):
        total = letters(s.start, s.end) or 1
        voices.append(_voice_of(direct[i], said[i], total, author))
    return voices


def _letter_counter(text: str, overlapping: int):
    """``letters(a, b)``: how many letters and digits ``text[a:b]`` holds. Counting each
    range is cheapest; but reported spans overlap (each runs from its speaker to the clause
    end), and when they add up to more than the text, a prefix sum is."""
    if overlapping <= 2 * len(text):
        return lambda a, b: sum(map(str.isalnum, text[a:b]))  # map: no Python frame a char
    prefix = array("q", accumulate(map(str.isalnum, text), initial=0))
    return lambda a, b: prefix[b] - prefix[a] if b > a else 0


def _voice_of(
    direct: dict[Speaker, int], said: dict[Speaker, int], letters: int, author: Voice
) -> Voice:
    """Direct when one speaker's quotations cover most letters, else reported, else author.

    The dicts are filled in text order (quotations, then reported spans sorted by start),
    and ``max`` returns the first of equals: a tie goes to the speaker who comes first."""
    if direct and max(direct.values()) * 2 > letters:
        speaker = max(direct, key=direct.get)
        return Voice(speaker.name, speaker.side or UNKNOWN, "direct")
    if said and max(said.values()) * 2 > letters:
        speaker = max(said, key=said.get)
        return Voice(speaker.name, speaker.side or UNKNOWN, "reported")
    return author
