"""Framing lexicons: TOML schema, validation, loading.

A lexicon file holds frames (id, label, description, weighted terms, exemplar sentences)
and axes (two frames as the poles of one dimension). Every problem in a file is collected
and reported together, one per line, as ``file: frame id / term: what is wrong``.
"""

from __future__ import annotations

import hashlib
import math
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from framing.errors import FramingError
from framing.tokens import term_key

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = [
    "Term",
    "Frame",
    "Axis",
    "Lexicon",
    "LexiconError",
    "load_lexicon",
    "load_lexicons",
    "builtin_lexicon_names",
    "DEFAULT_LEXICON",
]

DEFAULT_LEXICON = "war_ukraine"
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_FRAME_KEYS = {"id", "label", "description", "terms", "exemplars"}
_AXIS_KEYS = {"id", "label", "description", "left", "right", "pairs", "left_frames", "right_frames"}
_PAIR_KEYS = {"left", "right"}
_TOP_KEYS = {"meta", "frames", "axes"}


class LexiconError(FramingError):
    """A lexicon file failed validation; ``problems`` holds one line per problem."""

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Term:
    """A lexicon term; ``key`` is its normalised token sequence used for matching."""

    text: str
    weight: float
    key: tuple[str, ...]
    lang: str = "en"  # a term from a [frames.terms.ru] table is matched in Russian text only


@dataclass(frozen=True)
class Frame:
    id: str
    label: str
    description: str
    terms: tuple[Term, ...]
    exemplars: tuple[str, ...]
    source: str = ""


@dataclass(frozen=True)
class Axis:
    """A bipolar dimension: negative positions lean to ``left``, positive to ``right``."""

    id: str
    label: str
    left: str
    right: str
    description: str = ""
    source: str = ""
    # (left, right) sentences telling the same event from each pole ([[axes.pairs]]); the
    # axis is the mean of their differences, so the topic they share cancels out
    pairs: tuple[tuple[str, str], ...] = ()
    # frames whose own-voice terms also count, at half weight, as lexical evidence for a
    # pole: the rest of that side's idiom ("denazification" goes with "special military
    # operation"); empty in lexicons written before these keys existed
    left_frames: tuple[str, ...] = ()
    right_frames: tuple[str, ...] = ()


@dataclass(frozen=True)
class Lexicon:
    """One or more lexicon files merged: frames and axes in file order."""

    frames: tuple[Frame, ...]
    axes: tuple[Axis, ...]
    sources: tuple[tuple[str, str], ...] = field(default=())  # (path or name, sha256)

    @property
    def frame_ids(self) -> list[str]:
        return [f.id for f in self.frames]

    @property
    def axis_ids(self) -> list[str]:
        return [a.id for a in self.axes]

    def frame(self, frame_id: str) -> Frame:
        for f in self.frames:
            if f.id == frame_id:
                return f
        raise KeyError(frame_id)


def builtin_lexicon_names() -> list[str]:
    """Names of the lexicons shipped with framing (``war_ukraine``, ...)."""
    return sorted(
        p.name[: -len(".toml")]
        for p in _builtin_dir().iterdir()
        if p.name.endswith(".toml") and p.name != "actors.toml"
    )


def _builtin_dir():
    """The lexicons folder: package data in a wheel, the top-level folder in a checkout."""
    packaged = resources.files("framing").joinpath("_data", "lexicons")
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "lexicons"


def resolve_lexicon_path(name_or_path: str | Path) -> tuple[str, bytes]:
    """(display name, raw bytes) of a lexicon given as a file path or a built-in name."""
    path = Path(name_or_path)
    if path.suffix == "" and not path.exists() and _ID.match(str(name_or_path)):
        candidate = _builtin_dir().joinpath(f"{name_or_path}.toml")
        if not candidate.is_file():
            known = ", ".join(builtin_lexicon_names())
            raise FramingError(
                f"{name_or_path}: no such lexicon file or built-in lexicon ({known})"
            )
        return f"{name_or_path} (built-in)", candidate.read_bytes()
    if path.is_dir():
        raise FramingError(f"{path}: is a folder; give a lexicon .toml file")
    try:
        return str(path), path.read_bytes()
    except FileNotFoundError:
        raise FramingError(f"{path}: no such lexicon file") from None
    except OSError as exc:
        raise FramingError(f"{path}: cannot read lexicon ({exc.strerror})") from None


def load_lexicon(name_or_path: str | Path = DEFAULT_LEXICON) -> Lexicon:
    """Load and validate one lexicon file (or a built-in by name)."""
    return load_lexicons([name_or_path])


def load_lexicons(names_or_paths: Iterable[str | Path]) -> Lexicon:
    """Load several lexicon files into one; frame and axis ids must be unique across them."""
    frames: list[Frame] = []
    axes: list[Axis] = []
    sources: list[tuple[str, str]] = []
    problems: list[str] = []
    for item in names_or_paths:
        label, raw = resolve_lexicon_path(item)
        sources.append((label, hashlib.sha256(raw).hexdigest()))
        file_frames, file_axes, file_problems = _parse(label, raw)
        problems.extend(file_problems)
        for frame in file_frames:
            if any(f.id == frame.id for f in frames):
                problems.append(
                    f"{label}: frame {frame.id}: duplicate frame id (also in an earlier file)"
                )
            else:
                frames.append(frame)
        axes.extend(file_axes)
    if not sources:
        raise FramingError("no lexicon given")
    known = {f.id for f in frames}
    seen_axes: set[str] = set()
    for axis in axes:
        if axis.id in seen_axes:
            problems.append(f"{axis.source}: axis {axis.id}: duplicate axis id")
        seen_axes.add(axis.id)
        for pole in ("left", "right"):
            target = getattr(axis, pole)
            if target and target not in known:
                problems.append(f"{axis.source}: axis {axis.id} / {pole}: unknown frame {target!r}")
            for ally in getattr(axis, f"{pole}_frames"):
                if ally not in known:
                    problems.append(
                        f"{axis.source}: axis {axis.id} / {pole}_frames: unknown frame {ally!r}"
                    )
        both = set(axis.left_frames) | {axis.left}
        for ally in axis.right_frames:
            if ally in both:
                problems.append(f"{axis.source}: axis {axis.id}: frame {ally!r} is on both poles")
    if problems:
        raise LexiconError(problems)
    return Lexicon(frames=tuple(frames), axes=tuple(axes), sources=tuple(sources))


def _parse(label: str, raw: bytes) -> tuple[list[Frame], list[Axis], list[str]]:
    problems: list[str] = []
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return [], [], [f"{label}: not UTF-8 text (byte {exc.start})"]
    except tomllib.TOMLDecodeError as exc:
        return [], [], [f"{label}: invalid TOML: {exc}"]

    for key in sorted(set(data) - _TOP_KEYS):
        problems.append(f"{label}: unknown top-level key {key!r} (allowed: meta, frames, axes)")
    raw_frames = data.get("frames", [])
    if not isinstance(raw_frames, list) or not all(isinstance(f, dict) for f in raw_frames):
        problems.append(f"{label}: 'frames' must be an array of tables ([[frames]])")
        raw_frames = []
    if not raw_frames:
        problems.append(f"{label}: no frames defined (add [[frames]] tables)")

    frames: list[Frame] = []
    seen: set[str] = set()
    for index, raw_frame in enumerate(raw_frames):
        frame, frame_problems = _parse_frame(label, index, raw_frame)
        problems.extend(frame_problems)
        if frame is None:
            continue
        if frame.id in seen:
            problems.append(f"{label}: frame {frame.id}: duplicate frame id")
            continue
        seen.add(frame.id)
        frames.append(frame)

    axes: list[Axis] = []
    raw_axes = data.get("axes", [])
    if not isinstance(raw_axes, list) or not all(isinstance(a, dict) for a in raw_axes):
        problems.append(f"{label}: 'axes' must be an array of tables ([[axes]])")
        raw_axes = []
    for index, raw_axis in enumerate(raw_axes):
        axis, axis_problems = _parse_axis(label, index, raw_axis)
        problems.extend(axis_problems)
        if axis is not None:
            axes.append(axis)
    return frames, axes, problems


def _text_field(raw: dict, key: str, where: str, problems: list[str], required: bool) -> str:
    value = raw.get(key)
    if value is None:
        if required:
            problems.append(f"{where}: missing '{key}'")
        return ""
    if not isinstance(value, str):
        problems.append(f"{where}: '{key}' must be a string, got {type(value).__name__}")
        return ""
    return value.strip()


def _parse_frame(label: str, index: int, raw: dict) -> tuple[Frame | None, list[str]]:
    problems: list[str] = []
    frame_id = raw.get("id")
    if not isinstance(frame_id, str) or not _ID.match(frame_id):
        problems.append(
            f"{label}: frame #{index + 1}: 'id' must be snake_case text like 'civilian_harm', "
            f"got {frame_id!r}"
        )
        return None, problems
    where = f"{label}: frame {frame_id}"
    for key in sorted(set(raw) - _FRAME_KEYS):
        problems.append(f"{where}: unknown key {key!r} (allowed: {', '.join(sorted(_FRAME_KEYS))})")
    frame_label = _text_field(raw, "label", where, problems, required=False) or frame_id
    description = _text_field(raw, "description", where, problems, required=False)

    terms: list[Term] = []
    raw_terms = raw.get("terms", {})
    if not isinstance(raw_terms, dict):
        problems.append(f"{where}: 'terms' must be a table of \"term\" = weight")
        raw_terms = {}
    terms.extend(_parse_terms(where, raw_terms, "en", problems))

    exemplars: list[str] = []
    raw_exemplars = raw.get("exemplars", [])
    if not isinstance(raw_exemplars, list):
        problems.append(f"{where}: 'exemplars' must be an array of sentences")
        raw_exemplars = []
    for number, sentence in enumerate(raw_exemplars, start=1):
        if not isinstance(sentence, str) or not sentence.strip():
            problems.append(f"{where} / exemplar #{number}: must be a non-empty string")
        else:
            exemplars.append(sentence.strip())

    if not terms and not exemplars and not any(p.startswith(where) for p in problems):
        problems.append(f"{where}: has no terms and no exemplars (needs at least one of them)")
    frame = Frame(
        id=frame_id,
        label=frame_label,
        description=description,
        terms=tuple(terms),
        exemplars=tuple(exemplars),
        source=label,
    )
    return frame, problems


def _parse_terms(where: str, raw_terms: dict, lang: str, problems: list[str]) -> list[Term]:
    """The terms of one table: English ``[frames.terms]``, which may hold one table per other
    language (``[frames.terms.ru]``, ``[frames.terms.uk]``), matched with that language's
    morphology."""
    from framing import lang as languages

    terms: list[Term] = []
    seen_keys: dict[tuple[str, ...], str] = {}
    for text, weight in raw_terms.items():
        if isinstance(weight, dict) and lang == "en":
            if text in languages.LANGS and text != "en":
                terms.extend(_parse_terms(f"{where} / {text}", weight, text, problems))
            else:
                others = " or ".join(code for code in languages.LANGS if code != "en")
                problems.append(
                    f"{where} / term {text!r}: weight must be a number in (0, 1], got a table "
                    f"(a table of terms in another language is named {others})"
                )
            continue
        # repr, not the raw text: a term holding a line break must not split the
        # one-line-per-problem report
        term_where = f"{where} / term {text!r}"
        if not text.strip():
            problems.append(f"{term_where}: empty term")
            continue
        key = term_key(text) if lang == "en" else languages.term_key(text, lang)
        if not key:
            problems.append(f"{term_where}: has no word characters")
            continue
        if isinstance(weight, bool) or not isinstance(weight, (int, float)):
            problems.append(f"{term_where}: weight must be a number in (0, 1], got {weight!r}")
            continue
        if math.isnan(weight) or not 0 < weight <= 1:
            problems.append(f"{term_where}: weight must be a number in (0, 1], got {weight!r}")
            continue
        if key in seen_keys:
            problems.append(f"{term_where}: same as term {seen_keys[key]!r} after normalisation")
            continue
        seen_keys[key] = text
        terms.append(Term(text=text.strip(), weight=float(weight), key=key, lang=lang))
    return terms


def _parse_axis(label: str, index: int, raw: dict) -> tuple[Axis | None, list[str]]:
    problems: list[str] = []
    axis_id = raw.get("id")
    if not isinstance(axis_id, str) or not _ID.match(axis_id):
        problems.append(
            f"{label}: axis #{index + 1}: 'id' must be snake_case text, got {axis_id!r}"
        )
        return None, problems
    where = f"{label}: axis {axis_id}"
    for key in sorted(set(raw) - _AXIS_KEYS):
        problems.append(f"{where}: unknown key {key!r} (allowed: {', '.join(sorted(_AXIS_KEYS))})")
    left = _text_field(raw, "left", where, problems, required=True)
    right = _text_field(raw, "right", where, problems, required=True)
    if left and left == right:
        problems.append(f"{where}: 'left' and 'right' are the same frame {left!r}")
    pairs = _parse_pairs(raw.get("pairs", []), where, problems)
    allies = {p: _parse_frame_list(raw, f"{p}_frames", where, problems) for p in ("left", "right")}
    axis = Axis(
        id=axis_id,
        label=_text_field(raw, "label", where, problems, required=False) or axis_id,
        left=left,
        right=right,
        description=_text_field(raw, "description", where, problems, required=False),
        source=label,
        pairs=tuple(pairs),
        left_frames=allies["left"],
        right_frames=allies["right"],
    )
    return axis, problems


def _parse_frame_list(raw: dict, key: str, where: str, problems: list[str]) -> tuple[str, ...]:
    """An optional array of frame ids (``left_frames``/``right_frames``); checked later
    against the frames of every file loaded together."""
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        problems.append(f"{where}: {key!r} must be an array of frame ids, got {value!r}")
        return ()
    if len(set(value)) != len(value):
        problems.append(f"{where}: {key!r} lists a frame twice")
    return tuple(dict.fromkeys(value))


def _parse_pairs(raw_pairs, where: str, problems: list[str]) -> list[tuple[str, str]]:
    """[[axes.pairs]] tables, each a 'left' and a 'right' sentence about the same event."""
    if not isinstance(raw_pairs, list) or not all(isinstance(p, dict) for p in raw_pairs):
        problems.append(
            f"{where}: 'pairs' must be an array of tables ([[axes.pairs]] with left and right)"
        )
        return []
    pairs: list[tuple[str, str]] = []
    for number, raw_pair in enumerate(raw_pairs, start=1):
        pair_where = f"{where} / pair #{number}"
        for key in sorted(set(raw_pair) - _PAIR_KEYS):
            problems.append(f"{pair_where}: unknown key {key!r} (allowed: left, right)")
        left = _text_field(raw_pair, "left", pair_where, problems, required=True)
        right = _text_field(raw_pair, "right", pair_where, problems, required=True)
        if "left" in raw_pair and "right" in raw_pair and (not left or not right):
            problems.append(f"{pair_where}: 'left' and 'right' must be non-empty sentences")
        elif left and left == right:
            problems.append(f"{pair_where}: 'left' and 'right' are the same sentence")
        elif left and right:
            pairs.append((left, right))
    return pairs
