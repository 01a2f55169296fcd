"""`framing map`: where each sentence sits, how the rhetoric clusters, who owns which region.

Parses options and wires library calls: documents are scored as by `framing score` (which
fills, or reads, the same embedding cache), the sentence vectors go to
``framing.maps.RhetoricMap``, the figures come from ``framing.plots``, per-actor numbers from
``framing.profile``. Every file is written into a hidden staging folder inside the output
folder and moved into place only once all of them exist, so a failed or interrupted run
leaves no partial files.
"""

from __future__ import annotations

import csv
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from framing.cli.actors import ActorsOption
from framing.cli.common import (
    BackendOption,
    BatchSizeOption,
    CacheDirOption,
    EncodingOption,
    IdFieldOption,
    LexicalWeightOption,
    LexiconOption,
    ModelOption,
    NoCacheOption,
    PathsArgument,
    SpeakerFieldOption,
    StrictOption,
    TextFieldOption,
    note,
    read_documents,
    user_errors,
)
from framing.errors import FramingError

DEFAULT_AXES = ("operation_vs_invasion", "liberation_vs_occupation")
COLOR_BY = ("side", "speaker", "cluster", "top_frame")
POINT_COLUMNS = ("doc", "sentence", "speaker", "side", "x", "y", "cluster", "top_frame", "text")


# --- option parsing ------------------------------------------------------------------------


def parse_clusters(value: str | None) -> int | None:
    """``--clusters``: None (HDBSCAN) or an integer >= 2 (KMeans)."""
    if value is None:
        return None
    try:
        k = int(value.strip())
    except ValueError:
        k = None
    if k is None or k < 2:
        raise FramingError(f"--clusters must be an integer ≥ 2; got {value}")
    return k


def resolve_axes(value: str | None, known: Sequence[str]) -> tuple[str, str] | None:
    """``--axes X,Y`` checked against the lexicon's axes; without it the default pair, else
    the lexicon's first two axes; None when the lexicon has fewer than two."""
    known_list = ", ".join(known) or "none"
    if value is None:
        if all(a in known for a in DEFAULT_AXES):
            return DEFAULT_AXES
        return (known[0], known[1]) if len(known) >= 2 else None
    names = [v.strip() for v in value.split(",")]
    if len(names) != 2 or not all(names) or names[0] == names[1]:
        raise FramingError(f"--axes must be two different axis ids as X,Y; got {value!r}")
    for name in names:
        if name not in known:
            raise FramingError(f"--axes: unknown axis {name!r} (the lexicon's axes: {known_list})")
    return names[0], names[1]


def check_output_folder(folder: Path) -> None:
    """-o must be a folder, or a path whose parent folder exists (it is then created)."""
    if folder.exists() and not folder.is_dir():
        raise FramingError(f"-o {folder}: is a file, not a folder; give a folder to write into")
    parent = folder.resolve().parent
    if not folder.exists() and not parent.is_dir():
        raise FramingError(f"-o {folder}: parent folder {parent} does not exist")


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


class _KeptVectors:
    """The embedder as the scorer sees it, keeping every vector it hands out, so the map
    needs no second encode (with or without the cache)."""

    def __init__(self, embedder):
        self.embedder = embedder
        self.kept: list = []

    def encode(self, texts, progress=None):
        vectors = self.embedder.encode(texts, progress=progress)
        self.kept.append(vectors)
        return vectors

    def __getattr__(self, name):
        return getattr(self.embedder, name)


# --- writing -------------------------------------------------------------------------------


@contextmanager
def staged_folder(folder: Path) -> Iterator[Path]:
    """A hidden folder inside ``folder`` to write into; on success its files replace those
    of the same name in ``folder``; on any failure it is removed (and ``folder`` too, if this
    run created it), so no partial output is left."""
    created = not folder.exists()
    try:
        folder.mkdir(exist_ok=True)
        stage = Path(tempfile.mkdtemp(dir=folder, prefix=".framing-map-", suffix=".part"))
    except OSError as exc:
        raise FramingError(f"-o {folder}: cannot write ({exc.strerror or exc})") from None
    try:
        yield stage
        for item in sorted(stage.iterdir()):
            os.replace(item, folder / item.name)
        stage.rmdir()
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        if created:
            try:
                folder.rmdir()
            except OSError:
                pass
        raise


def write_points_csv(path: Path, points: Sequence[dict]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=POINT_COLUMNS, extrasaction="ignore", lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(points)


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


# --- the command ---------------------------------------------------------------------------


def map_command(
    paths: PathsArgument,
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="Folder to write into; created if missing (its parent must exist).",
            show_default=False,
        ),
    ],
    color_by: Annotated[
        str,
        typer.Option("--color-by", help="Colour points by side, speaker, cluster or top_frame."),
    ] = "side",
    clusters: Annotated[
        str | None,
        typer.Option(
            "--clusters",
            help="Make N clusters with KMeans. Default: HDBSCAN finds them.",
            show_default=False,
            metavar="N",
        ),
    ] = None,
    min_cluster_size: Annotated[
        int | None,
        typer.Option(
            "--min-cluster-size",
            help="HDBSCAN's smallest cluster. Default: max(5, sentences / 50).",
            show_default=False,
        ),
    ] = None,
    axes: Annotated[
        str | None,
        typer.Option(
            "--axes",
            help="Two axes for axes.png as X,Y. Default: "
            "operation_vs_invasion,liberation_vs_occupation (or the lexicon's first two).",
            show_default=False,
            metavar="X,Y",
        ),
    ] = None,
    by: Annotated[
        str, typer.Option("--by", help="Group heatmap.png and axes.png by speaker or side.")
    ] = "speaker",
    neighbors: Annotated[
        int, typer.Option("--neighbors", help="UMAP's neighbourhood size (local vs global shape).")
    ] = 15,
    min_dist: Annotated[
        float, typer.Option("--min-dist", help="UMAP's minimum distance between points.")
    ] = 0.1,
    seed: Annotated[
        int, typer.Option("--seed", help="Seed of UMAP, KMeans and the bootstrap.")
    ] = 0,
    n_boot: Annotated[int, typer.Option("--boot", help="Bootstrap resamples per group.")] = 1000,
    min_n: Annotated[
        int, typer.Option("--min-n", help="Groups with fewer sentences are marked small samples.")
    ] = 5,
    title: Annotated[
        str | None,
        typer.Option(
            "--title", help="Title of the map. Default: from the input.", show_default=False
        ),
    ] = None,
    lexicon: LexiconOption = None,
    actors_file: ActorsOption = None,
    model: ModelOption = None,
    text_field: TextFieldOption = "text",
    id_field: IdFieldOption = None,
    speaker_field: SpeakerFieldOption = None,
    encoding: EncodingOption = "utf-8",
    strict: StrictOption = False,
    cache_dir: CacheDirOption = None,
    no_cache: NoCacheOption = False,
    batch_size: BatchSizeOption = 32,
    backend: BackendOption = "torch",
    lexical_weight: LexicalWeightOption = 0.5,
) -> None:
    """Map how the rhetoric clusters: every sentence projected to 2-D (UMAP), clustered
    (HDBSCAN, or KMeans with --clusters), and plotted.

    Writes into the -o folder: map.png and map.svg (points coloured by side, clusters
    labelled with their top frames and most distinctive words), map.html (interactive, works
    offline), heatmap.png (actor x frame), axes.png (each actor on two framing axes, with 95%
    intervals), points.csv (and points.parquet with pyarrow) and map.meta.json. The same
    input and options give the same coordinates and clusters.

    Example: framing map seeds/antalya_talks_2022-03.txt -o out/antalya
    """
    with user_errors():
        from framing.lexicon import DEFAULT_LEXICON, load_lexicons

        if color_by not in COLOR_BY:
            raise FramingError(f"--color-by must be one of {', '.join(COLOR_BY)}; got {color_by!r}")
        n_clusters = parse_clusters(clusters)
        check_output_folder(output)
        lex = load_lexicons(lexicon or [DEFAULT_LEXICON])
        axis_pair = resolve_axes(axes, lex.axis_ids)

        from framing.maps import RhetoricMap
        from framing.profile import profile_records

        rmap = RhetoricMap(
            n_neighbors=neighbors,
            min_dist=min_dist,
            n_clusters=n_clusters,
            min_cluster_size=min_cluster_size,
            random_state=seed,
        )
        rmap.check_params()  # bad numbers fail before the model loads
        profile_records([], by=by, n_boot=n_boot, seed=seed, min_n=min_n)

        from framing.actors import load_actors
        from framing.embed import Embedder
        from framing.pipeline import score_documents
        from framing.score import FrameScorer

        registry = load_actors(actors_file)
        from framing.io import ReadOptions

        read = ReadOptions(
            text_field=text_field,
            id_field=id_field,
            speaker_field=speaker_field,
            encoding=encoding,
            strict=strict,
        )
        documents = read_documents(paths, read, embeds=True, model=model)
        embedder = Embedder(
            model,
            cache_dir=cache_dir,
            use_cache=not no_cache,
            batch_size=batch_size,
            backend=backend,
        )
        kept = _KeptVectors(embedder)
        scorer = FrameScorer(lex, kept, lexical_weight=lexical_weight).fit()
        kept.kept.clear()  # the exemplars' vectors: not sentences

        options = {
            "color_by": color_by,
            "clusters": n_clusters,
            "min_cluster_size": min_cluster_size,
            "axes": list(axis_pair) if axis_pair else None,
            "by": by,
            "neighbors": neighbors,
            "min_dist": min_dist,
            "seed": seed,
            "boot": n_boot,
            "min_n": min_n,
            "title": title,
            "lexicons": lexicon or [DEFAULT_LEXICON],
            "actors": actors_file,
            "model": model,
            **asdict(read),
            "batch_size": batch_size,
            "backend": backend,
            "lexical_weight": lexical_weight,
        }
        with Stages() as stages:
            with stages.stage("scoring", unit="sentences") as advance:
                records = list(
                    score_documents(documents, scorer, actors=registry, progress=advance)
                )
            if not records:
                raise FramingError(f"{', '.join(paths)}: no sentences to map")
            import numpy as np

            vectors = np.concatenate(kept.kept)
            if len(vectors) != len(records):  # the pipeline encodes each sentence once, in order
                raise RuntimeError(f"{len(vectors)} vectors for {len(records)} sentences")
            written = _make_map(
                records,
                vectors,
                output,
                rmap=rmap,
                lex=lex,
                axis_pair=axis_pair,
                color_by=color_by,
                by=by,
                n_boot=n_boot,
                min_n=min_n,
                seed=seed,
                title=title or _default_title(paths),
                stages=stages,
                meta={
                    "command": "map",
                    "options": options,
                    "embedder": embedder,
                    "lexicon": lex,
                    "inputs": paths,
                },
            )
        typer.echo(
            f"framing: wrote {', '.join(written)} to {output} ({len(records):,} sentences, "
            f"{rmap.n_clusters_} cluster{'s' if rmap.n_clusters_ != 1 else ''})",
            err=True,
        )


def _default_title(paths: Sequence[str]) -> str:
    if len(paths) == 1 and paths[0] != "-":
        return f"Rhetoric map: {Path(paths[0]).stem or paths[0]}"
    return "Rhetoric map"


def _make_map(
    records,
    vectors,
    output: Path,
    *,
    rmap,
    lex,
    axis_pair,
    color_by,
    by,
    n_boot,
    min_n,
    seed,
    title,
    stages: Stages,
    meta: dict,
) -> list[str]:
    """Fit the map, draw every figure and write every file of `framing map`; returns the
    names written."""
    from framing.maps import cluster_regions, cluster_summaries, group_sides, point_rows
    from framing.profile import axis_positions, profile_records
    from framing.provenance import provenance

    rmap.fit(vectors, stage=stages.stage)
    for notice in rmap.notices_:
        note(notice)
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
    run = provenance(
        command=meta["command"],
        options=meta["options"],
        embedder=meta["embedder"],
        lexicon=meta["lexicon"],
        inputs=meta["inputs"],
    )
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
        "embedding_cache": {
            "hits": meta["embedder"].cache_hits,
            "misses": meta["embedder"].cache_misses,
        },
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
        note(f"axes.png not drawn: the lexicon has {len(lex.axis_ids)} axis/axes; it takes two")
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
