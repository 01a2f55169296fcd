"""Peak memory of segmentation + attribution on unpunctuated text (issue 17, item 1).

Each size runs in a fresh process (peak RSS is per process); the text is random words with
no sentence punctuation and a speech verb now and then, the shape that used to make memory
grow with the square of the length. Prints a Markdown table: size, seconds, peak RSS, and
RSS per MB of text above the interpreter's own.

    python benchmarks/memory_attribution.py            # 1, 4, 16 MB
    python benchmarks/memory_attribution.py 1 2
"""

from __future__ import annotations

import json
import subprocess
import sys

_RUN = """
import json, random, resource, sys, time
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
from framing.attribution import attribute
from framing.text import Document, find_quotes, segment
words = ("the invaders shelled town our defenders will not surrender special military "
         "operation liberation occupation kremlin said that").split()
rng = random.Random(3)
target = int(float(sys.argv[1]) * 2**20)
parts, size = [], 0
while size < target:
    w = rng.choice(words)
    parts.append(w)
    size += len(w) + 1
text = " ".join(parts)
loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
doc = Document("big", text)
sentences = segment(doc)
spans = attribute(doc, sentences, find_quotes(text, sentences)).spans
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"mb": len(text) / 2**20, "seconds": seconds, "peak_kb": peak,
                  "loaded_kb": loaded, "spans": len(spans)}))
"""


def measure(mb: float) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", _RUN, str(mb)], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def main(argv: list[str]) -> int:
    sizes = [float(a) for a in argv] or [1.0, 4.0, 16.0]
    print("| text (MB) | seconds | peak RSS (MB) | RSS per MB of text (MB) | spans |")
    print("|---:|---:|---:|---:|---:|")
    for mb in sizes:
        r = measure(mb)
        extra = (r["peak_kb"] - r["loaded_kb"]) / 1024
        print(
            f"| {r['mb']:.1f} | {r['seconds']:.1f} | {r['peak_kb'] / 1024:.0f} | "
            f"{extra / r['mb']:.0f} | {r['spans']} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
