"""Backend choice: unknown names and missing optional packages fail in one line, exit 2."""

from __future__ import annotations

import importlib.util

import pytest
from typer.testing import CliRunner

from framing.backends import BACKENDS, check_backend
from framing.cli import app
from framing.errors import FramingError


def test_unknown_backend_names_the_choices():
    with pytest.raises(
        FramingError, match=r"--backend must be one of torch, torch-bf16, .*; got 'tpu'"
    ):
        check_backend("tpu")


@pytest.mark.parametrize(
    "backend, extra",
    [
        ("openvino", "openvino"),
        ("openvino-bf16", "openvino"),
        ("onnx", "onnx"),
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
    for backend in ("torch", "torch-bf16"):
        check_backend(backend)
    assert BACKENDS[0] == "torch"  # the default stays the exact one


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
    from framing.embed import Embedder

    texts = [
        "Talks resumed.",
        "Russian troops crossed the border near Kharkiv early on Thursday, "
        "officials said, as air-raid sirens sounded across the city.",
        "Kyiv.",
    ]
    embedder = Embedder(cache_dir=tmp_path, use_cache=False, backend=backend, batch_size=2)
    vectors = embedder.encode(texts)
    assert list((tmp_path / "models").rglob("tokenizer.json")), (
        "the conversion lives in the cache folder"
    )
    reference = Embedder(cache_dir=tmp_path, use_cache=False).encode(texts)
    assert vectors.shape == reference.shape
    assert (vectors * reference).sum(axis=1).min() >= least_cos
