"""Attribution's vocabulary: speech verbs by form and class (English, Russian,
Ukrainian), and the nouns, conjunctions and marks the other stages test words against."""

from __future__ import annotations

import re

from framing import slavic

AUTHOR = "author"

TERM_MAX_WORDS = 6  # a longer quote embedded in narration is a partial quotation, not a term

_CONTINUATION_PARAGRAPHS = 1  # a continuation quote may follow its speaker by one paragraph

# Speech verbs by form -> (lemma, class). "say": reported speech with or without "that";
# "that": only with "that", a colon or a quotation after it (too ambiguous otherwise:
# "added troops", "noted the risk"); "name": attributes the quotation it introduces
# ("called the invasion '...'") but makes no reported claim.
_SAY = """say:says,said,saying tell:tells,told,telling claim assert contend predict allege
announce declare argue accuse deny:denies,denied,denying estimate believe expect assess
conclude report write:writes,wrote,written,writing tweet vow pledge promise urge threaten
reiterate confirm testify:testifies,testified,testifying complain boast respond
reply:replies,replied,replying counter quip:quips,quipped,quipping warn insist
think:thinks,thought,thinking acknowledge admit:admits,admitted,admitting charge demand
state:states,stated,stating"""

_THAT = """add note stress emphasise emphasize explain suggest maintain recall observe indicate
signal underline underscore concede agree fear post:posts,posted,posting write
continue:continues,continued,continuing remember interject retort exclaim shout yell scream
joke:jokes,joked,joking muse:muses,mused,musing lament recount assure
ask:asks,asked,asking press:pressed remark fume bark snap:snaps,snapped,snapping proclaim
react demur:demurs,demurred,demurring scoff gush marvel chide rail grumble gripe protest
plead implore whisper sigh laugh chuckle opine caution advise tout sneer crow concur
wonder:wonders,wondered,wondering exhort answer express:expresses,expressed,expressing
fire:fires,fired,firing shoot:shoots,shot,shooting hit:hits,hit,hitting push:pushes,pushed,pushing
go:goes,went,going point"""

# Verbs that speak only with their particle: "fired back", "shot back", "went on".
_ONLY_BEFORE = {
    "fire": ("back",),
    "shoot": ("back",),
    "hit": ("back",),
    "push": ("back",),
    "go": ("on",),
    "point": ("out",),
}


def _lacks_particle(lemma: str, following: str | None) -> bool:
    """Whether a verb that speaks only with its particle stands without it (``following``:
    the next word, lower case): "fired" a shot, "went" home."""
    particles = _ONLY_BEFORE.get(lemma)
    return particles is not None and following not in particles


# The mark that ends a quotation left open for its attribution: '"...," said X', '"...?"'
_INTERRUPTING_MARKS = ",?!—–…-"

# "expressed confidence that", "voiced concern that": the stance a that-verb names before
# its clause
_STANCE_NOUNS = frozenset(
    """confidence concern concerns hope hopes doubt doubts regret frustration surprise
    optimism skepticism scepticism fear fears belief""".split()
)

_NAME = """call describe term dub:dubs,dubbed,dubbing brand characterise characterize present
label:labels,labelled,labeled,labelling,labeling portray refer:refers,referred,referring hail
denounce condemn decry:decries,decried,decrying slam:slams,slammed,slamming dismiss deride frame
cast:casts,cast,casting"""

# A verb form followed by one of these is a noun: "think tank", "state media".
_NOT_VERB_AFTER = {
    "think": ("tank", "tanks"),
    "state": ("media", "television", "tv", "news", "department", "duma"),
    "report": ("card",),
    "post": ("office",),
    "claim": ("form",),
}

_NUMBER_NOUNS = frozenset(
    "number figure figures toll count tally estimate losses casualties death deaths total".split()
)


def _inflect(base: str) -> list[str]:
    if base.endswith("e"):
        return [base, base + "s", base + "d", base[:-1] + "ing"]
    if base.endswith(("s", "sh", "ch")):
        return [base, base + "es", base + "ed", base + "ing"]
    return [base, base + "s", base + "ed", base + "ing"]


# Russian and Ukrainian reporting verbs, by form (past tense of each gender and number,
# the adverbial participle "сказав", the present of an agency's reports), each its own
# lemma: news in those languages attributes with them as English does with "said"
# ("Путин заявил, что ...", "«...», — сказал Зеленський", "Міноборони повідомило").
_SAY_SLAVIC = """заявил заявила заявили заявив сказал сказала сказали сказав сообщил сообщила
сообщили сообщив отметил отметила отметили отметив подчеркнул подчеркнула подчеркнули
подчеркнув добавил добавила добавили добавив пояснил пояснила пояснили
повідомив повідомила повідомили наголосив наголосила наголосили зазначив зазначила
зазначили додав додала додали заявляє заявляет говорит каже
заявило сообщило отметило подчеркнуло добавило пояснило повідомило наголосило зазначило
заявляют сообщает сообщают заявляють повідомляє повідомляють
рассказал рассказала рассказали написал написала написали напомнил напомнила напомнили
предупредил предупредила предупредили ответил ответила ответили
розповів розповіла розповіли написав написала написали нагадав нагадала нагадали
попередив попередила попередили відповів відповіла відповіли підкреслив підкреслила
підкреслили"""

# "по словам X", "за словами X": "according to X"
_ACCORDING = frozenset((("according", "to"), ("по", "словам"), ("за", "словами")))


def _verb_table() -> dict[str, tuple[str, str]]:
    table: dict[str, tuple[str, str]] = {}
    for cls, spec in (("name", _NAME), ("that", _THAT), ("say", _SAY)):
        for item in spec.split():
            base, _, forms = item.partition(":")
            for form in [base, *forms.split(",")] if forms else _inflect(base):
                table[form] = (base, cls)
    for form in _SAY_SLAVIC.split():
        table[form] = (form, "say")
    return table


VERBS = _verb_table()

# Forms that are past participles only in a passive ("was told", "is expected", "were called").
_BE = frozenset("is are was were be been being am 's get gets got".split())

_AUX = frozenset(
    """has have had will would shall should may might must can could did does do also again
    too repeatedly reportedly allegedly publicly privately previously recently later earlier
    then once further separately similarly likewise meanwhile now still already often always
    last this yesterday today tonight""".split()
) | frozenset(slavic.ADVERBS)

_CHAIN = frozenset(
    """continue continues continued went go goes began begin begins appear appears appeared seem
    seems seemed""".split()
)

# Nouns that, named in a clause, make its subject the owner of a scare-quoted term.
_SPEECH_NOUNS = frozenset(
    """rhetoric narrative narratives claim claims words language term terms phrase description
    label propaganda euphemism euphemisms version story slogan slogans mantra talking parlance
    terminology justification justifications pretext pretexts lexicon vocabulary framing
    message messaging statement statements insistence doctrine""".split()
)

# "in a briefing": a setting that makes a clause the subject's words.
_SETTINGS = frozenset(
    """briefing briefings interview interviews statement statements speech speeches address
    conference testimony remarks post posts tweet tweets video op-ed letter call hearing
    hearings appearance broadcast podcast message""".split()
)

_MEDIA_NOUNS = frozenset(
    """media television tv broadcaster channel newspaper paper radio outlet outlets agency
    reporters journalists press""".split()
)

_CLAUSE_CONJ = frozenset("but yet while whereas although though and".split())

_RELATIVE = frozenset("which who whom whose where".split())

_NEW_SUBJECT = frozenset(
    """the a an it he she they we i this these those there his her their its our some many most
    other others""".split()
)

_OPEN_MARKS = "\"“‘'«„‹「『"

_CLOSE_MARKS = "\"”’'»“›」』"

_DASHES = "–—"

_SETTING_RE = re.compile(
    r"\b(?:in|at|during)\s+(?:(?:a|an|the|his|her|their|its|closed|open|televised|private|"
    r"recent|weekly|daily|separate|joint|congressional|press|news|video|televised)\s+){0,3}("
    + "|".join(sorted(_SETTINGS))
    + r")\b"
)
