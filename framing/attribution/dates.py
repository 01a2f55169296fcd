"""A document's date, for offices that changed hands ("the Russian defence minister" is
Sergei Shoigu in 2023 and Andrei Belousov in 2025).

In this order: the date the input gives (``Document.date``); an ISO date in the document's
name (``kremlin_2022-03-14.txt``, ``2022-03`` as the 1st); the first date in the text's
first lines, ISO (``2022-03-14``) or written out (``14 March 2022``, ``March 14, 2022``,
``Mar. 14, 2022``), as a dateline or a liveblog's heading gives it. None when there is none:
an office that changed hands then stays the office (see ``ActorRegistry.holder``).
"""

from __future__ import annotations

import re
from datetime import date

from framing.text import Document

__all__ = ["document_date", "FIRST_LINES"]

FIRST_LINES = 5
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        1,
    )
    for name in names
}
_MONTH = "(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_ISO = re.compile(r"(?<!\d)(?P<year>\d{4})-(?P<month>\d{2})(?:-(?P<day>\d{2}))?(?!\d)")
_MONTH_FIRST = _MONTH.replace("month", "month2")
_WRITTEN = re.compile(
    rf"(?<![\w-])(?:(?P<day1>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}|{_MONTH_FIRST}"
    r"\s+(?P<day2>\d{1,2})(?:st|nd|rd|th)?,?)\s+(?P<year>(?:19|20)\d{2})(?!\d)",
    re.IGNORECASE,
)


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _first_date(text: str, iso_only: bool) -> date | None:
    found: list[tuple[int, date]] = []
    for m in _ISO.finditer(text):
        made = _make(int(m["year"]), int(m["month"]), int(m["day"] or 1))
        if made is not None:
            found.append((m.start(), made))
            break
    if not iso_only:
        for m in _WRITTEN.finditer(text):
            month = _MONTHS[(m["month"] or m["month2"]).lower()]
            made = _make(int(m["year"]), month, int(m["day1"] or m["day2"]))
            if made is not None:
                found.append((m.start(), made))
                break
    return min(found)[1] if found else None


def document_date(doc: Document) -> date | None:
    """The date a document is of, if the input, its name or its first lines give one."""
    if doc.date is not None:
        return doc.date
    for name in (doc.source, doc.id):
        if name:
            found = _first_date(name.replace("\\", "/").rsplit("/", 1)[-1], iso_only=True)
            if found is not None:
                return found
    head = "\n".join(doc.text[:2000].splitlines()[:FIRST_LINES])
    return _first_date(head, iso_only=False)
