"""What every command shares: option types, the user-error boundary, progress on stderr."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from framing.errors import FramingError

# --- command help ------------------------------------------------------------------------


def reflow_command_help(app: typer.Typer) -> None:
    """Give each command of ``app`` its docstring as help with every paragraph on one line.

    typer keeps a docstring's single line breaks, so a terminal narrower than the source
    wrapped each source line on its own and the help came out ragged. List items ("- ...")
    and indented lines keep their own lines."""
    import inspect

    for info in app.registered_commands:
        doc = info.help or (inspect.getdoc(info.callback) if info.callback else None)
        if doc:
            info.help = "\n\n".join(_join_lines(p) for p in doc.split("\n\n"))


def _join_lines(paragraph: str) -> str:
    paragraph = paragraph.strip("\n")
    if paragraph.startswith("\b"):  # click's mark for a paragraph to print as written
        return paragraph
    lines = paragraph.split("\n")
    return lines[0] + "".join(
        ("\n" if line.startswith(("- ", "* ", " ")) else " ") + line for line in lines[1:]
    )


# --- shared option types (sqlite-utils' output_options, the typer way) -----------------

FormatOption = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        help="table, json, jsonl or csv. Default: from the -o suffix, else table.",
        show_default=False,
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", help="Write here (atomically) instead of stdout.", show_default=False
    ),
]
LexiconOption = Annotated[
    list[str] | None,
    typer.Option(
        "--lexicon",
        "-l",
        help="Lexicon TOML file or built-in name; repeat to combine. Default: war_ukraine.",
        show_default=False,
    ),
]
ModelOption = Annotated[
    str | None,
    typer.Option(
        "--model",
        "-m",
        envvar="FRAMING_MODEL",
        help="sentence-transformers model name or folder, or 'multilingual' (bundled, reads "
        "English, Russian and Ukrainian in one space). Default: bundled all-MiniLM-L6-v2.",
        show_default=False,
    ),
]
LangOption = Annotated[
    str,
    typer.Option(
        "--lang",
        help="Language of every input: en, ru or uk (default auto: detected per document).",
    ),
]
CacheDirOption = Annotated[
    Path | None,
    typer.Option(
        "--cache-dir",
        envvar="FRAMING_CACHE_DIR",
        help="Embedding cache folder. Default: the user cache dir.",
        show_default=False,
    ),
]
NoCacheOption = Annotated[
    bool, typer.Option("--no-cache", help="Do not read or write the embedding cache.")
]
TextFieldOption = Annotated[
    str, typer.Option("--text-field", help="Text column of .jsonl/.csv inputs.")
]
IdFieldOption = Annotated[
    str | None,
    typer.Option(
        "--id-field",
        help="Id column of .jsonl/.csv inputs (default: file:line).",
        show_default=False,
    ),
]
SpeakerFieldOption = Annotated[
    str | None,
    typer.Option(
        "--speaker-field",
        help="Column of .jsonl/.csv inputs naming who wrote each row (a channel, an account, "
        "an office): the voice of its narration, placed on a side by the actors registry.",
        show_default=False,
    ),
]
EncodingOption = Annotated[
    str, typer.Option("--encoding", help="Encoding of text inputs without a BOM.")
]
StrictOption = Annotated[
    bool,
    typer.Option(
        "--strict", help="Stop on a bad file in a folder or a bad row, instead of skipping it."
    ),
]
BatchSizeOption = Annotated[
    int, typer.Option("--batch-size", min=1, help="Sentences per model batch.")
]
LexicalWeightOption = Annotated[
    float,
    typer.Option(
        "--lexical-weight",
        min=0.0,
        max=1.0,
        help="Weight of the lexical score in the combined score.",
    ),
]
MetaOption = Annotated[
    bool, typer.Option("--meta/--no-meta", help="Write OUTPUT.meta.json (provenance) beside -o.")
]


def _check_backend(value: str) -> str:
    """Fail before any work, in one line, on an unknown backend or a missing extra."""
    from framing.backends import check_backend

    try:
        check_backend(value)
    except FramingError as exc:
        typer.echo(f"framing: error: {exc}", err=True)
        raise typer.Exit(2) from None
    return value


BackendOption = Annotated[
    str,
    typer.Option(
        "--backend",
        callback=_check_backend,
        help="Encoding backend: torch (float32, exact; default), "
        "torch-bf16 (bfloat16, ~1.8x on CPUs "
        "with AVX512-BF16/AMX), openvino / openvino-bf16 (pip install 'framing\\[openvino]'), "
        "onnx / onnx-int8 (pip install 'framing\\[onnx]'; int8 is the least exact). "
        "See benchmarks/RESULTS.md.",
    ),
]
PathsArgument = Annotated[
    list[str],
    typer.Argument(
        help="Text files (.txt/.md), .jsonl/.csv tables, folders, or - for stdin.",
        show_default=False,
    ),
]


def resolve_format(fmt: str | None, output: Path | None, default: str = "table") -> str:
    """The output format: as given, else from the output file's suffix, else ``default``."""
    from framing.io import FORMATS

    if fmt is None and output is not None:
        fmt = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv"}.get(
            output.suffix.lower(), default
        )
    fmt = fmt or default
    if fmt not in FORMATS:
        raise FramingError(f"--format must be one of {', '.join(FORMATS)}; got {fmt!r}")
    return fmt


def _raise_interrupt(signum, frame):  # noqa: ARG001 - signal handler signature
    raise KeyboardInterrupt


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn user mistakes into one stderr line and exit code 2; SIGTERM acts like Ctrl-C,
    so atomic writers remove their temporary files either way."""
    previous = None
    try:
        previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    except ValueError:  # not the main thread (e.g. inside a test runner thread)
        pass
    try:
        yield
    except FramingError as exc:
        for line in str(exc).splitlines() or [type(exc).__name__]:
            typer.echo(f"framing: error: {line}", err=True)
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        typer.echo("framing: interrupted; no partial output was kept", err=True)
        raise typer.Exit(130) from None
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def warn(message: str) -> None:
    typer.echo(f"framing: warning: {message}", err=True)


def note(message: str) -> None:
    typer.echo(f"framing: {message}", err=True)


@contextmanager
def progress_counter(label: str, enabled: bool | None = None) -> Iterator:
    """A live 'label: N sentences (rate/s)' line on stderr; silent when stderr is not a
    terminal (set FRAMING_PROGRESS=1 to force it)."""
    if enabled is None:
        enabled = sys.stderr.isatty() or os.environ.get("FRAMING_PROGRESS") == "1"
    if not enabled:
        yield lambda n: None
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        TextColumn("{task.completed:,} sentences"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=False,
    ) as bar:
        task = bar.add_task(label, total=None)
        yield lambda n: bar.advance(task, n)


def read_documents(paths, read, on_skip=None, *, embeds=False, model=None, lang=None):
    """The documents of ``paths`` read with ``read`` (a ``framing.io.ReadOptions``), the
    first one already read: a bad first input fails here, before a model loads or any
    output exists. Skipped files and rows are reported through ``on_skip`` (default: a
    warning on stderr). A command that ``embeds`` with ``model`` is warned about documents
    in a language that model or the lexicons do not read (``lang`` overrides detection)."""
    import itertools
    from dataclasses import asdict

    from framing.io import iter_documents

    documents = iter_documents(paths, **asdict(read), warn=on_skip or warn)
    first = next(documents)
    if embeds:
        return _warn_on_other_languages(itertools.chain([first], documents), model, lang)
    return _warn_on_other_scripts(itertools.chain([first], documents))


def _warn_on_other_languages(documents, model, lang):
    """Pass documents through; warn once about the first Russian or Ukrainian document when
    the model reads English only, and once about the first in a language framing does not
    read (German, say): no lexicon term of its language exists, so its scores mean little."""
    from framing.lang import LANGS, LANGUAGE_NAMES, detect_language
    from framing.multilingual import is_multilingual

    multilingual = is_multilingual(model)
    warned: set[str] = set()
    for doc in documents:
        code = lang or detect_language(doc.text)
        name = LANGUAGE_NAMES.get(code, code)
        if code in LANGS and code != "en" and not multilingual and "model" not in warned:
            warned.add("model")
            warn(
                f"{doc.id}: reads as {name}, and the model reads English only, so its semantic "
                f"scores mean little: score it with --model multilingual, which places "
                f"{name} and English in one space (further such documents are not named)"
            )
        elif code not in LANGS and "language" not in warned:
            warned.add("language")
            model_note = "" if multilingual else ", and the model reads English only"
            warn(
                f"{doc.id}: reads as {name}, which framing does not read: no lexicon terms "
                f"match it{model_note}, so its scores mean little (framing reads English, "
                "Russian and Ukrainian; further such documents are not named)"
            )
        yield doc


def _warn_on_other_scripts(documents):
    """Pass documents through; warn (once) about the first one not written in Latin script:
    speech verbs, the actors registry, the built-in lexicon and the default model are
    English, so its voices and scores mean little."""
    from framing.text import main_script

    warned = False
    for doc in documents:
        if not warned:
            script, share = main_script(doc.text)
            if script != "LATIN":
                warned = True
                warn(
                    f"{doc.id}: {share:.0%} of its letters are {script.title()}; attribution "
                    "reads English only, as do the built-in lexicon and the default model, so "
                    "its voices and scores mean little (further such documents are not named)"
                )
        yield doc
