"""``framing validate``: measure what framing found against a user's own hand-coded sample.

Researchers must report how well an automatic measure agrees with manual coding. Each
subcommand reads a labelled file, runs the same code the other commands run, and reports
agreement with bootstrap intervals. The subcommands live in their own modules and register
themselves on this group.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    name="validate",
    help="Measure framing's output against your own hand-coded sample "
    "(speakers, frames, sides), with bootstrap 95% intervals.",
    no_args_is_help=True,
)
# the subcommands register themselves on `app` when imported
from framing.cli import validate_labels, validate_speakers  # noqa: E402,F401
