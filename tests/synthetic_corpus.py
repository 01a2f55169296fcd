"""A small synthetic corpus of dated statements from two sides with known planted differences,
for the discovery commands' tests (compare, trend, lexicon expand).

Both sides draw most sentences from one shared pool with equal odds; then:
- the Kremlin's rows plant "special military operation" and "denazification of Ukraine",
  Zelenskyy's rows plant "full-scale invasion" and "occupiers";
- from April 2022 on (the planted month) the Kremlin's rows carry talks and ceasefire
  sentences (the negotiation frame), which no row before April holds;
- a Zelenskyy row quotes Moscow's term: the quoted words are Moscow's, not his;
- Zelenskyy's rows say "armed attack", an invasion term the built-in lexicon lacks.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

SHARED = [
    "The weather in the capital was cold and grey this morning.",
    "Officials met farmers to discuss the spring sowing season.",
    "The railway company published its new timetable for the summer.",
    "Prices of bread and fuel rose again in several regions.",
    "The central bank kept its key rate unchanged on Friday.",
    "Schools reopened after the winter holidays in most cities.",
    "The ministry announced new support for small businesses.",
    "Volunteers collected clothes and food for families in need.",
    "A new bridge over the river was opened to traffic.",
    "The football league postponed two matches because of snow.",
    "Hospitals reported more patients with seasonal flu.",
    "The parliament discussed the budget for the coming year.",
    "Engineers repaired the power line near the northern town.",
    "The museum opened an exhibition of nineteenth century paintings.",
    "Exporters signed contracts for grain deliveries abroad.",
    "The government promised to raise pensions in the autumn.",
    "Students presented their research at the national conference.",
    "The mayor inspected the construction of a new school.",
    "Local councils asked for more money for road repairs.",
    "The airport handled more passengers than a year ago.",
    "Doctors called on residents to get vaccinated before winter.",
    "The theatre festival attracted visitors from many countries.",
    "Factories increased the production of steel and cement.",
    "The city planted thousands of trees along the main avenues.",
]
KREMLIN = [
    "The special military operation is proceeding according to plan.",
    "Our servicemen carry out the special military operation with courage.",
    "The goals of the special military operation will be achieved.",
    "The denazification of Ukraine remains our aim.",
]
ZELENSKYY = [
    "The full-scale invasion has destroyed entire towns.",
    "We will drive the occupiers from every village.",
    "The world sees the full-scale invasion for what it is.",
    "The occupiers shelled the hospital again last night.",
    "Russian tanks crossed our border in an armed attack at dawn.",
    "The armed attack on our sovereign country must be stopped.",
]
# From April on, the Kremlin's rows talk about talks (the negotiation frame)
KREMLIN_TALKS = [
    "Our delegation is ready for peace talks and a ceasefire agreement.",
    "The negotiations on a peace deal will continue next week.",
    "We support dialogue and a diplomatic solution through mediation.",
]
MONTHS = ["2022-01", "2022-02", "2022-03", "2022-04", "2022-05", "2022-06"]
PLANTED_MONTH = "2022-04"
QUOTING = 'Moscow calls it a "special military operation", but the occupiers wage a war.'


def rows(per_side_month: int = 8, seed: int = 0) -> list[dict]:
    """Table rows: id, speaker, date, text (four or five sentences each)."""
    rng = random.Random(seed)
    out: list[dict] = []
    for month in MONTHS:
        for side, planted in (("Kremlin", KREMLIN), ("Volodymyr Zelenskyy", ZELENSKYY)):
            for k in range(per_side_month):
                sentences = rng.sample(SHARED, 3) + [rng.choice(planted)]
                if side == "Kremlin" and month >= PLANTED_MONTH:
                    sentences.append(rng.choice(KREMLIN_TALKS))
                if side == "Volodymyr Zelenskyy" and k == 0:
                    sentences.append(QUOTING)
                rng.shuffle(sentences)
                day = 1 + (k * 3) % 27
                out.append(
                    {
                        "id": f"{side.split()[-1].lower()}-{month}-{k}",
                        "speaker": side,
                        "date": f"{month}-{day:02d}",
                        "text": " ".join(sentences),
                    }
                )
    return out


def null_rows(n: int = 120, seed: int = 1) -> list[dict]:
    """Rows of two channels drawn from one pool with equal odds: no real difference."""
    rng = random.Random(seed)
    return [
        {
            "id": f"n{k}",
            "speaker": "Channel A" if k % 2 == 0 else "Channel B",
            "date": f"2022-0{1 + k % 6}-10",
            "text": " ".join(rng.sample(SHARED, 4)),
        }
        for k in range(n)
    ]


def write_jsonl(path: Path, table: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in table), encoding="utf-8")
    return path


def write_csv(path: Path, table: list[dict]) -> Path:
    import csv

    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(table[0]))
        writer.writeheader()
        writer.writerows(table)
    return path
