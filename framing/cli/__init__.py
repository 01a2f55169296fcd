"""The typer CLI: parses options and calls the library; no computing here.

Heavy libraries (torch, sentence-transformers, umap) are imported inside commands, so
``framing --help`` starts instantly.
"""

from __future__ import annotations

import typer

from framing.cli import lexicon as lexicon_cli
from framing.cli.actors import actors
from framing.cli.profile import profile
from framing.cli.score import score

app = typer.Typer(
    name="framing",
    help="Narrative and framing analysis: score texts against framing lexicons, "
    "attribute who speaks, and map how each actor's rhetoric clusters.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.command("score")(score)
app.command("actors")(actors)
app.command("profile")(profile)
app.add_typer(lexicon_cli.app, name="lexicon")


def main() -> None:
    """Console-script entry point."""
    app(prog_name="framing")
