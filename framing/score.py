"""Frame scores: lexical, semantic and combined per frame, and positions on axes.

Formulas (also in the README):

- lexical(s, f)  = 1 - exp(-sum of weights of the non-negated hits of frame f in s).
  One strong term (weight 1) gives 0.63, two give 0.86; negated hits count 0.
- semantic(s, f) = cos(e_s, c_f), where e_s is the sentence embedding and c_f the
  normalised mean of frame f's exemplar embeddings (Distributed Dictionary
  Representations, Garten et al. 2018). A frame without exemplars uses its terms.
- calibrated(s, f) = exp(z_f) / (exp(z_0) + sum_g exp(z_g)), z_f = (semantic - b_f) / d_f,
  where b_f and d_f are the mean and standard deviation of the similarities of the *other*
  frames' exemplars to c_f (the background). Frames compete for the sentence's meaning, with
  a null option at the background itself (z_0 = 0, ``null_z_``), so frames sharing a topic
  are told apart and a sentence near no frame gives each a small share (< 1/(n + 1)).
- combined(s, f) = w * lexical + (1 - w) * calibrated, w = ``lexical_weight`` (0.5).
- axis(s, a)      = d + (1 - |d|) * m, in (-1, 1): d = E(right) - E(left), the poles'
  own-voice lexical evidence, E(pole) = 1 - (1 - lexical(pole)) * prod_g (1 - lexical(g) / 2)
  over the frames g the axis lists in ``left_frames``/``right_frames`` (the rest of that side's
  idiom, at half weight: "Kiev regime" goes with "special military operation");
  m = tanh((e_s . v - mu) / h) * r, v = unit(S^-1 (mean right - mean left)) the mean
  difference of the axis's paired exemplars (the shared topic cancels), whitened by the
  exemplars' shrunken covariance S (Fisher's discriminant), mu their midpoint, h half their gap,
  r = 1 - exp(-max(z_a, 0) / 2) the sentence's relevance to what the pairs talk about.
  Negative leans to the left pole, positive to the right, 0 to neither.
- top_frame       = argmax combined, or None when the maximum is below ``min_score`` (0.1) or
  the winning frame has neither a term in the sentence nor a meaning above its background.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from framing.actors import UNKNOWN
from framing.attribution import AUTHOR, Voice
from framing.embed import Embedder
from framing.errors import ParameterError
from framing.estimator import TransformerParams
from framing.lexicon import Lexicon
from framing.match import Hit

__all__ = ["FrameScorer", "lexical_scores"]

# an allied frame's term is weaker evidence of a pole than the pole's own naming of the war
ALLY_WEIGHT = 0.5
# z of the background's standard deviations at which an axis's relevance reaches 1 - 1/e
CALIBRATION_SCALE = 2.0
# shrinkage of the exemplars' covariance towards its mean variance when an axis direction is
# whitened (Ledoit-Wolf style; a few hundred exemplars cannot fill 384 dimensions alone)
AXIS_SHRINKAGE = 0.8
# The null option of the frames' softmax: "none of these frames", as strong as a sentence that
# stands at a frame's background (the other frames' exemplars, z = 0). A null placed higher,
# where a frame's own exemplars stand (z ~ 1.4), gates each sentence by how close it comes to
# the lexicon in absolute terms, and that level is what a multilingual model shifts between
# languages (a Ukrainian sentence sits 0.02-0.06 lower on every centroid than its English
# translation): Ukrainian speeches then lost their frame shares unevenly. At z = 0 the null
# takes a large share only where no frame stands above its background, so that shift moves a
# document's profile far less (benchmarks/VALIDITY.md).
NULL_Z = 0.0
# Below this combined score no frame is "top": a frame that wins the sentence's meaning
# clearly (a share of 0.2, about one background standard deviation above eleven others at
# their background) with no term, or a weak term (0.2) alone; datelines and captions, whose
# shares are below 0.09, stay unframed.
MIN_SCORE = 0.1
ROUND = 4  # decimals in records: enough to rank, and stable across batch compositions


def lexical_scores(
    hits_per_sentence: Sequence[Sequence[Hit]], frame_ids: Sequence[str]
) -> np.ndarray:
    """(n_sentences, n_frames) saturating lexical scores from term hits."""
    column = {f: j for j, f in enumerate(frame_ids)}
    totals = np.zeros((len(hits_per_sentence), len(frame_ids)), dtype=np.float64)
    for i, hits in enumerate(hits_per_sentence):
        for hit in hits:
            if not hit.negated and hit.frame in column:
                totals[i, column[hit.frame]] += hit.weight
    return 1.0 - np.exp(-totals)


class FrameScorer(TransformerParams):
    """Scores sentence embeddings against a lexicon's frames and axes.

    A scikit-learn transformer (``framing.estimator``: the protocol without importing
    scikit-learn at start-up): parameters are stored as given and checked by ``fit()``,
    which embeds the exemplars and learns frame centroids, calibration and axes;
    ``transform(texts)`` returns the combined score matrix. ``clone``, ``get_params`` and
    ``Pipeline`` work as for any estimator.
    """

    def __init__(
        self,
        lexicon: Lexicon,
        embedder: Embedder | None = None,
        *,
        lexical_weight: float = 0.5,
        min_score: float = MIN_SCORE,
    ):
        self.lexicon = lexicon
        self.embedder = embedder
        self.lexical_weight = lexical_weight
        self.min_score = min_score

    def fit(self, X=None, y=None) -> FrameScorer:  # noqa: N803 - scikit-learn signature
        """Embed every frame's exemplars; learn centroids, calibration and axis vectors."""
        for name in ("lexical_weight", "min_score"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ParameterError(type(self).__name__, name, "a number in [0, 1]", value)
            if not 0.0 <= value <= 1.0:  # also false for NaN
                raise ParameterError(type(self).__name__, name, "in [0, 1]", value)
        embedder = self.embedder or Embedder()
        self.embedder_ = embedder
        self.frame_ids_ = self.lexicon.frame_ids
        self.axis_ids_ = self.lexicon.axis_ids
        # Exemplars define meaning; a frame without any falls back to its terms.
        self.exemplars_ = [
            list(f.exemplars) or [t.text for t in f.terms] for f in self.lexicon.frames
        ]
        flat = [s for group in self.exemplars_ for s in group]
        vectors = embedder.encode(flat)
        self.exemplar_vectors_: list[np.ndarray] = []
        pos = 0
        for group in self.exemplars_:
            self.exemplar_vectors_.append(vectors[pos : pos + len(group)])
            pos += len(group)
        self.centroids_ = np.stack([_unit(v.mean(axis=0)) for v in self.exemplar_vectors_])

        n = len(self.frame_ids_)
        self.background_ = np.zeros(n)
        self.spread_ = np.ones(n)
        for j in range(n):
            others = [v for k, v in enumerate(self.exemplar_vectors_) if k != j]
            if others:
                sims = np.vstack(others) @ self.centroids_[j]
                self.background_[j] = float(sims.mean())
                # a floor keeps a degenerate lexicon (identical exemplars) from dividing by ~0
                self.spread_[j] = max(float(sims.std()), 0.02)
        self.null_z_ = NULL_Z

        self._fit_axes(embedder)
        return self

    def _fit_axes(self, embedder) -> None:
        """Axis directions from paired exemplars, their zero point, unit and relevance.

        Each axis is the mean difference of its (left, right) pairs, so the topic a pair
        shares cancels and what is left is how it is told (Bolukbasi et al. 2016; FrameAxis
        builds its axes from the two poles' words). An axis without pairs takes its pole
        frames' exemplars as the two sides instead.
        """
        index = {f: j for j, f in enumerate(self.frame_ids_)}
        dim = self.centroids_.shape[1]
        n_axes = len(self.lexicon.axes)
        self.axis_poles_ = [(index[a.left], index[a.right]) for a in self.lexicon.axes]
        # (n_axes, n_frames) weight of each frame's lexical evidence for the left and the
        # right pole: 1 for the pole frame itself, ALLY_WEIGHT for the frames listed with it
        self.axis_left_weights_ = np.zeros((len(self.lexicon.axes), len(self.frame_ids_)))
        self.axis_right_weights_ = np.zeros_like(self.axis_left_weights_)
        for k, axis in enumerate(self.lexicon.axes):
            for weights, pole, allies in (
                (self.axis_left_weights_, axis.left, axis.left_frames),
                (self.axis_right_weights_, axis.right, axis.right_frames),
            ):
                weights[k, [index[f] for f in allies]] = ALLY_WEIGHT
                weights[k, index[pole]] = 1.0
        self.axis_vectors_ = np.zeros((n_axes, dim))
        self.axis_midpoints_ = np.zeros(n_axes)
        self.axis_half_gaps_ = np.ones(n_axes)
        self.axis_centroids_ = np.zeros((n_axes, dim))
        self.axis_background_ = np.zeros(n_axes)
        self.axis_spread_ = np.ones(n_axes)
        # Whitening: the pair difference is divided by the spread of all exemplars (topic
        # variance), so that directions in which war talk varies anyway count less than those
        # in which only the way of telling it moves (Fisher's discriminant, with a shrunken
        # covariance: (1 - a) S + a (tr S / d) I).
        inverse_cov = _shrunk_inverse_covariance(np.vstack(self.exemplar_vectors_), AXIS_SHRINKAGE)
        pair_texts = [t for a in self.lexicon.axes for pair in a.pairs for t in pair]
        pair_vectors = embedder.encode(pair_texts) if pair_texts else np.zeros((0, dim))
        pos = 0
        for k, axis in enumerate(self.lexicon.axes):
            li, ri = self.axis_poles_[k]
            if axis.pairs:
                block = pair_vectors[pos : pos + 2 * len(axis.pairs)]
                pos += 2 * len(axis.pairs)
                left, right = block[0::2], block[1::2]
            else:
                left, right = self.exemplar_vectors_[li], self.exemplar_vectors_[ri]
            # for pairs, the mean of the differences (the two sides need not be paired), whitened
            direction = _unit(inverse_cov @ (right.mean(axis=0) - left.mean(axis=0)))
            self.axis_vectors_[k] = direction
            # 0 = halfway between the poles; +-1 = where the pole sentences sit on average
            at_left, at_right = float((left @ direction).mean()), float((right @ direction).mean())
            self.axis_midpoints_[k] = (at_left + at_right) / 2
            self.axis_half_gaps_[k] = max((at_right - at_left) / 2, 0.02)
            # relevance: how much a sentence is about what the axis poles talk about at all,
            # a standard score against the other frames' exemplars (as calibrated() does)
            centroid = _unit(np.vstack([left, right]).mean(axis=0))
            self.axis_centroids_[k] = centroid
            others = [v for j, v in enumerate(self.exemplar_vectors_) if j not in (li, ri)]
            if others:
                sims = np.vstack(others) @ centroid
                self.axis_background_[k] = float(sims.mean())
                self.axis_spread_[k] = max(float(sims.std()), 0.02)

    # --- the score matrices -------------------------------------------------------------

    def semantic(self, embeddings: np.ndarray) -> np.ndarray:
        """(n, n_frames) cosine similarity of each sentence to each frame centroid."""
        return embeddings @ self.centroids_.T

    def calibrated(self, semantic: np.ndarray) -> np.ndarray:
        """Each frame's share of the sentence's meaning, in [0, 1): a contrastive score.

        z = (semantic - b_f) / d_f is how far the sentence stands above the background of
        frame f; the frames then compete in a softmax with a null option at ``null_z_``
        (where a frame's own exemplars sit), so frames that share a topic (special_operation,
        invasion, occupation) are told apart, and a sentence near no frame gives every
        frame a small share.
        """
        z = (semantic - self.background_) / self.spread_
        null = self.null_z_
        # subtract the row maximum (or the null's z) before exp, for numerical safety
        top = np.maximum(z.max(axis=1, keepdims=True), null) if z.size else null
        weights = np.exp(z - top)
        return weights / (weights.sum(axis=1, keepdims=True) + np.exp(null - top))

    def semantic_axes(self, embeddings: np.ndarray) -> np.ndarray:
        """(n, n_axes) meaning's position on each axis, in (-1, 1); 0 when off-topic.

        tanh of the distance from the midpoint in half-gaps, times the sentence's relevance
        to the axis, so a sentence about something else sits near 0 whichever way it leans.
        """
        position = np.tanh(
            (embeddings @ self.axis_vectors_.T - self.axis_midpoints_) / self.axis_half_gaps_
        )
        z = (embeddings @ self.axis_centroids_.T - self.axis_background_) / self.axis_spread_
        relevance = 1.0 - np.exp(-np.maximum(z, 0.0) / CALIBRATION_SCALE)
        return position * relevance

    def axes(self, embeddings: np.ndarray, lexical: np.ndarray | None = None) -> np.ndarray:
        """(n, n_axes) positions in (-1, 1): negative leans to the left pole, positive right.

        The lexical evidence of the poles (own voice, not negated) comes first, and
        meaning fills what terms leave: axis = d + (1 - |d|) * semantic_axes, with
        d = pole_evidence(right) - pole_evidence(left). Without ``lexical``, meaning alone.
        """
        semantic = self.semantic_axes(embeddings)
        if lexical is None or not self.axis_poles_:
            return semantic
        evidence = self.pole_evidence(lexical, self.axis_right_weights_) - self.pole_evidence(
            lexical, self.axis_left_weights_
        )
        return evidence + (1.0 - np.abs(evidence)) * semantic

    @staticmethod
    def pole_evidence(lexical: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """(n, n_axes) 1 - prod_f (1 - w_f * lexical_f): any of a pole's frames may carry it,
        and evidence from several saturates like the lexical score itself."""
        # log1p(-x) with x <= 1; a lexical score of exactly 1 cannot occur (1 - exp(-t) < 1)
        log_miss = np.log1p(-np.clip(lexical, 0.0, 1.0 - 1e-12)[:, None, :] * weights[None, :, :])
        return 1.0 - np.exp(log_miss.sum(axis=2))

    def combined(self, lexical: np.ndarray, semantic: np.ndarray) -> np.ndarray:
        w = self.lexical_weight
        return w * lexical + (1.0 - w) * self.calibrated(semantic)

    def transform(self, texts: Sequence[str]) -> np.ndarray:
        """(n, n_frames) combined scores for raw texts (for scikit-learn pipelines)."""
        from framing.match import TermMatcher

        matcher = TermMatcher(self.lexicon)
        hits = [matcher.match(t) for t in texts]
        embeddings = self.embedder_.encode(list(texts))
        return self.combined(lexical_scores(hits, self.frame_ids_), self.semantic(embeddings))

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """The frame ids: the columns of ``transform``."""
        return np.asarray(self.frame_ids_, dtype=object)

    def nearest_exemplar(self, embedding: np.ndarray, frame_index: int) -> tuple[str, float]:
        """The exemplar of a frame closest to a sentence, and its cosine similarity."""
        sims = self.exemplar_vectors_[frame_index] @ embedding
        k = int(np.argmax(sims))
        return self.exemplars_[frame_index][k], float(sims[k])

    # --- records ------------------------------------------------------------------------

    def score_records(
        self,
        sentences: Sequence,
        hits_per_sentence: Sequence[Sequence[Hit]],
        embeddings: np.ndarray,
        voices: Sequence[Voice] | None = None,
        hit_voices: Sequence[Sequence[Voice]] | None = None,
    ) -> list[dict]:
        """One record per sentence: scores, top frame, hits, and the evidence behind them.

        ``voices`` gives each sentence's speaker (default: the author); ``hit_voices`` each
        hit's (default: its sentence's), so a term inside a quotation is the quoted speaker's.
        """
        default_voice = Voice(AUTHOR, UNKNOWN, "author")
        if voices is None:
            voices = [default_voice] * len(sentences)
        if hit_voices is None:
            hit_voices = [[v] * len(h) for v, h in zip(voices, hits_per_sentence, strict=True)]
        # A sentence's lexical score counts only the words in its own speaker's voice: in 'the
        # invasion, which Moscow calls a "special military operation"' the quoted term is
        # Moscow's, so it stays in ``hits`` (credited to Moscow) but adds nothing to the
        # author's score for special_operation. Narration never owns quoted words either: a
        # quotation whose speaker was not found, or a scare-quoted term that names nobody
        # ('the "liberation" was brutal'), is someone else's word or the author's distance.
        own_hits = [
            [
                h
                for h, v in zip(hits, hv, strict=True)
                if v.speaker == voice.speaker and not (h.quoted and voice.voice_kind == "author")
            ]
            for hits, hv, voice in zip(hits_per_sentence, hit_voices, voices, strict=True)
        ]
        lexical = lexical_scores(own_hits, self.frame_ids_)
        semantic = self.semantic(embeddings)
        combined = self.combined(lexical, semantic)
        axes = self.axes(embeddings, lexical)
        # a frame can be a sentence's top frame only with evidence of its own: one of its terms,
        # or a meaning above its background (z > 0). Below the background the softmax still
        # shares the sentence out, the more evenly the fewer the frames (a 3-frame lexicon gives
        # each about a quarter), and that share is no evidence.
        supported = (lexical > 0) | (semantic > self.background_)
        records = []
        for i, sentence in enumerate(sentences):
            top = int(np.argmax(combined[i])) if len(self.frame_ids_) else -1
            top_score = float(combined[i, top]) if top >= 0 else 0.0
            framed = top >= 0 and top_score >= self.min_score and bool(supported[i, top])
            top_frame = self.frame_ids_[top] if framed else None
            evidence = None
            if top_frame is not None:
                exemplar, similarity = self.nearest_exemplar(embeddings[i], top)
                evidence = {
                    "frame": top_frame,
                    "terms": sorted(
                        {h.term for h in own_hits[i] if h.frame == top_frame and not h.negated}
                    ),
                    "nearest_exemplar": exemplar,
                    "exemplar_similarity": round(similarity, ROUND),
                }
            voice = voices[i]
            hit_dicts = [
                {**h.to_dict(), "speaker": v.speaker, "side": v.side}
                for h, v in zip(hits_per_sentence[i], hit_voices[i], strict=True)
            ]
            records.append(
                {
                    "doc": sentence.doc,
                    "sentence_id": sentence.sentence_id,
                    "start": sentence.start,
                    "end": sentence.end,
                    "text": sentence.text,
                    "speaker": voice.speaker,
                    "side": voice.side,
                    "voice_kind": voice.voice_kind,
                    "top_frame": top_frame,
                    "top_score": round(top_score, ROUND),
                    "frames": _row(self.frame_ids_, combined[i]),
                    "lexical": _row(self.frame_ids_, lexical[i]),
                    "semantic": _row(self.frame_ids_, semantic[i]),
                    "axes": _row(self.axis_ids_, axes[i]),
                    "hits": hit_dicts,
                    "evidence": evidence,
                }
            )
        return records


def _row(keys: Sequence[str], values: np.ndarray) -> dict[str, float]:
    # float(round()) of a float32 via float64 keeps JSON stable ("0.1234", not "0.12340001")
    return {k: round(float(v), ROUND) + 0.0 for k, v in zip(keys, values, strict=True)}


def _shrunk_inverse_covariance(points: np.ndarray, shrinkage: float) -> np.ndarray:
    """Inverse of (1 - a) S + a (tr S / d) I for the points' covariance S: well defined with
    fewer points than dimensions, and the identity (no whitening) for a single point."""
    dim = points.shape[1]
    if len(points) < 2:
        return np.eye(dim)
    cov = np.cov(points.astype(np.float64), rowvar=False)
    scale = float(np.trace(cov)) / dim
    if scale <= 0:
        return np.eye(dim)
    return np.linalg.inv((1.0 - shrinkage) * cov + shrinkage * scale * np.eye(dim))


def _unit(v: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(v)
    return v / norm if norm > 0 else v
