"""Speaker validity on PolNeAR (../shared/eval/polnear_dev, polnear_train) and on this
project's invented war-news gold sets (tests/data/war_speakers, war_speakers_check).

Runs ``framing validate speakers`` (framing.validate_speakers) on each set, with the matching
rule the held-out sets are scored with ("exact") and the earlier one ("overlap"). The reference
in the same run is the tree named by ``FRAMING_REFERENCE`` (e.g. a checkout of main), run in a
fresh process with that tree first on ``sys.path``; without it the section gives this tree's
figures only.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SPLITS = ("polnear_dev", "polnear_train")
ROOT = Path(__file__).resolve().parents[1]
INVENTED = ("war_speakers", "war_speakers_check")  # tests/data/<name>/quotes.jsonl
RULES = ("exact", "overlap")
VALIDATOR = ROOT / "framing" / "validate_speakers.py"

# The validator is loaded from this tree's file, so a reference tree that predates it is
# measured by the same scoring code, over its own attribution.
_MEASURE = """
import importlib.util, json, os, sys
spec = importlib.util.spec_from_file_location("validate_speakers", sys.argv[1])
module = sys.modules["validate_speakers"] = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
out = {}
for split in sys.argv[2:]:
    for rule in ("exact", "overlap"):
        r = module.validate(split + "/quotes.jsonl", rule=rule)
        key = os.path.basename(split) + "/" + rule
        out[key] = [r.accuracy, r.ci_low, r.ci_high, r.no_speaker, len(r.checks)]
print(json.dumps(out))
"""


def _measure(tree: Path, eval_dir: Path) -> dict[str, list[float]]:
    env = dict(os.environ, PYTHONPATH=str(tree))
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            _MEASURE,
            str(VALIDATOR),
            *(str(eval_dir / s) for s in SPLITS),
            *(str(ROOT / "tests" / "data" / s) for s in INVENTED),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tree,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{tree}: {done.stderr.strip().splitlines()[-1:]}")
    return json.loads(done.stdout)


def run(eval_dir: Path) -> str:
    """The Markdown section: accuracy, 95% CI and no-speaker share per split."""
    rows = [("this tree", _measure(ROOT, eval_dir))]
    reference = os.environ.get("FRAMING_REFERENCE")
    if reference:
        try:
            rows.append((f"reference ({reference})", _measure(Path(reference), eval_dir)))
        except RuntimeError as exc:  # a reference without the validator cannot be measured
            rows.append((f"reference ({reference}): {exc}", {}))
    lines = [
        "## Speakers (PolNeAR; invented war news)\n",
        "exact: for each gold quotation, the shortest `framing actors` record whose text "
        "contains it or lies inside it, anywhere in its text (the held-out sets' rule); "
        "overlap: the same among records overlapping the quotation (the earlier rule). Right "
        "when the speakers share the surname (`framing validate speakers`, 1,000 bootstrap "
        "resamples). war_speakers: invented texts in the shapes of issue 11's six classes "
        "(fixed on); war_speakers_check: written after the fixes, measured untuned.\n",
        "| tree | set | rule | quotations | accuracy | 95% CI | no speaker |",
        "|---|---|---|---:|---:|---|---:|",
    ]
    for label, figures in rows:
        for split in (*SPLITS, *INVENTED):
            for rule in RULES:
                if f"{split}/{rule}" not in figures:
                    continue
                acc, low, high, none, n = figures[f"{split}/{rule}"]
                lines.append(
                    f"| {label} | {split} | {rule} | {n} | {acc:.3f} | {low:.3f}-{high:.3f} "
                    f"| {none:.3f} |"
                )
    return "\n".join(lines) + "\n"
