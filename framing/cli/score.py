"""`framing score`: sentence-by-sentence frame scores for texts."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer

from framing.cli.actors import ActorsOption
from framing.cli.common import (
    BackendOption,
    BatchSizeOption,
    CacheDirOption,
    EncodingOption,
    FormatOption,
    IdFieldOption,
    LangOption,
    LexicalWeightOption,
    LexiconOption,
    MetaOption,
    ModelOption,
    NoCacheOption,
    OutputOption,
    PathsArgument,
    ScoringOptions,
    SpeakerFieldOption,
    StrictOption,
    TextFieldOption,
    build_scorer,
    note,
    progress_counter,
    read_documents,
    refuse_output_over_inputs,
    resolve_format,
    run_options,
    user_errors,
    warn,
)
from framing.errors import FramingError

EngineOption = Annotated[
    str,
    typer.Option(
        "--engine",
        help="local (this process) or dask (a Dask cluster; pip install 'framing\\[dask]'). "
        "With dask, -o is a folder of part files plus _manifest.json, and -f is jsonl or parquet.",
    ),
]
SchedulerOption = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        help="Address of a running Dask scheduler (tcp://host:8786). "
        "Default with --engine dask: a LocalCluster on this machine.",
        show_default=False,
    ),
]
WorkersOption = Annotated[
    int | None,
    typer.Option(
        "--workers",
        min=1,
        help="Worker processes of the LocalCluster. Default: one per core.",
        show_default=False,
    ),
]
PartitionRowsOption = Annotated[
    int | None,
    typer.Option(
        "--partition-rows",
        min=1,
        help="Rows of a .jsonl/.csv (or text files) per Dask partition. "
        "Default: 4 partitions per worker, at most 1000 rows each.",
        show_default=False,
    ),
]


def score(
    paths: PathsArgument,
    fmt: FormatOption = None,
    output: OutputOption = None,
    lexicon: LexiconOption = None,
    model: ModelOption = None,
    lang: LangOption = "auto",
    text_field: TextFieldOption = "text",
    id_field: IdFieldOption = None,
    speaker_field: SpeakerFieldOption = None,
    encoding: EncodingOption = "utf-8",
    strict: StrictOption = False,
    cache_dir: CacheDirOption = None,
    no_cache: NoCacheOption = False,
    batch_size: BatchSizeOption = 32,
    backend: BackendOption = "onnx",
    lexical_weight: LexicalWeightOption = 0.5,
    meta: MetaOption = True,
    actors_file: ActorsOption = None,
    engine: EngineOption = "local",
    scheduler: SchedulerOption = None,
    workers: WorkersOption = None,
    partition_rows: PartitionRowsOption = None,
) -> None:
    """Score every sentence against the frames and axes of the lexicons.

    Each record holds the sentence with its offsets, a combined/lexical/semantic score
    per frame, a position per axis, the top frame, every matched term (with its span,
    and whether it is quoted or negated) and the nearest exemplar of the top frame.

    Example: framing score seeds/antalya_talks_2022-03.txt -f jsonl -o scores.jsonl

    On Dask: framing score corpus.jsonl --engine dask --scheduler tcp://host:8786 -o scores/
    """
    with user_errors():
        from framing.io import ReadOptions

        if engine not in ("local", "dask"):
            raise FramingError(f"--engine must be local or dask; got {engine!r}")
        read = ReadOptions(
            text_field=text_field,
            id_field=id_field,
            speaker_field=speaker_field,
            encoding=encoding,
            strict=strict,
        )
        scoring = ScoringOptions(
            lexicon,
            actors_file,
            model,
            cache_dir,
            no_cache,
            batch_size,
            backend,
            lexical_weight,
            lang,
        )
        cluster = EngineOptions(engine, scheduler, workers, partition_rows)
        if engine == "local":
            for flag, value in (
                ("--scheduler", scheduler),
                ("--workers", workers),
                ("--partition-rows", partition_rows),
            ):
                if value is not None:
                    raise FramingError(f"{flag} needs --engine dask")
        else:
            if scoring.lang is not None:
                raise FramingError("--lang needs --engine local (dask detects each language)")
            _score_on_dask(paths, output, fmt or "jsonl", scoring, read, cluster)
            return
        from framing.io import (
            RecordWriter,
            atomic_output,
            check_output_path,
            write_json_atomic,
        )
        from framing.pipeline import score_documents
        from framing.provenance import provenance

        out_format = resolve_format(fmt, output)
        refuse_output_over_inputs([output], paths, scoring, meta=meta)
        check_output_path(output)  # a bad -o fails now, not after the model has loaded
        lex = scoring.load_lexicon()
        registry = scoring.load_actors()
        skipped: list[str] = []  # what was left out goes into the provenance too

        def warn_skipped(message: str) -> None:
            skipped.append(message)
            warn(message)

        documents = read_documents(paths, read, on_skip=warn_skipped, check_script=False)
        scorer = build_scorer(scoring, lex)

        with atomic_output(output) as stream, progress_counter("scoring") as advance:
            writer = RecordWriter(stream, out_format, lex.frame_ids, lex.axis_ids)
            records = score_documents(
                documents, scorer, actors=registry, progress=advance, lang=scoring.lang
            )
            for record in records:
                writer.write(record)
            writer.close()
        if output is not None and meta:
            info = provenance(
                command="score",
                options=run_options(scoring, read, cluster, format=out_format),
                embedder=scorer.embedder_,
                lexicon=lex,
                inputs=paths,
            )
            info["skipped"] = skipped
            write_json_atomic(Path(f"{output}.meta.json"), info)
        if output is not None:
            typer.echo(f"framing: wrote {writer.count} sentence records to {output}", err=True)
        sys.stdout.flush()


@dataclass(frozen=True)
class EngineOptions:
    """Where the scoring runs: this process, or a Dask cluster and how the work is cut."""

    engine: str = "local"
    scheduler: str | None = None
    workers: int | None = None
    partition_rows: int | None = None


def _score_on_dask(paths, output, fmt: str, scoring, read, cluster: EngineOptions) -> None:
    """--engine dask: the same records, computed by a Dask cluster into a folder of parts."""
    from framing.distributed import ScorerSpec, score_files

    lex = scoring.load_lexicon()
    spec = ScorerSpec(
        lex,
        scoring.embedder(),
        lexical_weight=scoring.lexical_weight,
        actors=scoring.load_actors(),
    )
    with progress_counter("scoring") as advance:
        manifest = score_files(
            paths,
            output,
            spec,
            fmt=fmt,
            scheduler=cluster.scheduler,
            workers=cluster.workers,
            partition_rows=cluster.partition_rows,
            read=read,
            options=run_options(scoring, read, cluster, format=fmt),
            warn=warn,
            progress=advance,
        )
    note(
        f"wrote {manifest['records']} sentence records in {len(manifest['partitions'])} "
        f"partition(s) to {output}"
    )
