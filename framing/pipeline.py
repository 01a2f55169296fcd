"""The thin orchestrator: documents -> sentences -> hits -> embeddings -> scored records.

Records stream out in batches, so a corpus is never held in memory at once: documents
are read lazily, sentences are embedded ``batch_sentences`` at a time, and each record
is yielded as soon as its batch is scored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

from framing.actors import ActorRegistry, load_actors
from framing.attribution import attribute
from framing.embed import Embedder
from framing.io import LanguageWarnings
from framing.lang import check_lang, detect_language
from framing.lexicon import DEFAULT_LEXICON, Lexicon, load_lexicons
from framing.match import TermMatcher
from framing.score import FrameScorer
from framing.text import Document, find_quotes, segment

__all__ = ["score_documents", "score_texts"]

BATCH_SENTENCES = 512


def score_documents(
    documents: Iterable[Document],
    scorer: FrameScorer,
    *,
    actors: ActorRegistry | None = None,
    batch_sentences: int = BATCH_SENTENCES,
    progress: Callable[[int], None] | None = None,
    vectors: list | None = None,
    check_script: bool = True,
    lang: str | None = None,
) -> Iterator[dict]:
    """Score every sentence of every document; yields one record per sentence, in order.

    Each document's language (``en``, ``ru``, ``uk``, ...) is detected once, or is ``lang``
    when given; it is each record's ``lang``, and lexicon terms of that language match.

    Each record carries its sentence's voice (speaker, side, voice_kind) and each hit the
    voice of the words it stands in, attributed with ``actors`` (default: the built-in registry).
    ``vectors``, if given, receives each batch's sentence embeddings (an array per batch,
    rows in record order), so a map needs no second encode: ``np.concatenate(vectors)``.
    The first document in a language the model or framing does not read gives a
    ``FramingWarning`` (``check_script=False``: the caller checks, as the Dask engine does
    while counting).
    """
    if not hasattr(scorer, "centroids_"):
        scorer.fit()
    registry = actors or load_actors()
    matcher = TermMatcher(scorer.lexicon)
    pending_sentences: list = []
    pending_hits: list = []
    pending_voices: list = []
    pending_hit_voices: list = []
    pending_langs: list[str] = []

    def flush() -> Iterator[dict]:
        embeddings = scorer.embedder_.encode([s.text for s in pending_sentences], progress=progress)
        if vectors is not None:
            vectors.append(embeddings)
        records = scorer.score_records(
            pending_sentences, pending_hits, embeddings, pending_voices, pending_hit_voices
        )
        for record, record_lang in zip(records, pending_langs, strict=True):
            record["lang"] = record_lang
            yield record
        for pending in (
            pending_sentences,
            pending_hits,
            pending_voices,
            pending_hit_voices,
            pending_langs,
        ):
            pending.clear()

    fixed_lang = check_lang(lang)
    model = getattr(scorer.embedder_, "model_name", None)
    language_check = LanguageWarnings(model=model) if check_script else None
    for doc in documents:
        sentences = segment(doc)
        quotes = find_quotes(doc.text, sentences)
        attribution = attribute(doc, sentences, quotes, registry)
        doc_lang = fixed_lang or detect_language(doc.text)
        if language_check is not None:
            language_check.check(doc.id, doc_lang)
        for i, sentence in enumerate(sentences):
            hits = matcher.match(doc.text, sentence.start, sentence.end, quotes, doc_lang)
            pending_langs.append(doc_lang)
            pending_sentences.append(sentence)
            pending_hits.append(hits)
            pending_voices.append(attribution.voices[i])
            pending_hit_voices.append([attribution.voice_at(h.start, h.end, i) for h in hits])
        if len(pending_sentences) >= batch_sentences:
            yield from flush()
    if pending_sentences:
        yield from flush()


def score_texts(
    texts: Sequence[str] | dict[str, str],
    *,
    lexicon: Lexicon | Sequence[str] | None = None,
    model: str | None = None,
    embedder: Embedder | None = None,
    lexical_weight: float = 0.5,
    actors: ActorRegistry | None = None,
    lang: str | None = None,
) -> list[dict]:
    """Score texts from Python (a list, or a dict of id -> text); returns sentence records.
    ``lang`` (``en``, ``ru``, ``uk``) overrides the language detected per text."""
    if isinstance(lexicon, Lexicon):
        lex = lexicon
    else:
        lex = load_lexicons(lexicon or [DEFAULT_LEXICON])
    scorer = FrameScorer(lex, embedder or Embedder(model), lexical_weight=lexical_weight).fit()
    items = texts.items() if isinstance(texts, dict) else ((str(i), t) for i, t in enumerate(texts))
    documents = (Document(id=k, text=t) for k, t in items)
    return list(score_documents(documents, scorer, actors=actors, lang=lang))
