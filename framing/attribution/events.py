"""Speech acts: a speech verb (or 'according to') with its speaker, its clause and where
its words are; and the subjects a later 'he said' may mean."""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from framing.actors import name_key
from framing.attribution.phrases import (
    FUNCTION_WORDS,
    PRONOUNS,
    TIME_WORDS,
    TITLES,
    Speaker,
    Word,
    WordClasses,
    apposition_right,
    person_in,
    phrase_left,
    phrase_right,
    resolve_speaker,
    trailing_name,
)
from framing.attribution.structure import (
    _char_before,
    _clause_of,
    _Doc,
    _Event,
    _first_token_at,
    _Sent,
    _skip_left,
)
from framing.attribution.vocabulary import (
    _ACCORDING,
    _AUX,
    _BE,
    _CLAUSE_CONJ,
    _CLOSE_MARKS,
    _INTERRUPTING_MARKS,
    _MEDIA_NOUNS,
    _NOT_VERB_AFTER,
    _NUMBER_NOUNS,
    _OPEN_MARKS,
    _SETTING_RE,
    _STANCE_NOUNS,
    VERBS,
    _lacks_particle,
)
from framing.slavic import INVERTING, LOCATIVE

_OBJECT_PRONOUNS = {"him": "he", "her": "she", "them": "they"}


def _events(st: _Sent, d: _Doc) -> list[_Event]:
    """Speech acts of one sentence, left to right."""
    toks, in_quote, lex, ctx = d.toks, d.in_quote, d.lex, d.ctx
    par = st.sentence.paragraph
    found: list[_Event] = []
    run_start = st.lo  # where the stretch of narration or quotation holding token v begins
    for v in range(st.lo, st.hi):
        t = toks[v]
        if v > st.lo and in_quote[v] != in_quote[v - 1]:
            run_start = v
        if not t.word:
            continue
        container = in_quote[v]
        if v + 1 < st.hi and (t.low, toks[v + 1].low) in _ACCORDING:
            if v + 2 < st.hi and toks[v + 2].low in _OBJECT_PRONOUNS:
                # "According to him, ...": the last person (or group) named
                span = (v + 2, v + 2)
                speaker = ctx.pronoun(_OBJECT_PRONOUNS[toks[v + 2].low], par)
            else:
                span = phrase_right(toks, v + 2, st.hi, lex)
                if span is None:
                    continue
                # "по словам", "за словами" govern the genitive
                genitive = not t.low.isascii()
                speaker = resolve_speaker(
                    toks[span[0] : span[1] + 1], lex, ctx, par, genitive=genitive
                )
            if speaker is None:
                continue
            clause = _clause_of(st, t.start)
            found.append(
                _Event(
                    "according",
                    t.start,
                    toks[v + 1].end,
                    speaker,
                    t.start,
                    toks[span[1]].end,
                    clause,
                    container,
                    sentence=st.index,
                    paragraph=par,
                )
            )
            continue
        entry = VERBS.get(t.low)
        if entry is None or t.cap and v > st.lo:
            if t.low in ("put", "puts") and _number_object(toks, v + 1, st.hi):
                entry = ("put", "number")
            elif t.low in ("put", "puts") and v + 1 < st.hi and toks[v + 1].low == "it":
                entry = ("put", "that")  # 'as X put it: "..."'
            else:
                continue
        lemma, cls = entry
        if v + 1 < st.hi and toks[v + 1].low in _NOT_VERB_AFTER.get(lemma, ()):
            continue  # "think tank", "state media", "report card"
        if (
            lemma == "state"
            and v + 1 < st.hi
            and (toks[v + 1].low in TITLES or toks[v + 1].low in d.lex.roles)
        ):
            continue  # "Clinton's Colorado state director", "state officials": a noun
        if _lacks_particle(lemma, toks[v + 1].low if v + 1 < st.hi else None):
            continue  # "fired" a shot, "went" home: no speech without "back", "on"
        if lemma == "call" and v + 1 < st.hi and toks[v + 1].low in ("for", "on"):
            cls = "say"
        event = _event_at(st, v, lemma, cls, run_start, d, found)
        if event is not None:
            found.append(event)
            if event.speaker is not None:
                ctx.remember(event.speaker, par)
    found.extend(_setting_events(st, d, found))
    by_clause: dict[tuple[int, int], list[_Event]] | None = None
    for e in found:
        if e.cls == "according" and e.speaker is not None and e.speaker.kind == "media":
            if by_clause is None:
                by_clause = {}
                for o in found:
                    by_clause.setdefault(o.clause, []).append(o)
            e.source = any(
                o.cls != "according" and o.speaker not in (None, e.speaker)
                for o in by_clause[e.clause]
            )
    return found


def _setting_events(st: _Sent, d: _Doc, found: list[_Event]) -> list[_Event]:
    """'Chairman of the Joint Chiefs, General Mark Milley, granted the capital 72 hours in
    closed briefings': a clause that opens with an actor and a verb and names a speech
    setting (a briefing, an interview, a statement) is that actor's claim."""
    toks, in_quote, lex, ctx, text = d.toks, d.in_quote, d.lex, d.ctx, d.text
    out: list[_Event] = []
    taken = {e.clause for e in found}  # only asked, never iterated
    for clause in st.clauses:
        if clause in taken:
            continue
        setting = _SETTING_RE.search(text, clause[0], clause[1])
        if setting is None:
            continue
        i = _first_token_at(toks, st, clause[0])
        while i < st.hi and toks[i].word and toks[i].low in _CLAUSE_CONJ:
            i += 1
        if i >= st.hi or in_quote[i] is not None:
            continue
        span = phrase_right(toks, i, st.hi, lex)
        if span is None or span[0] != i:
            continue
        phrase = toks[span[0] : span[1] + 1]
        appos = apposition_right(toks, span[1], st.hi)
        apposition = toks[appos[0] : appos[1] + 1] if appos else ()
        verb = (appos[1] + 2) if appos else span[1] + 1
        if (
            verb >= st.hi
            or not toks[verb].word
            or toks[verb].cap
            or toks[verb].low in FUNCTION_WORDS
        ):
            continue
        if toks[verb].start > setting.start():
            continue
        speaker = resolve_speaker(phrase, lex, ctx, st.sentence.paragraph, apposition)
        if speaker is not None and person_in(apposition, lex) and speaker.kind == "group":
            speaker = (
                resolve_speaker(apposition, lex, ctx, st.sentence.paragraph, phrase) or speaker
            )
        if speaker is None:
            continue
        out.append(
            _Event(
                "setting",
                toks[verb].start,
                toks[verb].end,
                speaker,
                toks[i].start,
                toks[verb].end,
                clause,
                None,
                sentence=st.index,
                paragraph=st.sentence.paragraph,
            )
        )
        ctx.remember(speaker, st.sentence.paragraph)
    return out


def _number_object(toks: list[Word], k: int, hi: int) -> bool:
    """ "puts [that|the] number/toll ..." -- an estimate attributed to the subject."""
    for j in range(k, min(hi, k + 4)):
        if toks[j].low in _NUMBER_NOUNS:
            return True
        if not toks[j].word:
            return False
    return False


def _event_at(
    st: _Sent, v: int, lemma: str, cls: str, lo: int, d: _Doc, earlier: list[_Event]
) -> _Event | None:
    toks, in_quote, lex, ctx, text = d.toks, d.in_quote, d.lex, d.ctx, d.text
    t = toks[v]
    par = st.sentence.paragraph
    container = in_quote[v]
    clause = _clause_of(st, t.start)
    clause_lo = max(lo, _first_token_at(toks, st, clause[0]))
    form = t.low
    j = _skip_left(toks, v - 1, clause_lo)
    if form.endswith("ing") and j > clause_lo and toks[j].low in _PROGRESSIVE:
        j = _skip_left(toks, j - 1, clause_lo)  # "X, for his part, is labeling": X's act
    j = _before_party_label(toks, j, clause_lo, lex)
    passive = j >= clause_lo and toks[j].low in _BE and not form.endswith("ing")
    if form == "saying" and j - 1 >= clause_lo and toks[j].low == "as":
        if toks[j - 1].low in ("quoted", "cited"):
            j = _skip_left(toks, j - 2, clause_lo)  # "X was quoted as saying"
            while j >= clause_lo and toks[j].low in _BE:
                j = _skip_left(toks, j - 1, clause_lo)
        else:
            quoted = phrase_left(toks, j - 1, clause_lo, lex)  # "media quoted X as saying"
            if (
                quoted is not None
                and quoted[0] - 1 >= clause_lo
                and toks[quoted[0] - 1].low in ("quoted", "cited")
            ):
                speaker = resolve_speaker(toks[quoted[0] : quoted[1] + 1], lex, ctx, par)
                # '"...," the Associated Press quoted X as saying': the attribution begins
                # at the outlet, right after the quotation; X is the speaker
                outlet = (
                    phrase_left(toks, quoted[0] - 2, clause_lo, lex)
                    if quoted[0] - 2 >= clause_lo
                    else None
                )
                if speaker is not None:
                    return _Event(
                        cls,
                        t.start,
                        t.end,
                        speaker,
                        toks[outlet[0] if outlet is not None else quoted[0]].start,
                        t.end,
                        clause,
                        container,
                        sentence=st.index,
                        paragraph=par,
                    )
        passive = False
    if passive:
        return None
    if j >= clause_lo and toks[j].word and toks[j].low in ("not", "never", "n't", "не"):
        return None  # "did not say": nothing is attributed
    if cls == "that" and not (
        _that_follows(toks, v + 1, st.hi) or _after_interrupted_quote(text, t.start)
    ):
        return None

    speaker: Speaker | None = None
    first = last = None
    apposition: Sequence[Word] = ()
    span = None
    participle_after_comma = form.endswith("ing") and j >= clause_lo and toks[j].text == ","
    if participle_after_comma:
        pass  # "X said on Sunday, adding": no ", apposition," here; its subject is found below
    elif j >= clause_lo and toks[j].text == "," or j >= clause_lo and _ends_relative(st, toks[j]):
        span, apposition = _subject_before_apposition(st, toks, j, clause_lo, lex)
        opener = _opening_name(toks, clause_lo, j, in_quote, container, lex)
        if opener is not None and (span is None or span[0] > opener[1]):
            # "Geoff Garin, a pollster who works with Priorities USA, a super PAC, said":
            # a long apposition with commas of its own; the name that opens the clause,
            # set off by a comma, is the subject
            span, apposition = opener, toks[opener[1] + 1 : j]
    elif j >= clause_lo:
        span = phrase_left(toks, j, clause_lo, lex)
        if span is not None:
            span = _person_of_town_and_state(toks, span, clause_lo, lex)
        if span is not None:
            span, apposition = _name_before_role(toks, span, clause_lo, lex, ctx, par)
        if span is not None and not apposition and _bare_role(toks[span[0] : span[1] + 1], lex):
            # "Anthony Anton, president and CEO of the Restaurant Association stated" (the
            # apposition's closing comma left out): the opening name, not the office
            opener = _opening_name(toks, clause_lo, span[0], in_quote, container, lex)
            if opener is not None:
                span, apposition = opener, toks[opener[1] + 1 : j + 1]
    if span is not None and toks[span[1]].poss:
        span = None
    if span is not None:
        phrase = toks[span[0] : span[1] + 1]
        speaker = resolve_speaker(phrase, lex, ctx, par, apposition)
        if (
            speaker is not None
            and person_in(apposition, lex)
            and (speaker.kind == "group" or _bare_role(phrase, lex))
        ):
            # "Chairman of the Joint Chiefs of Staff, General Mark Milley, granted ...";
            # "Her campaign manager, Robby Mook, suggested": the name the apposition gives,
            # not whoever the document named with the title before
            speaker = resolve_speaker(apposition, lex, ctx, par, phrase) or speaker
        first, last = toks[span[0]].start, t.end
    if (
        speaker is None
        and j >= clause_lo
        and (
            form.endswith("ing")
            and (toks[j].text == "," or toks[j].low in ("while", "after", "before", "by", "when"))
            or toks[j].low
            in ("and", "but", "yet", "then")  # "X said ..., but warned that": X again
        )
    ):
        same = next(
            (
                e
                for e in reversed(earlier)
                if e.sentence == st.index and e.speaker is not None and e.container == container
            ),
            None,
        )
        if same is not None:
            speaker, first, last = same.speaker, t.start, t.end
            cls = "participle"
    if speaker is None and first is None and form.endswith("ing") and j >= clause_lo:
        if participle_after_comma:
            # "Peskov rejected the accusations, saying Russia ...": a participle after a comma
            # has the sentence's subject; the name after it ("Russia") is what was said.
            span = _sentence_subject(toks, lo, j, in_quote, container, lex)
            if span is not None:
                word = toks[span[0]]
                # a lone capitalised first word nobody knows ("Shelling went on, ...") is
                # not taken for a subject; a pronoun, a known surname or an actor is
                bare_word = span[0] == span[1] and word.low not in PRONOUNS
                bare_word = bare_word and word.low not in ctx.surnames
                speaker = resolve_speaker(toks[span[0] : span[1] + 1], lex, ctx, par)
                if speaker is not None and bare_word and speaker.side is None:
                    speaker = None
                if speaker is not None:
                    first, last = toks[span[0]].start, t.end
                    cls = "participle"
        if speaker is None:
            return None  # "-ing" is never inverted ('"...," saying X' is not English)
    if (
        speaker is None
        and first is None
        and lemma != "tell"  # "told reporters": whom one tells follows the verb, never who
        and (j < clause_lo or not toks[j].word or toks[j].low in INVERTING)
    ):
        # "..., said X", "— заявил X", and "Как сообщил X, ..." / "Як заявив X": the
        # speaker follows the verb (never the conjunction before it); "Как сообщили в
        # Кремле": the institution after a locative preposition
        after = v + 1
        if after + 1 < st.hi and toks[after].low in LOCATIVE and toks[after + 1].cap:
            after += 1
        span = phrase_right(toks, after, st.hi, lex, described=True)
        if span is not None and all(in_quote[k] == container for k in range(span[0], span[1] + 1)):
            appos = apposition_right(toks, span[1], st.hi)
            apposition = toks[appos[0] : appos[1] + 1] if appos else ()
            speaker = resolve_speaker(toks[span[0] : span[1] + 1], lex, ctx, par, apposition)
            if speaker is not None:
                inverted = j >= clause_lo and toks[j].low in INVERTING
                if inverted and j > clause_lo and toks[j - 1].low in ("об", "о", "про"):
                    j -= 1  # "Об этом заявил X": the attribution opens at "Об"
                first, last = (toks[j] if inverted else t).start, toks[span[1]].end
    if speaker is None or first is None:
        return None
    if speaker.side is None and lemma == "tell":
        side = _audience_side(toks, v + 1, st.hi, lex)
        if side is not None:
            speaker = Speaker(speaker.name, side, speaker.kind)
            ctx.sides[speaker.name] = side
            surname = name_key(speaker.name)[-1:] if speaker.kind == "person" else ()
            if surname and surname[0] in ctx.surnames:
                ctx.surnames[surname[0]] = speaker
    tail = _char_before(text, first) in ',”"’—–' and _tail_of(
        st, toks, in_quote, container, _first_token_at(toks, st, last), clause
    )
    return _Event(
        cls,
        t.start,
        t.end,
        speaker,
        first,
        last,
        clause,
        container,
        tail=tail,
        sentence=st.index,
        paragraph=par,
    )


# Words that open a short scene-setting phrase before a sentence's subject ("On Sunday, ...").
_SCENE_OPENERS = frozenset(
    "on in at after before during earlier later meanwhile separately however yesterday today "
    "last".split()
)


def _sentence_subject(
    toks: list[Word], lo: int, end: int, in_quote, container, lex: WordClasses
) -> tuple[int, int] | None:
    """(first, last) of the speaker phrase that opens the stretch at ``lo`` (after a short
    scene-setting phrase and its comma, if any) and ends before token ``end``."""
    start = lo
    while start < end and not toks[start].word:
        start += 1
    if start < end and toks[start].low in _SCENE_OPENERS:
        comma = next(
            (k for k in range(start + 1, min(start + 7, end)) if toks[k].text == ","), None
        )
        if comma is None:
            return None
        start = comma + 1
    span = phrase_right(toks, start, end, lex)
    if span is None or any(in_quote[k] != container for k in range(span[0], span[1] + 1)):
        return None
    return span


def _tail_of(st: _Sent, toks: list[Word], in_quote, container, a: int, clause) -> bool:
    """Whether an attribution whose words end at token ``a`` closes its clause: at most 10
    words after it, no "that" or colon, no other quotation. Each check costs a bisection
    (the sentence's word and quotation positions are found once), not a pass over the rest
    of the clause: a long clause with many speech verbs is not quadratic."""
    b = _first_token_at(toks, st, clause[1])
    if b <= a:
        return True
    if st.said_words is None:
        st.said_words = [k for k in range(st.lo, st.hi) if toks[k].word or toks[k].text == ":"]
        runs: list[tuple[int, int, int]] = []
        for k in range(st.lo, st.hi):
            if in_quote[k] is None:
                continue
            if runs and runs[-1][1] == k and runs[-1][2] == in_quote[k]:
                runs[-1] = (runs[-1][0], k + 1, in_quote[k])
            else:
                runs.append((k, k + 1, in_quote[k]))
        st.quote_runs = runs
    said = st.said_words
    lo, hi = bisect.bisect_left(said, a), bisect.bisect_left(said, b)
    # "X, TASS said on Sunday, adding that Y": the participle starts a second claim of the
    # same speaker, so the attribution still closes the clause that holds X
    hi = next(
        (
            n
            for n in range(lo, min(hi, lo + 12))
            if said[n] > 0
            and toks[said[n] - 1].text == ","
            and toks[said[n]].low.endswith("ing")
            and toks[said[n]].low in VERBS
        ),
        hi,
    )
    if hi - lo > 10 or any(toks[k].low == "that" or toks[k].text == ":" for k in said[lo:hi]):
        return False
    runs = st.quote_runs
    for k in range(max(0, bisect.bisect_right(runs, (a, a)) - 1), len(runs)):
        first, end, quote = runs[k]
        if first >= b:
            break
        if end > a and quote != container:
            return False
    return True


def _ends_relative(st: _Sent, tok: Word) -> bool:
    return bool(st.relatives) and tok.end in st.relative_index.start_by_end


def _bare_role(phrase: Sequence[Word], lex: WordClasses) -> bool:
    """A phrase headed by a title or role with no name after it ("CEO of the Association")."""
    if not phrase:
        return False
    keys = [t.low for t in phrase]
    head = next((i - 1 for i, k in enumerate(keys) if i and k in ("of", "for")), len(keys) - 1)
    return (keys[head] in TITLES or keys[head] in lex.roles) and (
        trailing_name(phrase[: head + 1], lex) == head + 1
    )


_OPENING_NAME_REACH = 45  # tokens from the name to the verb: appositions run long


def _opening_name(
    toks: list[Word], lo: int, j: int, in_quote, container, lex: WordClasses
) -> tuple[int, int] | None:
    """(first, last) of a person's name (a title may precede it) that opens the stretch at
    ``lo`` and is followed by a comma or parenthesis, far enough before token ``j``."""
    i = lo
    while i < j and not toks[i].word:
        i += 1
    span = phrase_right(toks, i, j, lex)
    if span is None or span[1] + 1 >= j or j - span[1] > _OPENING_NAME_REACH:
        return None
    if toks[span[1] + 1].text not in (",", "("):
        return None
    if any(in_quote[k] != container for k in range(i, j)):
        return None
    phrase = toks[span[0] : span[1] + 1]
    if len(phrase) - trailing_name(phrase, lex) < 2:
        return None  # a first name and a surname at least: not "Separately," or "Kyiv,"
    return span


def _subject_before_apposition(st: _Sent, toks, j: int, lo: int, lex: WordClasses):
    """The speaker phrase before an apposition or relative clause that ends at ``j``
    ("Russian officials, including Putin and Lavrov, insist" -> "Russian officials")."""
    start = st.relative_index.start_by_end.get(toks[j].end) if st.relatives else None
    if start is not None:
        k = _first_token_at(toks, st, start) - 1
        return (phrase_left(toks, k, lo, lex) if k >= lo else None), ()
    k = j - 1
    while k >= lo and toks[k].text != "," and j - k <= 14:
        k -= 1
    if k < lo or toks[k].text != ",":
        return None, ()
    apposition = toks[k + 1 : j]
    if not apposition or not all(t.word or t.text in "-'’." for t in apposition):
        return None, ()
    span = phrase_left(toks, k - 1, lo, lex)
    if span is None and person_in(apposition, lex):
        # "the head of the U.N. nuclear watchdog, Rafael Grossi, warned": the name is the subject
        return (k + 1, j - 1), toks[max(lo, k - 8) : k]
    return span, apposition


def _name_before_role(
    toks: list[Word], span: tuple[int, int], lo: int, lex: WordClasses, ctx, paragraph: int
) -> tuple[tuple[int, int], Sequence[Word]]:
    """(speaker span, apposition) for a role phrase ``span`` right before a speech verb:
    "Maria Zakharova, the foreign ministry spokeswoman said" (the apposition's closing comma
    left out, as noisy text does) is Zakharova, with the role as her apposition."""
    k = span[0]
    if toks[k].low not in ("the", "a", "an") or k - 2 < lo or toks[k - 1].text != ",":
        return span, ()
    name = phrase_left(toks, k - 2, lo, lex)
    # the name must open its stretch of text: in "Putin met Erdogan, the Kremlin spokesman
    # said" Erdogan is what was said, not who said it
    if name is None or name[0] > lo and toks[name[0] - 1].word:
        return span, ()
    named = resolve_speaker(toks[name[0] : name[1] + 1], lex, ctx, paragraph)
    if named is None or named.kind != "person" or not toks[name[0]].cap:
        return span, ()
    if name[0] == name[1] and named.side is None:
        return span, ()  # one unknown capitalised word ("Separately, the ministry said")
    return name, toks[k : span[1] + 1]


def _person_of_town_and_state(
    toks: list[Word], span: tuple[int, int], lo: int, lex: WordClasses
) -> tuple[int, int]:
    """'Stacy Baker of Columbia, South Carolina says': the person before "of" and the town,
    not the state after the comma; else ``span`` as it was."""
    comma = span[0] - 1
    if comma - 1 < lo or toks[comma].text != "," or span[1] - span[0] > 2:
        return span
    if not all(toks[k].cap and not lex.vocab(toks[k]) for k in range(span[0], span[1] + 1)):
        return span
    before = phrase_left(toks, comma - 1, lo, lex)
    if before is None:
        return span
    of = next((k for k in range(before[0] + 1, before[1]) if toks[k].low == "of"), None)
    if of is None or not person_in(toks[before[0] : of], lex):
        return span
    return before[0], span[1]


_PROGRESSIVE = frozenset("is are was were 's 're am".split())

_PARTY_LABEL_TOKENS = 6  # "(D-N.Y.)": a party and a state, in at most this many tokens


def _before_party_label(toks: list[Word], j: int, lo: int, lex: WordClasses) -> int:
    """'Rep. Joe Crowley (D-N.Y.) teased', 'Lisa M. Madigan (D) asserted': the index of the
    name's last word when a short parenthesis after a name stands right before the verb
    (else ``j``), so the name, not the parenthesis, is the subject."""
    if j < lo or toks[j].text != ")":
        return j
    for k in range(j - 1, max(lo, j - _PARTY_LABEL_TOKENS) - 1, -1):
        if toks[k].text == "(":
            if (
                k - 1 >= lo
                and lex.name_word(toks[k - 1])
                and all(t.word or t.text in ".-" for t in toks[k + 1 : j])
            ):
                return k - 1
            return j
        if toks[k].text in ")," or not toks[k].word and toks[k].text not in ".-":
            return j
    return j


def _after_interrupted_quote(text: str, start: int) -> bool:
    """'"...," added X' / '"...?" asked X': the verb right after a quotation that its own
    comma, question or exclamation mark leaves open for an attribution. The word is then
    a speech verb, as "added" or "asked" are not in narration ("added troops")."""
    k = start
    while k > 0 and text[k - 1] in " \t":
        k -= 1
    if k < 2 or text[k - 1] not in _CLOSE_MARKS:
        return False
    while k > 0 and (text[k - 1] in _CLOSE_MARKS or text[k - 1] == " "):
        k -= 1  # "... say 'I can win,'" added X: a nested quotation closes with it
    return k >= 1 and text[k - 1] in _INTERRUPTING_MARKS


def _that_follows(toks: list[Word], k: int, hi: int) -> bool:
    """ "added that", "noted: ...", "stressed, “...”": the verb introduces words."""
    for j in range(k, min(hi, k + 6)):
        t = toks[j]
        if t.low == "that" or t.text == ":" or t.text in _OPEN_MARKS:
            return True
        if t.text == "," and j + 1 < hi and toks[j + 1].text in _OPEN_MARKS:
            return True
        if (
            not t.word
            or t.low not in _AUX
            and t.low not in TIME_WORDS
            and not t.low.endswith("ly")
            and t.low not in ("on", "in", "to", "reporters", "journalists", "back", "it", "out")
            and t.low not in _STANCE_NOUNS
        ):
            return False
    return False


def _audience_side(toks: list[Word], k: int, hi: int, lex: WordClasses) -> str | None:
    """ "told Russian media": a weak sign of the speaker's side, used only when nothing else
    gives one (speakers mostly address their own country's media)."""
    window = [t for t in toks[k : min(hi, k + 5)] if t.word]
    for a, b in zip(window, window[1:], strict=False):
        if b.low in _MEDIA_NOUNS or b.low in ("state",):
            side = lex.registry.side_word((a.low,))
            if side:
                return side
    return None


def _remember_subject(st: _Sent, found: list[_Event], d: _Doc) -> None:
    """A sentence that opens with a person ("Putin arrived in Minsk.") makes that person
    the one a later "he said" most likely means."""
    toks, in_quote, lex, ctx = d.toks, d.in_quote, d.lex, d.ctx
    if found:
        return
    i = st.lo
    while i < st.hi and (in_quote[i] is not None or not toks[i].word):
        i += 1
    speaker = _opening_person(toks, i, st, lex, ctx)
    if speaker is None:
        # "Sixty one years to the day since the launch, Putin drew ...": after an opening
        # phrase and its comma
        comma = next((k for k in range(i + 1, min(i + 16, st.hi)) if toks[k].text == ","), None)
        if comma is not None and in_quote[comma] is None:
            speaker = _opening_person(toks, comma + 1, st, lex, ctx)
    if speaker is not None:
        ctx.remember(speaker, st.sentence.paragraph)


def _opening_person(toks, i: int, st: _Sent, lex, ctx) -> Speaker | None:
    """The person a phrase starting at token ``i`` names, if it does."""
    span = phrase_right(toks, i, st.hi, lex)
    if span is None or span[0] != i:
        return None
    speaker = resolve_speaker(toks[span[0] : span[1] + 1], lex, ctx, st.sentence.paragraph)
    if speaker is None or speaker.kind != "person":
        return None
    word = toks[span[0]]
    if span[0] == span[1] and speaker.name == word.text and word.low not in ctx.surnames:
        return None  # "Financial markets fell": one capitalised word nobody knows
    return speaker
