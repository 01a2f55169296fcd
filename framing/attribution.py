"""Who speaks: quotations, reported speech, speakers, and the voice of every sentence.

Plain rules over tokens, titles, verbs and quotation structure, plus the actors registry
(``framing.actors``); no statistical model, so ``framing actors`` never imports torch.

1. **Speakers** are noun phrases next to a speech verb: a title and a name ("Ukrainian
   Foreign Minister Dmytro Kuleba" -> Dmytro Kuleba; a later "Kuleba" -> the same actor),
   a collective ("US officials", "the Ukrainian government", "Western experts"), a registry
   actor ("the Pentagon", "Moscow"), or a pronoun resolved to the last speaker. A side
   comes from the registry, else from a nationality or institution word in the phrase or
   its apposition ("Russian Defense Ministry spokesman X" -> russia), else from the role
   ("experts" -> other), else from the audience ("told Russian media"), else ``unknown``.
2. **Reported speech**: "X said/told/claimed/argued/warned ... (that)", "according to X",
   "X puts that number at", "X did Y in a briefing", and narration closed by ", X said."
   A reported span runs from X to the end of its clause.
3. **Direct quotations** are attributed, in this order, to: the attribution right after
   the quote (`"...," said X` / `"...," X told reporters`); a speech or naming verb before
   it in its clause (`X said: "..."`, `X called it "..."`, `what X calls "..."`; a verb
   inside a ", which ...," clause reaches only quotes inside that clause); the reported
   span around it; an actor whose rhetoric/narrative/claims the clause names; and, for a
   quote that opens its sentence, the last speaker of this or the previous paragraph
   (a continuation). Otherwise it stays unattributed (speaker ``None``).
4. **Terms**: a quote of at most ``TERM_MAX_WORDS`` words embedded in a clause (not a
   whole utterance) is a scare-quoted term (``kind="term"``), attributed by the same rules.
5. **Voices**: a sentence is ``direct`` when more than half of its letters lie in direct
   quotations (with their attribution) of one speaker, ``reported`` when more than half lie
   in reported spans, else ``author``: the speaker a speech's or statement's title line names
   ("Address by President X"), else the byline name when the text has one.

Bad input never raises: an unclosed quote counts only within its first sentence (unless
the next paragraph opens with a quotation mark, the convention for a quotation running
over paragraphs), and a quote nobody can be found for keeps the author's voice.
"""

from __future__ import annotations

import bisect
import re
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate

from framing.actors import (
    FUNCTION_WORDS,
    MONTHS,
    PRONOUNS,
    TIME_WORDS,
    TITLES,
    UNKNOWN,
    ActorRegistry,
    Speaker,
    SpeakerContext,
    Word,
    WordClasses,
    apposition_right,
    load_actors,
    name_key,
    person,
    person_in,
    phrase_left,
    phrase_right,
    resolve_speaker,
    trailing_name,
    words,
)
from framing.text import Document, Quote, Sentence, find_quotes

__all__ = [
    "AttributedSpan",
    "Voice",
    "Attribution",
    "attribute",
    "find_author",
    "TERM_MAX_WORDS",
    "AUTHOR",
]

AUTHOR = "author"
TERM_MAX_WORDS = 6  # a longer quote embedded in narration is a partial quotation, not a term
_CONTINUATION_PARAGRAPHS = 1  # a continuation quote may follow its speaker by one paragraph


# --- results --------------------------------------------------------------------------


@dataclass(frozen=True)
class AttributedSpan:
    """A quotation or reported claim and whose words it is (``speaker`` None: nobody found).

    ``kind`` is ``direct`` (a quotation), ``term`` (a short scare-quoted term) or
    ``reported`` (reported speech); ``start``/``end`` index the document text and, for
    quotations, exclude the quotation marks.
    """

    doc: str
    start: int
    end: int
    speaker: str | None
    side: str | None
    kind: str
    # The whole document's text, shared by every span of it: a span holds offsets, not a
    # copy of its words (reported spans overlap; copies made memory grow with their sum).
    source: str = field(default="", repr=False, compare=False)

    @property
    def text(self) -> str:
        """The span's words, sliced from the document text."""
        return self.source[self.start : self.end]

    def to_dict(self) -> dict:
        return {
            "doc": self.doc,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "speaker": self.speaker,
            "side": self.side,
            "kind": self.kind,
        }


@dataclass(frozen=True)
class Voice:
    """Whose voice a sentence (or a span of it) is: ``voice_kind`` is author, direct,
    reported or term."""

    speaker: str
    side: str
    voice_kind: str


@dataclass
class Attribution:
    """The attributed spans of one document and the voice of each of its sentences."""

    spans: list[AttributedSpan]
    voices: list[Voice]
    author: Voice
    _by_sentence: list[list[AttributedSpan]] = field(default_factory=list, repr=False)

    def voice_at(self, start: int, end: int, sentence_index: int) -> Voice:
        """The voice of the text ``[start, end)`` in a sentence: the innermost attributed
        span holding it (a quotation, a term, a reported claim), else the sentence's voice."""
        best: AttributedSpan | None = None
        candidates = self._by_sentence[sentence_index] if self._by_sentence else self.spans
        for span in candidates:
            if span.speaker and span.start <= start and end <= span.end:
                if best is None or span.end - span.start < best.end - best.start:
                    best = span
        if best is None:
            return self.voices[sentence_index]
        return Voice(best.speaker, best.side or UNKNOWN, best.kind)


# --- vocabulary -----------------------------------------------------------------------

# Speech verbs by form -> (lemma, class). "say": reported speech with or without "that";
# "that": only with "that", a colon or a quotation after it (too ambiguous otherwise:
# "added troops", "noted the risk"); "name": attributes the quotation it introduces
# ("called the invasion '...'") but makes no reported claim.
_SAY = """say:says,said,saying tell:tells,told,telling claim assert contend predict allege
announce declare argue accuse deny:denies,denied,denying estimate believe expect assess
conclude report write:writes,wrote,written,writing tweet vow pledge promise urge threaten
reiterate confirm testify:testifies,testified,testifying complain boast respond
reply:replies,replied,replying counter quip:quips,quipped,quipping warn insist
think:thinks,thought,thinking acknowledge admit:admits,admitted,admitting charge demand
state:states,stated,stating"""
_THAT = """add note stress emphasise emphasize explain suggest maintain recall observe indicate
signal underline underscore concede agree fear post:posts,posted,posting write
continue:continues,continued,continuing remember interject retort exclaim shout yell scream
joke:jokes,joked,joking muse:muses,mused,musing lament recount assure
ask:asks,asked,asking press:pressed remark"""
_NAME = """call describe term dub:dubs,dubbed,dubbing brand characterise characterize present
label:labels,labelled,labeled,labelling,labeling portray refer:refers,referred,referring hail
denounce condemn decry:decries,decried,decrying slam:slams,slammed,slamming dismiss deride frame
cast:casts,cast,casting"""
# A verb form followed by one of these is a noun: "think tank", "state media".
_NOT_VERB_AFTER = {
    "think": ("tank", "tanks"),
    "state": ("media", "television", "tv", "news", "department", "duma"),
    "report": ("card",),
    "post": ("office",),
    "claim": ("form",),
}
_NUMBER_NOUNS = frozenset(
    "number figure figures toll count tally estimate losses casualties death deaths total".split()
)


def _inflect(base: str) -> list[str]:
    if base.endswith("e"):
        return [base, base + "s", base + "d", base[:-1] + "ing"]
    if base.endswith(("s", "sh", "ch")):
        return [base, base + "es", base + "ed", base + "ing"]
    return [base, base + "s", base + "ed", base + "ing"]


# Russian and Ukrainian reporting verbs, by form (past tense of each gender and number,
# and the adverbial participle "заявив"), each its own lemma: news in those languages
# attributes with them as English does with "said" ("Путин заявил, что ...",
# "«...», — сказал Зеленський").
_SAY_SLAVIC = """заявил заявила заявили заявив сказал сказала сказали сказав сообщил сообщила
сообщили сообщив отметил отметила отметили отметив подчеркнул подчеркнула подчеркнули
подчеркнув добавил добавила добавили добавив пояснил пояснила пояснили
повідомив повідомила повідомили наголосив наголосила наголосили зазначив зазначила
зазначили додав додала додали заявляє заявляет говорит каже"""
# "по словам X", "за словами X": "according to X"
_ACCORDING = frozenset((("according", "to"), ("по", "словам"), ("за", "словами")))


def _verb_table() -> dict[str, tuple[str, str]]:
    table: dict[str, tuple[str, str]] = {}
    for cls, spec in (("name", _NAME), ("that", _THAT), ("say", _SAY)):
        for item in spec.split():
            base, _, forms = item.partition(":")
            for form in [base, *forms.split(",")] if forms else _inflect(base):
                table[form] = (base, cls)
    for form in _SAY_SLAVIC.split():
        table[form] = (form, "say")
    return table


VERBS = _verb_table()
# Forms that are past participles only in a passive ("was told", "is expected", "were called").
_BE = frozenset("is are was were be been being am 's get gets got".split())
_AUX = frozenset(
    """has have had will would shall should may might must can could did does do also again
    too repeatedly reportedly allegedly publicly privately previously recently later earlier
    then once further separately similarly likewise meanwhile now still already often always
    last this yesterday today tonight""".split()
)
_CHAIN = frozenset(
    """continue continues continued went go goes began begin begins appear appears appeared seem
    seems seemed""".split()
)

# Nouns that, named in a clause, make its subject the owner of a scare-quoted term.
_SPEECH_NOUNS = frozenset(
    """rhetoric narrative narratives claim claims words language term terms phrase description
    label propaganda euphemism euphemisms version story slogan slogans mantra talking parlance
    terminology justification justifications pretext pretexts lexicon vocabulary framing
    message messaging statement statements insistence doctrine""".split()
)
# "in a briefing": a setting that makes a clause the subject's words.
_SETTINGS = frozenset(
    """briefing briefings interview interviews statement statements speech speeches address
    conference testimony remarks post posts tweet tweets video op-ed letter call hearing
    hearings appearance broadcast podcast message""".split()
)
_MEDIA_NOUNS = frozenset(
    """media television tv broadcaster channel newspaper paper radio outlet outlets agency
    reporters journalists press""".split()
)
_CLAUSE_CONJ = frozenset("but yet while whereas although though and".split())
_RELATIVE = frozenset("which who whom whose where".split())
_NEW_SUBJECT = frozenset(
    """the a an it he she they we i this these those there his her their its our some many most
    other others""".split()
)
_OPEN_MARKS = "\"“‘'«„‹「『"
_CLOSE_MARKS = "\"”’'»“›」』"
_DASHES = "–—"


# --- sentence structure and speech acts -------------------------------------------------


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


# --- the document pass ----------------------------------------------------------------


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


def attribute(
    doc: Document,
    sentences: Sequence[Sentence] | None = None,
    quotes: Sequence[Quote] | None = None,
    registry: ActorRegistry | None = None,
) -> Attribution:
    """Attribute a document's quotations and reported speech, and give each sentence a voice."""
    from framing.text import segment

    registry = registry or load_actors()
    sentences = list(sentences) if sentences is not None else segment(doc)
    quotes = list(quotes) if quotes is not None else find_quotes(doc.text, sentences)
    text = doc.text
    lex = registry.word_classes
    ctx = SpeakerContext(registry)
    toks = words(text)
    starts = [t.start for t in toks]
    title_voice = _header_voice(text, toks, starts, lex, ctx)

    turns = _transcript_turns(sentences, toks, starts, lex, ctx, text)
    qs = _prepare_quotes(text, [*quotes, *turns], sentences)
    for q in qs:
        if q.quote in turns:
            q.speaker, q.cue, q.turn = turns[q.quote], (q.quote.start, q.start), True
    in_quote = _quote_index(toks, qs)
    sents = [_structure(i, s, toks, starts, in_quote, text) for i, s in enumerate(sentences)]
    _learn_titles(toks, sents, lex, ctx)

    events: list[list[_Event]] = []  # per sentence
    for st in sents:
        found = _events(st, toks, in_quote, lex, ctx, text)
        events.append(found)
        _remember_subject(st, toks, in_quote, found, lex, ctx)

    _attribute_quotes(qs, events, sents, toks, in_quote, lex, ctx, text)
    reported = _reported_spans(events, qs, text)

    spans: list[AttributedSpan] = []
    for q in qs:
        spans.append(
            AttributedSpan(
                doc=doc.id,
                start=q.start,
                end=q.end,
                speaker=q.speaker.name if q.speaker else None,
                side=(q.speaker.side or UNKNOWN) if q.speaker else None,
                kind=q.kind,
                source=text,
            )
        )
    for start, end, speaker in reported:
        spans.append(
            AttributedSpan(
                doc.id, start, end, speaker.name, speaker.side or UNKNOWN, "reported", text
            )
        )
    spans.sort(key=lambda s: (s.start, -s.end))
    author = _author_voice(sentences, registry)
    if doc.speaker:
        author = _given_voice(doc.speaker, lex, ctx)  # the input says who wrote it
    elif (
        title_voice is not None
        and author.speaker == AUTHOR
        and not any(q.speaker and q.speaker.name == title_voice.speaker for q in qs)
        and not any(speaker.name == title_voice.speaker for _, _, speaker in reported)
    ):
        # A title naming a speaker the text then quotes or reports ("Address by Zelensky to
        # Congress draws an ovation ... Zelensky told lawmakers") heads a news story about
        # the speech: only a text that never speaks of its speaker in the third person is
        # the speech itself.
        author = title_voice
    voices = _voices(sentences, qs, reported, author, text)
    by_sentence: list[list[AttributedSpan]] = [[] for _ in sentences]
    index = _SentenceIndex(sentences)
    for span in spans:
        for i in index.overlapping(span.start, span.end):
            by_sentence[i].append(span)
    return Attribution(spans=spans, voices=voices, author=author, _by_sentence=by_sentence)


class _SentenceIndex:
    """Which sentences overlap a character range (sentences are in text order)."""

    def __init__(self, sentences: Sequence[Sentence]):
        self.starts = [s.start for s in sentences]
        self.ends = [s.end for s in sentences]

    def overlapping(self, start: int, end: int) -> range:
        return range(bisect.bisect_right(self.ends, start), bisect.bisect_left(self.starts, end))

    def at(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.starts, pos) - 1)


# --- transcripts ----------------------------------------------------------------------

_LABEL = re.compile(r"([^\W\d_][^:\n]{0,60}?)\s*:[ \t]+(?=\S)")
_LABEL_WORDS = 5  # "Russian Foreign Minister Sergei Lavrov:" is about as long as labels get


def _transcript_turns(
    sentences: Sequence[Sentence],
    toks: list[Word],
    starts: list[int],
    lex: WordClasses,
    ctx: SpeakerContext,
    text: str,
) -> dict[Quote, Speaker]:
    """Turns of a transcript or interview: a paragraph that opens with a speaker's label
    ("Vladimir Putin: Colleagues, ...") is that speaker's speech, up to the next label when
    the text has several labels, else to its paragraph end. Labels nobody can be found
    for ("Question:") end a turn; datelines ("KYIV:") and headings are not speakers."""
    paragraphs: dict[int, list[Sentence]] = {}
    for s in sentences:
        paragraphs.setdefault(s.paragraph, []).append(s)
    labels: list[tuple[int, Sentence, re.Match]] = []
    for par, members in paragraphs.items():
        m = _LABEL.match(members[0].text)
        if m and len(m.group(1).split()) <= _LABEL_WORDS and m.group(1)[0].isupper():
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


# --- author ---------------------------------------------------------------------------

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


def _header_voice(text: str, toks: list[Word], starts: list[int], lex, ctx) -> Voice | None:
    """The speaker a speech's or statement's title line names, as the text's own voice."""
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


# --- structure ------------------------------------------------------------------------


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


def _learn_titles(
    toks: list[Word], sents: list[_Sent], lex: WordClasses, ctx: SpeakerContext
) -> None:
    """Remember every "title + full name" of the document, so that a later bare surname
    gets the full name and the side its title gave ("Russian General X ... X said")."""
    for st in sents:
        i = st.lo
        while i < st.hi:
            if not (toks[i].word and (toks[i].low in TITLES or toks[i].low in lex.role_heads)):
                i += 1
                continue
            j = i
            # "President of Ukraine Volodymyr Zelenskyy", "Adviser to the Head of the
            # President's Office Mykhailo Podoliak": the office may run on with its links
            while (
                j + 2 < st.hi
                and toks[j + 1].word
                and toks[j + 1].low in ("of", "to", "for")
                and toks[j + 2].word
                and (toks[j + 2].cap or toks[j + 2].low == "the")
            ):
                j += 2
                while j + 1 < st.hi and toks[j + 1].word and lex.inner(toks[j + 1]):
                    if (
                        lex.name_word(toks[j + 1])
                        and j + 2 < st.hi
                        and lex.name_word(toks[j + 2])
                        and not lex.vocab(toks[j + 1])
                    ):
                        break  # the name begins
                    j += 1
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


# --- events ---------------------------------------------------------------------------


_OBJECT_PRONOUNS = {"him": "he", "her": "she", "them": "they"}


def _events(
    st: _Sent, toks: list[Word], in_quote, lex: WordClasses, ctx: SpeakerContext, text: str
) -> list[_Event]:
    """Speech acts of one sentence, left to right."""
    par = st.sentence.paragraph
    found: list[_Event] = []
    run_start = st.lo  # where the stretch of narration or quotation holding token v begins
    for v in range(st.lo, st.hi):
        t = toks[v]
        if v > st.lo and in_quote[v] != in_quote[v - 1]:
            run_start = v
        if not t.word:
            continue
        container = in_quote[v]
        if v + 1 < st.hi and (t.low, toks[v + 1].low) in _ACCORDING:
            if v + 2 < st.hi and toks[v + 2].low in _OBJECT_PRONOUNS:
                # "According to him, ...": the last person (or group) named
                span = (v + 2, v + 2)
                speaker = ctx.pronoun(_OBJECT_PRONOUNS[toks[v + 2].low], par)
            else:
                span = phrase_right(toks, v + 2, st.hi, lex)
                if span is None:
                    continue
                speaker = resolve_speaker(toks[span[0] : span[1] + 1], lex, ctx, par)
            if speaker is None:
                continue
            clause = _clause_of(st, t.start)
            found.append(
                _Event(
                    "according",
                    t.start,
                    toks[v + 1].end,
                    speaker,
                    t.start,
                    toks[span[1]].end,
                    clause,
                    container,
                    sentence=st.index,
                    paragraph=par,
                )
            )
            continue
        entry = VERBS.get(t.low)
        if entry is None or t.cap and v > st.lo:
            if t.low in ("put", "puts") and _number_object(toks, v + 1, st.hi):
                entry = ("put", "number")
            else:
                continue
        lemma, cls = entry
        if v + 1 < st.hi and toks[v + 1].low in _NOT_VERB_AFTER.get(lemma, ()):
            continue  # "think tank", "state media", "report card"
        if lemma == "call" and v + 1 < st.hi and toks[v + 1].low in ("for", "on"):
            cls = "say"
        event = _event_at(st, v, lemma, cls, toks, run_start, in_quote, lex, ctx, text, found)
        if event is not None:
            found.append(event)
            if event.speaker is not None:
                ctx.remember(event.speaker, par)
    found.extend(_setting_events(st, toks, in_quote, lex, ctx, text, found))
    by_clause: dict[tuple[int, int], list[_Event]] | None = None
    for e in found:
        if e.cls == "according" and e.speaker is not None and e.speaker.kind == "media":
            if by_clause is None:
                by_clause = {}
                for o in found:
                    by_clause.setdefault(o.clause, []).append(o)
            e.source = any(
                o.cls != "according" and o.speaker not in (None, e.speaker)
                for o in by_clause[e.clause]
            )
    return found


def _setting_events(
    st: _Sent, toks, in_quote, lex: WordClasses, ctx: SpeakerContext, text: str, found
) -> list[_Event]:
    """'Chairman of the Joint Chiefs, General Mark Milley, granted the capital 72 hours in
    closed briefings': a clause that opens with an actor and a verb and names a speech
    setting (a briefing, an interview, a statement) is that actor's claim."""
    out: list[_Event] = []
    taken = {e.clause for e in found}  # only asked, never iterated
    for clause in st.clauses:
        if clause in taken:
            continue
        setting = _SETTING_RE.search(text, clause[0], clause[1])
        if setting is None:
            continue
        i = _first_token_at(toks, st, clause[0])
        while i < st.hi and toks[i].word and toks[i].low in _CLAUSE_CONJ:
            i += 1
        if i >= st.hi or in_quote[i] is not None:
            continue
        span = phrase_right(toks, i, st.hi, lex)
        if span is None or span[0] != i:
            continue
        phrase = toks[span[0] : span[1] + 1]
        appos = apposition_right(toks, span[1], st.hi)
        apposition = toks[appos[0] : appos[1] + 1] if appos else ()
        verb = (appos[1] + 2) if appos else span[1] + 1
        if (
            verb >= st.hi
            or not toks[verb].word
            or toks[verb].cap
            or toks[verb].low in FUNCTION_WORDS
        ):
            continue
        if toks[verb].start > setting.start():
            continue
        speaker = resolve_speaker(phrase, lex, ctx, st.sentence.paragraph, apposition)
        if speaker is not None and person_in(apposition, lex) and speaker.kind == "group":
            speaker = (
                resolve_speaker(apposition, lex, ctx, st.sentence.paragraph, phrase) or speaker
            )
        if speaker is None:
            continue
        out.append(
            _Event(
                "setting",
                toks[verb].start,
                toks[verb].end,
                speaker,
                toks[i].start,
                toks[verb].end,
                clause,
                None,
                sentence=st.index,
                paragraph=st.sentence.paragraph,
            )
        )
        ctx.remember(speaker, st.sentence.paragraph)
    return out


def _number_object(toks: list[Word], k: int, hi: int) -> bool:
    """ "puts [that|the] number/toll ..." -- an estimate attributed to the subject."""
    for j in range(k, min(hi, k + 4)):
        if toks[j].low in _NUMBER_NOUNS:
            return True
        if not toks[j].word:
            return False
    return False


def _event_at(
    st: _Sent,
    v: int,
    lemma: str,
    cls: str,
    toks: list[Word],
    lo: int,
    in_quote,
    lex: WordClasses,
    ctx: SpeakerContext,
    text: str,
    earlier: list[_Event],
) -> _Event | None:
    t = toks[v]
    par = st.sentence.paragraph
    container = in_quote[v]
    clause = _clause_of(st, t.start)
    clause_lo = max(lo, _first_token_at(toks, st, clause[0]))
    form = t.low
    j = _skip_left(toks, v - 1, clause_lo)
    passive = j >= clause_lo and toks[j].low in _BE and not form.endswith("ing")
    if form == "saying" and j - 1 >= clause_lo and toks[j].low == "as":
        if toks[j - 1].low in ("quoted", "cited"):
            j = _skip_left(toks, j - 2, clause_lo)  # "X was quoted as saying"
            while j >= clause_lo and toks[j].low in _BE:
                j = _skip_left(toks, j - 1, clause_lo)
        else:
            quoted = phrase_left(toks, j - 1, clause_lo, lex)  # "media quoted X as saying"
            if (
                quoted is not None
                and quoted[0] - 1 >= clause_lo
                and toks[quoted[0] - 1].low in ("quoted", "cited")
            ):
                speaker = resolve_speaker(toks[quoted[0] : quoted[1] + 1], lex, ctx, par)
                if speaker is not None:
                    return _Event(
                        cls,
                        t.start,
                        t.end,
                        speaker,
                        toks[quoted[0]].start,
                        t.end,
                        clause,
                        container,
                        sentence=st.index,
                        paragraph=par,
                    )
        passive = False
    if passive:
        return None
    if j >= clause_lo and toks[j].word and toks[j].low in ("not", "never", "n't"):
        return None  # "did not say": nothing is attributed
    if cls == "that" and not _that_follows(toks, v + 1, st.hi):
        return None

    speaker: Speaker | None = None
    first = last = None
    apposition: Sequence[Word] = ()
    span = None
    participle_after_comma = form.endswith("ing") and j >= clause_lo and toks[j].text == ","
    if participle_after_comma:
        pass  # "X said on Sunday, adding": no ", apposition," here; its subject is found below
    elif j >= clause_lo and toks[j].text == "," or j >= clause_lo and _ends_relative(st, toks[j]):
        span, apposition = _subject_before_apposition(st, toks, j, clause_lo, lex)
        opener = _opening_name(toks, clause_lo, j, in_quote, container, lex)
        if opener is not None and (span is None or span[0] > opener[1]):
            # "Geoff Garin, a pollster who works with Priorities USA, a super PAC, said":
            # a long apposition with commas of its own; the name that opens the clause,
            # set off by a comma, is the subject
            span, apposition = opener, toks[opener[1] + 1 : j]
    elif j >= clause_lo:
        span = phrase_left(toks, j, clause_lo, lex)
        if span is not None:
            span, apposition = _name_before_role(toks, span, clause_lo, lex, ctx, par)
        if span is not None and not apposition and _bare_role(toks[span[0] : span[1] + 1], lex):
            # "Anthony Anton, president and CEO of the Restaurant Association stated" (the
            # apposition's closing comma left out): the opening name, not the office
            opener = _opening_name(toks, clause_lo, span[0], in_quote, container, lex)
            if opener is not None:
                span, apposition = opener, toks[opener[1] + 1 : j + 1]
    if span is not None and toks[span[1]].poss:
        span = None
    if span is not None:
        phrase = toks[span[0] : span[1] + 1]
        speaker = resolve_speaker(phrase, lex, ctx, par, apposition)
        if speaker is not None and person_in(apposition, lex) and speaker.kind == "group":
            # "Chairman of the Joint Chiefs of Staff, General Mark Milley, granted ..."
            speaker = resolve_speaker(apposition, lex, ctx, par, phrase) or speaker
        first, last = toks[span[0]].start, t.end
    if (
        speaker is None
        and j >= clause_lo
        and (
            form.endswith("ing")
            and (toks[j].text == "," or toks[j].low in ("while", "after", "before", "by", "when"))
            or toks[j].low
            in ("and", "but", "yet", "then")  # "X said ..., but warned that": X again
        )
    ):
        same = next(
            (
                e
                for e in reversed(earlier)
                if e.sentence == st.index and e.speaker is not None and e.container == container
            ),
            None,
        )
        if same is not None:
            speaker, first, last = same.speaker, t.start, t.end
            cls = "participle"
    if speaker is None and first is None and form.endswith("ing") and j >= clause_lo:
        if participle_after_comma:
            # "Peskov rejected the accusations, saying Russia ...": a participle after a comma
            # has the sentence's subject; the name after it ("Russia") is what was said.
            span = _sentence_subject(toks, lo, j, in_quote, container, lex)
            if span is not None:
                word = toks[span[0]]
                # a lone capitalised first word nobody knows ("Shelling went on, ...") is
                # not taken for a subject; a pronoun, a known surname or an actor is
                bare_word = span[0] == span[1] and word.low not in PRONOUNS
                bare_word = bare_word and word.low not in ctx.surnames
                speaker = resolve_speaker(toks[span[0] : span[1] + 1], lex, ctx, par)
                if speaker is not None and bare_word and speaker.side is None:
                    speaker = None
                if speaker is not None:
                    first, last = toks[span[0]].start, t.end
                    cls = "participle"
        if speaker is None:
            return None  # "-ing" is never inverted ('"...," saying X' is not English)
    if speaker is None and first is None and (j < clause_lo or not toks[j].word):
        span = phrase_right(toks, v + 1, st.hi, lex)
        if span is not None and all(in_quote[k] == container for k in range(span[0], span[1] + 1)):
            appos = apposition_right(toks, span[1], st.hi)
            apposition = toks[appos[0] : appos[1] + 1] if appos else ()
            speaker = resolve_speaker(toks[span[0] : span[1] + 1], lex, ctx, par, apposition)
            if speaker is not None:
                first, last = t.start, toks[span[1]].end
    if speaker is None or first is None:
        return None
    if speaker.side is None and lemma == "tell":
        side = _audience_side(toks, v + 1, st.hi, lex)
        if side is not None:
            speaker = Speaker(speaker.name, side, speaker.kind)
            ctx.sides[speaker.name] = side
            surname = name_key(speaker.name)[-1:] if speaker.kind == "person" else ()
            if surname and surname[0] in ctx.surnames:
                ctx.surnames[surname[0]] = speaker
    tail = _char_before(text, first) in ',”"’—–' and _tail_of(
        st, toks, in_quote, container, _first_token_at(toks, st, last), clause
    )
    return _Event(
        cls,
        t.start,
        t.end,
        speaker,
        first,
        last,
        clause,
        container,
        tail=tail,
        sentence=st.index,
        paragraph=par,
    )


# Words that open a short scene-setting phrase before a sentence's subject ("On Sunday, ...").
_SCENE_OPENERS = frozenset(
    "on in at after before during earlier later meanwhile separately however yesterday today "
    "last".split()
)


def _sentence_subject(
    toks: list[Word], lo: int, end: int, in_quote, container, lex: WordClasses
) -> tuple[int, int] | None:
    """(first, last) of the speaker phrase that opens the stretch at ``lo`` (after a short
    scene-setting phrase and its comma, if any) and ends before token ``end``."""
    start = lo
    while start < end and not toks[start].word:
        start += 1
    if start < end and toks[start].low in _SCENE_OPENERS:
        comma = next(
            (k for k in range(start + 1, min(start + 7, end)) if toks[k].text == ","), None
        )
        if comma is None:
            return None
        start = comma + 1
    span = phrase_right(toks, start, end, lex)
    if span is None or any(in_quote[k] != container for k in range(span[0], span[1] + 1)):
        return None
    return span


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


def _tail_of(st: _Sent, toks: list[Word], in_quote, container, a: int, clause) -> bool:
    """Whether an attribution whose words end at token ``a`` closes its clause: at most 10
    words after it, no "that" or colon, no other quotation. Each check costs a bisection
    (the sentence's word and quotation positions are found once), not a pass over the rest
    of the clause: a long clause with many speech verbs is not quadratic."""
    b = _first_token_at(toks, st, clause[1])
    if b <= a:
        return True
    if st.said_words is None:
        st.said_words = [k for k in range(st.lo, st.hi) if toks[k].word or toks[k].text == ":"]
        runs: list[tuple[int, int, int]] = []
        for k in range(st.lo, st.hi):
            if in_quote[k] is None:
                continue
            if runs and runs[-1][1] == k and runs[-1][2] == in_quote[k]:
                runs[-1] = (runs[-1][0], k + 1, in_quote[k])
            else:
                runs.append((k, k + 1, in_quote[k]))
        st.quote_runs = runs
    said = st.said_words
    lo, hi = bisect.bisect_left(said, a), bisect.bisect_left(said, b)
    # "X, TASS said on Sunday, adding that Y": the participle starts a second claim of the
    # same speaker, so the attribution still closes the clause that holds X
    hi = next(
        (
            n
            for n in range(lo, min(hi, lo + 12))
            if said[n] > 0
            and toks[said[n] - 1].text == ","
            and toks[said[n]].low.endswith("ing")
            and toks[said[n]].low in VERBS
        ),
        hi,
    )
    if hi - lo > 10 or any(toks[k].low == "that" or toks[k].text == ":" for k in said[lo:hi]):
        return False
    runs = st.quote_runs
    for k in range(max(0, bisect.bisect_right(runs, (a, a)) - 1), len(runs)):
        first, end, quote = runs[k]
        if first >= b:
            break
        if end > a and quote != container:
            return False
    return True


def _char_before(text: str, pos: int) -> str:
    k = pos - 1
    while k >= 0 and text[k] in " \t":
        k -= 1
    return text[k] if k >= 0 else ""


def _ends_relative(st: _Sent, tok: Word) -> bool:
    return bool(st.relatives) and tok.end in st.relative_index.start_by_end


def _bare_role(phrase: Sequence[Word], lex: WordClasses) -> bool:
    """A phrase headed by a title or role with no name after it ("CEO of the Association")."""
    if not phrase:
        return False
    keys = [t.low for t in phrase]
    head = next((i - 1 for i, k in enumerate(keys) if i and k in ("of", "for")), len(keys) - 1)
    return (keys[head] in TITLES or keys[head] in lex.roles) and (
        trailing_name(phrase[: head + 1], lex) == head + 1
    )


_OPENING_NAME_REACH = 45  # tokens from the name to the verb: appositions run long


def _opening_name(
    toks: list[Word], lo: int, j: int, in_quote, container, lex: WordClasses
) -> tuple[int, int] | None:
    """(first, last) of a person's name (a title may precede it) that opens the stretch at
    ``lo`` and is followed by a comma or parenthesis, far enough before token ``j``."""
    i = lo
    while i < j and not toks[i].word:
        i += 1
    span = phrase_right(toks, i, j, lex)
    if span is None or span[1] + 1 >= j or j - span[1] > _OPENING_NAME_REACH:
        return None
    if toks[span[1] + 1].text not in (",", "("):
        return None
    if any(in_quote[k] != container for k in range(i, j)):
        return None
    phrase = toks[span[0] : span[1] + 1]
    if len(phrase) - trailing_name(phrase, lex) < 2:
        return None  # a first name and a surname at least: not "Separately," or "Kyiv,"
    return span


def _subject_before_apposition(st: _Sent, toks, j: int, lo: int, lex: WordClasses):
    """The speaker phrase before an apposition or relative clause that ends at ``j``
    ("Russian officials, including Putin and Lavrov, insist" -> "Russian officials")."""
    start = st.relative_index.start_by_end.get(toks[j].end) if st.relatives else None
    if start is not None:
        k = _first_token_at(toks, st, start) - 1
        return (phrase_left(toks, k, lo, lex) if k >= lo else None), ()
    k = j - 1
    while k >= lo and toks[k].text != "," and j - k <= 14:
        k -= 1
    if k < lo or toks[k].text != ",":
        return None, ()
    apposition = toks[k + 1 : j]
    if not apposition or not all(t.word or t.text in "-'’." for t in apposition):
        return None, ()
    span = phrase_left(toks, k - 1, lo, lex)
    if span is None and person_in(apposition, lex):
        # "the head of the U.N. nuclear watchdog, Rafael Grossi, warned": the name is the subject
        return (k + 1, j - 1), toks[max(lo, k - 8) : k]
    return span, apposition


def _name_before_role(
    toks: list[Word], span: tuple[int, int], lo: int, lex: WordClasses, ctx, paragraph: int
) -> tuple[tuple[int, int], Sequence[Word]]:
    """(speaker span, apposition) for a role phrase ``span`` right before a speech verb:
    "Maria Zakharova, the foreign ministry spokeswoman said" (the apposition's closing comma
    left out, as noisy text does) is Zakharova, with the role as her apposition."""
    k = span[0]
    if toks[k].low not in ("the", "a", "an") or k - 2 < lo or toks[k - 1].text != ",":
        return span, ()
    name = phrase_left(toks, k - 2, lo, lex)
    # the name must open its stretch of text: in "Putin met Erdogan, the Kremlin spokesman
    # said" Erdogan is what was said, not who said it
    if name is None or name[0] > lo and toks[name[0] - 1].word:
        return span, ()
    named = resolve_speaker(toks[name[0] : name[1] + 1], lex, ctx, paragraph)
    if named is None or named.kind != "person" or not toks[name[0]].cap:
        return span, ()
    if name[0] == name[1] and named.side is None:
        return span, ()  # one unknown capitalised word ("Separately, the ministry said")
    return name, toks[k : span[1] + 1]


def _that_follows(toks: list[Word], k: int, hi: int) -> bool:
    """ "added that", "noted: ...", "stressed, “...”": the verb introduces words."""
    for j in range(k, min(hi, k + 6)):
        t = toks[j]
        if t.low == "that" or t.text == ":" or t.text in _OPEN_MARKS:
            return True
        if t.text == "," and j + 1 < hi and toks[j + 1].text in _OPEN_MARKS:
            return True
        if (
            not t.word
            or t.low not in _AUX
            and t.low not in TIME_WORDS
            and not t.low.endswith("ly")
            and t.low not in ("on", "in", "to", "reporters", "journalists")
        ):
            return False
    return False


def _audience_side(toks: list[Word], k: int, hi: int, lex: WordClasses) -> str | None:
    """ "told Russian media": a weak sign of the speaker's side, used only when nothing else
    gives one (speakers mostly address their own country's media)."""
    window = [t for t in toks[k : min(hi, k + 5)] if t.word]
    for a, b in zip(window, window[1:], strict=False):
        if b.low in _MEDIA_NOUNS or b.low in ("state",):
            side = lex.registry.side_word((a.low,))
            if side:
                return side
    return None


def _remember_subject(
    st: _Sent, toks, in_quote, found: list[_Event], lex: WordClasses, ctx: SpeakerContext
) -> None:
    """A sentence that opens with a person ("Putin arrived in Minsk.") makes that person
    the one a later "he said" most likely means."""
    if found:
        return
    i = st.lo
    while i < st.hi and (in_quote[i] is not None or not toks[i].word):
        i += 1
    speaker = _opening_person(toks, i, st, lex, ctx)
    if speaker is None:
        # "Sixty one years to the day since the launch, Putin drew ...": after an opening
        # phrase and its comma
        comma = next((k for k in range(i + 1, min(i + 16, st.hi)) if toks[k].text == ","), None)
        if comma is not None and in_quote[comma] is None:
            speaker = _opening_person(toks, comma + 1, st, lex, ctx)
    if speaker is not None:
        ctx.remember(speaker, st.sentence.paragraph)


def _opening_person(toks, i: int, st: _Sent, lex, ctx) -> Speaker | None:
    """The person a phrase starting at token ``i`` names, if it does."""
    span = phrase_right(toks, i, st.hi, lex)
    if span is None or span[0] != i:
        return None
    speaker = resolve_speaker(toks[span[0] : span[1] + 1], lex, ctx, st.sentence.paragraph)
    if speaker is None or speaker.kind != "person":
        return None
    word = toks[span[0]]
    if span[0] == span[1] and speaker.name == word.text and word.low not in ctx.surnames:
        return None  # "Financial markets fell": one capitalised word nobody knows
    return speaker


# --- quotations -----------------------------------------------------------------------


def _attribute_quotes(
    qs: list[_Q],
    events: list[list[_Event]],
    sents: list[_Sent],
    toks,
    in_quote,
    lex,
    ctx,
    text: str,
) -> None:
    """Give every quotation its speaker and kind (see the module docstring for the order)."""
    narration = [[e for e in found if e.container is None and not e.source] for found in events]
    look = _Lookups(narration, sents, toks, in_quote, lex, text)
    history = _History(
        sorted(
            [
                *((e.first, e.paragraph, e.speaker) for f in narration for e in f if e.speaker),
                *_introducers(qs, narration, sents, toks, in_quote, lex, ctx),
            ],
            key=lambda h: h[0],
        )
    )
    starts = [st.sentence.start for st in sents]
    tok_starts = [t.start for t in toks]
    common = _common_words(toks) if qs else frozenset()
    for q in qs:
        if q.parent is not None or q.turn:
            continue
        st = sents[q.sentence]
        opens = look.next_alnum(st.sentence.start) >= q.quote.start  # nothing before it
        q.kind = _quote_kind(q, text, opens)
        closing = max(q.sentence, bisect.bisect_right(starts, q.quote.end - 1) - 1)
        # ', Lavrov said.' after an embedded term reports its whole clause, not the term.
        speaker, cue, event = (
            (None, None, None) if q.kind == "term" else _tail_attribution(q, look, closing, text)
        )
        if speaker is not None and speaker.kind == "media":
            # '"...," the Associated Press reports' after 'X has said ...': the outlet is
            # the channel, X the speaker (an outlet speaks for itself only when nobody
            # else spoke in the paragraph before)
            channel_of = history.last_before(q.quote.start, q.paragraph, same_paragraph=True)
            if channel_of is not None and channel_of.kind != "media":
                speaker = channel_of
        if speaker is None:
            speaker, event = _intro_attribution(q, st, look)
            if event is not None and q.kind == "direct" and _bare_intro(event, q, st, text):
                # 'Peskov said: "..."': the attribution is part of the direct speech, as a
                # tail attribution is, when a sentence's voice is weighed
                cue = (event.first, q.quote.start)
        if speaker is None:
            speaker = _colon_attribution(q, st, toks, lex, ctx, text)
        if speaker is None:
            speaker = _scoped_attribution(q, st, look)
        if speaker is None:
            speaker = _speech_noun_owner(q, st, look, ctx)
        if speaker is None:
            speaker = _loose_tail(q, toks, tok_starts, in_quote, lex, ctx, text)
        if speaker is None and q.kind == "direct" and opens:
            speaker = history.last_before(q.quote.start, q.paragraph)
        if speaker is None:
            speaker = _subject_of(q, st, toks, in_quote, lex, ctx, common)
        if speaker is None:
            speaker = history.last_before(q.quote.start, q.paragraph)
        if event is not None:
            event.used_for_quote = True
        q.speaker, q.cue = speaker, cue
        if speaker is not None:
            history.add(q.start, q.paragraph, speaker)
    _run_on_quotes(qs, text)
    inside: dict[int, list[_Event]] = {}
    for found in events:
        for e in found:
            if e.container is not None and e.speaker is not None:
                inside.setdefault(e.container, []).append(e)
    for q in qs:
        if q.parent is None:
            continue
        # A quotation inside a quotation: the outer speaker's words, unless a speech verb
        # inside the outer quotation names someone else ("Putin said 'we will win'").
        before = [e for e in inside.get(q.parent, ()) if e.verb_end <= q.start]
        q.speaker = before[-1].speaker if before else qs[q.parent].speaker
        q.kind = "term" if q.words <= TERM_MAX_WORDS else "direct"


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


class _Lookups:
    """Indexes of each sentence's speech acts and speech nouns for the quotation pass,
    built on a sentence's first quotation: each quotation then costs a few bisections, not
    a pass over its sentence (scraped HTML makes one 'sentence' of thousands of quotes)."""

    def __init__(
        self, narration: list[list[_Event]], sents: list[_Sent], toks, in_quote, lex, text
    ):
        self.narration = narration
        self.sents = sents
        self.toks = toks
        self.in_quote = in_quote
        self.lex = lex
        self.next_alnum = _NextAlnum(text)
        self._after: dict[int, tuple[list[_Event], list[int]]] = {}
        self._intro: dict[int, tuple[dict, tuple]] = {}
        self._scoped: dict[int, dict[tuple[int, int], tuple[list[_Event], list[float]]]] = {}
        self._nouns: dict[int, list[int]] = {}
        self._owner: dict[int, dict[int, tuple[int, int] | None]] = {}

    def after(self, closing: int) -> tuple[list[_Event], list[int]]:
        """The attributions of sentences ``closing`` and ``closing + 1`` that can follow a
        quotation (naming verbs never do), in text order, and where each begins."""
        if closing not in self._after:
            found = sorted(
                (e for found in self.narration[closing : closing + 2] for e in found),
                key=lambda e: e.first,
            )
            found = [e for e in found if e.cls != "name"]
            self._after[closing] = (found, [e.first for e in found])
        return self._after[closing]

    def intro(self, i: int):
        """Speech acts of sentence ``i`` that can introduce a quotation: by the clause their
        verb stands in, and those closing a clause (tails), each sorted by (verb, -order)."""
        if i not in self._intro:
            st = self.sents[i]
            by_clause: dict[tuple[int, int], list] = {}
            tails: list = []
            for n, e in enumerate(self.narration[i]):
                if e.sentence != st.index or e.cls == "according":
                    continue
                item = (e.verb_start, -n, e)
                clause = _clause_at(st, e.verb_start)
                if clause is not None:
                    by_clause.setdefault(clause, []).append(item)
                if e.tail:
                    tails.append(item)
            groups = [*by_clause.values(), tails]
            for group in groups:
                group.sort(key=lambda item: item[:2])
            self._intro[i] = (
                {c: (g, [item[0] for item in g]) for c, g in by_clause.items()},
                (tails, [item[0] for item in tails]),
            )
        return self._intro[i]

    def scoped(self, i: int):
        """Speech acts of sentence ``i`` by clause, in order, with the running minimum of
        where each begins (-inf for those that frame their whole clause), negated."""
        if i not in self._scoped:
            st = self.sents[i]
            groups: dict[tuple[int, int], list[_Event]] = {}
            for e in self.narration[i]:
                if e.sentence == st.index and e.cls != "name":
                    groups.setdefault(e.clause, []).append(e)
            out = {}
            for clause, group in groups.items():
                low, neg = _INF, []
                for e in group:
                    low = min(low, -_INF if e.cls == "according" or e.tail else e.first)
                    neg.append(-low)
                out[clause] = (group, neg)
            self._scoped[i] = out
        return self._scoped[i]

    def nouns(self, st: _Sent) -> list[int]:
        """Token indices of the speech nouns ("rhetoric", "claims") in a sentence's narration."""
        if st.index not in self._nouns:
            toks, in_quote = self.toks, self.in_quote
            self._nouns[st.index] = [
                i
                for i in range(st.lo, st.hi)
                if in_quote[i] is None and toks[i].word and toks[i].low in _SPEECH_NOUNS
            ]
        return self._nouns[st.index]

    def owners(self, st: _Sent) -> dict[int, tuple[int, int] | None]:
        """For a token of the sentence, the first speaker phrase at or before it (see
        _speech_noun_owner), filled as quotations ask."""
        return self._owner.setdefault(st.index, {})


class _History:
    """Who spoke where, for continuations: the speakers of narration (fixed) and of the
    quotations attributed so far, added in text order (one list each, so that adding is an
    append, not an insertion into one long list)."""

    def __init__(self, narration: list[tuple[int, int, Speaker]]):
        self.fixed = narration
        self.fixed_at = [h[0] for h in narration]
        self.added: list[tuple[int, int, Speaker]] = []
        self.added_at: list[int] = []

    def add(self, pos: int, paragraph: int, speaker: Speaker) -> None:
        at = bisect.bisect_right(self.added_at, pos)  # the end, unless quotes overlap
        self.added_at.insert(at, pos)
        self.added.insert(at, (pos, paragraph, speaker))

    def last_before(self, pos: int, paragraph: int, same_paragraph: bool = False) -> Speaker | None:
        """A quotation that opens its sentence with no attribution of its own continues the
        last speaker before it, if that speaker spoke in this or the previous paragraph.
        (At one position a quotation's speaker comes after the narration's.)"""
        k = bisect.bisect_left(self.fixed_at, pos) - 1
        a = bisect.bisect_left(self.added_at, pos) - 1
        if a >= 0 and (k < 0 or self.added_at[a] >= self.fixed_at[k]):
            last = self.added[a]
        elif k >= 0:
            last = self.fixed[k]
        else:
            return None
        reach = 0 if same_paragraph else _CONTINUATION_PARAGRAPHS
        return last[2] if paragraph - last[1] <= reach else None


def _quote_kind(q: _Q, text: str, opens: bool) -> str:
    """``term`` for a short quotation embedded in a clause, ``direct`` for an utterance
    (``opens``: the quotation opens its sentence)."""
    if q.words > TERM_MAX_WORDS:
        return "direct"
    inner = text[q.start : q.end].rstrip()
    if inner.endswith((".", "!", "?", "…")) or opens:
        return "direct"
    before = _char_before(text, q.quote.start)
    if before == ":":
        return "direct"
    return "term"


def _tail_attribution(q: _Q, look: _Lookups, closing: int, text: str):
    """`"...," said X` / `"...," X told reporters` / `"...", according to X`: the first
    attribution after the quotation, in its closing sentence or the next, right after it."""
    after, firsts = look.after(closing)
    k = bisect.bisect_left(firsts, q.quote.end)
    if k == len(after):
        return None, None, None
    e = after[k]
    if e.first - q.quote.end > 4:
        return None, None, None
    gap = text[q.quote.end : e.first]
    if any(ch.isalnum() for ch in gap) or "\n" in gap:
        return None, None, None
    inner = text[q.start : q.end].rstrip()
    closing_mark = inner[-1:] in ",?!—–…-" or gap.strip().startswith((",", "—", "–"))
    if not closing_mark and not (e.tail and gap.strip() == ""):
        return None, None, None
    if e.cls == "setting":
        return None, None, None
    cue_end = e.clause[1] if e.tail or e.cls == "according" else e.last
    return e.speaker, (q.quote.end, cue_end), e


_TAIL_PHRASE_TOKENS = 14  # "Senate Minority Leader Harry M. Reid (D-Nev.)" and a little more
_SPEECH_CLASSES = frozenset(("say", "that"))
_DASH_MARKS = frozenset("―—–")
_TAIL_MARKS = frozenset(",-") | _DASH_MARKS


def _loose_tail(
    q: _Q, toks: list[Word], tok_starts: list[int], in_quote, lex, ctx, text: str
) -> Speaker | None:
    """'"...share." Senate Minority Leader Harry M. Reid (D-Nev.) said in a statement.':
    right after the closing mark, in its paragraph, a speaker phrase the strict grammar
    cannot close (initials, a party in parentheses, a long title) and then a speech verb."""
    k = bisect.bisect_left(tok_starts, q.quote.end)
    n = len(toks)
    dashed = False  # '"..." ― Carla Sanchez': a signature line, no verb needed
    while k < n and not toks[k].word and toks[k].text in _TAIL_MARKS:
        dashed = dashed or toks[k].text in _DASH_MARKS
        k += 1
    if k >= n or "\n" in text[q.quote.end : toks[k].start] or not toks[k].word:
        return None
    phrase: list[Word] = []
    depth = 0
    j = k
    while j < n and j - k <= _TAIL_PHRASE_TOKENS:
        t = toks[j]
        if in_quote[j] is not None or "\n" in text[toks[j - 1].end : t.start]:
            if dashed and "\n" in text[toks[j - 1].end : t.start]:
                break  # the signature ends with its line
            return None
        if t.text == "(":
            depth += 1
        elif t.text == ")":
            depth = max(0, depth - 1)
        elif depth:
            pass  # "(D-Nev.)": a party and state, not part of the name
        elif t.word and t.low in VERBS and VERBS[t.low][1] in _SPEECH_CLASSES and phrase:
            break
        elif t.word:
            phrase.append(t)
        elif t.text == "." and phrase and len(phrase[-1].text) == 1 and phrase[-1].cap:
            pass  # the initial of "Harry M. Reid"
        elif dashed and t.text in ".,;" and (j + 1 >= n or "\n" in text[t.end : toks[j + 1].start]):
            break  # 'Carla Sanchez.' ending the signature line
        elif t.text == "," and phrase and (skip := _apposition_before_verb(toks, j, in_quote)):
            j = skip  # 'Rep. Jim Jordan (R-Ohio), an oversight panel member, said'
            continue
        else:
            return None  # the sentence or clause ends before any speech verb
        j += 1
    else:
        if not (dashed and j >= n):
            return None
    if not phrase or not phrase[0].cap and phrase[0].low not in ("the", "a", "an"):
        return None
    if phrase[-1].low in PRONOUNS:
        return None  # the context is the whole text's by now: a pronoun would name its last
    return resolve_speaker(phrase, lex, ctx, q.paragraph)


_APPOSITION_TOKENS = 12


def _apposition_before_verb(toks: list[Word], comma: int, in_quote) -> int | None:
    """Index of the speech verb after ', an apposition,' that follows a speaker phrase."""
    n = len(toks)
    for m in range(comma + 1, min(n - 1, comma + _APPOSITION_TOKENS)):
        t = toks[m]
        if in_quote[m] is not None or t.text in '.!?;:"“”':
            return None
        if t.text == ",":
            nxt = toks[m + 1]
            if nxt.word and nxt.low in VERBS and VERBS[nxt.low][1] in _SPEECH_CLASSES:
                return m + 1
            return None
    return None


def _introducers(
    qs: list[_Q], narration, sents: list[_Sent], toks, in_quote, lex, ctx
) -> list[tuple[int, int, Speaker]]:
    """'Howard continued his scathing remarks.' / 'Bystrom agreed.' right before a
    quotation that opens its sentence: a person with a speech verb but no words of their
    own introduces the quotation that follows (a speaker for its continuation)."""
    opening = {
        q.sentence
        for q in qs
        if q.parent is None and q.quote.start <= sents[q.sentence].sentence.start + 1
    }
    found = []
    for i in sorted(opening):
        if i == 0 or narration[i - 1]:
            continue
        st = sents[i - 1]
        if any(in_quote[k] is not None for k in range(st.lo, st.hi)):
            continue
        if not any(toks[k].word and toks[k].low in VERBS for k in range(st.lo, st.hi)):
            continue
        span = _sentence_subject(toks, st.lo, st.hi, in_quote, None, lex)
        if span is None:
            continue
        phrase = toks[span[0] : span[1] + 1]
        if phrase[-1].low in PRONOUNS:
            continue  # resolved after the whole text, a pronoun would name its last person
        speaker = resolve_speaker(phrase, lex, ctx, st.sentence.paragraph)
        if speaker is None or speaker.kind != "person":
            continue
        word = phrase[0]
        if len(phrase) == 1 and speaker.name == word.text and word.low not in ctx.surnames:
            continue  # one unknown capitalised word
        found.append((st.sentence.start, sents[i].sentence.paragraph, speaker))
    return found


def _subject_of(
    q: _Q, st: _Sent, toks: list[Word], in_quote, lex, ctx, common: frozenset[str]
) -> Speaker | None:
    """'Sanders credited Clinton's victory to "a closed primary"': with no speech verb, the
    person who opens the quotation's sentence is the one whose words it quotes."""
    first = _first_token_at(toks, st, q.quote.start)
    lo = st.lo
    while lo < first and not toks[lo].word:
        lo += 1
    if lo < first and _common_opener(toks[lo], common):
        # 'Continuing to explain, Carson rejected ...': the subject follows the comma
        comma = next((k for k in range(lo + 1, min(lo + 12, first)) if toks[k].text == ","), None)
        if comma is None:
            return None
        lo = comma + 1
    span = _sentence_subject(toks, lo, first, in_quote, None, lex)
    if span is None:
        return None
    phrase = toks[span[0] : span[1] + 1]
    if phrase[-1].low in PRONOUNS:
        return None  # the context is the whole text's by now: a pronoun would name its last
    if any(t.word and len(t.text) > 1 and t.text.isupper() for t in phrase):
        return None  # 'VOTERS CARE MORE ...': a headline in capitals, not a name
    if len(phrase) == 1 and phrase[0].low in common:
        return None  # 'Audiences can expect ...': a common word, capitalised as it opens
    speaker = resolve_speaker(phrase, lex, ctx, st.sentence.paragraph)
    return speaker if speaker is not None and speaker.kind == "person" else None


def _common_opener(t: Word, common: frozenset[str]) -> bool:
    """A capitalised sentence opener that is a common word ('Specifically', 'Addressing')."""
    return t.cap and (t.low in common or t.low.endswith(("ly", "ing")))


def _common_words(toks: list[Word]) -> frozenset[str]:
    """Words the document writes in lower case somewhere: not names where they open a
    sentence capitalised."""
    return frozenset(t.low for t in toks if t.word and not t.cap)


def _intro_attribution(q: _Q, st: _Sent, look: _Lookups):
    """A speech or naming verb before the quote in its clause: `X said: "..."`,
    `X called it "..."`, `what X calls "..."`, `"A," said X, "B."`: the last such verb
    before it that no ", which" clause keeps from it."""
    by_clause, tails = look.intro(st.index)
    pos = q.quote.start
    best = None
    for group, verbs in (by_clause.get(_clause_of(st, pos), ((), [])), tails):
        for k in range(bisect.bisect_left(verbs, pos) - 1, -1, -1):
            item = group[k]
            e = item[2]
            if e.verb_end <= pos and _reaches(st, e.verb_start, pos):
                if best is None or item[:2] > best[:2]:
                    best = item
                break
    if best is None:
        return None, None
    return best[2].speaker, best[2]


def _bare_intro(event: _Event, q: _Q, st: _Sent, text: str) -> bool:
    """Whether only the attribution stands between the speaker and the quotation: 'X said:
    "..."', 'X told reporters on Monday: "..."'. In 'Lavrov called the invasion, which
    Moscow calls ..., "a life-and-death struggle"' the words between are the author's."""
    if not st.sentence.start <= event.first < q.quote.start:
        return False
    gap = text[event.verb_end : q.quote.start]
    if not any(ch.isalnum() for ch in gap):
        return True
    return gap.rstrip().endswith(":") and len(gap.split()) <= 6 and not _QUOTE_CHARS & set(gap)


_QUOTE_CHARS = frozenset('"“”«»„')


def _colon_attribution(
    q: _Q, st: _Sent, toks, lex: WordClasses, ctx: SpeakerContext, text: str
) -> Speaker | None:
    """'British Prime Minister Boris Johnson: "..."' -- a speaker and a colon open the sentence."""
    if _char_before(text, q.quote.start) != ":":
        return None
    colon = _first_token_at(toks, st, q.quote.start) - 1
    while colon >= st.lo and toks[colon].text != ":":
        colon -= 1
    span = phrase_left(toks, colon - 1, st.lo, lex) if colon > st.lo else None
    if span is None or span[0] != st.lo:
        return None
    return resolve_speaker(toks[span[0] : span[1] + 1], lex, ctx, st.sentence.paragraph)


def _reaches(st: _Sent, verb: int, target: int) -> bool:
    """A verb inside ", which ...," reaches only what is inside that clause."""
    return not st.relatives or st.relative_index.reaches(verb, target)


def _scoped_attribution(q: _Q, st: _Sent, look: _Lookups) -> Speaker | None:
    """A quotation inside a reported clause that its attribution closes or frames:
    'troops shelled the "corridor", residents said', '..., according to X': the first
    speech act of the quotation's clause that frames it or begins before it."""
    clause = _clause_at(st, q.quote.start)
    if clause is None:
        return None
    group, neg = look.scoped(st.index).get(clause, ((), []))
    k = bisect.bisect_left(neg, -q.quote.start)
    return group[k].speaker if k < len(group) else None


def _speech_noun_owner(q: _Q, st: _Sent, look: _Lookups, ctx: SpeakerContext) -> Speaker | None:
    """'Moscow may have bought into its own rhetoric that this is ... a "special military
    operation"': a term after a speech noun belongs to the actor before that noun, the
    first phrase left of the noun that names a speaker (pronouns aside)."""
    toks, in_quote, lex = look.toks, look.in_quote, look.lex
    lo, par = st.lo, st.sentence.paragraph
    nouns = look.nouns(st)
    k = bisect.bisect_left(nouns, _first_token_at(toks, st, q.quote.start)) - 1
    if k < 0:
        return None
    # Whether a phrase names a speaker does not depend on what the document said before
    # (only which speaker it names does), so the phrase found left of a token serves every
    # later quotation that searches from there: each token is tried once per sentence.
    owners = look.owners(st)
    passed: list[int] = []
    found: tuple[int, int] | None = None
    speaker = None
    for j in range(nouns[k] - 1, lo - 1, -1):
        if j in owners:
            found = owners[j]
            break
        passed.append(j)
        if in_quote[j] is not None or not toks[j].word:
            continue
        span = phrase_left(toks, j, lo, lex)
        if span is None or toks[span[1]].low in PRONOUNS:
            continue
        speaker = resolve_speaker(toks[span[0] : span[1] + 1], lex, ctx, par)
        if speaker is not None:
            found = span
            break
    for j in passed:
        owners[j] = found
    if found is not None and speaker is None:
        speaker = resolve_speaker(toks[found[0] : found[1] + 1], lex, ctx, par)
    return speaker


def _run_on_quotes(qs: list[_Q], text: str) -> None:
    """A quotation running over paragraphs (no closing mark, the next paragraph reopens)
    takes the speaker of the part that is attributed."""
    for k in range(len(qs) - 2, -1, -1):
        q = qs[k]
        if q.parent is None and not q.quote.closed and q.accepted and q.speaker is None:
            for nxt in qs[k + 1 :]:
                if nxt.parent is None and nxt.paragraph == q.paragraph + 1:
                    q.speaker = nxt.speaker
                    break


# --- reported spans and voices --------------------------------------------------------


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


_SETTING_RE = re.compile(
    r"\b(?:in|at|during)\s+(?:(?:a|an|the|his|her|their|its|closed|open|televised|private|"
    r"recent|weekly|daily|separate|joint|congressional|press|news|video|televised)\s+){0,3}("
    + "|".join(sorted(_SETTINGS))
    + r")\b"
)


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
