"""Russian and Ukrainian quotation marks and reporting verbs (invented sentences)."""

import pytest

from framing.actors import load_actors
from framing.attribution import attribute
from framing.text import Document


@pytest.mark.parametrize(
    "text, quoted, expected",
    [
        ("Путин заявил, что операция идёт «по плану».", "по плану", "Vladimir Putin"),
        ("«Мы не сдадимся», — сказал Зеленский.", "Мы не сдадимся", "Volodymyr Zelenskyy"),
        ("«Ми вистоїмо», — заявив Зеленський.", "Ми вистоїмо", "Volodymyr Zelenskyy"),
        ("По словам Лавров, переговоры „зашли в тупик“.", "зашли в тупик", "Sergei Lavrov"),
        ("Лавров добавил: «Переговоры продолжатся».", "Переговоры продолжатся", "Sergei Lavrov"),
    ],
)
def test_slavic_reporting_verbs_and_marks(text, quoted, expected):
    spans = attribute(Document("t", text), registry=load_actors()).spans
    hits = [s.speaker for s in spans if s.kind in ("direct", "term") and s.text == quoted]
    assert hits == [expected], [(s.text, s.speaker) for s in spans]
