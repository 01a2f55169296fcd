"""The actors registry: canonical actors with aliases and a side, loaded from TOML.

A registry file (``lexicons/actors.toml`` is the built-in one) holds::

    [meta]
    sides = ["russia", "ukraine", "west", "other"]   # the allowed sides ("unknown" always is)

    [sides]            # words in a speaker's title or phrase that place an unlisted speaker
    russia = ["Russian", "Kremlin", ...]

    [roles]            # head nouns of collective speakers with a side of their own
    other = ["experts", "analysts", ...]

    [[actors]]
    name = "Vladimir Putin"
    side = "russia"
    kind = "person"    # person | organisation | place | media | group
    aliases = ["Putin", "Путин"]
    roles = ["Russian President",                        # an office this actor stands for
             { office = "Russian Defence Minister", from = 2012-11-06, until = 2024-05-14 }]

A role with dates is held from ``from`` up to the day before ``until`` (either may be left
out). Two actors may share an office only with terms that do not overlap; the holder on a
document's date answers for the office (``ActorRegistry.holder``).

Every problem in a file is collected and reported together, one per line, as
``file: actor NAME / alias 'X': what is wrong`` (the form of ``framing.lexicon``).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache
from pathlib import Path

from framing.errors import FramingError
from framing.slavic import has_cyrillic

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = [
    "Actor",
    "ActorRegistry",
    "Role",
    "ActorsError",
    "load_actors",
    "name_key",
    "UNKNOWN",
    "KINDS",
]

UNKNOWN = "unknown"
KINDS = ("person", "organisation", "place", "media", "group")
_SIDE = re.compile(r"^[a-z][a-z0-9_]*$")
_TOP_KEYS = {"meta", "sides", "roles", "actors"}
_META_KEYS = {"name", "description", "version", "sides"}
_ACTOR_KEYS = {"name", "side", "kind", "aliases", "roles", "description"}
_WORD = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W_]+(?:['’\-][^\W_]+)*")


class ActorsError(FramingError):
    """An actors file failed validation; ``problems`` holds one line per problem."""

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


def name_key(text: str) -> tuple[str, ...]:
    """The lookup form of a name or phrase: lower-case words, no dots, no possessive 's,
    no leading article ("the Kremlin's" and "Kremlin" give the same key)."""
    words = []
    for match in _WORD.finditer(text):
        word = match.group().lower().replace("’", "'").replace(".", "")
        if word.endswith("'s"):
            word = word[:-2]
        elif word.endswith("'"):
            word = word[:-1]
        if word:
            words.append(word)
    while words and words[0] in ("the", "a", "an"):
        words.pop(0)
    return tuple(words)


@dataclass(frozen=True)
class Role:
    """An office an actor holds ("Kremlin spokesman"), from ``start`` up to the day before
    ``end`` (None: no bound)."""

    office: str
    start: date | None = None
    end: date | None = None

    def holds(self, on: date) -> bool:
        """Whether the office is this actor's on a date."""
        return (self.start is None or self.start <= on) and (self.end is None or on < self.end)

    def overlaps(self, other: Role) -> bool:
        """Whether two terms of office share a day."""
        lo = max(self.start or date.min, other.start or date.min)
        hi = min(self.end or date.max, other.end or date.max)
        return lo < hi


@dataclass(frozen=True)
class Actor:
    """A canonical actor: ``name`` is how it appears in records."""

    name: str
    side: str
    kind: str = "person"
    aliases: tuple[str, ...] = ()
    roles: tuple[Role, ...] = ()  # offices that stand for this actor ("Kremlin spokesman")

    def __post_init__(self) -> None:
        # an office given as a bare string has no dates
        roles = tuple(r if isinstance(r, Role) else Role(str(r)) for r in self.roles)
        object.__setattr__(self, "roles", roles)


@dataclass(frozen=True)
class ActorRegistry:
    """Actors and the words that give a side, with lookups by name key."""

    actors: tuple[Actor, ...] = ()
    side_words: dict[tuple[str, ...], str] = field(default_factory=dict)
    role_sides: dict[str, str] = field(default_factory=dict)
    sides: tuple[str, ...] = ()
    source: str = ""
    _index: dict[tuple[str, ...], Actor] = field(default_factory=dict, repr=False, compare=False)
    _roles: dict[tuple[str, ...], list[tuple[Role, Actor]]] = field(
        default_factory=dict, repr=False, compare=False
    )
    # what attribution builds from the registry once (its word classes), kept with it
    derived: dict[str, object] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[tuple[str, ...], Actor] = {}
        roles: dict[tuple[str, ...], list[tuple[Role, Actor]]] = {}
        for actor in self.actors:
            for text in (actor.name, *actor.aliases):
                index.setdefault(name_key(text), actor)
            for role in actor.roles:
                roles.setdefault(_role_key(role.office), []).append((role, actor))
        index.pop((), None)
        roles.pop((), None)
        object.__setattr__(self, "_index", index)
        object.__setattr__(self, "_roles", roles)

    def __getstate__(self) -> dict:
        # What attribution derived from the registry (its word classes) and lazily computed
        # lookups are left out, so a registry pickles (and a Dask scorer spec keys) the same
        # before and after it has attributed anything.
        lazy = {n for n, v in vars(type(self)).items() if isinstance(v, cached_property)}
        state = {k: v for k, v in self.__dict__.items() if k not in lazy}
        state["derived"] = {}
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)

    @cached_property
    def cyrillic(self) -> _CyrillicIndex:
        """Russian and Ukrainian case forms of the registry's words, and its names, offices
        and side words keyed in the nominative: built on the first Cyrillic lookup."""
        return _CyrillicIndex(self)

    def holder(self, key: tuple[str, ...], on: date | None = None) -> Actor | None:
        """The actor a registry role names ("kremlin spokesman" -> Dmitry Peskov), if any:
        on a date, the one whose term holds it; without a date, the one actor the office
        ever names. An office that changed hands, read without a date, names nobody: the
        role stays the speaker rather than a guess at which holder it was. A Russian or
        Ukrainian office matches in any case ("пресс-секретаря Кремля")."""
        terms = self._roles.get(key, ())
        if not terms and key and not key[0].isascii() and has_cyrillic(key[0]):
            terms = self.cyrillic.find(self.cyrillic.roles, key) or ()
        if on is not None:
            terms = [(r, a) for r, a in terms if r.holds(on)]
        holders = {a.name: a for _, a in terms}
        return next(iter(holders.values())) if len(holders) == 1 else None

    @property
    def max_alias_words(self) -> int:
        return max((len(k) for k in (*self._index, *self.side_words)), default=1)

    def lookup(self, key: tuple[str, ...]) -> Actor | None:
        """The actor whose name or alias has this key (see ``name_key``), if any. A
        Russian or Ukrainian name matches in any case ("Лаврова", "Кулеби", "Сергея
        Лаврова") through its aliases' generated case forms."""
        found = self._index.get(key)
        if found is None and key and not key[-1].isascii() and has_cyrillic(key[-1]):
            return self.cyrillic.find(self.cyrillic.index, key)
        return found

    def find(self, phrase: str) -> Actor | None:
        """The actor a phrase names exactly ("the Pentagon", "Zelensky"), if any."""
        return self.lookup(name_key(phrase))

    def side_word(self, key: tuple[str, ...]) -> str | None:
        """The side a nationality or affiliation word gives ("Russian" -> russia), if any
        (a Russian or Ukrainian one in any case: "России", "українських")."""
        found = self.side_words.get(key)
        if found is None and key and not key[-1].isascii() and has_cyrillic(key[-1]):
            return self.cyrillic.find(self.cyrillic.sides, key)
        return found

    def role_side(self, noun: str) -> str | None:
        """The side of a bare collective role ("experts" -> other), if the registry says."""
        return self.role_sides.get(noun.lower())


class _CyrillicIndex:
    """A registry's Cyrillic names, offices and side words, keyed in the nominative."""

    def __init__(self, registry: ActorRegistry):
        from framing.slavic import OFFICE_WORDS, TITLE_WORDS, Inflections

        names: set[str] = set(TITLE_WORDS)  # "пресс-секретаря" is "пресс-секретарь"
        adjectives: set[str] = set(OFFICE_WORDS)
        # an office's words are in whatever case its grammar wants ("министр иностранных
        # дел Украины"): never nominatives; its key is normalised word by word below
        # an institution's alias may hold a genitive ("МИД России", "Офис президента"):
        # a word of one that is a case form of another name is not a nominative
        later: list[str] = []
        for actor in registry.actors:
            for text in (actor.name, *actor.aliases):
                if has_cyrillic(text):
                    key = name_key(text)
                    if actor.kind == "person" or len(key) == 1:
                        names.update(key)
                    else:
                        later.extend(key)
        for key in registry.side_words:
            if has_cyrillic(" ".join(key)):
                adjectives.update(key)  # "российский" -> "российских"
        first = Inflections(names, adjectives)
        names.update(w for w in later if first.word(w) == w)
        self.inflections = inflections = Inflections(names, adjectives)
        self.index: dict[tuple[str, ...], Actor] = {}
        self.roles: dict[tuple[str, ...], list[tuple[Role, Actor]]] = {}
        self.sides: dict[tuple[str, ...], str] = {}
        for actor in registry.actors:
            for text in (actor.name, *actor.aliases):
                if has_cyrillic(text):
                    self.index.setdefault(inflections.key(name_key(text)), actor)
            for role in actor.roles:
                if has_cyrillic(role.office):
                    key = inflections.key(_role_key(role.office))
                    self.roles.setdefault(key, []).append((role, actor))
        for key, side in registry.side_words.items():
            if has_cyrillic(" ".join(key)):
                self.sides.setdefault(inflections.key(key), side)

    def find(self, table: dict, key: tuple[str, ...]):
        """What ``table`` holds for ``key`` read in the nominative (each reading of a form
        two nominatives share: "верховной" is Верховная's and верховный's), if anything."""
        for nominative in self.inflections.keys(key):
            found = table.get(nominative)
            if found is not None:
                return found
        return None


# --- loading --------------------------------------------------------------------------


def _builtin_path():
    from framing.lexicon import _builtin_dir

    return _builtin_dir().joinpath("actors.toml")


@lru_cache(maxsize=1)
def _builtin() -> ActorRegistry:
    path = _builtin_path()
    return parse_actors("actors (built-in)", path.read_bytes())


def load_actors(path: str | Path | None = None) -> ActorRegistry:
    """The built-in registry, or a user's registry file that replaces it."""
    if path is None or str(path) in ("actors", "builtin"):
        return _builtin()
    path = Path(path)
    if path.is_dir():
        raise FramingError(f"{path}: is a folder; give an actors .toml file")
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise FramingError(f"{path}: no such actors file") from None
    except OSError as exc:
        raise FramingError(f"{path}: cannot read actors file ({exc.strerror or exc})") from None
    return parse_actors(str(path), raw)


def parse_actors(label: str, raw: bytes) -> ActorRegistry:
    """Validate and build a registry from the bytes of a TOML file named ``label``."""
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ActorsError([f"{label}: not UTF-8 text (byte {exc.start})"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ActorsError([f"{label}: invalid TOML: {exc}"]) from None

    problems: list[str] = []
    for key in sorted(set(data) - _TOP_KEYS):
        problems.append(
            f"{label}: unknown top-level key '{key}' (allowed: {', '.join(sorted(_TOP_KEYS))})"
        )
    sides = _parse_meta(label, data.get("meta", {}), problems)
    side_words = _parse_word_lists(label, "sides", data.get("sides", {}), sides, problems)
    role_words = _parse_word_lists(label, "roles", data.get("roles", {}), sides, problems)
    side_keys = {name_key(w): s for w, s in side_words.items()}
    actors = _parse_actors(label, data.get("actors", []), sides, problems, side_keys)
    if problems:
        raise ActorsError(problems)
    return ActorRegistry(
        actors=tuple(actors),
        side_words={name_key(w): s for w, s in side_words.items()},
        role_sides={w.lower(): s for w, s in role_words.items()},
        sides=tuple(sides or sorted({a.side for a in actors} - {UNKNOWN})),
        source=label,
    )


def _parse_meta(label: str, meta: object, problems: list[str]) -> list[str]:
    if not isinstance(meta, dict):
        problems.append(f"{label}: 'meta' must be a table ([meta])")
        return []
    for key in sorted(set(meta) - _META_KEYS):
        problems.append(
            f"{label}: meta: unknown key '{key}' (allowed: {', '.join(sorted(_META_KEYS))})"
        )
    sides = meta.get("sides", [])
    if not isinstance(sides, list) or not all(isinstance(s, str) and _SIDE.match(s) for s in sides):
        problems.append(
            f"{label}: meta / sides: must be a list of snake_case side names, got {sides!r}"
        )
        return []
    return list(sides)


def _check_side(side: object, allowed: list[str], where: str, problems: list[str]) -> bool:
    if not isinstance(side, str) or not _SIDE.match(side):
        problems.append(f"{where}: side must be snake_case text like 'russia', got {side!r}")
        return False
    if allowed and side not in allowed and side != UNKNOWN:
        problems.append(
            f"{where}: unknown side '{side}' (allowed: {', '.join(allowed)}, {UNKNOWN})"
        )
        return False
    return True


def _parse_word_lists(
    label: str, section: str, table: object, allowed: list[str], problems: list[str]
) -> dict[str, str]:
    """``side = [words]`` tables ([sides], [roles]) -> {word: side}."""
    if not isinstance(table, dict):
        problems.append(f"{label}: '{section}' must be a table of side = [words]")
        return {}
    words: dict[str, str] = {}
    seen: dict[tuple[str, ...], str] = {}
    for side, items in table.items():
        where = f"{label}: {section} {side}"
        if not _check_side(side, allowed, where, problems):
            continue
        if not isinstance(items, list):
            problems.append(f"{where}: must be a list of words, got {type(items).__name__}")
            continue
        for item in items:
            if not isinstance(item, str) or not name_key(item):
                problems.append(f"{where} / word {item!r}: must be a non-empty word")
                continue
            key = name_key(item)
            if key in seen and seen[key] != side:
                problems.append(f"{where} / word '{item}': also listed under '{seen[key]}'")
                continue
            seen[key] = side
            words[item.strip()] = side
    return words


def _parse_actors(
    label: str,
    raw_actors: object,
    allowed: list[str],
    problems: list[str],
    side_words: dict[tuple[str, ...], str] | None = None,
) -> list[Actor]:
    side_words = side_words or {}
    if not isinstance(raw_actors, list) or not all(isinstance(a, dict) for a in raw_actors):
        problems.append(f"{label}: 'actors' must be an array of tables ([[actors]])")
        return []
    actors: list[Actor] = []
    owner: dict[tuple[str, ...], str] = {}
    listed: dict[str, Actor] = {}
    role_terms: dict[tuple[str, ...], list[tuple[Role, str]]] = {}
    for index, raw in enumerate(raw_actors):
        actor = _parse_actor(label, index, raw, allowed, problems)
        if actor is None:
            continue
        where = f"{label}: actor {actor.name}"
        if actor.name in listed:
            first = listed[actor.name]
            sides = (
                f" with sides '{first.side}' and '{actor.side}'" if first.side != actor.side else ""
            )
            problems.append(f"{where}: listed twice{sides} (actor #{index + 1})")
            continue
        listed[actor.name] = actor
        for role in actor.roles:
            key = _role_key(role.office)
            for other, holder in role_terms.get(key, ()):
                if holder != actor.name and role.overlaps(other):
                    problems.append(
                        f"{where} / role '{role.office}': also a role of {holder} "
                        "in the same period (give each holder 'from'/'until' dates)"
                    )
                    break
            role_terms.setdefault(key, []).append((role, actor.name))
        for text in (actor.name, *actor.aliases):
            word_side = side_words.get(name_key(text))
            if word_side is not None and word_side != actor.side:
                problems.append(
                    f"{where} / alias '{text}': also a [sides] word of '{word_side}' "
                    f"(the actor's side is '{actor.side}')"
                )
        clean: list[str] = []
        for text in (actor.name, *actor.aliases):
            key = name_key(text)
            if key in owner and owner[key] != actor.name:
                what = "name" if text == actor.name else f"alias '{text}'"
                problems.append(f"{where} / {what}: also names actor {owner[key]}")
                continue
            owner[key] = actor.name
            if text != actor.name:
                clean.append(text)
        actors.append(Actor(actor.name, actor.side, actor.kind, tuple(clean), actor.roles))
    return actors


def _parse_actor(
    label: str, index: int, raw: dict, allowed: list[str], problems: list[str]
) -> Actor | None:
    name = raw.get("name")
    if not isinstance(name, str) or not name_key(name):
        problems.append(
            f"{label}: actor #{index + 1}: 'name' must be a non-empty string, got {name!r}"
        )
        return None
    name = " ".join(name.split())
    where = f"{label}: actor {name}"
    for key in sorted(set(raw) - _ACTOR_KEYS):
        problems.append(f"{where}: unknown key '{key}' (allowed: {', '.join(sorted(_ACTOR_KEYS))})")
    side = raw.get("side")
    if side is None:
        problems.append(f"{where}: missing 'side'")
        return None
    if not _check_side(side, allowed, where, problems):
        return None
    kind = raw.get("kind", "person")
    if kind not in KINDS:
        problems.append(f"{where}: kind must be one of {', '.join(KINDS)}, got {kind!r}")
    aliases = raw.get("aliases", [])
    if not isinstance(aliases, list):
        problems.append(f"{where}: 'aliases' must be a list of names")
        aliases = []
    good: list[str] = []
    for alias in aliases:
        if not isinstance(alias, str):
            problems.append(f"{where} / alias {alias!r}: must be a string")
        elif not name_key(alias):
            problems.append(f"{where} / alias '{alias}': empty alias")
        else:
            good.append(" ".join(alias.split()))
    roles = raw.get("roles", [])
    if not isinstance(roles, list):
        problems.append(f"{where}: 'roles' must be a list of offices")
        roles = []
    good_roles: list[Role] = []
    for role in roles:
        parsed = _parse_role(role, where, problems)
        if parsed is not None:
            good_roles.append(parsed)
    return Actor(
        name=name,
        side=side,
        kind=kind if kind in KINDS else "person",
        aliases=tuple(good),
        roles=tuple(good_roles),
    )


_ROLE_KEYS = {"office", "from", "until"}


def _parse_role(raw: object, where: str, problems: list[str]) -> Role | None:
    """An office: a string, or a table {office, from, until} with TOML or ISO dates."""
    if isinstance(raw, str):
        raw = {"office": raw}
    if not isinstance(raw, dict):
        problems.append(f"{where} / role {raw!r}: must be an office or {{office, from, until}}")
        return None
    office = raw.get("office")
    if not isinstance(office, str) or not _role_key(office):
        problems.append(f"{where} / role {raw!r}: must name a non-empty office")
        return None
    office = " ".join(office.split())
    for key in sorted(set(raw) - _ROLE_KEYS):
        problems.append(f"{where} / role '{office}': unknown key '{key}' (allowed: from, until)")
    bounds: list[date | None] = []
    for key in ("from", "until"):
        value = raw.get(key)
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value)
            except ValueError:
                pass
        if value is not None and (not isinstance(value, date) or hasattr(value, "hour")):
            problems.append(f"{where} / role '{office}': '{key}' must be a date (YYYY-MM-DD)")
            value = None
        bounds.append(value)
    start, end = bounds
    if start is not None and end is not None and end <= start:
        problems.append(f"{where} / role '{office}': 'until' must come after 'from'")
        return None
    return Role(office, start, end)


def _role_key(role: str) -> tuple[str, ...]:
    """The key of an office, as of a name ("the Kremlin spokesman" -> kremlin spokesman)."""
    return name_key(role)
