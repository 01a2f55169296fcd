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

Every problem in a file is collected and reported together, one per line, as
``file: actor NAME / alias 'X': what is wrong`` (the form of ``framing.lexicon``).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import NamedTuple

from framing.errors import FramingError
from framing.text import ABBREVIATIONS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = [
    "Actor",
    "ActorRegistry",
    "ActorsError",
    "load_actors",
    "name_key",
    "Speaker",
    "SpeakerContext",
    "WordClasses",
    "resolve_speaker",
    "words",
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
class Actor:
    """A canonical actor: ``name`` is how it appears in records."""

    name: str
    side: str
    kind: str = "person"
    aliases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()  # offices that stand for this actor ("Kremlin spokesman")


@dataclass(frozen=True)
class ActorRegistry:
    """Actors and the words that give a side, with lookups by name key."""

    actors: tuple[Actor, ...] = ()
    side_words: dict[tuple[str, ...], str] = field(default_factory=dict)
    role_sides: dict[str, str] = field(default_factory=dict)
    sides: tuple[str, ...] = ()
    source: str = ""
    _index: dict[tuple[str, ...], Actor] = field(default_factory=dict, repr=False, compare=False)
    _roles: dict[tuple[str, ...], Actor] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[tuple[str, ...], Actor] = {}
        roles: dict[tuple[str, ...], Actor] = {}
        for actor in self.actors:
            for text in (actor.name, *actor.aliases):
                index.setdefault(name_key(text), actor)
            for role in actor.roles:
                roles.setdefault(_role_key(role), actor)
        index.pop((), None)
        roles.pop((), None)
        object.__setattr__(self, "_index", index)
        object.__setattr__(self, "_roles", roles)

    def __getstate__(self) -> dict:
        # Lazily computed lookups are left out, so a registry pickles (and a Dask scorer
        # spec keys) the same before and after it has attributed anything.
        lazy = {n for n, v in vars(type(self)).items() if isinstance(v, cached_property)}
        return {k: v for k, v in self.__dict__.items() if k not in lazy}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)

    def holder(self, key: tuple[str, ...]) -> Actor | None:
        """The actor a registry role names ("kremlin spokesman" -> Dmitry Peskov), if any."""
        return self._roles.get(key)

    @property
    def max_alias_words(self) -> int:
        return max((len(k) for k in (*self._index, *self.side_words)), default=1)

    @cached_property
    def word_classes(self) -> WordClasses:
        """The registry's word classes, built once: attribution needs them for every document."""
        return WordClasses(self)

    def lookup(self, key: tuple[str, ...]) -> Actor | None:
        """The actor whose name or alias has this key (see ``name_key``), if any."""
        return self._index.get(key)

    def find(self, phrase: str) -> Actor | None:
        """The actor a phrase names exactly ("the Pentagon", "Zelensky"), if any."""
        return self._index.get(name_key(phrase))

    def side_word(self, key: tuple[str, ...]) -> str | None:
        """The side a nationality or affiliation word gives ("Russian" -> russia), if any."""
        return self.side_words.get(key)

    def role_side(self, noun: str) -> str | None:
        """The side of a bare collective role ("experts" -> other), if the registry says."""
        return self.role_sides.get(noun.lower())


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
    role_owner: dict[tuple[str, ...], str] = {}
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
            key = _role_key(role)
            if key in role_owner and role_owner[key] != actor.name:
                problems.append(f"{where} / role '{role}': also a role of {role_owner[key]}")
            role_owner[key] = actor.name
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
    good_roles: list[str] = []
    for role in roles:
        if not isinstance(role, str) or not _role_key(role):
            problems.append(f"{where} / role {role!r}: must be a non-empty office")
        else:
            good_roles.append(" ".join(role.split()))
    return Actor(
        name=name,
        side=side,
        kind=kind if kind in KINDS else "person",
        aliases=tuple(good),
        roles=tuple(good_roles),
    )


def _role_key(role: str) -> tuple[str, ...]:
    """The key of an office, as of a name ("the Kremlin spokesman" -> kremlin spokesman)."""
    return name_key(role)


# --- naming: which actor a phrase of a text names -------------------------------------
#
# Speaker phrases are read off word tokens: a title and a name ("Ukrainian Foreign
# Minister Dmytro Kuleba"), a collective ("US defense officials"), a registry actor
# ("the Pentagon"), or a pronoun. ``resolve_speaker`` turns one into a ``Speaker`` with
# a canonical name and a side; ``SpeakerContext`` remembers, per document, the full
# names behind surnames and the last speakers (for "he said").

PRONOUN_PARAGRAPHS = 2  # "he said" resolves to a speaker at most this many paragraphs back

TIME_WORDS = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday week weekend month year night
    morning afternoon evening day""".split()
)
MONTHS = frozenset(
    "january february march april may june july august september october november december".split()
)


# Words that never start or form a name even when capitalised (sentence starts, headings).
FUNCTION_WORDS = frozenset(
    """the a an this that these those it its he she they we i you his her their our my your
    in on at to for from by with of as and or but yet so if when while after before since
    because although though however nevertheless meanwhile still also then now not no nor
    there here what which who whom whose where how why all some many most more much several
    few other others another each every both either neither such even only just last next
    first according despite during over under into onto about against between among without
    within until unlike like whether instead today yesterday tomorrow earlier later again
    once already thus hence moreover furthermore indeed perhaps maybe yes asked speaking
    amid following ahead across around near through throughout toward towards upon via
    picture photo photos image video reporting editing writing additional""".split()
)
# Number words: a sentence may open with one ("Sixty one years ago, ..."); never a name.
NUMBER_WORDS = frozenset(
    """one two three four five six seven eight nine ten eleven twelve thirteen fourteen
    fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy
    eighty ninety hundred hundreds thousand thousands million millions billion billions
    dozen dozens""".split()
)
PRONOUNS = {"he": "person", "she": "person", "they": "group", "it": "organisation"}
DETERMINERS = frozenset(
    """the a an some many several most other both few numerous various multiple one two
    three four five six seven eight nine ten dozens hundreds""".split()
)


# Titles: words of a person's office or rank; they precede a name and may head a phrase.
TITLES = frozenset(
    """president vice prime minister ministers secretary general generals major lieutenant lt
    colonel col admiral adm gen maj capt captain sergeant sgt cpl commander chief chairman
    chairwoman chair head deputy spokesman spokeswoman spokesperson ambassador envoy senator sen
    rep representative congressman congresswoman governor gov mayor chancellor king queen
    prince princess pope patriarch mr mrs ms dr prof professor director adviser advisor aide
    negotiator leader speaker secretary-general commander-in-chief attorney justice lawmaker mp
    ceo founder commissioner delegate officer official premier dictator strongman emperor
    sheikh foreign-minister defense-minister pollster strategist consultant economist lawyer
    editor columnist host anchor correspondent historian manager alderman councilman
    councilwoman supervisor sheriff judge treasurer organizer scientist whip""".split()
)


# Heads of collective speakers.
ROLES = frozenset(
    """officials sources source experts expert analysts analyst observers observer government
    governments ministry authorities authority military army spokesman spokeswoman spokesperson
    watchdog diplomats diplomat lawmakers politicians politician leaders leadership commanders
    administration office agency agencies council parliament delegation negotiators prosecutors
    prosecutor investigators police intelligence command headquarters embassy mission soldiers
    troops fighters witnesses residents activists critics supporters allies envoys
    representatives presidency cabinet scholars researchers researcher academics
    historians economists commentators monitors media press journalists reporters service
    services department staff forces navy officers regime court tribunal inspectors team officers
    group groups organisation organization committee television tv broadcaster broadcasters
    channel newspaper newspapers outlet outlets radio""".split()
)


# Lower-case words allowed inside a speaker phrase before its head.
MODIFIERS = frozenset(
    """defense defence foreign military intelligence security senior top former independent
    local regional state government health emergency border presidential diplomatic
    congressional naval air interior economic political civilian public federal national
    unnamed anonymous administration ministry press deputy acting chief general joint armed
    high-ranking high ranking occupation separatist finance justice energy trade rights human
    humanitarian aid think tank news wire staff retired serving current outgoing incoming
    prominent leading western eastern southern northern central allied campaign opinion
    communications executive managing legal digital russian-installed
    pro-russian pro-kremlin kremlin-backed russian-backed""".split()
)


_CONTRACTIONS = frozenset(("re", "m", "ve", "ll", "d", "t"))
LINKS = frozenset(("for", "of", "to", "at"))  # "spokesman for the Kremlin"
NAME_PARTICLES = frozenset("de da van von der den al el bin ibn la le di du dos das".split())
# Words for speaker phrases: dotted acronyms ("U.S."), words with inner apostrophes and
# hyphens ("Ukraine's", "Thomas-Greenfield"), else single punctuation marks.
_WORD_RE = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W_]+(?:['’\-][^\W_]+)*|\S")


class Word(NamedTuple):  # a tuple: a document makes ~40 of these per sentence
    text: str
    start: int
    end: int
    low: str  # lower case, straight apostrophe, no dots, possessive 's removed
    word: bool
    cap: bool
    poss: bool


@lru_cache(maxsize=65_536)
def _word_forms(t: str) -> tuple[str, bool, bool]:
    """(low, possessive, abbreviation) of one word: news reuses its words, so once each."""
    low = t.lower().replace("’", "'").replace(".", "")
    poss = low.endswith(("'s", "s'")) and len(low) > 2
    if low.endswith("'s"):
        low = low[:-2]
    elif low.endswith("'"):
        low = low[:-1]
    return low, poss, t.lower() in ABBREVIATIONS


_new_word = tuple.__new__  # Word's own __new__ is a Python lambda: ~0.3 µs a word more


def words(text: str) -> list[Word]:
    toks: list[Word] = []
    skip_to = -1
    n = len(text)
    for m in _WORD_RE.finditer(text):
        s, e = m.span()
        if s < skip_to:
            continue
        t = m.group()
        word = t[0].isalnum()
        if not word and len(t) == 1:  # one punctuation mark: half the tokens, kept cheap
            low = "" if t in ".'’" else t.lower()
            toks.append(_new_word(Word, (t, s, e, low, False, False, False)))
            continue
        low, poss, abbreviation = _word_forms(t)
        # "Gen." "Mr." keep their period: it ends the abbreviation, not the sentence; so
        # does the middle initial of "Harry M. Reid" (a capital letter, a period, a name).
        if (
            word
            and e < n
            and text[e] == "."
            and (
                abbreviation
                or e - s == 1
                and t.isupper()
                and text[e + 1 : e + 2] == " "
                and text[e + 2 : e + 3].isupper()
            )
        ):
            e += 1
            skip_to = e
        toks.append(_new_word(Word, (text[s:e], s, e, low, word, word and t[0].isupper(), poss)))
    return toks


@dataclass(frozen=True)
class Speaker:
    """A resolved speaker: its name in records, its side (None: not known) and kind."""

    name: str
    side: str | None
    kind: str = "person"


@dataclass
class SpeakerContext:
    """What the document has said so far: full names behind surnames, the last speakers."""

    registry: ActorRegistry
    surnames: dict[str, Speaker] = field(default_factory=dict)
    sides: dict[str, str] = field(default_factory=dict)  # full name -> side seen with a title
    last: dict[str, tuple[Speaker, int]] = field(
        default_factory=dict
    )  # kind -> (speaker, paragraph)

    # title words -> the one person the document named with them ("Kremlin spokesman
    # Dmitry Peskov"); None where two people share the title ("President X", "President Y")
    titles: dict[tuple[str, ...], Speaker | None] = field(default_factory=dict)

    def learn_title(self, title: Sequence[Word], speaker: Speaker) -> None:
        """Remember that the document named ``speaker`` with ``title`` (and with its last
        one and two words: "Russian Foreign Minister" -> "foreign minister", "minister")."""
        keys = tuple(t.low for t in title if t.word and t.low not in DETERMINERS)
        # "President of Ukraine" is also "the President": the office before its first link
        link = next((i for i, k in enumerate(keys) if i and k in LINKS), len(keys))
        for key in {keys, keys[-2:], keys[-1:], keys[:link], keys[max(0, link - 2) : link]}:
            if key:
                known = self.titles.get(key, speaker)
                self.titles[key] = speaker if known == speaker else None

    def titled(self, phrase: Sequence[Word]) -> Speaker | None:
        """The person a bare title stands for ("the Kremlin spokesman" after "Kremlin
        spokesman Dmitry Peskov"), if the document named exactly one."""
        keys = tuple(t.low for t in phrase if t.word and t.low not in DETERMINERS)
        return self.titles.get(keys) if keys else None

    def remember(self, speaker: Speaker, paragraph: int) -> None:
        kind = "person" if speaker.kind == "person" else "group"
        self.last[kind] = (speaker, paragraph)
        if speaker.kind != "person":
            self.last["organisation"] = (speaker, paragraph)

    def pronoun(self, word: str, paragraph: int) -> Speaker | None:
        kind = PRONOUNS[word]
        found = self.last.get(kind)
        if found and paragraph - found[1] <= PRONOUN_PARAGRAPHS:
            return found[0]
        return None


class WordClasses:
    """Word classes for one registry (registry aliases count as name words)."""

    def __init__(self, registry: ActorRegistry):
        self.registry = registry
        self.max_n = max(1, registry.max_alias_words)
        alias_words: set[str] = set()
        alias_last: set[str] = set()
        for actor in registry.actors:
            for text in (actor.name, *actor.aliases):
                key = name_key(text)
                if key:
                    alias_words.update({key[0], key[-1]})
                    alias_last.add(key[-1])
        # Registry roles ("harbour master"): their last word can end a speaker phrase and
        # their other words stand inside one.
        role_words: set[str] = set()
        role_heads: set[str] = set()
        for actor in registry.actors:
            for role in actor.roles:
                key = name_key(role)
                # "President of the Russian Federation": the office ends before "of"
                head = key.index("of") - 1 if "of" in key[1:] else len(key) - 1
                if head >= 0:
                    role_heads.add(key[head])
                    role_words.update(key[:head])
        self.role_words = frozenset(role_words - FUNCTION_WORDS)
        # capitalised in "Harbour Master Oskar Lind", still a title, never part of the name
        self.role_heads = frozenset(role_heads - FUNCTION_WORDS)
        alias_last |= self.role_heads
        # "... Ministry of Defence": the last word of an alias can end a speaker phrase.
        self.alias_last = frozenset(alias_last - FUNCTION_WORDS)
        self.roles = ROLES | {r for r in registry.role_sides if " " not in r}
        self.side_single = frozenset(k[0] for k in registry.side_words if len(k) == 1)
        # Alias words make lower-case or caseless-script words name words ("Путин" is
        # capitalised anyway; a Chinese or Arabic alias is not), never common vocabulary.
        self.alias_words = frozenset(
            w
            for w in alias_words
            if w not in FUNCTION_WORDS
            and w not in TITLES
            and w not in self.roles
            and w not in MODIFIERS
            and w not in self.side_single
        )

    def vocab(self, t: Word) -> bool:
        """A known common word (title, role, modifier, nationality): never a name."""
        low = t.low
        return (
            low in TITLES
            or low in self.role_heads
            or low in self.roles
            or low in MODIFIERS
            or low in self.side_single
            or low in FUNCTION_WORDS
            or low in TIME_WORDS
            or low in MONTHS
            or low in NUMBER_WORDS
        )

    def name_word(self, t: Word) -> bool:
        """A word that can be part of a proper name."""
        if not t.word:
            return False
        if t.low in self.alias_words:
            return True
        if "'" in t.low and t.low.rsplit("'", 1)[1] in _CONTRACTIONS:
            return False  # "They're", "I'm": a pronoun and a verb, capitalised as they open
        if not t.cap and "-" in t.text:
            # "al-Ississ", "el-Sisi", "bin-Salman": a particle joined to a capitalised name
            head, _, rest = t.text.partition("-")
            return head.lower() in NAME_PARTICLES and rest[:1].isupper()
        return t.cap and not self.vocab(t) and not t.text[0].isdigit()

    def head(self, t: Word) -> bool:
        """A word that can end a speaker phrase."""
        return t.word and (
            self.name_word(t) or t.low in self.roles or t.low in TITLES or t.low in self.alias_last
        )

    def inner(self, t: Word) -> bool:
        """A word that can stand inside a speaker phrase before its head."""
        return t.word and (
            self.head(t)
            or t.low in MODIFIERS
            or t.low in self.role_words
            or t.low in self.side_single
            or (t.cap and t.low not in FUNCTION_WORDS and not t.text[0].isdigit())
        )


def side_of(toks: Sequence[Word], lex: WordClasses) -> str | None:
    """The side named by the leftmost nationality word or registry actor in a phrase."""
    reg = lex.registry
    keys = [t.low for t in toks if t.word]
    for i in range(len(keys)):
        for n in range(min(lex.max_n, len(keys) - i), 0, -1):
            key = tuple(keys[i : i + n])
            side = reg.side_word(key)
            if side is None:
                actor = reg.lookup(key)
                side = actor.side if actor is not None else None
            if side is not None and side != UNKNOWN:
                return side
    return None


def trailing_name(toks: Sequence[Word], lex: WordClasses) -> int:
    """Index in ``toks`` where the trailing proper name begins (len(toks): no name)."""
    i = len(toks)
    while i > 0:
        t = toks[i - 1]
        if lex.name_word(t) and not (t.poss and i < len(toks)):
            i -= 1
        elif t.low in NAME_PARTICLES and i < len(toks) and i - 1 > 0 and lex.name_word(toks[i - 2]):
            i -= 1
        else:
            break
    return i


def _person_of_place(toks: Sequence[Word], keys: list[str], lex: WordClasses) -> int | None:
    """'Sen. Jeff Merkley of Oregon', 'Cameron Easley for Morning Consult': where 'of' follows a
    person's name (two name words, or one after a title), the person is the speaker, not
    the place; 'Bank of America' (one word, no title) stays whole."""
    for i in range(1, len(toks) - 1):
        if keys[i] not in ("of", "from", "for", "at"):
            continue
        if not lex.name_word(toks[i - 1]) or toks[i - 1].poss:
            return None
        before = toks[:i]
        split = trailing_name(before, lex)
        if len(before) - split >= 2 or split > 0 and before[split - 1].low in TITLES:
            return i
        return None
    return None


def resolve_speaker(
    phrase: Sequence[Word],
    lex: WordClasses,
    ctx: SpeakerContext,
    paragraph: int,
    extra: Sequence[Word] = (),
) -> Speaker | None:
    """The speaker a phrase names (``extra``: an apposition, only for its side)."""
    toks = list(phrase)
    while toks and (toks[0].low in DETERMINERS or toks[0].text[0].isdigit()) and len(toks) > 1:
        toks.pop(0)
    if not toks:
        return None
    if (
        len(toks) == 1
        and toks[0].low in PRONOUNS
        and not toks[0].cap
        or (
            len(toks) == 1
            and toks[0].low in PRONOUNS
            and toks[0].text in ("He", "She", "They", "It")
        )
    ):
        return ctx.pronoun(toks[0].low, paragraph)
    reg = lex.registry
    keys = [t.low for t in toks]
    whole = reg.lookup(tuple(keys))
    if whole is not None:
        return _known(whole, ctx)
    holder = reg.holder(tuple(keys))
    if holder is not None:
        # a registry role ("the Russian President"), unless the document itself named
        # someone with that office
        return ctx.titled(toks) or _known(holder, ctx)
    person_of = _person_of_place(toks, keys, lex)
    if person_of is not None:
        return resolve_speaker(toks[:person_of], lex, ctx, paragraph, extra)
    split = trailing_name(toks, lex)
    name, title = toks[split:], toks[:split]
    # "a spokesman for the Kremlin" is the spokesman, not the Kremlin; but in "Secretary
    # of State Antony Blinken" the name follows the whole title and is the speaker.
    link = next(
        (
            i
            for i in range(1, len(toks))
            if keys[i] in LINKS and (keys[i - 1] in TITLES or keys[i - 1] in lex.roles)
        ),
        None,
    )
    name_is_object = bool(title) and (
        title[-1].low in LINKS
        or title[-1].low == "the"
        and len(title) > 1
        and title[-2].low in LINKS
    )
    if name and (link is None or not name_is_object):
        # "the European Commission": a registry alias may reach back into the title words.
        for n in range(min(lex.max_n, len(keys)), len(name), -1):
            actor = reg.lookup(tuple(keys[-n:]))
            if actor is not None:
                return _known(actor, ctx)
        return person(name, title, extra, lex, ctx)
    linked = link is not None
    if not linked:
        # An organisation, place or group named by a registry alias ending the phrase.
        for n in range(min(lex.max_n, len(keys)), 0, -1):
            actor = reg.lookup(tuple(keys[-n:]))
            if actor is not None:
                if toks[-1].low in lex.roles:
                    break  # "Kremlin officials": a group of the actor, not the actor
                return _known(actor, ctx)
    head = toks[-1]
    if head.low in lex.roles or head.low in TITLES or linked:
        named = ctx.titled(toks)
        if named is not None:
            return named  # "the Kremlin spokesman" after "Kremlin spokesman Dmitry Peskov"
        text = " ".join(t.text for t in toks)
        side = side_of(toks, lex) or side_of(extra, lex)
        if side is None:
            last_two = " ".join(t.low for t in toks[-2:])
            side = reg.role_side(last_two) or reg.role_side(head.low)
        return Speaker(text, side, "group")
    return None


@lru_cache(maxsize=4096)
def _role_words(role: str) -> tuple[Word, ...]:
    return tuple(words(role))


def _known(actor: Actor, ctx: SpeakerContext) -> Speaker:
    """A registry actor as a speaker; a person's surname now names them in this document
    too ("the UK defence secretary, Ben Wallace, said ... Wallace wrote")."""
    speaker = Speaker(actor.name, actor.side, actor.kind)
    key = name_key(actor.name) if actor.kind == "person" else ()
    if len(key) > 1:
        ctx.surnames[key[-1]] = speaker
    for role in actor.roles:
        # A Kremlin release that names "Vladimir Putin" and "President of the European
        # Council Charles Michel" has two presidents: "the President" names neither.
        ctx.learn_title(_role_words(role), speaker)
    return speaker


def person(
    name: list[Word],
    title: list[Word],
    extra: Sequence[Word],
    lex: WordClasses,
    ctx: SpeakerContext,
) -> Speaker:
    reg = lex.registry
    key = tuple(t.low for t in name)
    actor = reg.lookup(key)
    if actor is None and len(key) > 1:
        by_surname = reg.lookup(key[-1:])
        if by_surname is not None and by_surname.kind == "person":
            firsts = {
                name_key(a)[0]
                for a in (by_surname.name, *by_surname.aliases)
                if len(name_key(a)) > 1
            }
            if key[0] in firsts:
                actor = by_surname
    if actor is not None:
        return _known(actor, ctx)
    if len(key) == 1 and key[0] in ctx.surnames:
        known = ctx.surnames[key[0]]
        side = known.side or side_of(title, lex) or side_of(extra, lex)
        return Speaker(known.name, side, known.kind)
    text = " ".join(t.text.rstrip("'’s") if t.poss else t.text for t in name)
    side = side_of(title, lex) or side_of(extra, lex) or ctx.sides.get(text)
    speaker = Speaker(text, side, "person")
    if len(key) > 1:
        ctx.surnames[key[-1]] = speaker
        if side:
            ctx.sides[text] = side
    return speaker


def phrase_left(toks: list[Word], j: int, lo: int, lex: WordClasses) -> tuple[int, int] | None:
    """(first, last) token indices of the speaker phrase ending at ``j``, if one does."""
    if j < lo or not toks[j].word:
        return None
    t = toks[j]
    if t.low in PRONOUNS and (not t.cap or t.text in ("He", "She", "They", "It")):
        return j, j
    if not lex.head(t) or t.poss:
        return None
    i = j
    while i - 1 >= lo:
        p = toks[i - 1]
        if not p.word:
            break
        if (
            p.low in ("of", "for", "to")
            and i - 2 >= lo
            and (toks[i - 2].low in TITLES or toks[i - 2].low in lex.roles or toks[i - 2].cap)
            and (toks[i].cap or toks[i].low == "the")
        ):
            i -= 1
            continue
        if p.low == "the" and i - 2 >= lo and toks[i - 2].low in ("of", "for", "to"):
            i -= 1
            continue
        if (
            p.low in ("and", "&")
            and i - 2 >= lo
            and toks[i - 2].word
            and (toks[i].low in lex.roles and toks[i - 2].low in lex.roles)
        ):
            i -= 1
            continue
        if p.low in NAME_PARTICLES and i - 2 >= lo and lex.name_word(toks[i - 2]):
            i -= 1
            continue
        if p.low in DETERMINERS or p.text[0].isdigit():
            i -= 1
            while i - 1 >= lo and (toks[i - 1].low in DETERMINERS) and toks[i - 1].word:
                i -= 1
            break
        if p.low in FUNCTION_WORDS:
            break
        if lex.inner(p) or p.poss and (p.cap or p.low in lex.alias_words):
            i -= 1
            continue
        break
    return i, j


def phrase_right(toks: list[Word], k: int, hi: int, lex: WordClasses) -> tuple[int, int] | None:
    """(first, last) of a speaker phrase starting at ``k`` (after an inverted verb)."""
    if k >= hi or not toks[k].word:
        return None
    t = toks[k]
    if t.low in PRONOUNS and (not t.cap or t.text in ("He", "She", "They", "It")):
        return k, k
    i = k
    while i < hi and toks[i].word and toks[i].low in DETERMINERS:
        i += 1
    last = None
    while i < hi and toks[i].word:
        w = toks[i]
        if lex.head(w) and not w.poss:
            last = i
        elif (
            w.low in ("of", "for", "to")
            and last is not None
            and i + 1 < hi
            and (toks[i + 1].cap or toks[i + 1].low == "the")
            and (toks[last].low in TITLES or toks[last].low in lex.roles or toks[last].cap)
        ):
            pass
        elif w.low == "the" and i > k and toks[i - 1].low in ("of", "for", "to"):
            pass
        elif (
            w.low in ("and", "&")
            and last is not None
            and toks[last].low in lex.roles
            and i + 1 < hi
            and toks[i + 1].low in lex.roles
        ):
            pass
        elif (
            w.low in NAME_PARTICLES
            and last is not None
            and i + 1 < hi
            and lex.name_word(toks[i + 1])
        ):
            pass
        elif lex.inner(w) or w.poss:
            pass
        else:
            break
        i += 1
    if last is None:
        return None
    return k, last


def apposition_right(toks: list[Word], last: int, hi: int) -> tuple[int, int] | None:
    """ ", the Kremlin spokesman," after a speaker phrase: (first, last) of its words."""
    if last + 1 >= hi or toks[last + 1].text != ",":
        return None
    j = last + 2
    start = j
    while j < hi and toks[j].word and j - start < 10:
        j += 1
    if j == start or j >= hi and j - start > 8:
        return None
    if (
        toks[start].low not in ("the", "a", "an", "who", "its", "his", "her", "their")
        and not toks[start].cap
    ):
        return None
    return start, j - 1


def person_in(toks: Sequence[Word], lex: WordClasses) -> bool:
    words = [t for t in toks if t.word]
    return len(words) >= 2 and trailing_name(words, lex) <= len(words) - 2
