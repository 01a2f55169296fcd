"""`framing lexicon expand` (framing.discover.expand): the planted missing term is proposed
with its evidence, the fragment passes `framing lexicon check`, runs are deterministic, and
a lexicon is never written over; through CliRunner with the real model."""

from __future__ import annotations

import pytest

from framing.cli import app
from framing.discover.expand import _covered, candidates_toml
from framing.tokens import term_key
from tests import synthetic_corpus as sc


def _ok(result):
    assert result.exit_code == 0, result.output
    return result


def _fails_cleanly(result, *needles):
    assert result.exit_code == 2, result.output
    lines = [
        line
        for line in result.stderr.strip().splitlines()
        if not line.startswith("framing: warning: ")
    ]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("framing: error: ")
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def test_known_terms_their_parts_and_n_grams_holding_the_frames_terms_are_left_out():
    known = {term_key("full-scale invasion"), term_key("invasion"), term_key("assault")}
    own = [term_key("invasion"), term_key("assault")]
    assert _covered(term_key("invasions"), known, own)  # the same term after stemming
    assert _covered(term_key("full scale"), known, own)  # part of a known term
    assert _covered(term_key("brutal assault"), known, own)  # holds one of the frame's terms
    assert _covered(term_key("russia's full scale"), known, [*own, term_key("full-scale invasion")])
    assert not _covered(term_key("armed attack"), known, own)


def test_candidates_toml_quotes_terms_and_keeps_evidence_in_comments(tmp_path):
    import pandas as pd

    from framing.lexicon import load_lexicon

    rows = pd.DataFrame(
        [{"term": 'the "z" war', "weight": 0.7, "count": 9, "count_frame": 7, "z": 3.1,
          "similarity": 0.5, "margin": 0.1, "example_1": "One.", "example_2": ""}]
    )  # fmt: skip
    text = candidates_toml(rows, "invasion", "Invasion")
    (tmp_path / "candidates.toml").write_text(text, encoding="utf-8")
    lex = load_lexicon(tmp_path / "candidates.toml")
    assert [t.text for t in lex.frames[0].terms] == ['the "z" war']
    assert "#   e.g. One." in text


@pytest.fixture(scope="module")
def expanded(tmp_path_factory):
    from typer.testing import CliRunner

    folder = tmp_path_factory.mktemp("expand")
    corpus = sc.write_jsonl(folder / "statements.jsonl", sc.rows())
    out = folder / "candidates.toml"
    args = ["lexicon", "expand", str(corpus), "--speaker-field", "speaker", "--frame", "invasion"]
    result = _ok(CliRunner().invoke(app, [*args, "-o", str(out)]))
    return args, out, result


def test_the_planted_missing_term_is_proposed_with_its_evidence(expanded):
    _, out, result = expanded
    text = out.read_text(encoding="utf-8")
    assert '"armed attack" = ' in text
    block = text[text.index("\n[frames.terms]\n") + 1 :]
    first = block.splitlines()[1:4]
    assert "uses in the frame's sentences" in first[0]
    assert first[1].startswith("#   e.g. ") and "armed attack" in first[1]
    assert "framing lexicon check" in result.stderr
    assert (out.parent / "candidates.toml.meta.json").exists()


def test_the_fragment_passes_lexicon_check_and_runs_are_deterministic(expanded, tmp_path):
    from typer.testing import CliRunner

    args, out, _ = expanded
    _ok(CliRunner().invoke(app, ["lexicon", "check", str(out)]))
    again = tmp_path / "again.toml"
    _ok(CliRunner().invoke(app, [*args, "-o", str(again)]))
    assert again.read_bytes() == out.read_bytes()


def test_expand_never_writes_over_a_lexicon_and_rejects_unknown_frames(expanded, tmp_path):
    from typer.testing import CliRunner

    args, _, _ = expanded
    mine = tmp_path / "mine.toml"
    original = '[[frames]]\nid = "mine"\n[frames.terms]\n"word" = 1.0\n'
    mine.write_text(original)
    runner = CliRunner()
    _fails_cleanly(
        runner.invoke(app, [*args, "-l", "war_ukraine", "-l", str(mine), "-o", str(mine)]),
        "never edits",
    )
    _fails_cleanly(runner.invoke(app, [*args, "-o", str(mine)]), "not written by")
    assert mine.read_text() == original
    bad = [a if a != "invasion" else "invasions" for a in args]
    _fails_cleanly(runner.invoke(app, bad), "unknown frame 'invasions'")
