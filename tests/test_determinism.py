"""Two separate processes, same input and options: byte-identical jsonl and csv, identical
map coordinates; and every output says how it was made (provenance), so that two runs
that do differ can be told apart."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from tests.conftest import DATA, ROOT, SEED

MINI = DATA / "mini.toml"
_VENV_FRAMING = ROOT / ".venv" / "bin" / "framing"
FRAMING = [str(_VENV_FRAMING)] if _VENV_FRAMING.exists() else [sys.executable, "-m", "framing"]
NEEDED_PACKAGES = ("framing", "torch", "sentence-transformers", "umap-learn", "scikit-learn")


def _framing(*args: str, cache: Path | None, hash_seed: str) -> subprocess.CompletedProcess:
    """A fresh process; a different PYTHONHASHSEED reorders every set and str-keyed hash."""
    env = {**os.environ, "PYTHONHASHSEED": hash_seed, "HF_HUB_OFFLINE": "1"}
    env.pop("FRAMING_CACHE_DIR", None)
    cache_args = ["--cache-dir", str(cache)] if cache else ["--no-cache"]
    proc = subprocess.run(
        [*FRAMING, *args, *cache_args], capture_output=True, text=True, env=env, timeout=600
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    return proc


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[str]:
    """The sample article and a small table of posts with quotes, unicode and a bad row."""
    folder = tmp_path_factory.mktemp("corpus")
    posts = folder / "posts.jsonl"
    rows = [
        {"id": "p1", "text": "“We will liberate them,” he said. It is not a real war."},
        {"id": "p2", "text": "Київ: the invasion continues; «aggression», says the minister."},
        {"id": "p3", "text": 7},
        {
            "id": "p4",
            "text": "Troops were told the special military operation was proceeding as planned.",
        },
    ]
    posts.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", "utf-8")
    return [str(SEED), str(posts)]


@pytest.fixture(scope="module")
def runs(corpus, tmp_path_factory) -> dict[str, Path]:
    """jsonl twice with cold caches; csv once recomputed without a cache, once from a cache
    the other process filled: four processes, two hash seeds."""
    base = tmp_path_factory.mktemp("determinism")
    common = ["score", *corpus, "-l", str(MINI), "--id-field", "id"]
    out = {name: base / name for name in ("a.jsonl", "b.jsonl", "a.csv", "b.csv")}
    _framing(*common, "-o", str(out["a.jsonl"]), cache=base / "cache-a", hash_seed="1")
    _framing(*common, "-o", str(out["b.jsonl"]), cache=base / "cache-b", hash_seed="2")
    _framing(*common, "-o", str(out["a.csv"]), cache=None, hash_seed="3")
    _framing(*common, "-o", str(out["b.csv"]), cache=base / "cache-a", hash_seed="4")
    out["cache"] = base / "cache-a"
    return out


def test_jsonl_is_byte_identical_across_processes(runs):
    a, b = runs["a.jsonl"].read_bytes(), runs["b.jsonl"].read_bytes()
    assert a == b
    records = [json.loads(line) for line in a.decode("utf-8").splitlines()]
    assert len(records) > 40 and {r["doc"] for r in records} >= {"p1", "p2", "p4"}


def test_csv_is_byte_identical_across_processes_with_and_without_the_cache(runs):
    assert runs["a.csv"].read_bytes() == runs["b.csv"].read_bytes()


def _without_time(meta: dict) -> dict:
    return {k: v for k, v in meta.items() if k != "created"}


def _assert_full_provenance(meta: dict, lexicon: Path) -> None:
    from framing.embed import default_model_path

    assert meta["tool"] == "framing" and meta["version"] == metadata.version("framing")
    for package in NEEDED_PACKAGES:
        assert meta["packages"][package] == metadata.version(package), package
    weights = Path(default_model_path()) / "model.safetensors"
    assert meta["model"]["id"] == "sentence-transformers/all-MiniLM-L6-v2"
    assert meta["model"]["weights_sha256"] == hashlib.sha256(weights.read_bytes()).hexdigest()
    assert meta["model"]["backend"] == "onnx"
    lexicon_sha = hashlib.sha256(lexicon.read_bytes()).hexdigest()
    assert meta["lexicons"] == [{"source": str(lexicon), "sha256": lexicon_sha}]
    assert meta["options"]["lexicons"] == [str(lexicon)]


def test_score_meta_json_says_how_the_output_was_made(runs, corpus):
    meta_a = json.loads(Path(f"{runs['a.jsonl']}.meta.json").read_text("utf-8"))
    meta_b = json.loads(Path(f"{runs['b.jsonl']}.meta.json").read_text("utf-8"))
    _assert_full_provenance(meta_a, MINI)
    assert meta_a["command"] == "score" and meta_a["inputs"] == corpus
    for option in (
        "format",
        "model",
        "text_field",
        "id_field",
        "encoding",
        "batch_size",
        "backend",
        "lexical_weight",
        "strict",
    ):
        assert option in meta_a["options"], option
    assert meta_a["options"]["id_field"] == "id" and meta_a["options"]["format"] == "jsonl"
    assert len(meta_a["skipped"]) == 1 and "posts.jsonl:3" in meta_a["skipped"][0]
    assert _without_time(meta_a) == _without_time(meta_b)
    csv_meta = json.loads(Path(f"{runs['a.csv']}.meta.json").read_text("utf-8"))
    assert csv_meta["options"]["format"] == "csv"


# --- framing map --------------------------------------------------------------------------


def _map_command_exists() -> bool:
    from framing.cli import app

    return any(c.name == "map" for c in app.registered_commands)


needs_map = pytest.mark.skipif(not _map_command_exists(), reason="`framing map` is not written yet")


@pytest.fixture(scope="module")
def maps(runs, tmp_path_factory) -> tuple[Path, Path]:
    """The map twice, in two processes with different hash seeds, from the cache filled above
    (so the vectors are equal by construction and the test is about UMAP and clustering)."""
    base = tmp_path_factory.mktemp("maps")
    args = ["map", str(SEED), "-l", str(MINI)]
    _framing(*args, "-o", str(base / "one"), cache=runs["cache"], hash_seed="5")
    _framing(*args, "-o", str(base / "two"), cache=runs["cache"], hash_seed="6")
    return base / "one", base / "two"


@needs_map
def test_map_coordinates_are_identical_across_processes(maps):
    one, two = maps
    points = (one / "points.csv").read_text("utf-8")
    assert points == (two / "points.csv").read_text("utf-8")
    header, *rows = points.splitlines()
    assert "x" in header.split(",") and "y" in header.split(",") and len(rows) > 30
    meta_one = json.loads((one / "map.meta.json").read_text("utf-8"))
    meta_two = json.loads((two / "map.meta.json").read_text("utf-8"))
    assert meta_one["map"]["clusters"] == meta_two["map"]["clusters"]


@needs_map
def test_map_meta_and_html_carry_the_provenance(maps):
    one, _ = maps
    meta = json.loads((one / "map.meta.json").read_text("utf-8"))
    _assert_full_provenance(meta, MINI)
    assert meta["command"] == "map" and meta["options"]["seed"] == 0
    html = (one / "map.html").read_text("utf-8")
    found = re.search(
        r'<script type="application/json" id="framing-provenance">(.*?)</script>', html, re.S
    )
    assert found, "map.html holds no provenance block"
    embedded = json.loads(found.group(1))
    _assert_full_provenance(embedded, MINI)
    assert embedded["options"] == meta["options"]


def test_a_hub_model_is_hashed_from_the_local_hub_cache(tmp_path, monkeypatch):
    """--model with a hub id: the weights' hash comes from the downloaded file, offline."""
    import huggingface_hub.constants

    from framing.backends import EXPORT_VERSION
    from framing.embed import Embedder

    repo = tmp_path / "hub" / "models--acme--tiny-encoder"
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text("abc123")
    snapshot = repo / "snapshots" / "abc123"
    snapshot.mkdir(parents=True)
    (snapshot / "model.safetensors").write_bytes(b"not really weights")
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(tmp_path / "hub"))

    embedder = Embedder("acme/tiny-encoder", cache_dir=tmp_path / "cache")
    expected = hashlib.sha256(b"not really weights").hexdigest()
    assert embedder.weights_sha256 == expected
    assert embedder.model_key == f"acme/tiny-encoder|onnx|{expected[:16]}|export{EXPORT_VERSION}"
    assert Embedder("acme/not-downloaded", cache_dir=tmp_path / "cache").weights_sha256 is None


def test_scores_are_byte_identical_from_any_cache_state_and_batch_size(corpus, tmp_path):
    """Fresh cache, no cache, a cache partly warmed by another input, --batch-size 7: the
    same scores.jsonl. The cache decides which texts are encoded together, so this holds
    only because a vector depends on its text alone (framing.backends: canonical batches)."""
    common = ["score", *corpus, "-l", str(MINI), "--id-field", "id", "--no-meta"]
    outputs = {name: tmp_path / f"{name}.jsonl" for name in ("fresh", "none", "partly", "b7")}
    _framing(*common, "-o", str(outputs["fresh"]), cache=tmp_path / "c-fresh", hash_seed="1")
    _framing(*common, "-o", str(outputs["none"]), cache=None, hash_seed="2")
    warm = ["score", corpus[1], "-l", str(MINI), "--id-field", "id", "--no-meta"]
    _framing(*warm, "-o", str(tmp_path / "warm.jsonl"), cache=tmp_path / "c-part", hash_seed="3")
    _framing(*common, "-o", str(outputs["partly"]), cache=tmp_path / "c-part", hash_seed="4")
    _framing(
        *common,
        "--batch-size",
        "7",
        "-o",
        str(outputs["b7"]),
        cache=tmp_path / "c-b7",
        hash_seed="5",
    )
    reference = outputs["fresh"].read_bytes()
    assert len(reference.splitlines()) > 40
    for name, path in outputs.items():
        assert path.read_bytes() == reference, f"{name} differs from a fresh cache"


@needs_map
def test_map_points_are_identical_from_a_partly_warmed_cache_and_without_one(tmp_path):
    args = ["map", str(SEED), "-l", str(MINI)]
    head = "\n".join(SEED.read_text("utf-8").splitlines()[:6]) + "\n"
    (tmp_path / "head.txt").write_text(head, encoding="utf-8")
    warm = ["score", str(tmp_path / "head.txt"), "-l", str(MINI), "--no-meta"]
    _framing(*warm, "-o", str(tmp_path / "head.jsonl"), cache=tmp_path / "c-part", hash_seed="1")
    _framing(*args, "-o", str(tmp_path / "partly"), cache=tmp_path / "c-part", hash_seed="2")
    _framing(*args, "-o", str(tmp_path / "none"), cache=None, hash_seed="3")
    points = (tmp_path / "partly" / "points.csv").read_bytes()
    assert points == (tmp_path / "none" / "points.csv").read_bytes()
