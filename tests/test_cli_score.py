"""`framing score` and `framing lexicon` through typer's CliRunner, real model."""

import csv
import io
import json

import pytest

from framing.cli import app
from tests.conftest import DATA


def _ok(result):
    assert result.exit_code == 0, result.output
    return result


def _fails_cleanly(result, *needles):
    assert result.exit_code == 2, result.output
    # warnings about skipped files may come first; the error itself is one line, the last
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
def seed_jsonl(tmp_path_factory, seed_path):
    from typer.testing import CliRunner

    out = tmp_path_factory.mktemp("score") / "seed.jsonl"
    _ok(CliRunner().invoke(app, ["score", str(seed_path), "-o", str(out)]))
    return out


def test_jsonl_records_have_the_documented_fields(seed_jsonl, seed_text):
    records = [json.loads(line) for line in seed_jsonl.read_text().splitlines()]
    assert len(records) > 30
    for r in records:
        for key in (
            "doc",
            "sentence_id",
            "start",
            "end",
            "text",
            "frames",
            "lexical",
            "semantic",
            "axes",
            "top_frame",
            "hits",
        ):
            assert key in r
        assert seed_text[r["start"] : r["end"]] == r["text"]
        for h in r["hits"]:
            assert set(h) >= {"frame", "term", "start", "end", "quoted", "negated"}
            assert r["start"] <= h["start"] < h["end"] <= r["end"]
    meta = json.loads(seed_jsonl.with_name(seed_jsonl.name + ".meta.json").read_text())
    assert meta["model"]["weights_sha256"] and meta["lexicons"][0]["sha256"]
    assert meta["packages"]["sentence-transformers"]


def test_every_format(runner, seed_path, seed_jsonl):
    records = [json.loads(line) for line in seed_jsonl.read_text().splitlines()]

    as_json = json.loads(_ok(runner.invoke(app, ["score", str(seed_path), "-f", "json"])).stdout)
    assert as_json == records

    rows = list(
        csv.DictReader(
            io.StringIO(_ok(runner.invoke(app, ["score", str(seed_path), "-f", "csv"])).stdout)
        )
    )
    assert len(rows) == len(records)
    assert rows[0]["text"] == records[0]["text"]
    assert float(rows[0]["frame:invasion"]) == records[0]["frames"]["invasion"]
    assert "axis:operation_vs_invasion" in rows[0]

    table = _ok(runner.invoke(app, ["score", str(seed_path), "-f", "table"])).stdout
    assert "special military operation→special_operation (quoted, Moscow)" in _text_column(table)


def _text_column(table: str) -> str:
    """The table's last column, its wrapped lines joined back into running text."""
    return " ".join(
        line.split("│")[-2].strip() for line in table.splitlines() if line.count("│") >= 2
    )


def test_table_text_keeps_its_width_under_long_paths(runner, seed_path, tmp_path):
    # a deep absolute path once squeezed the text column until hit marks broke mid-word
    deep = tmp_path / ("d" * 70) / ("e" * 70)
    deep.mkdir(parents=True)
    first, second = deep / seed_path.name, deep / "short.txt"
    first.write_text(seed_path.read_text())
    second.write_text("Troops liberated the village, the ministry said.\n")
    table = _ok(runner.invoke(app, ["score", str(first), str(second), "-f", "table"])).stdout
    assert str(deep) not in table  # the shared directory is left out of row labels
    assert f"{seed_path.name}#0" in table and "short.txt#0" in table
    assert "special military operation→special_operation (quoted, Moscow)" in _text_column(table)
    assert max(len(line) for line in table.splitlines()) <= 140


def test_determinism_two_runs_identical(runner, seed_path, tmp_path):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    _ok(runner.invoke(app, ["score", str(seed_path), "-o", str(a), "--no-cache"]))
    _ok(runner.invoke(app, ["score", str(seed_path), "-o", str(b)]))
    assert a.read_bytes() == b.read_bytes()


def test_stdin_and_tables_with_text_field(runner, tmp_path):
    text = "Our troops liberated the town. The invaders retreated."
    r = _ok(runner.invoke(app, ["score", "-", "-f", "jsonl"], input=text))
    recs = [json.loads(line) for line in r.stdout.splitlines()]
    assert [x["doc"] for x in recs] == ["<stdin>", "<stdin>"]

    jl = tmp_path / "posts.jsonl"
    jl.write_text(json.dumps({"id": "p1", "body": text}) + "\n", encoding="utf-8")
    r = _ok(
        runner.invoke(
            app, ["score", str(jl), "--text-field", "body", "--id-field", "id", "-f", "jsonl"]
        )
    )
    assert {json.loads(line)["doc"] for line in r.stdout.splitlines()} == {"p1"}

    c = tmp_path / "posts.csv"
    c.write_text('id,body\nc1,"' + text + '"\n', encoding="utf-8")
    r = _ok(
        runner.invoke(
            app, ["score", str(c), "--text-field", "body", "--id-field", "id", "-f", "jsonl"]
        )
    )
    assert {json.loads(line)["doc"] for line in r.stdout.splitlines()} == {"c1"}


def test_folder_input_skips_a_binary_file_with_a_warning(runner, tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text("The invasion began at dawn.", encoding="utf-8")
    (folder / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    r = _ok(runner.invoke(app, ["score", str(folder), "-f", "jsonl"]))
    assert "skipped" in r.stderr and "image.png" in r.stderr
    assert len(r.stdout.splitlines()) == 1


# --- bad input: one line on stderr naming the file, exit 2, no output file ------------


def _bad_input_cases(tmp_path):
    empty_dir = tmp_path / "empty_dir"
    empty_dir.mkdir()
    only_junk = tmp_path / "junk_dir"
    only_junk.mkdir()
    (only_junk / "x.bin").write_bytes(b"\x00\x01\x02")
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Le président a dit: « invasion ».".encode("latin-1"))
    binary = tmp_path / "picture.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00")
    no_col = tmp_path / "table.csv"
    no_col.write_text("id,body\n1,hello\n", encoding="utf-8")
    return [
        ([str(tmp_path / "missing.txt")], ["missing.txt", "no such file"]),
        ([str(empty_dir)], ["empty_dir", "no files"]),
        ([str(only_junk)], ["junk_dir", "no readable text"]),
        ([str(empty)], ["empty.txt", "empty file"]),
        ([str(latin)], ["latin1.txt", "not valid utf-8", "0xe9"]),
        ([str(binary)], ["picture.txt", "binary"]),
        ([str(no_col)], ["table.csv", "no column 'text'"]),
    ]


def test_bad_inputs(runner, tmp_path):
    for args, needles in _bad_input_cases(tmp_path):
        out = tmp_path / "out.jsonl"
        result = runner.invoke(app, ["score", *args, "-o", str(out)])
        _fails_cleanly(result, *needles)
        assert not out.exists()
        assert not list(tmp_path.glob(".out.jsonl*"))


def test_bad_lexicons(runner, tmp_path, seed_path):
    cases = {
        "malformed.toml": ("[[frames]\nid = 1", "invalid TOML"),
        "empty_frame.toml": (
            '[[frames]]\nid = "lonely"\n',
            "frame lonely: has no terms and no exemplars",
        ),
        "bad_axis.toml": (
            '[[frames]]\nid = "a"\nexemplars = ["x"]\n'
            '[[axes]]\nid = "ax"\nleft = "a"\nright = "b"\n',
            "axis ax / right: unknown frame 'b'",
        ),
    }
    for name, (body, needle) in cases.items():
        path = tmp_path / name
        path.write_text(body, encoding="utf-8")
        out = tmp_path / "out.jsonl"
        _fails_cleanly(
            runner.invoke(app, ["score", str(seed_path), "-l", str(path), "-o", str(out)]),
            name,
            needle,
        )
        assert not out.exists()
        check = runner.invoke(app, ["lexicon", "check", str(path)])
        assert check.exit_code == 2 and needle in check.stderr


def test_lexicon_check_and_list(runner, tmp_path):
    extra = tmp_path / "extra.toml"
    extra.write_text(
        '[[frames]]\nid = "sanctions"\nexemplars = ["The sanctions hit the economy."]\n'
    )
    r = _ok(runner.invoke(app, ["lexicon", "check", "war_ukraine", str(extra)]))
    assert r.stdout.count("ok (") == 2
    # each file alone is fine, but used together two files must not define the same frame
    clash = runner.invoke(app, ["lexicon", "check", "war_ukraine", str(DATA / "mini.toml")])
    assert clash.exit_code == 2 and "duplicate frame id" in clash.stderr
    listing = _ok(runner.invoke(app, ["lexicon", "list"])).stdout
    for needle in ("special_operation", "operation_vs_invasion", "surrender_vs_resistance"):
        assert needle in listing


def test_bad_format_and_output_folder(runner, seed_path, tmp_path):
    _fails_cleanly(runner.invoke(app, ["score", str(seed_path), "-f", "xml"]), "--format")
    _fails_cleanly(
        runner.invoke(app, ["score", str(seed_path), "-o", str(tmp_path / "nope" / "x.jsonl")]),
        "does not exist",
    )


def test_help_does_not_import_torch():
    import subprocess
    import sys

    code = (
        "import sys; from framing.cli import app; "
        "assert 'torch' not in sys.modules and 'sentence_transformers' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
