"""--speaker-field: a table column names who wrote each row (a channel, an account, an office),
and that speaker is the voice of the row's narration, on the side the actors registry gives."""

from __future__ import annotations

import json

import pandas as pd

import framing.distributed as fd
from framing.cli import app
from framing.dataframe import score_dataframe
from framing.io import iter_documents
from tests.conftest import DATA

MINI = str(DATA / "mini.toml")

ROWS = [
    {"id": "p1", "channel": "Zelensky", "body": "The occupiers shelled Kharkiv again."},
    {"id": "p2", "channel": "Russian Defense Ministry", "body": "Our troops liberated Izium."},
    {"id": "p3", "channel": "", "body": "Talks resumed in Istanbul."},
    {
        "id": "p4",
        "channel": "@war_blog",
        "body": "The invaders retreated. “We will return,” a Russian officer said.",
    },
]


def _write_tables(folder):
    jsonl = folder / "posts.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in ROWS), encoding="utf-8")
    table = pd.DataFrame(ROWS)
    csv = folder / "posts.csv"
    table.to_csv(csv, index=False)
    return jsonl, csv


def _voices(stdout: str) -> dict[str, tuple]:
    records = [json.loads(line) for line in stdout.splitlines()]
    return {r["text"]: (r["speaker"], r["side"], r["voice_kind"]) for r in records}


def test_each_row_speaks_in_the_voice_its_column_names(runner, tmp_path):
    for table in _write_tables(tmp_path):
        args = ["score", str(table), "--text-field", "body", "--id-field", "id", "-l", MINI]
        result = runner.invoke(app, [*args, "--speaker-field", "channel", "-f", "jsonl"])
        assert result.exit_code == 0, result.output
        voices = _voices(result.stdout)
        # a registry alias gives the canonical name and side
        assert voices["The occupiers shelled Kharkiv again."] == (
            "Volodymyr Zelenskyy",
            "ukraine",
            "author",
        )
        # a name the registry does not hold keeps the side its words give
        assert voices["Our troops liberated Izium."] == (
            "Russian Defense Ministry",
            "russia",
            "author",
        )
        assert voices["Talks resumed in Istanbul."] == ("author", "unknown", "author")
        assert voices["The invaders retreated."] == ("@war_blog", "unknown", "author")
        # a quotation inside a row is still its own speaker's
        assert voices["“We will return,” a Russian officer said."][2] == "direct"

        without = runner.invoke(app, [*args, "-f", "jsonl"])
        assert {v[0] for v in _voices(without.stdout).values()} <= {"author", "Russian officer"}


def test_profile_by_side_counts_narration_for_its_speakers_side(runner, tmp_path):
    jsonl, _ = _write_tables(tmp_path)
    out = tmp_path / "profile.csv"
    result = runner.invoke(
        app,
        ["profile", str(jsonl), "--text-field", "body", "--speaker-field", "channel"]
        + ["--by", "side", "-l", MINI, "-o", str(out)],
    )
    assert result.exit_code == 0, result.output
    groups = set(pd.read_csv(out)["group"])
    # narration of a journalist (no side) stays "author"; placed speakers count for sides
    assert {"ukraine", "russia", "author"} <= groups


def test_a_missing_speaker_column_is_one_line_naming_the_file(runner, tmp_path):
    _, csv = _write_tables(tmp_path)
    out = tmp_path / "out.jsonl"
    result = runner.invoke(
        app,
        ["score", str(csv), "--text-field", "body", "--speaker-field", "author"]
        + ["-l", MINI, "-o", str(out)],
    )
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert str(csv) in line and "no column 'author'" in line and "--speaker-field" in line
    assert not out.exists()


def test_dask_partitions_read_the_speaker_as_the_local_reader_does(tmp_path):
    _write_tables(tmp_path)
    read = fd.ReadOptions(text_field="body", id_field="id", speaker_field="channel")
    expected = list(iter_documents([str(tmp_path)], read))
    assert [d.speaker for d in expected] == [
        "Zelensky",
        "Russian Defense Ministry",
        None,
        "@war_blog",
    ] * 2
    plan = fd.plan_partitions([str(tmp_path)], partition_rows=2, read=read)
    assert [d for p in plan for d in fd.read_partition(p, read)] == expected


def test_score_dataframe_speaker_column(real_embedder):
    frame = pd.DataFrame(ROWS)
    scores = score_dataframe(
        frame, text="body", id="id", speaker="channel", lexicon=MINI, embedder=real_embedder
    )
    first = scores[scores["doc"] == "p1"].iloc[0]
    assert (first["speaker"], first["side"]) == ("Volodymyr Zelenskyy", "ukraine")
    assert scores[scores["doc"] == "p3"].iloc[0]["speaker"] == "author"
