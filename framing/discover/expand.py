"""Terms a frame's lexicon misses, proposed from a scored corpus (offline, deterministic).

A candidate must pass three tests, each a class of evidence a reviewer can check:

1. **Frequent near the frame**: an n-gram (1-3 words, not starting or ending with a
   function word) used in at least ``min_count`` of the frame's sentences, those whose top
   frame it is or that hold one of its terms in their own voice.
2. **Distinctive**: its log-odds against the rest of the corpus, with an informative
   Dirichlet prior (Monroe et al. 2008; ``framing.discover.logodds``), has z >= ``min_z``
   (counting each sentence once).
3. **Near in meaning**: its embedding is closer to the frame (the mean of its terms'
   embeddings, or of its exemplars for a frame without terms) than to any other frame of
   the lexicon.

Terms already in the lexicon (after normalisation: "invaders" is "invasion"), parts of
them, n-grams holding one of the frame's terms or a two-word piece of one are left out.
Candidates are ranked by z x similarity; each comes with a suggested weight (the share
of its uses that fall in the frame's sentences, rounded to 0.1, at least 0.3), its counts
and two example sentences.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import TYPE_CHECKING

import numpy as np

from framing.discover.logodds import PRIOR_SCALE, log_odds_z
from framing.discover.voices import ngrams, word_runs
from framing.errors import FramingError

if TYPE_CHECKING:
    import pandas as pd

    from framing.lexicon import Lexicon

__all__ = ["expand_frame", "candidates_toml", "EXPAND_COLUMNS", "HEADER"]

EXPAND_COLUMNS = (
    "term",
    "weight",
    "count",
    "count_frame",
    "z",
    "similarity",
    "margin",
    "example_1",
    "example_2",
)
HEADER = "# framing lexicon expand:"
MIN_Z = 1.96
MIN_COUNT = 3
MAX_EMBED = 400  # the most distinctive n-grams embedded for the meaning test
MIN_WEIGHT = 0.3


def expand_frame(
    scores: pd.DataFrame,
    frame: str,
    lexicon: Lexicon,
    embedder,
    *,
    top: int = 20,
    min_count: int = MIN_COUNT,
    min_z: float = MIN_Z,
    n_max: int = 3,
) -> pd.DataFrame:
    """Candidate terms for ``frame`` from sentence rows (``records_to_frame`` columns), one
    row each (``EXPAND_COLUMNS``), best first; ``embedder`` embeds the candidates."""
    import pandas as pd

    from framing.tokens import term_key

    ids = lexicon.frame_ids
    if frame not in ids:
        raise FramingError(f"--frame: unknown frame {frame!r} (frames: {', '.join(ids)})")
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise FramingError(f"--top must be an integer >= 1; got {top!r}")
    if len(scores) == 0:
        raise FramingError("empty corpus: no sentences")
    tops = [t if isinstance(t, str) else None for t in scores["top_frame"]]
    lexical = scores.get(f"lexical:{frame}")
    has_term = (
        lexical.fillna(0).to_numpy(dtype=float) > 0
        if lexical is not None
        else np.zeros(len(scores), dtype=bool)
    )
    near = np.array([t == frame for t in tops]) | has_term
    if not near.any():
        raise FramingError(
            f"--frame {frame}: no sentence of the corpus is close to it (none has it as top "
            "frame or holds one of its terms); nothing to learn from"
        )
    texts = scores["text"].tolist()
    # each sentence counts a term once: a list that repeats it says no more about the frame
    sentence_grams = [{g for run in word_runs(t) for g in ngrams(run, n_max)} for t in texts]
    near_counts: Counter = Counter()
    rest_counts: Counter = Counter()
    for grams, is_near in zip(sentence_grams, near, strict=True):
        (near_counts if is_near else rest_counts).update(grams)

    known = {t.key for f in lexicon.frames for t in f.terms}
    own_keys = [t.key for t in lexicon.frames[ids.index(frame)].terms]
    vocabulary = sorted(t for t, c in near_counts.items() if c >= min_count)
    vocabulary = [t for t in vocabulary if not _covered(term_key(t), known, own_keys)]
    if not vocabulary:
        return _empty()
    y_near = np.array([near_counts[t] for t in vocabulary], dtype=float)
    y_rest = np.array([rest_counts.get(t, 0) for t in vocabulary], dtype=float)
    # the prior and the totals come from every n-gram, not only the candidates
    all_terms = sorted(set(near_counts) | set(rest_counts))
    index = {t: i for i, t in enumerate(all_terms)}
    full_near = np.array([near_counts.get(t, 0) for t in all_terms], dtype=float)
    full_rest = np.array([rest_counts.get(t, 0) for t in all_terms], dtype=float)
    _, z_all = log_odds_z(
        full_near, full_rest, prior=full_near + full_rest, prior_scale=PRIOR_SCALE
    )
    z = np.array([z_all[index[t]] for t in vocabulary])
    keep = z >= min_z
    if not keep.any():
        return _empty()
    cand = [t for t, ok in zip(vocabulary, keep, strict=True) if ok]
    z, y_near, y_rest = z[keep], y_near[keep], y_rest[keep]
    order = sorted(range(len(cand)), key=lambda i: (-z[i], cand[i]))[:MAX_EMBED]
    cand = [cand[i] for i in order]
    z, y_near, y_rest = z[order], y_near[order], y_rest[order]

    anchors = _frame_anchors(lexicon, embedder)
    vectors = _unit_rows(np.asarray(embedder.encode(cand), dtype=float))
    sims = vectors @ anchors.T  # (candidates, frames)
    j = ids.index(frame)
    similarity = sims[:, j]
    others = np.delete(sims, j, axis=1)
    margin = similarity - (others.max(axis=1) if others.shape[1] else 0.0)
    ok = margin > 0
    rows = []
    for i in np.flatnonzero(ok):
        term = cand[i]
        total = y_near[i] + y_rest[i]
        weight = max(MIN_WEIGHT, round(float(y_near[i] / total), 1)) if total else MIN_WEIGHT
        examples = _examples(term, texts, scores["doc"].tolist(), sentence_grams, near)
        rows.append(
            {
                "term": term,
                "weight": round(min(weight, 1.0), 1),
                "count": int(total),
                "count_frame": int(y_near[i]),
                "z": round(float(z[i]), 3),
                "similarity": round(float(similarity[i]), 3),
                "margin": round(float(margin[i]), 3),
                "example_1": examples[0] if examples else "",
                "example_2": examples[1] if len(examples) > 1 else "",
                "_rank": float(z[i] * similarity[i]),
            }
        )
    rows.sort(key=lambda r: (-r["_rank"], r["term"]))
    rows = _drop_nested(rows)[:top]
    out = pd.DataFrame(rows, columns=[*EXPAND_COLUMNS, "_rank"]).drop(columns="_rank")
    out.attrs.update({"frame": frame, "near_sentences": int(near.sum()), "sentences": len(texts)})
    return out


def _empty() -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(columns=list(EXPAND_COLUMNS))


def _covered(key: tuple[str, ...], known: set, own: list[tuple[str, ...]]) -> bool:
    """Already in the lexicon, part of one of its terms, or holding one of the frame's."""
    if not key or key in known:
        return True
    for k in known:
        if len(k) > len(key) and _inside(key, k):
            return True
    if any(_inside(k, key) for k in own if len(k) < len(key)):
        return True
    # a cut-off piece of one of the frame's terms ("russia's special military" of
    # "special military operation") is that term, not a new one
    pieces = {k[i : i + 2] for k in own if len(k) > 2 for i in range(len(k) - 1)}
    return any(_inside(p, key) for p in pieces)


def _inside(small: tuple[str, ...], big: tuple[str, ...]) -> bool:
    n = len(small)
    return any(big[i : i + n] == small for i in range(len(big) - n + 1))


def _drop_nested(rows: list[dict]) -> list[dict]:
    """Keep one of two candidates where one holds the other ("full scale" in "full scale
    assault"): the better ranked."""
    kept: list[dict] = []
    for r in rows:
        words = f" {r['term']} "
        if any(words in f" {k['term']} " or f" {k['term']} " in words for k in kept):
            continue
        kept.append(r)
    return kept


def _frame_anchors(lexicon: Lexicon, embedder) -> np.ndarray:
    """Each frame's point in meaning: the mean of its terms' embeddings (its exemplars' for
    a frame without terms), normalised."""
    anchors = []
    for f in lexicon.frames:
        texts = [t.text for t in f.terms] or list(f.exemplars)
        vectors = _unit_rows(np.asarray(embedder.encode(texts), dtype=float))
        anchors.append(vectors.mean(axis=0))
    return _unit_rows(np.vstack(anchors))


def _unit_rows(m: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return m / np.where(norms > 0, norms, 1.0)


def _examples(
    term: str, texts: list[str], docs: list[str], grams: list[set[str]], near: np.ndarray
) -> list[str]:
    """Two of the frame's sentences using ``term``, from two documents where possible."""
    found: list[tuple[str, str]] = []
    for text, doc, g, is_near in zip(texts, docs, grams, near, strict=True):
        if is_near and term in g:
            found.append((doc, _one_line(text)))
    picked = found[:1]
    for doc, text in found[1:]:
        if doc != picked[0][0] and text != picked[0][1]:
            picked.append((doc, text))
            break
    if len(picked) == 1:
        picked += [f for f in found[1:] if f[1] != picked[0][1]][:1]
    return [text for _, text in picked]


def _one_line(text: str, width: int = 220) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def candidates_toml(
    candidates: pd.DataFrame, frame_id: str, frame_label: str, source: str = ""
) -> str:
    """A lexicon fragment (TOML) holding the candidates as one frame's terms, each with its
    evidence in comments; ``framing lexicon check`` accepts it."""
    q = json.dumps  # a JSON string is a valid TOML basic string
    lines = [
        f"{HEADER} candidate terms for frame {q(frame_id)}" + (f" from {source}" if source else ""),
        "# Review every term: delete the ones that do not express the frame, adjust the",
        f"# weights, then copy the rest into [frames.terms] of frame {q(frame_id)} in your",
        "# lexicon. Nothing here is used until you do. The suggested weight is the share of",
        "# the term's uses that fall in the frame's sentences (at least 0.3).",
        "",
        "[[frames]]",
        f"id = {q(frame_id)}",
        f"label = {q(frame_label + ' (candidates)')}",
        'description = "Candidate terms proposed by framing lexicon expand; review before use."',
        "",
        "[frames.terms]",
    ]
    for r in candidates.to_dict("records"):
        lines.append(
            f"# {r['count_frame']} of {r['count']} uses in the frame's sentences; "
            f"z {r['z']:.2f}; similarity to its terms {r['similarity']:.2f}"
        )
        for key in ("example_1", "example_2"):
            if r[key]:
                lines.append(f"#   e.g. {r[key]}")
        lines.append(f"{q(r['term'])} = {r['weight']:.1f}")
    return "\n".join(lines) + "\n"
