"""What attribution gives: attributed spans, voices, and one document's attribution."""

from __future__ import annotations

from dataclasses import dataclass, field

from framing.actors import UNKNOWN


@dataclass(frozen=True)
class AttributedSpan:
    """A quotation or reported claim and whose words it is (``speaker`` None: nobody found).

    ``kind`` is ``direct`` (a quotation), ``term`` (a short scare-quoted term) or
    ``reported`` (reported speech); ``start``/``end`` index the document text and, for
    quotations, exclude the quotation marks.
    """

    doc: str
    start: int
    end: int
    speaker: str | None
    side: str | None
    kind: str
    # The whole document's text, shared by every span of it: a span holds offsets, not a
    # copy of its words (reported spans overlap; copies made memory grow with their sum).
    source: str = field(default="", repr=False, compare=False)

    @property
    def text(self) -> str:
        """The span's words, sliced from the document text."""
        return self.source[self.start : self.end]

    def to_dict(self) -> dict:
        return {
            "doc": self.doc,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "speaker": self.speaker,
            "side": self.side,
            "kind": self.kind,
        }


@dataclass(frozen=True)
class Voice:
    """Whose voice a sentence (or a span of it) is: ``voice_kind`` is author, direct,
    reported or term."""

    speaker: str
    side: str
    voice_kind: str


@dataclass
class Attribution:
    """The attributed spans of one document and the voice of each of its sentences."""

    spans: list[AttributedSpan]
    voices: list[Voice]
    author: Voice
    _by_sentence: list[list[AttributedSpan]] = field(default_factory=list, repr=False)

    def voice_at(self, start: int, end: int, sentence_index: int) -> Voice:
        """The voice of the text ``[start, end)`` in a sentence: the innermost attributed
        span holding it (a quotation, a term, a reported claim), else the sentence's voice."""
        best: AttributedSpan | None = None
        candidates = self._by_sentence[sentence_index] if self._by_sentence else self.spans
        for span in candidates:
            if span.speaker and span.start <= start and end <= span.end:
                if best is None or span.end - span.start < best.end - best.start:
                    best = span
        if best is None:
            return self.voices[sentence_index]
        return Voice(best.speaker, best.side or UNKNOWN, best.kind)
