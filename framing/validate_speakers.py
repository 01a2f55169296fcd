"""Speaker validity: framing's speakers against a hand-coded sample of quotations.

The gold file is JSON Lines, one quotation a line, with ``file`` (the text, relative to the
text folder), ``quote`` (the quoted words) and ``speaker`` (who said them). Each text is
attributed by the same code as ``framing actors``. A gold quotation is matched to the
*shortest* attributed record of its text whose text contains it or is contained in it (white
space collapsed on both sides; the earliest record on a tie): the rule the held-out sets are
scored with (``../shared/eval/README.md``), in one function, ``matching_record``. The rule
before it (``rule="overlap"``) also asked the record to overlap a place where the quotation
stands; it is kept only to compare figures.
It is right when the record's speaker and the gold name share the surname: the gold name
is cut at its first comma ("Flynn, the president of Common Cause" -> "Flynn") and before a
parenthesis or an "of/from/who ..." tail ("Rep. Gwen Moore (D-Wis.)", "Gov. Earl Ray
Tomblin of West Virginia"), titles such as Mr./Mrs./Ms./Dr. and suffixes such as Jr. are
dropped, and the last word of each name is compared, ignoring case and a possessive "'s".
A record with no speaker, or no record at all, is wrong.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from framing.errors import FramingError

if TYPE_CHECKING:
    from framing.actors import ActorRegistry

__all__ = [
    "framing_attributor",
    "GoldQuote",
    "SpeakerCheck",
    "SpeakerReport",
    "load_gold",
    "matching_record",
    "surname",
    "validate",
]

_FIELDS = ("file", "quote", "speaker")
# Honorifics and suffixes that are not a surname ("Mr. Trump", "Martin Luther King Jr.").
_HONORIFICS = frozenset("mr mrs ms miss dr sen rep gov prof sir".split())
_SUFFIXES = frozenset("jr sr ii iii iv".split())
_PARENTHESIS = re.compile(r"\([^)]*\)?")  # "Rep. Gwen Moore (D-Wis.)": a party, not a name
_NAME_TAIL = re.compile(r"\s(?:of|from|who|whose|whom|at)\s")
_WORD = re.compile(r"[^\W_](?:[\w'’.-]*[^\W_])?")


@dataclass(frozen=True)
class GoldQuote:
    """One hand-coded quotation: the text file, the quoted words and who said them."""

    file: str
    quote: str
    speaker: str
    line: int


@dataclass(frozen=True)
class SpeakerCheck:
    """One gold quotation beside what framing found for it (``found`` None: no speaker)."""

    gold: GoldQuote
    found: str | None
    record_text: str | None
    right: bool


@dataclass
class SpeakerReport:
    """Agreement of framing's speakers with a gold sample."""

    checks: list[SpeakerCheck]
    accuracy: float
    ci_low: float
    ci_high: float
    no_speaker: float
    resamples: int = 1000
    files: int = 0
    disagreements: list[SpeakerCheck] = field(default_factory=list)

    def to_dict(self) -> dict:
        """Figures only (the disagreements as plain rows)."""
        return {
            "quotations": len(self.checks),
            "files": self.files,
            "accuracy": round(self.accuracy, 4),
            "ci95": [round(self.ci_low, 4), round(self.ci_high, 4)],
            "no_speaker": round(self.no_speaker, 4),
            "disagreements": [
                {
                    "file": c.gold.file,
                    "quote": c.gold.quote,
                    "gold": c.gold.speaker,
                    "found": c.found,
                }
                for c in self.disagreements
            ],
        }


def surname(name: str) -> str:
    """The surname used to compare speakers: the name before its first comma, without
    honorifics, suffixes or a possessive, its last word, lower-cased ('' when none)."""
    head = _PARENTHESIS.sub(" ", name.split(",", 1)[0])
    # "Representative Charles B. Rangel of New York", "Smith who ...": the name ends before
    head = _NAME_TAIL.split(head, 1)[0]
    found = [w.rstrip(".") for w in _WORD.findall(head)]
    kept = [w for w in found if w.lower() not in _HONORIFICS and w.lower() not in _SUFFIXES]
    if not kept:
        return ""
    last = kept[-1].lower().replace("’", "'")
    last = last.removesuffix("'s")
    return last.rstrip("'")


def same_speaker(found: str | None, gold: str) -> bool:
    """Whether a found speaker and a gold name share the surname."""
    if not found:
        return False
    key = surname(gold)
    return bool(key) and surname(found) == key


def load_gold(path: str | Path) -> list[GoldQuote]:
    """The gold quotations of a JSON Lines file; a bad line is a one-line FramingError."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FramingError(f"{path}: cannot read gold file ({_reason(exc)})") from None
    gold: list[GoldQuote] = []
    for number, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as exc:
            raise FramingError(f"{path}:{number}: not valid JSON ({exc.msg})") from None
        if not isinstance(row, dict):
            raise FramingError(f"{path}:{number}: a line must be a JSON object")
        for name in _FIELDS:
            value = row.get(name)
            if not isinstance(value, str) or not value.strip():
                raise FramingError(f"{path}:{number}: missing or empty field '{name}'")
        gold.append(GoldQuote(row["file"], row["quote"], row["speaker"], number))
    if not gold:
        raise FramingError(f"{path}: no gold quotations")
    return gold


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or type(exc).__name__
    return type(exc).__name__


def _collapse(text: str) -> str:
    return " ".join(text.split())


# (text, speaker, start, end) of every attributed record of a text
Attributor = Callable[[str, str], list[tuple[str, str | None, int, int]]]


def framing_attributor(registry: ActorRegistry | None = None) -> Attributor:
    """(text, speaker) of every record ``framing actors`` gives for a text."""
    from framing.actors import load_actors
    from framing.attribution import attribute
    from framing.text import Document, find_quotes, segment

    registry = registry or load_actors()

    def records(doc_id: str, text: str) -> list[tuple[str, str | None, int, int]]:
        doc = Document(id=doc_id, text=text, source=doc_id)
        sentences = segment(doc)
        found = attribute(doc, sentences, find_quotes(text, sentences), registry)
        return [(text[s.start : s.end], s.speaker, s.start, s.end) for s in found.spans]

    return records


RULES = ("exact", "overlap")
Record = tuple[str, str | None, int, int]


def matching_record(
    quote: str, records: Sequence[Record], places: Sequence[tuple[int, int]] | None = None
) -> Record | None:
    """The shortest record whose (collapsed) text contains the (collapsed) quote or is
    contained in it, the earliest on a tie; None when there is none. With ``places`` (the
    quote's spans in the text), only records overlapping one of them count (the old rule)."""
    best: Record | None = None
    for record in records:
        record_text, _, start, end = record
        if not record_text:  # an empty text is "contained" in every quotation
            continue
        if places is not None and not any(start < e and s < end for s, e in places):
            continue
        if (quote in record_text or record_text in quote) and (
            best is None or len(record_text) < len(best[0])
        ):
            best = record
    return best


def validate(
    gold_path: str | Path,
    text_dir: str | Path | None = None,
    *,
    resamples: int = 1000,
    seed: int = 0,
    attributor: Attributor | None = None,
    rule: str = "exact",
) -> SpeakerReport:
    """Score framing's speakers against a gold file; texts are read from ``text_dir``
    (default: the gold file's folder). ``rule``: "exact" (the held-out sets' rule) or
    "overlap" (the earlier rule, for comparison)."""
    if rule not in RULES:
        raise ValueError(f"rule must be one of {RULES}; got {rule!r}")
    gold = load_gold(gold_path)
    base = Path(text_dir) if text_dir is not None else Path(gold_path).resolve().parent
    records_of = attributor or framing_attributor()
    by_file: dict[str, list[GoldQuote]] = {}
    for g in gold:
        by_file.setdefault(g.file, []).append(g)
    checks: list[SpeakerCheck] = []
    for name in sorted(by_file):
        path = base / name
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise FramingError(f"{path}: cannot read text ({_reason(exc)})") from None
        places = {}
        for g in by_file[name]:
            places[g.line] = _places(g.quote, text)
            if not places[g.line]:
                raise FramingError(
                    f"{gold_path}:{g.line}: quote not found in {path}: {_short(g.quote)!r}"
                )
        records = [(_collapse(t), sp, a, b) for t, sp, a, b in records_of(str(path), text)]
        for g in by_file[name]:
            near = places[g.line] if rule == "overlap" else None
            best = matching_record(_collapse(g.quote), records, near)
            found = best[1] if best else None
            checks.append(
                SpeakerCheck(g, found, best[0] if best else None, same_speaker(found, g.speaker))
            )
    checks.sort(key=lambda c: c.gold.line)
    rights = [c.right for c in checks]
    accuracy = sum(rights) / len(rights)
    low, high = bootstrap_interval(rights, resamples, seed)
    return SpeakerReport(
        checks=checks,
        accuracy=accuracy,
        ci_low=low,
        ci_high=high,
        no_speaker=sum(c.found is None for c in checks) / len(checks),
        resamples=resamples,
        files=len(by_file),
        disagreements=[c for c in checks if not c.right],
    )


def bootstrap_interval(
    rights: Sequence[bool], resamples: int = 1000, seed: int = 0
) -> tuple[float, float]:
    """Percentile bootstrap 95% interval of a proportion (seeded: same data, same interval)."""
    n = len(rights)
    if n == 0 or resamples <= 0:
        return (0.0, 0.0)
    rng = random.Random(seed)
    values = [1 if r else 0 for r in rights]
    means = sorted(sum(rng.choices(values, k=n)) / n for _ in range(resamples))
    return means[int(0.025 * (resamples - 1))], means[int(round(0.975 * (resamples - 1)))]


def _places(quote: str, text: str) -> list[tuple[int, int]]:
    """Where a quotation stands in a text, white space between its words matched loosely."""
    pattern = r"\s+".join(re.escape(w) for w in quote.split())
    if not pattern:
        return []
    return [m.span() for m in re.finditer(pattern, text)]


def _short(text: str, width: int = 60) -> str:
    text = _collapse(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def render_report(report: SpeakerReport, limit: int = 20) -> str:
    """A plain-text summary: accuracy with its interval, no-speaker share, disagreements."""
    lines = [
        f"quotations: {len(report.checks)} in {report.files} file(s)",
        f"speaker accuracy: {report.accuracy:.3f} "
        f"(95% bootstrap CI {report.ci_low:.3f}-{report.ci_high:.3f}, "
        f"{report.resamples} resamples)",
        f"no speaker: {report.no_speaker:.3f}",
    ]
    shown = report.disagreements[:limit] if limit else report.disagreements
    if shown:
        lines.append(
            f"disagreements ({len(report.disagreements)}"
            + (f", first {len(shown)}" if len(shown) < len(report.disagreements) else "")
            + "):"
        )
        lines.append("gold\tfound\tfile\tquote")
        for c in shown:
            cells = (c.gold.speaker, c.found or "-", Path(c.gold.file).name, _short(c.gold.quote))
            lines.append("\t".join(cells))
    return "\n".join(lines)
