"""``framing validate``: measure what framing found against a user's own hand-coded sample.

Researchers must report how well an automatic measure agrees with manual coding. Each
subcommand reads a labelled file, runs the same code the other commands run, and reports
agreement with bootstrap intervals. The subcommands live in their own modules and are registered
here (the group imports them, never the reverse).
"""

from __future__ import annotations

import typer

from framing.cli.validate_labels import frames, sides
from framing.cli.validate_speakers import speakers

app = typer.Typer(
    name="validate",
    help="Measure framing's output against your own hand-coded sample "
    "(speakers, frames, sides), with bootstrap 95% intervals.",
    no_args_is_help=True,
)
app.command("speakers")(speakers)
app.command("frames")(frames)
app.command("sides")(sides)
