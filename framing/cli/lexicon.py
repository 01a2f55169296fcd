"""`framing lexicon check|list`: validate lexicon files and show what they hold."""

from __future__ import annotations

from typing import Annotated

import typer

from framing.cli.common import (
    BackendOption,
    CacheDirOption,
    LexiconOption,
    ModelOption,
    NoCacheOption,
    user_errors,
)
from framing.cli.lexicon_expand import expand

app = typer.Typer(
    help="Check and list framing lexicons (TOML files of frames and axes).", no_args_is_help=True
)


@app.command("check")
def check(
    paths: Annotated[
        list[str], typer.Argument(help="Lexicon TOML files or built-in names.", show_default=False)
    ],
    quality: Annotated[
        bool,
        typer.Option(
            "--quality",
            help="Also embed the exemplars: is each exemplar nearest its own frame when left "
            "out (leave-one-out), and does each held-out axis pair fall on its own poles? "
            "Weak frames and axes are flagged.",
        ),
    ] = False,
    model: ModelOption = None,
    cache_dir: CacheDirOption = None,
    no_cache: NoCacheOption = False,
    backend: BackendOption = "onnx",
) -> None:
    """Validate lexicons; print each problem as 'file: frame / term: problem'; exit 2 if any.

    With --quality, a report per frame and axis follows (it flags, it does not fail)."""
    from framing.lexicon import LexiconError, load_lexicons

    problems: list[str] = []
    with user_errors():
        for path in paths:
            try:
                lex = load_lexicons([path])
            except LexiconError as exc:
                problems.extend(exc.problems)
                continue
            n_terms = _term_counts([t for f in lex.frames for t in f.terms])
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
    if quality:
        from framing.embed import Embedder

        with user_errors():
            embedder = Embedder(model, cache_dir=cache_dir, use_cache=not no_cache, backend=backend)
            for path in paths:
                _print_quality(path, load_lexicons([path]), embedder)


def _print_quality(path: str, lexicon, embedder) -> None:
    """One line per frame and axis, then the exemplars and pairs that left home."""
    from framing.quality import lexicon_quality

    frames, axes = lexicon_quality(lexicon, embedder)
    typer.echo(f"{path}: quality under {embedder.model_name}")
    typer.echo("frame (leave-one-out: exemplars nearest their own frame, as the scorer measures)")
    for q in frames:
        flag = "WEAK: " + "; ".join(q.problems) if q.problems else "ok"
        share = f"{q.nearest_own:>3}/{q.exemplars:<3} {q.hit_rate:>5.0%}"
        typer.echo(f"  {q.frame:<24} {share}  {flag}")
        for exemplar, went in q.strays:
            typer.echo(f"      -> {went}: {exemplar}")
    typer.echo("axis (leave-one-out: held-out pairs on their own poles; gap in half-gaps)")
    for q in axes:
        flag = "WEAK: " + "; ".join(q.problems) if q.problems else "ok"
        typer.echo(
            f"  {q.axis:<24} {q.ordered:>3}/{q.checked:<3} {q.ordered_rate:>5.0%}  "
            f"gap {q.mean_gap:+.2f}  [{q.source}]  {flag}"
        )
        for left, right in q.misordered:
            typer.echo(f"      x {left} | {right}")


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
        frames.add_row(f.id, f.label, _term_counts(f.terms), str(len(f.exemplars)), f.description)
    console.print(frames)
    axes = Table(title="Axes (negative = left pole, positive = right pole)", title_justify="left")
    for column in ("id", "left", "right"):
        width = max((len(getattr(a, column)) for a in lex.axes), default=2)
        axes.add_column(column, no_wrap=True, min_width=width)
    axes.add_column("pairs")
    axes.add_column("label")
    for a in lex.axes:
        axes.add_row(a.id, a.left, a.right, str(len(a.pairs)), a.label)
    console.print(axes)
    for src, sha in lex.sources:
        console.print(f"[dim]{src}  sha256:{sha[:12]}[/dim]")


def _term_counts(terms) -> str:
    """Terms counted per language: "18" for English only, else "en 18, ru 16, uk 13"."""
    counts: dict[str, int] = {}
    for term in terms:
        counts[term.lang] = counts.get(term.lang, 0) + 1
    if set(counts) <= {"en"}:
        return str(len(terms))
    return ", ".join(f"{lang} {n}" for lang, n in sorted(counts.items()))


app.command("expand")(expand)
