"""`framing validate frames|sides`: frame scores against a user's hand-labelled sample."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from framing.cli.common import (
    BackendOption,
    CacheDirOption,
    LexiconOption,
    ModelOption,
    NoCacheOption,
    OutputOption,
    TextFieldOption,
    refuse_output_over_inputs,
    user_errors,
)

FileArgument = Annotated[
    Path, typer.Argument(help="Labelled .csv, .tsv or .jsonl file.", show_default=False)
]
BootOption = Annotated[int, typer.Option("--boot", min=100, help="Bootstrap resamples.")]
SeedOption = Annotated[int, typer.Option("--seed", help="Seed of folds and bootstrap.")]


def _scorer(lexicon, model, cache_dir, no_cache, backend):
    from framing.embed import Embedder
    from framing.lexicon import DEFAULT_LEXICON, load_lexicons
    from framing.score import FrameScorer

    embedder = Embedder(model, cache_dir=cache_dir, use_cache=not no_cache, backend=backend)
    return FrameScorer(load_lexicons(lexicon or [DEFAULT_LEXICON]), embedder).fit()


def frames(
    file: FileArgument,
    text_field: TextFieldOption = "text",
    label_field: Annotated[
        str, typer.Option("--label-field", help="Column holding the gold frame id (or 'none').")
    ] = "frame",
    lexicon: LexiconOption = None,
    model: ModelOption = None,
    cache_dir: CacheDirOption = None,
    no_cache: NoCacheOption = False,
    backend: BackendOption = "onnx",
    boot: BootOption = 1000,
    seed: SeedOption = 0,
    output: OutputOption = None,
) -> None:
    """Per-frame precision, recall and F1 of each text's top frame against its gold frame,
    with bootstrap 95% intervals and the confusion table (Markdown)."""
    from framing.errors import FramingError
    from framing.io import atomic_output
    from framing.validate_labels import read_labelled, render_frames, validate_frames

    with user_errors():
        refuse_output_over_inputs([output], [file], also=lexicon or [])
        texts, gold = read_labelled(file, text_field, label_field)
        scorer = _scorer(lexicon, model, cache_dir, no_cache, backend)
        try:
            result = validate_frames(texts, gold, scorer, boot=boot, seed=seed)
        except FramingError as exc:
            raise FramingError(f"{file}: {exc}") from None
        with atomic_output(output) as stream:
            stream.write(render_frames(result))


def sides(
    file: FileArgument,
    text_field: TextFieldOption = "text",
    label_field: Annotated[
        str, typer.Option("--label-field", help="Column holding each document's gold group.")
    ] = "side",
    lexicon: LexiconOption = None,
    model: ModelOption = None,
    cache_dir: CacheDirOption = None,
    no_cache: NoCacheOption = False,
    backend: BackendOption = "onnx",
    folds: Annotated[int, typer.Option("--folds", min=2, help="Cross-validation folds.")] = 10,
    boot: BootOption = 1000,
    seed: SeedOption = 0,
    output: OutputOption = None,
) -> None:
    """Cross-validated accuracy (and AUC for two groups) of each document's group from its
    frame profile, beside TF-IDF words on the same folds (Markdown)."""
    from framing.errors import FramingError
    from framing.io import atomic_output
    from framing.validate_labels import read_labelled, render_sides, validate_sides

    with user_errors():
        refuse_output_over_inputs([output], [file], also=lexicon or [])
        texts, groups = read_labelled(file, text_field, label_field)
        scorer = _scorer(lexicon, model, cache_dir, no_cache, backend)
        try:
            result = validate_sides(texts, groups, scorer, folds=folds, boot=boot, seed=seed)
        except FramingError as exc:
            raise FramingError(f"{file}: {exc}") from None
        with atomic_output(output) as stream:
            stream.write(render_sides(result))
