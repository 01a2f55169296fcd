"""The date of each document, for ``framing trend``.

- A row of a ``.jsonl``/``.csv``/``.tsv`` table: its ``--date-field`` column, an ISO date
  (``2022-03-14``, also ``2022-03-14T09:30:00Z`` or ``2022-03``, read as the 1st).
- A text file (``.txt``, ``.md``, ...): the first ISO date in its file name
  (``kremlin_2022-03-14.txt``, also ``2022-03`` as the 1st of the month), else the first
  full ISO date (``2022-03-14``) in its first five lines.
- Standard input has no date.

A document without a date is never dropped silently: the caller counts and reports it.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from framing.errors import FramingError
from framing.text import Document

__all__ = ["document_dates", "parse_date", "date_in_text", "FIRST_LINES"]

FIRST_LINES = 5
_TABLE = {".jsonl", ".ndjson", ".csv", ".tsv"}
_LEADING = re.compile(r"\s*(\d{4})-(\d{2})(?:-(\d{2}))?(?!\d)")
_IN_NAME = re.compile(r"(?<!\d)(\d{4})-(\d{2})(?:-(\d{2}))?(?!\d)")
_FULL = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


def _make(year: str, month: str, day: str | None) -> date | None:
    try:
        return date(int(year), int(month), int(day or 1))
    except ValueError:
        return None


def parse_date(value: object) -> date | None:
    """An ISO date at the start of a table cell (a date, a datetime or a year-month)."""
    if isinstance(value, date):
        return value if not hasattr(value, "date") else value.date()  # datetime -> date
    if not isinstance(value, str):
        return None
    match = _LEADING.match(value)
    return _make(*match.groups()) if match else None


def date_in_text(name: str, text: str) -> date | None:
    """The first ISO date in a file name, else the first full ISO date in its first lines."""
    for match in _IN_NAME.finditer(name):
        found = _make(*match.groups())
        if found:
            return found
    head = "\n".join(text.splitlines()[:FIRST_LINES])
    for match in _FULL.finditer(head):
        found = _make(*match.groups())
        if found:
            return found
    return None


def document_dates(
    documents: Iterable[Document], date_field: str = "date"
) -> dict[str, date | None]:
    """Each document's date (``None``: none found), by document id. Raises when no document
    has one, naming what was looked for."""
    documents = list(documents)
    tables: dict[str, dict[int, object]] = {}
    columns_seen: dict[str, bool] = {}
    examples: list[str] = []
    out: dict[str, date | None] = {}
    for doc in documents:
        path, line = _table_source(doc.source)
        if path is not None:
            if path not in tables:
                tables[path], columns_seen[path] = _column_by_line(Path(path), date_field)
            value = tables[path].get(line)
            found = parse_date(value)
            if found is None and value not in (None, "") and len(examples) < 1:
                examples.append(f"{path}:{line}: {str(value)[:40]!r}")
        elif doc.source and doc.source != "<stdin>":
            found = date_in_text(Path(doc.source).name, doc.text)
        else:
            found = None
        out[doc.id] = found
    if documents and not any(out.values()):
        if tables:
            where = ", ".join(tables)
            if not any(columns_seen.values()):
                raise FramingError(f"{where}: no column '{date_field}' (use --date-field)")
            example = f" (e.g. {examples[0]})" if examples else ""
            raise FramingError(
                f"{where}: --date-field '{date_field}' is empty or not an ISO date "
                f"(YYYY-MM-DD) in every row{example}"
            )
        raise FramingError(
            "no document has a date: put an ISO date (YYYY-MM-DD) in each file's name or "
            f"first {FIRST_LINES} lines, or use a .jsonl/.csv table with --date-field"
        )
    return out


def _table_source(source: str) -> tuple[str | None, int]:
    path, _, line = source.rpartition(":")
    if not path or not line.isdigit() or Path(path).suffix.lower() not in _TABLE:
        return None, 0
    return path, int(line)


def _column_by_line(path: Path, field: str) -> tuple[dict[int, object], bool]:
    """{row's line number (as ``framing.io`` numbers it): its ``field`` value}, and whether
    any row has the field."""
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    values: dict[int, object] = {}
    seen = False
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        for number, line in enumerate(io.StringIO(text, newline=""), start=1):
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(row, dict) and field in row:
                seen = True
                values[number] = row[field]
        return values, seen
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    seen = field in (reader.fieldnames or [])
    try:
        for row in reader:
            values[reader.line_num] = row.get(field)
    except csv.Error:
        pass  # the reader of the documents has already reported this file
    return values, seen
