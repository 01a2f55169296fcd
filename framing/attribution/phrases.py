"""The phrase grammar: which actor a phrase of a text names.

Speaker phrases are read off word tokens: a title and a name ("Ukrainian Foreign
Minister Dmytro Kuleba"), a collective ("US defense officials"), a registry actor
("the Pentagon"), or a pronoun. ``resolve_speaker`` turns one into a ``Speaker`` with
a canonical name and a side; ``SpeakerContext`` remembers, per document, the full
names behind surnames and the last speakers (for "he said"), and the document's date
(which holder an office that changed hands names). The registry itself (actors,
aliases, sides, dated offices) is ``framing.actors``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from framing import slavic
from framing.actors import UNKNOWN, Actor, ActorRegistry, name_key
from framing.slavic import case_forms, has_cyrillic
from framing.text import ABBREVIATIONS

__all__ = [
    "Speaker",
    "SpeakerContext",
    "Word",
    "WordClasses",
    "word_classes",
    "resolve_speaker",
    "phrase_left",
    "phrase_right",
    "words",
]

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
) | frozenset(slavic.FUNCTION_WORDS)
# Number words: a sentence may open with one ("Sixty one years ago, ..."); never a name.
NUMBER_WORDS = frozenset(
    """one two three four five six seven eight nine ten eleven twelve thirteen fourteen
    fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy
    eighty ninety hundred hundreds thousand thousands million millions billion billions
    dozen dozens""".split()
)
PRONOUNS = {"he": "person", "she": "person", "they": "group", "it": "organisation"}
PRONOUNS.update(slavic.PRONOUNS)
# Subject pronouns that, capitalised, open a sentence ("He said", "Он заявил") rather than
# name someone
CAP_PRONOUNS = frozenset(("He", "She", "They", "It")) | {p.capitalize() for p in slavic.PRONOUNS}
DETERMINERS = frozenset(
    """the a an some many several most other both few numerous various multiple one two
    three four five six seven eight nine ten dozens hundreds""".split()
)


# Titles: words of a person's office or rank; they precede a name and may head a phrase.
# Occupations that are also common surnames ("Bishop", "Singer", "Pastor", "Coach") are left
# out: "Rep. Sanford Bishop" must keep his name.
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
    councilwoman supervisor sheriff judge treasurer organizer scientist whip journalist
    reporter writer novelist activist reverend rev rabbi imam actress actor comedian businessman
    businesswoman billionaire entrepreneur commentator blogger filmmaker del amb atty pres supt
    insp hon cmdr brig pvt councillor councilor""".split()
) | frozenset(f for w in slavic.TITLE_WORDS for f in case_forms(w))
# Russian and Ukrainian words of an office after or before its title ("министр
# иностранных дел", "официальный представитель"), in every case
OFFICE_WORDS = frozenset(f for w in slavic.OFFICE_WORDS for f in case_forms(w, adjective=True))


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
) | frozenset(f for w in slavic.ROLE_WORDS for f in case_forms(w))


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
# Units of a place that close an office's name: "Governor of Tula Region Alexei Dyumin",
# "head of the Sumy Oblast Military Administration Dmytro Zhyvytskyi" (the person follows)
PLACE_UNITS = frozenset(
    """region oblast province district krai republic territory county municipality
    administration council city""".split()
)
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
    date: date | None = None  # the document's date: which holder a dated office names
    surnames: dict[str, Speaker] = field(default_factory=dict)
    sides: dict[str, str] = field(default_factory=dict)  # full name -> side seen with a title
    last: dict[str, tuple[Speaker, int]] = field(
        default_factory=dict
    )  # kind -> (speaker, paragraph)
    # title words -> the one person the document named with them ("Kremlin spokesman
    # Dmitry Peskov"); None where two people share the title ("President X", "President Y")
    titles: dict[tuple[str, ...], Speaker | None] = field(default_factory=dict)
    text: str = ""  # the document's text: whether it ever names a registry actor in full
    _mentioned: dict[str, bool] = field(default_factory=dict, repr=False)
    _low: str | None = field(default=None, repr=False)

    def mentions(self, actor: Actor) -> bool:
        """Whether the document names ``actor`` with a full name ("Naftali Bennett"), not
        only a surname another person it names may bear ("Jim Bennett ... Bennett")."""
        found = self._mentioned.get(actor.name)
        if found is None:
            if self._low is None:
                self._low = self.text.lower()
            low = self._low
            found = self._mentioned[actor.name] = any(
                len(name_key(alias)) > 1 and alias.lower() in low
                for alias in (actor.name, *actor.aliases)
            )
        return found

    def learn_title(self, title: Sequence[Word], speaker: Speaker) -> None:
        """Remember that the document named ``speaker`` with ``title`` (and with its last
        one and two words: "Russian Foreign Minister" -> "foreign minister", "minister")."""
        keys = tuple(t.low for t in title if t.word and t.low not in DETERMINERS)
        if keys and has_cyrillic(keys[0]):
            # "министр иностранных дел России" is also "министр иностранных дел" and
            # "министр": the title comes first, and any case of it names the same person
            keys = self.registry.cyrillic.inflections.key(keys)
            place = next((i for i, t in enumerate(title) if i and t.cap), len(keys))
            variants = {keys, keys[:1], keys[:place]}
        else:
            # "President of Ukraine" is also "the President": the office before its link
            link = next((i for i, k in enumerate(keys) if i and k in LINKS), len(keys))
            variants = {keys, keys[-2:], keys[-1:], keys[:link], keys[max(0, link - 2) : link]}
        for key in variants:
            if key:
                known = self.titles.get(key, speaker)
                self.titles[key] = speaker if known == speaker else None

    def titled(self, phrase: Sequence[Word]) -> Speaker | None:
        """The person a bare title stands for ("the Kremlin spokesman" after "Kremlin
        spokesman Dmitry Peskov"), if the document named exactly one."""
        keys = tuple(t.low for t in phrase if t.word and t.low not in DETERMINERS)
        if keys and has_cyrillic(keys[0]):
            keys = self.registry.cyrillic.inflections.key(keys)
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
    """Word classes for one registry (registry aliases count as name words); with
    ``cyrillic``, for a text with Cyrillic letters (Russian and Ukrainian aliases, offices
    and side words in all their case forms)."""

    def __init__(self, registry: ActorRegistry, cyrillic: bool = True):
        self.registry = registry
        self.max_n = max(1, registry.max_alias_words)
        alias_words: set[str] = set()
        alias_last: set[str] = set()
        # Russian and Ukrainian names, places and offices decline: their words count in
        # every case ("Кремля", "Лаврова", "пресс-секретаря"); an institution's or a
        # place's words and a side word ("МИД", "Кремля", "России") are never a person's
        # name, so "глава МИД Сергей Лавров" splits into an office and a name.
        cyr_vocab: set[str] = set()
        for actor in registry.actors:
            for text in (actor.name, *actor.aliases):
                key = name_key(text)
                if not key:
                    continue
                if cyrillic and has_cyrillic(text):
                    first, last = case_forms(key[0]), case_forms(key[-1])
                    alias_words.update(first | last)
                    alias_last.update(last)
                    if actor.kind != "person":
                        cyr_vocab.update(f for w in key for f in case_forms(w))
                else:
                    alias_words.update({key[0], key[-1]})
                    alias_last.add(key[-1])
        # Registry roles ("harbour master"): their last word can end a speaker phrase and
        # their other words stand inside one.
        role_words: set[str] = set()
        role_heads: set[str] = set()
        for actor in registry.actors:
            for role in actor.roles:
                key = name_key(role.office)
                if has_cyrillic(role.office):
                    # "пресс-секретарь Кремля": the title comes first, its genitive after;
                    # any of its words, in any case, stands in or ends a speaker phrase
                    if cyrillic:
                        forms = {f for w in key for f in case_forms(w, True)}
                        role_words.update(forms)
                        alias_last.update(forms)
                    continue
                # "President of the Russian Federation": the office ends before "of"
                head = key.index("of") - 1 if "of" in key[1:] else len(key) - 1
                if head >= 0:
                    role_heads.add(key[head])
                    role_words.update(key[:head])
        for key in registry.side_words if cyrillic else ():
            if has_cyrillic(" ".join(key)):
                cyr_vocab.update(f for w in key for f in case_forms(w, adjective=True))
        self.cyr_vocab = frozenset(cyr_vocab | OFFICE_WORDS) if cyrillic else frozenset()
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
            and w not in self.cyr_vocab
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
            or low in self.cyr_vocab
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
            or t.low in PLACE_UNITS  # "the Kyiv region governor"
            or t.low in self.role_words
            or t.low in self.side_single
            or t.low in self.cyr_vocab
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
        if t.low in PLACE_UNITS and i < len(toks) and any(w.low in LINKS for w in toks[: i - 1]):
            break  # "Governor of Tula Region | Alexei Dyumin": the office ends at its place
        if i < len(toks) and t.text.isupper() and len(t.text) > 1 and has_cyrillic(t.text):
            break  # "глава ГУР | Кирилл Буданов": a Cyrillic acronym is an office's, not a name
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
    genitive: bool = False,
) -> Speaker | None:
    """The speaker a phrase names (``extra``: an apposition, only for its side;
    ``genitive``: a Russian or Ukrainian phrase in the genitive, as after "по словам")."""
    toks = list(phrase)
    while toks and (toks[0].low in DETERMINERS or toks[0].text[0].isdigit()) and len(toks) > 1:
        toks.pop(0)
    if not toks:
        return None
    if (
        len(toks) == 1
        and toks[0].low in PRONOUNS
        and not toks[0].cap
        or (len(toks) == 1 and toks[0].low in PRONOUNS and toks[0].text in CAP_PRONOUNS)
    ):
        return ctx.pronoun(toks[0].low, paragraph)
    reg = lex.registry
    keys = [t.low for t in toks]
    if len(keys) == 1 and keys[0] in ctx.surnames and toks[0].cap:
        if _registry_actor(reg, (keys[0],), ctx) is None:
            # "William J. Bennett, a Reagan education secretary, said ... asked Bennett":
            # the person this document gave the surname to
            return person(toks, [], extra, lex, ctx, genitive)
    whole = reg.lookup(tuple(keys))
    if whole is not None:
        return _known(whole, ctx)
    holder = reg.holder(tuple(keys), ctx.date)
    if holder is not None:
        # a registry role ("the Russian President"), unless the document itself named
        # someone with that office
        return ctx.titled(toks) or _known(holder, ctx)
    person_of = _person_of_place(toks, keys, lex)
    if person_of is not None:
        return resolve_speaker(toks[:person_of], lex, ctx, paragraph, extra, genitive)
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
        return person(name, title, extra, lex, ctx, genitive)
    linked = link is not None
    # "пресс-секретарь Кремля", "міністр оборони України": a Russian or Ukrainian office
    # puts its title first and what it serves after, in the genitive; the phrase is the
    # office (a registry role answered above), not the institution at its end
    office_first = toks[0].low in TITLES and not toks[0].text.isascii()
    if not linked and not office_first:
        # An organisation, place or group named by a registry alias ending the phrase.
        for n in range(min(lex.max_n, len(keys)), 0, -1):
            actor = reg.lookup(tuple(keys[-n:]))
            if actor is not None:
                if toks[-1].low in lex.roles:
                    break  # "Kremlin officials": a group of the actor, not the actor
                return _known(actor, ctx)
    head = toks[0] if office_first else toks[-1]
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
        if ctx.date is None or role.holds(ctx.date):  # a former office names them no more
            ctx.learn_title(_role_words(role.office), speaker)
    return speaker


def _registry_actor(reg: ActorRegistry, key: tuple[str, ...], ctx: SpeakerContext) -> Actor | None:
    """The registry actor ``key`` names, unless ``key`` is one surname this document gave to
    a person of its own and the document never names the registry's bearer in full (Jim
    Bennett's "Bennett", not Naftali Bennett)."""
    actor = reg.lookup(key)
    if actor is not None and len(key) == 1 and key[0] in ctx.surnames and not ctx.mentions(actor):
        return None
    return actor


def person(
    name: list[Word],
    title: list[Word],
    extra: Sequence[Word],
    lex: WordClasses,
    ctx: SpeakerContext,
    genitive: bool = False,
) -> Speaker:
    reg = lex.registry
    key = tuple(t.low for t in name)
    actor = _registry_actor(reg, key, ctx)
    if actor is None:
        # "Billionaire Donald Trump", "Francois Hollande Says Donald Trump" (a headline's
        # capitals): a registry person's full name ending the words is that person
        tails = (reg.lookup(key[-n:]) for n in range(len(key) - 1, 1, -1))
        actor = next((a for a in tails if a is not None and a.kind == "person"), None)
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
    if genitive:
        # an unknown name after "по словам": "Сергея Иванова" is Сергей Иванов, so that he
        # is one speaker with the "Иванов" of the next paragraph (registry names already
        # match in every case)
        name = [_nominative(t) for t in name]
        key = tuple(t.low for t in name)
    if len(key) == 1 and key[0] not in ctx.surnames and not key[0].isascii():
        key = (_declined_surname(key[0], ctx),)  # "Федоров ... по словам Федорова"
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
        _learn_apposition(extra, speaker, ctx)
    return speaker


def _nominative(t: Word) -> Word:
    text = slavic.nominative_of_genitive(t.text) if t.cap else t.text
    return t if text == t.text else t._replace(text=text, low=_word_forms(text)[0])


def _declined_surname(low: str, ctx: SpeakerContext) -> str:
    """The surname the document already named that a Russian or Ukrainian word is a case
    form of ("федорова" after "Иван Федоров"), else the word as written: an unknown
    "Иванова" may be a woman's nominative as well as a man's genitive."""
    for known in ctx.surnames:
        if not known.isascii() and low in case_forms(known):
            return known
    return low


def _learn_apposition(extra: Sequence[Word], speaker: Speaker, ctx: SpeakerContext) -> None:
    """'Oleksiy Kuleshov, the governor of the Kyiv region, said': the office an
    apposition gives ("governor of the Kyiv region") names that person in this document,
    as a title before the name does."""
    office = [t for t in extra if t.word]
    while office and office[0].low in DETERMINERS:
        office.pop(0)
    cut = next((i for i, t in enumerate(office) if t.low in LINKS or t.low == "in"), len(office))
    if 0 < cut <= 4 and office[cut - 1].low in TITLES:
        ctx.learn_title(office[:cut], speaker)  # the office, not its place ("region")


def phrase_left(toks: list[Word], j: int, lo: int, lex: WordClasses) -> tuple[int, int] | None:
    """(first, last) token indices of the speaker phrase ending at ``j``, if one does."""
    if j < lo or not toks[j].word:
        return None
    t = toks[j]
    if t.low in PRONOUNS and (not t.cap or t.text in CAP_PRONOUNS):
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


def phrase_right(
    toks: list[Word], k: int, hi: int, lex: WordClasses, described: bool = False
) -> tuple[int, int] | None:
    """(first, last) of a speaker phrase starting at ``k`` (after an inverted verb);
    ``described``: right after a speech verb, where "Concord resident Whit Symms" is one
    phrase (elsewhere "Trump repeatedly accused Rafael Cruz" has the same shape)."""
    if k >= hi or not toks[k].word:
        return None
    t = toks[k]
    if t.low in PRONOUNS and (not t.cap or t.text in CAP_PRONOUNS):
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
            named = None
            if described:
                named = _name_after_descriptor(toks, i, hi, lex)
            if named is not None and i - k <= 3:
                # "Concord resident Whit Symms": the person, not the town; "harbour
                # spokesman Ivo Brand"
                last = named
            break
        i += 1
    if last is None:
        return None
    return k, last


def _name_after_descriptor(toks: list[Word], i: int, hi: int, lex: WordClasses) -> int | None:
    """Index of the last word of a full name that follows, at ``i``, at most three words of
    description ("resident", "nutritional-supplement executive", "1st Lt."): in "said Air
    Force 1st Lt. Tyler Livingston" the speaker is the person the words describe."""
    j = i
    while j < hi and j - i < 3 and toks[j].word and not lex.name_word(toks[j]):
        t = toks[j]
        if t.low in FUNCTION_WORDS or t.low in TIME_WORDS or t.poss:
            return None
        if t.low in TITLES or t.text[0].isdigit():
            pass
        elif (
            not t.text.replace("-", "").islower()
            or t.low.endswith("ed")
            or (
                t.low.endswith("ly") and len(t.low) > 5  # "repeatedly", not "ally"
            )
        ):
            return None  # a verb or an adverb ("... Trump repeatedly accused ..."), no title
        j += 1
    start = j
    while j < hi and toks[j].word and lex.name_word(toks[j]) and not toks[j].poss:
        j += 1
    if j - start < 2 or j == i or j < hi and toks[j].word:
        return None  # a full name, first and last, ends the phrase
    return j - 1


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


def word_classes(registry: ActorRegistry, cyrillic: bool = False) -> WordClasses:
    """The registry's word classes, built once per registry: attribution needs them for
    every document. ``cyrillic``: those for a text with Cyrillic letters, which add every
    case form of the registry's Russian and Ukrainian words (built on the first such text;
    a text without them never pays for it)."""
    name = "word_classes_cyrillic" if cyrillic else "word_classes"
    found = registry.derived.get(name)
    if not isinstance(found, WordClasses):
        found = registry.derived[name] = WordClasses(registry, cyrillic)
    return found
