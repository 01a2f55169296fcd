"""`framing trend`: frame shares and axis positions per group and period, with intervals."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from framing.cli.actors import ActorsOption
from framing.cli.common import (
    BackendOption,
    BatchSizeOption,
    CacheDirOption,
    EncodingOption,
    IdFieldOption,
    LexicalWeightOption,
    LexiconOption,
    MetaOption,
    ModelOption,
    NoCacheOption,
    PathsArgument,
    SpeakerFieldOption,
    StrictOption,
    TextFieldOption,
    note,
    refuse_output_over_inputs,
    user_errors,
    warn,
)

CSV_COLUMNS = ("group", "period", "measure", "value", "low", "high", "n", "kind", "small_sample")


def trend(
    paths: PathsArgument,
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="Folder for trend.csv, trend.png/.svg, trend.html.",
            show_default=False,
        ),
    ],
    date_field: Annotated[
        str,
        typer.Option(
            "--date-field",
            help="Date column (ISO, e.g. 2022-03-14) of .jsonl/.csv inputs. Text files take "
            "the ISO date in their name, else in their first five lines.",
        ),
    ] = "date",
    by: Annotated[str, typer.Option("--by", help="One line per speaker or per side.")] = "side",
    freq: Annotated[
        str, typer.Option("--freq", help="Period: week (from Monday), month or quarter.")
    ] = "month",
    groups: Annotated[
        str | None,
        typer.Option(
            "--groups",
            help="Comma-separated groups to draw. Default: the --max-groups largest.",
            show_default=False,
        ),
    ] = None,
    max_groups: Annotated[
        int, typer.Option("--max-groups", min=1, help="Groups drawn when --groups is not given.")
    ] = 8,
    n_boot: Annotated[
        int, typer.Option("--boot", min=1, help="Bootstrap resamples per cell.")
    ] = 1000,
    min_n: Annotated[
        int,
        typer.Option("--min-n", min=1, help="Cells with fewer sentences are marked small samples."),
    ] = 5,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the bootstrap.")] = 0,
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
    """Follow each side's (or speaker's) framing over time: frame shares and axis positions
    per week, month or quarter, with 95% bootstrap intervals.

    For each group and period: the share of its sentences whose top frame is each frame,
    and the mean position on each axis, with percentile bootstrap intervals over the
    sentences; cells with fewer than --min-n sentences are flagged small_sample.

    Dates: the --date-field column of .jsonl/.csv rows; for text files the ISO date in the
    file name (2022-03-14, or 2022-03 for the month), else the first full ISO date in the
    first five lines. Documents without a date are counted and reported, and left out.

    Writes into the -o folder: trend.csv (long: group, period, measure, value, low, high,
    n, kind, small_sample), trend.png and trend.svg (one panel per frame and axis, a line
    per group), trend.html (interactive, self-contained) and trend.meta.json.

    Example: framing trend statements.jsonl --speaker-field channel --freq month -o out/trend
    """
    with user_errors():
        import pandas as pd

        from framing.cli.discover_common import (
            CorpusOptions,
            load_scorer,
            read_paths,
            score_paths,
            write_figure,
            write_meta,
        )
        from framing.discover.dates import document_dates
        from framing.discover.figures import trend_figure
        from framing.discover.trend import check_freq, trend_table
        from framing.discover.trend_page import trend_html
        from framing.errors import FramingError
        from framing.io import atomic_output

        check_freq(freq)
        if by not in ("speaker", "side"):
            raise FramingError(f"--by must be speaker or side; got {by!r}")
        wanted = [g.strip() for g in groups.split(",") if g.strip()] if groups else None
        _check_folder(output)
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
            [output / f"trend.{ext}" for ext in ("csv", "png", "svg", "html", "meta.json")],
            paths,
            opts.scoring,
            writable=False,
        )
        lex, registry, scorer = load_scorer(opts)
        documents = list(read_paths(opts))
        dates = document_dates(documents, date_field)  # fails before the model loads
        undated_docs = [d for d, day in dates.items() if day is None]
        corpus = score_paths(opts, scorer, registry, with_segments=False, documents=documents)
        scores = corpus.scores
        scores["date"] = pd.Series([dates.get(d) for d in scores["doc"]], dtype=object)
        table = trend_table(
            scores,
            by=by,
            freq=freq,
            frames=lex.frame_ids,
            axes=lex.axis_ids,
            groups=wanted,
            max_groups=max_groups,
            n_boot=n_boot,
            seed=seed,
            min_n=min_n,
        )
        if undated_docs:
            warn(
                f"{len(undated_docs)} of {len(documents)} documents "
                f"({table.attrs['undated']} sentences) have no date and are left out of the "
                f"trend (e.g. {undated_docs[0]}); trend.meta.json lists them"
            )
        if wanted is None and table.attrs["all_groups"] > len(table.attrs["groups"]):
            note(
                f"drew the {len(table.attrs['groups'])} largest of "
                f"{table.attrs['all_groups']} groups; name others with --groups"
            )
        poles = {a.id: (a.left, a.right) for a in lex.axes}
        options = {
            **opts.provenance_options(),
            "date_field": date_field,
            "by": by,
            "freq": freq,
            "groups": wanted,
            "max_groups": max_groups,
            "boot": n_boot,
            "min_n": min_n,
            "seed": seed,
        }
        from framing.provenance import provenance

        info = provenance(
            command="trend", options=options, embedder=scorer.embedder_, lexicon=lex, inputs=paths
        )
        fig = trend_figure(table, axis_poles=poles)
        page = trend_html(
            table,
            axis_poles=poles,
            title="Framing over time",
            subtitle=f"{len(scores) - table.attrs['undated']:,} dated sentences by {freq}, "
            f"one line per {by}; {table.attrs['undated']:,} undated sentences left out",
            provenance=info,
        )
        output.mkdir(exist_ok=True)
        with atomic_output(output / "trend.csv") as stream:
            table[list(CSV_COLUMNS)].to_csv(stream, index=False, lineterminator="\n")
        write_figure(fig, output / "trend.png")
        write_figure(fig, output / "trend.svg")
        with atomic_output(output / "trend.html") as stream:
            stream.write(page)
        if meta:
            write_meta(
                output / "trend.meta.json",
                "trend",
                options,
                scorer,
                paths,
                groups_drawn=table.attrs["groups"],
                sentences=len(scores),
                documents=len(documents),
                undated_documents=len(undated_docs),
                undated_sentences=table.attrs["undated"],
                undated=undated_docs[:1000],
            )
        note(f"wrote trend.csv ({len(table)} rows), trend.png, trend.svg, trend.html to {output}")


def _check_folder(folder: Path) -> None:
    from framing.errors import FramingError

    if folder.exists() and not folder.is_dir():
        raise FramingError(f"-o {folder}: is a file; give a folder")
    parent = folder.parent if str(folder.parent) else Path(".")
    if not parent.is_dir():
        raise FramingError(f"-o {folder}: folder {parent} does not exist")
