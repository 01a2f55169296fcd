"""The library warns through ``warnings`` (FramingWarning), never by printing, and the
warning about a text in another script fires on every path: score_texts, score_dataframe,
the Dask planner and the CLI (there once)."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import framing.distributed as fd
from framing.cli import app
from framing.dataframe import score_dataframe
from framing.errors import FramingWarning
from framing.pipeline import score_texts
from tests.conftest import DATA

MINI = str(DATA / "mini.toml")
RUSSIAN = "Наши войска освободили город. Переговоры продолжаются в Стамбуле."


def _language_warnings(caught) -> list[str]:
    return [str(w.message) for w in caught if "reads as Russian" in str(w.message)]


def test_score_texts_warns_once_about_another_script(real_embedder):
    with pytest.warns(FramingWarning) as caught:
        score_texts({"ru1": RUSSIAN, "ru2": RUSSIAN}, lexicon=[MINI], embedder=real_embedder)
    (message,) = _language_warnings(caught)
    assert message.startswith("ru1: reads as Russian, and the model reads English only")
    assert "--model multilingual" in message


def test_score_dataframe_warns_about_another_script(real_embedder):
    frame = pd.DataFrame({"text": ["Troops liberated the town.", RUSSIAN]})
    with pytest.warns(FramingWarning) as caught:
        score_dataframe(frame, lexicon=MINI, embedder=real_embedder)
    assert len(_language_warnings(caught)) == 1


def test_the_dask_planner_warns_about_another_script(tmp_path):
    (tmp_path / "a.txt").write_text("Troops liberated the town.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text(RUSSIAN + "\n", encoding="utf-8")
    said: list[str] = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing printed or warned behind the callback's back
        fd.plan_partitions([str(tmp_path)], warn=said.append)
    assert [m for m in said if "Russian" in m] == [
        f"{tmp_path / 'b.txt'}: reads as Russian, and the model reads English only, so its "
        "semantic scores mean little: score it with --model multilingual, which places Russian "
        "and English in one space (further such documents are not named)"
    ]
    said.clear()
    fd.plan_partitions([str(tmp_path)], warn=said.append, model="multilingual")
    assert said == []


def test_skipped_rows_are_warnings_not_prints(tmp_path, capsys):
    from framing.io import iter_documents

    table = tmp_path / "t.jsonl"
    table.write_text('{"text": "Fine."}\n{"text": 3}\n', encoding="utf-8")
    with pytest.warns(FramingWarning, match="t.jsonl:2"):
        assert [d.text for d in iter_documents([str(table)])] == ["Fine."]
    assert capsys.readouterr().err == ""


def test_the_cli_shows_the_language_warning_once(runner, tmp_path):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(RUSSIAN + "\n", encoding="utf-8")
    result = runner.invoke(app, ["score", str(tmp_path), "-l", MINI, "-f", "jsonl"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if "Russian" in line]
    assert len(lines) == 1 and lines[0].startswith("framing: warning: ")
    assert "a.txt: reads as Russian" in lines[0]
