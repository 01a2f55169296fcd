"""`framing validate speakers`: the matching rule, the interval, and one-line errors."""

import json
from pathlib import Path

import pytest

from framing.cli import app
from framing.errors import FramingError
from framing.validate_speakers import bootstrap_interval, matching_record, surname, validate

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"

TEXT = (
    'The mayor of Eastbrook, Lena Okafor, spoke on Monday. "We will rebuild the bridge," '
    "Okafor said.\n\n"
    '"The budget is not enough," said Pavel Ostrowski, a council member.\n'
)


def _write(tmp_path: Path, rows: list[dict], text: str = TEXT) -> Path:
    (tmp_path / "texts").mkdir(exist_ok=True)
    (tmp_path / "texts" / "a.txt").write_text(text, encoding="utf-8")
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return gold


def test_surname_rule():
    assert surname("Flynn, the president of Common Cause,") == "flynn"
    assert surname("Rep. Gwen Moore (D-Wis.)") == "moore"
    assert surname("Mr. King") == "king"
    assert surname("Martin Luther King Jr.") == "king"
    assert surname("Representative Charles B. Rangel of New York") == "rangel"
    assert surname("James O’Neill") == surname("O'Neill")


def test_validate_matches_and_scores(tmp_path):
    gold = _write(
        tmp_path,
        [
            {"file": "texts/a.txt", "quote": "We will rebuild the bridge,", "speaker": "Okafor"},
            {
                "file": "texts/a.txt",
                "quote": "The budget is not enough,",
                "speaker": "Mr. Ostrowski, a council member",
            },
            {"file": "texts/a.txt", "quote": "The budget is not enough,", "speaker": "Okafor"},
        ],
    )
    report = validate(gold)
    assert [c.right for c in report.checks] == [True, True, False]
    assert report.accuracy == pytest.approx(2 / 3)
    assert report.ci_low <= report.accuracy <= report.ci_high
    assert [c.gold.speaker for c in report.disagreements] == ["Okafor"]
    assert report.checks[2].found == "Pavel Ostrowski"


def test_matching_record_is_the_eval_readme_rule():
    records = [
        ("We will rebuild the bridge, and the road too", "A", 0, 44),
        ("the bridge", "B", 200, 210),  # elsewhere in the text, shorter, inside the quote
        ("We will rebuild the bridge,", "C", 300, 327),
        ("", "D", 5, 5),  # an empty record matches nothing
    ]
    quote = "We will rebuild the bridge,"
    # the shortest record containing the quote or contained in it, wherever it stands
    assert matching_record(quote, records)[1] == "B"
    # the old rule only looked where the quotation stands
    assert matching_record(quote, records, [(0, 27)])[1] == "A"
    assert matching_record("a road", records) is None
    # a tie goes to the earliest record
    assert (
        matching_record("bridge", [("the bridge", "X", 9, 19), ("the bridge", "Y", 0, 10)])[1]
        == "X"
    )


def test_bootstrap_interval_is_seeded_and_bounded():
    rights = [True] * 70 + [False] * 30
    assert bootstrap_interval(rights, 500, 1) == bootstrap_interval(rights, 500, 1)
    low, high = bootstrap_interval(rights, 500, 1)
    assert 0.55 < low < 0.7 < high < 0.85


@pytest.mark.parametrize(
    "rows, needle",
    [
        ([{"file": "texts/a.txt", "quote": "We will rebuild the bridge,"}], "'speaker'"),
        ([{"file": "texts/a.txt", "quote": "never written", "speaker": "X"}], "quote not found"),
        ([{"file": "texts/none.txt", "quote": "x", "speaker": "X"}], "cannot read text"),
    ],
)
def test_bad_gold_is_one_line_error(tmp_path, runner, rows, needle):
    gold = _write(tmp_path, rows)
    with pytest.raises(FramingError, match=needle):
        validate(gold)
    result = runner.invoke(app, ["validate", "speakers", str(gold)])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("framing: error: ") and needle in lines[0]


def test_unreadable_text_is_one_line_error(tmp_path, runner):
    gold = _write(tmp_path, [{"file": "texts/a.txt", "quote": "bridge", "speaker": "Okafor"}])
    (tmp_path / "texts" / "a.txt").write_bytes(b"\xff\xfe\x00bad bytes \xc3")
    result = runner.invoke(app, ["validate", "speakers", str(gold)])
    assert result.exit_code == 2 and "cannot read text" in result.stderr


def test_cli_reports_accuracy(tmp_path, runner):
    gold = _write(
        tmp_path,
        [{"file": "texts/a.txt", "quote": "We will rebuild the bridge,", "speaker": "Okafor"}],
    )
    result = runner.invoke(app, ["validate", "speakers", str(gold), "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["accuracy"] == 1.0 and figures["quotations"] == 1


@pytest.mark.skipif(not (EVAL / "polnear_dev").is_dir(), reason="no ../shared/eval")
def test_polnear_dev_accuracy_holds():
    # A floor below the measured figure: a regression in attribution fails here.
    report = validate(EVAL / "polnear_dev" / "quotes.jsonl")
    assert len(report.checks) == 382
    assert report.accuracy >= 0.88
