"""Russian and Ukrainian case forms, generated from a nominative.

Names decline: "по словам Лаврова", "за словами Кулеби", "встреча с Шойгу" (indeclinable).
The registry lists each name once, in the nominative; ``case_forms`` gives the forms
other cases take, by the ending of the nominative (an -ов/-ин surname, a masculine
adjective like Зеленский/Зеленський, a noun in -а/-я/-ия/-ь/-й/-о, a consonant). It
over-generates rather than misses (one paradigm for both languages): a form no text uses
costs nothing, and ``Inflections`` keeps only forms that point to one nominative.

Only words with Cyrillic letters are inflected; everything else is left as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

__all__ = ["case_forms", "has_cyrillic", "Inflections"]


CYRILLIC = re.compile("[\u0400-\u04ff]")  # a text that holds Russian or Ukrainian


def has_cyrillic(text: str) -> bool:
    """Whether a word or phrase has a Cyrillic letter (U+0400-U+04FF)."""
    return not text.isascii() and any("\u0400" <= c <= "\u04ff" for c in text)


# masculine adjectives (Зеленский, Зеленський, Залужный, Залужний, Толстой)
_ADJ_M = ("ский", "цкий", "ський", "цький", "ный", "ний", "ый", "ой")
_ADJ_M_FORMS = ("ого", "ому", "им", "ым", "ім", "ом")
# the rest of an adjective's paradigm (side words and offices: российская, українських)
_ADJ_REST_RU = ("ая", "ой", "ую", "ое", "ые", "ых", "ыми", "ие", "их", "ими", "яя", "ее", "ей")
_ADJ_REST_UK = ("а", "ої", "ій", "у", "ою", "е", "і", "их", "ими", "ого", "ому", "ім")
# feminine adjectives (Зеленская, Зеленська)
_ADJ_F_RU = ("ская", "цкая", "ная", "ая")
_ADJ_F_UK = ("ська", "цька")
_VOWELS = set("аеёиоуыэюяіїє")


@lru_cache(maxsize=16_384)
def case_forms(word: str, adjective: bool = False) -> frozenset[str]:
    """The forms of a lower-case nominative ``word`` in the other cases (the word itself
    included). ``adjective``: decline an adjective through all genders and numbers
    (российский -> российская, российских), not only as a masculine surname."""
    return frozenset(_forms(word.lower().replace("ё", "е"), adjective))


def _forms(w: str, adjective: bool) -> set[str]:
    forms = {w}
    if len(w) < 3 or not has_cyrillic(w) or w.isupper():
        return forms
    if w.endswith(_ADJ_M):
        stem = w[:-2]
        forms.update(stem + e for e in _ADJ_M_FORMS)
        if adjective:
            forms.update(stem + e for e in _ADJ_REST_RU)
            forms.update(stem + e for e in _ADJ_REST_UK)
        return forms
    if w.endswith(("ий", "ій")) and adjective:
        stem = w[:-2]
        forms.update(stem + e for e in (*_ADJ_M_FORMS, *_ADJ_REST_RU, *_ADJ_REST_UK))
        return forms
    if w.endswith(_ADJ_F_RU):
        forms.update(w[:-2] + e for e in ("ой", "ую"))
        return forms
    if w.endswith(_ADJ_F_UK) and len(w) > 4:
        forms.update(w[:-1] + e for e in ("ої", "ій", "у", "ою"))
        return forms
    if w.endswith(("ия", "ія")):  # Мария, Россия, Марія, Росія
        forms.update(w[:-1] + e for e in ("и", "ю", "ей", "ею", "ї", "єю"))
        return forms
    last = w[-1]
    if last == "а":  # Кулеба, Москва, Захарова, Україна
        forms.update(w[:-1] + e for e in ("ы", "и", "і", "е", "у", "ой", "ою", "ої", "ій"))
    elif last == "я":  # Небензя
        forms.update(w[:-1] + e for e in ("и", "і", "е", "ю", "ей", "ею", "ї", "єю"))
    elif last == "о":  # Дмитро, Порошенко (Ukrainian declines them)
        forms.update(w[:-1] + e for e in ("а", "у", "ові", "ом", "і"))
    elif last == "ь":  # Кремль, пресс-секретарь
        forms.update(w[:-1] + e for e in ("я", "ю", "ем", "е", "і", "еві"))
    elif last == "й":  # Сергей, Дмитрий, Сергій, Андрій
        forms.update(w[:-1] + e for e in ("я", "ю", "ем", "е", "и", "єм", "єві", "ї"))
    elif last not in _VOWELS and last.isalpha():  # Лавров, Путин, Генштаб, Пєсков
        forms.update(w + e for e in ("а", "у", "ом", "е", "ым", "им", "і", "ові"))
    return forms


class Inflections:
    """Case forms -> nominative, for a set of nominative words: a form that is itself a
    nominative of the set maps to nothing but itself; a form two nominatives share ("марком":
    Марк or Марко) has no one nominative (``word``) but each of them (``keys``)."""

    def __init__(self, words: Iterable[str], adjectives: Iterable[str] = ()):
        adjectives = {a.lower().replace("ё", "е") for a in adjectives}
        nominatives = {w.lower().replace("ё", "е") for w in words if has_cyrillic(w)}
        nominatives |= {a for a in adjectives if has_cyrillic(a)}
        table: dict[str, list[str]] = {}
        for nom in sorted(nominatives):
            for form in case_forms(nom, adjective=nom in adjectives):
                if form == nom or form in nominatives:
                    continue
                table.setdefault(form, []).append(nom)
        self.nominatives = frozenset(nominatives)
        self.forms = {f: n[0] for f, n in table.items() if len(n) == 1}
        self.shared = {f: tuple(n) for f, n in table.items() if len(n) > 1}

    def word(self, low: str) -> str:
        """The nominative of a lower-case word (itself if it is one, or unknown)."""
        low = low.replace("ё", "е")
        return self.forms.get(low, low)

    def key(self, key: tuple[str, ...]) -> tuple[str, ...]:
        """A name key with each Cyrillic word in the nominative."""
        return tuple(self.word(w) if has_cyrillic(w) else w for w in key)

    def keys(self, key: tuple[str, ...]) -> list[tuple[str, ...]]:
        """``key`` in the nominative, and where a word's form two nominatives share, each
        reading (at most a few: a name has few words)."""
        out = [self.key(key)]
        for i, w in enumerate(key):
            readings = self.shared.get(w.replace("ё", "е"))
            if readings:
                out = [k[:i] + (r,) + k[i + 1 :] for k in out for r in readings][:8]
        return out


# --- attribution's Russian and Ukrainian vocabulary -------------------------------------

# Offices before a name ("министр иностранных дел Сергей Лавров", "Речник Кремля Дмитро
# Пєсков"), in the nominative: ``TITLES`` holds their case forms too ("президента").
TITLE_WORDS = """президент премьер премьер-министр вице-премьер министр замминистра глава
замглавы главнокомандующий командующий начальник заместитель пресс-секретарь секретарь
госсекретарь генсек генсекретарь представитель постпред постпредставитель советник помощник
спикер председатель посол генерал генерал-майор генерал-лейтенант генерал-полковник
полковник подполковник майор капитан адмирал маршал губернатор мэр депутат сенатор канцлер
король лидер директор руководитель патриарх уполномоченный омбудсмен прокурор генпрокурор
корреспондент журналист министр-председатель экс-президент
прем'єр прем'єр-міністр віце-прем'єр віцепрем'єр міністр міністерка заступник заступниця
голова головнокомандувач командувач речник речниця прес-секретар прес-секретарка секретар
держсекретар представник представниця радник радниця помічник помічниця спікер генерал-лейтенант
капітан адмірал мер лідер керівник керівниця очільник очільниця уповноважений омбудсман
уповноважена кореспондент речниця""".split()

# Words of an office that follow its title in the genitive ("министр иностранных дел",
# "голова Офісу президента") or qualify it ("официальный представитель"): they stand in a
# speaker phrase, never in a name.
OFFICE_WORDS = """официальный офіційний бывший колишній главный головний верховный верховний
генеральный генеральний постоянный постійний иностранных дел закордонних справ обороны
оборони внутренних внутрішніх безопасности безпеки национальной національної офиса офісу
администрации адміністрації правительства уряду совета ради генштаба генштабу вооруженных
збройних сил армии армії разведки розвідки штаба штабу министерства міністерства ведомства
відомства кабинета кабміну области області республики республіки города міста парламента
парламенту думы фракции фракції партии партії комитета комітету службы служби прессы
преси""".split()

# Heads of collective speakers ("в Кремле", "власти", "военные", "джерела").
ROLE_WORDS = """власти влада военные військові чиновники посадовці источник источники джерело
джерела эксперты експерти аналитики аналітики ведомство відомство министерство міністерство
пресс-служба прес-служба правительство уряд посольство администрация адміністрація
командование командування штаб""".split()

# Words that never start or form a name (prepositions, conjunctions, pronouns).
FUNCTION_WORDS = """в во на по с со к ко у о об обо от до из за для при про без над под через
как что чтобы и а но или же ли бы не ни это этот эта эти тот та те то его ее её их все всё
уже также тоже еще ещё так когда если после перед во время между среди около против вместо
кроме который которая которые которого мы вы я ты себя свой своей свою однако впрочем
сегодня вчера завтра теперь здесь там где куда почему зачем тогда позже позднее ранее
затем потом также кроме того впоследствии однако между тем тем временем при этом вместе
зато наконец итак поэтому ведь снова вновь очередь свою
як що щоб і й та або чи ні це цей ця ці той ті його її їх всі вже також теж ще коли якщо
після між серед біля проти замість крім який яка які якого ми ви ти себе свій своєї свою
проте втім сьогодні вчора завтра тепер тут де чому тоді від із зі під пізніше раніше згодом
потім натомість водночас зокрема тим часом тож отже адже нарешті знову свою черги""".split()

# Subject pronouns and the kind of speaker each stands for.
PRONOUNS = {
    "он": "person",
    "она": "person",
    "они": "group",
    "він": "person",
    "вона": "person",
    "вони": "group",
}

# Words that open an inverted reporting clause: "Как сообщил X, ...", "Як заявив X", "Об
# этом заявил X", "Про це повідомив X" (the verb's subject follows it).
INVERTING = frozenset(("как", "як", "этом", "это", "цьому", "це"))

# Adverbs between a subject and its verb ("Лавров также заявил", "Кулеба вже заявив").
ADVERBS = """также тоже ранее вновь снова уже еще ещё вчера сегодня неоднократно публично
позже затем потом впервые лично прямо открыто накануне неожиданно даже якобы
також теж раніше знову вже ще вчора сьогодні неодноразово публічно пізніше згодом потім
вперше особисто відкрито напередодні навіть нібито""".split()

# "Как сообщили в Кремле", "повідомили у Генштабі": an institution as a place, after the verb
LOCATIVE = frozenset(("в", "во", "у"))


# --- a name in the genitive, back to the nominative ---------------------------------------

# (genitive ending, nominative ending), longest first: "по словам Сергея Иванова" names Сергей
# Иванов, "по словам Анны Ивановой" Анна Иванова, "за словами Олени Петренко" Олена Петренко.
_GENITIVE_ENDINGS = (
    ("ского", "ский"),
    ("цкого", "цкий"),
    ("ського", "ський"),
    ("цького", "цький"),
    ("ской", "ская"),
    ("цкой", "цкая"),
    ("ської", "ська"),
    ("цької", "цька"),
    ("овой", "ова"),
    ("евой", "ева"),
    ("иной", "ина"),
    ("ыной", "ына"),
    ("ової", "ова"),
    ("євої", "єва"),
    ("евої", "ева"),
    ("іної", "іна"),
    ("иної", "ина"),
    ("енка", "енко"),  # Ukrainian declines -енко: "за словами Порошенка"
    ("єнка", "єнко"),
    ("ея", "ей"),  # Сергея, Алексея
    ("ия", "ий"),  # Дмитрия, Василия (a woman's Мария would be Марии here)
    ("ія", "ій"),  # Андрія, Віталія
    ("ии", "ия"),  # Марии
    ("ії", "ія"),  # Марії
)
# Genitives of two nominatives, one Russian and one Ukrainian (Петра: Пётр or Петро; Павла:
# Павел or Павло; Марка: Марк or Марко): left as written.
_AMBIGUOUS_GENITIVES = frozenset("петра павла марка данила михайла дмитра".split())


def nominative_of_genitive(word: str) -> str:
    """A Russian or Ukrainian personal name (one word) in the genitive, in the nominative:
    the case "по словам" and "за словами" govern. Indeclinable words (Шойгу, Петренко, a
    foreign name) and forms that could be two nominatives are returned as written."""
    low = word.lower()
    if len(low) < 3 or not has_cyrillic(low) or word.isupper():
        return word
    for genitive, nominative in _GENITIVE_ENDINGS:
        if low.endswith(genitive) and len(low) > len(genitive) + 1:
            return word[: -len(genitive)] + nominative
    if low.endswith("я") and low[-2] not in _VOWELS and low[-2].isalpha():
        return word[:-1] + "ь"  # Игоря, Шмыгаля
    if low.endswith(("ы", "и")) and low[-2] not in _VOWELS:  # Анны, Ольги, Кулеби, Миколи
        return word[:-1] + "а"
    if low.endswith("а") and low[-2] not in _VOWELS and low[-2].isalpha():
        # Иванова, Путина, Ивана, Олега, Подоляка
        return word if low in _AMBIGUOUS_GENITIVES else word[:-1]
    return word
