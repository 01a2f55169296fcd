"""`framing actors`, `framing profile` and `score --actors` through typer's CliRunner."""

import csv
import io
import json

import pytest

from framing.cli import app

SPAN_KEYS = ["doc", "start", "end", "text", "speaker", "side", "kind"]


def _ok(result):
    assert result.exit_code == 0, result.output
    return result


def _fails_cleanly(result, *needles):
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("framing: error: ")
    assert "Traceback" not in result.output
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def bad_actors(tmp_path):
    path = tmp_path / "actors.toml"
    path.write_text('[[actors]]\nname = "X Y"\nside = 3\n', encoding="utf-8")
    return path


# --- framing actors (no model) -----------------------------------------------------------


def test_actors_every_format(runner, seed_path, seed_text):
    rows = [
        json.loads(line)
        for line in _ok(
            runner.invoke(app, ["actors", str(seed_path), "-f", "jsonl"])
        ).stdout.splitlines()
    ]
    assert len(rows) >= 27
    for row in rows:
        assert list(row) == SPAN_KEYS
        assert seed_text[row["start"] : row["end"]] == row["text"]
        assert row["kind"] in ("direct", "term", "reported")
    assert {"Dmytro Kuleba", "Moscow", "Vladimir Putin", "US officials", "Pentagon"} <= {
        r["speaker"] for r in rows
    }

    as_json = json.loads(_ok(runner.invoke(app, ["actors", str(seed_path), "-f", "json"])).stdout)
    assert as_json == rows

    as_csv = list(
        csv.DictReader(
            io.StringIO(_ok(runner.invoke(app, ["actors", str(seed_path), "-f", "csv"])).stdout)
        )
    )
    assert len(as_csv) == len(rows)
    assert (
        as_csv[0]["speaker"] == rows[0]["speaker"] and int(as_csv[0]["start"]) == rows[0]["start"]
    )

    table = _ok(runner.invoke(app, ["actors", str(seed_path)])).stdout
    assert "Dmytro Kuleba" in table and "reported" in table and "special military" in table


def test_actors_output_file_and_stdin(runner, tmp_path):
    text = "“We will win,” Zelensky said. Analysts say the war will be long."
    out = tmp_path / "spans.jsonl"
    result = _ok(runner.invoke(app, ["actors", "-", "-o", str(out)], input=text))
    assert "wrote 2 attributed spans" in result.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["speaker"], r["side"], r["kind"]) for r in rows] == [
        ("Volodymyr Zelenskyy", "ukraine", "direct"),
        ("Analysts", "other", "reported"),
    ]
    empty = _ok(runner.invoke(app, ["actors", "-", "-f", "json"], input="Nothing is quoted here."))
    assert json.loads(empty.stdout) == []


def test_actors_with_a_user_registry(runner, tmp_path):
    registry = tmp_path / "mine.toml"
    registry.write_text(
        '[[actors]]\nname = "Kuleba the Diplomat"\nside = "other"\naliases = ["Kuleba"]\n',
        encoding="utf-8",
    )
    rows = json.loads(
        _ok(
            runner.invoke(
                app,
                ["actors", "-", "-f", "json", "--actors", str(registry)],
                input="“No,” Kuleba said.",
            )
        ).stdout
    )
    assert [(r["speaker"], r["side"]) for r in rows] == [("Kuleba the Diplomat", "other")]


def test_actors_bad_input(runner, seed_path, bad_actors, tmp_path):
    _fails_cleanly(
        runner.invoke(app, ["actors", str(seed_path), "--actors", str(bad_actors)]),
        str(bad_actors),
        "actor X Y",
        "side",
    )
    _fails_cleanly(
        runner.invoke(app, ["actors", str(seed_path), "--actors", str(tmp_path / "none.toml")]),
        "no such actors file",
    )
    _fails_cleanly(runner.invoke(app, ["actors", str(tmp_path / "missing.txt")]), "no such file")
    _fails_cleanly(runner.invoke(app, ["actors", str(seed_path), "-f", "xml"]), "--format")


def test_actors_never_loads_the_model():
    import subprocess
    import sys

    code = (
        "import sys; from typer.testing import CliRunner; from framing.cli import app; "
        "r = CliRunner().invoke(app, ['actors', '-', '-f', 'jsonl'], input='“Yes,” Putin said.'); "
        "assert r.exit_code == 0, r.output; assert 'torch' not in sys.modules, 'torch imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# --- framing profile (real model) --------------------------------------------------------


@pytest.fixture(scope="module")
def profile_jsonl(tmp_path_factory, seed_path):
    from typer.testing import CliRunner

    out = tmp_path_factory.mktemp("profile") / "profile.jsonl"
    _ok(CliRunner().invoke(app, ["profile", str(seed_path), "--boot", "200", "-o", str(out)]))
    return out


def test_profile_every_format(runner, seed_path, profile_jsonl):
    rows = [json.loads(line) for line in profile_jsonl.read_text(encoding="utf-8").splitlines()]
    keys = [
        "group",
        "frame",
        "n",
        "mean",
        "mean_low",
        "mean_high",
        "top_share",
        "top_share_low",
        "top_share_high",
        "small_sample",
    ]
    assert rows and all(list(r) == keys for r in rows)
    assert {"Mark Episkopos", "Dmytro Kuleba", "Vladimir Putin"} <= {r["group"] for r in rows}
    meta = json.loads(profile_jsonl.with_name(profile_jsonl.name + ".meta.json").read_text())
    assert meta["command"] == "profile" and meta["options"]["by"] == "speaker"

    args = ["profile", str(seed_path), "--boot", "200"]
    assert json.loads(_ok(runner.invoke(app, [*args, "-f", "json"])).stdout) == rows
    as_csv = list(csv.DictReader(io.StringIO(_ok(runner.invoke(app, [*args, "-f", "csv"])).stdout)))
    assert len(as_csv) == len(rows) and list(as_csv[0]) == keys
    table = _ok(runner.invoke(app, args)).stdout
    assert "Mark Episkopos" in table and "n<5" in table  # Kuleba's 4 sentences are a small sample


def test_profile_by_side_and_axes(runner, seed_path):
    rows = json.loads(
        _ok(
            runner.invoke(
                app, ["profile", str(seed_path), "--by", "side", "--boot", "100", "-f", "json"]
            )
        ).stdout
    )
    assert {"author", "russia", "ukraine", "west"} <= {r["group"] for r in rows}
    axes = json.loads(
        _ok(
            runner.invoke(app, ["profile", str(seed_path), "--axes", "--boot", "100", "-f", "json"])
        ).stdout
    )
    assert axes and all(
        list(r) == ["group", "axis", "n", "mean", "low", "high", "small_sample"] for r in axes
    )
    table = _ok(
        runner.invoke(app, ["profile", str(seed_path), "--axes", "--by", "side", "--boot", "100"])
    ).stdout
    assert "author" in table


def test_profile_terms(runner, seed_path):
    args = ["profile", str(seed_path), "--terms"]
    rows = [
        json.loads(line)
        for line in _ok(runner.invoke(app, [*args, "-f", "jsonl"])).stdout.splitlines()
    ]
    assert all(
        list(r) == ["group", "frame", "term", "uses", "negated", "quoted", "docs"] for r in rows
    )
    found = {(r["group"], r["term"]): r["uses"] for r in rows}
    assert found[("Moscow", "special military operation")] == 2
    assert found[("Dmytro Kuleba", "will not surrender")] == 1
    table = _ok(runner.invoke(app, args)).stdout
    assert "Moscow" in table and "special military operation" in table
    _fails_cleanly(runner.invoke(app, [*args, "--axes"]), "--axes and --terms")


def test_profile_bad_input(runner, seed_path, bad_actors):
    _fails_cleanly(
        runner.invoke(app, ["profile", str(seed_path), "--by", "actor"]), "--by", "'actor'"
    )
    _fails_cleanly(runner.invoke(app, ["profile", str(seed_path), "--boot", "0"]), "--boot")
    _fails_cleanly(
        runner.invoke(app, ["profile", str(seed_path), "--actors", str(bad_actors)]),
        str(bad_actors),
    )


# --- framing score --actors --------------------------------------------------------------


def test_score_records_carry_voices_and_take_a_registry(runner, tmp_path, bad_actors):
    text = "“We will not surrender,” Kuleba said. Troops advanced."
    records = [
        json.loads(line)
        for line in _ok(
            runner.invoke(app, ["score", "-", "-f", "jsonl"], input=text)
        ).stdout.splitlines()
    ]
    assert [(r["speaker"], r["side"], r["voice_kind"]) for r in records] == [
        ("Dmytro Kuleba", "ukraine", "direct"),
        ("author", "unknown", "author"),
    ]
    registry = tmp_path / "mine.toml"
    registry.write_text(
        '[[actors]]\nname = "D. Kuleba"\nside = "other"\naliases = ["Kuleba"]\n', encoding="utf-8"
    )
    records = [
        json.loads(line)
        for line in _ok(
            runner.invoke(app, ["score", "-", "-f", "jsonl", "--actors", str(registry)], input=text)
        ).stdout.splitlines()
    ]
    assert (records[0]["speaker"], records[0]["side"]) == ("D. Kuleba", "other")
    rows = list(
        csv.DictReader(
            io.StringIO(_ok(runner.invoke(app, ["score", "-", "-f", "csv"], input=text)).stdout)
        )
    )
    assert rows[0]["speaker"] == "Dmytro Kuleba" and rows[0]["voice_kind"] == "direct"
    _fails_cleanly(
        runner.invoke(app, ["score", "-", "--actors", str(bad_actors)], input=text), str(bad_actors)
    )


def test_a_text_in_a_language_framing_does_not_read_is_warned_about_once(runner, tmp_path):
    # attribution reads Russian and Ukrainian speech verbs; German it does not
    german = "Die Regierung hat heute entschieden, dass die Invasion nicht hingenommen wird."
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(german + "\n", encoding="utf-8")
    (tmp_path / "c.txt").write_text("Troops liberated the town, the ministry said.\n")
    result = runner.invoke(app, ["actors", str(tmp_path), "-f", "jsonl"])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if "German" in line]
    assert (
        len(warnings) == 1
        and "a.txt: reads as German, which framing does not read" in (warnings[0])
    )
    russian = "Специальная военная операция идёт по плану. «Мы освободим Донбасс», — заявил Шойгу."
    (tmp_path / "ru.txt").write_text(russian + "\n", encoding="utf-8")
    assert "warning" not in runner.invoke(app, ["actors", str(tmp_path / "ru.txt")]).stderr

    english = runner.invoke(app, ["actors", str(tmp_path / "c.txt"), "-f", "jsonl"])
    assert "warning" not in english.stderr
