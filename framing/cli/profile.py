"""`framing profile`: each actor's (or side's) framing, with bootstrap intervals."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Annotated

import typer

from framing.cli.actors import ActorsOption, write_rows
from framing.cli.common import (
    BackendOption,
    BatchSizeOption,
    CacheDirOption,
    EncodingOption,
    FormatOption,
    IdFieldOption,
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
    check_grouping,
    progress_counter,
    read_documents,
    refuse_output_over_inputs,
    resolve_format,
    run_options,
    user_errors,
)
from framing.table import console_for

FRAME_COLUMNS = (
    "group",
    "frame",
    "n",
    "mean",
    "mean_low",
    "mean_high",
    "top_share",
    "top_share_low",
    "top_share_high",
    "small_sample",
)
AXIS_COLUMNS = ("group", "axis", "n", "mean", "low", "high", "small_sample")
TERM_COLUMNS = ("group", "frame", "term", "uses", "negated", "quoted", "docs")


def render_terms(
    rows: Sequence[dict],
    stream: IO[str],
    min_n: int = 5,
    group_sizes: dict[str, int] | None = None,
) -> None:
    """One line per actor and term: uses, negated uses, quoted uses, documents. A group
    with fewer than ``min_n`` sentences in its own voice (``group_sizes``) is marked
    'n<min_n', as the frame profile marks small samples."""
    from rich.table import Table

    sizes = group_sizes or {}
    table = Table(
        caption="uses: not negated; negated: e.g. 'not a real war'; quoted: in quotation marks"
        + (f"; n<{min_n}: fewer than {min_n} sentences in its own voice" if sizes else "")
    )
    table.add_column("group", no_wrap=True)
    for column in ("frame", "term"):
        table.add_column(column)
    for column in ("uses", "negated", "quoted", "docs"):
        table.add_column(column, justify="right")
    previous = None
    for r in rows:
        group = r["group"] if r["group"] != previous else ""
        if group and r["group"] in sizes and sizes[r["group"]] < min_n:
            group = f"{group}\n(n<{min_n})"
        previous = r["group"]
        table.add_row(
            group,
            r["frame"],
            r["term"],
            *(str(r[c]) for c in ("uses", "negated", "quoted", "docs")),
        )
    console_for(stream).print(table)


def render_profile(rows: Sequence[dict], stream: IO[str], min_n: int = 5) -> None:
    """Groups down, frames across: mean [95% interval] and top-frame share per cell;
    small groups show their numbers marked 'n<5', without an interval."""
    from rich.table import Table

    frames = list(dict.fromkeys(r["frame"] for r in rows))
    groups: dict[str, dict[str, dict]] = {}
    for r in rows:
        groups.setdefault(r["group"], {})[r["frame"]] = r
    table = Table(
        show_lines=True,
        expand=False,
        caption="cell: mean combined score [95% CI]; top: share of sentences where it is top",
    )
    table.add_column("group (n)", no_wrap=True)
    for f in frames:
        table.add_column(f)
    for group, cells in groups.items():
        n = next(iter(cells.values()))["n"]
        line = [f"{group}\n(n={n})"]
        for f in frames:
            c = cells.get(f)
            if c is None:
                line.append("")
            elif c["small_sample"]:
                line.append(f"{c['mean']:.2f}\ntop {c['top_share']:.0%}\n(n<{min_n})")
            else:
                mean = f"{c['mean']:.2f}\n[{c['mean_low']:.2f},{c['mean_high']:.2f}]"
                low, high = c["top_share_low"], c["top_share_high"]
                top = f"top {c['top_share']:.0%}\n[{low:.0%},{high:.0%}]"
                line.append(f"{mean}\n{top}")
        table.add_row(*line)
    console_for(stream).print(table)


def render_axes(rows: Sequence[dict], stream: IO[str], min_n: int = 5) -> None:
    """Groups down, axes across: mean position [95% interval] (negative: left pole)."""
    from rich.table import Table

    axes = list(dict.fromkeys(r["axis"] for r in rows))
    groups: dict[str, dict[str, dict]] = {}
    for r in rows:
        groups.setdefault(r["group"], {})[r["axis"]] = r
    table = Table(
        show_lines=True,
        expand=False,
        caption="cell: mean axis position [95% CI]; negative leans to the left pole",
    )
    table.add_column("group (n)", no_wrap=True)
    for a in axes:
        table.add_column(a)
    for group, cells in groups.items():
        n = next(iter(cells.values()))["n"]
        line = [f"{group}\n(n={n})"]
        for a in axes:
            c = cells.get(a)
            if c is None:
                line.append("")
            elif c["small_sample"]:
                line.append(f"{c['mean']:+.3f}\n(n<{min_n})")
            else:
                line.append(f"{c['mean']:+.3f}\n[{c['low']:+.3f},{c['high']:+.3f}]")
        table.add_row(*line)
    console_for(stream).print(table)


def profile(
    paths: PathsArgument,
    by: Annotated[
        str, typer.Option("--by", help="Group sentences by their voice's speaker or side.")
    ] = "speaker",
    axes: Annotated[
        bool, typer.Option("--axes", help="Profile axis positions instead of frames.")
    ] = False,
    terms: Annotated[
        bool,
        typer.Option(
            "--terms",
            help="Count which lexicon terms each actor uses instead (a quoted term counts "
            "for whoever is quoted).",
        ),
    ] = False,
    n_boot: Annotated[int, typer.Option("--boot", help="Bootstrap resamples per group.")] = 1000,
    min_n: Annotated[
        int, typer.Option("--min-n", help="Groups with fewer sentences are marked small samples.")
    ] = 5,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the bootstrap.")] = 0,
    fmt: FormatOption = None,
    output: OutputOption = None,
    lexicon: LexiconOption = None,
    actors_file: ActorsOption = None,
    model: ModelOption = None,
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
) -> None:
    """Compare actors' framing: frame scores per speaker or side, with 95% bootstrap CIs.

    An actor x frame table of the mean combined score and of the share of sentences where
    each frame is top, each with a percentile bootstrap interval over sentences.

    Sentences are scored first (as by `framing score`), then grouped by the speaker (or
    side) of their voice; author narration is its own group. Groups with fewer than
    --min-n sentences are flagged small_sample and shown without an interval.

    With --terms: which lexicon terms each speaker (or side) uses, counted where they
    occur, so a term quoted inside the author's sentence counts for the one quoted.

    Example: framing profile seeds/antalya_talks_2022-03.txt --by side -o profile.csv
    """
    with user_errors():
        from framing.errors import FramingError
        from framing.io import ReadOptions, atomic_output, write_json_atomic
        from framing.pipeline import score_documents
        from framing.profile import axis_positions, profile_records, term_usage
        from framing.provenance import provenance
        from framing.records import group_records

        out_format = resolve_format(fmt, output)
        if axes and terms:
            raise FramingError("--axes and --terms are two different profiles: choose one")
        options = ProfileOptions(by=by, axes=axes, terms=terms, boot=n_boot, min_n=min_n, seed=seed)
        scoring = ScoringOptions(
            lexicon, actors_file, model, cache_dir, no_cache, batch_size, backend, lexical_weight
        )
        refuse_output_over_inputs([output], paths, scoring, meta=meta)
        lex = scoring.load_lexicon()
        registry = scoring.load_actors()
        read = ReadOptions(
            text_field=text_field,
            id_field=id_field,
            speaker_field=speaker_field,
            encoding=encoding,
            strict=strict,
        )
        documents = read_documents(paths, read, check_script=False)
        scorer = build_scorer(scoring, lex)

        with progress_counter("scoring") as advance:
            records = list(
                score_documents(
                    documents, scorer, actors=registry, progress=advance, lang=scoring.lang
                )
            )
        if terms:
            rows = term_usage(records, by=by)
            sizes = {g: len(members) for g, members in group_records(records, by).items()}
            columns = TERM_COLUMNS

            def render(rs, st, n):
                render_terms(rs, st, n, sizes)
        elif axes:
            rows = axis_positions(
                records, by=by, axes=lex.axis_ids, n_boot=n_boot, seed=seed, min_n=min_n
            )
            columns, render = AXIS_COLUMNS, render_axes
        else:
            rows = profile_records(
                records, by=by, frames=lex.frame_ids, n_boot=n_boot, seed=seed, min_n=min_n
            )
            columns, render = FRAME_COLUMNS, render_profile
        with atomic_output(output) as stream:
            write_rows(stream, out_format, rows, columns, lambda rs, st: render(rs, st, min_n))
        if output is not None and meta:
            write_json_atomic(
                Path(f"{output}.meta.json"),
                provenance(
                    command="profile",
                    options=run_options(options, scoring, read, format=out_format),
                    embedder=scorer.embedder_,
                    lexicon=lex,
                    inputs=paths,
                ),
            )
        if output is not None:
            typer.echo(f"framing: wrote {len(rows)} profile rows to {output}", err=True)
        sys.stdout.flush()


@dataclass(frozen=True)
class ProfileOptions:
    """The profile's own options (recorded in its provenance with the scoring and read ones)."""

    by: str
    axes: bool
    terms: bool
    boot: int
    min_n: int
    seed: int

    def __post_init__(self) -> None:
        check_grouping(self.by, self.boot, self.min_n)
