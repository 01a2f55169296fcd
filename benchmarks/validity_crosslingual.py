"""Cross-lingual agreement: Ukrainian originals against their official English translations.

On ``parallel_uk_en`` (speech pairs with the same file name in ``uk/`` and ``en/``) both
versions are scored alike, and per pair: Pearson r of the two documents' mean 11-frame
profiles, whether their top frame agrees, |difference| of mean operation_vs_invasion, and
lexical hits in the original against the translation. ``--model multilingual`` is measured
beside the default English model on the same pairs in the same run (the reference).

    python benchmarks/validity.py crosslingual
    FRAMING_VALIDITY_PAIRS=20 python benchmarks/validity.py crosslingual   # a subset
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import numpy as np

AXIS = "operation_vs_invasion"
SPEED_SENTENCES = 200  # encoded uncached by each model, side by side, for sentences/s


def _pairs(folder: Path) -> list[str]:
    names = [json.loads(line)["file"] for line in (folder / "manifest.jsonl").open()]
    limit = int(os.environ.get("FRAMING_VALIDITY_PAIRS", "0") or 0)
    if limit and limit < len(names):  # evenly spread, so a subset covers the whole period
        names = [names[round(i * len(names) / limit)] for i in range(limit)]
    return names


def _doc_summaries(folder: Path, names: list[str], scorer, lang: str | None) -> list[dict]:
    from framing.pipeline import score_documents
    from framing.text import Document

    documents = (Document(id=n, text=(folder / n).read_text(encoding="utf-8")) for n in names)
    by_doc: dict[str, list[dict]] = {n: [] for n in names}
    for record in score_documents(documents, scorer, lang=lang):
        by_doc[record["doc"]].append(record)
    summaries = []
    for name in names:
        records = by_doc[name]
        profile = np.array([[r["frames"][f] for f in scorer.frame_ids_] for r in records])
        summaries.append(
            {
                "profile": profile.mean(axis=0),
                "axis": float(np.mean([r["axes"][AXIS] for r in records])),
                "hits": sum(1 for r in records for h in r["hits"] if not h["negated"]),
                "lang": records[0]["lang"] if records else None,
            }
        )
    return summaries


def _agreement(original: list[dict], translation: list[dict]) -> dict[str, float]:
    pairs = list(zip(original, translation, strict=True))
    return {
        "r": float(np.nanmean([np.corrcoef(o["profile"], t["profile"])[0, 1] for o, t in pairs])),
        "top": float(np.mean([o["profile"].argmax() == t["profile"].argmax() for o, t in pairs])),
        "n": len(pairs),
        "axis": float(np.mean([abs(o["axis"] - t["axis"]) for o, t in pairs])),
        "hits_uk": sum(o["hits"] for o, _ in pairs),
        "hits_en": sum(t["hits"] for _, t in pairs),
    }


def _speed(embedder, sentences: list[str]) -> float:
    # load the model (and, for multilingual, its language means) before the clock starts
    embedder.encode(["Warm-up."])
    start = time.perf_counter()
    embedder.encode(sentences)
    return len(sentences) / (time.perf_counter() - start)


def _stemmer_recall(folder: Path, names: list[str]) -> list[tuple[str, int]]:
    """Ukrainian hits with the light stemmer against no stemming and Snowball's Russian."""
    from dataclasses import replace

    from framing import lang as languages
    from framing.lexicon import Lexicon, load_lexicon
    from framing.match import TermMatcher

    texts = [(folder / "uk" / n).read_text(encoding="utf-8") for n in names]
    lexicon = load_lexicon("war_ukraine")
    variants = {
        "light Ukrainian stemmer (used)": languages.light_stem_uk,
        "no stemming (lower case)": lambda word: word,
        "Snowball Russian stemmer": languages._stem_ru,
    }
    counts = []
    used = languages.light_stem_uk
    try:
        for label, stem in variants.items():
            languages.light_stem_uk = stem
            # the same terms, keyed with this stemmer (two may now share a key: both stay)
            frames = tuple(
                replace(
                    f,
                    terms=tuple(
                        replace(t, key=languages.term_key(t.text, "uk")) if t.lang == "uk" else t
                        for t in f.terms
                    ),
                )
                for f in lexicon.frames
            )
            matcher = TermMatcher(Lexicon(frames=frames, axes=lexicon.axes))
            hits = sum(len(matcher.match(t, lang="uk")) for t in texts)
            counts.append((label, hits))
    finally:
        languages.light_stem_uk = used
    return counts


def run(eval_dir: Path) -> str:
    """The cross-lingual section: multilingual model beside the default, same pairs."""
    from framing.embed import Embedder
    from framing.lexicon import load_lexicon
    from framing.score import FrameScorer
    from framing.text import Document, segment

    folder = eval_dir / "parallel_uk_en"
    if not folder.is_dir():
        return "## Cross-lingual agreement\n\n(no parallel_uk_en data here)\n"
    names = _pairs(folder)
    lexicon = load_lexicon("war_ukraine")
    rows = {}
    for label, model in (("`--model multilingual`", "multilingual"), ("default model", None)):
        scorer = FrameScorer(lexicon, Embedder(model)).fit()
        original = _doc_summaries(folder / "uk", names, scorer, lang=None)
        translation = _doc_summaries(folder / "en", names, scorer, lang=None)
        rows[label] = _agreement(original, translation)
        rows[label]["detected_uk"] = sum(o["lang"] == "uk" for o in original)
        rows[label]["detected_en"] = sum(t["lang"] == "en" for t in translation)

    sample = [
        s.text
        for n in names[:6]
        for s in segment(Document(id=n, text=(folder / "uk" / n).read_text(encoding="utf-8")))
    ][:SPEED_SENTENCES]
    speeds = {
        label: _speed(Embedder(model, use_cache=False), sample)
        for label, model in (("`--model multilingual`", "multilingual"), ("default model", None))
    }

    lines = [
        "## Cross-lingual agreement (parallel_uk_en)\n",
        f"{len(names)} speech pairs, the Ukrainian original and its official English translation, "
        "both scored alike (language detected per document). Targets for `--model multilingual`: "
        "r ≥ 0.85, top frame ≥ 80 %, mean abs Δ axis ≤ 0.03, hits ≥ 0.6 of the English.\n",
        "| model | mean r of 11-frame profiles | top frame agrees | mean abs Δ "
        f"{AXIS} | hits uk / en | sentences/s (uk, uncached) |",
        "|---|---|---|---|---|---|",
    ]
    for label, m in rows.items():
        ratio = m["hits_uk"] / m["hits_en"] if m["hits_en"] else float("nan")
        lines.append(
            f"| {label} | {m['r']:.3f} | {m['top']:.0%} ({m['top'] * m['n']:.0f}/{m['n']}) | "
            f"{m['axis']:.4f} | "
            f"{m['hits_uk']} / {m['hits_en']} = {ratio:.2f} | {speeds[label]:.0f} |"
        )
    detected = rows["`--model multilingual`"]
    lines.append(
        f"\nLanguage detected: {detected['detected_uk']}/{len(names)} originals as `uk`, "
        f"{detected['detected_en']}/{len(names)} translations as `en`. Speed on "
        f"{len(sample)} Ukrainian sentences, both models in this run.\n"
    )
    lines.append(
        "Ukrainian term hits by the stemmer used for matching (same lexicon, same texts):\n"
    )
    lines.append("| Ukrainian word normalisation | hits |\n|---|---|")
    lines += [f"| {label} | {n} |" for label, n in _stemmer_recall(folder, names)]
    return "\n".join(lines) + "\n"
