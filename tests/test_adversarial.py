"""Breaks found by adversarial use (issue 17), each reproduced first: bad rows are rows, an
input with no letters is refused like an empty one, CSV outputs never start a formula."""

from __future__ import annotations

import csv
import io

import pytest

import framing.distributed as fd
from framing.errors import FramingError
from framing.io import ReadOptions, RecordWriter, iter_documents, spreadsheet_safe

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
