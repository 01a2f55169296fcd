"""`framing compare`: the terms and frames that set each group apart (Fightin' Words)."""

from __future__ import annotations

from collections.abc import Sequence
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
    SpeakerFieldOption,
    StrictOption,
    TextFieldOption,
    note,
    refuse_output_over_inputs,
    resolve_format,
    user_errors,
)
from framing.table import console_for

TABLE_COLUMNS = ("group", "term", "kind", "count", "rate", "z", "versus", "count_other", "q")


def render_compare(rows: Sequence[dict], stream: IO[str]) -> None:
    """One block per group: its most distinctive frames and terms, z descending."""
    from rich.table import Table

    table = Table(
        caption="z: log-odds with an informative Dirichlet prior (Monroe et al. 2008); "
        "* significant (Benjamini-Hochberg q < 0.05); rate: per 1,000 words (terms), "
        "share of sentences (frames)"
    )
    for column in ("group", "vs", "kind", "term"):
        table.add_column(column, no_wrap=column != "term")
    for column in ("count", "rate", "other", "z"):
        table.add_column(column, justify="right")
    previous = None
    for r in rows:
        first = r["group"] != previous
        previous = r["group"]
        if first and table.row_count:
            table.add_section()
        rate = f"{r['rate']:.0%}" if r["kind"] == "frame" else f"{r['rate']:.2f}"
        table.add_row(
            r["group"] if first else "",
            r["versus"] if first else "",
            r["kind"],
            r["term"],
            str(r["count"]),
            rate,
            str(r["count_other"]),
            f"{r['z']:+.2f}" + ("*" if r["significant"] else " "),
        )
    console_for(stream).print(table)


def compare(
    paths: PathsArgument,
    by: Annotated[
        str,
        typer.Option("--by", help="Group words and sentences by their voice's speaker or side."),
    ] = "speaker",
    groups: Annotated[
        str | None,
        typer.Option(
            "--groups",
            help="A,B: compare group A with group B. One group, or three or more: each "
            "against the rest of the corpus. Default: the --max-groups largest, each against "
            "the rest.",
            show_default=False,
        ),
    ] = None,
    top: Annotated[
        int,
        typer.Option("--top", min=0, help="Rows per group and kind (terms, frames); 0: all."),
    ] = 15,
    min_count: Annotated[
        int, typer.Option("--min-count", min=1, help="Leave out terms used fewer times.")
    ] = 3,
    max_groups: Annotated[
        int, typer.Option("--max-groups", min=1, help="Groups compared when --groups is not given.")
    ] = 8,
    figure: Annotated[
        Path | None,
        typer.Option(
            "--figure",
            help="Write the Fightin' Words plot here (.png; an .svg beside it). Default with "
            "-o: compare.png and compare.svg in -o's folder.",
            show_default=False,
        ),
    ] = None,
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
    """Which terms (1-3-grams) and frames set each group apart, with z-scores.

    Fightin' Words (Monroe, Colaresi & Quinn 2008): the log-odds ratio of each term between
    a group and the rest (or group A and group B), with an informative Dirichlet prior from
    the corpus, as a z-score. Words count in their speaker's own voice: a term quoted from
    Moscow inside a journalist's sentence counts for Moscow. Frames count each sentence's
    top frame for its voice.

    The table is long (group, term, kind, count, rate, z, ...), sorted by group then z, so
    a group's first rows are its signature; a term nested in a longer one used nearly as
    often gives its place to it. --top 0 writes every term.

    Example: framing compare posts.jsonl --speaker-field channel --by side
    --groups russia,ukraine -o out/compare.csv
    """
    with user_errors():
        from framing.cli.discover_common import (
            CorpusOptions,
            load_scorer,
            score_paths,
            write_figure,
            write_meta,
        )
        from framing.discover.compare import compare_groups, signature
        from framing.errors import FramingError
        from framing.io import atomic_output

        out_format = resolve_format(fmt, output)
        if by not in ("speaker", "side"):
            raise FramingError(f"--by must be speaker or side; got {by!r}")
        wanted = [g.strip() for g in groups.split(",")] if groups else None
        if wanted is not None and not any(wanted):
            raise FramingError("--groups: give group names separated by commas, e.g. A,B")
        figure_png = figure
        if figure_png is None and output is not None:
            figure_png = output.parent / "compare.png"
        if figure_png is not None and figure_png.suffix.lower() != ".png":
            raise FramingError(f"--figure must end in .png; got {figure_png}")
        opts = CorpusOptions(
            paths=list(paths),
            lexicon=lexicon,
            actors=actors_file,
            model=model,
            text_field=text_field,
            id_field=id_field,
            speaker_field=speaker_field,
            encoding=encoding,
            strict=strict,
            cache_dir=cache_dir,
            no_cache=no_cache,
            batch_size=batch_size,
            backend=backend,
            lexical_weight=lexical_weight,
        )
        refuse_output_over_inputs(
            [output, figure_png, figure_png and figure_png.with_suffix(".svg")],
            paths,
            opts.scoring,
            meta=meta,
        )
        lex, registry, scorer = load_scorer(opts)
        corpus = score_paths(opts, scorer, registry)
        table = compare_groups(
            corpus.segments,
            corpus.scores,
            by=by,
            groups=wanted,
            max_groups=max_groups,
            min_count=min_count,
            frames=lex.frame_ids,
        )
        chosen = table.attrs["groups"]
        sizes = table.attrs["sizes"]
        if wanted is None and len(sizes) > len(chosen):
            note(
                f"compared the {len(chosen)} largest of {len(sizes)} groups; "
                "name others with --groups"
            )
        shown = signature(table, top)
        rows = shown.to_dict("records")
        with atomic_output(output) as stream:
            write_rows(stream, out_format, rows, TABLE_COLUMNS + ("significant",), render_compare)
        written = [str(output)] if output is not None else []
        if figure_png is not None:
            from framing.discover.figures import compare_figure

            fig = compare_figure(table)
            write_figure(fig, figure_png)
            write_figure(fig, figure_png.with_suffix(".svg"))
            written += [str(figure_png), str(figure_png.with_suffix(".svg"))]
        if meta and written:
            target = output if output is not None else figure_png
            options = {
                **opts.provenance_options(),
                "by": by,
                "groups": wanted,
                "top": top,
                "min_count": min_count,
                "max_groups": max_groups,
                "format": out_format,
            }
            write_meta(
                Path(f"{target}.meta.json"),
                "compare",
                options,
                scorer,
                paths,
                compared=chosen,
                pairwise=table.attrs["pairwise"],
                group_sizes={g: int(sizes[g]) for g in chosen},
                sentences=len(corpus.scores),
                outputs=written,
            )
        if written:
            note(f"wrote {', '.join(written)}")
