"""Do frame scores and axes tell the actors apart on text nobody here tuned to?

Measures exactly what ``../shared/eval/README.md`` lists, each beside a TF-IDF reference
computed in the same run on the same documents and folds:

- press releases (Kremlin vs Ukrainian presidency): each document's mean frame scores and
  mean axes -> 10-fold cross-validated logistic regression of the side (accuracy); the
  ``operation_vs_invasion`` axis alone (AUC, Kyiv positive); the mean axis of the sentences
  each side voices itself.
- tweets (stance toward Russia): each tweet's max frame scores and mean axes -> 10-fold
  cross-validated AUC of AGAINST vs FAVOR; the axis alone (pro-Russia should lean to the
  special-operation pole, so AGAINST is the positive class).

Run with ``python benchmarks/validity.py frames``. ``FRAMING_VALIDITY_TWEETS=N`` scores an
evenly spaced N-tweet subset while iterating (the reported figures use all of them).
Embeddings go through framing's cache, so a second run only re-does framing's own work.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from pathlib import Path

import numpy as np

AXIS = "operation_vs_invasion"
FOLDS = 10
SEED = 0
SEEDS = 5


def _read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def score_docs(texts: list[str], scorer, mean_vectors: list | None = None) -> list[list[dict]]:
    """The sentence records of each text, grouped by document, in order; with
    ``mean_vectors``, also each text's mean sentence embedding (zeros for an empty text)."""
    from framing.pipeline import score_documents
    from framing.text import Document

    docs = [Document(id=str(i), text=t) for i, t in enumerate(texts)]
    grouped: dict[str, list[dict]] = defaultdict(list)
    rows_of: dict[str, list[int]] = defaultdict(list)  # each document's rows in the vectors
    batches: list = []
    for row, record in enumerate(score_documents(docs, scorer, vectors=batches)):
        grouped[record["doc"]].append(record)
        rows_of[record["doc"]].append(row)
    if mean_vectors is not None:
        vectors = np.concatenate(batches) if batches else np.zeros((0, 1))
        for i in range(len(texts)):
            rows = rows_of.get(str(i))
            mean_vectors.append(vectors[rows].mean(axis=0) if rows else np.zeros(vectors.shape[1]))
    return [grouped[str(i)] for i in range(len(texts))]


def doc_features(records: list[dict], frame_ids, axis_ids, frame_pool: str) -> np.ndarray:
    """Mean (press) or max (tweets) frame scores, then mean axes: one row per document."""
    if not records:
        return np.zeros(len(frame_ids) + len(axis_ids))
    frames = np.array([[r["frames"][f] for f in frame_ids] for r in records])
    axes = np.array([[r["axes"][a] for a in axis_ids] for r in records])
    pooled = frames.max(axis=0) if frame_pool == "max" else frames.mean(axis=0)
    return np.concatenate([pooled, axes.mean(axis=0)])


def _folds(seed: int = SEED):
    from sklearn.model_selection import StratifiedKFold

    return StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=seed)


def cv_profile(features: np.ndarray, y: np.ndarray, scoring: str, seed: int = SEED) -> float:
    """10-fold CV of a standardised logistic regression on the frame profile."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
    return float(cross_val_score(model, features, y, cv=_folds(seed), scoring=scoring).mean())


def cv_tfidf(texts: list[str], y: np.ndarray, scoring: str, seed: int = SEED) -> float:
    """The reference: TF-IDF words -> logistic regression, same folds."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_score
    from sklearn.pipeline import make_pipeline

    model = make_pipeline(
        TfidfVectorizer(sublinear_tf=True, min_df=2), LogisticRegression(max_iter=2000)
    )
    return float(cross_val_score(model, texts, y, cv=_folds(seed), scoring=scoring).mean())


def seed_spread(features, texts, y, scoring: str) -> tuple[float, float, float, float]:
    """Mean and SD over SEEDS fold shuffles, framing then TF-IDF: how much a figure moves
    with nothing but the folds (the headline uses seed 0, as ../shared/eval says)."""
    ours = [cv_profile(features, y, scoring, seed) for seed in range(SEEDS)]
    theirs = [cv_tfidf(texts, y, scoring, seed) for seed in range(SEEDS)]
    return float(np.mean(ours)), float(np.std(ours)), float(np.mean(theirs)), float(np.std(theirs))


def _auc(y: np.ndarray, x: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(y, x))


def press(eval_dir: Path, scorer) -> dict:
    folder = eval_dir / "press_2022-02-24_03-31"
    manifest = _read_jsonl(folder / "manifest.jsonl")
    texts = [(folder / m["file"]).read_text(encoding="utf-8") for m in manifest]
    y = np.array([m["side"] == "ukraine" for m in manifest], dtype=int)
    per_doc = score_docs(texts, scorer)
    frame_ids, axis_ids = scorer.frame_ids_, scorer.axis_ids_
    x = np.stack([doc_features(r, frame_ids, axis_ids, "mean") for r in per_doc])
    axis_col = len(frame_ids) + axis_ids.index(AXIS)
    voiced: dict[str, list[float]] = {"russia": [], "ukraine": []}
    for records in per_doc:
        for r in records:
            if r["side"] in voiced:
                voiced[r["side"]].append(r["axes"][AXIS])
    return {
        "n": len(texts),
        "sentences": sum(len(r) for r in per_doc),
        "profile_acc": cv_profile(x, y, "accuracy"),
        "tfidf_acc": cv_tfidf(texts, y, "accuracy"),
        "axis_auc": _auc(y, x[:, axis_col]),
        "spread": seed_spread(x, texts, y, "accuracy"),
        "voice": {s: (float(np.mean(v)) if v else float("nan"), len(v)) for s, v in voiced.items()},
    }


def tweets(eval_dir: Path, scorer, limit: int | None = None) -> dict:
    folder = eval_dir / "stance_tweets"
    rows = _read_jsonl(folder / "train.jsonl") + _read_jsonl(folder / "val.jsonl")
    if limit and limit < len(rows):
        rows = [rows[i] for i in np.linspace(0, len(rows) - 1, limit).astype(int)]
    texts = [r["text"] for r in rows]
    y = np.array([r["stance_russia"] == "AGAINST" for r in rows], dtype=int)
    mean_vectors: list = []
    per_doc = score_docs(texts, scorer, mean_vectors)
    embedded = np.stack(mean_vectors)
    frame_ids, axis_ids = scorer.frame_ids_, scorer.axis_ids_
    x = np.stack([doc_features(r, frame_ids, axis_ids, "max") for r in per_doc])
    axis_col = len(frame_ids) + axis_ids.index(AXIS)
    return {
        "n": len(texts),
        "against": int(y.sum()),
        "profile_auc": cv_profile(x, y, "roc_auc"),
        "tfidf_auc": cv_tfidf(texts, y, "roc_auc"),
        # what a classifier trained on the labels gets from the model's own vectors: the
        # most that scores built on them, with no training, could carry
        "embedding_auc": cv_profile(embedded, y, "roc_auc"),
        "dims": int(embedded.shape[1]),
        "axis_auc": _auc(y, x[:, axis_col]),
        "spread": seed_spread(x, texts, y, "roc_auc"),
    }


def build_scorer():
    from framing.embed import Embedder
    from framing.lexicon import load_lexicon
    from framing.score import FrameScorer

    return FrameScorer(load_lexicon(), Embedder()).fit()


def _spread(values: tuple[float, float, float, float]) -> str:
    ours, ours_sd, theirs, theirs_sd = values
    return f"{ours:.3f} ± {ours_sd:.3f} (TF-IDF {theirs:.3f} ± {theirs_sd:.3f})"


def run(eval_dir: Path) -> str:
    """The Markdown section: press releases and tweets, each beside TF-IDF."""
    limit = int(os.environ.get("FRAMING_VALIDITY_TWEETS", "0")) or None
    scorer = build_scorer()
    p = press(eval_dir, scorer)
    t = tweets(eval_dir, scorer, limit)
    ru, ru_n = p["voice"]["russia"]
    ua, ua_n = p["voice"]["ukraine"]
    lines = [
        "## Frames and axes: do they tell the actors apart?",
        "",
        f"Press releases: {p['n']} documents ({p['sentences']} sentences), Kremlin vs "
        f"Ukrainian presidency. Tweets: {t['n']} ({t['against']} AGAINST Russia). "
        f"{FOLDS}-fold stratified CV (seed {SEED}), logistic regression on standardised "
        "features; TF-IDF words on the same folds as the reference.",
        "",
        "| measure | framing | TF-IDF (same run) | target |",
        "|---|---|---|---|",
        f"| press: side from 14-number profile (accuracy) | {p['profile_acc']:.3f} | "
        f"{p['tfidf_acc']:.3f} | ≥ 0.93 |",
        f"| press: `{AXIS}` alone (AUC, Kyiv positive) | {p['axis_auc']:.3f} | | ≥ 0.80 |",
        f"| press: own-voice mean `{AXIS}`, Kremlin (n={ru_n}) | {ru:+.3f} | | < 0 |",
        f"| press: own-voice mean `{AXIS}`, Kyiv (n={ua_n}) | {ua:+.3f} | | > 0, ≥ 0.10 apart |",
        f"| tweets: stance from profile (AUC) | {t['profile_auc']:.3f} | "
        f"{t['tfidf_auc']:.3f} | ≥ 0.72 |",
        f"| tweets: `{AXIS}` alone (AUC, AGAINST positive) | {t['axis_auc']:.3f} | | ≥ 0.60 |",
        f"| tweets: stance from the mean sentence embedding, {t['dims']} numbers, trained on "
        f"the labels (AUC; the model's ceiling, not framing's) | {t['embedding_auc']:.3f} | | |",
        "",
        f"Over {SEEDS} fold shuffles (seeds 0-{SEEDS - 1}), mean ± SD: press profile "
        f"{_spread(p['spread'])}; tweets profile {_spread(t['spread'])}.",
        "",
        "The issue's third set (22 official statements, Russian, Ukrainian and Western) is not in "
        f"{eval_dir}: no figure is given for it.",
    ]
    return "\n".join(lines) + "\n"
