"""Reading inputs (txt/md/jsonl/csv/stdin) and writing outputs atomically in every format.

Reading is lazy: documents are yielded one at a time. A path the user named that cannot
be read is an error; a bad file found inside a folder is skipped with a warning (an
error with ``strict``), because scraped folders always hold some junk.

Writing goes to a temporary file beside the target and is renamed over it only when
everything succeeded, so an error or Ctrl-C never leaves a half-written output.
"""

from __future__ import annotations

import codecs
import csv
import errno
import io
import json
import os
import re
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from framing.errors import FramingError, FramingWarning
from framing.records import AXIS_FIELD, CSV_FIXED_COLUMNS, FRAME_GROUPS, csv_header
from framing.text import Document, speaker_name

__all__ = [
    "iter_documents",
    "language_warning",
    "LanguageWarnings",
    "warn_on_other_languages",
    "ReadOptions",
    "check_encoding",
    "columns_problem",
    "expand_paths",
    "file_text",
    "read_file_bytes",
    "row_document",
    "spreadsheet_safe",
    "table_kind",
    "table_lines",
    "table_rows",
    "decode_bytes",
    "atomic_output",
    "check_output_path",
    "refuse_output_over_inputs",
    "remove_stale_parts",
    "deferred_interrupts",
    "write_failure",
    "framing_outputs",
    "write_json_atomic",
    "RecordWriter",
    "FORMATS",
]

TEXT_SUFFIXES = {".txt", ".md", ".text", ".markdown", ""}
TABLE_KINDS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "tsv"}
FORMATS = ("table", "json", "jsonl", "csv")
Warn = Callable[[str], None]


def _default_warn(message: str) -> None:
    warnings.warn(message, FramingWarning, stacklevel=3)


# --- reading --------------------------------------------------------------------------


def decode_bytes(raw: bytes, label: str, encoding: str = "utf-8") -> str:
    """Text of a file's bytes; BOMs (UTF-8, UTF-16) are honoured, binary is refused."""
    if raw.startswith(codecs.BOM_UTF8):
        raw, encoding = raw[len(codecs.BOM_UTF8) :], "utf-8"
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise FramingError(
                f"{label}: starts with a UTF-16 mark but is not valid UTF-16"
            ) from None
    if b"\x00" in raw[:8192] or b"\x00" in raw[-8192:]:
        raise FramingError(f"{label}: binary file (contains NUL bytes), not text")
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise FramingError(
            f"{label}: not valid {encoding} text "
            f"(byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            f"pass --encoding (e.g. latin-1) or convert the file"
        ) from None
    except LookupError:
        raise FramingError(f"--encoding: unknown encoding {encoding!r}") from None
    if "\x00" in text:
        raise FramingError(f"{label}: binary file (contains NUL bytes), not text")
    return text


def read_file_bytes(path: Path) -> bytes:
    """A file's bytes; ``FramingError`` naming it when it cannot be read."""
    try:
        return path.read_bytes()
    except PermissionError:
        raise FramingError(f"{path}: permission denied") from None
    except IsADirectoryError:
        raise FramingError(f"{path}: is a folder") from None
    except OSError as exc:
        raise FramingError(f"{path}: cannot read ({exc.strerror or exc})") from None


def expand_paths(paths: Sequence[str], warn: Warn | None = None) -> list[tuple[Path | None, bool]]:
    """(path, came_from_folder) for every input; ``None`` is stdin. Checks existence first,
    so a typo in the last argument fails before any work starts. Inside a folder, hidden
    files and the outputs of earlier framing runs (``framing_outputs``) are left out, the
    latter with a warning through ``warn``: a run must never read its own output back."""
    expanded: list[tuple[Path | None, bool]] = []
    for given in paths:
        if given == "-":
            expanded.append((None, False))
            continue
        path = Path(given)
        if path.is_dir():
            files = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            outputs = framing_outputs(files)
            if outputs:
                files = [p for p in files if p not in outputs]
                names = ", ".join(str(p) for p in sorted(outputs)[:3])
                more = f" and {len(outputs) - 3} more" if len(outputs) > 3 else ""
                (warn or _default_warn)(
                    f"{path}: left out {len(outputs)} file(s) written by framing ({names}{more})"
                )
            if not files:
                raise FramingError(f"{path}: folder has no files")
            expanded.extend((p, True) for p in files)
        elif path.exists():
            expanded.append((path, False))
        else:
            raise FramingError(f"{path}: no such file or folder")
    if not expanded:
        raise FramingError("no input given")
    return expanded


META_SUFFIX = ".meta.json"
DASK_MANIFEST = "_manifest.json"


def _framing_meta(path: Path) -> dict | None:
    """The provenance in ``path`` when framing wrote it (``"tool": "framing"``), else None."""
    try:
        if path.stat().st_size > 64 * 2**20:
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) and data.get("tool") == "framing" else None


def framing_outputs(files: Sequence[Path]) -> set[Path]:
    """The files among ``files`` (a folder's) that earlier framing runs wrote, known by the
    provenance framing writes beside them: ``X.meta.json`` and its ``X``; the files a
    folder output's ``NAME.meta.json`` lists or names ``NAME.*`` (map, trend); and every
    file under a folder holding a Dask ``_manifest.json``."""
    present = set(files)
    found: set[Path] = set()
    for meta_path in files:
        name = meta_path.name
        if not (name.endswith(META_SUFFIX) or name == DASK_MANIFEST):
            continue
        data = _framing_meta(meta_path)
        if data is None:
            continue
        folder = meta_path.parent
        found.add(meta_path)
        if name == DASK_MANIFEST:
            found.update(p for p in present if folder in p.parents)
            continue
        stem = name[: -len(META_SUFFIX)]
        listed = [stem]
        listed += [str(x) for x in data.get("outputs") or [] if isinstance(x, str)]
        section = data.get(str(data.get("command")))
        if isinstance(section, dict):
            listed += [str(x) for x in section.get("files") or [] if isinstance(x, str)]
        found.update(folder / Path(x).name for x in listed if folder / Path(x).name in present)
        if folder / stem not in present:  # a folder output's meta: map.meta.json, trend.meta.json
            found.update(p for p in present if p.parent == folder and p.name.startswith(stem + "."))
    return found


def iter_documents(
    paths: Sequence[str],
    read: ReadOptions | None = None,
    *,
    warn: Warn | None = None,
    stdin: IO[str] | None = None,
) -> Iterator[Document]:
    """Documents from files, folders and ``-`` (stdin), in the order given (folders sorted).

    .jsonl/.ndjson and .csv/.tsv give one document per row (``read.text_field``,
    ``read.id_field`` for its id, ``read.speaker_field`` for who wrote it); anything else
    is one plain-text document per file. Skipped files and rows are reported through
    ``warn`` (default: a ``FramingWarning``).
    """
    read = read or ReadOptions()
    warn = warn or _default_warn
    check_encoding(read.encoding)
    entries = expand_paths(paths, warn)
    produced = 0
    skipped: list[str] = []
    for path, in_folder in entries:
        if path is None:
            text = (stdin or sys.stdin).read()
            if not has_words(text):
                raise FramingError(
                    "<stdin>: empty input" if not text.strip() else f"<stdin>: {NO_WORDS}"
                )
            produced += 1
            yield Document(id="<stdin>", text=text, source="<stdin>")
            continue
        try:
            docs = list(_read_file(path, read, warn))
        except FramingError as exc:
            if not in_folder or read.strict:
                raise
            skipped.append(str(path))
            warn(f"skipped {exc}")
            continue
        produced += len(docs)
        yield from docs
    if produced == 0:
        where = ", ".join(paths)
        raise FramingError(f"{where}: no readable text (skipped {len(skipped)} file(s))")


def check_encoding(encoding: str) -> None:
    """Fail once, before any file is read, on an unknown ``--encoding``: inside a folder
    it would otherwise skip every file."""
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise FramingError(f"--encoding: unknown encoding {encoding!r}") from None


@dataclass(frozen=True)
class ReadOptions:
    """How inputs are read (the ``iter_documents`` options; the Dask reader takes them too):
    which columns of a table row make a document, the text encoding, and whether a bad
    file or row stops the run."""

    text_field: str = "text"
    id_field: str | None = None
    encoding: str = "utf-8"
    strict: bool = False
    speaker_field: str | None = None


def table_kind(path: Path) -> str:
    """How a file is read: "jsonl", "csv", "tsv" (one document per row) or "text"."""
    return TABLE_KINDS.get(path.suffix.lower(), "text")


def file_text(path: Path, read: ReadOptions) -> str:
    """A whole input file's text, refused (``FramingError``) when it is unreadable, binary,
    not in ``read.encoding``, empty, or without a letter or digit (only white space,
    symbols, emoji or invisible characters): such a file gives no sentence, and saying
    so beats an output with no records."""
    text = decode_bytes(read_file_bytes(path), str(path), read.encoding)
    problem = no_text_problem(text)
    if problem:
        raise FramingError(f"{path}: {problem}")
    return text


NO_WORDS = "has no letters or digits (only symbols, emoji or invisible characters)"


def no_text_problem(text: str) -> str | None:
    """Why ``text`` gives no sentences (empty, white space, no letters), or None."""
    if has_words(text):
        return None
    if not text:
        return "empty file"
    return "contains only white space" if not text.strip() else NO_WORDS


def _read_file(path: Path, read: ReadOptions, warn: Warn) -> Iterator[Document]:
    kind = table_kind(path)
    text = file_text(path, read)
    if kind == "text":
        yield Document(id=str(path), text=text, source=str(path))
        return
    good = 0
    bad: list[str] = []

    def on_bad(problem: str) -> None:
        if read.strict:
            raise FramingError(problem)
        bad.append(problem)

    for _, doc in table_rows(path, text, kind, read, on_bad=on_bad):
        good += 1
        yield doc
    _report_bad_rows(path, good, bad, read.text_field, warn)


def row_document(path: Path, line: int, row: dict, read: ReadOptions) -> Document:
    """The document of one table row (``FramingError`` naming ``path:line`` if it has none)."""
    text_field, id_field, speaker_field = read.text_field, read.id_field, read.speaker_field
    value = row.get(text_field)
    if value is None:
        raise FramingError(f"{path}:{line}: no '{text_field}' field (use --text-field)")
    if not isinstance(value, str):
        raise FramingError(f"{path}:{line}: '{text_field}' is {type(value).__name__}, not text")
    doc_id = f"{path}:{line}"
    if id_field:
        if row.get(id_field) in (None, ""):
            raise FramingError(f"{path}:{line}: no '{id_field}' field (use --id-field)")
        doc_id = str(row[id_field])
    # a row without a speaker is narration nobody is named for, not a bad row
    speaker = speaker_name(row.get(speaker_field)) if speaker_field else None
    return Document(
        id=without_surrogates(doc_id),
        text=without_surrogates(value),
        source=f"{path}:{line}",
        speaker=None if speaker is None else without_surrogates(speaker),
    )


_SURROGATE = re.compile("[\ud800-\udfff]")
_WORD = re.compile(r"[^\W_]")  # a letter or a digit, in any script


def without_surrogates(value: str) -> str:
    """``value`` with each lone surrogate (JSON's "\\ud800" without its pair, common in
    scraped data) replaced by U+FFFD: no UTF-8 output can hold one. One code point for
    one, so offsets into the text stay right."""
    return _SURROGATE.sub("\ufffd", value) if _SURROGATE.search(value) else value


def has_words(text: str) -> bool:
    """Whether ``text`` has a letter or a digit: a text of only white space, symbols,
    emoji or invisible characters gives no sentence worth scoring."""
    return _WORD.search(text) is not None


def table_lines(text: str) -> io.StringIO:
    """A table's text as lines ending at \\r, \\n or \\r\\n only (``newline=""``), never
    at U+2028 or U+0085, which JSON and CSV allow raw inside a value."""
    return io.StringIO(text, newline="")


def table_rows(
    path: Path,
    text: str,
    kind: str,
    read: ReadOptions,
    *,
    on_bad: Callable[[str], None],
    first_line: int = 1,
    header: str = "",
) -> Iterator[tuple[int, Document]]:
    """``(line, document)`` for each row of a .jsonl/.csv/.tsv text that has text.

    ``kind`` is "jsonl", "csv" or "tsv". A row that makes no document is passed to
    ``on_bad`` as one line naming ``path:line`` (``on_bad`` raises to stop the run). For a
    range of a larger file, lines are numbered from ``first_line`` and ``header`` holds the
    CSV header line(s). A CSV header without the needed columns raises ``FramingError``.
    """
    if kind == "jsonl":
        yield from _jsonl_rows(path, text, read, on_bad, first_line)
    elif kind in ("csv", "tsv"):
        yield from _csv_rows(path, text, read, on_bad, first_line, header, kind)
    else:
        raise ValueError(f"table_rows: kind must be jsonl, csv or tsv; got {kind!r}")


def _jsonl_rows(
    path: Path, text: str, read: ReadOptions, on_bad: Callable[[str], None], first_line: int
) -> Iterator[tuple[int, Document]]:
    for line_no, line in enumerate(table_lines(text), start=first_line):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            if not isinstance(row, dict):
                raise FramingError(
                    f"{path}:{line_no}: row is a JSON {type(row).__name__}, not an object"
                )
            doc = row_document(path, line_no, row, read)
        except json.JSONDecodeError as exc:
            on_bad(f"{path}:{line_no}: malformed JSON ({exc.msg})")
            continue
        except RecursionError:  # arrays or objects nested thousands deep
            on_bad(f"{path}:{line_no}: malformed JSON (nested too deeply)")
            continue
        except ValueError as exc:  # e.g. an integer longer than Python converts (4300 digits)
            reason = (str(exc).splitlines() or [type(exc).__name__])[0]
            on_bad(f"{path}:{line_no}: malformed JSON ({reason})")
            continue
        except FramingError as exc:
            on_bad(str(exc))
            continue
        if has_words(doc.text):
            yield line_no, doc


class _TrackedLines:
    """The lines a csv reader reads, counted, with those of the current record kept (to
    re-read them when a record turns out to hold an unterminated quote)."""

    def __init__(self, lines: Iterable[str]):
        self._lines = iter(lines)
        self._again: list[str] = []
        self.count = 0
        self.taken: list[str] = []

    def __iter__(self) -> _TrackedLines:
        return self

    def __next__(self) -> str:
        line = self._again.pop(0) if self._again else next(self._lines)
        self.count += 1
        self.taken.append(line)
        return line

    def take(self) -> list[str]:
        taken, self.taken = self.taken, []
        return taken

    def read_again(self, lines: list[str]) -> None:
        self._again = lines + self._again
        self.count -= len(lines)


def _unterminated(lines: list[str], delimiter: str) -> bool:
    """Whether a record's lines end inside a quoted field: the quote opened in its first
    line never closes, so the record swallowed the lines after it."""
    try:
        for _ in csv.reader(lines, delimiter=delimiter, strict=True):
            pass
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


def _csv_rows(
    path: Path,
    text: str,
    read: ReadOptions,
    on_bad: Callable[[str], None],
    first_line: int,
    header: str,
    kind: str,
) -> Iterator[tuple[int, Document]]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # scraped rows can be megabytes long
    delimiter = "\t" if kind == "tsv" else ","
    header_lines = list(table_lines(header))
    source = _TrackedLines([*header_lines, *table_lines(text)])
    reader = csv.DictReader(source, delimiter=delimiter)
    columns = reader.fieldnames or []
    problem = columns_problem(str(path), columns, read)
    if problem:
        raise FramingError(problem)
    source.take()

    def line_no() -> int:  # the record's last line, as csv's line_num counts
        return first_line - 1 + source.count - len(header_lines)

    try:
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            lines = source.take()
            if len(lines) > 1 and _unterminated(lines, delimiter):
                # Without this the quote swallows every row after it into this row's text.
                source.read_again(lines[1:])
                on_bad(
                    f"{path}:{line_no()}: unterminated quote (its field never closes); "
                    "the lines after it are read as rows of their own"
                )
                reader = csv.DictReader(source, fieldnames=columns, delimiter=delimiter)
                continue
            if None in row or any(v is None for v in row.values()):
                on_bad(f"{path}:{line_no()}: malformed row (expected {len(columns)} columns)")
                continue
            try:
                doc = row_document(path, line_no(), row, read)
            except FramingError as exc:
                on_bad(str(exc))
                continue
            if has_words(doc.text):
                yield line_no(), doc
    except csv.Error as exc:
        raise FramingError(f"{path}:{line_no()}: malformed CSV ({exc})") from None


def columns_problem(path: str, columns: Sequence[str], read: ReadOptions) -> str | None:
    """What is wrong with a table's header for these options, as one line (None: nothing)."""
    text_field, id_field, speaker_field = read.text_field, read.id_field, read.speaker_field
    if text_field not in columns:
        return (
            f"{path}: no column '{text_field}' (columns: {', '.join(columns) or 'none'}); "
            "use --text-field"
        )
    for field_name, option in ((id_field, "--id-field"), (speaker_field, "--speaker-field")):
        if field_name and field_name not in columns:
            return f"{path}: no column '{field_name}' (columns: {', '.join(columns)}); use {option}"
    return None


def _report_bad_rows(path: Path, good: int, bad: list[str], text_field: str, warn: Warn) -> None:
    if good == 0:
        reason = bad[0] if bad else f"{path}: no row has text in '{text_field}'"
        raise FramingError(
            reason if len(bad) <= 1 else f"{reason} (and {len(bad) - 1} more bad rows)"
        )
    for problem in bad[:5]:
        warn(f"skipped {problem}")
    if len(bad) > 5:
        warn(f"{path}: skipped {len(bad) - 5} more bad rows")


def language_warning(
    doc_id: str, code: str, *, model: str | None = None, embeds: bool = True
) -> tuple[str, str] | None:
    """Why a document's voices or scores mean little, as ``(kind, message)``, or None.

    ``code`` is its language (``framing.lang.detect_language``). Kind ``"model"``: a Russian
    or Ukrainian document scored (``embeds``) with a ``model`` that reads English only.
    Kind ``"language"``: a language framing does not read (no speech verbs, registry
    names or lexicon terms of it exist)."""
    from framing.lang import LANGS, LANGUAGE_NAMES
    from framing.multilingual import is_multilingual

    name = LANGUAGE_NAMES.get(code, code)
    multilingual = is_multilingual(model)
    if code in LANGS:
        if code == "en" or not embeds or multilingual:
            return None
        return "model", (
            f"{doc_id}: reads as {name}, and the model reads English only, so its semantic "
            f"scores mean little: score it with --model multilingual, which places "
            f"{name} and English in one space (further such documents are not named)"
        )
    model_note = ", and the model reads English only" if embeds and not multilingual else ""
    return "language", (
        f"{doc_id}: reads as {name}, which framing does not read: no speech verbs or "
        f"lexicon terms match it{model_note}, so its voices and scores mean little "
        "(framing reads English, Russian and Ukrainian; further such documents are not named)"
    )


class LanguageWarnings:
    """Warns (a ``FramingWarning``) once per kind of ``language_warning``: about the first
    document the model does not read, and the first in a language framing does not read."""

    def __init__(self, *, model: str | None = None, embeds: bool = True):
        self.model, self.embeds = model, embeds
        self.warned: set[str] = set()

    def check(self, doc_id: str, code: str) -> None:
        problem = language_warning(doc_id, code, model=self.model, embeds=self.embeds)
        if problem is not None and problem[0] not in self.warned:
            self.warned.add(problem[0])
            warnings.warn(problem[1], FramingWarning, stacklevel=3)


def warn_on_other_languages(
    documents: Iterable[Document],
    *,
    model: str | None = None,
    lang: str | None = None,
    embeds: bool = True,
) -> Iterator[Document]:
    """Pass documents through, warning as ``LanguageWarnings`` does; ``lang`` overrides
    detection."""
    from framing.lang import detect_language

    check = LanguageWarnings(model=model, embeds=embeds)
    for doc in documents:
        check.check(doc.id, lang or detect_language(doc.text))
        yield doc


# --- writing ---------------------------------------------------------------------------

# What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """A CSV cell a spreadsheet shows as text: a text cell that starts like a formula
    (``=``, ``+``, ``-``, ``@``, tab, carriage return) gets a leading ``'``, as OWASP
    advises, so ``=HYPERLINK(...)`` scraped from the web is never run. Numbers (a negative
    score) are left as they are."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


# --- atomic outputs ---------------------------------------------------------------------


def _check_output_folder(path: Path) -> None:
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.exists():
        raise FramingError(f"{path}: folder {parent} does not exist")
    if not parent.is_dir():
        raise FramingError(f"{path}: {parent} is not a folder")
    if path.is_dir():
        raise FramingError(f"{path}: is a folder; give a file name")


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def refuse_output_over_inputs(
    outputs: Iterable[str | Path | None],
    inputs: Iterable[str | Path | None],
    *,
    replaced_folders: Iterable[str | Path] = (),
) -> None:
    """Fail (one line, before any work) when an output would replace one of the run's
    inputs or lie inside an input folder, where the next run over that folder would read
    it back. ``outputs`` are the files the run writes (``.meta.json`` siblings too; None or
    ``-`` is stdout); ``replaced_folders``, output folders replaced whole (Dask's ``-o``),
    must not hold an input either. Inputs that do not exist (stdin, built-in lexicon
    names) cannot be harmed and are passed over."""
    given = [Path(str(p)) for p in inputs if p is not None and str(p) != "-"]
    existing = [(p, _real(p)) for p in given if p.exists()]
    for out in outputs:
        if out is None or str(out) == "-":
            continue
        out = Path(out)
        real_out = _real(out)
        for path, real_in in existing:
            if real_in == real_out or (out.exists() and os.path.samefile(out, path)):
                raise FramingError(
                    f"{out}: is also an input of this run ({path}); "
                    "write the output elsewhere (the input is left as it is)"
                )
            if real_in in real_out.parents and path.is_dir():
                raise FramingError(
                    f"{out}: lies inside the input folder {path}, where a run over the folder "
                    "would read it back; write the output elsewhere"
                )
    for folder in replaced_folders:
        real_folder = _real(Path(folder))
        for path, real_in in existing:
            if real_in == real_folder or real_folder in real_in.parents:
                raise FramingError(
                    f"{folder}: holds the input {path}, and the output replaces the folder "
                    "whole; give a new folder"
                )


def check_output_path(path: str | Path | None) -> None:
    """Fail now, before any work, if ``path`` could not be written (``None``/``-``: stdout).

    Writes and removes a probe file: permission bits say nothing for root, and read-only
    or virtual file systems (/proc) only refuse at the attempt.
    """
    if path is None or str(path) == "-":
        return
    target = Path(path)
    _check_output_folder(target)
    fd, probe = _temp_beside(target)
    os.close(fd)
    os.unlink(probe)


# What framing's own interrupted runs leave behind: atomic_output's ``.NAME.XXXXXXXX.part``
# files, the map's ``.framing-map-*.part`` staging folders, Dask's ``.NAME.RUNID.part``
# staging and ``.NAME.RUNID.old`` folders. Nothing else matches.
_STALE_PART = re.compile(r"^\.(framing-map-[\w-]+\.part|.+\.[\w-]{8,}\.(part|old))$")
STALE_AFTER_S = 24 * 3600


def remove_stale_parts(folder: str | Path, *, older_than_s: float = STALE_AFTER_S) -> list[Path]:
    """Remove what a killed framing run left in ``folder`` (temporary ``.part`` files and
    staging folders, SIGKILL gives no chance to clean) once older than a day, so that a
    run still writing beside us is never touched; returns what was removed."""
    import shutil
    import time

    folder = Path(folder) if str(folder) else Path(".")
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        if not _STALE_PART.match(entry.name):
            continue
        try:
            if now - entry.stat(follow_symlinks=False).st_mtime < older_than_s:
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
            removed.append(Path(entry.path))
        except OSError:
            continue  # not ours to fight over; the next run tries again
    return removed


@contextmanager
def deferred_interrupts() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM until the block ends (then raise ``KeyboardInterrupt``), so
    that a few renames meant as one step all happen. Python runs signal handlers in the
    main thread only, so swapping the handlers works whatever other threads do; outside
    the main thread nothing changes."""
    import signal

    caught: list[int] = []
    previous: dict[int, object] = {}
    try:
        for signum in (signal.SIGINT, signal.SIGTERM):
            previous[signum] = signal.signal(signum, lambda n, _frame: caught.append(n))
    except ValueError:  # not the main thread
        pass
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if caught:
        raise KeyboardInterrupt


def _temp_beside(target: Path) -> tuple[int, str]:
    """A new hidden ``.NAME.*.part`` file in the target's folder (same file system, so
    the final rename is atomic)."""
    folder = target.parent if str(target.parent) else Path(".")
    try:
        return tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".part")
    except OSError as exc:
        raise FramingError(f"{target}: cannot write in {folder} ({exc.strerror or exc})") from None


# errors that say the disk, not the program, is at fault: one line, never a traceback
DISK_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS}


def write_failure(exc: OSError, target: str | Path) -> FramingError:
    """The one-line error for an ``OSError`` met while writing ``target``."""
    return FramingError(
        f"{target}: cannot write ({exc.strerror or exc}); "
        "nothing was replaced (the previous content, if any, is left as it was)"
    )


def _umask_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


@contextmanager
def atomic_output(path: str | Path | None, *, binary: bool = False) -> Iterator[IO]:
    """A file handle whose content replaces ``path`` only when the block succeeds.

    ``None`` or ``-`` is stdout. On any exception (including KeyboardInterrupt) the
    temporary file is removed and the previous content of ``path`` is left untouched.
    """
    if path is None or str(path) == "-":
        yield sys.stdout.buffer if binary else sys.stdout
        return
    target = Path(path)
    _check_output_folder(target)
    remove_stale_parts(target.parent)
    fd, tmp = _temp_beside(target)
    try:
        mode = "wb" if binary else "w"
        kwargs = {} if binary else {"encoding": "utf-8", "newline": ""}
        with os.fdopen(fd, mode, **kwargs) as handle:
            # mkstemp makes the file private (0600); the output gets the mode a plain
            # open() would give it, or keeps the mode of the file it replaces.
            os.fchmod(fd, target.stat().st_mode & 0o7777 if target.exists() else _umask_mode())
            try:
                yield handle
            except OSError as exc:
                if exc.errno in DISK_ERRORS:  # a full disk while writing: one line
                    raise write_failure(exc, target) from None
                raise
            try:
                handle.flush()
                os.fsync(handle.fileno())
            except OSError as exc:
                raise write_failure(exc, target) from None
        try:
            os.replace(tmp, target)
        except OSError as exc:
            raise write_failure(exc, target) from None
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def write_json_atomic(path: str | Path, data: object) -> None:
    """Write a JSON document atomically (used for ``.meta.json`` provenance files)."""
    with atomic_output(path) as handle:
        json.dump(data, handle, indent=2, ensure_ascii=False, sort_keys=False)
        handle.write("\n")


class RecordWriter:
    """Writes sentence records in one of ``FORMATS`` to an open text stream.

    ``columns`` fixes the frame and axis order for CSV; ``table`` renders with rich,
    highlighting each record's matched terms.
    """

    def __init__(
        self, stream: IO[str], fmt: str, frame_ids: Sequence[str] = (), axis_ids: Sequence[str] = ()
    ):
        if fmt not in FORMATS:
            raise FramingError(f"--format must be one of {', '.join(FORMATS)}; got {fmt!r}")
        self.stream = stream
        self.fmt = fmt
        self.frame_ids = list(frame_ids)
        self.axis_ids = list(axis_ids)
        self.count = 0
        self._csv: csv.writer | None = None
        self._table_rows: list[dict] = []

    def write(self, record: dict) -> None:
        if self.fmt == "jsonl":
            self.stream.write(json.dumps(record, ensure_ascii=False) + "\n")
        elif self.fmt == "json":
            self.stream.write(
                ("[\n" if self.count == 0 else ",\n") + json.dumps(record, ensure_ascii=False)
            )
        elif self.fmt == "csv":
            self._write_csv(record)
        else:
            self._table_rows.append(record)
        self.count += 1

    def close(self) -> None:
        if self.fmt == "json":
            self.stream.write("[]\n" if self.count == 0 else "\n]\n")
        elif self.fmt == "table":
            from framing.table import render_records

            render_records(self._table_rows, self.stream)

    def _write_csv(self, record: dict) -> None:
        if self._csv is None:
            self._csv = csv.writer(self.stream, lineterminator="\n")
            self._csv.writerow(csv_header(self.frame_ids, self.axis_ids))
        hits = ";".join(
            f"{h['frame']}:{h['term']}@{h['start']}-{h['end']}"
            + ("[quoted]" if h.get("quoted") else "")
            + ("[negated]" if h.get("negated") else "")
            for h in record.get("hits", [])
        )
        self._csv.writerow(
            [
                spreadsheet_safe(record.get(k, "") if record.get(k) is not None else "")
                for k in CSV_FIXED_COLUMNS
            ]
            + [spreadsheet_safe(record["text"])]
            + [record[key].get(f, "") for _, key in FRAME_GROUPS for f in self.frame_ids]
            + [record[AXIS_FIELD].get(a, "") for a in self.axis_ids]
            + [spreadsheet_safe(hits)]
        )
