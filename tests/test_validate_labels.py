"""framing validate frames|sides: agreement with a hand-labelled sample, and bad files."""

import json
from pathlib import Path

import pytest

from framing.cli import app
from framing.lexicon import load_lexicon
from framing.score import FrameScorer
from framing.validate_labels import read_labelled, validate_frames, validate_sides
from tests.conftest import DATA, HashingEmbedder

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
PRESS = EVAL / "press_2022-02-24_03-31"


def test_frame_measures_on_a_tiny_lexicon():
    scorer = FrameScorer(load_lexicon(DATA / "mini.toml"), HashingEmbedder()).fit()
    texts = [
        "The special military operation is proceeding as planned.",
        "The invasion and the aggression go on.",
        "They want to liberate the towns.",
        "An invasion, a real war.",
    ]
    gold = ["special_operation", "invasion", "liberation", "liberation"]
    result = validate_frames(texts, gold, scorer, boot=200)
    assert result.accuracy[0] == pytest.approx(0.75)
    # liberation: 1 of 2 found, and nothing else called liberation
    precision, recall, f1, support = result.rows["liberation"]
    assert (precision, recall, support) == (1.0, 0.5, 2) and f1 == pytest.approx(2 / 3)
    assert result.rows["invasion"][:2] == (0.5, 1.0)
    assert result.confusion["liberation"]["invasion"] == 1
    low, high = result.accuracy[1:]
    assert 0.0 <= low <= 0.75 <= high <= 1.0


def test_validate_frames_cli_with_the_real_model(runner):
    result = runner.invoke(
        app, ["validate", "frames", str(DATA / "frames_gold.jsonl"), "--boot", "200"]
    )
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert first.startswith("17 texts. Accuracy ")
    accuracy = float(first.split("Accuracy ")[1].split()[0])
    assert accuracy >= 0.7, result.output  # hand-written, unambiguous sentences
    assert "| civilian_harm |" in result.output and "Confusion" in result.output


@pytest.mark.skipif(not PRESS.is_dir(), reason="../shared/eval press releases not present")
def test_validate_sides_on_press_releases_beside_tfidf(real_scorer, tmp_path):
    manifest = [json.loads(x) for x in (PRESS / "manifest.jsonl").read_text().splitlines()]
    texts = [(PRESS / m["file"]).read_text(encoding="utf-8") for m in manifest]
    result = validate_sides(texts, [m["side"] for m in manifest], real_scorer, boot=200)
    accuracy = result.measures["accuracy"]
    auc = result.measures["AUC (ukraine positive)"]
    assert result.folds == 10 and result.counts == {"russia": 59, "ukraine": 59}
    assert accuracy[0] > 0.8 and auc[0] > 0.9  # chance is 0.5
    assert 0.5 < accuracy[3] <= 1.0  # the TF-IDF reference, same folds


def _write(tmp_path, name, body):
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "name, body, args, problem",
    [
        ("a.csv", "body,frame\nx,invasion\n", [], "no column 'text' (columns: body, frame)"),
        ("a.jsonl", '{"text": "x", "frame": "invasion"}\n{oops\n', [], "line 2: not JSON"),
        ("a.jsonl", '{"text": "x"}\n', [], "line 1: missing or empty 'frame'"),
        ("a.jsonl", "", [], "no labelled rows"),
        ("a.txt", "x", [], "must be .csv, .tsv or .jsonl"),
        ("a.jsonl", '{"text": "x", "frame": "bogus"}\n', [], "gold frame(s) 'bogus' are not"),
    ],
)
def test_bad_labelled_files_get_one_line(runner, tmp_path, name, body, args, problem):
    path = _write(tmp_path, name, body)
    result = runner.invoke(app, ["validate", "frames", str(path), *args])
    assert result.exit_code == 2
    (line,) = result.output.strip().splitlines()
    assert line.startswith(f"framing: error: {path}") and problem in line, line


def test_sides_needs_two_groups_with_two_documents_each(runner, tmp_path):
    one = _write(tmp_path, "one.jsonl", '{"text": "a b", "side": "x"}\n' * 3)
    result = runner.invoke(app, ["validate", "sides", str(one)])
    assert result.exit_code == 2 and "at least two groups" in result.output
    lonely = _write(
        tmp_path,
        "lonely.jsonl",
        '{"text": "a b", "side": "x"}\n' * 3 + '{"text": "c", "side": "y"}\n',
    )
    result = runner.invoke(app, ["validate", "sides", str(lonely)])
    assert result.exit_code == 2 and "group 'y' has one document" in result.output


def test_missing_file(tmp_path):
    from framing.errors import FramingError

    with pytest.raises(FramingError, match="no such file"):
        read_labelled(tmp_path / "nope.jsonl", "text", "frame")
