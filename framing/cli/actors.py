"""`framing actors`: who says what -- quotations, terms and reported claims with speakers.

Also holds what the attribution commands share: the ``--actors`` option and a writer for
flat rows (actors spans, profile rows) in every output format.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Sequence
from typing import IO, Annotated

import typer

from framing.cli.common import (
    EncodingOption,
    FormatOption,
    IdFieldOption,
    OutputOption,
    PathsArgument,
    StrictOption,
    TextFieldOption,
    read_documents,
    refuse_output_over_inputs,
    resolve_format,
    user_errors,
)
from framing.table import console_for

ActorsOption = Annotated[
    str | None,
    typer.Option(
        "--actors",
        help="Actors registry TOML (canonical actors, aliases, sides); replaces the built-in one.",
        show_default=False,
    ),
]

SPAN_COLUMNS = ("doc", "start", "end", "kind", "speaker", "side", "text")


def write_rows(
    stream: IO[str],
    fmt: str,
    rows: Iterable[dict],
    columns: Sequence[str],
    render_table: Callable[[Sequence[dict], IO[str]], None],
) -> int:
    """Write flat rows as jsonl, json, csv (``columns`` in order) or a table
    (``render_table``); rows stream through except for the table. Returns the count."""
    from framing.io import spreadsheet_safe  # CSV cells never start a formula

    count = 0
    if fmt == "table":
        collected = list(rows)
        render_table(collected, stream)
        return len(collected)
    writer = None
    if fmt == "csv":
        writer = csv.DictWriter(
            stream, fieldnames=list(columns), lineterminator="\n", extrasaction="ignore"
        )
        writer.writeheader()
    for row in rows:
        if fmt == "jsonl":
            stream.write(json.dumps(row, ensure_ascii=False) + "\n")
        elif fmt == "json":
            stream.write(("[\n" if count == 0 else ",\n") + json.dumps(row, ensure_ascii=False))
        else:
            writer.writerow(
                {k: spreadsheet_safe("" if row.get(k) is None else row.get(k)) for k in columns}
            )
        count += 1
    if fmt == "json":
        stream.write("[]\n" if count == 0 else "\n]\n")
    return count


def render_spans(rows: Sequence[dict], stream: IO[str]) -> None:
    """A terminal table of attributed spans."""
    from rich.table import Table

    table = Table(show_lines=False, expand=False)
    for column in ("doc", "span", "kind", "speaker", "side", "text"):
        table.add_column(column, no_wrap=column in ("span", "kind"))
    for r in rows:
        table.add_row(
            str(r["doc"]),
            f"{r['start']}-{r['end']}",
            r["kind"],
            r["speaker"] or "-",
            r["side"] or "-",
            " ".join(r["text"].split()),
        )
    console_for(stream).print(table)


def actors(
    paths: PathsArgument,
    fmt: FormatOption = None,
    output: OutputOption = None,
    actors_file: ActorsOption = None,
    text_field: TextFieldOption = "text",
    id_field: IdFieldOption = None,
    encoding: EncodingOption = "utf-8",
    strict: StrictOption = False,
) -> None:
    """List every quotation, scare-quoted term and reported claim with its speaker and side.

    One record per span: doc, start, end (offsets into the text; quotations without their
    marks), kind (direct, term, reported), speaker (null where nobody could be found),
    side, text. No model is loaded.

    Example: framing actors seeds/antalya_talks_2022-03.txt -f jsonl
    """
    with user_errors():
        from framing.actors import load_actors
        from framing.attribution import attribute
        from framing.io import atomic_output
        from framing.text import find_quotes, segment

        out_format = resolve_format(fmt, output)
        refuse_output_over_inputs([output], paths, also=[actors_file] if actors_file else [])
        registry = load_actors(actors_file)
        from framing.io import ReadOptions

        read = ReadOptions(
            text_field=text_field, id_field=id_field, encoding=encoding, strict=strict
        )
        documents = read_documents(paths, read)

        def rows():
            for doc in documents:
                sentences = segment(doc)
                for span in attribute(
                    doc, sentences, find_quotes(doc.text, sentences), registry
                ).spans:
                    yield span.to_dict()

        with atomic_output(output) as stream:
            count = write_rows(stream, out_format, rows(), SPAN_COLUMNS, render_spans)
        if output is not None:
            typer.echo(f"framing: wrote {count} attributed spans to {output}", err=True)
