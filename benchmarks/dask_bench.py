"""Benchmark row ``dask_vs_local_Nk``: framing score --engine dask (a LocalCluster of 2
single-threaded workers) against --engine local, on one .jsonl corpus, each a fresh process
with a fresh embedding cache; also checks that both wrote the same records.

    python benchmarks/dask_bench.py [N_SENTENCES]      # prints the row (default 10000)

From run.py (the harness's Report, Row, work folder and ``framing`` runner)::

    from dask_bench import measure
    measure(report, Row, WORK, framing, n=10_000)

Only the standard library is imported here; framing runs in its own processes.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

REAL_CLUSTER = (
    "On this 2-core machine both engines share the same 2 cores, so --engine dask can at best "
    "match local (whose torch already uses both cores) and pays for starting the cluster, loading "
    "the model in each worker and a counting pass. On a cluster, throughput grows with workers "
    "(one single-threaded worker per core, or per GPU): each worker loads the model once and "
    "partitions do not talk to each other; the client only plans and the scheduler only hands out "
    "partitions. What changes there: inputs and the output folder must be on storage every "
    "worker sees (NFS, a shared volume); give each worker a local --cache-dir (SQLite caches "
    "should not live on NFS); start workers with `dask worker ADDRESS --nthreads 1` and pass "
    "--scheduler ADDRESS; and use --partition-rows so a partition takes a minute or more."
)


def _lexicon_args() -> list[str]:
    if (ROOT / "lexicons" / "war_ukraine.toml").is_file():
        return []
    return ["--lexicon", str(ROOT / "tests" / "data" / "mini.toml")]


def _fresh(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def _records_differing(local: Path, folder: Path) -> tuple[int, float]:
    """(records not byte-identical, largest score difference among them) between the local
    output and the parts in manifest order."""
    manifest = json.loads((folder / "_manifest.json").read_text(encoding="utf-8"))
    parts = [
        line
        for p in manifest["partitions"]
        for line in (folder / p["file"]).read_text(encoding="utf-8").splitlines()
    ]
    ours = local.read_text(encoding="utf-8").splitlines()
    if len(parts) != len(ours):
        return max(len(parts), len(ours)), float("inf")
    differing, largest = 0, 0.0
    for a, b in zip(parts, ours, strict=True):
        if a == b:
            continue
        differing += 1
        ra, rb = json.loads(a), json.loads(b)
        for key in ("frames", "lexical", "semantic", "axes"):
            for name, value in ra.get(key, {}).items():
                largest = max(largest, abs(value - rb.get(key, {}).get(name, value)))
    return differing, largest


def measure(report, Row, work: Path, framing, n: int = 10_000, workers: int = 2) -> dict:
    """Add the ``dask_vs_local`` row to ``report``; returns the numbers behind it."""
    from corpus import write_corpus

    work = Path(work)
    data = work / f"dask-corpus-{n}.jsonl"
    if not data.is_file():
        write_corpus(n, data)
    local_out, dask_out = work / "dask-local.jsonl", work / "dask-out"
    shutil.rmtree(dask_out, ignore_errors=True)
    lexicon = _lexicon_args()
    local = framing(
        "score", data, "-o", local_out, "--cache-dir", _fresh(work / "dask-cache-local"), *lexicon
    )
    dask = framing(
        "score",
        data,
        "--engine",
        "dask",
        "--workers",
        workers,
        "-o",
        dask_out,
        "--cache-dir",
        _fresh(work / "dask-cache-dask"),
        *lexicon,
    )
    sentences = sum(1 for _ in open(local_out, "rb"))
    partitions = len(json.loads((dask_out / "_manifest.json").read_text())["partitions"])
    differing, largest = _records_differing(local_out, dask_out)
    same = differing == 0
    numbers = {
        "sentences": sentences,
        "partitions": partitions,
        "workers": workers,
        "local_s": local.wall,
        "dask_s": dask.wall,
        "local_rate": sentences / local.wall,
        "dask_rate": sentences / dask.wall,
        "same_records": same,
        "records_differing": differing,
    }
    ratio = numbers["dask_rate"] / numbers["local_rate"]
    report.add(
        Row(
            f"dask_vs_local_{n // 1000}k",
            f"{numbers['dask_rate']:,.0f} sent/s",
            f"{numbers['local_rate']:,.0f} sent/s (local)",
            ratio,
            "informative (2 cores)",
            None,
            f"{workers} workers × 1 thread, {partitions} partitions; "
            + (
                "same records"
                if same
                else f"{differing} of {sentences:,} records differ, by at most {largest:.4f}"
            ),
        )
    )
    report.details.append(
        f"dask_vs_local_{n // 1000}k: {sentences:,} sentences; framing score --engine local "
        f"{local.wall:.1f} s, --engine dask --workers {workers} {dask.wall:.1f} s (whole "
        f"processes, fresh caches, cluster start and model loading included). {REAL_CLUSTER}"
    )
    return numbers


# --- standalone -------------------------------------------------------------------------------


@dataclass
class _Run:
    wall: float


@dataclass
class _Row:
    metric: str
    framing: str
    baseline: str
    ratio: float | None
    target: str
    passed: bool | None
    note: str = ""


@dataclass
class _Report:
    rows: list = field(default_factory=list)
    details: list = field(default_factory=list)

    def add(self, row) -> None:
        self.rows.append(row)
        ratio = f"{row.ratio:.3f}" if row.ratio is not None else "-"
        cells = [row.metric, row.framing, row.baseline, ratio, row.target, "-", row.note]
        print("| " + " | ".join(cells) + " |", flush=True)


def _framing(*args) -> _Run:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "framing", *map(str, args)], cwd=ROOT, capture_output=True, text=True
    )
    wall = time.perf_counter() - start
    if done.returncode != 0:
        command = " ".join(map(str, args))
        sys.exit(f"framing {command} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return _Run(wall)


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    folder = ROOT / "out" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    print("| metric | framing | baseline | ratio | target | pass | note |")
    print("|---|---|---|---|---|---|---|")
    out = _Report()
    measure(out, _Row, folder, _framing, n=size)
    print("\n" + "\n".join(out.details))
