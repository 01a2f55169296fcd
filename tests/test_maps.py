"""framing.maps: projection, clustering, cluster names, and the rows users plot."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import numpy as np
import pytest

from framing.maps import (
    RhetoricMap,
    cluster_frames,
    cluster_keywords,
    cluster_summaries,
    group_sides,
    nearest_neighbors,
    numba_cache_dir,
    point_rows,
    prepare_numba_cache,
    side_of,
)

ROOT = Path(__file__).resolve().parent.parent
# numba's compile cache (pure compiled code, safe to share): kept between test sessions so
# only the first one pays a minute of JIT. A set NUMBA_CACHE_DIR wins.
os.environ.setdefault("NUMBA_CACHE_DIR", str(ROOT / ".pytest_cache" / "numba"))


def blobs(n: int = 300, k: int = 4, dim: int = 32, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``k`` well separated groups of unit vectors, and each vector's group."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(k, dim)) * 4
    truth = np.arange(n) % k
    x = centres[truth] + rng.normal(size=(n, dim))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32), truth


@pytest.fixture(scope="module")
def fitted():
    x, truth = blobs()
    return x, truth, RhetoricMap().fit(x)


def test_umap_coordinates_and_labels_are_deterministic(fitted):
    x, _, first = fitted
    again = RhetoricMap().fit(x.copy())
    assert first.method_ == "umap" and first.clustering_ == "hdbscan"
    assert first.embedding_2d_.shape == (len(x), 2)
    assert np.array_equal(first.embedding_2d_, again.embedding_2d_)
    assert np.array_equal(first.labels_, again.labels_)


def test_the_seed_matters(fitted):
    x, _, first = fitted
    other = RhetoricMap(random_state=1).fit(x)
    assert not np.allclose(first.embedding_2d_, other.embedding_2d_)


def test_clusters_recover_separated_groups(fitted):
    _, truth, fitted_map = fitted
    labels = fitted_map.labels_
    assert fitted_map.n_clusters_ == 4
    for c in range(4):  # each cluster is (almost) one true group
        members = truth[labels == c]
        assert np.bincount(members).max() >= 0.95 * len(members)


def test_cluster_ids_run_from_the_largest(fitted):
    labels = fitted[2].labels_
    sizes = [int((labels == c).sum()) for c in range(fitted[2].n_clusters_)]
    assert sizes == sorted(sizes, reverse=True)


FIT_IN_A_FRESH_PROCESS = """
import sys
import numpy as np
from framing.maps import RhetoricMap
x = np.random.default_rng(0).normal(size=(60, 8)).astype(np.float32)
RhetoricMap(numba_cache=sys.argv[1] if sys.argv[1] != "-" else None).fit(x)
"""


def _fit_in_a_fresh_process(cache: str, tmp_path) -> None:
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[1])
    env["FRAMING_CACHE_DIR"] = str(tmp_path / "framing-cache")  # never used for numba
    env["HOME"] = str(tmp_path)  # where numba's user-wide cache would go
    subprocess.run(
        [sys.executable, "-c", FIT_IN_A_FRESH_PROCESS, cache], env=env, check=True, cwd=tmp_path
    )


def test_numba_cache_is_filled_in_a_private_folder_under_the_cache_dir(tmp_path):
    _fit_in_a_fresh_process(str(tmp_path / "cache"), tmp_path)
    folder = numba_cache_dir(tmp_path / "cache")
    assert list(folder.rglob("layouts*.nbi")), f"umap's layout code not cached in {folder}"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert folder.stat().st_uid == os.getuid()


def test_without_a_cache_dir_framing_caches_nothing_of_umap(tmp_path):
    assert prepare_numba_cache(None) is None
    _fit_in_a_fresh_process("-", tmp_path)
    assert not list(tmp_path.rglob("*.nbi")), "umap's code was cached without a cache folder"


def _other_users_folder(folder: Path) -> None:
    folder.mkdir(parents=True)
    os.chown(folder, 65534, 65534)


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda f: f.mkdir(parents=True, mode=0o777) or f.chmod(0o777), "open to other users"),
        (lambda f: f.parent.mkdir() or f.symlink_to(f.parent), "is not a folder"),
        (_other_users_folder, "belongs to another user"),
        (lambda f: f.parent.mkdir() or f.parent.chmod(0o777), "others may write"),
    ],
    ids=["mode-777", "symlink", "other-owner", "open-parent"],
)
def test_an_unsafe_numba_cache_folder_turns_caching_off_with_a_warning(tmp_path, make, problem):
    """numba loads its index files with pickle: a folder another user can write would run
    their code as ours, so such a folder is never used."""
    from framing.errors import FramingWarning

    if problem == "belongs to another user" and os.geteuid() != 0:
        pytest.skip("making a folder of another user needs root")
    folder = numba_cache_dir(tmp_path / "shared")
    make(folder)
    with pytest.warns(FramingWarning, match=problem):
        assert prepare_numba_cache(tmp_path / "shared") is None


def test_nearest_neighbors_are_exact_and_include_self():
    x, _ = blobs(50, 3)
    idx, dist = nearest_neighbors(x, 5)
    assert idx.shape == dist.shape == (50, 5)
    assert np.array_equal(idx[:, 0], np.arange(50))
    cosine = 1 - x @ x.T
    expected = np.sort(cosine, axis=1)[:, :5]
    assert np.allclose(dist, np.maximum(expected, 0), atol=1e-5)


def test_nearest_neighbors_in_chunks_report_progress():
    x, _ = blobs(100, 3)
    seen = []
    idx, dist = nearest_neighbors(x, 5, progress=seen.append, chunk=30)
    whole_idx, whole_dist = nearest_neighbors(x, 5, chunk=1000)
    assert seen == [30, 30, 30, 10]
    assert np.array_equal(idx, whole_idx) and np.allclose(dist, whole_dist, atol=1e-6)


def test_stages_get_totals_and_progress():
    """Each long step reports its progress: sentences searched, then UMAP's epochs."""
    from contextlib import contextmanager

    x, _ = blobs(40, 2)
    reports: dict[str, list] = {}

    @contextmanager
    def stage(name, total=None, unit=""):
        counts = reports.setdefault(name, [total, unit, 0])

        def advance(n=1):
            counts[2] += n

        yield advance

    fitted_map = RhetoricMap().fit(x, stage=stage)
    assert reports["neighbours"] == [40, "sentences", 40]
    assert reports["UMAP"] == [500, "epochs", 500]
    assert "clustering" in reports
    from umap import layouts

    assert layouts.tqdm.__module__.startswith("tqdm")  # umap's own, restored
    again = RhetoricMap().fit(x)  # counting epochs changes nothing
    assert np.array_equal(fitted_map.embedding_2d_, again.embedding_2d_)


@pytest.mark.parametrize("n", [1, 2, 3, 14])
def test_few_sentences_fall_back_to_pca(n):
    x, _ = blobs(n, 2)
    fitted_map = RhetoricMap().fit(x)
    assert fitted_map.method_ == "pca"
    assert fitted_map.embedding_2d_.shape == (n, 2)
    assert np.isfinite(fitted_map.embedding_2d_).all()
    assert any("too few for UMAP" in s and "PCA" in s for s in fitted_map.notices_)
    assert len(fitted_map.labels_) == n
    again = RhetoricMap().fit(x)
    assert np.array_equal(fitted_map.embedding_2d_, again.embedding_2d_)


def test_fifteen_sentences_use_umap():
    x, _ = blobs(15, 3)
    fitted_map = RhetoricMap().fit(x)
    assert fitted_map.method_ == "umap" and fitted_map.notices_ == []
    assert fitted_map.n_neighbors_ == 14


def test_kmeans_when_a_number_is_given(fitted):
    x, _, _ = fitted
    fitted_map = RhetoricMap(n_clusters=3).fit(x)
    assert fitted_map.clustering_ == "kmeans"
    assert sorted(set(fitted_map.labels_.tolist())) == [0, 1, 2]
    again = RhetoricMap(n_clusters=3).fit(x)
    assert np.array_equal(fitted_map.labels_, again.labels_)


def test_more_clusters_than_sentences_is_said():
    x, _ = blobs(4, 2)
    fitted_map = RhetoricMap(n_clusters=8).fit(x)
    assert fitted_map.n_clusters_ == 4
    assert any("--clusters 8" in s for s in fitted_map.notices_)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"n_clusters": 1}, "--clusters must be an integer ≥ 2; got 1"),
        ({"n_clusters": 2.5}, "--clusters must be an integer ≥ 2; got 2.5"),
        ({"n_neighbors": 1}, "--neighbors must be an integer ≥ 2; got 1"),
        ({"min_dist": 2.0}, "--min-dist must be in [0, 1]; got 2.0"),
        ({"min_cluster_size": 1}, "--min-cluster-size must be an integer ≥ 2; got 1"),
    ],
)
def test_bad_parameters_name_themselves(params, message):
    from framing.cli.common import FLAGS
    from framing.errors import ParameterError

    with pytest.raises(ParameterError) as info:
        RhetoricMap(**params).fit(np.eye(20, dtype=np.float32))
    # the library names its parameter; the CLI names the flag that set it
    ((param, value),) = params.items()
    assert str(info.value).startswith(f"The {param!r} parameter of RhetoricMap must be ")
    assert str(info.value).endswith(f", got {value!r}")
    assert info.value.as_flag(FLAGS) == message


def test_parameters_are_stored_as_given():
    fitted_map = RhetoricMap(n_clusters=3, random_state=7)
    assert fitted_map.n_clusters == 3 and fitted_map.random_state == 7
    assert not hasattr(fitted_map, "labels_")


class _Halves:
    def fit_transform(self, x):
        return np.c_[x[:, 0], x[:, 1]]

    def fit_predict(self, coords):
        return (coords[:, 0] > 0).astype(int)


def test_steps_are_pluggable():
    x = np.array([[1, 0], [2, 1], [-1, 0], [-3, 1], [4, 0]], dtype=np.float32)
    fitted_map = RhetoricMap(reducer=_Halves(), clusterer=_Halves()).fit(x)
    assert fitted_map.method_ == "custom" and fitted_map.clustering_ == "custom"
    # three points right of 0 form the larger cluster: id 0
    assert fitted_map.labels_.tolist() == [0, 0, 1, 1, 0]


TEXTS = [
    "Tanks shelled the city and airstrikes hit the airport.",
    "Heavy shelling of the city continued as tanks advanced.",
    "Airstrikes and shelling destroyed the airport terminal.",
    "The ministers met for ceasefire talks in Antalya.",
    "Talks on a ceasefire will resume, the ministers said.",
    "Diplomats hope the ceasefire talks bring a corridor.",
    "Weather was mild.",
]
LABELS = [0, 0, 0, 1, 1, 1, -1]


def test_keywords_are_distinctive_per_cluster():
    words = cluster_keywords(TEXTS, LABELS, top_n=3)
    assert set(words) == {0, 1}  # noise gets no name
    assert {w for w, _ in words[0]} <= {
        "shelling",
        "airstrikes",
        "tanks",
        "airport",
        "city",
        "shelled",
    }
    assert {w for w, _ in words[1]} <= {
        "ceasefire",
        "talks",
        "ministers",
        "antalya",
        "diplomats",
        "resume",
        "corridor",
    }
    assert words[0][0][0] in ("shelling", "airstrikes", "tanks", "airport", "city")
    assert words[1][0][0] in ("ceasefire", "talks", "ministers")
    # stop words and reporting verbs never name a cluster
    assert all(w not in ("the", "and", "said") for c in words.values() for w, _ in c)


def test_keywords_of_wordless_clusters_are_empty():
    assert cluster_keywords(["123 456", "789"], [0, 1]) == {0: [], 1: []}


def test_cluster_frames_give_shares():
    frames = ["invasion", "invasion", None, "negotiation", "negotiation", "invasion", None]
    assert cluster_frames(frames, LABELS) == {
        0: [("invasion", 0.6667)],
        1: [("negotiation", 0.6667), ("invasion", 0.3333)],
    }


def test_cluster_summaries_rows():
    coords = np.array([[0, 0], [1, 0], [2, 0], [10, 10], [11, 10], [12, 10], [5, 5]], float)
    frames = ["invasion"] * 3 + ["negotiation"] * 3 + [None]
    rows = cluster_summaries(coords, LABELS, TEXTS, frames)
    assert [r["cluster"] for r in rows] == [0, 1]
    assert rows[0]["size"] == 3 and (rows[0]["x"], rows[0]["y"]) == (1.0, 0.0)
    assert rows[1]["frames"] == [{"frame": "negotiation", "share": 1.0}]
    assert rows[1]["keywords"]


def _record(i, speaker="author", side="unknown", kind="author", top="invasion"):
    return {
        "doc": "d",
        "sentence_id": i,
        "text": f"sentence {i}",
        "speaker": speaker,
        "side": side,
        "voice_kind": kind,
        "top_frame": top,
        "frames": {"invasion": 0.5, "negotiation": 0.2, "liberation": 0.0},
    }


def test_point_rows_and_sides():
    records = [
        _record(0),
        _record(1, "Lavrov", "russia", "direct"),
        _record(2, "Kuleba", "ukraine", "reported", None),
        {"text": "bare"},
    ]
    rows = point_rows(records, np.arange(8, dtype=float).reshape(4, 2), [0, 1, -1, 0])
    assert [r["side"] for r in rows] == ["author", "russia", "ukraine", "author"]
    assert rows[1] == {
        "doc": "d",
        "sentence": 1,
        "speaker": "Lavrov",
        "side": "russia",
        "x": 2.0,
        "y": 3.0,
        "cluster": 1,
        "top_frame": "invasion",
        "text": "sentence 1",
        "top_frames": [("invasion", 0.5), ("negotiation", 0.2)],
    }
    assert rows[3]["speaker"] == "author" and rows[3]["top_frames"] == []
    assert side_of({"voice_kind": "direct"}) == "unknown"


def test_group_sides_follow_profile_groups():
    records = [
        _record(0, "Mark"),
        _record(1, "Lavrov", "russia", "direct"),
        _record(2, "Lavrov", "russia", "reported"),
    ]
    assert group_sides(records, "speaker") == {"Lavrov": "russia", "Mark": "author"}
    assert group_sides(records, "side") == {"russia": "russia", "author": "author"}
