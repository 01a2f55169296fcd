"""`framing lexicon check|list`: validate lexicon files and show what they hold."""

from __future__ import annotations

from typing import Annotated

import typer

from framing.cli.common import LexiconOption, user_errors

app = typer.Typer(
    help="Check and list framing lexicons (TOML files of frames and axes).", no_args_is_help=True
)


@app.command("check")
def check(
    paths: Annotated[
        list[str], typer.Argument(help="Lexicon TOML files or built-in names.", show_default=False)
    ],
) -> None:
    """Validate lexicons; print each problem as 'file: frame / term: problem'; exit 2 if any."""
    from framing.lexicon import LexiconError, load_lexicons

    problems: list[str] = []
    with user_errors():
        for path in paths:
            try:
                lex = load_lexicons([path])
            except LexiconError as exc:
                problems.extend(exc.problems)
                continue
            n_terms = sum(len(f.terms) for f in lex.frames)
            typer.echo(
                f"{path}: ok ({len(lex.frames)} frames, {n_terms} terms, {len(lex.axes)} axes)"
            )
        if len(paths) > 1 and not problems:
            try:
                load_lexicons(paths)  # together: ids must not clash across files
            except LexiconError as exc:
                problems.extend(exc.problems)
    if problems:
        for line in problems:
            typer.echo(line, err=True)
        raise typer.Exit(2)


@app.command("list")
def list_frames(lexicon: LexiconOption = None) -> None:
    """Show frames (terms, exemplars, description) and axes of the lexicons."""
    from rich.console import Console
    from rich.table import Table

    from framing.lexicon import DEFAULT_LEXICON, load_lexicons

    with user_errors():
        lex = load_lexicons(lexicon or [DEFAULT_LEXICON])
    console = Console(highlight=False)
    frames = Table(title="Frames", title_justify="left")
    # ids are what users type (--axes, filters): never cut them; the prose columns wrap
    frames.add_column("id", no_wrap=True, min_width=max((len(f.id) for f in lex.frames), default=2))
    for column in ("label", "terms", "exemplars", "description"):
        frames.add_column(column)
    for f in lex.frames:
        frames.add_row(f.id, f.label, str(len(f.terms)), str(len(f.exemplars)), f.description)
    console.print(frames)
    axes = Table(title="Axes (negative = left pole, positive = right pole)", title_justify="left")
    for column in ("id", "left", "right"):
        width = max((len(getattr(a, column)) for a in lex.axes), default=2)
        axes.add_column(column, no_wrap=True, min_width=width)
    axes.add_column("label")
    for a in lex.axes:
        axes.add_row(a.id, a.left, a.right, a.label)
    console.print(axes)
    for src, sha in lex.sources:
        console.print(f"[dim]{src}  sha256:{sha[:12]}[/dim]")


from framing.cli import lexicon_expand  # noqa: E402,F401  (registers `framing lexicon expand`)
