"""What `framing compare`, `framing trend` and `framing lexicon expand` share: read and score
a corpus with the usual options, and write figures and provenance atomically."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from framing.cli.common import ScoringOptions, progress_counter, read_documents, run_options


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

    @property
    def read(self):
        """The read options (``framing.io.ReadOptions``) these stand for."""
        from framing.io import ReadOptions

        return ReadOptions(
            text_field=self.text_field,
            id_field=self.id_field,
            speaker_field=self.speaker_field,
            encoding=self.encoding,
            strict=self.strict,
        )

    @property
    def scoring(self) -> ScoringOptions:
        """The scoring options these stand for: the same object score, profile and map use."""
        return ScoringOptions(
            tuple(self.lexicon or ()),
            self.actors,
            self.model,
            self.cache_dir,
            self.no_cache,
            self.batch_size,
            self.backend,
            self.lexical_weight,
        )

    def provenance_options(self) -> dict:
        """What the provenance records, built from the options objects as every command's."""
        return run_options(self.read, self.scoring)


def load_scorer(opts: CorpusOptions):
    """(lexicon, actors registry, scorer not yet fitted) for these options; bad lexicons or
    actors fail here, before any document is read or the model loads."""
    from framing.score import FrameScorer

    scoring = opts.scoring
    lex = scoring.load_lexicon()
    registry = scoring.load_actors()
    return (
        lex,
        registry,
        FrameScorer(lex, scoring.embedder(), lexical_weight=scoring.lexical_weight),
    )


def read_paths(opts: CorpusOptions):
    """The documents of the inputs (a bad first input fails at once); the language warning
    comes from scoring, which knows the model."""
    return read_documents(opts.paths, opts.read, check_script=False)


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
