"""``framing validate speakers``: framing's speakers against hand-coded quotations."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from framing.cli.actors import ActorsOption
from framing.cli.common import user_errors


def speakers(
    gold: Annotated[str, typer.Argument(help="Gold quotations, JSON Lines: file, quote, speaker.")],
    text_dir: Annotated[
        str | None,
        typer.Option(
            "--text-dir",
            help="Folder the gold 'file' paths are relative to (default: the gold file's).",
            show_default=False,
        ),
    ] = None,
    actors_file: ActorsOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the figures and disagreements as JSON.")
    ] = False,
    show: Annotated[
        int, typer.Option("--show", help="Disagreements to list (0: all).", min=0)
    ] = 20,
) -> None:
    """Speaker accuracy against your own hand-coded quotations, with a bootstrap 95% CI.

    Each gold quotation is matched to the shortest `framing actors` record whose text
    contains it or lies inside it; it is right when the speakers share the surname.

    Example: framing validate speakers gold.jsonl --text-dir texts/
    """
    with user_errors():
        from framing.actors import load_actors
        from framing.validate_speakers import framing_attributor, render_report, validate

        report = validate(gold, text_dir, attributor=framing_attributor(load_actors(actors_file)))
        if as_json:
            typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=1))
        else:
            typer.echo(render_report(report, show))
