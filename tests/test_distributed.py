"""The Dask engine (framing.distributed, framing score --engine dask).

Planning and reading are checked against ``iter_documents`` in this process; scoring runs
on a LocalCluster of 2 single-threaded worker processes with the real model, and its
records must equal the local engine's exactly (partitions start at the local engine's
embedding-batch boundaries, so even cold caches give the same vectors), also when a worker
is killed mid-run.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import re
import signal
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from framing import distributed as fd
from framing.cli import app
from framing.errors import FramingError
from framing.io import iter_documents
from tests.conftest import DATA, HashingEmbedder

MINI = str(DATA / "mini.toml")


# --- planning and reading: the same documents, ids and warnings as iter_documents ---------------

_TEXT = st.lists(
    st.sampled_from(list("ab .,\"'\n\r\t") + ["\u2028", "\x85", "é", "—", "Zoe said. "]),
    max_size=30,
).map("".join)


def _table(kind: str, rows: list, bom: bool, junk: list[int]) -> bytes:
    """A .jsonl/.csv/.tsv of ``rows`` (text or None for a missing field); ``junk`` lines
    get a malformed row and blank lines."""
    if kind == "jsonl":
        lines = [
            json.dumps({"id": i, "text": t} if t is not None else {"id": i}, ensure_ascii=False)
            for i, t in enumerate(rows)
        ]
        for j in junk:
            lines.insert(min(j, len(lines)), ["", "{oops", "[1, 2]", "   "][j % 4])
        body = "\n".join(lines) + "\n"
    else:
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="," if kind == "csv" else "\t", lineterminator="\r\n")
        writer.writerow(["id", "text"])
        for i, t in enumerate(rows):
            writer.writerow([i, t] if t is not None else [i])
        body = buf.getvalue()
    return (b"\xef\xbb\xbf" if bom else b"") + body.encode("utf-8")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    kind=st.sampled_from(["jsonl", "csv", "tsv"]),
    rows=st.lists(st.one_of(_TEXT, st.none()), min_size=1, max_size=25),
    bom=st.booleans(),
    junk=st.lists(st.integers(0, 30), max_size=3),
    partition_rows=st.integers(1, 6),
    batch_sentences=st.integers(1, 8),
    block=st.sampled_from([16, 64, 1 << 24]),
)
def test_partitions_hold_exactly_what_iter_documents_reads(
    tmp_path_factory, monkeypatch, kind, rows, bom, junk, partition_rows, batch_sentences, block
):
    folder = tmp_path_factory.mktemp("plan")
    (folder / f"a.{kind}").write_bytes(_table(kind, rows, bom, junk))
    (folder / "b.txt").write_text("A short article. It has two sentences.", encoding="utf-8")
    (folder / "c.jsonl").write_text(
        '{"text": "Row one."}\n{"text": "Row two."}\n', encoding="utf-8"
    )
    monkeypatch.setattr(fd, "_BLOCK", block)  # small blocks: lines cross block boundaries

    expected_warnings: list[str] = []
    expected = list(iter_documents([str(folder)], warn=expected_warnings.append))
    warnings: list[str] = []
    plan = fd.plan_partitions(
        [str(folder)],
        partition_rows=partition_rows,
        batch_sentences=batch_sentences,
        warn=warnings.append,
    )
    got = [doc for p in plan for doc in fd.read_partition(p)]
    assert got == expected
    assert warnings == expected_warnings
    assert sum(p.documents for p in plan) == len(expected)


def test_partitions_start_where_the_local_engine_starts_a_batch(tmp_path):
    from framing.text import segment

    corpus = tmp_path / "c.jsonl"
    corpus.write_text(
        "".join(json.dumps({"text": t}) + "\n" for t in _articles(120)), encoding="utf-8"
    )
    docs = list(iter_documents([str(corpus)]))
    # score_documents closes a batch after the document that brings it to batch_sentences.
    starts, pending = {0}, 0
    for i, doc in enumerate(docs):
        pending += len(segment(doc))
        if pending >= 50:
            starts.add(i + 1)
            pending = 0
    plan = fd.plan_partitions([str(corpus)], partition_rows=7, batch_sentences=50)
    firsts, seen = [], 0
    for p in plan:
        firsts.append(seen)
        seen += p.documents
    assert len(plan) > 5
    assert set(firsts) <= starts
    assert all(p.documents >= 7 for p in plan[:-1])


def test_by_default_every_worker_gets_several_partitions(tmp_path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps({"text": t}) + "\n" for t in _articles(40)), "utf-8")
    plan = fd.plan_partitions(
        [str(corpus)], partition_rows=None, min_partitions=8, batch_sentences=20
    )
    # 5 rows each, and a partition ends at the first batch boundary after its 5th row
    assert 6 <= len(plan) <= 8
    assert sum(p.documents for p in plan) == 40
    big = fd.plan_partitions(
        [str(corpus)], partition_rows=None, min_partitions=1, batch_sentences=20
    )
    assert len(big) == 1  # one partition holds up to PARTITION_ROWS rows


def test_a_named_bad_file_fails_before_any_work_and_a_bad_file_in_a_folder_is_skipped(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b'{"text": "ok"}\n\x00\x00\n' * 3)
    with pytest.raises(FramingError, match="binary file"):
        fd.plan_partitions([str(bad)], partition_rows=1)
    (tmp_path / "good.txt").write_text("Fine text here.", encoding="utf-8")
    (tmp_path / "rows.csv").write_text("id,body\n1,x\n", encoding="utf-8")
    warnings: list[str] = []
    plan = fd.plan_partitions([str(tmp_path)], partition_rows=1, warn=warnings.append)
    assert [d.id for p in plan for d in fd.read_partition(p)] == [str(tmp_path / "good.txt")]
    assert len(warnings) == 2 and all(w.startswith("skipped ") for w in warnings)
    assert "no column 'text'" in warnings[1]


def test_the_scorer_is_built_once_per_process_and_spec(default_mini):
    spec = fd.ScorerSpec(default_mini, HashingEmbedder())
    first, _ = fd.cached_scorer(spec)
    import pickle

    again = pickle.loads(pickle.dumps(spec))  # what a worker receives
    assert fd.cached_scorer(again)[0] is first
    other = fd.ScorerSpec(default_mini, HashingEmbedder(), lexical_weight=0.2)
    assert fd.cached_scorer(other)[0] is not first


def test_the_default_batch_is_the_local_engines():
    from framing.pipeline import BATCH_SENTENCES

    assert fd.ScorerSpec(None, None).batch_sentences == BATCH_SENTENCES


# --- on a LocalCluster ------------------------------------------------------------------------


def _articles(n_docs: int, seed: int = 8) -> list[str]:
    """News-like articles made of the sample corpus's sentences, varied so that no sentence
    occurs twice (see test_2k_sentences_on_the_cluster_equal_the_local_engine).

    No opener makes a reported-speech sentence out of a quotation's end ("Officials said
    that ...,” said X."): framing.attribution breaks the tie between the two speakers of
    such a span by set order, which differs between processes, so two runs of the local
    engine itself could disagree on its speaker."""
    from framing.text import Document, segment
    from tests.conftest import SEED

    base = [s.text for s in segment(Document("seed", SEED.read_text(encoding="utf-8")))]
    rng = random.Random(seed)
    openers = ["", "Meanwhile, ", "On Monday, ", "Separately, ", "As of Friday, "]
    seen: set[str] = set()
    out = []
    for _ in range(n_docs):
        sentences = []
        for _ in range(rng.randint(3, 40)):
            s = re.sub(r"\d+", lambda _m: str(rng.randint(2, 9000)), rng.choice(base))
            opener = rng.choice(openers)
            s = opener + (s[0].lower() + s[1:] if opener else s)
            if s in seen:
                s = f"In dispatch {len(seen)}, {s[0].lower()}{s[1:]}"
            seen.add(s)
            sentences.append(s)
        out.append(" ".join(sentences))
    return out


@pytest.fixture(scope="module")
def default_mini():
    from framing.lexicon import load_lexicons

    return load_lexicons([MINI])


@pytest.fixture(scope="module")
def mini_scorer(default_mini, real_embedder):
    from framing.score import FrameScorer

    return FrameScorer(default_mini, real_embedder).fit()


@pytest.fixture(scope="module")
def corpus_2k(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "posts.jsonl"
    rows = [{"post": f"p{i:03d}", "body": t} for i, t in enumerate(_articles(97))]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def cluster():
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=40,
        ) as cluster,
        Client(cluster, set_as_default=False) as client,
    ):
        yield client


READ_2K = fd.ReadOptions(text_field="body", id_field="post")


@pytest.fixture(scope="module")
def local_2k(corpus_2k, mini_scorer) -> list[dict]:
    """The local engine's records for the 2k corpus (this also fills the session's cache)."""
    from framing.pipeline import score_documents

    records = list(score_documents(_read_2k(corpus_2k), mini_scorer))
    assert 2000 <= len(records) <= 2100
    return records


def _read_2k(path: Path):
    return iter_documents([str(path)], READ_2K)


def _parts(folder: Path) -> list[dict]:
    manifest = json.loads((folder / "_manifest.json").read_text())
    records = [
        json.loads(line)
        for p in manifest["partitions"]
        for line in (folder / p["file"]).read_text(encoding="utf-8").splitlines()
    ]
    assert len(records) == manifest["records"]
    assert sorted(f.name for f in folder.iterdir()) == sorted(
        ["_manifest.json", *(p["file"] for p in manifest["partitions"])]
    )
    return records


def _by_id(records: list[dict]) -> list[dict]:
    return sorted(records, key=lambda r: (r["doc"], r["sentence_id"]))


def _ok(result):
    assert result.exit_code == 0, result.output
    return result


def test_sample_corpus_on_a_new_local_cluster_equals_the_local_engine(
    runner, seed_path, mini_scorer, tmp_path
):
    """Without --scheduler, a LocalCluster of its own; a cold cache of its own too."""
    from framing.pipeline import score_documents
    from framing.text import Document

    local = list(
        score_documents(
            [Document(str(seed_path), seed_path.read_text(encoding="utf-8"))], mini_scorer
        )
    )
    out = tmp_path / "scores"
    _ok(
        runner.invoke(
            app,
            [
                "score",
                str(seed_path),
                "-l",
                MINI,
                "--engine",
                "dask",
                "--workers",
                "2",
                "--cache-dir",
                str(tmp_path / "cold-cache"),
                "-o",
                str(out),
            ],
        )
    )
    assert _parts(out) == local  # same order, same bits
    manifest = json.loads((out / "_manifest.json").read_text())
    assert manifest["engine"]["workers"] == 2 and manifest["lexicons"][0]["sha256"]
    assert manifest["partitions"][0]["inputs"] == [{"path": str(seed_path)}]


def test_2k_sentences_on_the_cluster_equal_the_local_engine(
    cluster, runner, corpus_2k, local_2k, real_embedder, tmp_path_factory
):
    """Through the CLI with --scheduler; the workers share this process's embedding cache
    (as processes on one machine do). Cold caches: test_cold_caches_give_the_same_bits."""
    out = tmp_path_factory.mktemp("out") / "scores"
    address = cluster.scheduler.address
    args = [
        "score",
        str(corpus_2k),
        "-l",
        MINI,
        "--text-field",
        "body",
        "--id-field",
        "post",
        "--engine",
        "dask",
        "--scheduler",
        address,
        "--partition-rows",
        "15",
        "--cache-dir",
        str(real_embedder.cache_dir),
    ]
    _ok(runner.invoke(app, [*args, "-o", str(out)]))
    records = _parts(out)
    assert records == local_2k  # the parts in order are the local engine's records
    assert _by_id(records) == _by_id(local_2k)
    manifest = json.loads((out / "_manifest.json").read_text())
    assert len(manifest["partitions"]) >= 3
    assert manifest["engine"]["scheduler"] == address

    # The same run as Parquet: one file per partition, the CSV writer's columns.
    import pandas as pd

    from framing.dataframe import records_to_frame

    pq = tmp_path_factory.mktemp("out") / "scores-pq"
    _ok(runner.invoke(app, [*args, "-f", "parquet", "-o", str(pq)]))
    files = [pq / p["file"] for p in json.loads((pq / "_manifest.json").read_text())["partitions"]]
    frame = pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)
    pd.testing.assert_frame_equal(frame, records_to_frame(local_2k, lexicon=MINI))
    # the whole folder reads as one table: the manifest is not taken for a data file
    pd.testing.assert_frame_equal(pd.read_parquet(pq), frame)

    # Each worker built the model and scorer at most once (one spec), not once per task:
    # two runs here, each of a counting task and several scoring tasks.
    info = cluster.run(fd.cached_scorer_info)
    assert len(info) == 2
    assert all(i["builds"] == len(i["keys"]) <= 1 for i in info.values()), info
    assert sum(i["builds"] for i in info.values()) >= 1


def test_cold_caches_give_the_same_bits(cluster, corpus_2k, default_mini, tmp_path):
    """Local engine and cluster each with an empty cache: partitions start where the local
    engine starts a batch, so every sentence is embedded in the same batch, bit for bit.
    (Small batches keep this quick: 8 articles, batches of 24 sentences.)"""
    from framing.embed import Embedder

    subset = tmp_path / "subset.jsonl"
    subset.write_text(
        "".join(corpus_2k.read_text(encoding="utf-8").splitlines(keepends=True)[:8]),
        encoding="utf-8",
    )
    from framing.pipeline import score_documents
    from framing.score import FrameScorer

    local_scorer = FrameScorer(default_mini, Embedder(cache_dir=tmp_path / "local-cache")).fit()
    local = list(score_documents(_read_2k(subset), local_scorer, batch_sentences=24))
    assert local_scorer.embedder_.cache_misses >= len(local)  # every sentence was new
    spec = fd.ScorerSpec(
        default_mini, Embedder(cache_dir=tmp_path / "dask-cache"), batch_sentences=24
    )
    read = READ_2K
    manifest = fd.score_files(
        [str(subset)], tmp_path / "scores", spec, scheduler=cluster, partition_rows=1, read=read
    )
    assert len(manifest["partitions"]) >= 4
    assert _parts(tmp_path / "scores") == local


def test_a_worker_killed_mid_run_still_gives_complete_identical_output(
    cluster, corpus_2k, local_2k, default_mini, real_embedder, tmp_path
):
    from framing.embed import Embedder

    spec = fd.ScorerSpec(default_mini, Embedder(cache_dir=real_embedder.cache_dir))
    killed: list[str] = []

    def kill_one(done: int, total: int) -> None:
        if killed:
            return
        assert done < total  # mid-run: partitions are still running or waiting
        busy = [w for w, keys in cluster.processing().items() if keys] or list(cluster.processing())
        pid = cluster.run(os.getpid, workers=[busy[0]])[busy[0]]
        os.kill(pid, signal.SIGKILL)
        killed.append(busy[0])

    out = tmp_path / "scores"
    manifest = fd.score_files(
        [str(corpus_2k)],
        out,
        spec,
        scheduler=cluster,
        partition_rows=1,
        read=fd.ReadOptions(text_field="body", id_field="post"),
        on_partition=kill_one,
    )
    assert killed and killed[0] not in cluster.scheduler_info()["workers"]
    assert len(manifest["partitions"]) >= 3
    assert _parts(out) == local_2k


class _FailingEmbedder(HashingEmbedder):
    def encode(self, texts, progress=None):
        if any("Lavrov" in t for t in texts):
            raise RuntimeError("encoder crashed")
        return super().encode(texts, progress)


def test_a_failed_run_leaves_no_output(cluster, corpus_2k, default_mini, tmp_path):
    out = tmp_path / "scores"
    with pytest.raises(RuntimeError, match="encoder crashed"):
        fd.score_files(
            [str(corpus_2k)],
            out,
            fd.ScorerSpec(default_mini, _FailingEmbedder()),
            scheduler=cluster,
            read=fd.ReadOptions(text_field="body"),
        )
    assert list(tmp_path.iterdir()) == []  # neither the folder nor its staging folder


def test_a_rerun_replaces_an_earlier_output_and_refuses_a_foreign_folder(
    cluster, corpus_2k, default_mini, tmp_path
):
    spec = fd.ScorerSpec(default_mini, HashingEmbedder())
    read = fd.ReadOptions(text_field="body")
    out = tmp_path / "scores"
    first = fd.score_files(
        [str(corpus_2k)], out, spec, scheduler=cluster, read=read, partition_rows=10
    )
    second = fd.score_files(
        [str(corpus_2k)], out, spec, scheduler=cluster, read=read, partition_rows=1000
    )
    assert len(first["partitions"]) > 1 == len(second["partitions"])
    assert _parts(out) and sorted(p.name for p in tmp_path.iterdir()) == ["scores"]
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    with pytest.raises(FramingError, match="not empty and is not a framing --engine dask output"):
        fd.score_files([str(corpus_2k)], tmp_path / "mine", spec, scheduler=cluster, read=read)


# --- user mistakes: one line, exit 2 ----------------------------------------------------------


def _fails_cleanly(result, *needles):
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("framing: error: ")
    for needle in needles:
        assert needle in lines[0], lines[0]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--engine", "spark"], "--engine must be local or dask; got 'spark'"),
        (["--scheduler", "tcp://x:1"], "--scheduler needs --engine dask"),
        (["--partition-rows", "5"], "--partition-rows needs --engine dask"),
        (["--engine", "dask"], "give -o FOLDER"),
        (["--engine", "dask", "-f", "csv", "-o", "{tmp}/o"], "jsonl or parquet"),
        (["--engine", "dask", "-o", "{tmp}/no/such/o"], "does not exist"),
    ],
)
def test_option_mistakes(runner, seed_path, tmp_path, args, needle):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    _fails_cleanly(runner.invoke(app, ["score", str(seed_path), "-l", MINI, *args]), needle)


def test_stdin_is_refused(runner, tmp_path):
    _fails_cleanly(
        runner.invoke(
            app,
            ["score", "-", "-l", MINI, "--engine", "dask", "-o", str(tmp_path / "o")],
            input="Some text.",
        ),
        "not stdin",
    )


def test_dask_not_installed(runner, seed_path, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    _fails_cleanly(
        runner.invoke(
            app,
            ["score", str(seed_path), "-l", MINI, "--engine", "dask", "-o", str(tmp_path / "o")],
        ),
        "--engine dask needs: pip install 'framing[dask]'",
    )
    assert not (tmp_path / "o").exists()


def test_a_scheduler_that_does_not_answer(runner, seed_path, tmp_path):
    import dask

    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}):
        result = runner.invoke(
            app,
            [
                "score",
                str(seed_path),
                "-l",
                MINI,
                "--engine",
                "dask",
                "--scheduler",
                "tcp://127.0.0.1:9",
                "-o",
                str(tmp_path / "o"),
            ],
        )
    _fails_cleanly(result, "--scheduler: cannot connect to 'tcp://127.0.0.1:9'")
    assert list(tmp_path.iterdir()) == []
