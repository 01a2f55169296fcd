"""Readable terminal tables (rich) of scored sentences, matched terms highlighted."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import IO

__all__ = ["render_records", "console_for"]

TOP_N = 3
TEXT_MIN_WIDTH = 40


def console_for(stream: IO[str], pipe_width: int = 1000):
    """A rich console for ``stream``: the terminal's width and colours on a terminal; on a
    pipe or file plain text ``pipe_width`` wide (by default wide enough that tables keep
    their natural width and are never cut)."""
    from rich.console import Console

    interactive = hasattr(stream, "isatty") and stream.isatty()
    return Console(
        file=stream,
        width=None if interactive else pipe_width,
        no_color=not interactive,
        force_terminal=interactive,
        highlight=False,
        soft_wrap=False,
    )


def render_records(records: Sequence[dict], stream: IO[str], top_n: int = TOP_N) -> None:
    """Print one row per sentence: id, speaker, strongest frames, text with hits marked."""
    from rich.table import Table
    from rich.text import Text

    # the text column wraps, so a pipe or file gets a fixed, readable width
    console = console_for(stream, pipe_width=140)
    docs = list(dict.fromkeys(r["doc"] for r in records))
    labels = _doc_labels(docs)
    # one document: its name is the title and rows show the sentence number only
    title = docs[0] if len(docs) == 1 else None
    table = Table(show_lines=True, expand=False, title=title, title_justify="left")
    table.add_column("sentence", no_wrap=True)
    has_speaker = any(r.get("speaker") for r in records)
    if has_speaker:
        table.add_column("speaker")
    table.add_column("frames (combined score)")
    # a minimum width keeps long speaker names from squeezing the text into a ribbon
    table.add_column("text (matched terms in bold)", ratio=1, min_width=TEXT_MIN_WIDTH)
    for r in records:
        ranked = sorted(r["frames"].items(), key=lambda kv: -kv[1])[:top_n]
        frames = "\n".join(f"{f} {s:.2f}" for f, s in ranked if s > 0) or "-"
        text = Text(r["text"])
        offset = r["start"]
        for h in r.get("hits", []):
            style = "bold red" if h.get("negated") else "bold"
            text.stylize(style, h["start"] - offset, h["end"] - offset)
        marks = [_mark(h, r.get("speaker")) for h in r.get("hits", [])]
        if marks:
            text.append("\n[" + "; ".join(marks) + "]", style="dim")
        row = [f"{labels[r['doc']]}#{r['sentence_id']}"]
        if has_speaker:
            row.append(f"{r.get('speaker') or ''}\n{r.get('side') or ''}".strip())
        row += [frames, text]
        table.add_row(*row)
    console.print(table)


def _doc_labels(docs: Sequence[str]) -> dict[str, str]:
    """Short row labels: nothing for a single document (it is the title), else each path
    without the directory all of them share, so long absolute paths do not eat the width."""
    if len(docs) == 1:
        return {docs[0]: ""}
    try:
        shared = os.path.commonpath(docs)
    except ValueError:  # a mix of absolute and relative paths, or ids that are not paths
        shared = ""
    if shared in docs:  # every id is the same path plus a suffix; keep them whole
        shared = ""
    cut = len(shared) + 1 if shared else 0
    return {d: d[cut:] for d in docs}


def _mark(hit: dict, speaker: str | None) -> str:
    """'term→frame (quoted, Moscow)': notes say when a hit is negated or in another voice."""
    notes = [n for n, on in (("quoted", hit.get("quoted")), ("negated", hit.get("negated"))) if on]
    if hit.get("speaker") and hit.get("speaker") != speaker:
        notes.append(hit["speaker"])
    return f"{hit['term']}→{hit['frame']}" + (f" ({', '.join(notes)})" if notes else "")
