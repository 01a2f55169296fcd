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
   span around it; an actor whose rhetoric/narrative/claims the clause names; a looser
   attribution after it (`"..." Sen. Harry M. Reid (D-Nev.) said in a statement.`,
   `"..." ― Carla Ruiz`); for a quote that opens its sentence, the last speaker of this or
   the previous paragraph (a continuation, or a person who "agreed." just before); the
   person who opens its sentence (`Sanders credited her win to "a closed primary"`); the
   last speaker of this or the previous paragraph. Otherwise it stays unattributed
   (speaker ``None``). An outlet after a quote (`the Associated Press reports`) is the
   channel when someone else spoke earlier in the paragraph.
4. **Terms**: a quote of at most ``TERM_MAX_WORDS`` words embedded in a clause (not a
   whole utterance) is a scare-quoted term (``kind="term"``), attributed by the same rules.
5. **Voices**: a sentence is ``direct`` when more than half of its letters lie in direct
   quotations (with their attribution) of one speaker, ``reported`` when more than half lie
   in reported spans, else ``author``: the speaker a speech's or statement's title line names
   ("Address by President X"), else the byline name when the text has one.

The package follows these stages, one module each: ``phrases`` (the phrase grammar: words,
titles, names, apposition, and the per-document ``SpeakerContext``), ``vocabulary`` (speech
verbs and word lists), ``dates`` (a document's date, for offices that changed hands),
``structure`` (sentences, clauses, the quotation each token stands in, learnt titles),
``events`` (speech acts and their speakers), ``quotations`` (each quotation's speaker),
``voices`` (transcript turns, the author, reported spans, sentence voices) and ``results``
(what a caller gets); ``attribute`` below runs them in that order. The registry (actors,
aliases, sides, dated offices) is ``framing.actors``.

Bad input never raises: an unclosed quote counts only within its first sentence (unless
the next paragraph opens with a quotation mark, the convention for a quotation running
over paragraphs), and a quote nobody can be found for keeps the author's voice.

"""

from __future__ import annotations

from collections.abc import Sequence

from framing.actors import UNKNOWN, ActorRegistry, load_actors
from framing.attribution.dates import document_date
from framing.attribution.events import _events, _remember_subject
from framing.attribution.phrases import SpeakerContext, word_classes, words
from framing.attribution.quotations import _attribute_quotes, _named_later
from framing.attribution.results import AttributedSpan, Attribution, Voice
from framing.attribution.structure import (
    _Doc,
    _Event,
    _learn_titles,
    _prepare_quotes,
    _quote_index,
    _SentenceIndex,
    _structure,
)
from framing.attribution.vocabulary import AUTHOR, TERM_MAX_WORDS
from framing.attribution.voices import (
    _author_voice,
    _given_voice,
    _header_voice,
    _reported_spans,
    _transcript_turns,
    _voices,
    find_author,
)
from framing.slavic import CYRILLIC
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
    toks = words(text)
    d = _Doc(
        text=text,
        toks=toks,
        starts=[t.start for t in toks],
        lex=word_classes(registry, cyrillic=CYRILLIC.search(text) is not None),
        ctx=SpeakerContext(registry, date=document_date(doc), text=doc.text),
    )
    lex, ctx = d.lex, d.ctx
    title_voice = _header_voice(d)

    turns = _transcript_turns(sentences, d)
    qs = _prepare_quotes(text, [*quotes, *turns], sentences)
    for q in qs:
        if q.quote in turns:
            q.speaker, q.cue, q.turn = turns[q.quote], (q.quote.start, q.start), True
    d.in_quote = in_quote = _quote_index(toks, qs)
    sents = [_structure(i, s, toks, d.starts, in_quote, text) for i, s in enumerate(sentences)]
    _learn_titles(sents, d)

    events: list[list[_Event]] = []  # per sentence
    for st in sents:
        # "Peskov declined to comment on what he called ...": a pronoun in a sentence
        # most likely means the person who opens it
        _remember_subject(st, [], d)
        found = _events(st, d)
        events.append(found)
        _remember_subject(st, found, d)

    _attribute_quotes(qs, events, sents, d)
    _named_later(qs, ctx)
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
