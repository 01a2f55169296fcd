"""Validity of framing on public labelled text nobody here tuned to (../shared/eval/).

Each measure lives in its own module ``benchmarks/validity_<topic>.py`` with a function
``run(eval_dir: Path) -> str`` that returns a Markdown section (figures beside a reference
measured in the same run). This script runs them all, or those named, and prints or writes
``benchmarks/VALIDITY.md``.

    python benchmarks/validity.py                      # all sections, printed
    python benchmarks/validity.py speakers frames      # some of them
    python benchmarks/validity.py --write benchmarks/VALIDITY.md
"""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_EVAL = HERE.parent.parent / "shared" / "eval"


def sections() -> list[str]:
    """The topics with a ``validity_<topic>.py`` module, sorted."""
    return sorted(p.stem.removeprefix("validity_") for p in HERE.glob("validity_*.py"))


def commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True, text=True
        )
        return out.stdout.strip() or "unknown"
    except OSError:
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("topics", nargs="*", help=f"sections to run (default all: {sections()})")
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL)
    parser.add_argument("--write", type=Path, help="write the Markdown here")
    args = parser.parse_args(argv)
    topics = args.topics or sections()
    unknown = sorted(set(topics) - set(sections()))
    if unknown:
        parser.error(f"unknown section(s) {unknown}; known: {sections()}")
    if not args.eval_dir.is_dir():
        parser.error(f"{args.eval_dir}: no evaluation data there")
    sys.path.insert(0, str(HERE))
    parts = [
        "# Validity on public labelled data\n",
        f"Measured by `python benchmarks/validity.py` at commit `{commit()}` on "
        f"{time.strftime('%Y-%m-%d')}, data from `../shared/eval/` (development sets; the "
        "held-out sets are measured separately). Each figure stands beside a reference "
        "measured in the same run.\n",
    ]
    for topic in topics:
        module = importlib.import_module(f"validity_{topic}")
        started = time.perf_counter()
        section = module.run(args.eval_dir)
        parts.append(section.rstrip() + f"\n\n_{topic}: {time.perf_counter() - started:.0f} s_\n")
        print(parts[-1], flush=True)
    if args.write:
        args.write.write_text("\n".join(parts), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
