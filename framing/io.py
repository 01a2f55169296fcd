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
import io
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from framing.errors import FramingError
from framing.text import Document, speaker_name

__all__ = [
    "iter_documents",
    "decode_bytes",
    "atomic_output",
    "check_output_path",
    "write_json_atomic",
    "RecordWriter",
    "FORMATS",
]

TEXT_SUFFIXES = {".txt", ".md", ".text", ".markdown", ""}
TABLE_SUFFIXES = {".jsonl", ".ndjson", ".csv", ".tsv"}
FORMATS = ("table", "json", "jsonl", "csv")
Warn = Callable[[str], None]


def _default_warn(message: str) -> None:
    print(f"framing: warning: {message}", file=sys.stderr)


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


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except PermissionError:
        raise FramingError(f"{path}: permission denied") from None
    except IsADirectoryError:
        raise FramingError(f"{path}: is a folder") from None
    except OSError as exc:
        raise FramingError(f"{path}: cannot read ({exc.strerror or exc})") from None


def _expand(paths: Sequence[str]) -> list[tuple[Path | None, bool]]:
    """(path, came_from_folder) for every input; ``None`` is stdin. Checks existence first,
    so a typo in the last argument fails before any work starts."""
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


def iter_documents(
    paths: Sequence[str],
    *,
    text_field: str = "text",
    id_field: str | None = None,
    encoding: str = "utf-8",
    strict: bool = False,
    warn: Warn | None = None,
    stdin: IO[str] | None = None,
    speaker_field: str | None = None,
) -> Iterator[Document]:
    """Documents from files, folders and ``-`` (stdin), in the order given (folders sorted).

    .jsonl/.ndjson and .csv/.tsv give one document per row (``text_field``, ``id_field``
    for its id, ``speaker_field`` for who wrote it); anything else is one plain-text
    document per file.
    """
    warn = warn or _default_warn
    try:
        codecs.lookup(encoding)
    except LookupError:
        # Checked once here: inside a folder it would otherwise skip every file.
        raise FramingError(f"--encoding: unknown encoding {encoding!r}") from None
    read = ReadOptions(text_field, id_field, encoding, strict, speaker_field)
    entries = _expand(paths)
    produced = 0
    skipped: list[str] = []
    for path, in_folder in entries:
        if path is None:
            text = (stdin or sys.stdin).read()
            if not text.strip():
                raise FramingError("<stdin>: empty input")
            produced += 1
            yield Document(id="<stdin>", text=text, source="<stdin>")
            continue
        try:
            docs = list(_read_file(path, read, warn))
        except FramingError as exc:
            if not in_folder or strict:
                raise
            skipped.append(str(path))
            warn(f"skipped {exc}")
            continue
        produced += len(docs)
        yield from docs
    if produced == 0:
        where = ", ".join(paths)
        raise FramingError(f"{where}: no readable text (skipped {len(skipped)} file(s))")


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


def _read_file(path: Path, read: ReadOptions, warn: Warn) -> Iterator[Document]:
    suffix = path.suffix.lower()
    text = decode_bytes(_read_bytes(path), str(path), read.encoding)
    if not text.strip():
        raise FramingError(
            f"{path}: empty file" if not text else f"{path}: contains only white space"
        )
    if suffix in (".jsonl", ".ndjson"):
        yield from _jsonl_documents(path, text, read, warn)
    elif suffix in (".csv", ".tsv"):
        yield from _csv_documents(path, text, read, warn, "\t" if suffix == ".tsv" else ",")
    else:
        yield Document(id=str(path), text=text, source=str(path))


def _row_document(path: Path, line: int, row: dict, read: ReadOptions) -> Document:
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
    return Document(id=doc_id, text=value, source=f"{path}:{line}", speaker=speaker)


def _jsonl_documents(path: Path, text: str, read: ReadOptions, warn: Warn) -> Iterator[Document]:
    strict = read.strict
    good = 0
    bad: list[str] = []
    # Rows end at \r or \n only (newline=""): str.splitlines() would also split at U+2028
    # or U+0085, which JSON allows raw inside strings.
    for line_no, line in enumerate(io.StringIO(text, newline=""), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            if not isinstance(row, dict):
                raise FramingError(
                    f"{path}:{line_no}: row is a JSON {type(row).__name__}, not an object"
                )
        except json.JSONDecodeError as exc:
            problem = f"{path}:{line_no}: malformed JSON ({exc.msg})"
            if strict:
                raise FramingError(problem) from None
            bad.append(problem)
            continue
        except FramingError as exc:
            if strict:
                raise
            bad.append(str(exc))
            continue
        try:
            doc = _row_document(path, line_no, row, read)
        except FramingError as exc:
            if strict:
                raise
            bad.append(str(exc))
            continue
        if doc.text.strip():
            good += 1
            yield doc
    _report_bad_rows(path, good, bad, read.text_field, warn)


def _csv_documents(
    path: Path,
    text: str,
    read: ReadOptions,
    warn: Warn,
    delimiter: str,
) -> Iterator[Document]:
    strict = read.strict
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # scraped rows can be megabytes long
    # newline="" as the csv module asks: rows end at \r or \n only, not at U+2028 or \x0c.
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    columns = reader.fieldnames or []
    problem = columns_problem(str(path), columns, read)
    if problem:
        raise FramingError(problem)
    good = 0
    bad: list[str] = []
    try:
        for row in reader:
            line_no = reader.line_num
            if None in row or any(v is None for v in row.values()):
                problem = f"{path}:{line_no}: malformed row (expected {len(columns)} columns)"
                if strict:
                    raise FramingError(problem)
                bad.append(problem)
                continue
            try:
                doc = _row_document(path, line_no, row, read)
            except FramingError as exc:
                if strict:
                    raise
                bad.append(str(exc))
                continue
            if doc.text.strip():
                good += 1
                yield doc
    except csv.Error as exc:
        raise FramingError(f"{path}:{reader.line_num}: malformed CSV ({exc})") from None
    _report_bad_rows(path, good, bad, read.text_field, warn)


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


# --- writing --------------------------------------------------------------------------


def _check_output_folder(path: Path) -> None:
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.exists():
        raise FramingError(f"{path}: folder {parent} does not exist")
    if not parent.is_dir():
        raise FramingError(f"{path}: {parent} is not a folder")
    if path.is_dir():
        raise FramingError(f"{path}: is a folder; give a file name")


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


def _temp_beside(target: Path) -> tuple[int, str]:
    """A new hidden ``.NAME.*.part`` file in the target's folder (same file system, so
    the final rename is atomic)."""
    folder = target.parent if str(target.parent) else Path(".")
    try:
        return tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".part")
    except OSError as exc:
        raise FramingError(f"{target}: cannot write in {folder} ({exc.strerror or exc})") from None


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
    fd, tmp = _temp_beside(target)
    try:
        mode = "wb" if binary else "w"
        kwargs = {} if binary else {"encoding": "utf-8", "newline": ""}
        with os.fdopen(fd, mode, **kwargs) as handle:
            # mkstemp makes the file private (0600); the output gets the mode a plain
            # open() would give it, or keeps the mode of the file it replaces.
            os.fchmod(fd, target.stat().st_mode & 0o7777 if target.exists() else _umask_mode())
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
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

    _CSV_FIXED = (
        "doc",
        "sentence_id",
        "start",
        "end",
        "speaker",
        "side",
        "voice_kind",
        "lang",
        "top_frame",
        "top_score",
    )

    def _write_csv(self, record: dict) -> None:
        if self._csv is None:
            self._csv = csv.writer(self.stream, lineterminator="\n")
            self._csv.writerow(
                [*self._CSV_FIXED, "text"]
                + [f"frame:{f}" for f in self.frame_ids]
                + [f"lexical:{f}" for f in self.frame_ids]
                + [f"semantic:{f}" for f in self.frame_ids]
                + [f"axis:{a}" for a in self.axis_ids]
                + ["hits"]
            )
        hits = ";".join(
            f"{h['frame']}:{h['term']}@{h['start']}-{h['end']}"
            + ("[quoted]" if h.get("quoted") else "")
            + ("[negated]" if h.get("negated") else "")
            for h in record.get("hits", [])
        )
        self._csv.writerow(
            [record.get(k, "") if record.get(k) is not None else "" for k in self._CSV_FIXED]
            + [record["text"]]
            + [record["frames"].get(f, "") for f in self.frame_ids]
            + [record["lexical"].get(f, "") for f in self.frame_ids]
            + [record["semantic"].get(f, "") for f in self.frame_ids]
            + [record["axes"].get(a, "") for a in self.axis_ids]
            + [hits]
        )
