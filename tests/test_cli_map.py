"""`framing map` end to end with the real model: files, determinism across runs, the
embedding cache shared with `framing score`, small corpora, bad options, no partial output,
and the interactive page rendered by headless Chromium."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from framing.cli import app

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
LEXICON = str(DATA / "map_frames.toml")  # six frames and the two default axes
# numba's compile cache is pure compiled code, safe to share between sessions (see test_maps)
os.environ.setdefault("NUMBA_CACHE_DIR", str(ROOT / ".pytest_cache" / "numba"))

FILES = ("map.png", "map.svg", "map.html", "heatmap.png", "axes.png", "points.csv", "map.meta.json")


def run_map(runner, *args: str):
    return runner.invoke(app, ["map", *args], catch_exceptions=False)


@pytest.fixture(scope="module")
def seed_map(tmp_path_factory, seed_path):
    """The sample corpus mapped once (module scope: the real model is loaded once)."""
    from typer.testing import CliRunner

    out = tmp_path_factory.mktemp("seed-map") / "out"
    result = CliRunner().invoke(
        app, ["map", str(seed_path), "-l", LEXICON, "-o", str(out)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return out, result


def read_points(folder: Path) -> list[dict]:
    with open(folder / "points.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_writes_every_file(seed_map):
    out, result = seed_map
    for name in FILES:
        assert (out / name).is_file() and (out / name).stat().st_size > 0, name
    assert not list(out.glob(".framing-map-*")), "the staging folder was left behind"
    assert "wrote map.png" in result.output and "40 sentences" in result.output


@pytest.mark.parametrize("name", ["map.png", "heatmap.png", "axes.png"])
def test_images_open_at_paper_size_and_are_not_blank(seed_map, name):
    out, _ = seed_map
    with Image.open(out / name) as image:
        image.load()
        assert image.format == "PNG"
        width, height = image.size
        pixels = np.asarray(image.convert("L"), dtype=float)
    assert width == 2000 and 900 <= height <= 2000
    if name != "heatmap.png":
        assert (width, height) == (2000, 1400)
    assert pixels.std() > 10


def test_svg_is_an_svg(seed_map):
    import xml.etree.ElementTree as ET

    root = ET.parse(seed_map[0] / "map.svg").getroot()
    assert root.tag.endswith("svg") and root.get("width") == "720pt"


def test_points_table(seed_map, seed_records_map):
    out, _ = seed_map
    rows = read_points(out)
    assert list(rows[0]) == [
        "doc",
        "sentence",
        "speaker",
        "side",
        "x",
        "y",
        "cluster",
        "top_frame",
        "text",
    ]
    assert len(rows) == len(seed_records_map) == 40
    assert [r["text"] for r in rows] == [r["text"] for r in seed_records_map]
    assert {r["side"] for r in rows} <= {"russia", "ukraine", "west", "other", "unknown", "author"}
    assert any(r["side"] == "russia" for r in rows) and any(r["side"] == "author" for r in rows)
    meta = json.loads((out / "map.meta.json").read_text())
    clusters = {int(r["cluster"]) for r in rows} - {-1}
    assert clusters == {c["cluster"] for c in meta["map"]["clusters"]}


def test_points_parquet_matches_csv(seed_map):
    pq = pytest.importorskip("pyarrow.parquet")
    out, _ = seed_map
    table = pq.read_table(out / "points.parquet").to_pylist()
    rows = read_points(out)
    assert len(table) == len(rows)
    assert [t["x"] for t in table] == [float(r["x"]) for r in rows]
    assert [t["cluster"] for t in table] == [int(r["cluster"]) for r in rows]


def test_meta_records_how_the_map_was_made(seed_map):
    meta = json.loads((seed_map[0] / "map.meta.json").read_text())
    assert meta["command"] == "map" and meta["model"]["id"].endswith("all-MiniLM-L6-v2")
    assert meta["lexicons"][0]["source"].endswith("map_frames.toml")
    m = meta["map"]
    assert m["projection"] == "umap" and m["clustering"] == "hdbscan" and m["notices"] == []
    assert m["sentences"] == 40 and m["axes"] == [
        "operation_vs_invasion",
        "liberation_vs_occupation",
    ]
    assert set(FILES) <= set(m["files"])
    for stage in ("scoring", "neighbours", "UMAP", "clustering", "writing map.png"):
        assert stage in m["timings_s"]
    for c in m["clusters"]:
        assert c["keywords"] and c["size"] >= 2


def test_same_input_same_coordinates_and_clusters(seed_map, runner, seed_path, tmp_path):
    first, _ = seed_map
    result = run_map(runner, str(seed_path), "-l", LEXICON, "-o", str(tmp_path / "again"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "again" / "points.csv").read_bytes() == (first / "points.csv").read_bytes()
    meta = [
        json.loads((f / "map.meta.json").read_text())["map"]["clusters"]
        for f in (first, tmp_path / "again")
    ]
    assert meta[0] == meta[1]
    # the figures are drawn from the same numbers: the same pixels
    assert (tmp_path / "again" / "map.png").read_bytes() == (first / "map.png").read_bytes()


def test_map_reuses_the_cache_of_score(runner, seed_path, tmp_path):
    cache = tmp_path / "cache"
    scored = runner.invoke(
        app,
        [
            "score",
            str(seed_path),
            "-l",
            LEXICON,
            "--cache-dir",
            str(cache),
            "-f",
            "jsonl",
            "-o",
            str(tmp_path / "s.jsonl"),
        ],
    )
    assert scored.exit_code == 0, scored.output
    result = run_map(
        runner,
        str(seed_path),
        "-l",
        LEXICON,
        "--cache-dir",
        str(cache),
        "-o",
        str(tmp_path / "out"),
    )
    assert result.exit_code == 0, result.output
    cache_use = json.loads((tmp_path / "out" / "map.meta.json").read_text())["map"]
    assert cache_use["embedding_cache"]["misses"] == 0
    assert cache_use["embedding_cache"]["hits"] >= 40


def test_kmeans_and_colour_options(runner, seed_path, tmp_path):
    result = run_map(
        runner,
        str(seed_path),
        "-l",
        LEXICON,
        "--clusters",
        "3",
        "--color-by",
        "cluster",
        "--axes",
        "liberation_vs_occupation,operation_vs_invasion",
        "--by",
        "side",
        "-o",
        str(tmp_path / "out"),
    )
    assert result.exit_code == 0, result.output
    meta = json.loads((tmp_path / "out" / "map.meta.json").read_text())
    assert meta["map"]["clustering"] == "kmeans" and meta["map"]["n_clusters"] == 3
    assert meta["map"]["axes"] == ["liberation_vs_occupation", "operation_vs_invasion"]
    assert {int(r["cluster"]) for r in read_points(tmp_path / "out")} == {0, 1, 2}


def test_a_tiny_corpus_falls_back_to_pca(runner, tmp_path):
    text = tmp_path / "tiny.txt"
    text.write_text(
        "Russia launched an invasion. Kyiv will not surrender. "
        "Talks on a ceasefire resumed in Antalya. The operation goes to plan.",
        encoding="utf-8",
    )
    result = run_map(runner, str(text), "-l", LEXICON, "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    notices = [line for line in result.output.splitlines() if "too few for UMAP" in line]
    assert notices == [
        "framing: 4 sentences: too few for UMAP (needs 15); projected with PCA instead"
    ]
    meta = json.loads((tmp_path / "out" / "map.meta.json").read_text())["map"]
    assert meta["projection"] == "pca" and meta["notices"][0].startswith("4 sentences")
    assert len(read_points(tmp_path / "out")) == 4
    for name in ("map.png", "heatmap.png", "axes.png"):
        with Image.open(tmp_path / "out" / name) as image:
            assert np.asarray(image.convert("L"), dtype=float).std() > 10


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--clusters", "1"], "framing: error: --clusters must be an integer ≥ 2; got 1"),
        (["--clusters", "abc"], "framing: error: --clusters must be an integer ≥ 2; got abc"),
        (
            ["--axes", "operation_vs_invasion,nope"],
            "framing: error: --axes: unknown axis 'nope' (the lexicon's axes: "
            "operation_vs_invasion, liberation_vs_occupation)",
        ),
        (
            ["--axes", "operation_vs_invasion"],
            "framing: error: --axes must be two different axis ids as X,Y; "
            "got 'operation_vs_invasion'",
        ),
        (
            ["--color-by", "mood"],
            "framing: error: --color-by must be one of side, speaker, cluster, top_frame; "
            "got 'mood'",
        ),
    ],
)
def test_bad_options_fail_in_one_line(runner, seed_path, tmp_path, args, message):
    out = tmp_path / "out"
    result = run_map(runner, str(seed_path), "-l", LEXICON, "-o", str(out), *args)
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [message]
    assert not out.exists()


def test_output_must_be_a_folder(runner, seed_path, tmp_path):
    target = tmp_path / "file.txt"
    target.write_text("keep me", encoding="utf-8")
    result = run_map(runner, str(seed_path), "-l", LEXICON, "-o", str(target))
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"framing: error: -o {target}: is a file, not a folder; give a folder to write into"
    )
    assert target.read_text(encoding="utf-8") == "keep me"


def test_output_parent_must_exist(runner, seed_path, tmp_path):
    result = run_map(runner, str(seed_path), "-l", LEXICON, "-o", str(tmp_path / "a" / "b"))
    assert result.exit_code == 2
    assert "parent folder" in result.output and "does not exist" in result.output
    assert not (tmp_path / "a").exists()


def test_a_failed_run_leaves_no_partial_files(runner, seed_path, tmp_path, monkeypatch):
    from framing import plots

    def broken(*args, **kwargs):
        raise RuntimeError("drawing failed")

    monkeypatch.setattr(plots, "heatmap_figure", broken)
    fresh = tmp_path / "fresh"
    with pytest.raises(RuntimeError, match="drawing failed"):
        run_map(runner, str(seed_path), "-l", LEXICON, "-o", str(fresh))
    assert not fresh.exists()
    existing = tmp_path / "existing"
    existing.mkdir()
    (existing / "map.png").write_bytes(b"old")
    with pytest.raises(RuntimeError):
        run_map(runner, str(seed_path), "-l", LEXICON, "-o", str(existing))
    assert sorted(p.name for p in existing.iterdir()) == ["map.png"]
    assert (existing / "map.png").read_bytes() == b"old"


@pytest.fixture(scope="module")
def seed_records_map(seed_path):
    from framing.embed import Embedder
    from framing.lexicon import load_lexicon
    from framing.pipeline import score_documents
    from framing.score import FrameScorer
    from framing.text import Document

    scorer = FrameScorer(load_lexicon(LEXICON), Embedder()).fit()
    doc = Document(id=str(seed_path), text=seed_path.read_text(encoding="utf-8"))
    return list(score_documents([doc], scorer))


# --- the page in a real browser ------------------------------------------------------------

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
# Recorded in the page itself: console.error calls and uncaught errors, since Chromium logs
# every console message at one level.
PROBE = """<script>window.__errors = [];
(function () {
  var original = console.error;
  console.error = function () {
    window.__errors.push(Array.prototype.join.call(arguments, ' '));
    original.apply(console, arguments);
  };
  window.addEventListener('error', function (ev) {
    window.__errors.push('Uncaught ' + ev.message);
  });
  window.addEventListener('load', function () {
    setTimeout(function () {
      var html = document.documentElement;
      html.setAttribute('data-errors', JSON.stringify(window.__errors));
    }, 500);
  });
})();</script>"""


def chromium() -> str:
    path = shutil.which("chromium")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (CI must have it: `make browser`)")
        pytest.skip("chromium is not installed (`make browser` installs it)")
    return path


def open_in_chromium(page: Path, tmp_path: Path) -> tuple[str, Path, str]:
    """(console log, screenshot, DOM after scripts ran) of a page in headless Chromium."""
    browser = chromium()
    shot = tmp_path / "shot.png"
    common = [browser, *CHROMIUM_FLAGS, "--virtual-time-budget=10000", "--window-size=1200,900"]
    logged = subprocess.run(
        [
            *common,
            f"--user-data-dir={tmp_path / 'profile-1'}",
            "--enable-logging=stderr",
            "--v=0",
            f"--screenshot={shot}",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    probed = tmp_path / "probed.html"
    probed.write_text(
        page.read_text(encoding="utf-8").replace("<head>", "<head>" + PROBE, 1), encoding="utf-8"
    )
    dom = subprocess.run(
        [*common, f"--user-data-dir={tmp_path / 'profile-2'}", "--dump-dom", probed.as_uri()],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    return logged.stderr, shot, dom.stdout


def console_errors(log: str, dom: str) -> list[str]:
    import re

    errors = [
        line
        for line in log.splitlines()
        if "Uncaught" in line
        or "ERROR:CONSOLE" in line
        or ("CONSOLE" in line and "net::ERR" in line)
    ]
    recorded = re.search(r'data-errors="([^"]*)"', dom)
    assert recorded, "the page never finished loading"
    import html

    errors += json.loads(html.unescape(recorded.group(1)))
    return errors


def test_the_browser_check_catches_errors(tmp_path):
    """The check below must fail on a broken page, or it proves nothing."""
    page = tmp_path / "broken.html"
    page.write_text(
        "<html><head></head><body><p>x</p><script>console.error('bad thing');"
        "undefinedFunction();</script></body></html>",
        encoding="utf-8",
    )
    log, _, dom = open_in_chromium(page, tmp_path)
    errors = console_errors(log, dom)
    assert any("bad thing" in e for e in errors)
    assert any("undefinedFunction" in e for e in errors)


def test_map_html_renders_in_chromium(seed_map, tmp_path):
    page = seed_map[0] / "map.html"
    log, shot, dom = open_in_chromium(page, tmp_path)
    assert console_errors(log, dom) == []
    with Image.open(shot) as image:
        assert image.size == (1200, 900)
        pixels = np.asarray(image.convert("L"), dtype=float)
    assert pixels.std() > 10 and (pixels < 200).mean() > 0.01
    # plotly drew one marker per sentence, and the legend one entry per side
    assert dom.count('<path class="point') == 40
    assert dom.count('class="main-svg"') >= 1
