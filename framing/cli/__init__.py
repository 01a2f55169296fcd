"""The typer CLI: parses options and calls the library; no computing here.

Heavy libraries (torch, sentence-transformers, umap) are imported inside commands, so
``framing --help`` starts instantly.
"""

from __future__ import annotations

import typer

from framing.cli import lexicon as lexicon_cli
from framing.cli import validate as validate_cli
from framing.cli.actors import actors
from framing.cli.common import reflow_command_help
from framing.cli.compare import compare
from framing.cli.map import map_command
from framing.cli.profile import profile
from framing.cli.score import score
from framing.cli.trend import trend

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
app.command("map")(map_command)
app.command("compare")(compare)
app.command("trend")(trend)
app.add_typer(lexicon_cli.app, name="lexicon")
app.add_typer(validate_cli.app, name="validate")
reflow_command_help(app)
reflow_command_help(lexicon_cli.app)
reflow_command_help(validate_cli.app)


def main() -> None:
    """Console-script entry point: usage mistakes become one stderr line and exit code 2."""
    import sys

    try:  # typer >= 0.20 carries its own copy of click
        from typer._click import exceptions as click_exceptions
    except ImportError:  # pragma: no cover - older typer on plain click
        from click import exceptions as click_exceptions

    try:
        code = app(prog_name="framing", standalone_mode=False)
    except click_exceptions.NoArgsIsHelpError as exc:
        exc.show()  # a bare `framing` or `framing lexicon`: the help is the answer
        sys.exit(exc.exit_code)
    except click_exceptions.UsageError as exc:
        # click's own report is a usage block and a boxed message; a user who mistyped an
        # option needs one line that names it and where to look.
        command = exc.ctx.command_path if exc.ctx else "framing"
        typer.echo(f"framing: error: {exc.format_message()} (see '{command} --help')", err=True)
        sys.exit(exc.exit_code)
    except click_exceptions.ClickException as exc:
        typer.echo(f"framing: error: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except typer.Abort:
        typer.echo("framing: interrupted", err=True)
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)
