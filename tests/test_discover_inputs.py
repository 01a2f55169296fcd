"""The discovery commands on every kind of input with the usual options: compare on a folder
of text files with a user lexicon, trend on CSV with a user actors registry, lexicon expand
on CSV and on a folder; each writes its .meta.json. An empty corpus is one line and exit 2
for each. Through CliRunner with the real model (JSONL runs are in test_compare/test_trend/
test_expand)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from framing.cli import app
from tests import synthetic_corpus as sc

MINI = Path(__file__).resolve().parent / "data" / "mini.toml"
# The Kremlin on the "west" side: a side the built-in registry would never give it, so the
# groups show that this file, not the built-in one, was read
ACTORS = """
[meta]
name = "test actors"
sides = ["russia", "ukraine", "west", "other"]

[[actors]]
name = "Kremlin"
side = "west"
aliases = []

[[actors]]
name = "Volodymyr Zelenskyy"
side = "ukraine"
aliases = ["Zelenskyy"]
"""


def _run(args):
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result


def _fails_cleanly(args, *needles):
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, [str(a) for a in args])
    assert result.exit_code == 2, result.output
    lines = [
        line
        for line in result.stderr.strip().splitlines()
        if not line.startswith("framing: warning: ")
    ]
    assert len(lines) == 1 and lines[0].startswith("framing: error: "), result.stderr
    assert "Traceback" not in result.output
    for needle in needles:
        assert needle in lines[0], lines[0]


@pytest.fixture(scope="module")
def quoted_folder(tmp_path_factory) -> Path:
    """Dated text files in which each side's planted sentences are quoted from its speaker,
    so the groups come from attribution, not from a table field."""
    folder = tmp_path_factory.mktemp("quoted") / "statements"
    folder.mkdir()
    for row in sc.rows(per_side_month=3):
        kremlin = row["speaker"] == "Kremlin"
        planted = sc.KREMLIN if kremlin else sc.ZELENSKYY
        who = "Dmitry Peskov" if kremlin else "Volodymyr Zelenskyy"
        sentences = [s for s in row["text"].split(". ") if s]
        quoted = [q for q in planted if q.rstrip(".") in row["text"]]
        narration = " ".join(
            s if s.endswith((".", "!", "?")) else s + "."
            for s in sentences
            if not any(q.rstrip(".") in s for q in planted)
        )
        text = narration + "".join(f' {who} said: "{q}"' for q in quoted)
        (folder / f"{row['id']}_{row['date']}.txt").write_text(text + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def plain_folder(tmp_path_factory) -> Path:
    """The synthetic rows as text files, one a row, named by id and date."""
    folder = tmp_path_factory.mktemp("plain") / "statements"
    folder.mkdir()
    for row in sc.rows():
        (folder / f"{row['id']}_{row['date']}.txt").write_text(row["text"] + "\n")
    return folder


@pytest.fixture(scope="module")
def planted_csv(tmp_path_factory) -> Path:
    return sc.write_csv(tmp_path_factory.mktemp("csv") / "statements.csv", sc.rows())


def test_compare_on_a_folder_counts_quoted_words_for_their_speaker_with_a_user_lexicon(
    quoted_folder, tmp_path
):
    out = tmp_path / "compare.csv"
    _run(["compare", quoted_folder, "--by", "side", "-l", MINI, "--cache-dir", tmp_path / "c",
          "-o", out])  # fmt: skip
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    terms = {g: [r["term"] for r in rows if r["group"] == g and r["kind"] == "term"]
             for g in ("russia", "ukraine")}  # fmt: skip
    assert terms["russia"][0] == "special military operation"
    assert {"full scale invasion", "occupiers"} & set(terms["ukraine"][:3])
    # only the user lexicon's frames are counted
    from framing.lexicon import load_lexicon

    mini, builtin = set(load_lexicon(MINI).frame_ids), set(load_lexicon("war_ukraine").frame_ids)
    assert {r["term"] for r in rows if r["kind"] == "frame"} <= mini
    assert builtin - mini  # the built-in lexicon has frames that could have shown
    meta = json.loads((tmp_path / "compare.csv.meta.json").read_text())
    assert meta["command"] == "compare" and str(MINI) in json.dumps(meta["options"])
    assert (tmp_path / "compare.png").exists() and (tmp_path / "compare.svg").exists()


def test_trend_on_csv_reads_a_user_actors_registry(planted_csv, tmp_path):
    actors = tmp_path / "actors.toml"
    actors.write_text(ACTORS, encoding="utf-8")
    out = tmp_path / "trend"
    _run(["trend", planted_csv, "--speaker-field", "speaker", "--actors", actors,
          "--freq", "quarter", "--boot", "50", "-o", out])  # fmt: skip
    rows = list(csv.DictReader((out / "trend.csv").open(encoding="utf-8")))
    groups = {r["group"] for r in rows}
    # Moscow, quoted by Zelenskyy, is not in this registry: its side is unknown
    assert {"west", "ukraine"} <= groups and "russia" not in groups
    assert {r["period"] for r in rows} == {"2022-Q1", "2022-Q2"}
    meta = json.loads((out / "trend.meta.json").read_text())
    assert meta["command"] == "trend" and meta["options"]["actors"] == str(actors)
    assert meta["options"]["freq"] == "quarter"


@pytest.mark.parametrize("kind", ["csv", "folder"])
def test_expand_on_csv_and_on_a_folder(kind, planted_csv, plain_folder, tmp_path):
    corpus = planted_csv if kind == "csv" else plain_folder
    extra = ["--speaker-field", "speaker"] if kind == "csv" else []
    out = tmp_path / "candidates.toml"
    _run(["lexicon", "expand", corpus, *extra, "--frame", "invasion", "-o", out])
    assert '"armed attack" = ' in out.read_text(encoding="utf-8")
    meta = json.loads((tmp_path / "candidates.toml.meta.json").read_text())
    assert meta["command"] == "lexicon expand"


@pytest.mark.parametrize("content", ["", "\n\n", '{"text": "   "}\n'])
def test_an_empty_corpus_is_one_line_for_every_command(content, tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text(content, encoding="utf-8")
    _fails_cleanly(["compare", empty, "-o", tmp_path / "c.csv"], "empty")
    _fails_cleanly(["trend", empty, "-o", tmp_path / "t"], "empty")
    _fails_cleanly(["lexicon", "expand", empty, "--frame", "invasion", "-o", tmp_path / "e.toml"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.jsonl"]
