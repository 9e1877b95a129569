"""ROUGE-1, ROUGE-2, ROUGE-L and ROUGE-Lsum, equal to ``rouge_score`` 0.1.2.

With the ``rouge_score`` tokenizer (:mod:`.rouge_tokenize`) every score is bit-identical to
``rouge_scorer.RougeScorer(types, use_stemmer=...)``: ``score(target, prediction)`` for one reference
and ``score_multi(targets, prediction)`` for several, which keeps, per ROUGE type, the whole Score
(P, R, F) of the first reference with the highest F. The definitions are rouge_score's:

* ROUGE-N: clipped n-gram overlap, ``P = overlap / max(#pred n-grams, 1)``, ``R = overlap / max(#ref
  n-grams, 1)``, ``F = 2PR / (P + R)`` or 0;
* ROUGE-L: longest common subsequence of the token sequences (0 when either is empty);
* ROUGE-Lsum: summary-level LCS (Lin 2004, section 3.2) over sentences split on ``"\\n"`` (empty lines
  dropped), the union LCS of each reference sentence against all predicted sentences, with
  ROUGE-1.5.5's guard against counting a token more often than it occurs. The union depends on which
  LCS is chosen; the backtracking follows rouge_score's tie-breaking exactly.

Speed: each text is tokenized once (its lines for ROUGE-Lsum, their concatenation for the other
types) and its tokens become integer ids; LCS lengths use the bit-parallel algorithm of Allison and
Dix / Hyyrö (one big-integer update per token instead of a row of the DP table); the ROUGE-Lsum
backtracking reads DP cells from the stored bit vectors and crosses a run of non-matching columns in
one step. Equality with rouge_score is tested on random texts, including the chosen LCS.

A corpus score is the mean over documents of the per-document P, R and F (as rouge_score's
aggregator and HF evaluate report); those per-document values are the sufficient statistics kept for
bootstrap intervals and paired tests.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain, pairwise
from typing import NamedTuple

import numpy as np

from warta.benchmarks.metrics.rouge_tokenize import RougeTokenizer

ROUGE_TYPES = ("rouge1", "rouge2", "rougeL", "rougeLsum")
PARTS = ("p", "r", "f")


class Score(NamedTuple):
    """Like ``rouge_score.scoring.Score``: precision, recall, F-measure."""

    precision: float
    recall: float
    fmeasure: float


ZERO = Score(0, 0, 0)


def fmeasure(precision: float, recall: float) -> float:
    """rouge_score's ``scoring.fmeasure``."""
    if precision + recall > 0:
        return 2 * precision * recall / (precision + recall)
    return 0.0


_POWERS = [1 << i for i in range(256)]


def _masks(tokens: Sequence[int]) -> dict[int, int]:
    """token -> bit set of its positions in ``tokens``."""
    n = len(tokens)
    powers = _POWERS[:n] if n <= len(_POWERS) else [1 << i for i in range(n)]
    masks = dict(zip(tokens, powers))
    if len(masks) == n:  # no repeated token: done in C
        return masks
    masks = {}
    get = masks.get
    for token, bit in zip(tokens, powers):
        masks[token] = get(token, 0) | bit
    return masks


def lcs_length(a: Sequence[int], b: Sequence[int]) -> int:
    """Length of a longest common subsequence (bit-parallel, O(len(a) * len(b) / word size))."""
    if len(a) < len(b):
        a, b = b, a
    if not b:
        return 0
    masks = _masks(a)
    v = -1  # all ones: no match yet in any row
    get = masks.get
    for token in b:
        m = get(token)
        if m:
            u = v & m
            v = (v + u) | (v - u)
    return len(a) - (v & ((1 << len(a)) - 1)).bit_count()


def lcs_indices(ref: Sequence[int], can: Sequence[int], ref_masks: dict[int, int] | None = None) -> list[int]:
    """Indices into ``ref`` of the LCS that rouge_score's ``lcs_ind`` (``_backtrack_norec``) returns."""
    n, m = len(ref), len(can)
    if not n or not m:
        return []
    masks = ref_masks if ref_masks is not None else _masks(ref)
    matches = [masks.get(token, 0) for token in can]
    if not any(matches):
        return []
    columns = [-1]
    append = columns.append
    v = -1
    for mask in matches:
        if mask:
            u = v & mask
            v = (v + u) | (v - u)
        append(v)
    # rouge_score's backtracking from cell (i, j): take the diagonal on a match, else go left when
    # T[i][j-1] > T[i-1][j], else up. With T[i][j] = number of zero bits of column j below bit i,
    # "left" is exactly "bit i-1 of column j is 0", so a run of "up" steps jumps at once to the
    # highest row below i that matches can[j-1] or has a zero bit: one step per column.
    out: list[int] = []
    i = n
    for j in range(m, 0, -1):
        match = matches[j - 1]
        stop = (~columns[j] | match) & ((1 << i) - 1)
        if not stop:
            break
        i = stop.bit_length()
        if (match >> (i - 1)) & 1:
            out.append(i - 1)
            i -= 1
            if not i:
                break
    out.reverse()
    return out


def _overlap(a: Counter, b: Counter) -> int:
    """Clipped overlap ``sum(min(a[k], b[k]))``, walking the smaller counter."""
    if len(a) > len(b):
        a, b = b, a
    get = b.get
    total = 0
    for key, count in a.items():
        other = get(key)
        if other:
            total += count if count < other else other
    return total


def _ngram_score(ref: Counter, pred: Counter, n_ref: int, n_pred: int) -> Score:
    overlap = _overlap(ref, pred)
    precision = overlap / max(n_pred, 1)
    recall = overlap / max(n_ref, 1)
    return Score(precision, recall, fmeasure(precision, recall))


def _lcs_score(ref: list[int], pred: list[int]) -> Score:
    if not ref or not pred:
        return ZERO
    lcs = lcs_length(ref, pred)
    precision = lcs / len(pred)
    recall = lcs / len(ref)
    return Score(precision, recall, fmeasure(precision, recall))


def _union_lcs_mask(ref_masks: dict[int, int], n_ref: int, candidates: list[list[int]]) -> int:
    """Bit set of the indices into a reference sentence covered by the union of its LCS with each
    candidate sentence: :func:`lcs_indices`, specialised for ROUGE-Lsum's inner loop.

    Only candidate tokens that occur in the reference change the bit vector, so the forward pass
    visits just those; in the backtracking a run of non-matching columns shares one bit vector,
    and moving through it is a single jump to the highest zero bit below the current row.
    """
    get = ref_masks.get
    union = 0
    for can in candidates:
        hits = [(j, mask) for j, token in enumerate(can) if (mask := get(token))]
        if not hits:
            continue
        columns = []
        v = -1
        for _, mask in hits:
            u = v & mask
            v = (v + u) | (v - u)
            columns.append(v)
        i = n_ref
        right = len(can)  # columns right of the current hit, down to it, are non-matching
        for k in range(len(hits) - 1, -1, -1):
            j, mask = hits[k]
            col = columns[k]
            if right > j + 1:  # non-matching columns j+2..right share this bit vector
                stop = ~col & ((1 << i) - 1)
                if not stop:
                    break
                i = stop.bit_length()
            stop = (~col | mask) & ((1 << i) - 1)
            if not stop:
                break
            i = stop.bit_length()
            if (mask >> (i - 1)) & 1:
                i -= 1
                union |= 1 << i
                if not i:
                    break
            right = j
    return union


def _lsum_score(
    ref_sents: list[list[int]],
    pred_sents: list[list[int]],
    ref_counts: Counter | None = None,
    pred_counts: Counter | None = None,
) -> Score:
    """Summary-level LCS; ``*_counts`` are the token counts of each side if already known (copied)."""
    if not ref_sents or not pred_sents:
        return ZERO
    m = sum(map(len, ref_sents))
    n = sum(map(len, pred_sents))
    if not n or not m:
        return ZERO
    counts_r = Counter(ref_counts) if ref_counts is not None else Counter(chain.from_iterable(ref_sents))
    counts_c = Counter(pred_counts) if pred_counts is not None else Counter(chain.from_iterable(pred_sents))
    hits = 0
    for r in ref_sents:
        if not r:
            continue
        union = _union_lcs_mask(_masks(r), len(r), pred_sents)
        while union:  # indices in increasing order, as rouge_score's sorted union
            lowest = union & -union
            union ^= lowest
            t = r[lowest.bit_length() - 1]
            if counts_c[t] > 0 and counts_r[t] > 0:
                hits += 1
                counts_c[t] -= 1
                counts_r[t] -= 1
    recall = hits / m
    precision = hits / n
    return Score(precision, recall, fmeasure(precision, recall))


class _Vocabulary(dict):
    """token -> integer id, assigning the next id to a new token."""

    def __missing__(self, token: str) -> int:
        self[token] = i = len(self)
        return i


class _Text:
    """A tokenized text: sentence token ids (for ROUGE-Lsum), all ids, n-gram counters (lazy)."""

    __slots__ = ("_ngrams", "sentences", "tokens")

    def __init__(self, sentences: list[list[int]]) -> None:
        self.sentences = sentences
        self.tokens = list(chain.from_iterable(sentences))
        self._ngrams: dict[int, Counter] = {}

    def ngrams(self, n: int) -> Counter:
        counter = self._ngrams.get(n)
        if counter is None:
            t = self.tokens
            if n == 1:
                counter = Counter(t)
            elif n == 2:
                counter = Counter(pairwise(t))
            else:
                counter = Counter(zip(*(t[i:] for i in range(n))))
            self._ngrams[n] = counter
        return counter


def _ngram_order(rouge_type: str) -> int:
    if rouge_type.startswith("rouge") and rouge_type[5:].isdigit() and len(rouge_type) == 6:
        n = int(rouge_type[5:])
        if n > 0:
            return n
    raise ValueError(f"invalid ROUGE type {rouge_type!r}; expected rouge1..rouge9, rougeL or rougeLsum")


@dataclass(frozen=True)
class RougeEvaluation:
    """Per-document scores (max over references) and their means."""

    rouge_types: tuple[str, ...]
    statistics: np.ndarray  # (n_documents, 3 * len(rouge_types)): p, r, f per type

    @property
    def columns(self) -> list[str]:
        return statistic_columns(self.rouge_types)

    def mean(self) -> dict[str, Score | None]:
        if not self.statistics.shape[0]:
            return {t: None for t in self.rouge_types}
        means = self.statistics.mean(0)
        return {t: Score(*(float(x) for x in means[3 * i : 3 * i + 3])) for i, t in enumerate(self.rouge_types)}


def statistic_columns(rouge_types: Sequence[str]) -> list[str]:
    return [f"{t}.{part}" for t in rouge_types for part in PARTS]


class RougeScorer:
    """ROUGE scores with a fixed tokenizer; a drop-in for ``rouge_scorer.RougeScorer``'s scoring API."""

    def __init__(
        self,
        rouge_types: Sequence[str] = ROUGE_TYPES,
        *,
        tokenizer: str | RougeTokenizer = "indonesian",
        stemmer: bool = False,
    ) -> None:
        self.rouge_types = tuple(rouge_types)
        for t in self.rouge_types:
            if t not in ("rougeL", "rougeLsum"):
                _ngram_order(t)
        self.tokenizer = tokenizer if isinstance(tokenizer, RougeTokenizer) else RougeTokenizer(tokenizer, stemmer)
        self._vocab = _Vocabulary()

    def _prepare(self, text: str) -> _Text:
        ids = self._vocab.__getitem__
        return _Text([list(map(ids, tokens)) for tokens in self.tokenizer.sentences(text)])

    def _score(self, ref: _Text, pred: _Text) -> dict[str, Score]:
        out = {}
        for t in self.rouge_types:
            if t == "rougeL":
                out[t] = _lcs_score(ref.tokens, pred.tokens)
            elif t == "rougeLsum":
                out[t] = _lsum_score(ref.sentences, pred.sentences, ref.ngrams(1), pred.ngrams(1))
            else:
                n = _ngram_order(t)
                out[t] = _ngram_score(
                    ref.ngrams(n), pred.ngrams(n), max(len(ref.tokens) - n + 1, 0), max(len(pred.tokens) - n + 1, 0)
                )
        return out

    def score(self, target: str, prediction: str) -> dict[str, Score]:
        """Scores of ``prediction`` against one reference ``target`` (rouge_score's argument order)."""
        return self._score(self._prepare(target), self._prepare(prediction))

    def score_multi(self, targets: Sequence[str], prediction: str) -> dict[str, Score]:
        """Per type, the Score of the first reference with the highest F (rouge_score's ``score_multi``)."""
        if not targets:
            raise ValueError("score_multi needs at least one reference")
        pred = self._prepare(prediction)
        per_ref = [self._score(self._prepare(t), pred) for t in targets]
        out = {}
        for t in self.rouge_types:
            best = per_ref[0][t]
            for scores in per_ref[1:]:
                if scores[t].fmeasure > best.fmeasure:
                    best = scores[t]
            out[t] = best
        return out

    def score_corpus(self, references: Sequence[Sequence[str]], predictions: Sequence[str]) -> RougeEvaluation:
        """Per-document :meth:`score_multi` of ``predictions[i]`` against ``references[i]``."""
        if len(references) != len(predictions):
            raise ValueError(f"{len(references)} reference sets but {len(predictions)} predictions")
        rows = []
        for refs, pred in zip(references, predictions):
            if len(refs) == 1:
                scores = self._score(self._prepare(refs[0]), self._prepare(pred))
            else:
                scores = self.score_multi(refs, pred)
            rows.append([x for t in self.rouge_types for x in scores[t]])
        stats = np.array(rows, dtype=np.float64).reshape(len(rows), 3 * len(self.rouge_types))
        return RougeEvaluation(self.rouge_types, stats)
