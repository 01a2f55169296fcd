"""What `framing compare`, `framing trend` and `framing lexicon expand` share: read and score
a corpus with the usual options, and write figures and provenance atomically."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from framing.cli.common import progress_counter, read_documents


@dataclass
class CorpusOptions:
    """The options every command that scores a corpus takes, as the user gave them."""

    paths: list[str]
    lexicon: list[str] | None
    actors: str | None
    model: str | None
    text_field: str
    id_field: str | None
    speaker_field: str | None
    encoding: str
    strict: bool
    cache_dir: Path | None
    no_cache: bool
    batch_size: int
    backend: str
    lexical_weight: float

    def provenance_options(self) -> dict:
        from framing.lexicon import DEFAULT_LEXICON

        options = asdict(self)
        options.pop("paths")
        options["lexicons"] = options.pop("lexicon") or [DEFAULT_LEXICON]
        options["cache_dir"] = str(self.cache_dir) if self.cache_dir else None
        return options


def load_scorer(opts: CorpusOptions):
    """(lexicon, actors registry, fitted scorer) for these options; bad lexicons or actors
    fail here, before any document is read."""
    from framing.actors import load_actors
    from framing.embed import Embedder
    from framing.lexicon import DEFAULT_LEXICON, load_lexicons
    from framing.score import FrameScorer

    lex = load_lexicons(opts.lexicon or [DEFAULT_LEXICON])
    registry = load_actors(opts.actors)
    embedder = Embedder(
        opts.model,
        cache_dir=opts.cache_dir,
        use_cache=not opts.no_cache,
        batch_size=opts.batch_size,
        backend=opts.backend,
    )
    return lex, registry, FrameScorer(lex, embedder, lexical_weight=opts.lexical_weight)


def read_paths(opts: CorpusOptions):
    """The documents of the inputs (a bad first input fails at once)."""
    from framing.io import ReadOptions

    read = ReadOptions(
        text_field=opts.text_field,
        id_field=opts.id_field,
        speaker_field=opts.speaker_field,
        encoding=opts.encoding,
        strict=opts.strict,
    )
    return read_documents(opts.paths, read)


def score_paths(
    opts: CorpusOptions, scorer, registry, *, with_segments: bool = True, documents=None
):
    """Read the inputs (unless ``documents`` are given) and score them
    (``framing.discover.corpus.score_corpus``)."""
    from framing.discover.corpus import score_corpus

    if documents is None:
        documents = read_paths(opts)
    scorer.fit()
    with progress_counter("scoring") as advance:
        return score_corpus(
            documents, scorer, actors=registry, with_segments=with_segments, progress=advance
        )


def write_figure(fig, path: Path) -> None:
    """Write a figure atomically, its format from the suffix (png or svg)."""
    from framing.discover.figures import save
    from framing.io import atomic_output

    with atomic_output(path, binary=True) as stream:
        save(fig, stream, path.suffix.lstrip(".").lower())


def write_meta(path: Path, command: str, options: dict, scorer, inputs, **extra) -> None:
    """``path`` (a .meta.json): how the outputs beside it were made."""
    from framing.io import write_json_atomic
    from framing.provenance import provenance

    info = provenance(
        command=command,
        options=options,
        embedder=getattr(scorer, "embedder_", None) or scorer.embedder,
        lexicon=scorer.lexicon,
        inputs=inputs,
    )
    info.update(extra)
    write_json_atomic(path, info)
