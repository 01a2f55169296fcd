"""`framing score`: sentence-by-sentence frame scores for texts."""

from __future__ import annotations

import sys
from pathlib import Path

from framing.cli.actors import ActorsOption
from framing.cli.common import (
    BackendOption,
    BatchSizeOption,
    CacheDirOption,
    EncodingOption,
    FormatOption,
    IdFieldOption,
    LexiconOption,
    ModelOption,
    NoCacheOption,
    OutputOption,
    PathsArgument,
    StrictOption,
    TextFieldOption,
    progress_counter,
    resolve_format,
    user_errors,
    warn,
)
from typing import Annotated

import typer


def score(
    paths: PathsArgument,
    fmt: FormatOption = None,
    output: OutputOption = None,
    lexicon: LexiconOption = None,
    model: ModelOption = None,
    text_field: TextFieldOption = "text",
    id_field: IdFieldOption = None,
    encoding: EncodingOption = "utf-8",
    strict: StrictOption = False,
    cache_dir: CacheDirOption = None,
    no_cache: NoCacheOption = False,
    batch_size: BatchSizeOption = 32,
    backend: BackendOption = "torch",
    lexical_weight: Annotated[
        float, typer.Option("--lexical-weight", min=0.0, max=1.0, help="Weight of the lexical score in the combined score.")
    ] = 0.5,
    meta: Annotated[bool, typer.Option("--meta/--no-meta", help="Write OUTPUT.meta.json (provenance) beside -o.")] = True,
    actors_file: ActorsOption = None,
) -> None:
    """Score every sentence against the frames and axes of the lexicons.

    Each record holds the sentence with its offsets, a combined/lexical/semantic score
    per frame, a position per axis, the top frame, every matched term (with its span,
    and whether it is quoted or negated) and the nearest exemplar of the top frame.

    Example: framing score seeds/antalya_talks_2022-03.txt -f jsonl -o scores.jsonl
    """
    with user_errors():
        from framing.actors import load_actors
        from framing.embed import Embedder
        from framing.io import (
            RecordWriter,
            atomic_output,
            check_output_path,
            iter_documents,
            write_json_atomic,
        )
        from framing.lexicon import DEFAULT_LEXICON, load_lexicons
        from framing.pipeline import score_documents
        from framing.provenance import provenance
        from framing.score import FrameScorer

        out_format = resolve_format(fmt, output)
        check_output_path(output)  # a bad -o fails now, not after the model has loaded
        lex = load_lexicons(lexicon or [DEFAULT_LEXICON])
        registry = load_actors(actors_file)
        skipped: list[str] = []  # what was left out goes into the provenance too

        def warn_skipped(message: str) -> None:
            skipped.append(message)
            warn(message)

        documents = iter_documents(
            paths, text_field=text_field, id_field=id_field, encoding=encoding, strict=strict,
            warn=warn_skipped,
        )
        # Pull the first document before any output exists: a bad first input fails fast.
        first = next(documents)
        embedder = Embedder(model, cache_dir=cache_dir, use_cache=not no_cache, batch_size=batch_size, backend=backend)
        scorer = FrameScorer(lex, embedder, lexical_weight=lexical_weight).fit()

        def all_documents():
            yield first
            yield from documents

        with atomic_output(output) as stream, progress_counter("scoring") as advance:
            writer = RecordWriter(stream, out_format, lex.frame_ids, lex.axis_ids)
            records = score_documents(all_documents(), scorer, actors=registry, progress=advance)
            for record in records:
                writer.write(record)
            writer.close()
        if output is not None and meta:
            options = {
                "format": out_format, "lexicons": lexicon or [DEFAULT_LEXICON], "model": model,
                "text_field": text_field, "id_field": id_field, "encoding": encoding,
                "batch_size": batch_size, "backend": backend, "lexical_weight": lexical_weight,
                "actors": actors_file, "strict": strict,
            }
            info = provenance(
                command="score", options=options, embedder=embedder, lexicon=lex, inputs=paths
            )
            info["skipped"] = skipped
            write_json_atomic(Path(f"{output}.meta.json"), info)
        if output is not None:
            typer.echo(f"framing: wrote {writer.count} sentence records to {output}", err=True)
        sys.stdout.flush()
