"""Lexical matching: find lexicon terms in sentences, with spans, quotation and negation.

Matching is over normalised token sequences (see ``framing.tokens``): case-insensitive,
inflection-tolerant, hyphen/space-insensitive. At each position the longest term wins
and its tokens are consumed, so "special military operation" is one hit, not also a hit
for "military operation". A term listed in several frames gives one hit per frame.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, fields

from framing import lang as languages
from framing.lexicon import Lexicon
from framing.text import Quote, QuoteIndex
from framing.tokens import Token, tokenize

__all__ = ["Hit", "TermMatcher", "NEGATION_CUES"]

# Cues that negate a term within the same clause when they come shortly before it:
# "this is not a real war", "no invasion", "never surrender", "without liberation".
# (Stemmed forms: "nobodi" is nobody, "deni" is deny/denied/denies, "reject" rejected.)
NEGATION_CUES = frozenset(
    {
        "not",
        "no",
        "never",
        "without",
        "neither",
        "nor",
        "none",
        "nobodi",
        "nothing",
        "cannot",
        "deni",
        "reject",
    }
)
NEGATION_WINDOW = 6  # tokens before the term (only pass-through words may stand between)
# A clause boundary between the cue and the term ends the negation's scope.
_CLAUSE_BREAK = re.compile(r"[,;:.!?()\[\]—–]|\s-\s")
_SCOPE_ENDERS = frozenset({"but", "yet", "howev", "although", "though", "while", "wherea"})
# Words that may stand between a cue and the term it negates (stemmed): articles,
# determiners, auxiliaries, degree adverbs, verbs of intent, of starting an event and of
# naming it ("not a real war", "never planned an invasion", "did not launch an invasion",
# "does not call it an occupation"). Any other word ends the scope, because
# the cue then negates that word, not the term: in "we will not allow the neo-Nazi regime"
# the speaker denies allowing, and asserts the frame.
_PASS_THROUGH = frozenset(
    """a an the ani some this that these those it our their his her my your
    is are was were be been am do doe did will would shall should could can may might must
    have has had realli simpli just even mere onli actual truli necessarili longer ever
    at all so too quit veri much more
    seek sought plan intend want aim tri go to need wish attempt mean meant
    launch start begin began begun wage conduct carri out stage mount
    call consid describ regard view see seen as""".split()
)
# Russian and Ukrainian negation ("это не война", "не вторгнення", "без капитуляции"), with
# only a copula, a demonstrative or a degree word between the cue and the term; the words
# are given as written and compared in matching form.
_RU_CUES = "не нет ни без никогда"
_UK_CUES = "не ні без ніколи жодного жодної"
_RU_PASS = "это был была было были будет является вовсе совсем никакая никакой как"
_UK_PASS = "це був була було були буде є зовсім жодна жодний жодне як"
_CUES_BY_LANG = {
    "en": NEGATION_CUES,
    "ru": frozenset(languages.normalise(w, "ru") for w in _RU_CUES.split()),
    "uk": frozenset(languages.normalise(w, "uk") for w in _UK_CUES.split()),
}
_PASS_THROUGH_BY_LANG = {
    "en": _PASS_THROUGH,
    "ru": frozenset(languages.normalise(w, "ru") for w in _RU_PASS.split()),
    "uk": frozenset(languages.normalise(w, "uk") for w in _UK_PASS.split()),
}


@dataclass(frozen=True)
class Hit:
    """One lexicon term found in a text; ``start``/``end`` index the document text."""

    frame: str
    term: str
    start: int
    end: int
    text: str
    weight: float
    quoted: bool
    negated: bool

    def to_dict(self) -> dict:
        # Not dataclasses.asdict: it deep-copies every value, and a 10 MB line can hold
        # hundreds of thousands of hits (asdict took 13 of 35 s there).
        return {name: getattr(self, name) for name in _HIT_FIELDS}


_HIT_FIELDS = tuple(f.name for f in fields(Hit))


class TermMatcher:
    """Compiled matcher for one lexicon: ``match(text, start, end, quotes) -> [Hit]``."""

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        # language -> first token -> [(key, frame id, term text, weight)], longest keys first;
        # a document is matched against the terms of its own language only
        by_lang: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        for frame in lexicon.frames:
            for term in frame.terms:
                lang = term.lang
                index = by_lang[lang]
                entry = (term.key, frame.id, term.text, term.weight)
                index[term.key[0]].append(entry)
                if len(term.key) > 1:
                    # "neo-Nazi" also matches the written-together "neonazi(s)"
                    joined = languages.tokenize(
                        "".join(term.text.split()).replace("-", ""), lang=lang
                    )
                    if len(joined) == 1 and joined[0].norm not in index:
                        index[joined[0].norm].append(
                            ((joined[0].norm,), frame.id, term.text, term.weight)
                        )
        self._indexes = {
            lang: {k: sorted(v, key=lambda e: -len(e[0])) for k, v in index.items()}
            for lang, index in by_lang.items()
        }
        # The pipeline passes one document's quotes with each of its sentences: index them
        # once per document, not once per sentence.
        self._quotes = QuoteIndex(())

    def match(
        self,
        text: str,
        start: int = 0,
        end: int | None = None,
        quotes: Sequence[Quote] = (),
        lang: str = "en",
    ) -> list[Hit]:
        """Hits of the ``lang`` terms in ``text[start:end]`` (offsets are into ``text``)."""
        index = self._indexes.get(lang)
        if not index:
            return []
        quote_index = self._quotes
        if quote_index.quotes is not quotes or quote_index.size != len(quotes):
            quote_index = self._quotes = QuoteIndex(quotes)
        tokens = (
            tokenize(text, start, end)
            if lang == "en"
            else languages.tokenize(text, start, end, lang)
        )
        hits: list[Hit] = []
        i = 0
        while i < len(tokens):
            candidates = index.get(tokens[i].norm)
            matched_len = 0
            if candidates:
                for key, frame_id, term_text, weight in candidates:
                    n = len(key)
                    if matched_len and n < matched_len:
                        break  # only the longest match(es) at this position
                    if tuple(t.norm for t in tokens[i : i + n]) != key:
                        continue
                    matched_len = n
                    s, e = tokens[i].start, tokens[i + n - 1].end
                    hits.append(
                        Hit(
                            frame=frame_id,
                            term=term_text,
                            start=s,
                            end=e,
                            text=text[s:e],
                            weight=weight,
                            quoted=quote_index.innermost(s, e) is not None,
                            negated=_is_negated(text, tokens, i, lang),
                        )
                    )
            i += matched_len or 1
        return hits


def _is_negated(text: str, tokens: list[Token], i: int, lang: str = "en") -> bool:
    """True when a negation cue stands within a few tokens before token ``i``, same clause."""
    cues = _CUES_BY_LANG.get(lang, NEGATION_CUES)
    pass_through = _PASS_THROUGH_BY_LANG.get(lang, _PASS_THROUGH)
    for j in range(i - 1, max(-1, i - 1 - NEGATION_WINDOW), -1):
        between = text[tokens[j].end : tokens[j + 1].start]
        if _CLAUSE_BREAK.search(between):
            return False
        norm = tokens[j].norm
        if norm in _SCOPE_ENDERS:
            return False
        if norm in cues:
            return True
        if norm not in pass_through:
            return False
    return False
