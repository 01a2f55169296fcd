"""A document's language (``en``, ``ru``, ``uk``, or the code of one framing does not read),
and the word normalisation that lexicon matching uses in each language.

Detection runs once per document, on its first few thousand characters. Cyrillic text is
Ukrainian or Russian by the letters only one of them has (і ї є ґ against ы э ъ ё) and by
its commonest words; Latin text is English unless the function words of another language
outnumber the English ones, so a German or French document can be named in a warning.

Normalisation: English words go through ``framing.tokens`` (Snowball Porter2). Russian
words go through Snowball's Russian stemmer. Snowball has no Ukrainian stemmer (nor does
the ``snowballstemmer`` package), so Ukrainian words lose their longest inflectional ending
(``light_stem_uk``), keeping a stem of at least three letters (four when the ending is
longer than one letter): a light stemmer in the manner
of Savoy's for other Slavic languages, enough to make *окупанти, окупантів, окупантами*
meet, and so do *санкція, санкції, санкцій* (the -ія nouns lose their і with the ending).
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = [
    "LANGS",
    "LANGUAGE_NAMES",
    "detect_language",
    "detect_sentence_language",
    "check_lang",
    "normalise",
    "tokenize",
    "term_key",
]

LANGS = ("en", "ru", "uk")  # languages whose terms framing matches with their morphology
LANGUAGE_NAMES = {
    "en": "English",
    "ru": "Russian",
    "uk": "Ukrainian",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "nl": "Dutch",
    "pl": "Polish",
    "cyrillic": "Serbian or Macedonian",
    "other": "a language other than English, Russian or Ukrainian",
}

_SAMPLE = 5000
_WORDS = re.compile(r"[^\W\d_]+(?:['’ʼ][^\W\d_]+)*")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_UK_LETTERS = re.compile(r"[іїєґІЇЄҐ]")
_RU_LETTERS = re.compile(r"[ыэъёЫЭЪЁ]")
_OTHER_CYRILLIC = re.compile(r"[ђјљњћџѓќѕЂЈЉЊЋЏЃЌЅ]")

# The commonest function words, written the same way in no other of these languages; a
# document is the language whose words it uses most (cues for detection, not a lexicon).
_FUNCTION_WORDS = {
    "en": "the and of to is that in it for was with on are this have be not by from".split(),
    "de": "der die das und ist nicht mit auf den dem ein eine sich auch wir zu von".split(),
    "fr": "le la les et est des une dans pour que qui pas sur nous avec du au".split(),
    "es": "el los las y es que una por para con del se como pero su está".split(),
    "it": "il della che è per una con sono non gli anche nel alla come".split(),
    "pt": "os uma não com para são pelo mais como também foi ao das".split(),
    "nl": "de het een en van is niet dat op zijn met voor ook wij".split(),
    "pl": "i w nie się na jest że do to z jak dla są przez".split(),
    "ru": "и что это как не на мы он для от по его все но они был".split(),
    "uk": "і та що це як не на ми він для від по його все але вони був".split(),
}
_WORD_LANG = {
    lang: frozenset(words) for lang, words in _FUNCTION_WORDS.items() if lang not in ("ru", "uk")
}


def detect_language(text: str) -> str:
    """``en``, ``ru`` or ``uk``; for another language its code (``de``, ``fr``, ...),
    ``cyrillic`` or ``other``."""
    head = text[:_SAMPLE]
    cyrillic = len(_CYRILLIC.findall(head))
    latin = len(_LATIN.findall(head))
    if cyrillic == 0 and latin == 0:
        return "en"  # no letters: nothing to read, and nothing to warn about
    words = [w.lower() for w in _WORDS.findall(head)]
    if cyrillic > latin:
        return _cyrillic_language(head, words)
    counts = {lang: sum(1 for w in words if w in vocab) for lang, vocab in _WORD_LANG.items()}
    best = max(counts, key=lambda lang: (counts[lang], lang == "en"))
    if counts["en"] >= counts[best] or counts[best] < 3:
        # a short or list-like text with few function words is most likely English here
        return "en" if counts[best] < 3 or best == "en" else best
    return best


def _cyrillic_language(head: str, words: list[str], unmarked: str = "ru") -> str:
    uk_words = frozenset(_FUNCTION_WORDS["uk"]) - frozenset(_FUNCTION_WORDS["ru"])
    ru_words = frozenset(_FUNCTION_WORDS["ru"]) - frozenset(_FUNCTION_WORDS["uk"])
    # a distinctive letter is strong evidence, a distinctive word weaker (both are counted)
    uk = 2 * len(_UK_LETTERS.findall(head)) + sum(1 for w in words if w in uk_words)
    ru = 2 * len(_RU_LETTERS.findall(head)) + sum(1 for w in words if w in ru_words)
    if _OTHER_CYRILLIC.search(head) and uk == 0:
        return "cyrillic"  # Serbian or Macedonian letters
    if uk == ru == 0:
        # A Ukrainian text of a few words almost always holds і, ї or є, so a short Cyrillic
        # text with no mark of either language ("Спасибо.") is taken as Russian.
        return unmarked
    return "uk" if uk > ru else "ru"


def detect_sentence_language(text: str) -> str:
    """As ``detect_language``, for one sentence: a Cyrillic sentence with no mark of
    Ukrainian or of Russian (one in eight of a Ukrainian speech's: "Завжди.", "Окупанти знову
    бомбили Суми.") is ``ru|uk``, not Russian."""
    head = text[:_SAMPLE]
    if len(_CYRILLIC.findall(head)) > len(_LATIN.findall(head)):
        words = [w.lower() for w in _WORDS.findall(head)]
        return _cyrillic_language(head, words, unmarked="ru|uk")
    return detect_language(text)


def check_lang(value: str | None) -> str | None:
    """``--lang``: None (detect per document) or one of ``LANGS``; else a FramingError."""
    if value is None or value == "auto":
        return None
    if value not in LANGS:
        from framing.errors import FramingError

        raise FramingError(f"--lang must be auto, {', '.join(LANGS)}; got {value!r}")
    return value


# --- matching forms -----------------------------------------------------------------------

# Ukrainian inflectional endings (nouns, adjectives, participles, verbs), longest first so
# the longest one that leaves a stem of _MIN_STEM letters is taken.
_UK_ENDINGS = tuple(
    sorted(
        """а я о е є у ю і ї и ь й ий ій ого ому ими ім им их іх ої ою ею єю ів їв ам ям ах ях
        ами ями ові еві єві ом ем єм ла ло ли в ав ив ув ала ало али ила ило или іла іли ула ули
        ати ити іти ють ять уть ать ить іть ути ємо ете єте емо имо ите ую юю ая яя ее ує
        ськ ський ська ське ські ського ському ським ськими ських ській ську ською
        ння нню ням нях ннями ення енню енням еннями еннях ання анню анням аннями аннях
        ія ії ію ією іям іями іях""".split(),
        key=len,
        reverse=True,
    )
)
_UK_REFLEXIVE = ("ся", "сь")
_MIN_STEM = 3
# Case endings of adjectives, pronouns and the genitive plural. These may leave a stem of
# _MIN_STEM letters though longer than one letter ("наших" -> "наш", "років" -> "рок"): no
# stem ends in them, while a verb ending on a short word is often part of the stem ("навіть"),
# and "ої"/"ою" would split nouns in -оя ("зброї" must stay with "зброя").
_UK_DECLENSION = frozenset("ий ій ого ому ими ім им их ів".split())


@lru_cache(maxsize=200_000)
def light_stem_uk(word: str) -> str:
    """A Ukrainian word without its reflexive particle and longest inflectional ending."""
    for particle in _UK_REFLEXIVE:
        if word.endswith(particle) and len(word) - len(particle) >= _MIN_STEM + 1:
            word = word[: -len(particle)]
            break
    for ending in _UK_ENDINGS:
        # a longer ending must leave a longer stem: "навіть" less "іть" is not "нав"(ала)
        longer = len(ending) > 1 and ending not in _UK_DECLENSION
        if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM + longer:
            return word[: -len(ending)]
    return word


_RU_STEMMER = None


@lru_cache(maxsize=200_000)
def _stem_ru(word: str) -> str:
    global _RU_STEMMER
    if _RU_STEMMER is None:
        import snowballstemmer

        _RU_STEMMER = snowballstemmer.stemmer("russian")
    return _RU_STEMMER.stemWord(word.replace("ё", "е"))


def normalise(word: str, lang: str = "en") -> str:
    """The matching form of one word in ``lang``: lower-cased and stemmed."""
    if lang == "en":
        from framing.tokens import normalise as normalise_en

        return normalise_en(word)
    lowered = word.lower().replace("’", "'").replace("ʼ", "'")
    if lang == "ru":
        return _stem_ru(lowered)
    if lang == "uk":
        # the apostrophe is part of a Ukrainian word (об'єкт), spelled three ways
        return light_stem_uk(lowered.replace("'", ""))
    return lowered


def tokenize(text: str, start: int = 0, end: int | None = None, lang: str = "en") -> list:
    """Word tokens (``framing.tokens.Token``) of ``text[start:end]`` normalised for ``lang``."""
    from framing.tokens import Token, spans
    from framing.tokens import tokenize as tokenize_en

    if lang == "en":
        return tokenize_en(text, start, end)
    return [Token(normalise(text[a:b], lang), a, b) for a, b in spans(_WORDS, text, start, end)]


def term_key(term: str, lang: str = "en") -> tuple[str, ...]:
    """The token sequence a lexicon term in ``lang`` matches."""
    return tuple(token.norm for token in tokenize(term, lang=lang))
