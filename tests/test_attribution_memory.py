"""Attribution's memory grows with its input, not with its square (issue 17, item 1).

A text with no sentence punctuation used to be one sentence, and every reported claim in it
ran to the end of the text and kept a copy of its words: 1 MB took 1.1 GB, 4 MB died. The
sentence is now cut into pieces of at most MAX_SENTENCE_CHARS, and spans hold offsets.
"""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from framing.attribution import attribute
from framing.text import MAX_SENTENCE_CHARS, Document, segment

ROOT = Path(__file__).resolve().parents[1]
WORDS = (
    "the invaders shelled town our defenders will not surrender special military operation "
    "liberation occupation kremlin said that"
).split()

_RUN = textwrap.dedent(
    """
    import random, resource, sys
    limit = int(sys.argv[2]) * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from framing.attribution import attribute
    from framing.text import Document, find_quotes, segment
    random.seed(3)
    words = sys.argv[3].split()
    text = " ".join(random.choice(words) for _ in range(int(sys.argv[1])))
    doc = Document("big", text)
    sentences = segment(doc)
    spans = attribute(doc, sentences, find_quotes(text, sentences)).spans
    assert spans and max(s.end - s.start for s in spans) <= 2000
    print(len(text), len(spans))
    """
)


def _unpunctuated(n_words: int) -> str:
    import random

    rng = random.Random(3)
    return " ".join(rng.choice(WORDS) for _ in range(n_words))


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_AS is what this test limits")
def test_megabytes_of_unpunctuated_text_fit_a_small_memory_limit():
    # ~2.2 MB of text under a 700 MB address-space limit (interpreter included); it needs
    # about 110 MB now, and needed several GB when claims ran to the end of the text.
    done = subprocess.run(
        [sys.executable, "-c", _RUN, "300000", "700", " ".join(WORDS)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "OMP_NUM_THREADS": "1"},
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    size, spans = map(int, done.stdout.split())
    assert size > 2_000_000 and spans > 1000


def test_an_unpunctuated_text_is_cut_into_bounded_sentences():
    text = _unpunctuated(20_000)
    sentences = segment(Document("t", text))
    assert len(sentences) > len(text) // MAX_SENTENCE_CHARS
    assert all(s.end - s.start <= MAX_SENTENCE_CHARS for s in sentences)
    # cut at white space: no word is split, and the pieces cover every word in order
    assert " ".join(s.text for s in sentences) == text
    assert all(text[s.start : s.end] == s.text for s in sentences)


def test_spans_hold_offsets_into_the_document_text():
    text = _unpunctuated(3_000)
    doc = Document("t", text)
    spans = attribute(doc).spans
    assert spans
    for span in spans:
        assert span.source is text  # one shared text, not a copy per span
        assert span.text == text[span.start : span.end]
        assert span.to_dict()["text"] == span.text


def test_a_sentence_of_ordinary_length_is_not_cut():
    sentence = "The minister said the talks would resume on Monday. " * 3
    assert [s.text for s in segment(Document("t", sentence))] == [
        "The minister said the talks would resume on Monday."
    ] * 3
