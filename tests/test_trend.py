"""`framing trend` and its library (framing.discover.trend, dates): periods, dates from
tables and file names, a planted shift showing in the planted month, undated documents
reported, bad input in one line; through CliRunner with the real model."""

from __future__ import annotations

import csv
import json
from datetime import date

import pandas as pd
import pytest

from framing.cli import app
from framing.discover.dates import date_in_text, document_dates, parse_date
from framing.discover.trend import period_of, trend_table
from framing.errors import FramingError
from framing.text import Document
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


# --- periods and dates -----------------------------------------------------------------


def test_periods_start_on_monday_the_first_and_the_quarter():
    day = date(2022, 3, 16)  # a Wednesday
    assert period_of(day, "week") == ("2022-03-14", date(2022, 3, 14))
    assert period_of(day, "month") == ("2022-03", date(2022, 3, 1))
    assert period_of(day, "quarter") == ("2022-Q1", date(2022, 1, 1))
    assert period_of(date(2022, 12, 31), "quarter")[0] == "2022-Q4"


def test_parse_date_reads_iso_dates_datetimes_and_months_only():
    assert parse_date("2022-03-14") == date(2022, 3, 14)
    assert parse_date("2022-03-14T09:30:00Z") == date(2022, 3, 14)
    assert parse_date("2022-03") == date(2022, 3, 1)
    for bad in ("14/03/2022", "yesterday", "2022-13-01", "", None, 20220314):
        assert parse_date(bad) is None


def test_text_files_take_the_date_in_their_name_else_their_first_lines():
    assert date_in_text("antalya_talks_2022-03.txt", "") == date(2022, 3, 1)
    assert date_in_text("kremlin_2022-02-24_000.txt", "2021-01-01") == date(2022, 2, 24)
    assert date_in_text("speech.txt", "Kyiv\nPublished 2022-04-02\nText") == date(2022, 4, 2)
    late = "\n".join(["line"] * 6 + ["2022-04-02"])
    assert date_in_text("speech.txt", late) is None


def test_document_dates_errors_name_the_field_and_the_file(tmp_path):
    table = tmp_path / "t.jsonl"
    table.write_text(json.dumps({"text": "A.", "when": "soon"}) + "\n")
    docs = [Document(f"{table}:1", "A.", source=f"{table}:1")]
    with pytest.raises(FramingError, match="no column 'date'.*--date-field"):
        document_dates(docs, "date")
    with pytest.raises(FramingError, match="'when' is empty or not an ISO date.*'soon'"):
        document_dates(docs, "when")
    with pytest.raises(FramingError, match="no document has a date"):
        document_dates([Document("a.txt", "No date here.", source="a.txt")], "date")


def test_trend_table_requires_dates_and_known_options():
    scores = pd.DataFrame(
        {"speaker": ["A"] * 3, "side": ["russia"] * 3, "voice_kind": ["author"] * 3,
         "top_frame": ["invasion", None, "invasion"], "frame:invasion": [0.5, 0.1, 0.4],
         "date": [None, None, None]}
    )  # fmt: skip
    with pytest.raises(FramingError, match="no sentence has a date"):
        trend_table(scores)
    with pytest.raises(FramingError, match="--freq must be one of week, month, quarter"):
        trend_table(scores, freq="year")
    scores["date"] = ["2022-03-01", None, "2022-03-20"]
    table = trend_table(scores, n_boot=50)
    assert table.attrs["undated"] == 1
    row = table[(table["measure"] == "invasion")].iloc[0]
    assert row["value"] == 1.0 and row["n"] == 2 and row["small_sample"]


# --- the command -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def trend_run(tmp_path_factory):
    from typer.testing import CliRunner

    folder = tmp_path_factory.mktemp("trend")
    rows = sc.rows()
    rows[0] = {**rows[0], "date": ""}  # one undated row: counted and reported
    corpus = sc.write_jsonl(folder / "statements.jsonl", rows)
    out = folder / "out"
    result = _ok(
        CliRunner().invoke(
            app,
            ["trend", str(corpus), "--speaker-field", "speaker", "--boot", "300", "-o", str(out)],
        )
    )
    return result, out, corpus


def test_planted_shift_shows_in_the_planted_month(trend_run):
    _, out, _ = trend_run
    rows = list(csv.DictReader((out / "trend.csv").open(encoding="utf-8")))
    assert list(rows[0]) == [
        "group", "period", "measure", "value", "low", "high", "n", "kind", "small_sample"
    ]  # fmt: skip
    talks = {
        r["period"]: r for r in rows if r["group"] == "russia" and r["measure"] == "negotiation"
    }
    # a neutral sentence can still lean to a frame ("discussed the budget" to negotiation), so
    # the shift is tested as the statistics show it: every month before the planted one, and
    # every Ukrainian month, lies below the planted month's 95% interval
    before = [m for m in sc.MONTHS if m < sc.PLANTED_MONTH]
    shifted = talks[sc.PLANTED_MONTH]
    assert float(shifted["value"]) > 0.1 and float(shifted["low"]) > 0.0
    assert float(shifted["low"]) <= float(shifted["value"]) <= float(shifted["high"])
    assert all(float(talks[m]["value"]) < float(shifted["low"]) for m in before)
    ukraine = [r for r in rows if r["group"] == "ukraine" and r["measure"] == "negotiation"]
    assert all(float(r["value"]) < float(shifted["low"]) for r in ukraine)
    # each side's own frame, every month: the Kremlin's operation, Zelenskyy's invasion
    assert all(
        float(r["value"]) > 0
        for r in rows
        if r["group"] == "russia" and r["measure"] == "special_operation"
    )


def test_trend_writes_figures_page_and_provenance_and_reports_undated(trend_run):
    result, out, _ = trend_run
    assert "1 of 96 documents" in result.stderr and "no date" in result.stderr
    assert (out / "trend.png").read_bytes()[:4] == b"\x89PNG"
    assert (out / "trend.svg").stat().st_size > 10_000
    page = (out / "trend.html").read_text(encoding="utf-8")
    assert "framing-provenance" in page
    assert "<script src=" not in page and "http" not in page.split("</style>")[0]  # offline
    # aggregate numbers drawn as inline SVG: a small page, one panel per drawn measure, a
    # line per group in each, a tooltip per point
    assert (out / "trend.html").stat().st_size < 400_000
    table = pd.read_csv(out / "trend.csv")
    never_top = (table["kind"] == "frame") & (
        table.groupby("measure")["value"].transform("max") <= 0
    )  # a frame that is no sentence's top frame gets no panel
    drawn = table[~never_top]
    assert page.count("<svg ") == drawn["measure"].nunique()
    assert not table["small_sample"].any()  # so each group is one unbroken line per panel
    assert page.count('<polyline class="line"') == len(drawn.groupby(["measure", "group"]))
    assert page.count("data-tip=") == len(drawn)
    assert 'data-tip="russia · 2022-04\nnegotiation: ' in page
    meta = json.loads((out / "trend.meta.json").read_text())
    assert meta["command"] == "trend" and meta["undated_documents"] == 1
    assert meta["undated"] == ["kremlin-2022-01-0"] or meta["undated"][0].endswith(":1")


def test_trend_on_a_folder_of_dated_text_files(tmp_path):
    from typer.testing import CliRunner

    folder = tmp_path / "speeches"
    folder.mkdir()
    for month, k in (("2022-02-10", 0), ("2022-03-10", 1)):
        text = f"{sc.KREMLIN[k]} {sc.SHARED[k]}\n"
        (folder / f"kremlin_{month}.txt").write_text(text)
    (folder / "notes.txt").write_text("An undated note about the weather.\n")
    out = tmp_path / "out"
    result = _ok(CliRunner().invoke(app, ["trend", str(folder), "--boot", "50", "-o", str(out)]))
    assert "1 of 3 documents" in result.stderr
    periods = {r["period"] for r in csv.DictReader((out / "trend.csv").open())}
    assert periods == {"2022-02", "2022-03"}


def test_trend_bad_input_is_one_line(trend_run, tmp_path):
    from typer.testing import CliRunner

    _, _, corpus = trend_run
    runner = CliRunner()
    base = ["trend", str(corpus), "--speaker-field", "speaker", "-o", str(tmp_path / "o")]
    _fails_cleanly(runner.invoke(app, [*base, "--freq", "year"]), "--freq", "year")
    _fails_cleanly(runner.invoke(app, [*base, "--date-field", "published"]), "published")
    undated = sc.write_jsonl(tmp_path / "u.jsonl", [{**r, "date": "n/a"} for r in sc.rows(1)])
    _fails_cleanly(
        runner.invoke(app, ["trend", str(undated), "-o", str(tmp_path / "o")]), "every row"
    )
    _fails_cleanly(runner.invoke(app, [*base, "--groups", "nato"]), "nato")
    assert not (tmp_path / "o").exists()


# --- legibility at many groups (no model) ------------------------------------------------


def _many_groups_table(groups: int = 8) -> pd.DataFrame:
    """A trend table of ``groups`` groups over 12 months; the last group is a small sample
    every month, at 90% where the others are near 10%."""
    rows = []
    names = ["ukraine"] + [f"outlet {k}" for k in range(1, groups)]
    for g, name in enumerate(names):
        for m in range(1, 13):
            small = g == groups - 1
            value = 0.9 if small else 0.1 + 0.01 * ((g + m) % 3)
            rows.append(
                {"group": name, "period": f"2022-{m:02d}", "measure": "invasion",
                 "value": value, "low": value - 0.02, "high": value + 0.02, "n": 3 if small else 50,
                 "kind": "frame", "small_sample": small, "period_start": date(2022, m, 1)}
            )  # fmt: skip
    table = pd.DataFrame(rows)
    table.attrs.update({"freq": "month", "by": "speaker", "min_n": 5})
    return table


def test_eight_groups_get_eight_distinct_colours_apart_from_the_sides():
    from framing.discover.figures import _apart, group_colors

    names = ["ukraine", "russia"] + [f"outlet {k}" for k in range(6)]
    colors = list(group_colors(names).values())
    for k, c in enumerate(colors):
        assert _apart(c, colors[:k] + colors[k + 1 :], least=50), colors


def test_a_small_sample_sets_no_scale_and_joins_no_line():
    from framing.discover.figures import trend_figure, value_range
    from framing.discover.trend_page import trend_html

    table = _many_groups_table()
    low, high = value_range(table, "frame", bands=False)
    assert low == 0.0 and 0.12 < high < 0.2  # the small group's 90% is off the scale
    page = trend_html(table)
    assert page.count("<polyline") == 7  # the small group has no line, only its points
    assert page.count('<polygon class="small"') == 12  # each off-scale month: a triangle
    assert 'class="grp many"' in page  # more than 4 groups: bands shown on hover only
    fig = trend_figure(table)
    assert fig.axes[0].get_ylim()[1] < 0.2
    assert "intervals in trend.csv and trend.html" in fig._suptitle.get_text()
