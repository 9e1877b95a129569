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
types) and its n-gram counts are kept. LCS lengths use the bit-parallel algorithm of Allison and
Dix / Hyyrö (one big-integer update per token instead of a row of the DP table). A reference is laid
out once as bit sets per token (:class:`_Layout`) holding its sentences side by side, kept apart by
a cleared bit, plus a copy of the whole text for ROUGE-L, so one update per predicted token advances
ROUGE-L and the LCS of the predicted sentence against every reference sentence at once. The
ROUGE-Lsum backtracking reads DP cells from the stored bit vectors, crosses a run of non-matching
columns in one step, and is skipped where its result is known. Equality with rouge_score is tested
on random texts, including the chosen LCS.

A corpus score is the mean over documents of the per-document P, R and F (as rouge_score's
aggregator and HF evaluate report); those per-document values are the sufficient statistics kept for
bootstrap intervals and paired tests.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from itertools import chain, pairwise, repeat
from typing import NamedTuple

import numpy as np

from warta.benchmarks.metrics.rouge_tokenize import RougeTokenizer

try:  # the C loop behind Counter.update, without Counter's per-call type checks
    from collections import _count_elements
except ImportError:  # pragma: no cover - every CPython has it

    def _count_elements(mapping: dict, iterable: Iterable) -> None:
        get = mapping.get
        for item in iterable:
            mapping[item] = get(item, 0) + 1

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


def _overlap(a: dict, b: dict) -> int:
    """Clipped overlap ``sum(min(a[k], b[k]))``, walking the smaller counter."""
    if len(a) > len(b):
        a, b = b, a
    get = b.get
    total = 0
    for key, count in a.items():
        other = get(key)
        if other:
            total += count if count < other else other  # noqa: FURB136 (faster than min)
    return total


#: the token at a spare bit of a :class:`_Layout`, equal to no other
_SPARE = object()


class _Layout:
    """A reference's tokens laid out as bits for the bit-parallel LCS of ROUGE-L and ROUGE-Lsum.

    The low ``n`` bits are for ROUGE-Lsum: non-empty sentence ``s`` occupies bits ``[low_s,
    high_s)`` and one spare bit separates consecutive sentences; the spare bits are cleared after
    every update, which stops the carry of one sentence from reaching the next, so one pass over a
    predicted sentence runs the LCS against every reference sentence at once. Bit ``n`` separates
    the same layout shifted to ``[n + 1, 2n + 1)``, for ROUGE-L: there the spare bits stay 1, a
    reference row that matches nothing, which leaves the LCS of the whole text unchanged. One big
    integer update per predicted token thus advances both. ``masks[token]`` is the set of bits
    where ``token`` occurs, in both halves.
    """

    __slots__ = ("blocks", "keep", "masks", "repeated", "rows", "shift")

    def __init__(self, sentences: Sequence[Sequence[Hashable]], counts: dict) -> None:
        flat: list[Hashable] = []
        blocks: list[tuple[int, int]] = []
        for sentence in sentences:
            if not sentence:
                continue
            if flat:
                flat.append(_SPARE)
            low = 1 << len(flat)
            flat.extend(sentence)
            blocks.append((low, (1 << len(flat)) - low))
        n = len(flat)
        masks: dict[Hashable, int] = {}
        get = masks.get
        for token, bit in zip(flat, _both_halves(n)):
            masks[token] = get(token, 0) | bit
        spare = masks.pop(_SPARE, 0) & ((1 << n) - 1)
        self.masks = masks
        #: (lowest bit, bit set of the rows) of each non-empty sentence, in the ROUGE-Lsum half
        self.blocks = blocks
        self.shift = n + 1
        #: the ROUGE-Lsum rows (spare bits excluded)
        self.rows = ((1 << n) - 1) ^ spare
        #: bits kept after an update: the ROUGE-Lsum rows and the whole ROUGE-L half
        self.keep = self.rows | (((1 << n) - 1) << (n + 1))
        #: (token, bit set) of the tokens occurring more than once, the only ones ROUGE-Lsum may clip
        self.repeated = [(t, masks[t]) for t, c in counts.items() if c > 1]


@functools.lru_cache(maxsize=128)
def _both_halves_cached(n: int) -> list[int]:
    return [(1 << i) | (1 << (i + n + 1)) for i in range(n)]


def _both_halves(n: int) -> list[int]:
    """Bit ``i`` in both halves of a :class:`_Layout` of ``n`` bits, for each ``i < n``."""
    return _both_halves_cached(n) if n <= 256 else [(1 << i) | (1 << (i + n + 1)) for i in range(n)]


def _lcs_and_union(layout: _Layout, candidates: Sequence[Sequence[Hashable]]) -> tuple[int, int]:
    """ROUGE-L's LCS length of the reference against the concatenated ``candidates``, and the bit set
    of reference positions in the union, over each reference sentence, of its :func:`lcs_indices`
    with every candidate sentence (ROUGE-Lsum's union LCS, rouge_score's ``_union_lcs``).

    Only candidate tokens that occur in the reference change the bit vector, so the forward pass
    visits just those. The backtracking of one reference sentence against one candidate sentence is
    :func:`lcs_indices` restricted to that sentence's bits: it reads the columns stored in the
    forward pass, treats columns of tokens that do not occur in the sentence as the non-matching
    columns they are, and crosses a run of them in one step. It is skipped when it cannot add to the
    union (every position it could choose is in it already) or when its result is known: if the LCS
    is as long as the number of positions that match some candidate token, it is all of them; if it
    has length 1, the backtracking takes the highest row matching the last column when there is one
    (the first step goes up to it), else it goes left through columns whose only DP increment is at
    the lowest matchable row, down to a column matching that row.
    """
    get = layout.masks.get
    keep = layout.keep
    rows = layout.rows
    blocks = layout.blocks
    v = keep  # all ones: no match yet in any row
    union = 0
    for can in candidates:
        v |= rows  # ROUGE-Lsum restarts for each candidate sentence, ROUGE-L goes on
        matches = list(map(get, can, repeat(0)))  # the rows each column matches
        columns: list[int] = []  # the bit vector after each column
        append = columns.append
        cover = 0
        for m in matches:
            if m:
                u = v & m
                v = ((v + u) | (v - u)) & keep
                cover |= m
            append(v)
        cover &= rows
        if cover | union == union:
            continue
        for low, block in blocks:
            matchable = cover & block
            if matchable | union == union:
                continue
            lcs = block.bit_count() - (v & block).bit_count()
            if lcs == matchable.bit_count():  # every matchable row is in the LCS
                union |= matchable
                continue
            if lcs == 1:  # the highest row the last column matches, else the lowest matchable row
                last = matches[-1] & block
                union |= 1 << (last.bit_length() - 1) if last else matchable & -matchable
                continue
            # lcs_indices from cell (rows of the sentence, last column); lim holds the rows still open
            lim = block
            skipped = False  # whether non-matching columns were crossed since the last step
            for m, col in zip(reversed(matches), reversed(columns)):
                m &= block
                if not m:
                    skipped = True
                    continue
                stop = ((col ^ lim) if skipped else (col ^ lim) | m) & lim
                if not stop:
                    break
                top = 1 << (stop.bit_length() - 1)
                if m & top:  # diagonal
                    union |= top
                    lim = top - low
                    if not lim:
                        break
                else:  # left
                    lim = (top << 1) - low
                skipped = False
    lcs = rows.bit_count() - ((v >> layout.shift) & rows).bit_count()
    return lcs, union


def _union_lcs_mask(ref_masks: dict[Hashable, int], n_ref: int, candidates: Sequence[Sequence[Hashable]]) -> int:
    """Bit set of the indices of ``ref`` (given as :func:`_masks` and its length) covered by the union
    of its :func:`lcs_indices` with each candidate: :func:`_lcs_and_union` for one sentence."""
    ref: list[Hashable] = [None] * n_ref
    for token, mask in ref_masks.items():
        while mask:
            bit = mask & -mask
            ref[bit.bit_length() - 1] = token
            mask ^= bit
    return _lcs_and_union(_Layout([ref], Counter(ref)), candidates)[1]


def _lsum_hits(layout: _Layout, union: int, pred_counts: dict) -> int:
    """ROUGE-Lsum's hit count from the union LCS (:func:`_lcs_and_union`) of a reference.

    rouge_score counts a union token as a hit while it has not been counted more often than it
    occurs in the reference and in the prediction. The union positions of a token are distinct
    occurrences of it in the reference, so only the prediction's count can run out, and the hits of
    a token are ``min(union positions, prediction count)``, whatever the order of the sentences. A
    union position's token occurs in the prediction, so only tokens repeated in the reference
    can be clipped.
    """
    hits = union.bit_count()
    for token, mask in layout.repeated:
        u = (union & mask).bit_count()
        if u > 1:
            c = pred_counts.get(token, 0)
            if u > c:
                hits -= u - c
    return hits


class _Text:
    """A tokenized text: its sentences' tokens (for ROUGE-Lsum), all its tokens, and n-gram counts
    and, when it is a reference, its :class:`_Layout`, both built on first use and then kept."""

    __slots__ = ("_layout", "_ngrams", "sentences", "tokens")

    def __init__(self, sentences: list[list[str]]) -> None:
        self.sentences = sentences
        self.tokens = list(chain.from_iterable(sentences))
        self._ngrams: dict[int, dict] = {}
        self._layout: _Layout | None = None

    def ngrams(self, n: int) -> dict:
        """n-gram -> count (unigrams are tokens, longer n-grams tuples of tokens)."""
        counts = self._ngrams.get(n)
        if counts is None:
            t = self.tokens
            counts = self._ngrams[n] = {}
            _count_elements(counts, t if n == 1 else pairwise(t) if n == 2 else zip(*(t[i:] for i in range(n))))
        return counts

    def layout(self) -> _Layout:
        if self._layout is None:
            self._layout = _Layout(self.sentences, self.ngrams(1))
        return self._layout


#: ``RougeScorer._orders`` of ROUGE-L and ROUGE-Lsum; ROUGE-n has n
_ROUGE_L = 0
_ROUGE_LSUM = -1


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
        self._orders = tuple(
            _ROUGE_L if t == "rougeL" else _ROUGE_LSUM if t == "rougeLsum" else _ngram_order(t) for t in self.rouge_types
        )
        self.tokenizer = tokenizer if isinstance(tokenizer, RougeTokenizer) else RougeTokenizer(tokenizer, stemmer)

    def _prepare(self, text: str) -> _Text:
        return _Text(self.tokenizer.sentences(text))

    def _row(self, ref: _Text, pred: _Text) -> list[float]:
        """Precision, recall and F of each ROUGE type in turn, one flat list."""
        row: list[float] = []
        n_ref, n_pred = len(ref.tokens), len(pred.tokens)
        lcs = union = -1
        for order in self._orders:
            if order > 0:  # ROUGE-n
                overlap = _overlap(ref.ngrams(order), pred.ngrams(order))
                precision = overlap / max(n_pred - order + 1, 1)
                recall = overlap / max(n_ref - order + 1, 1)
            elif not n_ref or not n_pred:
                row += ZERO
                continue
            else:
                if lcs < 0:
                    lcs, union = _lcs_and_union(ref.layout(), pred.sentences)
                hits = lcs if order == _ROUGE_L else _lsum_hits(ref.layout(), union, pred.ngrams(1))
                precision = hits / n_pred
                recall = hits / n_ref
            f = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0  # :func:`fmeasure`
            row += (precision, recall, f)
        return row

    def _score(self, ref: _Text, pred: _Text) -> dict[str, Score]:
        row = self._row(ref, pred)
        return {t: Score(*row[3 * i : 3 * i + 3]) for i, t in enumerate(self.rouge_types)}

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
                rows.append(self._row(self._prepare(refs[0]), self._prepare(pred)))
            else:
                scores = self.score_multi(refs, pred)
                rows.append([x for t in self.rouge_types for x in scores[t]])
        stats = np.array(rows, dtype=np.float64).reshape(len(rows), 3 * len(self.rouge_types))
        return RougeEvaluation(self.rouge_types, stats)
