"""`framing compare` and its library (framing.discover.compare, voices, logodds): planted
terms rank first, quoted words count for the one quoted, identical groups differ in
nothing; through CliRunner with the real model on JSONL and CSV."""

from __future__ import annotations

import csv
import json

import numpy as np
import pandas as pd
import pytest

from framing.cli import app
from framing.discover.compare import compare_groups, signature
from framing.discover.logodds import bh_qvalues, log_odds_z
from framing.discover.voices import ngrams, voice_segments, word_runs
from framing.errors import FramingError
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
    assert "Traceback" not in result.output
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


@pytest.fixture(scope="module")
def planted_segments():
    return voice_segments(pd.DataFrame(sc.rows()), id="id", speaker="speaker")


# --- the statistic ---------------------------------------------------------------------


def test_log_odds_is_zero_for_equal_counts_and_signed_by_who_says_more():
    same = np.array([5.0, 10.0, 0.0, 3.0])
    _, z = log_odds_z(same, same)
    assert np.allclose(z, 0.0)
    _, z = log_odds_z(np.array([30.0, 10.0, 10.0]), np.array([2.0, 10.0, 10.0]))
    assert z[0] > 2 and abs(z[1]) < z[0]
    _, mirrored = log_odds_z(np.array([2.0, 10.0, 10.0]), np.array([30.0, 10.0, 10.0]))
    assert np.allclose(mirrored, -z)


def test_more_uses_of_the_same_contrast_give_a_larger_z():
    _, small = log_odds_z(np.array([6.0, 100.0]), np.array([1.0, 100.0]))
    _, large = log_odds_z(np.array([60.0, 1000.0]), np.array([10.0, 1000.0]))
    assert large[0] > small[0] > 0


def test_bh_qvalues_are_monotone_in_z_and_at_least_p():
    z = np.array([0.1, 3.5, 2.0, -4.0, 1.0])
    q = bh_qvalues(z)
    order = np.argsort(-np.abs(z))
    assert np.all(np.diff(q[order]) >= -1e-12)
    assert q[3] < 0.01 and q[0] > 0.5


# --- words and voices ------------------------------------------------------------------


def test_ngrams_do_not_start_or_end_with_function_words():
    grams = set(ngrams("the gang of neo nazis in kyiv", 3))
    assert {"gang", "gang of neo", "neo nazis", "kyiv"} <= grams
    assert not any(g.split()[0] in {"the", "of", "in"} for g in grams)
    assert not any(g.split()[-1] in {"the", "of", "in"} for g in grams)


def test_runs_break_at_punctuation_and_hyphens_join():
    assert word_runs("A full-scale war, they said; “no”.") == [
        "a full scale war",
        "they said",
        "no",
    ]


def test_a_quoted_term_counts_for_the_one_quoted_not_the_author(planted_segments):
    quoted = planted_segments[planted_segments["text"] == "special military operation"]
    assert len(quoted) > 0
    assert set(quoted["speaker"]) == {"Moscow"}
    zelenskyy = planted_segments[planted_segments["speaker"] == "Volodymyr Zelenskyy"]
    assert not zelenskyy["text"].str.contains("special military operation").any()
    # the words around the quotation stay his
    assert zelenskyy["text"].str.contains("moscow calls it a").any()


# --- compare ---------------------------------------------------------------------------


def test_planted_terms_rank_first_for_each_side(planted_segments):
    table = compare_groups(planted_segments, by="side", groups=["russia", "ukraine"])
    assert table.attrs["pairwise"]
    top = signature(table, 3, kind="term")
    russia = top[top["group"] == "russia"]["term"].tolist()
    ukraine = top[top["group"] == "ukraine"]["term"].tolist()
    assert russia[0] == "special military operation"
    assert {"occupiers", "full scale invasion", "armed attack"} & set(ukraine[:2])
    first = table[table["group"] == "russia"].iloc[0]
    assert first["significant"] and first["count_other"] == 0
    # sorted by group, then z descending
    for _, part in table.groupby("group", sort=False):
        assert part["z"].is_monotonic_decreasing


def test_each_group_against_the_rest_by_speaker(planted_segments):
    table = compare_groups(planted_segments, by="speaker")
    assert not table.attrs["pairwise"]
    assert set(table["versus"]) == {"rest"}
    top = signature(table, 3, kind="term")
    kremlin = top[top["group"] == "Kremlin"]
    assert kremlin["term"].iloc[0] == "special military operation"
    assert kremlin["significant"].iloc[0]
    moscow = top[top["group"] == "Moscow"]
    assert "special military operation" in moscow["term"].head(3).tolist()


def test_two_groups_from_the_same_texts_differ_in_nothing_significant():
    segments = voice_segments(pd.DataFrame(sc.null_rows()), id="id", speaker="speaker")
    table = compare_groups(segments, by="speaker", groups=["Channel A", "Channel B"])
    assert len(table) > 100
    assert not table["significant"].any()


def test_the_same_texts_under_two_names_give_z_zero():
    rows = sc.null_rows(40)
    twin = [{**r, "id": r["id"] + "b", "speaker": "Channel B"} for r in rows]
    rows = [{**r, "speaker": "Channel A"} for r in rows]
    segments = voice_segments(pd.DataFrame(rows + twin), id="id", speaker="speaker")
    table = compare_groups(segments, by="speaker", groups=["Channel A", "Channel B"])
    assert np.allclose(table["z"], 0.0)
    assert not table["significant"].any()


def test_unknown_group_and_single_group_are_user_errors(planted_segments):
    with pytest.raises(FramingError, match="unknown group 'nato'.*groups: "):
        compare_groups(planted_segments, by="side", groups=["russia", "nato"])
    one = planted_segments[planted_segments["speaker"] == "Kremlin"]
    with pytest.raises(FramingError, match="only one group"):
        compare_groups(one, by="speaker")
    with pytest.raises(FramingError, match="empty corpus"):
        compare_groups(planted_segments.iloc[0:0], by="side")


def test_nested_terms_give_their_place_to_the_longer_one(planted_segments):
    table = compare_groups(planted_segments, by="side", groups=["russia", "ukraine"])
    terms = signature(table, 10, kind="term")["term"].tolist()
    assert "special military operation" in terms
    assert "special military" not in terms and "military operation" not in terms
    everything = signature(table, 0)
    assert "special military" in everything["term"].tolist()


# --- the command -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def planted_jsonl(tmp_path_factory):
    return sc.write_jsonl(tmp_path_factory.mktemp("compare") / "statements.jsonl", sc.rows())


def test_cli_compare_writes_csv_figures_and_provenance(planted_jsonl, tmp_path):
    from typer.testing import CliRunner

    out = tmp_path / "compare.csv"
    args = ["compare", str(planted_jsonl), "--speaker-field", "speaker", "--by", "side"]
    _ok(CliRunner().invoke(app, [*args, "--groups", "russia,ukraine", "-o", str(out)]))
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0])[:6] == ["group", "term", "kind", "count", "rate", "z"]
    groups = [r["group"] for r in rows]
    assert groups == sorted(groups, key=["russia", "ukraine"].index)
    russia_terms = [r for r in rows if r["group"] == "russia" and r["kind"] == "term"]
    assert russia_terms[0]["term"] == "special military operation"
    frames = [r for r in rows if r["group"] == "russia" and r["kind"] == "frame"]
    assert frames[0]["term"] == "special_operation"
    for r in (tmp_path / "compare.png", tmp_path / "compare.svg"):
        assert r.stat().st_size > 10_000
    assert (tmp_path / "compare.png").read_bytes()[:4] == b"\x89PNG"
    meta = json.loads((tmp_path / "compare.csv.meta.json").read_text())
    assert meta["command"] == "compare" and meta["compared"] == ["russia", "ukraine"]
    assert meta["model"]["id"]


def test_cli_compare_reads_csv_and_prints_jsonl(planted_jsonl, tmp_path):
    from typer.testing import CliRunner

    table = sc.write_csv(tmp_path / "statements.csv", sc.rows())
    result = _ok(
        CliRunner().invoke(
            app,
            ["compare", str(table), "--speaker-field", "speaker", "--by", "side", "-f", "jsonl"],
        )
    )
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert {r["group"] for r in rows} >= {"russia", "ukraine"}
    for key in ("group", "term", "kind", "count", "rate", "z"):
        assert key in rows[0]


def test_cli_compare_bad_input_is_one_line(planted_jsonl, tmp_path):
    from typer.testing import CliRunner

    runner = CliRunner()
    base = ["compare", str(planted_jsonl), "--speaker-field", "speaker"]
    _fails_cleanly(runner.invoke(app, [*base, "--by", "side", "--groups", "russia,nato"]), "nato")
    _fails_cleanly(runner.invoke(app, [*base, "--by", "party"]), "--by")
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    _fails_cleanly(runner.invoke(app, ["compare", str(empty)]), "empty")
    assert not list(tmp_path.glob("*.png"))


def test_the_words_that_report_a_claim_are_the_narrations():
    from framing.text import Document

    text = (
        "Kremlin spokesman Dmitry Peskov said the special military operation goes to plan. "
        "“We will not surrender,” Dmytro Kuleba said, referring to the talks."
    )
    segments = voice_segments([Document("d", text, source="d")])
    by_text = dict(zip(segments["text"], segments["speaker"], strict=True))
    assert by_text["the special military operation goes to plan"] == "Dmitry Peskov"
    assert by_text["we will not surrender"] == "Dmytro Kuleba"
    for narrated in ("kremlin spokesman dmitry peskov said", "dmytro kuleba said"):
        assert by_text[narrated] != "Dmitry Peskov" and by_text[narrated] != "Dmytro Kuleba"


def test_a_group_that_voices_no_words_of_its_own_has_no_rate(tmp_path):
    # "the ministry said" names a group whose only words are narration: it has sentences
    # but no words in its own voice, which once divided by zero
    from typer.testing import CliRunner

    corpus = tmp_path / "x.jsonl"
    corpus.write_text(
        '{"text": "Russian troops liberated the town, the ministry said.", "speaker": "Kremlin"}\n'
        '{"text": "The invaders shelled Kharkiv again.", "speaker": "Zelensky"}\n'
        '{"text": "Talks will continue in Istanbul.", "speaker": "nobody"}\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        app, ["compare", str(corpus), "--speaker-field", "speaker", "-f", "jsonl"]
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows and all(np.isfinite(r["rate"]) for r in rows)
