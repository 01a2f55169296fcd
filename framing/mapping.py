"""The map pipeline: scored records and their sentence vectors -> every file of `framing map`.

``make_map`` fits a ``framing.maps.RhetoricMap`` (projection and clusters) on the sentence
vectors, names the clusters, profiles the groups (``framing.profile``), draws the figures
(``framing.plots``) and writes them with points.csv (and points.parquet with pyarrow) and
map.meta.json. Every file is written into a hidden staging folder inside the output folder
and moved into place only once all of them exist, so a failed or interrupted run leaves no
partial files. A notebook calls it as the CLI does::

    vectors = []
    records = list(score_documents(docs, scorer, vectors=vectors))
    make_map(records, np.concatenate(vectors), "out/map", lexicon=scorer.lexicon)

Notes a user should see (PCA instead of UMAP, a figure not drawn) go to the ``framing``
logger at INFO; the CLI prints them.
"""

from __future__ import annotations

import csv
import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from framing.errors import FramingError

__all__ = [
    "COLOR_BY",
    "DEFAULT_AXES",
    "MAP_FILES",
    "POINT_COLUMNS",
    "Stages",
    "default_axes",
    "default_title",
    "make_map",
    "check_map_targets",
    "recover_staging",
    "staged_folder",
    "write_points_csv",
    "write_points_parquet",
]

logger = logging.getLogger(__name__)

DEFAULT_AXES = ("operation_vs_invasion", "liberation_vs_occupation")
COLOR_BY = ("side", "speaker", "cluster", "top_frame")
# every file `make_map` may write into its folder (which ones depends on the lexicon and pyarrow)
MAP_FILES = (
    "map.png",
    "map.svg",
    "map.html",
    "heatmap.png",
    "axes.png",
    "points.csv",
    "points.parquet",
    "map.meta.json",
)
POINT_COLUMNS = ("doc", "sentence", "speaker", "side", "x", "y", "cluster", "top_frame", "text")


def default_axes(known: Sequence[str]) -> tuple[str, str] | None:
    """The axes of axes.png when none are asked for: the default pair when the lexicon has
    both, else its first two; None when it has fewer than two."""
    if all(a in known for a in DEFAULT_AXES):
        return DEFAULT_AXES
    return (known[0], known[1]) if len(known) >= 2 else None


# --- progress and timings ------------------------------------------------------------------


class Stages:
    """One progress line per stage on stderr (when it is a terminal, or FRAMING_PROGRESS=1),
    and every stage's wall time in ``timings`` and this process's CPU time in ``cpu``
    (on a shared machine the wall time says as much about the neighbours as about us)."""

    def __init__(self, enabled: bool | None = None):
        if enabled is None:
            enabled = sys.stderr.isatty() or os.environ.get("FRAMING_PROGRESS") == "1"
        self.enabled = enabled
        self.timings: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self._bar = None

    def __enter__(self) -> Stages:
        if self.enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                Progress,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
            )

            self._bar = Progress(
                SpinnerColumn(finished_text="[green]✓"),
                TextColumn("[bold]{task.description:<16}"),
                BarColumn(bar_width=24),
                TextColumn("{task.fields[count]:<18}"),
                TimeElapsedColumn(),
                console=Console(stderr=True),
            )
            self._bar.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)

    @contextmanager
    def stage(
        self, name: str, total: int | None = None, unit: str = "", quiet: bool = False
    ) -> Iterator[Callable[[int], None]]:
        """Time a stage; yields ``advance(n)`` for stages that count their ``unit``s (a
        bar when ``total`` is known, a running count otherwise). ``quiet``: timed only."""
        bar = None if quiet else self._bar
        task = bar.add_task(name, total=total, count="") if bar is not None else None
        start, start_cpu = time.perf_counter(), time.process_time()
        done = 0

        def advance(n: int = 1) -> None:
            nonlocal done
            done += n
            if task is not None:
                count = f"{done:,}/{total:,} {unit}" if total else f"{done:,} {unit}"
                bar.update(task, advance=n, count=count.strip())

        yield advance
        self.timings[name] = round(time.perf_counter() - start, 3)
        self.cpu[name] = round(time.process_time() - start_cpu, 3)
        if task is not None:
            bar.update(task, total=max(done, 1), completed=max(done, 1))


# --- writing -------------------------------------------------------------------------------


MOVING = ".moving"  # a staging folder's journal: the names being moved into place


@contextmanager
def staged_folder(folder: Path) -> Iterator[Path]:
    """A hidden folder inside ``folder`` to write into; on success its files replace those
    of the same name in ``folder`` in one step: all of them or none.

    - A target that cannot be replaced (a folder named ``points.csv``) fails before any
      file moves.
    - During the moves Ctrl-C and SIGTERM wait (``deferred_interrupts``); an error part-way
      puts the old files back (each was hard-linked aside first).
    - A SIGKILL part-way leaves the journal ``.moving``: the next run into ``folder``
      finishes those moves first (``recover_staging``), and removes staging left by
      killed runs older than a day.

    On any failure before the moves the staging folder is removed (and ``folder`` too, if
    this run created it), so no partial output is left."""
    from framing.io import remove_stale_parts

    created = not folder.exists()
    try:
        folder.mkdir(exist_ok=True)
        recover_staging(folder)
        remove_stale_parts(folder)
        stage = Path(tempfile.mkdtemp(dir=folder, prefix=".framing-map-", suffix=".part"))
    except OSError as exc:
        raise FramingError(f"-o {folder}: cannot write ({exc.strerror or exc})") from None
    try:
        yield stage
        _swap_in(stage, folder)
    except BaseException:
        if not (stage / MOVING).exists():
            shutil.rmtree(stage, ignore_errors=True)
        if created:
            try:
                folder.rmdir()
            except OSError:
                pass
        raise
    shutil.rmtree(stage, ignore_errors=True)


def check_map_targets(folder: Path, names: Sequence[str]) -> None:
    """Fail (one line) when a file the map writes could not replace what is in ``folder``
    under its name: a folder, or anything but a file or link."""
    for name in names:
        target = folder / name
        if target.is_dir() and not target.is_symlink():
            raise FramingError(
                f"{target}: is a folder, and the map writes a file of that name; "
                "move it away or choose another -o"
            )


def _swap_in(stage: Path, folder: Path) -> None:
    import json

    from framing.io import deferred_interrupts

    names = sorted(p.name for p in stage.iterdir())
    check_map_targets(folder, names)
    backup = stage / ".old"
    backup.mkdir()
    moved: list[tuple[str, bool]] = []
    with deferred_interrupts():
        journal = {"pid": os.getpid(), "names": names}
        (stage / MOVING).write_text(json.dumps(journal), encoding="utf-8")
        try:
            for name in names:
                target = folder / name
                existed = os.path.lexists(target)
                if existed:
                    _keep_aside(target, backup / name)
                os.replace(stage / name, target)
                moved.append((name, existed))
            (stage / MOVING).unlink()
        except OSError as exc:
            for name, existed in reversed(moved):  # put the old files back: all-old
                if existed:
                    os.replace(backup / name, folder / name)
                else:
                    os.unlink(folder / name)
            (stage / MOVING).unlink()
            raise FramingError(
                f"-o {folder}: cannot put {name} in place ({exc.strerror or exc}); "
                "the folder is left as it was"
            ) from None


def _keep_aside(target: Path, kept: Path) -> None:
    """A second name for ``target`` (a hard link; a copy where links are not allowed)."""
    try:
        os.link(target, kept, follow_symlinks=False)
    except OSError:
        shutil.copy2(target, kept, follow_symlinks=False)


def recover_staging(folder: Path) -> list[str]:
    """Finish the moves of a map run killed (SIGKILL) while it moved its files into
    ``folder``, so the folder holds its new files, all of them; returns the names moved."""
    import json

    moved: list[str] = []
    for stage in sorted(folder.glob(".framing-map-*.part")):
        try:
            journal = json.loads((stage / MOVING).read_text(encoding="utf-8"))
            pid = int(journal["pid"])
            names = [str(n) for n in journal["names"]]
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if _alive(pid):
            continue
        for name in names:
            if (stage / name).exists():
                os.replace(stage / name, folder / Path(name).name)
                moved.append(name)
        shutil.rmtree(stage, ignore_errors=True)
        if moved:
            logger.info(f"{folder}: finished moving {len(moved)} file(s) of an interrupted run")
    return moved


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def write_points_csv(path: Path, points: Sequence[dict]) -> None:
    """points.csv: one row per sentence (``POINT_COLUMNS``), text cells guarded against
    spreadsheet formulas (``framing.io.spreadsheet_safe``)."""
    from framing.io import spreadsheet_safe

    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=POINT_COLUMNS, extrasaction="ignore", lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows({c: spreadsheet_safe(p.get(c)) for c in POINT_COLUMNS} for p in points)


def write_points_parquet(path: Path, points: Sequence[dict]) -> bool:
    """points.parquet when pyarrow is installed; False when it is not."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        return False
    columns = {c: [p[c] for p in points] for c in POINT_COLUMNS}
    types = {"sentence": pa.int64(), "x": pa.float64(), "y": pa.float64(), "cluster": pa.int64()}
    table = pa.table({c: pa.array(v, type=types.get(c, pa.string())) for c, v in columns.items()})
    pq.write_table(table, path)
    return True


def default_title(paths: Sequence[str]) -> str:
    """The map's title from its inputs: the file's name for one file."""
    if len(paths) == 1 and paths[0] != "-":
        return f"Rhetoric map: {Path(paths[0]).stem or paths[0]}"
    return "Rhetoric map"


def make_map(
    records: Sequence[dict],
    vectors,
    out_dir: str | Path,
    *,
    lexicon,
    rmap=None,
    axes: tuple[str, str] | None | str = "default",
    color_by: str = "side",
    by: str = "speaker",
    n_boot: int = 1000,
    min_n: int = 5,
    seed: int = 0,
    title: str = "Rhetoric map",
    stages: Stages | None = None,
    provenance: dict | None = None,
    embedder=None,
) -> list[str]:
    """Fit the map, draw every figure and write every file of `framing map` into
    ``out_dir`` (created if missing; files of the same names are replaced only once all
    are written); returns the names written.

    ``records`` are scored sentence records and ``vectors`` their sentence embeddings, one
    row each, in order (``score_documents(..., vectors=[])`` hands them back). ``lexicon``
    names the frames and axes; ``rmap`` is a ``framing.maps.RhetoricMap`` (default: one
    seeded with ``seed``). ``axes`` is the pair of axes.png (default: ``default_axes``;
    None: no axes.png). ``provenance`` (``framing.provenance.provenance()``) goes into
    map.meta.json with the map's own section; ``embedder`` adds its cache hits.
    """
    from framing.maps import RhetoricMap, cluster_regions, cluster_summaries, point_rows
    from framing.profile import axis_positions, profile_records
    from framing.records import group_sides

    if color_by not in COLOR_BY:
        raise FramingError(f"--color-by must be one of {', '.join(COLOR_BY)}; got {color_by!r}")
    if len(records) == 0:
        raise FramingError("no sentences to map")
    if len(vectors) != len(records):
        raise ValueError(f"make_map: {len(vectors)} vectors for {len(records)} records")
    lex = lexicon
    axis_pair = default_axes(lex.axis_ids) if axes == "default" else axes
    rmap = rmap if rmap is not None else RhetoricMap(random_state=seed)
    stages = stages if stages is not None else Stages(enabled=False)
    output = Path(out_dir)
    rmap.fit(vectors, stage=stages.stage)
    for notice in rmap.notices_:
        logger.info(notice)
    texts = [r["text"] for r in records]
    with stages.stage("naming clusters"):
        summaries = cluster_summaries(
            rmap.embedding_2d_, rmap.labels_, texts, [r.get("top_frame") for r in records]
        )
        regions = cluster_regions(rmap.embedding_2d_, rmap.labels_)
    points = point_rows(records, rmap.embedding_2d_, rmap.labels_)
    with stages.stage("profiles"):
        profile = profile_records(
            records, by=by, frames=lex.frame_ids, n_boot=n_boot, seed=seed, min_n=min_n
        )
        positions = (
            axis_positions(
                records, by=by, axes=list(axis_pair), n_boot=n_boot, seed=seed, min_n=min_n
            )
            if axis_pair
            else []
        )
        sides = group_sides(records, by)
    n_docs = len({r["doc"] for r in records})
    method_name = {"umap": "UMAP", "pca": "PCA"}.get(rmap.method_, rmap.method_)
    subtitle = (
        f"{len(records):,} sentences from {n_docs:,} document{'s' if n_docs != 1 else ''} · "
        f"{rmap.n_clusters_} cluster{'s' if rmap.n_clusters_ != 1 else ''} "
        f"({rmap.clustering_.upper()}) · {method_name} projection, seed {seed}"
    )
    run = dict(provenance or {})
    run["map"] = {
        "sentences": len(records),
        "documents": n_docs,
        "projection": rmap.method_,
        "n_neighbors": rmap.n_neighbors_,
        "clustering": rmap.clustering_,
        "min_cluster_size": getattr(rmap, "min_cluster_size_", None),
        "n_clusters": rmap.n_clusters_,
        "unclustered": int((rmap.labels_ == -1).sum()),
        "notices": list(rmap.notices_),
        "axes": list(axis_pair) if axis_pair else None,
        "clusters": summaries,
    }
    if embedder is not None:
        run["map"]["embedding_cache"] = {
            "hits": getattr(embedder, "cache_hits", None),
            "misses": getattr(embedder, "cache_misses", None),
        }
    from framing import plots

    frame_order = lex.frame_ids
    frame_labels = {f.id: f.label for f in lex.frames}
    jobs: list[tuple[str, Callable[[Path], None]]] = []

    def figure_job(name: str, build: Callable[[], object], fmt: str | None = None):
        def job(path: Path, build=build):
            fig = build()
            plots.save_figure(fig, path, fmt)

        jobs.append((name, job))

    # the static and the interactive map are two renderings of one map
    same_map = dict(
        color_by=color_by,
        frame_order=frame_order,
        frame_labels=frame_labels,
        title=title,
        method=rmap.method_,
    )

    def map_fig():
        return plots.map_figure(
            points, summaries, regions, subtitle=f"{subtitle} · colour: {color_by}", **same_map
        )

    figure_job("map.png", map_fig)
    figure_job("map.svg", map_fig)

    def html_job(path: Path) -> None:
        page = plots.map_html(
            points, summaries, regions, subtitle=subtitle, provenance=run, **same_map
        )
        path.write_text(page, encoding="utf-8")

    jobs.append(("map.html", html_job))
    figure_job(
        "heatmap.png",
        lambda: plots.heatmap_figure(
            profile,
            frame_labels=frame_labels,
            group_sides=sides,
            min_n=min_n,
            by=by,
            title="How each actor frames the war"
            if by == "speaker"
            else "How each side frames the war",
        ),
    )
    if axis_pair:
        # the poles by the frames' labels ("Special operation"), as the heatmap names them
        poles = {
            a.id: (frame_labels.get(a.left, a.left), frame_labels.get(a.right, a.right))
            for a in lex.axes
        }
        figure_job(
            "axes.png",
            lambda: plots.axes_figure(
                positions,
                x_axis=axis_pair[0],
                y_axis=axis_pair[1],
                poles=poles,
                group_sides=sides,
                min_n=min_n,
                by=by,
                title="Where each actor stands" if by == "speaker" else "Where each side stands",
            ),
        )
    else:
        logger.info(
            f"axes.png not drawn: the lexicon has {len(lex.axis_ids)} axis/axes; it takes two"
        )
    jobs.append(("points.csv", lambda path: write_points_csv(path, points)))
    written: list[str] = []
    with (
        staged_folder(output) as folder,
        stages.stage("writing", total=len(jobs) + 2, unit="files") as advance,
    ):
        for name, job in jobs:
            with stages.stage(f"writing {name}", quiet=True):
                job(folder / name)
            written.append(name)
            advance(1)
        if write_points_parquet(folder / "points.parquet", points):
            written.append("points.parquet")
        advance(1)
        run["map"]["files"] = [*written, "map.meta.json"]
        run["map"]["timings_s"] = dict(stages.timings)
        run["map"]["cpu_s"] = dict(stages.cpu)
        from framing.io import write_json_atomic

        write_json_atomic(folder / "map.meta.json", run)
        written.append("map.meta.json")
        advance(1)
    return written
