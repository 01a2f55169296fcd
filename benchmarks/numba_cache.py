"""What turning numba's cache off costs `framing map` (issue 17: the cache holds pickles).

Fits a ``RhetoricMap`` (UMAP + HDBSCAN) on the same vectors in fresh processes, one run,
side by side: with caching off (framing's default without --cache-dir), with a cold cache
(compiles and fills it) and with the warm cache. Prints the wall seconds of each and the
ratio off/warm: what caching saves on every run after the first.

    PYTHONPATH=. .venv/bin/python benchmarks/numba_cache.py [--points 1000] [--repeat 1]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FIT = """
import sys, time
import numpy as np
from framing.maps import RhetoricMap
n, rng = int(sys.argv[2]), np.random.default_rng(0)
centres = rng.normal(size=(6, 384))
x = (centres[rng.integers(0, 6, n)] + rng.normal(scale=0.6, size=(n, 384))).astype(np.float32)
cache = None if sys.argv[1] == "-" else sys.argv[1]
RhetoricMap(numba_cache=cache).fit(x)
"""


def _run(cache: str, points: int) -> float:
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[1])
    env.setdefault("OMP_NUM_THREADS", "1")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", FIT, cache, str(points)], env=env, check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as cache:
        cold = _run(cache, args.points)
        off, warm = [], []
        for _ in range(args.repeat):  # interleaved, so the machine's load hits both
            off.append(_run("-", args.points))
            warm.append(_run(cache, args.points))
    best_off, best_warm = min(off), min(warm)
    print(
        f"RhetoricMap.fit on {args.points} vectors, fresh process each "
        f"(wall s, best of {args.repeat}):"
    )
    print(f"  cache off : {best_off:6.1f}")
    print(f"  cold cache: {cold:6.1f}  (compiles and fills it)")
    print(f"  warm cache: {best_warm:6.1f}")
    print(f"  off / warm: {best_off / best_warm:4.2f}x  (+{best_off - best_warm:.1f} s per map)")


if __name__ == "__main__":
    main()
