"""Measure frame scores against a user's hand-labelled sample (``framing validate frames|sides``).

- frames: texts with a gold frame. Each text's predicted frame is the frame with the highest
  mean combined score over its sentences (``none`` below the scorer's ``min_score``). The
  report gives per-frame precision, recall and F1, accuracy and macro F1, each with a
  percentile bootstrap 95% interval over texts, and the confusion table.
- sides: documents with a gold group (side, outlet, stance). Each document's frame profile
  (mean frame scores and mean axes over its sentences) predicts the group by
  cross-validated logistic regression; TF-IDF words on the same folds are the reference.
  Accuracy (and AUC for two groups) come from out-of-fold predictions, with bootstrap
  intervals over documents.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from framing.errors import FramingError

__all__ = [
    "read_labelled",
    "document_records",
    "validate_frames",
    "validate_sides",
    "FrameValidation",
    "SidesValidation",
    "NO_FRAME",
]

NO_FRAME = "none"


def read_labelled(path: Path, text_field: str, label_field: str) -> tuple[list[str], list[str]]:
    """(texts, labels) from a .csv/.tsv/.jsonl file; a bad file is one FramingError line."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".tsv", ".jsonl", ".json"):
        raise FramingError(f"{path}: labelled file must be .csv, .tsv or .jsonl")
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise FramingError(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise FramingError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise FramingError(f"{path}: cannot read ({exc.strerror})") from None
    rows: list[tuple[int, dict]] = []
    if suffix in (".jsonl", ".json"):
        for number, line in enumerate(raw.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise FramingError(f"{path}: line {number}: not JSON ({exc.msg})") from None
            if not isinstance(row, dict):
                raise FramingError(f"{path}: line {number}: expected a JSON object")
            rows.append((number, row))
    else:
        reader = csv.DictReader(raw.splitlines(), delimiter="\t" if suffix == ".tsv" else ",")
        for field in (text_field, label_field):
            if reader.fieldnames is not None and field not in reader.fieldnames:
                raise FramingError(
                    f"{path}: no column {field!r} (columns: {', '.join(reader.fieldnames)})"
                )
        rows = [(number, row) for number, row in enumerate(reader, start=2)]
    if not rows:
        raise FramingError(f"{path}: no labelled rows")
    texts, labels = [], []
    for number, row in rows:
        for field in (text_field, label_field):
            value = row.get(field)
            if not isinstance(value, str) or not value.strip():
                raise FramingError(f"{path}: line {number}: missing or empty {field!r}")
        texts.append(row[text_field])
        labels.append(row[label_field].strip())
    return texts, labels


def document_records(texts: Sequence[str], scorer) -> list[list[dict]]:
    """The sentence records of each text, grouped by text, in order."""
    from framing.pipeline import score_documents
    from framing.text import Document

    grouped: dict[str, list[dict]] = defaultdict(list)
    documents = (Document(id=str(i), text=t) for i, t in enumerate(texts))
    for record in score_documents(documents, scorer):
        grouped[record["doc"]].append(record)
    return [grouped[str(i)] for i in range(len(texts))]


def _interval(values: np.ndarray) -> tuple[float, float]:
    finite = values[np.isfinite(values)]
    if not len(finite):
        return (float("nan"), float("nan"))
    return (float(np.percentile(finite, 2.5)), float(np.percentile(finite, 97.5)))


def _prf(gold: np.ndarray, pred: np.ndarray, label: str) -> tuple[float, float, float]:
    tp = float(np.sum((pred == label) & (gold == label)))
    predicted, actual = float(np.sum(pred == label)), float(np.sum(gold == label))
    precision = tp / predicted if predicted else float("nan")
    recall = tp / actual if actual else float("nan")
    f1 = (
        2 * precision * recall / (precision + recall)
        if predicted and actual and (precision + recall)
        else (0.0 if actual or predicted else float("nan"))
    )
    return precision, recall, f1


@dataclass(frozen=True)
class FrameValidation:
    labels: list[str]  # the gold labels' frames, then any predicted-only ones
    # per label: (precision, recall, f1, support) and their (low, high) intervals
    rows: dict[str, tuple[float, float, float, int]]
    intervals: dict[str, tuple[tuple[float, float], ...]]
    accuracy: tuple[float, float, float]  # value, low, high
    macro_f1: tuple[float, float, float]
    confusion: dict[str, dict[str, int]]  # gold -> predicted -> count
    n: int


def predicted_frames(per_text: Sequence[Sequence[dict]], frame_ids, min_score: float) -> list[str]:
    """Each text's frame: highest mean combined score over its sentences, else ``none``."""
    out = []
    for records in per_text:
        if not records:
            out.append(NO_FRAME)
            continue
        means = np.array([[r["frames"][f] for f in frame_ids] for r in records]).mean(axis=0)
        best = int(np.argmax(means))
        out.append(frame_ids[best] if means[best] >= min_score else NO_FRAME)
    return out


def validate_frames(
    texts: Sequence[str], gold: Sequence[str], scorer, *, boot: int = 1000, seed: int = 0
) -> FrameValidation:
    """Agreement of each text's predicted frame with its gold frame, with bootstrap CIs."""
    if not hasattr(scorer, "centroids_"):
        scorer.fit()
    known = set(scorer.frame_ids_) | {NO_FRAME}
    unknown = sorted(set(gold) - known)
    if unknown:
        raise FramingError(
            f"gold frame(s) {', '.join(map(repr, unknown))} are not frames of the lexicon "
            f"(known: {', '.join(scorer.frame_ids_)}, or {NO_FRAME!r})"
        )
    pred = np.array(
        predicted_frames(document_records(texts, scorer), scorer.frame_ids_, scorer.min_score)
    )
    gold_a = np.array(list(gold))
    labels = sorted(set(gold_a), key=lambda x: (x == NO_FRAME, x))
    labels += sorted(set(pred) - set(labels))
    gold_labels = sorted(set(gold_a))

    def measures(g: np.ndarray, p: np.ndarray) -> tuple[dict, float, float]:
        per = {label: _prf(g, p, label) for label in labels}
        f1s = [per[label][2] for label in gold_labels]
        return per, float(np.mean(g == p)), float(np.nanmean(f1s)) if f1s else float("nan")

    per, accuracy, macro = measures(gold_a, pred)
    rng = np.random.default_rng(seed)
    n = len(gold_a)
    boot_per = {label: [] for label in labels}
    boot_acc, boot_macro = [], []
    for _ in range(boot):
        idx = rng.integers(0, n, n)
        b_per, b_acc, b_macro = measures(gold_a[idx], pred[idx])
        for label in labels:
            boot_per[label].append(b_per[label])
        boot_acc.append(b_acc)
        boot_macro.append(b_macro)
    intervals = {
        label: tuple(_interval(np.array(boot_per[label])[:, k]) for k in range(3))
        for label in labels
    }
    confusion = {g: {p: int(np.sum((gold_a == g) & (pred == p))) for p in labels} for g in labels}
    return FrameValidation(
        labels=labels,
        rows={label: (*per[label], int(np.sum(gold_a == label))) for label in labels},
        intervals=intervals,
        accuracy=(accuracy, *_interval(np.array(boot_acc))),
        macro_f1=(macro, *_interval(np.array(boot_macro))),
        confusion=confusion,
        n=n,
    )


@dataclass(frozen=True)
class SidesValidation:
    groups: list[str]
    counts: dict[str, int]
    folds: int
    # measure -> (framing value, low, high, tfidf value, low, high)
    measures: dict[str, tuple[float, float, float, float, float, float]]
    n: int


def profile_features(per_doc: Sequence[Sequence[dict]], frame_ids, axis_ids) -> np.ndarray:
    """Each document's mean frame scores, then its mean axes (zeros for an empty one)."""
    rows = []
    for records in per_doc:
        if not records:
            rows.append(np.zeros(len(frame_ids) + len(axis_ids)))
            continue
        frames = np.array([[r["frames"][f] for f in frame_ids] for r in records]).mean(axis=0)
        axes = np.array([[r["axes"][a] for a in axis_ids] for r in records]).reshape(
            len(records), len(axis_ids)
        )
        rows.append(np.concatenate([frames, axes.mean(axis=0)]))
    return np.stack(rows)


def validate_sides(
    texts: Sequence[str],
    groups: Sequence[str],
    scorer,
    *,
    folds: int = 10,
    boot: int = 1000,
    seed: int = 0,
) -> SidesValidation:
    """Cross-validated prediction of each document's group from its frame profile, beside
    TF-IDF words on the same folds."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    y = np.array(list(groups))
    names, counts = np.unique(y, return_counts=True)
    if len(names) < 2:
        raise FramingError(f"need documents of at least two groups; all are {str(names[0])!r}")
    smallest = int(counts.min())
    if smallest < 2:
        raise FramingError(
            f"group {str(names[int(np.argmin(counts))])!r} has one document; cross-validation "
            "needs at least two per group"
        )
    n_folds = min(folds, smallest)
    if not hasattr(scorer, "centroids_"):
        scorer.fit()
    features = profile_features(
        document_records(texts, scorer), scorer.frame_ids_, scorer.axis_ids_
    )
    cv = StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=seed)
    framing_model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
    tfidf_model = make_pipeline(
        TfidfVectorizer(sublinear_tf=True, min_df=1), LogisticRegression(max_iter=2000)
    )
    framing_proba = cross_val_predict(framing_model, features, y, cv=cv, method="predict_proba")
    tfidf_proba = cross_val_predict(tfidf_model, list(texts), y, cv=cv, method="predict_proba")
    rng = np.random.default_rng(seed)
    boots = [rng.integers(0, len(y), len(y)) for _ in range(boot)]

    def accuracy(proba, idx):
        return float(np.mean(names[np.argmax(proba[idx], axis=1)] == y[idx]))

    def auc(proba, idx):
        from sklearn.metrics import roc_auc_score

        truth = y[idx] == names[1]
        if truth.all() or not truth.any():
            return float("nan")
        return float(roc_auc_score(truth, proba[idx, 1]))

    measures = {}
    chosen = {"accuracy": accuracy}
    if len(names) == 2:
        chosen[f"AUC ({names[1]} positive)"] = auc
    everything = np.arange(len(y))
    for label, fn in chosen.items():
        values = []
        for proba in (framing_proba, tfidf_proba):
            values.append(fn(proba, everything))
            values.extend(_interval(np.array([fn(proba, idx) for idx in boots])))
        measures[label] = tuple(values)
    return SidesValidation(
        groups=list(names),
        counts={str(k): int(v) for k, v in zip(names, counts, strict=True)},
        folds=n_folds,
        measures=measures,
        n=len(y),
    )


def render_frames(result: FrameValidation) -> str:
    """The frames report as Markdown."""

    def cell(value: float, interval: tuple[float, float]) -> str:
        if not np.isfinite(value):
            return "-"
        return f"{value:.2f} [{interval[0]:.2f}, {interval[1]:.2f}]"

    lines = [
        f"{result.n} texts. Accuracy {cell(result.accuracy[0], result.accuracy[1:])}, "
        f"macro F1 {cell(result.macro_f1[0], result.macro_f1[1:])} (bootstrap 95% intervals).",
        "",
        "| frame | precision | recall | F1 | gold n |",
        "|---|---|---|---|---|",
    ]
    for label in result.labels:
        p, r, f1, support = result.rows[label]
        ip, ir, if1 = result.intervals[label]
        lines.append(f"| {label} | {cell(p, ip)} | {cell(r, ir)} | {cell(f1, if1)} | {support} |")
    lines += ["", "Confusion (rows: gold, columns: predicted)", ""]
    lines.append("| gold \\ predicted | " + " | ".join(result.labels) + " |")
    lines.append("|---" * (len(result.labels) + 1) + "|")
    for gold in result.labels:
        counts = " | ".join(str(result.confusion[gold][p]) for p in result.labels)
        lines.append(f"| {gold} | {counts} |")
    return "\n".join(lines) + "\n"


def render_sides(result: SidesValidation) -> str:
    """The sides report as Markdown."""
    counts = ", ".join(f"{g} {n}" for g, n in result.counts.items())
    lines = [
        f"{result.n} documents ({counts}); {result.folds}-fold stratified cross-validation, "
        "logistic regression; out-of-fold predictions with bootstrap 95% intervals.",
        "",
        "| measure | frame profile | TF-IDF words (same folds) |",
        "|---|---|---|",
    ]
    for label, (v, lo, hi, tv, tlo, thi) in result.measures.items():
        lines.append(
            f"| {label} | {v:.3f} [{lo:.3f}, {hi:.3f}] | {tv:.3f} [{tlo:.3f}, {thi:.3f}] |"
        )
    return "\n".join(lines) + "\n"
