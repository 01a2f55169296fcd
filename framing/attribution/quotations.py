"""Quotations: each quotation's kind and speaker, rule by rule (see the package
docstring for the order), and the fallbacks for those the rules leave without one."""

from __future__ import annotations

import bisect
import re

from framing.attribution.events import _sentence_subject
from framing.attribution.phrases import (
    PRONOUNS,
    TITLES,
    Speaker,
    SpeakerContext,
    Word,
    phrase_left,
    resolve_speaker,
)
from framing.attribution.structure import (
    _INF,
    _Q,
    _char_before,
    _clause_at,
    _clause_of,
    _Doc,
    _Event,
    _first_token_at,
    _NextAlnum,
    _Sent,
)
from framing.attribution.vocabulary import (
    _CLOSE_MARKS,
    _CONTINUATION_PARAGRAPHS,
    _INTERRUPTING_MARKS,
    _SPEECH_NOUNS,
    TERM_MAX_WORDS,
    VERBS,
    _lacks_particle,
)


def _attribute_quotes(
    qs: list[_Q], events: list[list[_Event]], sents: list[_Sent], d: _Doc
) -> None:
    """Give every quotation its speaker and kind (see the module docstring for the order)."""
    toks, in_quote, lex, ctx, text = d.toks, d.in_quote, d.lex, d.ctx, d.text
    narration = [[e for e in found if e.container is None and not e.source] for found in events]
    look = _Lookups(narration, sents, toks, in_quote, lex, text)
    history = _History(
        sorted(
            [
                *((e.first, e.paragraph, e.speaker) for f in narration for e in f if e.speaker),
                *_introducers(qs, narration, sents, d),
            ],
            key=lambda h: h[0],
        )
    )
    starts = [st.sentence.start for st in sents]
    common = _common_words(toks) if qs else frozenset()
    unowned: list[_Q] = []  # terms their own sentence names no speaker for
    for q in qs:
        if q.parent is not None or q.turn:
            continue
        st = sents[q.sentence]
        opens = look.next_alnum(st.sentence.start) >= q.quote.start  # nothing before it
        q.kind = _quote_kind(q, text, opens)
        closing = max(q.sentence, bisect.bisect_right(starts, q.quote.end - 1) - 1)
        # ', Lavrov said.' after an embedded term reports its whole clause, not the term.
        speaker, cue, event = (
            (None, None, None) if q.kind == "term" else _tail_attribution(q, look, closing, text)
        )
        later = event is not None and event.sentence > closing
        if later and not _opens_a_sentence(q, starts, look):
            # 'X told reporters that "...pause." Aides later said the remark was wrong.': a
            # quotation inside narration of its own is not attributed by the next sentence
            speaker, cue, event = None, None, None
        if speaker is not None and speaker.kind == "media":
            # '"...," the Associated Press reports' after 'X has said ...': the outlet is
            # the channel, X the speaker (an outlet speaks for itself only when nobody
            # else spoke in the paragraph before)
            channel_of = history.last_before(q.quote.start, q.paragraph, same_paragraph=True)
            if channel_of is not None and channel_of.kind != "media":
                speaker = channel_of
        if speaker is None:
            speaker, event = _intro_attribution(q, st, look)
            if event is not None and q.kind == "direct" and _bare_intro(event, q, st, text):
                # 'Peskov said: "..."': the attribution is part of the direct speech, as a
                # tail attribution is, when a sentence's voice is weighed
                cue = (event.first, q.quote.start)
        if speaker is None:
            speaker = _colon_attribution(q, st, d)
        if speaker is None:
            speaker = _scoped_attribution(q, st, look)
        if speaker is None:
            speaker = _speech_noun_owner(q, st, look, ctx)
        if speaker is None:
            speaker = _loose_tail(q, d)
        if q.kind == "term":
            unowned.append(q)
        if speaker is None and q.kind == "direct" and opens:
            speaker = history.last_before(q.quote.start, q.paragraph)
        if speaker is None:
            speaker = _subject_of(q, st, d, common)
        if speaker is None:
            # a scare-quoted term borrows only a speaker of its own paragraph: in the next
            # one it is more likely the author's irony than the last speaker's word
            speaker = history.last_before(
                q.quote.start, q.paragraph, same_paragraph=q.kind == "term"
            )
        if event is not None:
            event.used_for_quote = True
        q.speaker, q.cue = speaker, cue
        if speaker is not None:
            history.add(q.start, q.paragraph, speaker)
    _run_on_quotes(qs, text)
    _echoes(unowned, qs, text)
    inside: dict[int, list[_Event]] = {}
    for found in events:
        for e in found:
            if e.container is not None and e.speaker is not None:
                inside.setdefault(e.container, []).append(e)
    for q in qs:
        if q.parent is None:
            continue
        # A quotation inside a quotation: the outer speaker's words, unless a speech verb
        # inside the outer quotation names someone else ("Putin said 'we will win'").
        before = [e for e in inside.get(q.parent, ()) if e.verb_end <= q.start]
        q.speaker = before[-1].speaker if before else qs[q.parent].speaker
        q.kind = "term" if q.words <= TERM_MAX_WORDS else "direct"


class _Lookups:
    """Indexes of each sentence's speech acts and speech nouns for the quotation pass,
    built on a sentence's first quotation: each quotation then costs a few bisections, not
    a pass over its sentence (scraped HTML makes one 'sentence' of thousands of quotes)."""

    def __init__(
        self, narration: list[list[_Event]], sents: list[_Sent], toks, in_quote, lex, text
    ):
        self.narration = narration
        self.sents = sents
        self.toks = toks
        self.in_quote = in_quote
        self.lex = lex
        self.next_alnum = _NextAlnum(text)
        self._after: dict[int, tuple[list[_Event], list[int]]] = {}
        self._intro: dict[int, tuple[dict, tuple]] = {}
        self._scoped: dict[int, dict[tuple[int, int], tuple[list[_Event], list[float]]]] = {}
        self._nouns: dict[int, list[int]] = {}
        self._owner: dict[int, dict[int, tuple[int, int] | None]] = {}

    def after(self, closing: int) -> tuple[list[_Event], list[int]]:
        """The attributions of sentences ``closing`` and ``closing + 1`` that can follow a
        quotation (naming verbs never do), in text order, and where each begins."""
        if closing not in self._after:
            found = sorted(
                (e for found in self.narration[closing : closing + 2] for e in found),
                key=lambda e: e.first,
            )
            found = [e for e in found if e.cls != "name"]
            self._after[closing] = (found, [e.first for e in found])
        return self._after[closing]

    def intro(self, i: int):
        """Speech acts of sentence ``i`` that can introduce a quotation: by the clause their
        verb stands in, and those closing a clause (tails), each sorted by (verb, -order)."""
        if i not in self._intro:
            st = self.sents[i]
            by_clause: dict[tuple[int, int], list] = {}
            tails: list = []
            for n, e in enumerate(self.narration[i]):
                if e.sentence != st.index or e.cls == "according":
                    continue
                item = (e.verb_start, -n, e)
                clause = _clause_at(st, e.verb_start)
                if clause is not None:
                    by_clause.setdefault(clause, []).append(item)
                if e.tail:
                    tails.append(item)
            groups = [*by_clause.values(), tails]
            for group in groups:
                group.sort(key=lambda item: item[:2])
            self._intro[i] = (
                {c: (g, [item[0] for item in g]) for c, g in by_clause.items()},
                (tails, [item[0] for item in tails]),
            )
        return self._intro[i]

    def scoped(self, i: int):
        """Speech acts of sentence ``i`` by clause, in order, with the running minimum of
        where each begins (-inf for those that frame their whole clause), negated."""
        if i not in self._scoped:
            st = self.sents[i]
            groups: dict[tuple[int, int], list[_Event]] = {}
            for e in self.narration[i]:
                if e.sentence == st.index and e.cls != "name":
                    groups.setdefault(e.clause, []).append(e)
            out = {}
            for clause, group in groups.items():
                low, neg = _INF, []
                for e in group:
                    low = min(low, -_INF if e.cls == "according" or e.tail else e.first)
                    neg.append(-low)
                out[clause] = (group, neg)
            self._scoped[i] = out
        return self._scoped[i]

    def nouns(self, st: _Sent) -> list[int]:
        """Token indices of the speech nouns ("rhetoric", "claims") in a sentence's narration."""
        if st.index not in self._nouns:
            toks, in_quote = self.toks, self.in_quote
            self._nouns[st.index] = [
                i
                for i in range(st.lo, st.hi)
                if in_quote[i] is None and toks[i].word and toks[i].low in _SPEECH_NOUNS
            ]
        return self._nouns[st.index]

    def owners(self, st: _Sent) -> dict[int, tuple[int, int] | None]:
        """For a token of the sentence, the first speaker phrase at or before it (see
        _speech_noun_owner), filled as quotations ask."""
        return self._owner.setdefault(st.index, {})


class _History:
    """Who spoke where, for continuations: the speakers of narration (fixed) and of the
    quotations attributed so far, added in text order (one list each, so that adding is an
    append, not an insertion into one long list)."""

    def __init__(self, narration: list[tuple[int, int, Speaker]]):
        self.fixed = narration
        self.fixed_at = [h[0] for h in narration]
        self.added: list[tuple[int, int, Speaker]] = []
        self.added_at: list[int] = []

    def add(self, pos: int, paragraph: int, speaker: Speaker) -> None:
        at = bisect.bisect_right(self.added_at, pos)  # the end, unless quotes overlap
        self.added_at.insert(at, pos)
        self.added.insert(at, (pos, paragraph, speaker))

    def last_before(self, pos: int, paragraph: int, same_paragraph: bool = False) -> Speaker | None:
        """A quotation that opens its sentence with no attribution of its own continues the
        last speaker before it, if that speaker spoke in this or the previous paragraph.
        (At one position a quotation's speaker comes after the narration's.)"""
        k = bisect.bisect_left(self.fixed_at, pos) - 1
        a = bisect.bisect_left(self.added_at, pos) - 1
        if a >= 0 and (k < 0 or self.added_at[a] >= self.fixed_at[k]):
            last = self.added[a]
        elif k >= 0:
            last = self.fixed[k]
        else:
            return None
        reach = 0 if same_paragraph else _CONTINUATION_PARAGRAPHS
        return last[2] if paragraph - last[1] <= reach else None


def _quote_kind(q: _Q, text: str, opens: bool) -> str:
    """``term`` for a short quotation embedded in a clause, ``direct`` for an utterance
    (``opens``: the quotation opens its sentence)."""
    if q.words > TERM_MAX_WORDS:
        return "direct"
    inner = text[q.start : q.end].rstrip()
    if inner.endswith((".", "!", "?", "…")) or opens:
        return "direct"
    before = _char_before(text, q.quote.start)
    if before == ":":
        return "direct"
    return "term"


def _opens_a_sentence(q: _Q, starts: list[int], look: _Lookups) -> bool:
    """Whether no word of narration comes before the quotation in the sentence it opens in."""
    home = max(0, bisect.bisect_right(starts, q.quote.start) - 1)
    return look.next_alnum(starts[home]) >= q.quote.start


def _tail_attribution(q: _Q, look: _Lookups, closing: int, text: str):
    """`"...," said X` / `"...," X told reporters` / `"...", according to X`: the first
    attribution after the quotation, in its closing sentence or the next, right after it."""
    after, firsts = look.after(closing)
    k = bisect.bisect_left(firsts, q.quote.end)
    if k == len(after):
        return None, None, None
    e = after[k]
    if e.first - q.quote.end > 4:
        return None, None, None
    gap = text[q.quote.end : e.first]
    if any(ch.isalnum() for ch in gap) or "\n" in gap:
        return None, None, None
    # a nested quotation may close with it: "... say 'I can win anywhere,'" said X
    inner = text[q.start : q.end].rstrip().rstrip(_CLOSE_MARKS + " ")
    closing_mark = inner[-1:] in _INTERRUPTING_MARKS or gap.strip().startswith((",", "—", "–"))
    if not closing_mark and not (e.tail and gap.strip() == ""):
        return None, None, None
    if e.cls == "setting":
        return None, None, None
    cue_end = e.clause[1] if e.tail or e.cls == "according" else e.last
    return e.speaker, (q.quote.end, cue_end), e


_TAIL_PHRASE_TOKENS = 14  # "Senate Minority Leader Harry M. Reid (D-Nev.)" and a little more

_SPEECH_CLASSES = frozenset(("say", "that"))

_DASH_MARKS = frozenset("―—–")

_TAIL_MARKS = frozenset(",-") | _DASH_MARKS


def _loose_tail(q: _Q, d: _Doc) -> Speaker | None:
    """'"...share." Senate Minority Leader Harry M. Reid (D-Nev.) said in a statement.':
    right after the closing mark, in its paragraph, a speaker phrase the strict grammar
    cannot close (initials, a party in parentheses, a long title) and then a speech verb."""
    toks, tok_starts, in_quote, lex, ctx, text = d.toks, d.starts, d.in_quote, d.lex, d.ctx, d.text
    k = bisect.bisect_left(tok_starts, q.quote.end)
    n = len(toks)
    dashed = False  # '"..." ― Carla Sanchez': a signature line, no verb needed
    first = k
    while k < n and not toks[k].word and toks[k].text in _TAIL_MARKS:
        dashed = dashed or toks[k].text in _DASH_MARKS
        k += 1
    if k >= n or not toks[k].word:
        return None
    if "\n" in text[q.quote.end : toks[k].start]:
        if not _source_line(q, toks, first, k, text):
            return None
        dashed = True
    phrase: list[Word] = []
    depth = 0
    j = k
    while j < n and j - k <= _TAIL_PHRASE_TOKENS:
        t = toks[j]
        if in_quote[j] is not None or "\n" in text[toks[j - 1].end : t.start]:
            if dashed and "\n" in text[toks[j - 1].end : t.start]:
                break  # the signature ends with its line
            return None
        if t.text == "(":
            depth += 1
        elif t.text == ")":
            depth = max(0, depth - 1)
        elif depth:
            pass  # "(D-Nev.)": a party and state, not part of the name
        elif t.word and t.low in VERBS and VERBS[t.low][1] in _SPEECH_CLASSES and phrase:
            if _lacks_particle(VERBS[t.low][0], toks[j + 1].low if j + 1 < n else None):
                return None  # '"..." Police shot him.': no speech verb after all
            break
        elif t.word:
            phrase.append(t)
        elif t.text == "." and phrase and len(phrase[-1].text) == 1 and phrase[-1].cap:
            pass  # the initial of "Harry M. Reid"
        elif dashed and t.text in ".,;" and (j + 1 >= n or "\n" in text[t.end : toks[j + 1].start]):
            break  # 'Carla Sanchez.' ending the signature line
        elif dashed and t.text == "," and phrase:
            break  # '- Michelle Marks, Philadelphia.': the signature's name, then who or where
        elif t.text == "," and phrase and (skip := _apposition_before_verb(toks, j, in_quote)):
            j = skip  # 'Rep. Jim Jordan (R-Ohio), an oversight panel member, said'
            continue
        else:
            return None  # the sentence or clause ends before any speech verb
        j += 1
    else:
        if not (dashed and j >= n):
            return None
    if not phrase or not phrase[0].cap and phrase[0].low not in ("the", "a", "an"):
        return None
    if phrase[-1].low in PRONOUNS:
        return None  # the context is the whole text's by now: a pronoun would name its last
    return resolve_speaker(phrase, lex, ctx, q.paragraph)


_SOURCE_LINE_WORDS = 8  # "- Former Secretary of State Hillary Clinton, in 2015."


def _source_line(q: _Q, toks: list[Word], first: int, k: int, text: str) -> bool:
    """'"I will look into it." / - Hillary Clinton.': a quotation that is a paragraph of its
    own, and a line after it that opens with one dash, as fact checks give their sources."""
    line_start = text.rfind("\n", 0, q.quote.start) + 1
    line_end = text.find("\n", toks[k].start)
    source = text[toks[k].start : line_end if line_end >= 0 else len(text)]
    return (
        len(source.split()) <= _SOURCE_LINE_WORDS
        and k - first == 1
        and toks[first].text in _DASH_MARKS | {"-"}
        and not text[line_start : q.quote.start].strip()
        and not text[q.quote.end : toks[first].start].strip()
        and "\n" in text[q.quote.end : toks[first].start]
        and "\n" not in text[toks[first].end : toks[k].start]
    )


_APPOSITION_TOKENS = 12


def _apposition_before_verb(toks: list[Word], comma: int, in_quote) -> int | None:
    """Index of the speech verb after ', an apposition,' that follows a speaker phrase."""
    n = len(toks)
    for m in range(comma + 1, min(n - 1, comma + _APPOSITION_TOKENS)):
        t = toks[m]
        if in_quote[m] is not None or t.text in '.!?;:"“”':
            return None
        if t.text == ",":
            nxt = toks[m + 1]
            if nxt.word and nxt.low in VERBS and VERBS[nxt.low][1] in _SPEECH_CLASSES:
                return m + 1
            return None
    return None


def _introducers(
    qs: list[_Q], narration: list[list[_Event]], sents: list[_Sent], d: _Doc
) -> list[tuple[int, int, Speaker]]:
    """'Howard continued his scathing remarks.' / 'Bystrom agreed.' right before a
    quotation that opens its sentence: a person with a speech verb but no words of their
    own introduces the quotation that follows (a speaker for its continuation)."""
    toks, in_quote, lex, ctx = d.toks, d.in_quote, d.lex, d.ctx
    opening = {
        q.sentence
        for q in qs
        if q.parent is None and q.quote.start <= sents[q.sentence].sentence.start + 1
    }
    found = []
    for i in sorted(opening):
        if i == 0 or narration[i - 1]:
            continue
        st = sents[i - 1]
        if any(in_quote[k] is not None for k in range(st.lo, st.hi)):
            continue
        if not any(toks[k].word and toks[k].low in VERBS for k in range(st.lo, st.hi)):
            continue
        span = _sentence_subject(toks, st.lo, st.hi, in_quote, None, lex)
        if span is None:
            continue
        phrase = toks[span[0] : span[1] + 1]
        if phrase[-1].low in PRONOUNS:
            continue  # resolved after the whole text, a pronoun would name its last person
        speaker = resolve_speaker(phrase, lex, ctx, st.sentence.paragraph)
        if speaker is None or speaker.kind != "person":
            continue
        word = phrase[0]
        if len(phrase) == 1 and speaker.name == word.text and word.low not in ctx.surnames:
            continue  # one unknown capitalised word
        found.append((st.sentence.start, sents[i].sentence.paragraph, speaker))
    return found


def _subject_of(q: _Q, st: _Sent, d: _Doc, common: frozenset[str]) -> Speaker | None:
    """'Sanders credited Clinton's victory to "a closed primary"': with no speech verb, the
    person who opens the quotation's sentence is the one whose words it quotes."""
    toks, in_quote, lex, ctx = d.toks, d.in_quote, d.lex, d.ctx
    first = _first_token_at(toks, st, q.quote.start)
    lo = st.lo
    while lo < first and not toks[lo].word:
        lo += 1
    if lo < first and _common_opener(toks[lo], common):
        # 'Continuing to explain, Carson rejected ...': the subject follows the comma
        comma = next((k for k in range(lo + 1, min(lo + 12, first)) if toks[k].text == ","), None)
        if comma is None:
            return None
        lo = comma + 1
    span = _sentence_subject(toks, lo, first, in_quote, None, lex)
    if span is None:
        return None
    phrase = toks[span[0] : span[1] + 1]
    if phrase[-1].low in PRONOUNS:
        return None  # the context is the whole text's by now: a pronoun would name its last
    if any(t.word and len(t.text) > 1 and t.text.isupper() for t in phrase):
        return None  # 'VOTERS CARE MORE ...': a headline in capitals, not a name
    if len(phrase) == 1 and phrase[0].low in common:
        return None  # 'Audiences can expect ...': a common word, capitalised as it opens
    speaker = resolve_speaker(phrase, lex, ctx, st.sentence.paragraph)
    return speaker if speaker is not None and speaker.kind == "person" else None


def _common_opener(t: Word, common: frozenset[str]) -> bool:
    """A capitalised sentence opener that is a common word ('Specifically', 'Addressing')."""
    return t.cap and (t.low in common or t.low.endswith(("ly", "ing")))


def _common_words(toks: list[Word]) -> frozenset[str]:
    """Words the document writes in lower case somewhere: not names where they open a
    sentence capitalised."""
    return frozenset(t.low for t in toks if t.word and not t.cap)


def _intro_attribution(q: _Q, st: _Sent, look: _Lookups):
    """A speech or naming verb before the quote in its clause: `X said: "..."`,
    `X called it "..."`, `what X calls "..."`, `"A," said X, "B."`: the last such verb
    before it that no ", which" clause keeps from it."""
    by_clause, tails = look.intro(st.index)
    pos = q.quote.start
    best = None
    for group, verbs in (by_clause.get(_clause_of(st, pos), ((), [])), tails):
        for k in range(bisect.bisect_left(verbs, pos) - 1, -1, -1):
            item = group[k]
            e = item[2]
            if e.verb_end <= pos and _reaches(st, e.verb_start, pos):
                if best is None or item[:2] > best[:2]:
                    best = item
                break
    if best is None:
        return None, None
    return best[2].speaker, best[2]


def _bare_intro(event: _Event, q: _Q, st: _Sent, text: str) -> bool:
    """Whether only the attribution stands between the speaker and the quotation: 'X said:
    "..."', 'X told reporters on Monday: "..."'. In 'Lavrov called the invasion, which
    Moscow calls ..., "a life-and-death struggle"' the words between are the author's."""
    if not st.sentence.start <= event.first < q.quote.start:
        return False
    gap = text[event.verb_end : q.quote.start]
    if not any(ch.isalnum() for ch in gap):
        return True
    return gap.rstrip().endswith(":") and len(gap.split()) <= 6 and not _QUOTE_CHARS & set(gap)


_QUOTE_CHARS = frozenset('"“”«»„')


def _colon_attribution(q: _Q, st: _Sent, d: _Doc) -> Speaker | None:
    """'British Prime Minister Boris Johnson: "..."' -- a speaker and a colon open the sentence."""
    toks, lex, ctx, text = d.toks, d.lex, d.ctx, d.text
    if _char_before(text, q.quote.start) != ":":
        return None
    colon = _first_token_at(toks, st, q.quote.start) - 1
    while colon >= st.lo and toks[colon].text != ":":
        colon -= 1
    span = phrase_left(toks, colon - 1, st.lo, lex) if colon > st.lo else None
    if span is None:
        return None
    before = text[st.sentence.start : toks[span[0]].start]
    if span[0] != st.lo and not _ENTRY_STAMP.fullmatch(before) and not _HEADING_DASH.search(before):
        return None
    return resolve_speaker(toks[span[0] : span[1] + 1], lex, ctx, st.sentence.paragraph)


# A digest's entry: a heading, a dash, then the speaker's label ("POLLS DID NOT FAIL - Carl
# Bialik: ..."); the dash stands apart from the words around it, unlike a hyphen.
_HEADING_DASH = re.compile(r"(?:^|\s)[-—–―]\s*$")


# What may stand before a speaker's label in a liveblog entry or a post: a time stamp and a
# dash ("14:05 GMT - Kyiv governor: ..."), a bullet or an emoji ("⚡️ Gladkov: ...")
_ENTRY_STAMP = re.compile(
    r"[^\w\n]*(?:\d{1,2}[:.]\d{2}(?:\s*(?:GMT|UTC|CET|CEST|EET|EEST|MSK|BST|ET|EST|EDT|"
    r"Kyiv time|local time|[ap]\.?m\.?))?)?[^\w\n]*",
    re.IGNORECASE,
)


def _reaches(st: _Sent, verb: int, target: int) -> bool:
    """A verb inside ", which ...," reaches only what is inside that clause."""
    return not st.relatives or st.relative_index.reaches(verb, target)


def _scoped_attribution(q: _Q, st: _Sent, look: _Lookups) -> Speaker | None:
    """A quotation inside a reported clause that its attribution closes or frames:
    'troops shelled the "corridor", residents said', '..., according to X': the first
    speech act of the quotation's clause that frames it or begins before it."""
    clause = _clause_at(st, q.quote.start)
    if clause is None:
        return None
    group, neg = look.scoped(st.index).get(clause, ((), []))
    k = bisect.bisect_left(neg, -q.quote.start)
    return group[k].speaker if k < len(group) else None


def _speech_noun_owner(q: _Q, st: _Sent, look: _Lookups, ctx: SpeakerContext) -> Speaker | None:
    """'Moscow may have bought into its own rhetoric that this is ... a "special military
    operation"': a term after a speech noun belongs to the actor before that noun, the
    first phrase left of the noun that names a speaker (pronouns aside)."""
    toks, in_quote, lex = look.toks, look.in_quote, look.lex
    lo, par = st.lo, st.sentence.paragraph
    nouns = look.nouns(st)
    k = bisect.bisect_left(nouns, _first_token_at(toks, st, q.quote.start)) - 1
    if k < 0:
        return None
    # Whether a phrase names a speaker does not depend on what the document said before
    # (only which speaker it names does), so the phrase found left of a token serves every
    # later quotation that searches from there: each token is tried once per sentence.
    owners = look.owners(st)
    passed: list[int] = []
    found: tuple[int, int] | None = None
    speaker = None
    for j in range(nouns[k] - 1, lo - 1, -1):
        if j in owners:
            found = owners[j]
            break
        passed.append(j)
        if in_quote[j] is not None or not toks[j].word:
            continue
        span = phrase_left(toks, j, lo, lex)
        if span is None or toks[span[1]].low in PRONOUNS:
            continue
        speaker = resolve_speaker(toks[span[0] : span[1] + 1], lex, ctx, par)
        if speaker is not None:
            found = span
            break
    for j in passed:
        owners[j] = found
    if found is not None and speaker is None:
        speaker = resolve_speaker(toks[found[0] : found[1] + 1], lex, ctx, par)
    return speaker


def _run_on_quotes(qs: list[_Q], text: str) -> None:
    """A quotation running over paragraphs (no closing mark, the next paragraph reopens)
    takes the speaker of the part that is attributed."""
    for k in range(len(qs) - 2, -1, -1):
        q = qs[k]
        if q.parent is None and not q.quote.closed and q.accepted and q.speaker is None:
            for nxt in qs[k + 1 :]:
                if nxt.parent is None and nxt.paragraph == q.paragraph + 1:
                    q.speaker = nxt.speaker
                    break


_TERM_WORD = re.compile(r"\w+(?:['’]\w+)*")


def _echoes(terms: list[_Q], qs: list[_Q], text: str) -> None:
    """A scare-quoted term its own sentence names no speaker for, whose words a longer
    quotation of the same text holds ('"unhinged"' after 'Clinton says Trump's "latest
    twitter meltdown is unhinged"'), is that quotation's speaker's word: reporters cut
    terms from what they quoted in full. The nearest such quotation gives the speaker."""
    if not terms:
        return
    full = [q for q in qs if q.parent is None and q.kind == "direct" and q.speaker is not None]
    by_word: dict[str, list[_Q]] = {}
    for q in full:
        for w in {m.group().casefold() for m in _TERM_WORD.finditer(text, q.start, q.end)}:
            by_word.setdefault(w, []).append(q)
    for term in terms:
        term_words = [m.group().casefold() for m in _TERM_WORD.finditer(text, term.start, term.end)]
        if not term_words:
            continue
        # the word with the fewest holders bounds the search (scraped pages quote thousands)
        holders = min((by_word.get(w, []) for w in term_words), key=len)
        best: tuple[int, _Q] | None = None
        own = term.speaker.name if term.speaker is not None else None
        for q in holders:
            body = [m.group().casefold() for m in _TERM_WORD.finditer(text, q.start, q.end)]
            n = len(term_words)
            if any(body[i : i + n] == term_words for i in range(len(body) - n + 1)):
                if q.speaker.name == own:  # the term's own speaker said it in full
                    best = None
                    break
                distance = abs(q.start - term.start)
                if best is None or distance < best[0]:
                    best = (distance, q)
        if best is not None:
            term.speaker = best[1].speaker


def _named_later(qs: list[_Q], ctx: SpeakerContext) -> None:
    """A quotation given to a bare office ("Kyiv region governor: '...'" heading a liveblog
    entry) is the person the document names with that office afterwards ("Oleksiy
    Kuleshov, the governor of the Kyiv region, said"), when it names exactly one."""
    for q in qs:
        sp = q.speaker
        if sp is None or sp.kind != "group":
            continue
        keys = tuple(w.lower() for w in _TERM_WORD.findall(sp.name))
        if not keys or keys[-1] not in TITLES:
            continue
        for key in (keys, keys[-2:], keys[-1:]):
            named = ctx.titles.get(key)
            if named is not None:
                q.speaker = named
                break
