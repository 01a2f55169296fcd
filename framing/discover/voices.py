"""Words in each speaker's own voice: documents cut into runs of words that one voice says.

A sentence of narration that quotes Moscow's "special military operation" holds two
voices: the author's words around the quotation and Moscow's words inside it. Counting
words per speaker must follow the words, not the sentence, so each sentence is cut into
**runs**: maximal stretches of word tokens that share one voice and are not split by
punctuation (an n-gram never crosses a comma, a quotation mark or a voice change).

The voice of a word is that of the innermost attributed span holding it (a quotation, a
scare-quoted term, a reported claim: ``framing.attribution``); words outside every span
are the narration's, the document's author (the byline, the title's speaker or the
``--speaker-field`` of a table row). Words inside a quotation whose speaker was not found
belong to nobody and are left out, as scoring leaves them out of every lexical score.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from framing.actors import ActorRegistry, load_actors
from framing.text import Document

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["voice_segments", "iter_runs", "word_runs", "ngrams", "SEGMENT_COLUMNS", "STOP_WORDS"]

SEGMENT_COLUMNS = ("doc", "sentence_id", "speaker", "side", "voice_kind", "text")
# A word: letters or digits with inner apostrophes ("Ukraine's"); hyphens split words, as in
# framing.tokens, so "neo-Nazis" and "neo Nazis" count as one term.
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# Between two words of one run only spaces and hyphens may stand.
_JOINS = re.compile(r"[\s\-‐‑]*")


# Function words: an n-gram may hold them inside ("gang of neo nazis") but not start or end
# with them ("of the", "the war"). Not scikit-learn's list: it drops content words that
# matter in political text ("full", "fire", "system", "call", "bill", "interest").
STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his how i
    if in into is it its itself just me more most my myself no nor not of off on once only
    or other our ours ourselves out over own same she should so some such than that the
    their theirs them themselves then there these they this those through to too under
    until up very was we were what when where which while who whom why will with would you
    your yours yourself yourselves s t it's don't he's she's we're they're i'm that's
    there's let's isn't aren't wasn't weren't won't can't didn't doesn't hasn't haven't
    ve ll re d m""".split()
)


def iter_runs(documents: Iterable[Document], actors: ActorRegistry | None = None) -> Iterator[dict]:
    """One dict per run of words in one voice (keys ``SEGMENT_COLUMNS``), in text order."""
    from framing.attribution import attribute
    from framing.text import find_quotes, segment

    registry = actors or load_actors()
    for doc in documents:
        sentences = segment(doc)
        quotes = find_quotes(doc.text, sentences)
        attribution = attribute(doc, sentences, quotes, registry)
        text = doc.text
        quoted = [s for s in attribution.spans if s.kind == "direct" and s.speaker]
        spans = sorted(
            (
                _claim_only(span, text)
                for span in attribution.spans
                # a report around the speaker's own quotation ('"...," Trump said, referring
                # to ...'): the quotation is the claim, the rest is narration
                if not (
                    span.kind == "reported"
                    and any(
                        q.speaker == span.speaker and span.start <= q.start and q.end <= span.end
                        for q in quoted
                    )
                )
            ),
            key=lambda s: (s.start, -s.end),
        )
        span_starts = [s.start for s in spans]
        author = attribution.author
        for sentence in sentences:
            # spans that can hold a word of this sentence: they start before it ends
            last = bisect.bisect_left(span_starts, sentence.end)
            near = [s for s in spans[:last] if s.end > sentence.start]
            run: list[str] = []
            voice = None
            previous_end = None
            for match in _WORD.finditer(text, sentence.start, sentence.end):
                start, end = match.start(), match.end()
                inner = None
                for span in near:
                    if span.start <= start and end <= span.end:
                        if inner is None or span.end - span.start < inner.end - inner.start:
                            inner = span
                if inner is None:
                    word_voice = (author.speaker, author.side, author.voice_kind)
                elif inner.speaker is None:
                    word_voice = None  # a quotation nobody was found for: nobody's words
                else:
                    word_voice = (inner.speaker, inner.side or "unknown", inner.kind)
                joined = previous_end is not None and _JOINS.fullmatch(text, previous_end, start)
                if run and (word_voice != voice or not joined):
                    yield _run(doc.id, sentence.sentence_id, voice, run)
                    run = []
                voice = word_voice
                previous_end = end
                if word_voice is not None:
                    run.append(match.group().lower().replace("’", "'"))
            if run:
                yield _run(doc.id, sentence.sentence_id, voice, run)


def _claim_only(span, text: str):
    """A reported claim without its frame: in "Trump said Bush is not smart", the speaker's
    words are "Bush is not smart"; "Trump said" is the narration that reports them (the
    attributed span runs from the speaker to the clause's end). Likewise the "according to
    officials" before a comma."""
    from dataclasses import replace

    from framing.attribution.vocabulary import VERBS

    if span.kind != "reported":
        return span
    body = text[span.start : span.end]
    if body.lower().startswith("according to"):
        cut = re.search(r"[,;:]", body)
        return replace(span, start=span.start + cut.end()) if cut else span
    for k, match in enumerate(_WORD.finditer(body)):
        if k >= _MAX_FRAME_WORDS:
            break
        entry = VERBS.get(match.group().lower())
        if entry is not None and entry[1] in ("say", "that"):
            end = match.end()
            after = _THAT.match(body, end)
            return replace(span, start=span.start + (after.end() if after else end))
    return span


_MAX_FRAME_WORDS = 12  # "Advisor to the Head of the Office of the President Mykhailo Podolyak said"
_THAT = re.compile(r"\s+that\b", re.IGNORECASE)


def _run(doc: str, sentence_id: int, voice: tuple[str, str, str], words: list[str]) -> dict:
    speaker, side, kind = voice
    return {
        "doc": doc,
        "sentence_id": sentence_id,
        "speaker": speaker,
        "side": side,
        "voice_kind": kind,
        "text": " ".join(words),
    }


def voice_segments(
    documents: Iterable[Document] | pd.DataFrame,
    actors: ActorRegistry | None = None,
    *,
    text: str = "text",
    id: str | None = None,  # noqa: A002 - the column name, as in score_dataframe
    speaker: str | None = None,
) -> pd.DataFrame:
    """Runs of words in one voice, one row each (columns ``SEGMENT_COLUMNS``; ``text`` holds
    the run's lower-cased words joined by single spaces). Takes documents, or a DataFrame
    with a ``text`` column (and optional ``id`` and ``speaker`` columns)."""
    import pandas as pd

    if isinstance(documents, pd.DataFrame):
        documents = _frame_documents(documents, text, id, speaker)
    rows = list(iter_runs(documents, actors))
    return pd.DataFrame(rows, columns=list(SEGMENT_COLUMNS))


def _frame_documents(
    frame: pd.DataFrame, text: str, id_column: str | None, speaker: str | None
) -> Iterator[Document]:
    from framing.errors import FramingError
    from framing.text import speaker_name

    for column in (text, id_column, speaker):
        if column is not None and column not in frame.columns:
            raise FramingError(f"no column {column!r} (columns: {', '.join(map(str, frame))})")
    for k, (index, row) in enumerate(frame.iterrows()):
        body = row[text]
        if not isinstance(body, str) or not body.strip():
            continue
        doc_id = str(row[id_column]) if id_column else str(index if index is not None else k)
        who = speaker_name(row[speaker]) if speaker else None
        yield Document(id=doc_id, text=body, source=doc_id, speaker=who)


def ngrams(run: str, n_max: int = 3) -> Iterator[str]:
    """The 1- to ``n_max``-grams of a run's words that neither start nor end with a stop
    word nor are only digits ("special military operation", "gang of neo nazis" pass;
    "of the" and "the war" do not)."""
    words = run.split(" ")
    for i, first in enumerate(words):
        if first in STOP_WORDS or first.isdigit():
            continue
        for n in range(1, n_max + 1):
            if i + n > len(words):
                break
            last = words[i + n - 1]
            if last in STOP_WORDS or last.isdigit():
                continue
            yield " ".join(words[i : i + n])


def word_runs(text: str) -> list[str]:
    """A text's runs of lower-cased words not split by punctuation, each as words joined by
    single spaces (voices aside: for counting terms of whole sentences)."""
    runs: list[str] = []
    run: list[str] = []
    previous_end = None
    for match in _WORD.finditer(text):
        if run and not _JOINS.fullmatch(text, previous_end, match.start()):
            runs.append(" ".join(run))
            run = []
        run.append(match.group().lower().replace("’", "'"))
        previous_end = match.end()
    if run:
        runs.append(" ".join(run))
    return runs
