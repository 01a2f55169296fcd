"""The Dask engine: score a corpus on a dask.distributed cluster, one output file per partition.

``score_files`` (``framing score --engine dask``) works in two passes over the inputs:

1. *Count.* The client cuts the inputs into pieces without parsing them: a text file is
   one piece, a .jsonl/.csv/.tsv table is cut into line ranges of about ``partition_rows``
   lines (a CSV only outside quoted fields). Tasks read the pieces, check files and rows as
   ``framing.io.iter_documents`` does, and return each document's line and sentence count.
2. *Score.* The client lays the local engine's embedding batches over those counts (a
   batch closes after the document that brings it to 512 sentences) and cuts partitions of
   about ``partition_rows`` documents at batch boundaries. Each partition is one task
   (``retries=2``) that reads only its own byte ranges, scores them with
   ``score_documents`` and writes ``part-00000.jsonl`` (or ``.parquet``) atomically.

Because every partition starts where a local batch starts, its sentences are embedded in
the same batches as with ``--engine local``, and the records are the same to the last bit;
the parts concatenated in order hold them in the local engine's order. (One case stays
open: a sentence that occurs in two batches is encoded once and then read from the
embedding cache, so which batch encodes it, and how the other misses are grouped, depends
on which runs first; that can move a score by 1e-4, as it can between two local runs
whose caches differ.)

A worker process builds its model and scorer once (``cached_scorer``) and keeps them for
every later task. Parts are written into a hidden staging folder beside the target;
``_manifest.json`` is written last, and the finished folder then replaces the target in one
rename, so a failed or interrupted run leaves no output behind.
"""

from __future__ import annotations

import codecs
import csv
import json
import os
import shutil
import sys
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from framing.errors import FramingError
from framing.io import (
    ReadOptions,
    RecordWriter,
    _default_warn,
    atomic_output,
    check_encoding,
    columns_problem,
    expand_paths,
    file_text,
    has_words,
    language_warning,
    refuse_output_over_inputs,
    remove_stale_parts,
    table_kind,
    table_lines,
    table_rows,
    write_json_atomic,
)
from framing.scorers import ScorerSpec, cached_scorer, cached_scorer_info, using_scorer
from framing.text import Document

__all__ = [
    "PARTITION_ROWS",
    "OUTPUT_FORMATS",
    "Piece",
    "Partition",
    "ReadOptions",
    "Slice",
    "ScorerSpec",
    "cached_scorer",
    "cached_scorer_info",
    "using_scorer",
    "count_documents",
    "cut_partitions",
    "plan_pieces",
    "plan_partitions",
    "read_partition",
    "settle_files",
    "score_files",
]

PARTITION_ROWS = 1000
OUTPUT_FORMATS = ("jsonl", "parquet")
# the leading underscore makes pyarrow, pandas and Dask skip it, so read_parquet(folder) works
MANIFEST = "_manifest.json"
INSTALL_HINT = "pip install 'framing[dask]'"
_BLOCK = 1 << 24  # bytes read at a time while planning
Warn = Callable[[str], None]


# --- pieces: the inputs cut without parsing them ----------------------------------------------


@dataclass(frozen=True)
class Piece:
    """A whole file, or a range of lines of a .jsonl/.csv/.tsv file, for one task to read.

    A range is ``[start, stop)`` in bytes (``stop=-1``: to the end); ``stop=None`` is the
    whole file, read exactly as ``iter_documents`` reads it. ``first_line`` numbers lines
    as ``iter_documents`` does (at \\n, \\r\\n or \\r), so row ids (``file:line``) come out
    the same. ``header`` holds a CSV's header line(s) for ranges after the first.
    """

    path: str
    kind: str  # "text", "jsonl", "csv" or "tsv"
    in_folder: bool = False
    start: int = 0
    stop: int | None = None
    first_line: int = 1
    lines: int = 1
    header: str = ""


def _is_utf8(encoding: str) -> bool:
    return codecs.lookup(encoding).name == "utf-8"


def plan_pieces(
    paths: Sequence[str],
    *,
    partition_rows: int = PARTITION_ROWS,
    read: ReadOptions = ReadOptions(),  # noqa: B008 - frozen, never mutated
    warn: Warn | None = None,
) -> list[Piece]:
    """The inputs as pieces, in the order ``iter_documents`` reads them.

    Problems found here (a missing path, a binary table, a CSV without the text column)
    raise ``FramingError`` for a named file and skip a file found in a folder.
    """
    if partition_rows < 1:
        raise FramingError(f"--partition-rows must be an integer ≥ 1; got {partition_rows}")
    check_encoding(read.encoding)
    warn = warn or _default_warn
    pieces: list[Piece] = []
    for path, in_folder in expand_paths(paths, warn):
        if path is None:
            raise FramingError("-: --engine dask reads files and folders, not stdin")
        kind = table_kind(path)
        if kind == "text":
            pieces.append(Piece(str(path), "text", in_folder))
            continue
        try:
            pieces.extend(_table_pieces(path, kind, in_folder, partition_rows, read))
        except FramingError as exc:
            if not in_folder or read.strict:
                raise
            warn(f"skipped {exc}")
    return pieces


def _group(pieces: Sequence[Piece], rows: int) -> list[tuple[Piece, ...]]:
    """Consecutive pieces in groups of about ``rows`` lines (many small files in one task)."""
    groups: list[tuple[Piece, ...]] = []
    group: list[Piece] = []
    for piece in pieces:
        if group and sum(p.lines for p in group) + piece.lines > rows:
            groups.append(tuple(group))
            group = []
        group.append(piece)
    if group:
        groups.append(tuple(group))
    return groups


def _table_pieces(
    path: Path, kind: str, in_folder: bool, partition_rows: int, read: ReadOptions
) -> list[Piece]:
    """One piece for a small table; line ranges, cut only between rows, for a large one."""
    try:
        size = path.stat().st_size
        handle = open(path, "rb")  # noqa: SIM115 - closed below
    except PermissionError:
        raise FramingError(f"{path}: permission denied") from None
    except OSError as exc:
        raise FramingError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if size == 0:
        handle.close()
        raise FramingError(f"{path}: empty file")
    with handle:
        head = handle.read(4)
        bom = len(codecs.BOM_UTF8) if head.startswith(codecs.BOM_UTF8) else 0
        splittable = _is_utf8(read.encoding) and not head.startswith(
            (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
        )
        if not splittable:  # other encodings: one piece, read exactly as iter_documents does
            handle.seek(0)
            lines = sum(block.count(b"\n") for block in iter(lambda: handle.read(_BLOCK), b""))
            return [Piece(str(path), kind, in_folder, lines=lines + 1)]
        handle.seek(bom)
        cuts, total = _find_cuts(
            handle, bom, partition_rows, quoted=kind != "jsonl", label=str(path)
        )
    if not cuts:
        return [Piece(str(path), kind, in_folder, lines=total)]
    header = _csv_header(path, kind, cuts[0][0], bom, read) if kind != "jsonl" else ""
    bounds = [(bom, 0), *cuts, (-1, total)]  # -1: to the end of the file
    ranges = zip(bounds, bounds[1:], strict=False)
    return [
        Piece(
            str(path), kind, in_folder, start, stop, before + 1, after - before, header if i else ""
        )
        for i, ((start, before), (stop, after)) in enumerate(ranges)
    ]


def _find_cuts(handle, offset: int, every: int, *, quoted: bool, label: str):
    """Byte offsets after a newline, about every ``every`` lines, where a range may start.

    Returns ``([(offset, lines before it), ...], total lines)``. Lines end at \\n, \\r\\n
    or \\r, as ``iter_documents`` counts them; a CSV is cut only where the number of
    quote characters before the newline is even (outside a quoted field).
    """
    import numpy as np

    cuts: list[tuple[int, int]] = []
    lines_done = 0
    quotes_odd = 0
    target = every
    carry = b""
    while True:
        data = handle.read(_BLOCK)
        block = carry + data
        if not block:
            break
        if data:
            end = block.rfind(b"\n") + 1
            if end == 0:  # one line longer than a block: keep reading
                carry = block
                continue
            block, carry = block[:end], block[end:]
        else:
            carry = b""
        arr = np.frombuffer(block, dtype=np.uint8)
        if b"\x00" in block:
            raise FramingError(f"{label}: binary file (contains NUL bytes), not text")
        newlines = np.flatnonzero(arr == 10)
        extra = _lone_returns(block, arr)
        after = lines_done + np.arange(1, len(newlines) + 1) + np.searchsorted(extra, newlines)
        allowed = np.ones(len(newlines), dtype=bool)
        if quoted:
            quotes = np.flatnonzero(arr == 34)
            allowed = (quotes_odd + np.searchsorted(quotes, newlines)) % 2 == 0
            quotes_odd = (quotes_odd + len(quotes)) % 2
        candidates = np.flatnonzero(allowed)
        while len(candidates):
            i = int(np.searchsorted(after[candidates], target))
            if i == len(candidates):
                break
            k = candidates[i]
            cuts.append((offset + int(newlines[k]) + 1, int(after[k])))
            target = int(after[k]) + every
            candidates = candidates[i + 1 :]
        lines_done += len(newlines) + len(extra)
        if (
            not data
            and len(block)
            and block[-1:] != b"\n"
            and not (len(extra) and extra[-1] == len(block) - 1)
        ):
            lines_done += 1  # a last line without a line break
        offset += len(block)
    if cuts and cuts[-1][1] >= lines_done:  # nothing after the last cut
        cuts.pop()
    return cuts, lines_done


def _lone_returns(block: bytes, arr) -> Any:
    """Positions of the ``\\r`` not followed by ``\\n``: line breaks of their own."""
    import numpy as np

    if b"\r" not in block:
        return np.zeros(0, dtype=np.intp)
    cr = np.flatnonzero(arr == 13)
    return cr[np.append(arr, 0)[cr + 1] != 10]


def _csv_header(path: Path, kind: str, first_cut: int, bom: int, read: ReadOptions) -> str:
    """A CSV's header record (its line or lines), checked for the text and id columns."""
    with open(path, "rb") as handle:
        handle.seek(bom)
        text = _decode_range(handle.read(first_cut - bom), str(path), bom, read.encoding)
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    lines = list(table_lines(text))
    reader = csv.reader(lines, delimiter="\t" if kind == "tsv" else ",")
    columns = next(reader, [])
    problem = columns_problem(str(path), columns, read)  # io's messages
    if problem:
        raise FramingError(problem)
    return "".join(lines[: reader.line_num])


# --- reading ---------------------------------------------------------------------------------


@dataclass
class PieceReport:
    """What reading a piece found: documents, bad rows, and a problem that refuses its file."""

    path: str
    in_folder: bool
    documents: int = 0
    bad: list[str] = field(default_factory=list)
    nonblank: bool = False
    fatal: str | None = None
    # its first document in each language but English: {language: document id}
    languages: dict[str, str] = field(default_factory=dict)


def _piece_documents(
    piece: Piece, read: ReadOptions, report: PieceReport
) -> Iterator[tuple[int, Document]]:
    """``(line, document)`` for each document of a piece; bad rows go to ``report``."""
    path = Path(piece.path)
    if piece.stop is None:
        text = file_text(path, read)
    else:
        with open(path, "rb") as handle:
            handle.seek(piece.start)
            raw = handle.read(piece.stop - piece.start) if piece.stop >= 0 else handle.read()
        text = _decode_range(raw, piece.path, piece.start, read.encoding)
    report.nonblank = report.nonblank or has_words(text)
    if piece.kind == "text":
        yield 1, Document(id=piece.path, text=text, source=piece.path)
    else:
        yield from table_rows(
            path,
            text,
            piece.kind,
            read,
            on_bad=lambda problem: _bad_row(report, problem, read.strict),
            first_line=piece.first_line,
            header=piece.header,
        )


def _decode_range(raw: bytes, label: str, offset: int, encoding: str) -> str:
    """UTF-8 text of a byte range of a file, refused as ``decode_bytes`` refuses a file."""
    if b"\x00" in raw:
        raise FramingError(f"{label}: binary file (contains NUL bytes), not text")
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise FramingError(
            f"{label}: not valid {encoding} text (byte 0x{raw[exc.start]:02x} at offset "
            f"{offset + exc.start}); pass --encoding (e.g. latin-1) or convert the file"
        ) from None


def _bad_row(report: PieceReport, problem: str, strict: bool) -> None:
    if strict:
        raise FramingError(problem)
    report.bad.append(problem)


@dataclass
class _FileState:
    in_folder: bool
    documents: int = 0
    bad: list[str] = field(default_factory=list)
    nonblank: bool = False
    fatal: str | None = None


def settle_files(
    reports: Sequence[dict],
    read: ReadOptions = ReadOptions(),  # noqa: B008
) -> tuple[list[str], set[str], int]:
    """Judge each file on all its pieces' reports, as ``iter_documents`` judges a file.

    Returns ``(warnings, skipped files, documents kept)``; raises ``FramingError`` where the
    local engine would stop (a named file that cannot be read, anything bad with ``strict``).
    """
    files: dict[str, _FileState] = {}
    for r in reports:
        state = files.setdefault(r["path"], _FileState(r["in_folder"]))
        state.documents += r["documents"]
        state.bad += r["bad"]
        state.nonblank = state.nonblank or r["nonblank"]
        state.fatal = state.fatal or r["fatal"]
    warnings: list[str] = []
    skipped: set[str] = set()
    kept = 0
    for path, state in files.items():
        problem = state.fatal
        if problem is None and not state.nonblank:
            problem = f"{path}: contains only white space"
        if problem is None and state.documents == 0:
            first = state.bad[0] if state.bad else f"{path}: no row has text in '{read.text_field}'"
            more = len(state.bad) - 1
            problem = f"{first} (and {more} more bad rows)" if more > 0 else first
        if problem is not None:
            if not state.in_folder or read.strict:
                raise FramingError(problem)
            warnings.append(f"skipped {problem}")
            skipped.add(path)
            continue
        kept += state.documents
        warnings += [f"skipped {p}" for p in state.bad[:5]]
        if len(state.bad) > 5:
            warnings.append(f"{path}: skipped {len(state.bad) - 5} more bad rows")
    return warnings, skipped, kept


# --- pass one: count -------------------------------------------------------------------------


def count_documents(pieces: Sequence[Piece], read: ReadOptions) -> list[dict]:
    """Per piece: its report, and the line and sentence count of each of its documents."""
    import numpy as np

    from framing.lang import detect_language
    from framing.text import segment

    counted = []
    for piece in pieces:
        report = PieceReport(piece.path, piece.in_folder)
        lines: list[int] = []
        sentences: list[int] = []
        try:
            for line, doc in _piece_documents(piece, read, report):
                lines.append(line)
                sentences.append(len(segment(doc)))
                code = detect_language(doc.text)
                if code != "en":
                    report.languages.setdefault(code, doc.id)
        except FramingError as exc:
            report.fatal = str(exc)
        report.documents = len(lines)
        counted.append(
            {
                "report": asdict(report),
                "lines": np.array(lines, dtype=np.int64),
                "sentences": np.array(sentences, dtype=np.int64),
            }
        )
    return counted


# --- pass two: partitions at the local engine's batch boundaries --------------------------------


@dataclass(frozen=True)
class Slice:
    """The documents of a piece whose lines are ``first`` to ``last``."""

    piece: Piece
    first: int
    last: int

    def describe(self) -> dict:
        if self.piece.kind == "text":
            return {"path": self.piece.path}
        return {"path": self.piece.path, "lines": [self.first, self.last]}


@dataclass(frozen=True)
class Partition:
    """Consecutive documents scored by one task into one part file."""

    index: int
    slices: tuple[Slice, ...]
    documents: int
    sentences: int

    def file_name(self, fmt: str) -> str:
        return f"part-{self.index:05d}.{fmt}"


def cut_partitions(
    pieces: Sequence[Piece],
    counted: Sequence[dict],
    *,
    skipped: frozenset[str] | set[str] = frozenset(),
    partition_rows: int = PARTITION_ROWS,
    batch_sentences: int = 512,
) -> list[Partition]:
    """Partitions of about ``partition_rows`` documents, each starting where the local
    engine starts an embedding batch (``score_documents``: after the document that
    brings the batch to ``batch_sentences``)."""
    partitions: list[Partition] = []
    slices: list[Slice] = []
    docs = sentences = pending = 0
    for piece, found in zip(pieces, counted, strict=True):
        if piece.path in skipped or not len(found["lines"]):
            continue
        lines = found["lines"].tolist()
        counts = found["sentences"].tolist()
        begin = 0
        for k, n in enumerate(counts):
            docs += 1
            sentences += n
            pending += n
            if pending < batch_sentences:
                continue
            pending = 0
            if docs >= partition_rows:
                slices.append(Slice(piece, lines[begin], lines[k]))
                partitions.append(Partition(len(partitions), tuple(slices), docs, sentences))
                slices, docs, sentences, begin = [], 0, 0, k + 1
        if begin < len(lines):
            slices.append(Slice(piece, lines[begin], lines[-1]))
    if slices:
        partitions.append(Partition(len(partitions), tuple(slices), docs, sentences))
    return partitions


def plan_partitions(
    paths: Sequence[str],
    *,
    partition_rows: int | None = PARTITION_ROWS,
    min_partitions: int = 1,
    batch_sentences: int = 512,
    read: ReadOptions = ReadOptions(),  # noqa: B008
    warn: Warn | None = None,
    run_tasks: Callable[[list[tuple[Piece, ...]]], list[list[dict]]] | None = None,
    pieces: Sequence[Piece] | None = None,
    model: str | None = None,
) -> list[Partition]:
    """The whole plan: pieces (unless given), their counts (``run_tasks`` runs
    ``count_documents`` on groups of pieces; default: here), then partitions. Warns and
    raises as ``iter_documents`` would about bad files and rows.

    ``partition_rows=None`` sizes partitions to make about ``min_partitions`` of them (a
    small corpus still keeps every worker busy), of at most ``PARTITION_ROWS`` rows.
    ``model``: the model that will score, for the warning about languages it does not read.
    """
    warn = warn or _default_warn
    if pieces is None:
        pieces = plan_pieces(
            paths, partition_rows=partition_rows or PARTITION_ROWS, read=read, warn=warn
        )
    groups = _group(pieces, partition_rows or PARTITION_ROWS)
    if run_tasks is None:
        results = [count_documents(group, read) for group in groups]
    else:
        results = run_tasks(groups)
    counted = [c for result in results for c in result]
    messages, skipped, kept = settle_files([c["report"] for c in counted], read)
    for message in messages:
        warn(message)
    # as score_documents warns on the local engine: once per kind, for the first document
    warned: set[str] = set()
    for c in counted:
        if c["report"]["path"] in skipped:
            continue
        for code, doc_id in c["report"]["languages"].items():
            problem = language_warning(doc_id, code, model=model)
            if problem is not None and problem[0] not in warned:
                warned.add(problem[0])
                warn(problem[1])
    if kept == 0:
        where = ", ".join(map(str, paths))
        raise FramingError(f"{where}: no readable text (skipped {len(skipped)} file(s))")
    if partition_rows is None:
        partition_rows = max(1, min(PARTITION_ROWS, -(-kept // max(1, min_partitions))))
    return cut_partitions(
        pieces,
        counted,
        skipped=skipped,
        partition_rows=partition_rows,
        batch_sentences=batch_sentences,
    )


def read_partition(
    partition: Partition,
    read: ReadOptions = ReadOptions(),  # noqa: B008
) -> Iterator[Document]:
    """The documents of a partition, reading only the byte ranges of its pieces."""
    for piece_slice in partition.slices:
        report = PieceReport(piece_slice.piece.path, piece_slice.piece.in_folder)
        for line, doc in _piece_documents(piece_slice.piece, read, report):
            if line > piece_slice.last:
                break
            if line >= piece_slice.first:
                yield doc


# --- one task ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Job:
    folder: str
    fmt: str
    frame_ids: tuple[str, ...]
    axis_ids: tuple[str, ...]
    read: ReadOptions


def _identity(value):
    return value


def score_partition(partition: Partition, job: _Job, spec: ScorerSpec) -> dict:
    """Score one partition into its part file (atomically); returns its record count."""
    from framing.pipeline import score_documents

    target = Path(job.folder) / partition.file_name(job.fmt)
    with using_scorer(spec) as (scorer, registry):
        records = score_documents(
            read_partition(partition, job.read),
            scorer,
            actors=registry,
            batch_sentences=spec.batch_sentences,
            check_script=False,  # the count pass warned on the client
        )
        count = _write_part(target, records, job)
    return {"index": partition.index, "records": count}


def _write_part(target: Path, records: Iterator[dict], job: _Job) -> int:
    if job.fmt == "jsonl":
        with atomic_output(target) as stream:
            writer = RecordWriter(stream, "jsonl")
            for record in records:
                writer.write(record)
            writer.close()
        return writer.count
    import pyarrow as pa
    import pyarrow.parquet as pq

    from framing.dataframe import records_to_frame

    frame = records_to_frame(list(records), job.frame_ids, job.axis_ids)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    with atomic_output(target, binary=True) as handle:
        pq.write_table(table, handle)
    return len(frame)


# --- the run ----------------------------------------------------------------------------------


def _require_dask():
    try:
        import distributed
    except ImportError:
        raise FramingError(f"--engine dask needs: {INSTALL_HINT}") from None
    return distributed


@contextmanager
def dask_client(scheduler=None, workers: int | None = None) -> Iterator[Any]:
    """A ``distributed.Client``: the one given, one connected to an address, or a new
    ``LocalCluster`` of ``workers`` single-threaded processes (default: one per core)."""
    distributed = _require_dask()
    if isinstance(scheduler, distributed.Client):
        yield scheduler
        return
    if scheduler:
        if workers is not None:
            raise FramingError("--workers sizes a LocalCluster; not with --scheduler")
        try:
            client = distributed.Client(scheduler, set_as_default=False)
        except (OSError, TimeoutError, ValueError, TypeError) as exc:
            reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise FramingError(f"--scheduler: cannot connect to {scheduler!r} ({reason})") from None
        try:
            yield client
        finally:
            client.close()
        return
    import logging

    n = workers or os.cpu_count() or 1
    cluster = distributed.LocalCluster(
        n_workers=n,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=logging.ERROR,
    )
    client = distributed.Client(cluster, set_as_default=False)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def _prepare_target(output: str | Path | None) -> Path:
    if output is None or str(output) == "-":
        raise FramingError("--engine dask writes a folder of part files: give -o FOLDER")
    target = Path(output)
    _finish_swap(target)
    if Path(os.path.realpath(target)) in (Path.cwd(), *Path.cwd().parents):
        # renaming the current folder (or one holding it) away fails (EBUSY) or pulls the
        # folder from under the shell that runs us
        raise FramingError(
            f"{target}: is the current folder or holds it; --engine dask replaces its "
            "output folder whole: give a new folder name (e.g. -o scores)"
        )
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise FramingError(f"{target}: folder {parent} does not exist")
    remove_stale_parts(parent)
    if target.exists():
        if not target.is_dir():
            raise FramingError(f"{target}: is a file; --engine dask writes a folder")
        if any(target.iterdir()) and not _is_framing_output(target):
            raise FramingError(
                f"{target}: folder is not empty and is not a framing --engine dask output "
                f"(a {MANIFEST} written by framing and part files, nothing else); "
                "give a new or empty folder"
            )
    return target


def _is_framing_output(folder: Path) -> bool:
    """Whether ``folder`` is an earlier output of ``score_files``, which a run may replace:
    framing's manifest and part files, nothing else. A bare name check would let a stray
    ``_manifest.json`` hand a user's folder over to be deleted."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        names = {p.name for p in folder.iterdir()}
    except (OSError, ValueError):
        return False
    if not isinstance(manifest, dict) or manifest.get("tool") != "framing":
        return False
    parts = {p.get("file") for p in manifest.get("partitions", []) if isinstance(p, dict)}
    return names - {MANIFEST} <= parts and all(
        not (folder / n).is_dir() for n in names - {MANIFEST}
    )


def score_files(
    paths: Sequence[str],
    output: str | Path,
    spec: ScorerSpec,
    *,
    fmt: str = "jsonl",
    scheduler: Any = None,
    workers: int | None = None,
    partition_rows: int | None = None,
    read: ReadOptions = ReadOptions(),  # noqa: B008
    options: dict | None = None,
    warn: Warn | None = None,
    progress: Callable[[int], None] | None = None,
    on_partition: Callable[[int, int], None] | None = None,
) -> dict:
    """Score files on a Dask cluster into folder ``output`` (part files + _manifest.json).

    ``scheduler`` is an address, a ``distributed.Client``, or None for a LocalCluster of
    ``workers`` processes. ``partition_rows`` (rows per partition) defaults to 4 partitions
    per worker, at most ``PARTITION_ROWS`` rows each. Returns the manifest.
    ``on_partition(done, total)`` is called as each partition finishes.
    """
    if fmt not in OUTPUT_FORMATS:
        raise FramingError(f"--format must be jsonl or parquet with --engine dask; got {fmt!r}")
    distributed = _require_dask()
    if fmt == "parquet":
        try:
            import pandas  # noqa: F401
            import pyarrow  # noqa: F401
        except ImportError:
            raise FramingError(f"--format parquet needs: {INSTALL_HINT}") from None
    warn = warn or _default_warn
    target = _prepare_target(output)
    refuse_output_over_inputs(
        [target / MANIFEST], [*paths, *_spec_files(spec)], replaced_folders=[target]
    )
    pieces = plan_pieces(
        paths, partition_rows=partition_rows or PARTITION_ROWS, read=read, warn=warn
    )
    run = uuid.uuid4().hex[:12]
    staging = target.resolve().parent / f".{target.name}.{run}.part"
    job = _Job(str(staging), fmt, tuple(spec.lexicon.frame_ids), tuple(spec.lexicon.axis_ids), read)
    try:
        with dask_client(scheduler, workers) as client:

            def gather(fn, items: Sequence, name: str, **kwargs) -> Iterator[tuple[int, Any]]:
                """``(index, result)`` of ``fn`` on each item, as the tasks finish."""
                keys = [f"framing-{name}-{run}-{i:05d}" for i in range(len(items))]
                futures = client.map(fn, items, **kwargs, retries=2, pure=False, key=keys)
                index = {f.key: i for i, f in enumerate(futures)}
                try:
                    for future in distributed.as_completed(futures, loop=client.loop):
                        try:
                            yield index[future.key], future.result()
                        except distributed.KilledWorker:
                            raise FramingError(
                                "a partition killed its workers repeatedly (out of memory?); "
                                "try a smaller --partition-rows"
                            ) from None
                except BaseException:
                    client.cancel(futures)
                    raise

            def count(groups: list) -> list[list[dict]]:
                counted: list = [None] * len(groups)
                for i, result in gather(count_documents, groups, "count", read=read):
                    counted[i] = result
                return counted

            n_workers = len(client.scheduler_info().get("workers", {})) or 1
            plan = plan_partitions(
                paths,
                partition_rows=partition_rows,
                min_partitions=4 * n_workers,
                read=read,
                batch_sentences=spec.batch_sentences,
                warn=warn,
                run_tasks=count,
                pieces=pieces,
                model=getattr(spec.embedder, "model_name", None),
            )
            staging.mkdir()
            # The spec is a task's result, not scattered data: a worker that dies takes no
            # irreplaceable copy with it, and each worker fetches it once.
            spec_future = client.submit(_identity, spec, key=f"framing-spec-{run}")
            records: dict[int, int] = {}
            for i, result in gather(score_partition, plan, "score", job=job, spec=spec_future):
                records[i] = result["records"]
                if progress:
                    progress(result["records"])
                if on_partition:
                    on_partition(len(records), len(plan))
            info = client.scheduler_info()
            engine = {
                "name": "dask",
                "scheduler": info.get("address"),
                "workers": len(info.get("workers", {})),
                "partition_rows": partition_rows or max(p.documents for p in plan),
                "dask": _version("dask"),
                "distributed": _version("distributed"),
            }
        manifest = _manifest(plan, records, fmt, engine, spec, paths, options)
        for stray in staging.iterdir():  # temporary files of tasks whose worker died
            if stray.name not in {p.file_name(fmt) for p in plan}:
                stray.unlink()
        write_json_atomic(staging / MANIFEST, manifest)
        _swap_into_place(staging, target, run)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return manifest


def _spec_files(spec: ScorerSpec) -> list[str]:
    """The files a scorer was loaded from (lexicons, actors registry): inputs too."""
    files = [src for src, _ in getattr(spec.lexicon, "sources", ())]
    source = getattr(spec.actors, "source", None)
    return [*files, *([str(source)] if source else [])]


def _version(package: str) -> str | None:
    from importlib import metadata

    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def _manifest(plan, records, fmt, engine, spec, paths, options) -> dict:
    from framing.provenance import provenance

    partitions = [
        {
            "file": p.file_name(fmt),
            "records": records[p.index],
            "documents": p.documents,
            "inputs": _merged([s.describe() for s in p.slices]),
        }
        for p in plan
    ]
    return {
        **provenance(
            command="score",
            options=options or {},
            embedder=spec.embedder,
            lexicon=spec.lexicon,
            inputs=[str(p) for p in paths],
        ),
        "engine": engine,
        "format": fmt,
        "records": sum(p["records"] for p in partitions),
        "partitions": partitions,
    }


def _merged(inputs: list[dict]) -> list[dict]:
    """Consecutive line ranges of one file as one range."""
    merged: list[dict] = []
    for item in inputs:
        last = merged[-1] if merged else None
        if last and last["path"] == item["path"] and "lines" in last and "lines" in item:
            last["lines"] = [last["lines"][0], item["lines"][1]]
        else:
            merged.append(dict(item))
    return merged


def _swap_into_place(staging: Path, target: Path, run: str) -> None:
    """Replace ``target`` with the finished ``staging`` folder (an earlier output is removed).

    Where the kernel can (Linux ``renameat2(RENAME_EXCHANGE)``) the two folders trade
    places in one step. Elsewhere it takes two renames, ``target`` -> ``.NAME.RUN.old`` then
    ``staging`` -> ``target``; a kill between them leaves no ``target``, and the next run
    into the same place finishes the swap first (``_finish_swap``)."""
    if target.exists():
        if _exchange(staging, target):
            shutil.rmtree(staging, ignore_errors=True)  # now the earlier output
            return
        old = staging.with_name(f".{target.name}.{run}.old")
        os.rename(target, old)
        os.rename(staging, target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.rename(staging, target)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); False where the
    platform or the file system cannot."""
    import ctypes
    import errno

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    renameat2.argtypes += [ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange):
        code = ctypes.get_errno()
        if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EPERM):
            return False
        raise OSError(code, os.strerror(code), str(second))
    return True


def _finish_swap(target: Path) -> None:
    """Complete a swap a kill cut between its two renames: ``target`` is gone, its old
    content is in ``.NAME.RUN.old`` and the finished output in ``.NAME.RUN.part``."""
    if os.path.lexists(target):
        return
    parent = target.parent if str(target.parent) else Path(".")
    for old in sorted(parent.glob(f".{target.name}.*.old")):
        run = old.name[len(target.name) + 2 : -len(".old")]
        staging = parent / f".{target.name}.{run}.part"
        if staging.is_dir() and _is_framing_output(staging):
            os.rename(staging, target)
            shutil.rmtree(old, ignore_errors=True)
            return
        if _is_framing_output(old):  # the new output was never finished: the old is back
            os.rename(old, target)
            return
