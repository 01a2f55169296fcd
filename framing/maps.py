"""Rhetoric maps: sentence embeddings projected to 2-D, clustered, and the clusters named.

The steps follow BERTopic's (Grootendorst 2022) but stay small and replaceable:

1. neighbours: the ``n_neighbors`` nearest sentences by cosine distance, exact, with
   scikit-learn (``NearestNeighbors(metric="cosine", algorithm="brute")``). Passed to UMAP
   as ``precomputed_knn`` they save UMAP its own neighbour search on large inputs (timings:
   benchmarks/RESULTS.md), and they are exact, so no random projection trees enter the
   result;
2. projection: UMAP (McInnes et al. 2018) to two dimensions with a fixed ``random_state``
   (which makes UMAP run single-threaded and deterministic). Fewer than ``min_umap``
   sentences (15) are too few for UMAP's neighbour graph: PCA is used instead, and
   ``notices_`` says so (the CLI prints it and writes it into ``map.meta.json``);
3. clusters: HDBSCAN (scikit-learn) on the 2-D projection -- far faster than on the raw
   384-d vectors -- or KMeans when a number of clusters is given. Cluster ids are
   renumbered by size (0 is the largest); -1 is noise;
4. names: each cluster's most distinctive words by class-based TF-IDF (c-TF-IDF,
   Grootendorst 2022) and its most frequent top frames.

``reducer`` and ``clusterer`` accept any object with ``fit_transform(X)`` and
``fit_predict(X)`` respectively, as BERTopic's steps do.

numba (under UMAP) compiles its functions on first use and can cache them on disk. Its
cache index files are loaded with ``pickle``, so whoever can write that folder runs code in
every process that reads it: ``prepare_numba_cache`` caches only in a per-user folder under
the cache folder the caller names (``numba_cache``; the CLI passes ``--cache-dir``), made
with mode 0700 and checked to be the user's own; anything else turns caching off, with a
warning. Without it umap's layout code compiles on every run (benchmarks/numba_cache.py
measures the cost).
"""

from __future__ import annotations

import os
import warnings
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path

import numpy as np

from framing.errors import FramingError, ParameterError
from framing.records import group_sides, side_of

__all__ = [
    "RhetoricMap",
    "cluster_keywords",
    "cluster_frames",
    "cluster_summaries",
    "cluster_regions",
    "nearest_neighbors",
    "numba_cache_dir",
    "prepare_numba_cache",
    "point_rows",
    "side_of",
    "group_sides",
    "MIN_UMAP",
]

MIN_UMAP = 15  # fewer sentences than this: PCA instead of UMAP
NOISE = -1
# Words that name no framing; c-TF-IDF would otherwise rank reporting verbs high.
_EXTRA_STOP_WORDS = frozenset(
    "said says say told according also would could one two three new like just well "
    "including reported week day year".split()
)

# stage(name, total=None, unit="") -> a context manager around one step, yielding
# advance(n) (progress in ``unit``s, ``total`` of them when known) or None
Stage = Callable[..., AbstractContextManager]


def _no_stage(name: str, total: int | None = None, unit: str = "") -> AbstractContextManager:
    return nullcontext()


# --- numba's cache -------------------------------------------------------------------------


def numba_cache_dir(cache_dir: str | Path) -> Path:
    """The per-user folder for numba's compiled code under ``cache_dir``: ``numba-UID``."""
    user = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    return Path(cache_dir) / f"numba-{user}"


def private_folder_problem(folder: Path) -> str | None:
    """Why ``folder`` is not safe to load pickles from, or None: it is made (mode 0700) when
    missing and must then be a real folder, owned by this user, closed to everyone else,
    inside a folder where others cannot swap it (not writable by them, or sticky as /tmp)."""
    import stat

    if not hasattr(os, "getuid"):
        return "ownership cannot be checked on this platform"
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        folder.mkdir(mode=0o700, exist_ok=True)
        own, parent = os.lstat(folder), os.stat(folder.parent)
    except OSError as exc:
        return f"cannot be made ({exc.strerror or exc})"
    if not stat.S_ISDIR(own.st_mode):
        return "is not a folder (a link or a file)"
    if own.st_uid != os.getuid():
        return f"belongs to another user (uid {own.st_uid})"
    if own.st_mode & 0o077:
        return f"is open to other users (mode {stat.S_IMODE(own.st_mode):o}; it must be 700)"
    if parent.st_mode & 0o022 and not parent.st_mode & stat.S_ISVTX:
        return f"lies in {folder.parent}, which others may write and which is not sticky"
    return None


def prepare_numba_cache(cache_dir: str | Path | None) -> Path | None:
    """Point numba's cache at the per-user folder under ``cache_dir`` when it is safe; call
    before importing umap. Returns the folder, or None: caching off (no ``cache_dir``, or
    an unsafe folder, which a ``FramingWarning`` names)."""
    if cache_dir is None:
        return None
    folder = numba_cache_dir(cache_dir)
    problem = private_folder_problem(folder)
    if problem:
        from framing.errors import FramingWarning

        warnings.warn(
            f"{folder}: {problem}; numba's compiled code is not cached there (code in a "
            "folder others can write would run as you), so maps compile it on every run",
            FramingWarning,
            stacklevel=2,
        )
        return None
    os.environ["NUMBA_CACHE_DIR"] = str(folder)
    import numba

    numba.config.CACHE_DIR = str(folder)  # numba read the variable when it was imported
    return folder


# --- the estimator -------------------------------------------------------------------------


def nearest_neighbors(
    embeddings: np.ndarray,
    n_neighbors: int,
    *,
    progress: Callable[[int], None] | None = None,
    chunk: int = 2048,
) -> tuple[np.ndarray, np.ndarray]:
    """(indices, cosine distances), each (n, n_neighbors): every row's nearest rows, itself
    included, exact. Queried ``chunk`` rows at a time, each chunk reported to
    ``progress(rows)``: the same neighbours as one query, and faster on large inputs (the
    distance blocks stay in the CPU cache)."""
    from sklearn.neighbors import NearestNeighbors

    search = NearestNeighbors(n_neighbors=n_neighbors, metric="cosine", algorithm="brute")
    search.fit(embeddings)
    indices, distances = [], []
    for start in range(0, len(embeddings), chunk):
        block = embeddings[start : start + chunk]
        d, i = search.kneighbors(block)
        distances.append(d)
        indices.append(i)
        if progress is not None:
            progress(len(block))
    if not indices:
        empty = np.empty((0, n_neighbors))
        return empty.astype(np.int32), empty.astype(np.float32)
    return (
        np.vstack(indices).astype(np.int32),
        np.maximum(np.vstack(distances), 0.0).astype(np.float32),
    )


class RhetoricMap:
    """Project sentence embeddings to 2-D and cluster them (scikit-learn conventions).

    ``fit(embeddings)`` sets ``embedding_2d_`` (n, 2), ``labels_`` (n,; -1 is noise,
    0 the largest cluster), ``n_clusters_``, ``method_`` ("umap", "pca" or "custom"),
    ``clustering_`` ("hdbscan", "kmeans" or "custom") and ``notices_`` (fallbacks taken).

    ``n_clusters``: None for HDBSCAN, an integer >= 2 for KMeans. ``min_cluster_size``:
    HDBSCAN's, default max(5, n / 50). ``reducer`` / ``clusterer``: replace the default
    steps with any object having ``fit_transform`` / ``fit_predict``. ``numba_cache``: a
    cache folder under which UMAP's compiled code is kept per user (``prepare_numba_cache``);
    None: compiled afresh each process.
    """

    def __init__(
        self,
        *,
        n_neighbors: int = 15,
        min_dist: float = 0.1,
        n_clusters: int | None = None,
        min_cluster_size: int | None = None,
        random_state: int = 0,
        min_umap: int = MIN_UMAP,
        reducer=None,
        clusterer=None,
        numba_cache: str | Path | None = None,
    ):
        self.n_neighbors = n_neighbors
        self.min_dist = min_dist
        self.n_clusters = n_clusters
        self.min_cluster_size = min_cluster_size
        self.random_state = random_state
        self.min_umap = min_umap
        self.reducer = reducer
        self.clusterer = clusterer
        self.numba_cache = numba_cache

    def check_params(self) -> None:
        """Raise ``ParameterError`` naming the first bad parameter (``fit`` calls it)."""

        def integer(value) -> bool:
            return isinstance(value, (int, np.integer)) and not isinstance(value, bool)

        def bad(param: str, constraint: str) -> ParameterError:
            return ParameterError("RhetoricMap", param, constraint, getattr(self, param))

        if not integer(self.n_neighbors) or self.n_neighbors < 2:
            raise bad("n_neighbors", "an integer ≥ 2")
        if not 0.0 <= float(self.min_dist) <= 1.0:
            raise bad("min_dist", "in [0, 1]")
        if self.n_clusters is not None and (not integer(self.n_clusters) or self.n_clusters < 2):
            raise bad("n_clusters", "an integer ≥ 2")
        if self.min_cluster_size is not None and (
            not integer(self.min_cluster_size) or self.min_cluster_size < 2
        ):
            raise bad("min_cluster_size", "an integer ≥ 2")
        if not integer(self.random_state):
            raise bad("random_state", "an integer")

    def fit(self, embeddings: np.ndarray, y=None, *, stage: Stage | None = None) -> RhetoricMap:
        """Project and cluster ``embeddings`` (n, dim); ``stage(name, total=, unit=)``
        wraps each step (for progress and timings; see ``Stage``)."""
        self.check_params()
        stage = stage or _no_stage
        X = np.asarray(embeddings, dtype=np.float32)
        if X.ndim != 2:
            raise FramingError(f"embeddings must be a 2-D array; got shape {X.shape}")
        self.notices_: list[str] = []
        self.n_neighbors_ = None
        self.embedding_2d_ = self._project(X, stage)
        with stage("clustering"):
            self.labels_ = self._cluster(self.embedding_2d_)
        self.n_clusters_ = int(len(set(self.labels_.tolist()) - {NOISE}))
        return self

    def fit_transform(self, embeddings: np.ndarray, y=None) -> np.ndarray:
        return self.fit(embeddings).embedding_2d_

    # --- steps -------------------------------------------------------------------------

    def _project(self, X: np.ndarray, stage: Stage) -> np.ndarray:
        n = X.shape[0]
        if self.reducer is not None:
            self.method_ = "custom"
            return _as_2d(self.reducer.fit_transform(X), n)
        if n < self.min_umap:
            self.method_ = "pca"
            self.notices_.append(
                f"{n} sentence{'s' if n != 1 else ''}: too few for UMAP (needs {self.min_umap}); "
                "projected with PCA instead"
            )
            return _pca_2d(X, self.random_state)
        self.method_ = "umap"
        k = min(self.n_neighbors, n - 1)
        self.n_neighbors_ = k
        with stage("neighbours", total=n, unit="sentences") as advance:
            knn = nearest_neighbors(X, k, progress=advance)
        cached = prepare_numba_cache(self.numba_cache)
        with stage("loading UMAP"):
            import umap

            if cached is not None:
                _cache_umap_jit()
        reducer = umap.UMAP(
            n_neighbors=k,
            n_components=2,
            metric="cosine",
            min_dist=self.min_dist,
            random_state=self.random_state,
            precomputed_knn=(*knn, None),
            n_jobs=1,  # random_state makes UMAP serial anyway; say so to skip its warning
        )
        # UMAP's own default: 500 epochs up to 10,000 sentences, 200 above
        epochs = 500 if n <= 10_000 else 200
        with (
            stage("UMAP", total=epochs, unit="epochs") as advance,
            _epoch_progress(advance),
            warnings.catch_warnings(),
        ):
            # "no NNDescent index: transform unavailable" -- the map never transforms new data;
            # and a graph too small or disconnected for a spectral layout (UMAP then starts
            # from random positions, still seeded).
            warnings.filterwarnings("ignore", category=UserWarning, module=r"umap\.")
            warnings.filterwarnings("ignore", message=r".*graph is not fully connected.*")
            coords = reducer.fit_transform(X)
        return _as_2d(coords, n)

    def _cluster(self, coords: np.ndarray) -> np.ndarray:
        n = coords.shape[0]
        if self.clusterer is not None:
            self.clustering_ = "custom"
            labels = np.asarray(self.clusterer.fit_predict(coords))
            return _by_size(labels)
        if self.n_clusters is not None:
            self.clustering_ = "kmeans"
            from sklearn.cluster import KMeans

            k = min(self.n_clusters, n)
            if k < self.n_clusters:
                self.notices_.append(
                    f"--clusters {self.n_clusters}: only {n} sentences; made {k} clusters"
                )
            if k < 2:
                return np.zeros(n, dtype=np.int64)
            labels = KMeans(n_clusters=k, n_init=10, random_state=self.random_state).fit_predict(
                coords
            )
            return _by_size(labels)
        self.clustering_ = "hdbscan"
        size = self.min_cluster_size or max(5, round(n / 50))
        self.min_cluster_size_ = size
        if n < max(size, 2):
            self.notices_.append(
                f"{n} sentences: fewer than one cluster's minimum size ({size}); no clusters"
            )
            return np.full(n, NOISE, dtype=np.int64)
        from sklearn.cluster import HDBSCAN

        # min_samples (how dense a core must be) well below the minimum size: at HDBSCAN's
        # default (equal to it) a 40-sentence map was all noise, and large ones mostly noise.
        self.min_samples_ = max(2, min(10, size // 5))
        clusterer = HDBSCAN(min_cluster_size=size, min_samples=self.min_samples_, copy=True)
        return _by_size(clusterer.fit_predict(coords))


@contextmanager
def _epoch_progress(advance: Callable[[int], None] | None) -> Iterator[None]:
    """Report UMAP's layout epochs to ``advance``: umap counts them with tqdm (shown only
    when verbose, with its other output); its ``tqdm`` is swapped for a counter meanwhile."""
    try:
        from umap import layouts
    except ImportError:  # pragma: no cover
        layouts = None
    if advance is None or layouts is None or not hasattr(layouts, "tqdm"):
        yield
        return

    def counted(iterable, **_):
        for item in iterable:
            yield item
            advance(1)

    original = layouts.tqdm
    layouts.tqdm = counted
    try:
        yield
    finally:
        layouts.tqdm = original


def _cache_umap_jit() -> None:
    """Let numba cache umap's own compiled functions too (umap does not ask for it).

    umap compiles its layout optimiser, fuzzy-set and spectral functions on every fresh
    process, whatever the input's size. Cached (``enable_caching`` is what
    ``njit(cache=True)`` calls), a second run skips that. When one function is compiled
    twice, serial and parallel, only the serial build is cached: numba's cache key does not
    hold the ``parallel`` flag, so the two would share an entry (a seeded UMAP runs serial).
    """
    try:
        from numba.core.registry import CPUDispatcher
        from umap import layouts, spectral, umap_
    except ImportError:  # pragma: no cover - numba internals moved: run uncached
        return
    dispatchers = {
        id(d): d
        for module in (layouts, spectral, umap_)
        for d in vars(module).values()
        if isinstance(d, CPUDispatcher)
    }.values()
    builds = Counter(id(d.py_func) for d in dispatchers)
    for dispatcher in dispatchers:
        if builds[id(dispatcher.py_func)] > 1 and dispatcher.targetoptions.get("parallel"):
            continue
        if type(getattr(dispatcher, "_cache", None)).__name__ != "NullCache":
            continue  # cached already (by umap itself, or an earlier fit)
        try:
            dispatcher.enable_caching()
        except Exception:  # noqa: BLE001 - e.g. source not on disk: stay uncached
            continue


def _as_2d(coords, n: int) -> np.ndarray:
    coords = np.asarray(coords, dtype=np.float64)
    if coords.shape != (n, 2):
        raise FramingError(f"the reducer must return an (n, 2) array; got shape {coords.shape}")
    return coords


def _pca_2d(X: np.ndarray, random_state: int) -> np.ndarray:
    out = np.zeros((X.shape[0], 2))
    if X.shape[0] < 2:
        return out
    from sklearn.decomposition import PCA

    k = min(2, X.shape[0], X.shape[1])
    coords = PCA(n_components=k, svd_solver="full", random_state=random_state).fit_transform(X)
    # PCA's signs are arbitrary; fix them so a component's largest loading is positive.
    for j in range(k):
        if coords[np.argmax(np.abs(coords[:, j])), j] < 0:
            coords[:, j] = -coords[:, j]
    out[:, :k] = coords
    return out


def _by_size(labels: np.ndarray) -> np.ndarray:
    """Renumber clusters 0, 1, ... from the largest down (ties: first seen); noise stays -1."""
    labels = np.asarray(labels, dtype=np.int64)
    counts = Counter(int(v) for v in labels if v != NOISE)
    first = {}
    for i, v in enumerate(labels.tolist()):
        first.setdefault(v, i)
    order = sorted(counts, key=lambda c: (-counts[c], first[c]))
    mapping = {old: new for new, old in enumerate(order)}
    mapping[NOISE] = NOISE
    return np.array([mapping[int(v)] for v in labels], dtype=np.int64)


# --- naming the clusters -------------------------------------------------------------------


def cluster_keywords(
    texts: Sequence[str], labels: Sequence[int], top_n: int = 5
) -> dict[int, list[tuple[str, float]]]:
    """Each cluster's most distinctive words by class-based TF-IDF (noise, -1, excluded).

    c-TF-IDF (Grootendorst 2022): the sentences of a class are one document; a word's
    weight is its frequency in the class (L1-normalised) times log(1 + A / f), with A the
    mean number of words per class and f the word's frequency over all classes.
    """
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

    labels = np.asarray(labels)
    classes = sorted(set(labels.tolist()))
    if not classes:
        return {}
    docs = [" ".join(t for t, lab in zip(texts, labels, strict=False) if lab == c) for c in classes]
    vectorizer = CountVectorizer(
        stop_words=sorted(ENGLISH_STOP_WORDS | _EXTRA_STOP_WORDS),
        token_pattern=r"(?u)\b[^\W\d_][^\W\d_’'-]{2,}\b",  # words of 3+ letters, no numbers
    )
    try:
        counts = vectorizer.fit_transform(docs).toarray().astype(np.float64)
    except ValueError:  # no words at all (every sentence is numbers or stop words)
        return {c: [] for c in classes if c != NOISE}
    words = vectorizer.get_feature_names_out()
    per_class = counts.sum(axis=1, keepdims=True)
    tf = np.divide(counts, per_class, out=np.zeros_like(counts), where=per_class > 0)
    idf = np.log(1.0 + counts.sum(axis=1).mean() / counts.sum(axis=0))
    weights = tf * idf
    out: dict[int, list[tuple[str, float]]] = {}
    for row, c in enumerate(classes):
        if c == NOISE:
            continue
        # ties broken alphabetically, so the names are stable
        order = sorted(range(len(words)), key=lambda j: (-weights[row, j], words[j]))
        out[c] = [
            (str(words[j]), round(float(weights[row, j]), 4))
            for j in order[:top_n]
            if weights[row, j] > 0
        ]
    return out


def cluster_frames(
    top_frames: Sequence[str | None], labels: Sequence[int], top_n: int = 2
) -> dict[int, list[tuple[str, float]]]:
    """Each cluster's most frequent top frames with their share of its sentences."""
    members: dict[int, list[str | None]] = {}
    for frame, label in zip(top_frames, labels, strict=False):
        members.setdefault(int(label), []).append(frame)
    out = {}
    for label, frames in sorted(members.items()):
        if label == NOISE:
            continue
        counts = Counter(f for f in frames if f)
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top_n]
        out[label] = [(f, round(c / len(frames), 4)) for f, c in ranked]
    return out


def _gap(coords: np.ndarray) -> float:
    """The distance that separates two islands of one cluster: 4% of the map's extent, or
    2.5 times the median distance between neighbouring points where points lie sparser (a
    small map, where every point is an island of its own at 4%)."""
    if len(coords) < 2:
        return 1.0
    span = float(np.max(np.ptp(coords, axis=0)))
    from sklearn.neighbors import NearestNeighbors

    distances, _ = NearestNeighbors(n_neighbors=2).fit(coords).kneighbors(coords)
    gap = max(0.04 * span, 2.5 * float(np.median(distances[:, 1])))
    return gap if gap > 0 else 1.0


def _islands(points: np.ndarray, gap: float) -> list[np.ndarray]:
    """Indices of a cluster's points split where they lie more than ``gap`` apart (single
    linkage), largest island first. HDBSCAN gives a cluster every point that fell out of
    it, so one cluster can be several far-apart groups; a label belongs on the largest."""
    if len(points) < 2:
        return [np.arange(len(points))]
    from sklearn.cluster import DBSCAN

    parts = DBSCAN(eps=gap, min_samples=1).fit_predict(points)
    sizes = np.bincount(parts)
    order = sorted(range(len(sizes)), key=lambda k: (-sizes[k], int(np.argmax(parts == k))))
    return [np.flatnonzero(parts == k) for k in order]


def _blur(z: np.ndarray, sigma: float) -> np.ndarray:
    """A separable Gaussian blur (numpy only)."""
    radius = max(1, int(3 * sigma))
    kernel = np.exp(-0.5 * (np.arange(-radius, radius + 1) / sigma) ** 2)
    kernel /= kernel.sum()
    for axis in (0, 1):
        z = np.apply_along_axis(lambda v: np.convolve(v, kernel, mode="same"), axis, z)
    return z


def cluster_regions(
    coords: np.ndarray, labels: Sequence[int], *, min_share: float = 0.05, resolution: int = 360
) -> dict[int, list[np.ndarray]]:
    """Outlines to draw around each cluster: closed polygons (k, 2) that follow its points.

    Every cell of a grid over the map belongs to the cluster of its nearest clustered point
    when that point is closer than half the island gap; each cluster's cells, slightly
    blurred, are outlined at half height. Regions follow any shape, show each island of a
    cluster apart, and never overlap (the cells' shares sum to at most 1, so two clusters
    cannot both pass one half). Islands holding less than ``min_share`` of their cluster
    (stray points) get no outline.
    """
    import contourpy  # a dependency of matplotlib
    from sklearn.neighbors import NearestNeighbors

    coords = np.asarray(coords, dtype=float)
    labels = np.asarray(labels)
    clusters = sorted(set(labels.tolist()) - {NOISE})
    if not clusters:
        return {}
    gap = _gap(coords)
    keep = np.zeros(len(coords), dtype=bool)
    for c in clusters:
        members = np.flatnonzero(labels == c)
        for island in _islands(coords[members], gap):
            if len(island) >= max(3, min_share * len(members)):
                keep[members[island]] = True
    regions: dict[int, list[np.ndarray]] = {int(c): [] for c in clusters}
    if not keep.any():
        return regions
    reach = gap / 2
    lo, hi = coords.min(axis=0) - 2 * reach, coords.max(axis=0) + 2 * reach
    cell = float(np.max(hi - lo)) / resolution
    gx = np.arange(lo[0], hi[0] + cell, cell)
    gy = np.arange(lo[1], hi[1] + cell, cell)
    grid = np.stack(np.meshgrid(gx, gy), axis=-1).reshape(-1, 2)
    search = NearestNeighbors(n_neighbors=1).fit(coords[keep])
    distance, nearest = search.kneighbors(grid)
    owner = np.where(distance[:, 0] <= reach, labels[keep][nearest[:, 0]], NOISE)
    owner = owner.reshape(len(gy), len(gx))
    for c in clusters:
        z = _blur((owner == c).astype(float), sigma=1.5)
        lines = contourpy.contour_generator(gx, gy, z).lines(0.5)
        regions[int(c)] = [np.round(line, 6) for line in lines if len(line) >= 4]
    return regions


def cluster_summaries(
    coords: np.ndarray,
    labels: Sequence[int],
    texts: Sequence[str],
    top_frames: Sequence[str | None],
    *,
    n_keywords: int = 5,
    n_frames: int = 2,
) -> list[dict]:
    """One row per cluster, largest first: id, size, centre (x, y: the median of its largest
    island), top frames with their shares, and c-TF-IDF keywords."""
    coords = np.asarray(coords, dtype=float)
    labels = np.asarray(labels)
    keywords = cluster_keywords(texts, labels, n_keywords)
    frames = cluster_frames(top_frames, labels, n_frames)
    gap = _gap(coords)
    rows = []
    for c in sorted(set(labels.tolist()) - {NOISE}):
        mask = labels == c
        members = coords[mask]
        centre = np.median(members[_islands(members, gap)[0]], axis=0)
        rows.append(
            {
                "cluster": int(c),
                "size": int(mask.sum()),
                "x": round(float(centre[0]), 6),
                "y": round(float(centre[1]), 6),
                "frames": [{"frame": f, "share": s} for f, s in frames.get(c, [])],
                "keywords": [w for w, _ in keywords.get(c, [])],
            }
        )
    return rows


# --- the rows a user plots -----------------------------------------------------------------


def point_rows(records: Sequence[dict], coords: np.ndarray, labels: Sequence[int]) -> list[dict]:
    """One flat row per sentence: doc, sentence, speaker, side, x, y, cluster, top_frame, text,
    and top_frames (the three best frames with their combined scores, for hover texts)."""
    rows = []
    for r, xy, label in zip(records, coords, labels, strict=True):
        frames = r.get("frames") or {}
        best = sorted(frames.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
        rows.append(
            {
                "doc": r.get("doc"),
                "sentence": r.get("sentence_id"),
                "speaker": r.get("speaker") or "author",
                "side": side_of(r),
                "x": round(float(xy[0]), 6),
                "y": round(float(xy[1]), 6),
                "cluster": int(label),
                "top_frame": r.get("top_frame"),
                "text": r.get("text", ""),
                "top_frames": [(f, float(v)) for f, v in best if v > 0],
            }
        )
    return rows
