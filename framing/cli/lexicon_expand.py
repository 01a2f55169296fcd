"""`framing lexicon expand`: propose terms a frame's lexicon misses, from a corpus."""

from __future__ import annotations

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
    MetaOption,
    ModelOption,
    NoCacheOption,
    PathsArgument,
    SpeakerFieldOption,
    StrictOption,
    TextFieldOption,
    note,
    refuse_output_over_inputs,
    user_errors,
)


def expand(
    paths: PathsArgument,
    frame: Annotated[
        str, typer.Option("--frame", help="The frame id to find new terms for.", show_default=False)
    ],
    top: Annotated[int, typer.Option("--top", min=1, help="Candidates to propose.")] = 20,
    min_count: Annotated[
        int,
        typer.Option("--min-count", min=1, help="Fewest sentences of the frame using a candidate."),
    ] = 3,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the candidates (TOML) here instead of stdout; never one of your "
            "lexicon files.",
            show_default=False,
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
    meta: MetaOption = True,
) -> None:
    """Propose terms for a frame from a corpus, as a TOML fragment to review.

    Candidates are 1-3-grams that are frequent in the frame's sentences (its top-frame
    sentences and those holding its terms), distinctive against the rest of the corpus
    (log-odds with an informative Dirichlet prior, z >= 1.96), and closer in meaning to the
    frame's terms than to any other frame's. Each comes with a suggested weight, its counts
    and two example sentences, in comments. Offline and deterministic; your lexicon is never
    changed: review the file, then copy the terms you keep into it.

    Example: framing lexicon expand corpus/ --frame invasion --top 20 -o candidates.toml
    """
    with user_errors():
        from framing.cli.discover_common import CorpusOptions, load_scorer, score_paths, write_meta
        from framing.discover.expand import HEADER, candidates_toml, expand_frame
        from framing.errors import FramingError
        from framing.io import atomic_output

        opts = CorpusOptions(
            paths=list(paths),
            lexicon=lexicon,
            actors=actors_file,
            model=model,
            text_field=text_field,
            id_field=id_field,
            speaker_field=speaker_field,
            encoding=encoding,
            strict=strict,
            cache_dir=cache_dir,
            no_cache=no_cache,
            batch_size=batch_size,
            backend=backend,
            lexical_weight=lexical_weight,
        )
        _refuse_lexicon(output, lexicon or [], HEADER)  # expand's own words for a lexicon
        refuse_output_over_inputs(
            [output],
            paths,
            opts.scoring,
            meta=meta,
        )
        lex, registry, scorer = load_scorer(opts)
        if frame not in lex.frame_ids:
            raise FramingError(
                f"--frame: unknown frame {frame!r} (frames: {', '.join(lex.frame_ids)})"
            )
        corpus = score_paths(opts, scorer, registry, with_segments=False)
        candidates = expand_frame(
            corpus.scores, frame, lex, scorer.embedder_, top=top, min_count=min_count
        )
        if not len(candidates):
            raise FramingError(
                f"--frame {frame}: no candidate term is used in {min_count} or more of its "
                f"{candidates.attrs.get('near_sentences', 0) or 'few'} sentences, distinctive and "
                "near it in meaning; try a larger corpus or a lower --min-count"
            )
        label = next(f.label for f in lex.frames if f.id == frame)
        text = candidates_toml(candidates, frame, label, source=", ".join(paths))
        with atomic_output(output) as stream:
            stream.write(text)
        if output is not None:
            if meta:
                write_meta(
                    Path(f"{output}.meta.json"),
                    "lexicon expand",
                    {
                        **opts.provenance_options(),
                        "frame": frame,
                        "top": top,
                        "min_count": min_count,
                    },
                    scorer,
                    paths,
                    candidates=candidates.to_dict("records"),
                    frame_sentences=candidates.attrs.get("near_sentences"),
                    sentences=candidates.attrs.get("sentences"),
                )
            note(
                f"wrote {len(candidates)} candidate terms for {frame} to {output}; review them, "
                f"then check with: framing lexicon check {output}"
            )


def _refuse_lexicon(output: Path | None, lexicons: list[str], header: str) -> None:
    """Never write over a lexicon: not one given with -l, nor any existing file that this
    command did not write."""
    from framing.errors import FramingError

    if output is None or str(output) == "-" or not output.exists():
        return
    for given in lexicons:
        path = Path(given)
        if path.exists() and path.resolve() == output.resolve():
            raise FramingError(f"-o {output}: is a lexicon given with -l; expand never edits it")
    try:
        first = output.read_text(encoding="utf-8", errors="replace").split("\n", 1)[0]
    except OSError:
        return
    if not first.startswith(header):
        raise FramingError(
            f"-o {output}: exists and was not written by 'framing lexicon expand'; "
            "choose a new file (expand never edits a lexicon in place)"
        )
