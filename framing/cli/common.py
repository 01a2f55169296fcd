"""What every command shares: option types, the user-error boundary, progress on stderr."""

from __future__ import annotations

import logging
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import typer

from framing.errors import FramingError, ParameterError

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
    int,
    typer.Option(
        "--batch-size",
        min=1,
        help="Sentences per model batch (torch backends; onnx and openvino use fixed batches).",
    ),
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
        help="Encoding backend: onnx (default: float32 on onnxruntime, exported from torch "
        "once; the same vectors whatever the batch size or cache held), torch (the "
        "sentence-transformers reference), torch-bf16 (bfloat16, fast on CPUs with "
        "AVX512-BF16/AMX), openvino / openvino-bf16 (pip install 'framing\\[openvino]'), "
        "onnx-int8 (pip install 'framing\\[onnx]'; the least exact). "
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


# library parameters whose option is not "--" plus the name with dashes
FLAGS = {
    "n_neighbors": "--neighbors",
    "random_state": "--seed",
    "n_clusters": "--clusters",
    "n_boot": "--boot",
}


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
        with library_messages():
            yield
    except FramingError as exc:
        # a library parameter error names the parameter; here it is the user's flag
        message = exc.as_flag(FLAGS) if isinstance(exc, ParameterError) else str(exc)
        for line in message.splitlines() or [type(exc).__name__]:
            typer.echo(f"framing: error: {line}", err=True)
        raise typer.Exit(2) from None
    except OSError as exc:
        from framing.io import DISK_ERRORS

        if exc.errno not in DISK_ERRORS:
            raise
        # a full disk met by a writer that does not name its file (a figure, a Dask part):
        # every writer cleans up after itself, so one line is all there is to say
        where = f"{exc.filename}: " if exc.filename else ""
        typer.echo(
            f"framing: error: {where}cannot write ({exc.strerror or exc}); "
            "no partial output was kept",
            err=True,
        )
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


def read_documents(paths, read, on_skip=None, check_script: bool = True):
    """The documents of ``paths`` read with ``read`` (a ``framing.io.ReadOptions``), the
    first one already read: a bad first input fails here, before a model loads or any
    output exists. Skipped files and rows are reported through ``on_skip`` (default: a
    warning on stderr). ``check_script``: warn (once) about a document in a language
    attribution does not read; False where ``score_documents`` warns, knowing the model."""
    import itertools

    from framing.io import iter_documents, warn_on_other_languages

    documents = iter_documents(paths, read, warn=on_skip or warn)
    first = next(documents)
    documents = itertools.chain([first], documents)
    return warn_on_other_languages(documents, embeds=False) if check_script else documents


def refuse_output_over_inputs(
    outputs,
    paths,
    scoring: ScoringOptions | None = None,
    *,
    meta: bool = False,
    also=(),
    writable: bool = True,
) -> None:
    """Fail before any work when an output (with its ``.meta.json`` when ``meta``) is one of
    the run's inputs (``paths``, the lexicons and actors of ``scoring``, ``also``) or lies
    inside an input folder, or (``writable``) could not be written, as when
    ``OUT.meta.json`` is a folder: nothing is replaced before that is known. Every command
    calls this with its own outputs."""
    from framing.io import check_output_path
    from framing.io import refuse_output_over_inputs as refuse

    outputs = [o for o in outputs if o is not None and str(o) != "-"]
    if meta:
        outputs += [Path(f"{o}.meta.json") for o in outputs]
    inputs = [*paths, *also]
    if scoring is not None:
        inputs += [*scoring.lexicons, *([scoring.actors] if scoring.actors else [])]
    refuse(outputs, inputs)
    if writable:
        for output in outputs:
            check_output_path(output)


# --- checks of option values at the edge: one line naming the flag ------------------------


def check_choice(flag: str, value: str, allowed) -> None:
    """``value`` must be one of ``allowed``."""
    if value not in allowed:
        raise FramingError(f"{flag} must be one of {', '.join(allowed)}; got {value!r}")


def check_minimum(flag: str, value: int, least: int) -> None:
    """``value`` must be an integer ``>= least``."""
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise FramingError(f"{flag} must be an integer >= {least}; got {value!r}")


def check_grouping(by: str, boot: int, min_n: int) -> None:
    """The options of a per-group aggregate (profile, map): ``--by``, ``--boot``, ``--min-n``."""
    from framing.records import BY

    check_choice("--by", by, BY)
    check_minimum("--boot", boot, 1)
    check_minimum("--min-n", min_n, 1)


# --- options objects: one per concern, each recorded in the provenance as it is ------------


@dataclass(frozen=True)
class ScoringOptions:
    """How sentences are scored: the lexicons, the actors registry, the model, its cache
    and backend, and the weight of the lexical score. Every command that scores takes
    these, builds its scorer with ``build_scorer`` and records them with ``run_options``."""

    lexicons: tuple[str, ...] = ()
    actors: str | None = None
    model: str | None = None
    # where vectors are cached changes no output (the README promises it), so two runs that
    # differ only here have the same provenance
    cache_dir: Path | None = field(default=None, metadata={"provenance": False})
    no_cache: bool = field(default=False, metadata={"provenance": False})
    batch_size: int = 32
    backend: str = "onnx"
    lexical_weight: float = 0.5
    # every document's language (en, ru, uk); None: detected per document
    lang: str | None = None

    def __post_init__(self) -> None:
        from framing.lang import check_lang
        from framing.lexicon import DEFAULT_LEXICON

        object.__setattr__(self, "lexicons", tuple(self.lexicons or (DEFAULT_LEXICON,)))
        object.__setattr__(self, "lang", check_lang(self.lang))

    def load_lexicon(self):
        from framing.lexicon import load_lexicons

        return load_lexicons(list(self.lexicons))

    def load_actors(self):
        from framing.actors import load_actors

        return load_actors(self.actors)

    def embedder(self):
        """The embedder these options describe; its model loads on first use."""
        from framing.embed import Embedder

        return Embedder(
            self.model,
            cache_dir=self.cache_dir,
            use_cache=not self.no_cache,
            batch_size=self.batch_size,
            backend=self.backend,
        )


def build_scorer(scoring: ScoringOptions, lexicon=None):
    """The fitted ``FrameScorer`` of ``scoring`` (this loads the model); ``lexicon``: one
    already loaded from ``scoring.lexicons``."""
    from framing.score import FrameScorer

    lexicon = lexicon if lexicon is not None else scoring.load_lexicon()
    return FrameScorer(lexicon, scoring.embedder(), lexical_weight=scoring.lexical_weight).fit()


def run_options(*parts, **extra) -> dict:
    """A run's options for its provenance: every field of each options object (dataclass)
    in ``parts`` (but those marked ``provenance: False``, which change no output), then
    ``extra``; paths as text, tuples as lists (JSON)."""
    from dataclasses import fields

    options: dict = {}
    for part in parts:
        for f in fields(part):
            if f.metadata.get("provenance", True):
                options[f.name] = getattr(part, f.name)
    options.update(extra)
    return {k: _plain(v) for k, v in options.items()}


def _plain(value):
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    return value


# --- what the library reports, shown on stderr ---------------------------------------------


class _StderrLines(logging.Handler):
    """The ``framing`` logger's records as ``framing: ...`` lines (warnings marked)."""

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.levelno >= logging.WARNING:
            warn(message)
        else:
            note(message)


@contextmanager
def library_messages() -> Iterator[None]:
    """Show what the library reports while a command runs, each once, as the CLI's own
    lines: ``FramingWarning``s as ``framing: warning: ...``, INFO records of the
    ``framing`` logger as ``framing: ...``."""
    import warnings

    from framing.errors import FramingWarning

    logger = logging.getLogger("framing")
    handler = _StderrLines(logging.INFO)
    previous_level, previous_propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    original_show = warnings.showwarning

    def show(message, category, filename, lineno, file=None, line=None):
        if issubclass(category, FramingWarning):
            warn(str(message))
        else:
            original_show(message, category, filename, lineno, file, line)

    with warnings.catch_warnings():
        warnings.simplefilter("always", FramingWarning)
        warnings.showwarning = show
        try:
            yield
        finally:
            warnings.showwarning = original_show
            logger.removeHandler(handler)
            logger.setLevel(previous_level)
            logger.propagate = previous_propagate
