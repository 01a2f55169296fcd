"""Encoding backends behind one ``encode(texts, batch_size) -> unit vectors`` call.

- ``onnx`` (the default): the model exported once to ONNX (float32) and run by onnxruntime;
  as exact as torch for practical purposes (see benchmarks/RESULTS.md), faster, and it
  starts without importing torch.
- ``torch``: sentence-transformers in float32, the reference.
- ``torch-bf16``: the same model in bfloat16; fast on CPUs with AVX512-BF16 or AMX.
- ``openvino`` / ``openvino-bf16``: the model converted once to OpenVINO IR and run by the
  OpenVINO runtime, in float32 or bfloat16 (``pip install 'framing[openvino]'``).
- ``onnx-int8``: the ONNX export with dynamically quantised int8 weights (least exact).

The converted backends tokenize with ``tokenizers`` and pool (mean or CLS, as the model's
Pooling config says, then L2-normalise) inside the exported graph, so once a model is
converted they never import torch. Conversions are written to the user cache folder
(``models/`` beside the embedding cache), keyed by the model's weights, never into the
package or the model folder; each file is written under a temporary name and renamed, so an
interrupted export leaves nothing half-written. A folder holding an export
(``framing_export.json`` + ``model.onnx`` + ``tokenizer.json``, see ``export_model``) can be
given as the model itself: that is how the CPU image runs without torch.

The converted backends encode every text in a canonical batch: its tokens padded to a length
bucket that depends on the text alone, in a batch of exactly ``CANONICAL_ROWS`` rows (the
last one filled with copies). A vector then depends only on its text, never on its batch
mates, the batch size or which texts the cache already held: onnxruntime's kernels give
results that differ in the last bits when the batch shape changes (about 1e-7), and UMAP
amplifies such differences into different maps.
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

__all__ = [
    "BACKENDS",
    "EXPORT_VERSION",
    "DEFAULT_BACKEND",
    "EXTRAS",
    "ExportFailed",
    "export_folder",
    "export_model",
    "is_export",
    "load_encoder",
]

DEFAULT_BACKEND = "onnx"
BACKENDS = ("onnx", "torch", "torch-bf16", "openvino", "openvino-bf16", "onnx-int8")
# backend -> (optional extra, the modules it needs to run; exporting needs torch as well)
EXTRAS = {
    "openvino": ("openvino", ("openvino", "onnx")),
    "openvino-bf16": ("openvino", ("openvino", "onnx")),
    "onnx": ("onnx", ("onnxruntime",)),
    "onnx-int8": ("onnx", ("onnxruntime", "onnx")),
    "torch": ("torch", ("torch", "sentence_transformers")),
    "torch-bf16": ("torch", ("torch", "sentence_transformers")),
}
# Bump when the exported graph or the canonical batches change: either moves the vectors in their
# last bits, so old exports are redone and the cache keeps their vectors apart (embed.model_key).
EXPORT_VERSION = 4
_EXPORT_CONFIG = "framing_export.json"
# Rows per canonical batch, and the step of the token-length buckets (see the docstring).
# Every partial batch is filled up to CANONICAL_ROWS with copies, and every row is padded to
# its bucket. On 10,000 news sentences in framing score's 512-sentence calls, 16 rows and steps
# of 8 ran 1.29 tokens per real token (with the calls cut at 256 texts), 8 rows and steps of 4
# run 1.18; 2 and 4 rows waste less still but ran slower, their batches too small to keep two
# cores busy (benchmarks/RESULTS.md).
CANONICAL_ROWS = 8
_LENGTH_STEP = 4
_NEEDS_TORCH = (
    "pip install torch sentence-transformers onnx (CPU torch: "
    "--index-url https://download.pytorch.org/whl/cpu), or use the image's 'torch' target"
)


class ExportFailed(FramingError):
    """The model could not be converted for a converted backend (torch may still run it)."""


def check_backend(backend: str) -> None:
    """Raise a one-line FramingError for an unknown backend or a missing optional package."""
    if backend not in BACKENDS:
        raise FramingError(f"--backend must be one of {', '.join(BACKENDS)}; got {backend!r}")
    extra, modules = EXTRAS.get(backend, (None, ()))
    if any(importlib.util.find_spec(m) is None for m in modules):
        if extra == "torch":
            raise FramingError(f"--backend {backend} needs torch: {_NEEDS_TORCH}")
        raise FramingError(f"--backend {backend} needs: pip install 'framing[{extra}]'")


def is_export(model: str) -> bool:
    """Whether ``model`` is a folder holding a framing ONNX export (see ``export_model``)."""
    return (Path(model) / _EXPORT_CONFIG).is_file()


def export_config(folder: str | Path) -> dict:
    """The ``framing_export.json`` of an export folder."""
    return json.loads((Path(folder) / _EXPORT_CONFIG).read_text(encoding="utf-8"))


def export_folder(export_root: Path, model_identity: str) -> Path:
    """Where the conversions of the model with this identity (id and weights hash) live."""
    key = hashlib.sha256(f"{model_identity}|v{EXPORT_VERSION}".encode()).hexdigest()[:16]
    return export_root / key


def load_encoder(backend: str, model: str, *, device: str, export_root: Path, model_identity: str):
    """An object with ``encode(texts, batch_size)`` and ``dimension`` for ``backend``.

    Raises ``ExportFailed`` when a converted backend needs a conversion that cannot be made
    (the caller may fall back to torch), and FramingError for anything else.
    """
    check_backend(backend)
    if is_export(model):  # an export folder: the ONNX model is all there is
        if backend != "onnx":
            raise FramingError(
                f"--model {model} is an ONNX export: it runs only with --backend onnx"
            )
        return OnnxEncoder(Path(model) / _MODEL_FILES["onnx"])
    if backend in ("torch", "torch-bf16"):
        return TorchEncoder(model, device=device, bf16=backend == "torch-bf16")
    folder = export_folder(export_root, model_identity)
    if backend.startswith("openvino"):
        return OpenVINOEncoder(
            _exported(folder, "openvino", model, model_identity), bf16=backend == "openvino-bf16"
        )
    return OnnxEncoder(_exported(folder, backend, model, model_identity))


def export_model(model: str, destination: Path, *, export_root: Path, model_identity: str) -> Path:
    """Export ``model`` to ONNX (once, into ``export_root``) and copy the export's three
    files into ``destination``, a folder that ``--model`` (or FRAMING_MODEL) then accepts
    without torch."""
    source = _exported(export_folder(export_root, model_identity), "onnx", model, model_identity)
    destination.mkdir(parents=True, exist_ok=True)
    for name in (_MODEL_FILES["onnx"], "tokenizer.json", _EXPORT_CONFIG):
        with _atomic_file(destination / name) as tmp:
            shutil.copyfile(source.parent / name, tmp)
    return destination


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

        self.config = export_config(folder)
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.max_length = int(self.config["max_seq_length"])
        self.tokenizer.enable_truncation(max_length=self.max_length)
        self.tokenizer.no_padding()
        self.pad_id = int(self.config["pad_id"])
        self.dimension = int(self.config["dimension"])
        self.inputs = self.config["inputs"]

    def batches(self, texts: list[str], batch_size: int | None = None):
        """(indices, {input name: int64 array}) per canonical batch (see the module
        docstring): ``batch_size`` does not change them, so it cannot change a vector."""
        encodings = self.tokenizer.encode_batch(texts)
        lengths = np.array([len(e.ids) for e in encodings])
        buckets = np.minimum(-(-lengths // _LENGTH_STEP) * _LENGTH_STEP, self.max_length)
        for bucket in sorted(set(buckets.tolist()), reverse=True):
            members = np.flatnonzero(buckets == bucket)
            for start in range(0, len(members), CANONICAL_ROWS):
                idx = members[start : start + CANONICAL_ROWS]
                rows = [encodings[i] for i in idx]
                rows += [rows[0]] * (CANONICAL_ROWS - len(rows))  # fillers: copies
                ids = np.full((CANONICAL_ROWS, bucket), self.pad_id, dtype=np.int64)
                mask = np.zeros((CANONICAL_ROWS, bucket), dtype=np.int64)
                types = np.zeros((CANONICAL_ROWS, bucket), dtype=np.int64)
                for r, e in enumerate(rows):
                    ids[r, : len(e.ids)] = e.ids
                    mask[r, : len(e.ids)] = e.attention_mask
                    types[r, : len(e.ids)] = e.type_ids
                feeds = {"input_ids": ids, "attention_mask": mask}
                if "token_type_ids" in self.inputs:
                    feeds["token_type_ids"] = types
                yield idx, feeds

    def run(self, feeds: dict) -> np.ndarray:
        """One canonical batch's unit vectors (fillers included)."""
        raise NotImplementedError

    def iter_encode(self, texts: list[str]):
        """(indices, vectors) per canonical batch, longest texts first: a caller can keep
        what is done while the rest is still encoding."""
        for idx, feeds in self.batches(texts):
            yield idx, self.run(feeds)[: len(idx)]

    def encode(self, texts: list[str], batch_size: int | None = None) -> np.ndarray:
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        for idx, vectors in self.iter_encode(texts):
            out[idx] = vectors
        return out


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

    def run(self, feeds: dict) -> np.ndarray:
        return self.session.run(None, feeds)[0]


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

    def run(self, feeds: dict) -> np.ndarray:
        return self.request.infer(feeds)[self.output]


_MODEL_FILES = {
    "openvino": "openvino_model.xml",
    "onnx": "model.onnx",
    "onnx-int8": "model_int8.onnx",
}


def _exported(folder: Path, kind: str, model: str, model_identity: str) -> Path:
    """The converted model file for ``kind``, converting on first use (needs torch once)."""
    target = folder / _MODEL_FILES[kind]
    if target.is_file():
        return target
    if kind == "onnx-int8":
        source = _exported(folder, "onnx", model, model_identity)
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

        converted = openvino.Core().read_model(
            str(_exported(folder, "onnx", model, model_identity))
        )
        with _atomic_file(target) as tmp:
            # save_model writes NAME.xml + NAME.bin: the weights go first, the graph last
            openvino.save_model(converted, str(tmp), compress_to_fp16=False)
            os.replace(tmp.with_suffix(".bin"), target.with_suffix(".bin"))
        return target
    missing = [m for m in ("torch", "sentence_transformers", "onnx") if not _importable(m)]
    if missing:
        raise FramingError(
            f"--model {model}: no ONNX export of it in {folder.parent} yet, and making one "
            f"needs {', '.join(missing)}: {_NEEDS_TORCH}"
        )
    import time

    started = time.perf_counter()
    # Loading first, silently: a model that cannot be loaded at all is then one line of error,
    # not a notice followed by an error.
    module, example = _pooled_module(model, folder, model_identity)
    progress = _Progress(
        f"framing: exporting {model_identity.rpartition('|')[0]} to ONNX once (cached in {folder})",
        started,
    )
    try:
        return _export_onnx(target, module, example, progress)
    except FramingError:
        progress.end("failed")
        raise
    except Exception as exc:  # noqa: BLE001 - any exporter failure: the caller falls back
        progress.end("failed")
        raise ExportFailed(f"--model {model}: ONNX export failed ({_first_line(exc)})") from None


def _export_onnx(target: Path, module, example: dict, progress: _Progress) -> Path:
    import warnings

    import torch

    names = list(example)
    axes = {name: {0: "batch", 1: "tokens"} for name in names} | {"embedding": {0: "batch"}}
    progress.step("tracing")
    with warnings.catch_warnings(), _atomic_file(target) as tmp:
        warnings.simplefilter("ignore")  # the tracer's warnings are about its own code
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
        progress.step("checking")
        _check_export(tmp, module, example)
    progress.end("done")
    return target


def _check_export(model_file: Path, module, example: dict) -> None:
    """The export must give the torch module's vectors (cosine 0.9999 or better)."""
    import onnxruntime
    import torch

    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3
    session = onnxruntime.InferenceSession(
        str(model_file), options, providers=["CPUExecutionProvider"]
    )
    got = session.run(None, {k: v.numpy() for k, v in example.items()})[0]
    with torch.no_grad():
        want = module(*example.values()).numpy()
    cosine = float((got * want).sum(axis=1).min())
    if not cosine >= 0.9999:
        raise ExportFailed(f"the ONNX export disagrees with torch (cosine {cosine:.6f})")


class _Progress:
    """A one-line notice on stderr, with the steps appended as they start and the time."""

    def __init__(self, notice: str, start: float):
        import sys

        self.stream = sys.stderr
        self.start = start
        self.stream.write(notice + ":")
        self.stream.flush()

    def step(self, name: str) -> None:
        self.stream.write(f" {name}...")
        self.stream.flush()

    def end(self, outcome: str) -> None:
        import time

        self.stream.write(f" {outcome} ({time.perf_counter() - self.start:.1f} s)\n")
        self.stream.flush()


def _importable(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _pooled_module(model: str, folder: Path, model_identity: str):
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
        raise ExportFailed(
            f"--model {model}: only Transformer + mean/cls Pooling (+ Normalize) models can be "
            f"converted to ONNX; this one is {' + '.join(names)}"
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
            raise ExportFailed(f"--model {model}: has no fast tokenizer (tokenizer.json)")
        with _atomic_file(folder / "tokenizer.json") as target:
            shutil.copyfile(Path(tmp) / "tokenizer.json", target)
    getter = getattr(st, "get_embedding_dimension", None) or st.get_sentence_embedding_dimension
    model_id, _, weights = model_identity.rpartition("|")
    config = {
        "model": model,
        # who the export is of: an export folder given as --model keeps the model's cache key
        "model_id": model_id,
        "weights_sha256": None if weights == "hub" else weights,
        "pooling": mode,
        "max_seq_length": int(st.max_seq_length),
        "dimension": int(getter()),
        "pad_id": int(tokenizer.pad_token_id or 0),
        "pad_token": str(tokenizer.pad_token or "[PAD]"),
        "inputs": list(example),
        "export_version": EXPORT_VERSION,
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
            os.chmod(self.tmp, 0o644)  # mkstemp's 0600 would hide an export from other users
            os.replace(self.tmp, self.target)
        else:
            self.tmp.unlink(missing_ok=True)
