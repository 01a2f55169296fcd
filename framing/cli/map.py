"""`framing map`: where each sentence sits, how the rhetoric clusters, who owns which region.

Parses options only: documents are scored as by `framing score` (which fills, or reads, the
same embedding cache), and ``framing.mapping.make_map`` makes every file from the records
and their sentence vectors.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
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
    ScoringOptions,
    SpeakerFieldOption,
    StrictOption,
    TextFieldOption,
    build_scorer,
    check_grouping,
    read_documents,
    refuse_output_over_inputs,
    run_options,
    user_errors,
)
from framing.errors import FramingError


@dataclass(frozen=True)
class MapOptions:
    """The map's own options (recorded in map.meta.json with the scoring and read options)."""

    color_by: str
    clusters: int | None
    min_cluster_size: int | None
    axes: tuple[str, str] | None
    by: str
    neighbors: int
    min_dist: float
    seed: int
    boot: int
    min_n: int
    title: str | None

    def __post_init__(self) -> None:
        check_grouping(self.by, self.boot, self.min_n)


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
    from framing.mapping import default_axes

    known_list = ", ".join(known) or "none"
    if value is None:
        return default_axes(known)
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
    backend: BackendOption = "onnx",
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
        from framing.mapping import (
            COLOR_BY,
            MAP_FILES,
            Stages,
            check_map_targets,
            default_title,
            make_map,
        )

        if color_by not in COLOR_BY:
            raise FramingError(f"--color-by must be one of {', '.join(COLOR_BY)}; got {color_by!r}")
        n_clusters = parse_clusters(clusters)
        check_output_folder(output)
        scoring = ScoringOptions(
            lexicon, actors_file, model, cache_dir, no_cache, batch_size, backend, lexical_weight
        )
        refuse_output_over_inputs(
            [output / name for name in MAP_FILES], paths, scoring, writable=False
        )
        check_map_targets(output, MAP_FILES)
        lex = scoring.load_lexicon()
        axis_pair = resolve_axes(axes, lex.axis_ids)
        map_options = MapOptions(
            color_by=color_by,
            clusters=n_clusters,
            min_cluster_size=min_cluster_size,
            axes=axis_pair,
            by=by,
            neighbors=neighbors,
            min_dist=min_dist,
            seed=seed,
            boot=n_boot,
            min_n=min_n,
            title=title,
        )

        from framing.maps import RhetoricMap

        rmap = RhetoricMap(
            n_neighbors=neighbors,
            min_dist=min_dist,
            n_clusters=n_clusters,
            min_cluster_size=min_cluster_size,
            random_state=seed,
            # numba's compiled code is kept only under a cache folder the user named
            numba_cache=None if no_cache else cache_dir,
        )
        rmap.check_params()  # bad numbers fail before the model loads

        from framing.io import ReadOptions
        from framing.pipeline import score_documents
        from framing.provenance import provenance

        registry = scoring.load_actors()
        read = ReadOptions(
            text_field=text_field,
            id_field=id_field,
            speaker_field=speaker_field,
            encoding=encoding,
            strict=strict,
        )
        documents = read_documents(paths, read, check_script=False)
        scorer = build_scorer(scoring, lex)
        with Stages() as stages:
            batches: list = []
            with stages.stage("scoring", unit="sentences") as advance:
                records = list(
                    score_documents(
                        documents, scorer, actors=registry, progress=advance, vectors=batches
                    )
                )
            if not records:
                raise FramingError(f"{', '.join(paths)}: no sentences to map")
            import numpy as np

            run = provenance(
                command="map",
                options=run_options(map_options, scoring, read),
                embedder=scorer.embedder_,
                lexicon=lex,
                inputs=paths,
            )
            written = make_map(
                records,
                np.concatenate(batches),
                output,
                lexicon=lex,
                rmap=rmap,
                axes=axis_pair,
                color_by=color_by,
                by=by,
                n_boot=n_boot,
                min_n=min_n,
                seed=seed,
                title=title or default_title(paths),
                stages=stages,
                provenance=run,
                embedder=scorer.embedder_,
            )
        typer.echo(
            f"framing: wrote {', '.join(written)} to {output} ({len(records):,} sentences, "
            f"{rmap.n_clusters_} cluster{'s' if rmap.n_clusters_ != 1 else ''})",
            err=True,
        )
