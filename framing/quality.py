"""How well a lexicon's exemplars define its frames and axes, for lexicon authors.

- A frame: leave-one-out over its exemplars. Each exemplar is embedded, its frame's centroid
  is recomputed without it, and it should stand higher above its own frame's background
  than above any other frame's (the standard score the scorer uses). A frame whose
  exemplars often land elsewhere is not told apart from its neighbours by meaning and is
  flagged weak.
- An axis: leave-one-out over its pairs. The axis direction is rebuilt without a pair, and
  the pair's left sentence should fall left of its right sentence. An axis without pairs is
  checked on its pole frames' exemplars instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from framing.lexicon import Lexicon

__all__ = ["FrameQuality", "AxisQuality", "lexicon_quality", "MIN_FRAME_HIT_RATE"]

# below this share of exemplars nearest their own frame (or pairs ordered), a frame or
# axis is flagged: about a third of its examples would be read as something else
MIN_FRAME_HIT_RATE = 0.7
MIN_AXIS_ORDERED = 0.8
MIN_EXEMPLARS = 5


@dataclass(frozen=True)
class FrameQuality:
    frame: str
    exemplars: int
    nearest_own: int
    # (exemplar, the frame it fell nearest to) for each one that left home
    strays: tuple[tuple[str, str], ...] = field(default=())

    @property
    def hit_rate(self) -> float:
        return self.nearest_own / self.exemplars if self.exemplars else 0.0

    @property
    def problems(self) -> list[str]:
        out = []
        if self.exemplars < MIN_EXEMPLARS:
            out.append(f"only {self.exemplars} exemplars (want at least {MIN_EXEMPLARS})")
        if self.exemplars and self.hit_rate < MIN_FRAME_HIT_RATE:
            out.append(
                f"{self.nearest_own}/{self.exemplars} exemplars nearest their own frame "
                f"(want {MIN_FRAME_HIT_RATE:.0%})"
            )
        return out


@dataclass(frozen=True)
class AxisQuality:
    axis: str
    source: str  # "pairs" or "pole exemplars"
    checked: int
    ordered: int
    mean_gap: float  # mean (right - left) projection, in units of the axis's half-gap
    misordered: tuple[tuple[str, str], ...] = field(default=())

    @property
    def ordered_rate(self) -> float:
        return self.ordered / self.checked if self.checked else 0.0

    @property
    def problems(self) -> list[str]:
        out = []
        if self.source != "pairs":
            out.append("no [[axes.pairs]]: its direction is the pole frames' difference")
        if self.checked and self.ordered_rate < MIN_AXIS_ORDERED:
            out.append(
                f"{self.ordered}/{self.checked} held-out pairs on their own poles "
                f"(want {MIN_AXIS_ORDERED:.0%})"
            )
        return out


def _unit(v: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(v, axis=-1, keepdims=True)
    return v / np.where(norm > 0, norm, 1.0)


def frame_quality(lexicon: Lexicon, vectors: list[np.ndarray]) -> list[FrameQuality]:
    """Leave-one-out nearest-centroid check of every frame's exemplars."""
    centroids = _unit(np.stack([v.mean(axis=0) for v in vectors]))
    # nearest as the scorer sees it: similarity as a standard score above each frame's
    # background (the other frames' exemplars), so a broad frame does not win everything
    background = np.zeros(len(vectors))
    spread = np.ones(len(vectors))
    for j in range(len(vectors)):
        others = [v for k, v in enumerate(vectors) if k != j]
        if others:
            sims = np.vstack(others) @ centroids[j]
            background[j], spread[j] = float(sims.mean()), max(float(sims.std()), 0.02)
    out = []
    for j, frame in enumerate(lexicon.frames):
        own = vectors[j]
        strays = []
        hits = 0
        for i in range(len(frame.exemplars)):
            rest = np.delete(own, i, axis=0)
            held_out = centroids.copy()
            # a frame of one exemplar has no centroid without it: it cannot be nearest
            held_out[j] = _unit(rest.mean(axis=0)) if len(rest) else 0.0
            sims = (held_out @ own[i] - background) / spread
            nearest = int(np.argmax(sims))
            if nearest == j:
                hits += 1
            else:
                strays.append((frame.exemplars[i], lexicon.frames[nearest].id))
        out.append(FrameQuality(frame.id, len(frame.exemplars), hits, tuple(strays)))
    return out


def axis_quality(lexicon: Lexicon, frame_vectors: list[np.ndarray], embed) -> list[AxisQuality]:
    """Leave-one-out check that each axis's pairs (or pole exemplars) fall on their poles."""
    index = {f: j for j, f in enumerate(lexicon.frame_ids)}
    out = []
    for axis in lexicon.axes:
        if axis.pairs:
            left = embed([p[0] for p in axis.pairs])
            right = embed([p[1] for p in axis.pairs])
            texts = list(axis.pairs)
            source = "pairs"
        else:
            left, right = frame_vectors[index[axis.left]], frame_vectors[index[axis.right]]
            n = min(len(left), len(right))
            left, right = left[:n], right[:n]
            li, ri = axis.left, axis.right
            texts = [(li, ri)] * n
            source = "pole exemplars"
        ordered = 0
        gaps = []
        misordered = []
        for i in range(len(left)):
            rest_l, rest_r = np.delete(left, i, axis=0), np.delete(right, i, axis=0)
            if not len(rest_l):
                break
            direction = _unit(rest_r.mean(axis=0) - rest_l.mean(axis=0))
            at_l, at_r = rest_l @ direction, rest_r @ direction
            mid, half = (at_l.mean() + at_r.mean()) / 2, max((at_r.mean() - at_l.mean()) / 2, 1e-6)
            pos_l, pos_r = (left[i] @ direction - mid) / half, (right[i] @ direction - mid) / half
            gaps.append(float(pos_r - pos_l))
            if pos_l < pos_r:
                ordered += 1
            else:
                misordered.append(texts[i])
        out.append(
            AxisQuality(
                axis.id,
                source,
                len(gaps),
                ordered,
                float(np.mean(gaps)) if gaps else 0.0,
                tuple(misordered) if source == "pairs" else (),
            )
        )
    return out


def lexicon_quality(lexicon: Lexicon, embedder) -> tuple[list[FrameQuality], list[AxisQuality]]:
    """Frame and axis quality of a lexicon under ``embedder`` (anything with ``encode``)."""
    flat = [s for f in lexicon.frames for s in f.exemplars]
    vectors = embedder.encode(flat) if flat else np.zeros((0, 1))
    frame_vectors, pos = [], 0
    for f in lexicon.frames:
        frame_vectors.append(vectors[pos : pos + len(f.exemplars)])
        pos += len(f.exemplars)
    padded = [v if len(v) else np.zeros((1, vectors.shape[1])) for v in frame_vectors]
    frames = frame_quality(lexicon, padded)
    return frames, axis_quality(lexicon, frame_vectors, embedder.encode)
