"""Breaks found by adversarial use (issue 17), each reproduced first: bad rows are rows, an
input with no letters is refused like an empty one, CSV outputs never start a formula."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import framing.distributed as fd
from framing.cli import app
from framing.errors import FramingError
from framing.io import ReadOptions, RecordWriter, iter_documents, spreadsheet_safe
from tests.conftest import DATA

BAD_JSONL_ROWS = [
    '{"text": "x \\ud800 y."}',  # a lone surrogate, common in scraped data
    '{"text": "Big.", "n": ' + "1" * 5000 + "}",  # more digits than Python converts
    "[" * 100_000 + "]" * 100_000,  # nested 100,000 deep
]


def _jsonl(tmp_path):
    path = tmp_path / "rows.jsonl"
    lines = ['{"text": "First good row."}', *BAD_JSONL_ROWS, '{"text": "Last good row."}']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_malformed_jsonl_rows_are_skipped_with_a_warning_on_both_engines(tmp_path):
    path = _jsonl(tmp_path)
    said: list[str] = []
    docs = list(iter_documents([str(path)], warn=said.append))
    # the surrogate is replaced (U+FFFD, one code point for one); the two others skipped
    assert [d.text for d in docs] == ["First good row.", "x \ufffd y.", "Last good row."]
    docs[1].text.encode("utf-8")
    assert any(f"{path}:3: malformed JSON" in m for m in said)
    assert any(f"{path}:4: malformed JSON (nested too deeply)" in m for m in said)
    plan = fd.plan_partitions([str(path)], warn=lambda m: None)
    assert [d for p in plan for d in fd.read_partition(p)] == docs
    with pytest.raises(FramingError, match=r"rows.jsonl:3: malformed JSON"):
        list(iter_documents([str(path)], ReadOptions(strict=True)))


def test_a_csv_unterminated_quote_does_not_swallow_the_rows_after_it(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text('id,text\n1,"Unterminated here\n2,Next row.\n3,Third row.\n')
    said: list[str] = []
    docs = list(iter_documents([str(path)], ReadOptions(id_field="id"), warn=said.append))
    assert [(d.id, d.text) for d in docs] == [("2", "Next row."), ("3", "Third row.")]
    assert any("t.csv:" in m and "unterminated quote" in m for m in said)
    # a quoted field that spans lines and closes is still one row
    path.write_text('id,text\n1,"Multi\nline"\n2,Next.\n')
    docs = list(iter_documents([str(path)], ReadOptions(id_field="id")))
    assert [d.text for d in docs] == ["Multi\nline", "Next."]


@pytest.mark.parametrize("content", ["\u200b\u200b\u200b\n", "🙂🙂 🔥\n", "--- *** ...\n"])
def test_an_input_with_no_letters_is_refused_like_an_empty_one(tmp_path, content):
    path = tmp_path / "x.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(FramingError, match=r"x.txt: has no letters or digits"):
        list(iter_documents([str(path)]))
    (tmp_path / "good.txt").write_text("Troops crossed the border.\n")
    said: list[str] = []
    assert len(list(iter_documents([str(tmp_path)], warn=said.append))) == 1
    assert any("skipped" in m and "x.txt: has no letters" in m for m in said)


def test_csv_cells_never_start_a_formula():
    assert spreadsheet_safe("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert [spreadsheet_safe(v) for v in ("+1", "-x", "@a", "ok")] == ["'+1", "'-x", "'@a", "ok"]
    assert spreadsheet_safe(-0.25) == -0.25  # a negative score stays a number
    stream = io.StringIO()
    writer = RecordWriter(stream, "csv", ["f"], [])
    record = {
        "doc": "=cmd|'/c calc'!A1",
        "sentence_id": 0,
        "start": 0,
        "end": 5,
        "text": "@SUM(1)",
        "speaker": "author",
        "side": "unknown",
        "voice_kind": "author",
        "top_frame": None,
        "top_score": 0.0,
        "frames": {"f": -0.5},
        "lexical": {"f": 0.0},
        "semantic": {"f": -0.5},
        "axes": {},
        "hits": [],
    }
    writer.write(record)
    row = list(csv.DictReader(io.StringIO(stream.getvalue())))[0]
    assert row["doc"].startswith("'=") and row["text"] == "'@SUM(1)"
    assert row["frame:f"] == "-0.5"


def test_dask_output_refuses_a_folder_with_a_foreign_manifest(tmp_path):
    keep = tmp_path / "keep"
    (keep / "sub").mkdir(parents=True)
    (keep / "_manifest.json").write_text("{}")
    (keep / "notes.txt").write_text("notes")
    with pytest.raises(FramingError, match="is not a framing --engine dask output"):
        fd._prepare_target(keep)
    assert (keep / "notes.txt").read_text() == "notes"
    framing_output = tmp_path / "scores"
    framing_output.mkdir()
    (framing_output / "part-00000.jsonl").write_text("")
    (framing_output / "_manifest.json").write_text(
        '{"tool": "framing", "partitions": [{"file": "part-00000.jsonl"}]}'
    )
    assert fd._prepare_target(framing_output) == framing_output


# --- item 4: an output never lands on an input ---------------------------------------------

MINI = str(DATA / "mini.toml")
GOOD_TEXT = "The invasion began at dawn. Our troops will liberate the town."


def _one_line_error(result, *needles) -> str:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("framing: error: "), result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def _corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD_TEXT, encoding="utf-8")
    table = folder / "c.jsonl"
    table.write_text(json.dumps({"text": GOOD_TEXT}) + "\n", encoding="utf-8")
    return folder, folder / "a.txt", table


def _commands(folder, text, table, lexicon):
    """(argv, the input it must not touch) for every command that writes -o."""
    return [
        (["score", str(text), "-l", MINI, "-o", str(text)], text),
        (["score", str(table), "-l", MINI, "-o", str(table)], table),
        (["score", str(folder), "-l", MINI, "-o", str(folder / "out.jsonl")], text),
        (["score", str(text), "-l", str(lexicon), "-o", str(lexicon)], lexicon),
        (["profile", str(table), "-l", MINI, "-o", str(table)], table),
        (["profile", str(folder), "-l", MINI, "-o", str(folder / "p.csv")], text),
        (["map", str(folder), "-l", MINI, "-o", str(folder)], text),
        (["map", str(folder), "-l", MINI, "-o", str(folder / "sub")], text),
        (["actors", str(text), "-o", str(text)], text),
        (["actors", str(folder), "-o", str(folder / "spans.jsonl")], text),
        (["compare", str(table), "-l", MINI, "-o", str(table)], table),
        (["trend", str(folder), "-l", MINI, "-o", str(folder)], text),
        (["lexicon", "expand", str(folder), "-l", MINI, "--frame", "x", "-o", str(text)], text),
        (["validate", "frames", str(table), "-l", MINI, "-o", str(table)], table),
        (["validate", "sides", str(table), "-l", MINI, "-o", str(table)], table),
    ]


def test_every_command_refuses_an_output_on_or_inside_its_input(runner, tmp_path):
    folder, text, table = _corpus(tmp_path)
    lexicon = tmp_path / "mine.toml"
    lexicon.write_bytes(Path(MINI).read_bytes())
    before = {p: p.read_bytes() for p in (text, table, lexicon)}
    for argv, untouched in _commands(folder, text, table, lexicon):
        started = time.perf_counter()
        line = _one_line_error(runner.invoke(app, argv))
        # expand names its own rule first: it never writes over a file it did not write
        reasons = ("write the output elsewhere", "input folder", "not written by 'framing")
        assert any(reason in line for reason in reasons), (argv, line)
        assert time.perf_counter() - started < 5, f"{argv}: refused only after the model loaded"
        assert untouched.read_bytes() == before[untouched], argv
    assert sorted(p.name for p in folder.iterdir()) == ["a.txt", "c.jsonl"]


def test_a_meta_json_sibling_may_not_replace_an_input(runner, tmp_path):
    given = tmp_path / "out.jsonl.meta.json"
    given.write_text(GOOD_TEXT, encoding="utf-8")
    _one_line_error(
        runner.invoke(app, ["score", str(given), "-l", MINI, "-o", str(tmp_path / "out.jsonl")]),
        "is also an input",
    )
    assert given.read_text(encoding="utf-8") == GOOD_TEXT


def test_dask_output_may_not_hold_or_sit_inside_an_input(tmp_path):
    folder, text, _ = _corpus(tmp_path)
    with pytest.raises(FramingError, match="input folder"):
        fd.refuse_output_over_inputs(
            [folder / "scores" / fd.MANIFEST], [str(folder)], replaced_folders=[folder / "scores"]
        )
    with pytest.raises(FramingError, match="replaces the folder whole"):
        fd.refuse_output_over_inputs([folder / fd.MANIFEST], [str(text)], replaced_folders=[folder])


def test_outputs_of_earlier_runs_are_never_read_back(tmp_path):
    """A folder holding earlier outputs (score's X and X.meta.json, map's and trend's files,
    a Dask folder) gives only the user's own documents, and says what it left out."""
    from framing.io import write_json_atomic
    from framing.provenance import provenance

    folder, text, table = _corpus(tmp_path)
    (folder / "out.jsonl").write_text(json.dumps({"text": "A scored record."}) + "\n")
    write_json_atomic(folder / "out.jsonl.meta.json", provenance(command="score", options={}))
    maps = folder / "maps"
    maps.mkdir()
    (maps / "points.csv").write_text("doc,text\nd,A point of the map.\n")
    (maps / "map.html").write_text("<p>A page.</p>")
    run = provenance(command="map", options={})
    run["map"] = {"files": ["points.csv", "map.html", "map.meta.json"]}
    write_json_atomic(maps / "map.meta.json", run)
    dask = folder / "scores"
    dask.mkdir()
    (dask / "part-00000.jsonl").write_text(json.dumps({"text": "A part record."}) + "\n")
    write_json_atomic(dask / fd.MANIFEST, provenance(command="score", options={}))
    # a user's own file beside them, with a meta.json framing did not write, is read
    (folder / "notes.txt").write_text("The notes stay an input.")
    (folder / "notes.txt.meta.json").write_text('{"tool": "mine"}')
    warned: list[str] = []
    docs = list(iter_documents([str(folder)], warn=warned.append))
    sources = sorted(Path(d.source.split(":")[0]).name for d in docs)
    assert sources == ["a.txt", "c.jsonl", "notes.txt", "notes.txt.meta.json"]
    assert len(warned) == 1 and "left out 7 file(s) written by framing" in warned[0], warned


def test_score_into_a_folder_it_reads_twice_does_not_grow(runner, tmp_path):
    """The issue's repro: `score dir -o dir/out.jsonl` re-read its own output on every run
    (40, 81, 122 records); now it is refused, and scoring the folder after writing an
    output into it elsewhere reads only the user's text."""
    folder, text, _ = _corpus(tmp_path)
    (folder / "c.jsonl").unlink()
    out = folder / "out.jsonl"
    for _ in range(2):
        _one_line_error(runner.invoke(app, ["score", str(folder), "-l", MINI, "-o", str(out)]))
        assert not out.exists()
    result = runner.invoke(app, ["score", str(text), "-l", MINI, "-o", str(out)])
    assert result.exit_code == 0, result.output
    counts = []
    for _ in range(2):
        elsewhere = tmp_path / "again.jsonl"
        result = runner.invoke(app, ["score", str(folder), "-l", MINI, "-o", str(elsewhere)])
        assert result.exit_code == 0, result.output
        assert "left out 2 file(s) written by framing" in result.stderr
        counts.append(len(elsewhere.read_text().splitlines()))
    assert counts[0] == counts[1] == len(out.read_text().splitlines())


# --- item 8: the map's folder is all-old or all-new -----------------------------------------

OLD, NEW = "old\n", "new\n"


def _old_map(folder: Path, names=("map.png", "points.csv")) -> dict:
    folder.mkdir(exist_ok=True)
    for name in names:
        (folder / name).write_text(OLD)
    (folder / "notes.txt").write_text("the user's own file")
    return _snapshot(folder)


def _snapshot(folder: Path) -> dict:
    return {
        p.relative_to(folder).as_posix(): (p.read_text() if p.is_file() else "<folder>")
        for p in sorted(folder.rglob("*"))
    }


def _stage_new(stage: Path, names=("map.png", "map.svg", "points.csv")) -> None:
    for name in names:
        (stage / name).write_text(NEW)


def test_map_refuses_a_folder_where_points_csv_goes_before_any_work(runner, tmp_path):
    text = tmp_path / "a.txt"
    text.write_text(GOOD_TEXT)
    out = tmp_path / "out"
    out.mkdir()
    (out / "map.png").write_text(OLD)
    (out / "points.csv").mkdir()
    before = _snapshot(out)
    started = time.perf_counter()
    _one_line_error(
        runner.invoke(app, ["map", str(text), "-l", MINI, "-o", str(out)]), "points.csv", "folder"
    )
    assert time.perf_counter() - started < 5
    assert _snapshot(out) == before


def test_a_target_that_is_a_folder_fails_before_any_file_moves(tmp_path):
    from framing.mapping import staged_folder

    out = tmp_path / "out"
    before = _old_map(out, names=("map.png",))
    (out / "points.csv").mkdir()
    before = _snapshot(out)
    with pytest.raises(FramingError, match="points.csv: is a folder"):
        with staged_folder(out) as stage:
            _stage_new(stage)
    assert _snapshot(out) == before, "a mixed folder was left"


def test_an_error_part_way_through_the_moves_puts_the_old_files_back(tmp_path, monkeypatch):
    import framing.mapping as mapping
    from framing.mapping import staged_folder

    out = tmp_path / "out"
    before = _old_map(out)
    real_replace, calls = os.replace, []

    def failing_replace(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(errno.EIO, "Input/output error")
        real_replace(src, dst)

    monkeypatch.setattr(mapping.os, "replace", failing_replace)
    with pytest.raises(FramingError, match="left as it was"):
        with staged_folder(out) as stage:
            _stage_new(stage)
    monkeypatch.setattr(mapping.os, "replace", real_replace)
    assert _snapshot(out) == before


def test_ctrl_c_during_the_moves_leaves_all_new(tmp_path, monkeypatch):
    import framing.mapping as mapping
    from framing.mapping import staged_folder

    out = tmp_path / "out"
    _old_map(out)
    real_replace = os.replace

    def interrupted_replace(src, dst):
        os.kill(os.getpid(), signal.SIGINT)
        real_replace(src, dst)

    monkeypatch.setattr(mapping.os, "replace", interrupted_replace)
    with pytest.raises(KeyboardInterrupt):
        with staged_folder(out) as stage:
            _stage_new(stage)
    monkeypatch.setattr(mapping.os, "replace", real_replace)
    assert _snapshot(out) == {
        "map.png": NEW,
        "map.svg": NEW,
        "notes.txt": "the user's own file",
        "points.csv": NEW,
    }


KILLED_DURING_MOVES = """
import os, signal, sys
from pathlib import Path
import framing.mapping as mapping
real, calls = os.replace, []
def replace(src, dst):
    calls.append(dst)
    if len(calls) == 2:
        os.kill(os.getpid(), signal.SIGKILL)
    real(src, dst)
mapping.os.replace = replace
with mapping.staged_folder(Path(sys.argv[1])) as stage:
    for name in ("map.png", "map.svg", "points.csv"):
        (stage / name).write_text("new\\n")
"""


def test_a_kill_during_the_moves_is_finished_by_the_next_run(tmp_path):
    from framing.mapping import staged_folder

    out = tmp_path / "out"
    _old_map(out)
    root = Path(__file__).resolve().parents[1]
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_DURING_MOVES, str(out)],
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert [p.name for p in out.glob(".framing-map-*.part")], "the journal is gone"
    with staged_folder(out) as stage:  # the next run into the same folder
        (stage / "map.html").write_text(NEW)
    assert _snapshot(out) == {
        "map.html": NEW,
        "map.png": NEW,
        "map.svg": NEW,
        "notes.txt": "the user's own file",
        "points.csv": NEW,
    }


def test_stale_parts_older_than_a_day_are_removed_by_the_next_run(tmp_path):
    from framing.io import atomic_output
    from framing.mapping import staged_folder

    out = tmp_path / "out"
    out.mkdir()
    two_days_ago = time.time() - 2 * 86400
    stale = [
        out / ".framing-map-k3j4h5.part",  # a killed map run's staging folder
        out / ".points.csv.ab12cd34.part",  # a killed atomic write
        tmp_path / ".scores.0123456789ab.part",  # a killed Dask run's staging folder
        tmp_path / ".scores.0123456789ab.old",
    ]
    fresh = [out / ".framing-map-q1w2e3.part", tmp_path / ".x.jsonl.zz99yy88.part"]
    mine = [tmp_path / ".my.notes.part", out / "notes.part"]
    for path in stale + fresh + mine:
        if path.name.endswith(".part") and "csv" not in path.name and "notes" not in path.name:
            path.mkdir()
            (path / "f").write_text("x")
        else:
            path.write_text("x")
    for path in stale:
        os.utime(path, (two_days_ago, two_days_ago))
    with staged_folder(out) as stage:
        (stage / "map.png").write_text(NEW)
    with atomic_output(tmp_path / "scores.jsonl") as handle:
        handle.write("{}\n")
    assert not [p for p in stale if p.exists()]
    assert all(p.exists() for p in fresh + mine)


# --- item 9: a full disk, a folder in the way, Dask's swap ---------------------------------


class _FullDisk:
    """A file handle whose disk fills after ``room`` characters."""

    def __init__(self, handle, room: int = 100):
        self._handle, self._room = handle, room

    def write(self, data):
        self._room -= len(data)
        if self._room < 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return self._handle.write(data)

    def __getattr__(self, name):
        return getattr(self._handle, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return self._handle.__exit__(*exc)


def test_a_full_disk_is_one_line_and_leaves_the_old_output(runner, tmp_path, monkeypatch):
    import framing.io

    text = tmp_path / "a.txt"
    text.write_text(GOOD_TEXT * 20)
    out = tmp_path / "out.jsonl"
    out.write_text("the previous output\n")
    real_fdopen = os.fdopen
    monkeypatch.setattr(
        framing.io.os, "fdopen", lambda *a, **k: _FullDisk(real_fdopen(*a, **k), room=300)
    )
    line = _one_line_error(
        runner.invoke(app, ["score", str(text), "-l", MINI, "-o", str(out)]), str(out)
    )
    assert os.strerror(errno.ENOSPC) in line
    assert out.read_text() == "the previous output\n"
    assert not list(tmp_path.glob(".out.jsonl.*")), "a temporary file was left"
    assert not (tmp_path / "out.jsonl.meta.json").exists()


def test_a_full_disk_met_by_any_writer_is_one_line(tmp_path, capsys):
    import typer

    from framing.cli.common import user_errors
    from framing.mapping import staged_folder

    out = tmp_path / "out"
    before = _old_map(out)
    with pytest.raises(typer.Exit) as stop:
        with user_errors(), staged_folder(out) as stage:
            (stage / "map.png").write_text(NEW)
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(stage / "points.csv"))
    assert stop.value.exit_code == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "points.csv: cannot write (No space left" in lines[0], lines
    assert _snapshot(out) == before


def test_a_meta_json_folder_is_refused_before_the_output_is_replaced(runner, tmp_path):
    text = tmp_path / "a.txt"
    text.write_text(GOOD_TEXT)
    out = tmp_path / "x.jsonl"
    out.write_text("the previous output\n")
    (tmp_path / "x.jsonl.meta.json").mkdir()
    for command in ("score", "profile"):
        started = time.perf_counter()
        _one_line_error(
            runner.invoke(app, [command, str(text), "-l", MINI, "-o", str(out)]),
            "x.jsonl.meta.json",
            "is a folder",
        )
        assert time.perf_counter() - started < 5
        assert out.read_text() == "the previous output\n"


def test_dask_refuses_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for given in (".", str(tmp_path), ".."):
        with pytest.raises(FramingError, match="is the current folder or holds it"):
            fd._prepare_target(given)


def _dask_output(folder: Path, content: str) -> Path:
    folder.mkdir()
    (folder / "part-00000.jsonl").write_text(content)
    (folder / fd.MANIFEST).write_text(
        json.dumps({"tool": "framing", "partitions": [{"file": "part-00000.jsonl"}]})
    )
    return folder


def test_dask_swap_replaces_an_earlier_output_whole(tmp_path):
    target = _dask_output(tmp_path / "scores", OLD)
    staging = _dask_output(tmp_path / ".scores.0123456789ab.part", NEW)
    fd._swap_into_place(staging, target, "0123456789ab")
    assert (target / "part-00000.jsonl").read_text() == NEW
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scores"]


def test_a_kill_between_dask_renames_is_finished_by_the_next_run(tmp_path):
    """The state a kill between the two renames leaves: no target, the old output in
    .NAME.RUN.old, the finished one in .NAME.RUN.part. The next run puts the new in place."""
    _dask_output(tmp_path / ".scores.0123456789ab.old", OLD)
    _dask_output(tmp_path / ".scores.0123456789ab.part", NEW)
    target = tmp_path / "scores"
    assert fd._prepare_target(target) == target
    assert (target / "part-00000.jsonl").read_text() == NEW
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scores"]


# --- item 7: labels from data are never mathtext --------------------------------------------

MATH_SPEAKER = "$\\foo{$"


def test_mathtext_in_a_speaker_or_file_name_draws_as_written(runner, tmp_path):
    """A speaker `$\\foo{$` and a file `price $\\bad$ list` ended `framing map` in
    ParseFatalException after all the work; every figure (map, heatmap, axes, compare,
    trend) now draws them as plain text."""
    import tests.synthetic_corpus as sc

    rows = [
        {**r, "speaker": MATH_SPEAKER if r["speaker"] == "Kremlin" else r["speaker"]}
        for r in sc.rows()
    ]
    corpus = sc.write_jsonl(tmp_path / "price $\\bad$ list.jsonl", rows)
    read = ["--speaker-field", "speaker", "--boot", "50"]
    maps = tmp_path / "map"
    result = runner.invoke(app, ["map", str(corpus), *read, "-o", str(maps)])
    assert result.exit_code == 0, result.output
    for name in ("map.png", "map.svg", "heatmap.png", "axes.png"):
        assert (maps / name).stat().st_size > 10_000, name
    points = list(csv.DictReader((maps / "points.csv").open(encoding="utf-8")))
    assert MATH_SPEAKER in {p["speaker"] for p in points}
    compared = tmp_path / "compare.csv"
    result = runner.invoke(
        app,
        ["compare", str(corpus), "--speaker-field", "speaker", "--backend", "onnx"]
        + ["--groups", f"{MATH_SPEAKER},Volodymyr Zelenskyy", "-o", str(compared)],
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "compare.png").stat().st_size > 10_000
    trend = tmp_path / "trend"
    result = runner.invoke(
        app, ["trend", str(corpus), *read, "--backend", "onnx", "-o", str(trend)]
    )
    assert result.exit_code == 0, result.output
    assert (trend / "trend.png").stat().st_size > 10_000


# --- issue 14: options are checked at the edge, not by calling the library on nothing --------


@pytest.mark.parametrize("command", ["profile", "map"])
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--by", "mood"], "--by must be one of speaker, side; got 'mood'"),
        (["--boot", "0"], "--boot must be an integer >= 1; got 0"),
        (["--min-n", "0"], "--min-n must be an integer >= 1; got 0"),
    ],
)
def test_aggregate_options_are_checked_at_the_edge(
    runner, tmp_path, monkeypatch, command, args, message
):
    import framing.profile

    calls = []

    def recording(real):
        def call(records, *a, **k):
            calls.append(records)
            return real(records, *a, **k)

        return call

    for name in ("profile_records", "axis_positions"):
        monkeypatch.setattr(framing.profile, name, recording(getattr(framing.profile, name)))
    text = tmp_path / "a.txt"
    text.write_text(GOOD_TEXT)
    out = tmp_path / ("out" if command == "map" else "p.csv")
    line = _one_line_error(
        runner.invoke(app, [command, str(text), "-l", MINI, "-o", str(out), *args])
    )
    assert line == f"framing: error: {message}"
    assert calls == [], "the library was called with no records to check the options"
