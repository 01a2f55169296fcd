"""Encoding backends behind one ``encode(texts, batch_size) -> unit vectors`` call.

- ``torch``: sentence-transformers in float32, the reference (exact).
- ``torch-bf16``: the same model in bfloat16; fast on CPUs with AVX512-BF16 or AMX.
- ``openvino`` / ``openvino-bf16``: the model converted once to OpenVINO IR and run by the
  OpenVINO runtime, in float32 or bfloat16 (``pip install 'framing[openvino]'``).
- ``onnx`` / ``onnx-int8``: the model exported once to ONNX and run by onnxruntime, in
  float32 or with dynamically quantised int8 weights (``pip install 'framing[onnx]'``).

The converted backends tokenize with ``tokenizers`` and pool inside the exported graph, so
once a model is converted they never import torch. Conversions are written to the user
cache folder (``models/`` beside the embedding cache), keyed by the model's weights, never
into the package or the model folder. Every backend sorts texts by length before batching,
as sentence-transformers does, so padding stays small.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np

from framing.errors import FramingError

__all__ = ["BACKENDS", "EXTRAS", "load_encoder"]

BACKENDS = ("torch", "torch-bf16", "openvino", "openvino-bf16", "onnx", "onnx-int8")
# backend -> (optional extra, the modules it needs)
EXTRAS = {
    "openvino": ("openvino", ("openvino", "onnx")),
    "openvino-bf16": ("openvino", ("openvino", "onnx")),
    "onnx": ("onnx", ("onnxruntime", "onnx")),
    "onnx-int8": ("onnx", ("onnxruntime", "onnx")),
}
_EXPORT_VERSION = 1  # bump when the exported graph changes, so old exports are redone


def check_backend(backend: str) -> None:
    """Raise a one-line FramingError for an unknown backend or a missing optional package."""
    if backend not in BACKENDS:
        raise FramingError(f"--backend must be one of {', '.join(BACKENDS)}; got {backend!r}")
    extra, modules = EXTRAS.get(backend, (None, ()))
    if any(importlib.util.find_spec(m) is None for m in modules):
        raise FramingError(f"--backend {backend} needs: pip install 'framing[{extra}]'")


def load_encoder(backend: str, model: str, *, device: str, export_root: Path, model_identity: str):
    """An object with ``encode(texts, batch_size)`` and ``dimension`` for ``backend``."""
    check_backend(backend)
    if backend in ("torch", "torch-bf16"):
        return TorchEncoder(model, device=device, bf16=backend == "torch-bf16")
    folder = (
        export_root
        / hashlib.sha256(f"{model_identity}|v{_EXPORT_VERSION}".encode()).hexdigest()[:16]
    )
    if backend.startswith("openvino"):
        return OpenVINOEncoder(
            _exported(folder, "openvino", model), bf16=backend == "openvino-bf16"
        )
    return OnnxEncoder(_exported(folder, backend, model))


def _sorted_batches(texts: list[str], batch_size: int):
    """Index arrays of batches of texts of similar length (longest first)."""
    order = np.argsort([-len(t) for t in texts], kind="stable")
    for i in range(0, len(order), batch_size):
        yield order[i : i + batch_size]


def _load_error(model: str, exc: Exception) -> FramingError:
    first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return FramingError(
        f"--model {model}: cannot load this sentence-transformers model ({first_line})"
    )


# --- torch ------------------------------------------------------------------------------


class TorchEncoder:
    """sentence-transformers' own ``encode``, in float32 or bfloat16."""

    def __init__(self, model: str, *, device: str = "cpu", bf16: bool = False):
        from sentence_transformers import SentenceTransformer

        kwargs: dict = {}
        if bf16:
            import torch

            kwargs["model_kwargs"] = {"dtype": torch.bfloat16}
        try:
            self.model = SentenceTransformer(model, device=device, **kwargs)
        except Exception as exc:  # noqa: BLE001 - any load failure is the user's model choice
            raise _load_error(model, exc) from None
        # sentence-transformers 5.x renamed the method; accept both.
        getter = (
            getattr(self.model, "get_embedding_dimension", None)
            or self.model.get_sentence_embedding_dimension
        )
        self.dimension = int(getter())

    def encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        vectors = self.model.encode(
            texts,
            batch_size=batch_size,
            show_progress_bar=False,
            convert_to_numpy=True,
            normalize_embeddings=True,
        )
        vectors = np.asarray(vectors, dtype=np.float32)
        # bf16 vectors were normalised in bf16: renormalise in float32.
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True).clip(1e-12)


# --- converted models -------------------------------------------------------------------


class _Tokenized:
    """A ``tokenizers`` tokenizer set up as the model's sentence-transformers config says."""

    def __init__(self, folder: Path):
        from tokenizers import Tokenizer

        self.config = json.loads((folder / "framing_export.json").read_text(encoding="utf-8"))
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=self.config["max_seq_length"])
        self.tokenizer.enable_padding(
            pad_id=self.config["pad_id"], pad_token=self.config["pad_token"]
        )
        self.dimension = int(self.config["dimension"])
        self.inputs = self.config["inputs"]

    def batches(self, texts: list[str], batch_size: int):
        """(indices, {input name: int64 array}) per batch, similar lengths together."""
        for idx in _sorted_batches(texts, batch_size):
            encodings = self.tokenizer.encode_batch([texts[i] for i in idx])
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            feeds = {
                "input_ids": ids,
                "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
            }
            if "token_type_ids" in self.inputs:
                feeds["token_type_ids"] = np.array([e.type_ids for e in encodings], dtype=np.int64)
            yield idx, feeds


class OnnxEncoder(_Tokenized):
    """An ONNX export run by onnxruntime (float32, or int8 weights)."""

    def __init__(self, model_file: Path):
        import onnxruntime

        super().__init__(model_file.parent)
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3
        self.session = onnxruntime.InferenceSession(
            str(model_file), options, providers=["CPUExecutionProvider"]
        )

    def encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        for idx, feeds in self.batches(texts, batch_size):
            out[idx] = self.session.run(None, feeds)[0]
        return out


class OpenVINOEncoder(_Tokenized):
    """An OpenVINO IR run by the OpenVINO runtime, in float32 or bfloat16."""

    def __init__(self, model_file: Path, *, bf16: bool = False):
        import openvino

        super().__init__(model_file.parent)
        core = openvino.Core()
        config = {
            "INFERENCE_PRECISION_HINT": "bf16" if bf16 else "f32",
            "PERFORMANCE_HINT": "LATENCY",
        }
        try:
            compiled = core.compile_model(core.read_model(str(model_file)), "CPU", config)
        except RuntimeError:  # a CPU without bf16 support: OpenVINO refuses the hint
            config["INFERENCE_PRECISION_HINT"] = "f32"
            compiled = core.compile_model(core.read_model(str(model_file)), "CPU", config)
        self.request = compiled.create_infer_request()
        self.output = compiled.output(0)

    def encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        for idx, feeds in self.batches(texts, batch_size):
            out[idx] = self.request.infer(feeds)[self.output]
        return out


_MODEL_FILES = {
    "openvino": "openvino_model.xml",
    "onnx": "model.onnx",
    "onnx-int8": "model_int8.onnx",
}


def _exported(folder: Path, kind: str, model: str) -> Path:
    """The converted model file for ``kind``, converting on first use (needs torch once)."""
    target = folder / _MODEL_FILES[kind]
    if target.is_file():
        return target
    if kind == "onnx-int8":
        source = _exported(folder, "onnx", model)
        from onnxruntime.quantization import QuantType, quantize_dynamic

        # Quantise the weight matrices only (per output channel); the attention products
        # of two activations stay float32, which keeps cosine to float32 near 0.99.
        weighted = _weight_matmuls(source)
        with _atomic_file(target) as tmp:
            quantize_dynamic(
                str(source),
                str(tmp),
                weight_type=QuantType.QInt8,
                per_channel=True,
                nodes_to_quantize=weighted,
            )
        return target
    if kind == "openvino":
        # From the ONNX export, by the runtime's own reader: openvino.convert_model would
        # start a telemetry process that tries to reach the network.
        import openvino

        converted = openvino.Core().read_model(str(_exported(folder, "onnx", model)))
        with _atomic_file(target) as tmp:
            # save_model writes NAME.xml + NAME.bin: the weights go first, the graph last
            openvino.save_model(converted, str(tmp), compress_to_fp16=False)
            os.replace(tmp.with_suffix(".bin"), target.with_suffix(".bin"))
        return target
    module, example = _pooled_module(model, folder)
    import torch

    names = list(example)
    axes = {name: {0: "batch", 1: "tokens"} for name in names} | {"embedding": {0: "batch"}}
    with _atomic_file(target) as tmp:
        torch.onnx.export(
            module,
            tuple(example.values()),
            str(tmp),
            input_names=names,
            output_names=["embedding"],
            dynamic_axes=axes,
            opset_version=17,
            dynamo=False,
        )
    return target


def _pooled_module(model: str, folder: Path):
    """(torch module: token ids -> unit sentence vectors, example inputs); writes the
    tokenizer and the export config into ``folder``."""
    import torch
    from sentence_transformers import SentenceTransformer

    try:
        st = SentenceTransformer(model, device="cpu")
    except Exception as exc:  # noqa: BLE001
        raise _load_error(model, exc) from None
    modules = list(st)
    names = [type(m).__name__ for m in modules]
    pooling = modules[1] if len(modules) > 1 and names[1] == "Pooling" else None
    mode = getattr(pooling, "pooling_mode", None) or (  # 6.x: a string; older: flags
        "cls"
        if getattr(pooling, "pooling_mode_cls_token", False)
        else "mean"
        if getattr(pooling, "pooling_mode_mean_tokens", False)
        else None
    )
    if (
        names[0] != "Transformer"
        or mode not in ("mean", "cls")
        or any(n != "Normalize" for n in names[2:])
    ):
        raise FramingError(
            f"--model {model}: only Transformer + mean/cls Pooling (+ Normalize) models can be "
            f"converted for this backend; this one is {' + '.join(names)}; use --backend torch"
        )
    transformer = modules[0].auto_model.eval()
    tokenizer = st.tokenizer

    class Pooled(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.transformer = transformer

        def forward(self, input_ids, attention_mask, token_type_ids=None):
            kwargs = {"token_type_ids": token_type_ids} if token_type_ids is not None else {}
            hidden = self.transformer(
                input_ids=input_ids, attention_mask=attention_mask, **kwargs
            ).last_hidden_state
            if mode == "cls":
                vector = hidden[:, 0]
            else:
                mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
                vector = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(vector, p=2, dim=1)

    # A padded example, so that tracing keeps the attention mask in the graph.
    ids = torch.full((2, 12), 1000, dtype=torch.long)
    mask = torch.ones_like(ids)
    mask[1, 7:] = 0
    example = {"input_ids": ids, "attention_mask": mask}
    if "token_type_ids" in tokenizer.model_input_names:
        example["token_type_ids"] = torch.zeros_like(ids)

    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tokenizer.save_pretrained(tmp)
        if not (Path(tmp) / "tokenizer.json").is_file():
            raise FramingError(
                f"--model {model}: has no fast tokenizer (tokenizer.json); use --backend torch"
            )
        with _atomic_file(folder / "tokenizer.json") as target:
            shutil.copyfile(Path(tmp) / "tokenizer.json", target)
    getter = getattr(st, "get_embedding_dimension", None) or st.get_sentence_embedding_dimension
    config = {
        "model": model,
        "pooling": mode,
        "max_seq_length": int(st.max_seq_length),
        "dimension": int(getter()),
        "pad_id": int(tokenizer.pad_token_id or 0),
        "pad_token": str(tokenizer.pad_token or "[PAD]"),
        "inputs": list(example),
    }
    with _atomic_file(folder / "framing_export.json") as target:
        target.write_text(json.dumps(config, indent=2), encoding="utf-8")
    return Pooled().eval(), example


def _weight_matmuls(model_file: Path) -> list[str]:
    """Names of the MatMul nodes that multiply by a constant weight matrix."""
    import onnx

    graph = onnx.load(str(model_file), load_external_data=False).graph
    constants = {i.name for i in graph.initializer}
    return [
        n.name for n in graph.node if n.op_type == "MatMul" and any(x in constants for x in n.input)
    ]


class _atomic_file:
    """A temporary path beside ``target``, renamed onto it when the block succeeds, so two
    processes converting at once never read a half-written file."""

    def __init__(self, target: Path):
        self.target = target

    def __enter__(self) -> Path:
        self.target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(
            dir=self.target.parent, prefix=f".{self.target.stem}.", suffix=self.target.suffix
        )
        os.close(fd)
        self.tmp = Path(name)
        return self.tmp

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            os.replace(self.tmp, self.target)
        else:
            self.tmp.unlink(missing_ok=True)
