"""Property tests (hypothesis): the parsers never crash and never lie about offsets.

Segmentation slices the original text back; quotation spans and lexicon hits lie inside the
text and agree with the slow reference; attribution survives unbalanced and nested quotes;
the lexicon loader either loads a TOML file or says what is wrong in a FramingError; input
decoding turns any bytes into text or a FramingError. About 3,700 examples in all.
"""

from __future__ import annotations

import atexit
import json
import math
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from framing.errors import FramingError
from framing.lexicon import Frame, Lexicon, Term, load_lexicon, load_lexicons
from framing.match import TermMatcher
from framing.text import MAX_QUOTE_DEPTH, Document, QuoteIndex, find_quotes, inside_quote, segment
from framing.tokens import term_key
from tests.conftest import DATA

SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large]

# Pieces of news prose and of its usual damage: abbreviations, initials, every quotation
# mark (paired or not), paragraph breaks, odd white space, scripts other than Latin.
PIECES = [
    "The",
    "invasion",
    "war",
    "began",
    "special military operation",
    "liberate",
    "neo-Nazis",
    "not",
    "never",
    "Gen.",
    "U.S.",
    "Mr.",
    "Dr. J. Smith",
    "e.g.",
    "a.m.",
    "No.",
    "3.5",
    "Feb. 24",
    "said",
    "told reporters",
    "according to",
    "Lavrov",
    "Zelensky",
    "Russian Foreign Minister Sergei Lavrov",
    "he",
    "she",
    "they",
    "claimed",
    "warned",
    "Kyiv",
    "Київ",
    "Москва",
    "中文",
    "é",
    "ﬁ",
    "“",
    "”",
    '"',
    "'",
    "‘",
    "’",
    "«",
    "»",
    "„",
    "‹",
    "›",
    "「",
    "」",
    ".",
    "!",
    "?",
    "…",
    ",",
    ";",
    ":",
    "(",
    ")",
    "[",
    "]",
    "—",
    "–",
    "-",
    " ",
    " ",
    "  ",
    "\n",
    "\n\n",
    "\t",
    "\r\n",
    "\u2028",
    "\u00a0",
    "\u200b",
    "\x0c",
]
prose = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=80).map("".join)
any_text = st.one_of(st.text(max_size=400), prose, prose.map(lambda t: t.replace(" ", "")))


# --- segmentation -----------------------------------------------------------------------


@settings(max_examples=800, deadline=None, suppress_health_check=SLOW_OK)
@given(any_text)
def test_segment_offsets_slice_the_original_text(text):
    sentences = segment(Document("d", text))
    assert [s.sentence_id for s in sentences] == list(range(len(sentences)))
    previous_end = 0
    for s in sentences:
        assert 0 <= previous_end <= s.start < s.end <= len(text)
        assert text[s.start : s.end] == s.text
        assert not s.text[0].isspace() and not s.text[-1].isspace()
        assert any(c.isalnum() for c in s.text)
        previous_end = s.end
    # Nothing with a letter or digit is lost between sentences.
    covered = set()
    for s in sentences:
        covered.update(range(s.start, s.end))
    assert all(i in covered for i, c in enumerate(text) if c.isalnum())


# --- quotations -------------------------------------------------------------------------


@settings(max_examples=700, deadline=None, suppress_health_check=SLOW_OK)
@given(any_text, st.lists(st.tuples(st.integers(0, 400), st.integers(0, 40)), max_size=8))
def test_quotes_lie_in_the_text_and_the_index_agrees_with_a_scan(text, probes):
    sentences = segment(Document("d", text))
    quotes = find_quotes(text, sentences)
    for q in quotes:
        assert 0 <= q.start < q.inner_start <= q.inner_end <= q.end <= len(text)
        assert text[q.inner_start : q.inner_end] == q.text and q.text.strip()
        assert 1 <= q.depth <= MAX_QUOTE_DEPTH
        expected = tuple(
            s.sentence_id for s in sentences if s.start < q.inner_end and q.inner_start < s.end
        )
        assert q.sentence_ids == expected
    index = QuoteIndex(quotes)
    for start, length in probes:
        start = min(start, len(text))
        end = min(start + length, len(text))
        assert index.innermost(start, end) == inside_quote(start, end, quotes)
    for q in quotes:
        assert index.innermost(q.inner_start, q.inner_end) == inside_quote(
            q.inner_start, q.inner_end, quotes
        )


# --- lexicon matching -------------------------------------------------------------------

MINI = load_lexicon(str(DATA / "mini.toml"))
MINI_MATCHER = TermMatcher(MINI)
term_texts = st.one_of(st.sampled_from(PIECES), st.text(min_size=1, max_size=12))


def _lexicon_of(terms: list[str]) -> Lexicon:
    kept: dict[tuple[str, ...], Term] = {}
    for t in terms:
        key = term_key(t)
        if key and key not in kept:
            kept[key] = Term(text=t.strip(), weight=0.5, key=key)
    frames = (
        Frame(id="a", label="a", description="", terms=tuple(kept.values()), exemplars=("x",)),
        Frame(
            id="b",
            label="b",
            description="",
            terms=tuple(list(kept.values())[::2]),
            exemplars=("y",),
        ),
    )
    return Lexicon(frames=frames, axes=())


@settings(max_examples=600, deadline=None, suppress_health_check=SLOW_OK)
@given(any_text, st.lists(term_texts, max_size=6), st.booleans())
def test_hits_lie_inside_their_sentence(text, extra_terms, use_mini):
    matcher = MINI_MATCHER if use_mini else TermMatcher(_lexicon_of(extra_terms))
    frame_ids = set(matcher.lexicon.frame_ids)
    sentences = segment(Document("d", text))
    quotes = find_quotes(text, sentences)
    for s in sentences:
        for h in matcher.match(text, s.start, s.end, quotes):
            assert s.start <= h.start < h.end <= s.end
            assert text[h.start : h.end] == h.text
            assert h.frame in frame_ids and 0 < h.weight <= 1
            assert h.quoted == (inside_quote(h.start, h.end, quotes) is not None)
    # The whole text as one span, and an arbitrary slice of it, never crash either.
    matcher.match(text)
    matcher.match(text, len(text) // 3, len(text) - len(text) // 3, quotes)


# --- attribution --------------------------------------------------------------------------

attribution = pytest.importorskip(
    "framing.attribution", reason="framing.attribution is not written yet"
)
speech = st.lists(
    st.one_of(
        st.sampled_from(PIECES),
        st.sampled_from(
            ["“", "”", '"', "«", "»", "‘", "’", "'", " said ", ", said ", " told ", ": “"]
        ),
    ),
    max_size=70,
).map("".join)


@settings(max_examples=500, deadline=None, suppress_health_check=SLOW_OK)
@given(
    st.one_of(speech, st.text(max_size=300)),
    st.lists(st.tuples(st.integers(0, 300), st.integers(1, 30)), max_size=4),
)
def test_attribution_survives_unbalanced_and_nested_quotes(text, probes):
    from framing.actors import load_actors

    doc = Document("d", text)
    sentences = segment(doc)
    quotes = find_quotes(text, sentences)
    result = attribution.attribute(doc, sentences, quotes, load_actors())
    assert len(result.voices) == len(sentences)
    for span in result.spans:
        assert 0 <= span.start <= span.end <= len(text)
        assert text[span.start : span.end] == span.text
    for i, s in enumerate(sentences):
        for start, length in probes:
            a = s.start + start % max(1, s.end - s.start)
            result.voice_at(a, min(s.end, a + length), i)
    attribution.attribute(doc)  # and with its own segmentation


# --- the lexicon loader -----------------------------------------------------------------

scalars = st.one_of(
    st.text(max_size=12),
    st.integers(-3, 3),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=5,
)
ids = st.one_of(
    st.sampled_from(["war", "peace", "invasion", "a", "b"]), st.text(max_size=8), values
)
frames = st.fixed_dictionaries(
    {},
    optional={
        "id": ids,
        "label": st.one_of(st.text(max_size=10), values),
        "description": st.text(max_size=10),
        "terms": st.one_of(
            st.dictionaries(
                term_texts,
                st.one_of(
                    st.floats(0.01, 1), st.sampled_from([0, -1, 1.5, math.nan, math.inf]), values
                ),
                max_size=5,
            ),
            values,
        ),
        "exemplars": st.one_of(st.lists(st.text(max_size=15), max_size=3), values),
        "colour": values,
    },
)
axes = st.fixed_dictionaries(
    {},
    optional={"id": ids, "left": ids, "right": ids, "label": st.text(max_size=6), "weight": values},
)
documents = st.fixed_dictionaries(
    {},
    optional={
        "meta": st.dictionaries(st.text(max_size=6), values, max_size=2),
        "frames": st.one_of(st.lists(frames, max_size=4), values),
        "axes": st.one_of(st.lists(axes, max_size=3), values),
        "extra": values,
    },
)


def _toml(value) -> str:
    """TOML for a value, inline tables and arrays only (tomllib parses them as [[tables]])."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return (
        "{"
        + ", ".join(f"{json.dumps(k, ensure_ascii=False)} = {_toml(v)}" for k, v in value.items())
        + "}"
    )


# Module-level, not tmp_path: hypothesis runs each example in the same function scope.
LEXICON_DIR = Path(tempfile.mkdtemp(prefix="framing-fuzz-"))
atexit.register(shutil.rmtree, LEXICON_DIR, True)


def _loads_or_says_why(raw: bytes, name: str):
    path = LEXICON_DIR / name
    path.write_bytes(raw)
    try:
        lex = load_lexicons([str(path)])
    except FramingError as exc:
        lines = str(exc).splitlines()
        assert lines and all(line.startswith(str(path)) for line in lines), str(exc)
        return None
    ids = lex.frame_ids
    assert ids and len(ids) == len(set(ids))
    for frame in lex.frames:
        assert frame.terms or frame.exemplars
        for term in frame.terms:
            assert term.key and 0 < term.weight <= 1
    for axis in lex.axes:
        assert axis.left in ids and axis.right in ids and axis.left != axis.right
    return lex


@settings(max_examples=600, deadline=None, suppress_health_check=SLOW_OK)
@given(documents)
def test_any_toml_lexicon_loads_or_gives_a_clean_error(document):
    body = "\n".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in document.items())
    loaded = _loads_or_says_why(body.encode("utf-8"), "structured.toml")
    event("loaded" if loaded else "rejected")  # about one in eight loads


@settings(max_examples=250, deadline=None, suppress_health_check=SLOW_OK)
@given(st.one_of(st.binary(max_size=200), st.text(max_size=200).map(str.encode)))
def test_any_bytes_as_a_lexicon_load_or_give_a_clean_error(raw):
    _loads_or_says_why(raw, "raw.toml")


def test_the_toml_writer_reaches_the_happy_path():
    # Generated documents go through _toml; a valid one must load, or the tests above
    # would only ever see errors.
    document = {
        "frames": [{"id": "war", "terms": {"the war": 0.5}}, {"id": "peace", "exemplars": ["x"]}],
        "axes": [{"id": "ax", "left": "war", "right": "peace"}],
    }
    body = "\n".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in document.items())
    assert _loads_or_says_why(body.encode(), "valid.toml").frame_ids == ["war", "peace"]


# --- reading inputs ---------------------------------------------------------------------

raw_inputs = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.lists(
        st.one_of(
            st.sampled_from(
                [
                    b'{"text": "A b."}',
                    b'{"text": 1}',
                    b"{",
                    b"[]",
                    b'"x"',
                    b"id,text",
                    b'1,"a',
                    b"\xff\xfe",
                    b"\x00",
                ]
            ),
            st.binary(max_size=10),
        ),
        max_size=10,
    ).map(b"\n".join),
)


@settings(max_examples=350, deadline=None, suppress_health_check=SLOW_OK)
@given(raw_inputs, st.sampled_from([".txt", ".jsonl", ".csv", ".tsv"]), st.booleans())
def test_any_input_file_gives_documents_or_a_clean_error(raw, suffix, strict):
    from framing.io import ReadOptions, iter_documents

    path = LEXICON_DIR / f"input{suffix}"
    path.write_bytes(raw)
    warnings: list[str] = []
    try:
        docs = list(iter_documents([str(path)], ReadOptions(strict=strict), warn=warnings.append))
    except FramingError as exc:
        assert str(exc).startswith(str(path)), str(exc)
        return
    assert docs and all(
        isinstance(d.text, str) and d.text.strip() and "\x00" not in d.text for d in docs
    )
    assert all(w.startswith(("skipped ", str(path))) for w in warnings)
    assert not (strict and warnings)  # --strict turns every skip into an error
