"""Backends: the ONNX default (one export, then no torch; vectors that depend on the text
alone), the fallback to torch, and one-line errors for unknown names and missing packages."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from framing.backends import BACKENDS, DEFAULT_BACKEND, check_backend
from framing.cli import app
from framing.errors import FramingError


def test_unknown_backend_names_the_choices():
    with pytest.raises(
        FramingError, match=r"--backend must be one of onnx, torch, torch-bf16, .*; got 'tpu'"
    ):
        check_backend("tpu")


@pytest.mark.parametrize(
    "backend, extra",
    [
        ("openvino", "openvino"),
        ("openvino-bf16", "openvino"),
        ("onnx-int8", "onnx"),
    ],
)
def test_missing_extra_is_one_line_and_exit_2(backend, extra, monkeypatch, tmp_path):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name in ("openvino", "onnxruntime", "onnx") else real(name, *a),
    )
    text = tmp_path / "a.txt"
    text.write_text("Troops crossed the border.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["score", str(text), "--backend", backend])
    assert result.exit_code == 2
    assert (
        result.stderr.strip()
        == f"framing: error: --backend {backend} needs: pip install 'framing[{extra}]'"
    )


def test_default_backends_need_no_extra():
    for backend in ("onnx", "torch", "torch-bf16"):
        check_backend(backend)
    assert BACKENDS[0] == DEFAULT_BACKEND == "onnx"


def test_torch_backend_without_torch_says_how_to_get_it(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "torch" else real(name, *a)
    )
    with pytest.raises(FramingError, match=r"--backend torch needs torch: pip install torch"):
        check_backend("torch")


@pytest.mark.slow
@pytest.mark.parametrize(
    "backend, module, least_cos",
    [
        ("onnx", "onnxruntime", 0.9999),
        ("openvino", "openvino", 0.9999),
        ("onnx-int8", "onnxruntime", 0.97),
    ],
)
def test_converted_backend_matches_torch(backend, module, least_cos, real_embedder, tmp_path):
    """Only where the optional package is installed: converted once into the cache folder,
    then the same vectors as torch fp32 (padded batches included)."""
    pytest.importorskip(module)
    from framing.embed import Embedder, default_model_path

    texts = [
        "Talks resumed.",
        "Russian troops crossed the border near Kharkiv early on Thursday, "
        "officials said, as air-raid sirens sounded across the city.",
        "Kyiv.",
    ]
    embedder = Embedder(
        default_model_path(), cache_dir=tmp_path, use_cache=False, backend=backend, batch_size=2
    )
    vectors = embedder.encode(texts)
    assert list((tmp_path / "models").rglob("tokenizer.json")), (
        "the conversion lives in the cache folder"
    )
    reference = Embedder(
        default_model_path(), cache_dir=tmp_path, use_cache=False, backend="torch"
    ).encode(texts)
    assert vectors.shape == reference.shape
    assert (vectors * reference).sum(axis=1).min() >= least_cos


# --- the ONNX default -----------------------------------------------------------------------

TEXTS = [
    "Talks resumed.",
    "Russian troops crossed the border near Kharkiv early on Thursday, officials said, as "
    "air-raid sirens sounded across the city and residents sheltered in the metro.",
    "Kyiv.",
    "The ministry called it a special military operation to protect the Donbas.",
    "Ceasefire talks in Antalya ended without agreement, Kuleba told reporters.",
] + [f"Sentence {i} about shelling near the front line, a spokesman said." for i in range(40)]


@pytest.mark.slow
def test_vectors_depend_on_the_text_alone(onnx_export, tmp_path):
    """Byte-identical vectors whatever the batch size, the order, the batch mates, and what
    a partly warmed cache already held (onnxruntime alone differs in the last bits)."""
    from framing.embed import Embedder

    def embedder(**options):
        return Embedder(str(onnx_export), cache_dir=tmp_path / "cache", **options)

    reference = embedder(use_cache=False).encode(TEXTS).tobytes()
    for batch_size in (1, 7, 64):
        assert embedder(use_cache=False, batch_size=batch_size).encode(TEXTS).tobytes() == (
            reference
        )
    assert embedder(use_cache=False).encode(TEXTS[::-1])[::-1].tobytes() == reference
    embedder().encode(TEXTS[1::3] + ["A text that is not in the corpus at all."])  # partly warm
    partly = embedder()
    assert partly.encode(TEXTS).tobytes() == reference
    assert 0 < partly.cache_hits < len(TEXTS)
    assert embedder().encode(TEXTS).tobytes() == reference  # all from the cache


@pytest.mark.slow
def test_a_call_fills_only_the_last_batch_of_each_length_with_copies(onnx_export, tmp_path):
    """The misses of one call reach the encoder together, though the cache commits them 256
    at a time: a batch partly filled with copies only where a length bucket runs out, never
    at a commit's end (that padding cost framing score a fifth of its encoding time)."""
    import math
    from collections import Counter

    from framing import backends
    from framing.embed import Embedder

    words = "the talks resumed near Kharkiv after a night of heavy shelling and air raids".split()
    texts = [" ".join(words[: 3 + i % 12]) + f" (report {i})." for i in range(700)]
    embedder = Embedder(str(onnx_export), cache_dir=tmp_path / "cache")
    encoder = embedder._load()
    runs = []
    real_run = encoder.run
    encoder.run = lambda feeds: runs.append(feeds["input_ids"].shape) or real_run(feeds)
    embedder.encode(texts)

    lengths = [len(e.ids) for e in encoder.tokenizer.encode_batch(texts)]
    step, rows = backends._LENGTH_STEP, backends.CANONICAL_ROWS
    buckets = Counter(min(-(-n // step) * step, encoder.max_length) for n in lengths)
    assert len(runs) == sum(math.ceil(n / rows) for n in buckets.values())
    assert {shape[0] for shape in runs} == {rows}
    assert len(texts) > 2 * 256  # more than one commit


@pytest.mark.slow
def test_a_shared_cache_never_mixes_the_vectors_of_two_backends(onnx_export, tmp_path, monkeypatch):
    """One cache folder used by --backend torch, then onnx, then torch again: each gets its
    own backend's vectors, byte for byte, never the other's (same model, same texts)."""
    from framing.embed import Embedder

    monkeypatch.delenv("FRAMING_MODEL", raising=False)
    texts = TEXTS[:6]
    shared = tmp_path / "shared"
    torch_alone = Embedder(cache_dir=tmp_path / "t", backend="torch", use_cache=False)
    onnx_alone = Embedder(str(onnx_export), cache_dir=tmp_path / "o", use_cache=False)
    torch_vectors, onnx_vectors = torch_alone.encode(texts), onnx_alone.encode(texts)
    # the two backends differ in the last bits, or this test could not tell them apart
    assert torch_vectors.tobytes() != onnx_vectors.tobytes()

    first = Embedder(cache_dir=shared, backend="torch")
    assert first.encode(texts).tobytes() == torch_vectors.tobytes()
    second = Embedder(str(onnx_export), cache_dir=shared)
    assert second.model_key != first.model_key
    assert second.encode(texts).tobytes() == onnx_vectors.tobytes()
    assert second.cache_hits == 0
    third = Embedder(cache_dir=shared, backend="torch")
    assert third.encode(texts).tobytes() == torch_vectors.tobytes()
    assert third.cache_hits == len(texts)


@pytest.mark.slow
def test_an_export_folder_is_a_model_that_shares_the_default_cache_key(onnx_export, tmp_path):
    from framing.embed import Embedder

    exported = Embedder(str(onnx_export), cache_dir=tmp_path)
    default = Embedder(cache_dir=tmp_path)
    assert exported.model_id == "sentence-transformers/all-MiniLM-L6-v2"
    assert exported.model_key == default.model_key
    assert exported.model_key.split("|")[1] == "onnx"
    with pytest.raises(FramingError, match="is an ONNX export: it runs only with --backend onnx"):
        Embedder(str(onnx_export), cache_dir=tmp_path, backend="torch").encode(["x"])


_NO_TORCH_SCRIPT = """
import sys
from framing.cli import main
try:
    main()
finally:
    # scikit-learn (and the scipy it loads) is a second of start-up: FrameScorer speaks its
    # protocol without importing it
    heavy = {"torch", "sentence_transformers", "sklearn", "scipy"}
    heavy = sorted({m.split(".")[0] for m in sys.modules} & heavy)
    print("HEAVY", heavy, file=sys.stderr)
"""


@pytest.mark.slow
def test_scoring_after_the_export_imports_neither_torch_nor_sentence_transformers(
    onnx_export, tmp_path
):
    import os
    import subprocess
    import sys

    text = tmp_path / "one.txt"
    text.write_text("The invaders shelled the town, Lavrov said.\n", encoding="utf-8")
    env = {**os.environ, "FRAMING_MODEL": str(onnx_export), "HF_HUB_OFFLINE": "1"}
    proc = subprocess.run(
        [sys.executable, "-c", _NO_TORCH_SCRIPT, "score", str(text), "--format", "jsonl"]
        + ["--cache-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert '"top_frame"' in proc.stdout, proc.stderr
    assert "HEAVY []" in proc.stderr


@pytest.mark.slow
def test_first_use_exports_once_with_a_notice_atomically(tmp_path, monkeypatch, capfd):
    """No export in the cache: one notice line with its steps, the files renamed into place
    (no temporary left), readable by others; the next embedder reuses the export."""
    from framing.embed import Embedder

    monkeypatch.delenv("FRAMING_MODEL", raising=False)
    first = Embedder(cache_dir=tmp_path, use_cache=False)
    first.encode(["Talks resumed."])
    notice = capfd.readouterr().err
    assert "exporting sentence-transformers/all-MiniLM-L6-v2 to ONNX once" in notice
    assert "done (" in notice and notice.count("\n") == 1
    folder = next((tmp_path / "models").iterdir())
    assert sorted(p.name for p in folder.iterdir()) == [
        "framing_export.json",
        "model.onnx",
        "tokenizer.json",
    ]
    assert (folder / "model.onnx").stat().st_mode & 0o044 == 0o044
    Embedder(cache_dir=tmp_path, use_cache=False).encode(["Kyiv."])
    assert "exporting" not in capfd.readouterr().err


@pytest.mark.slow
def test_a_failed_export_falls_back_to_torch_and_keys_the_cache_so(
    tmp_path, monkeypatch, capfd, real_embedder
):
    import torch.onnx

    from framing.embed import Embedder

    def broken_export(*args, **kwargs):
        Path(args[2]).write_bytes(b"half an onnx file")  # what an interrupted export leaves
        raise RuntimeError("exporter crashed")

    monkeypatch.delenv("FRAMING_MODEL", raising=False)
    monkeypatch.setattr(torch.onnx, "export", broken_export)
    embedder = Embedder(cache_dir=tmp_path)
    vectors = embedder.encode(TEXTS[:3])
    err = capfd.readouterr().err
    assert "ONNX export failed (exporter crashed); encoding with --backend torch instead" in err
    assert embedder.model_key.split("|")[1] == "torch"
    assert not list((tmp_path / "models").rglob("*.onnx")), "nothing half-written is left"
    torch_vectors = Embedder(cache_dir=tmp_path / "t", backend="torch").encode(TEXTS[:3])
    assert np.array_equal(vectors, torch_vectors)


def test_another_model_without_torch_says_how_to_get_it(tmp_path, monkeypatch):
    """In the lean image: no export of the model asked for, and no torch to make one."""
    import framing.backends
    from framing.embed import Embedder

    monkeypatch.setattr(framing.backends, "_importable", lambda module: module == "onnx")
    model = tmp_path / "other-model"
    model.mkdir()
    (model / "model.safetensors").write_bytes(b"weights")
    with pytest.raises(FramingError, match=r"making one needs torch, sentence_transformers: pip"):
        Embedder(str(model), cache_dir=tmp_path).encode(["x"])
