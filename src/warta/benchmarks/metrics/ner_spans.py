"""Entity scoring on character spans: the four SemEval-2013 Task 9.1 schemas, as nervaluate defines them.

Reference: nervaluate 1.2.1 (``Evaluator(true, pred, tags, loader="dict").evaluate()``) with spans
converted to its inclusive ``end``. Each gold and predicted entity ends up in exactly one category
per schema: COR (correct), INC (incorrect), PAR (partial), MIS (missed gold), SPU (spurious
prediction); ``possible = COR + INC + PAR + MIS`` (gold count), ``actual = COR + INC + PAR + SPU``
(prediction count), and

* ``strict``  — COR: same span and type; INC: any other overlap;
* ``exact``   — COR: same span, any type; INC: any other overlap;
* ``partial`` — COR: same span, any type; PAR: any other overlap;
* ``type``    — (nervaluate's ``ent_type``) COR: overlap with the same type; INC: overlap with another type.

``precision = (COR + 0.5 PAR) / actual``, ``recall = (COR + 0.5 PAR) / possible`` (PAR is 0 except in
``partial``), ``F1 = 2PR / (P + R)``. Undefined values are ``None`` where nervaluate reports 0 (see
:mod:`warta.prf`). Two spans overlap when they share at least one character and, as in
nervaluate with its default ``min_overlap_percentage=1.0``, the shared characters are at least 1 % of
the gold span's length.

**Matching rule.** Every prediction is matched to at most one gold entity and vice versa:

1. pairs with the same span and type are matched first (COR in every schema; duplicates pair up
   one to one);
2. then, per schema, the remaining overlapping pairs are matched greedily in order of
   (tier, larger overlap, smaller boundary distance ``|Δstart| + |Δend|``, gold span, predicted span),
   where the first tier holds the pairs that are COR in that schema (same span for ``exact`` and
   ``partial``; same type for ``type``) and the second tier all other overlaps.

The order of ties is fixed by the entities' content, so the counts depend only on the multisets of
gold and predicted entities, never on list order. nervaluate instead walks the predictions in list
order and lets each take the first gold entity it overlaps, so when one prediction overlaps two gold
entities, or two predictions overlap one gold entity (nervaluate issues #40 and #84), its counts
depend on the order of the lists, and a later exact match can be lost to an earlier overlap. When
every prediction overlaps at most one gold entity and every gold entity at most one prediction, both
rules coincide and the counts equal nervaluate's exactly (tested on random inputs).

**Per type** counts follow nervaluate: entities of one type are scored on their own, so a prediction
of the wrong type counts as SPU for its type and the gold as MIS for its own. **Macro** averages are
unweighted means of per-type P, R and F1 over the types that occur in gold or predictions (as
seqeval does), an undefined per-type value counting as 0, summed in sorted type order.

**Sufficient statistics.** For each document the scorer keeps, per type ``t``: gold count ``g.t``,
predicted count ``p.t``, exact (span and type) matches ``x.t`` and remaining same-type matched overlaps
``k.t``; and over all types the remaining matched overlaps ``r.strict`` (INC), ``r.exact.span``
(same span, other type: COR in exact/partial), ``r.exact.overlap`` (INC in exact, PAR in partial),
``r.type.same`` (COR in type) and ``r.type.other`` (INC in type). Every count of every schema is a
sum of these columns (:func:`schema_counts`), so corpus scores, bootstrap resamples and paired
tests all recompute from column sums.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from warta.prf import f1_from, macro_prf, safe_div

SCHEMAS = ("strict", "exact", "partial", "type")
CATEGORIES = ("cor", "inc", "par", "mis", "spu")
GLOBAL_COLUMNS = ("r.strict", "r.exact.span", "r.exact.overlap", "r.type.same", "r.type.other")
PER_TYPE_FIELDS = ("g", "p", "x", "k")


class SpanLike(Protocol):
    start: int
    end: int
    label: str


@dataclass(frozen=True)
class SchemaCounts:
    """COR/INC/PAR/MIS/SPU of one schema (and one type, or all types)."""

    cor: int = 0
    inc: int = 0
    par: int = 0
    mis: int = 0
    spu: int = 0

    def __add__(self, other: SchemaCounts) -> SchemaCounts:
        return SchemaCounts(
            self.cor + other.cor,
            self.inc + other.inc,
            self.par + other.par,
            self.mis + other.mis,
            self.spu + other.spu,
        )

    @property
    def possible(self) -> int:
        return self.cor + self.inc + self.par + self.mis

    @property
    def actual(self) -> int:
        return self.cor + self.inc + self.par + self.spu

    @property
    def precision(self) -> float | None:
        return safe_div(self.cor + 0.5 * self.par, self.actual)

    @property
    def recall(self) -> float | None:
        return safe_div(self.cor + 0.5 * self.par, self.possible)

    @property
    def f1(self) -> float | None:
        return f1_from(self.precision, self.recall)

    def as_dict(self) -> dict[str, Any]:
        return {
            "cor": self.cor,
            "inc": self.inc,
            "par": self.par,
            "mis": self.mis,
            "spu": self.spu,
            "possible": self.possible,
            "actual": self.actual,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


def statistic_columns(labels: Sequence[str]) -> list[str]:
    """Names of the per-document sufficient statistics, in column order."""
    return [f"{field}.{label}" for label in labels for field in PER_TYPE_FIELDS] + list(GLOBAL_COLUMNS)


def schema_counts(sums: np.ndarray, n_labels: int, schema: str, label: int | None = None) -> dict[str, np.ndarray]:
    """COR/INC/PAR/MIS/SPU arrays from column sums (last axis = :func:`statistic_columns`).

    Works on one row of sums or on a batch of bootstrap resamples alike.
    """
    if schema not in SCHEMAS:
        raise ValueError(f"unknown schema {schema!r}; expected one of {', '.join(SCHEMAS)}")
    per = sums[..., : 4 * n_labels].reshape(sums.shape[:-1] + (n_labels, 4))
    zero = np.zeros(sums.shape[:-1], dtype=sums.dtype)
    if label is not None:
        g, p, x, k = (per[..., label, i] for i in range(4))
        cor, inc, par = x, k, zero
        if schema == "partial":
            inc, par = zero, k
        elif schema == "type":
            cor, inc = x + k, zero
        return {"cor": cor, "inc": inc, "par": par, "mis": g - x - k, "spu": p - x - k}
    g, p, x = per[..., 0].sum(-1), per[..., 1].sum(-1), per[..., 2].sum(-1)
    r_strict, r_span, r_overlap, r_same, r_other = (sums[..., 4 * n_labels + i] for i in range(5))
    if schema == "strict":
        cor, inc, par, matched = x, r_strict, zero, r_strict
    elif schema == "exact":
        cor, inc, par, matched = x + r_span, r_overlap, zero, r_span + r_overlap
    elif schema == "partial":
        cor, inc, par, matched = x + r_span, zero, r_overlap, r_span + r_overlap
    else:
        cor, inc, par, matched = x + r_same, r_other, zero, r_same + r_other
    return {"cor": cor, "inc": inc, "par": par, "mis": g - x - matched, "spu": p - x - matched}


def prf_arrays(counts: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Vectorised P, R, F1 with NaN where undefined (same conventions and formula as :class:`SchemaCounts`)."""
    cor, inc, par, mis, spu = (np.asarray(counts[c], dtype=np.float64) for c in CATEGORIES)
    true_pos = cor + 0.5 * par
    actual = cor + inc + par + spu
    possible = cor + inc + par + mis
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = np.where(actual > 0, true_pos / np.where(actual > 0, actual, 1), np.nan)
        recall = np.where(possible > 0, true_pos / np.where(possible > 0, possible, 1), np.nan)
        p0, r0 = np.nan_to_num(precision), np.nan_to_num(recall)
        denom = p0 + r0
        f1 = np.where(denom > 0, 2 * p0 * r0 / np.where(denom > 0, denom, 1), 0.0)
        f1 = np.where(np.isnan(precision) & np.isnan(recall), np.nan, f1)
    return precision, recall, f1


def macro_arrays(
    sums: np.ndarray, n_labels: int, schema: str, order: Sequence[int] | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Macro P, R, F1 over the types present (gold or predicted) in each row of sums; NaN if none.

    ``order`` is the order in which per-type values are summed (pass the label indices sorted by
    name to match :meth:`SpanEvaluation.macro` bit for bit).
    """
    if schema not in SCHEMAS:
        raise ValueError(f"unknown schema {schema!r}; expected one of {', '.join(SCHEMAS)}")
    # all types at once: the per-type counts are (..., n_labels) arrays, element-wise the same
    # arithmetic as schema_counts(sums, n_labels, schema, label) for each label
    per = sums[..., : 4 * n_labels].reshape(sums.shape[:-1] + (n_labels, 4))
    g, p, x, k = (per[..., i] for i in range(4))
    zero = np.zeros(g.shape, dtype=sums.dtype)
    cor, inc, par = x, k, zero
    if schema == "partial":
        inc, par = zero, k
    elif schema == "type":
        cor, inc = x + k, zero
    counts = {"cor": cor, "inc": inc, "par": par, "mis": g - x - k, "spu": p - x - k}
    mask = (g + p) > 0
    n = mask.sum(-1)
    out = []
    for values in prf_arrays(counts):
        stacked = np.where(mask, np.nan_to_num(values), 0.0)
        total = np.zeros(stacked.shape[:-1])
        for i in order if order is not None else range(n_labels):  # like the scalar macro()
            total = total + stacked[..., i]
        with np.errstate(invalid="ignore", divide="ignore"):
            out.append(np.where(n > 0, total / np.where(n > 0, n, 1), np.nan))
    return out[0], out[1], out[2]


@dataclass(frozen=True)
class SpanEvaluation:
    """Per-document sufficient statistics plus the corpus-level views derived from them."""

    labels: tuple[str, ...]
    statistics: np.ndarray  # (n_documents, len(statistic_columns(labels))), int64

    @property
    def columns(self) -> list[str]:
        return statistic_columns(self.labels)

    @property
    def n_documents(self) -> int:
        return int(self.statistics.shape[0])

    def _sums(self) -> np.ndarray:
        return self.statistics.sum(0)

    def counts(self, schema: str, label: str | None = None) -> SchemaCounts:
        index = None if label is None else self.labels.index(label)
        raw = schema_counts(self._sums(), len(self.labels), schema, index)
        return SchemaCounts(**{c: int(raw[c]) for c in CATEGORIES})

    def per_type(self, schema: str) -> dict[str, SchemaCounts]:
        return {label: self.counts(schema, label) for label in self.labels}

    def present_labels(self) -> list[str]:
        sums = self._sums()
        return [lab for i, lab in enumerate(self.labels) if sums[4 * i] + sums[4 * i + 1] > 0]

    def macro(self, schema: str) -> tuple[float | None, float | None, float | None]:
        """Macro (precision, recall, F1) over the types present in gold or predictions."""
        return macro_prf([self.counts(schema, label) for label in sorted(self.present_labels())])


def _spans_to_arrays(
    documents: Sequence[Sequence[SpanLike]], label_index: dict[str, int], what: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    lengths = np.fromiter(map(len, documents), dtype=np.int64, count=len(documents))
    flat = [e for doc in documents for e in doc]
    starts = np.fromiter((e.start for e in flat), dtype=np.int64, count=len(flat))
    ends = np.fromiter((e.end for e in flat), dtype=np.int64, count=len(flat))
    try:
        labs = np.fromiter((label_index[e.label] for e in flat), dtype=np.int64, count=len(flat))
    except KeyError as exc:
        raise ValueError(f"{what}: entity label {exc.args[0]!r} is not one of {sorted(label_index)}") from None
    if len(flat) and bool((ends <= starts).any()):
        bad = flat[int(np.argmax(ends <= starts))]
        raise ValueError(f"{what}: empty or reversed span {bad.start}..{bad.end}")
    docs = np.repeat(np.arange(len(documents), dtype=np.int64), lengths)
    return docs, starts, ends, labs


def _exact_matches(gkey: np.ndarray, pkey: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Multiset intersection of keys: (matched keys with multiplicity, residual gold mask, residual pred mask)."""
    ug, g_inv, g_cnt = np.unique(gkey, return_inverse=True, return_counts=True)
    up, p_inv, p_cnt = np.unique(pkey, return_inverse=True, return_counts=True)
    common, gi, pi = np.intersect1d(ug, up, assume_unique=True, return_indices=True)
    n_match = np.minimum(g_cnt[gi], p_cnt[pi])
    g_quota = np.zeros(len(ug), dtype=np.int64)
    g_quota[gi] = n_match
    p_quota = np.zeros(len(up), dtype=np.int64)
    p_quota[pi] = n_match

    def residual(inv: np.ndarray, quota: np.ndarray) -> np.ndarray:
        # rank of each occurrence among equal keys (stable), residual if rank >= quota
        order = np.argsort(inv, kind="stable")
        sorted_inv = inv[order]
        first = np.searchsorted(sorted_inv, sorted_inv, side="left")
        rank = np.empty(len(inv), dtype=np.int64)
        rank[order] = np.arange(len(inv)) - first
        return rank >= quota[inv]

    return np.repeat(common, n_match), residual(g_inv, g_quota), residual(p_inv, p_quota)


def _overlaps(gs: int, ge: int, ps: int, pe: int, min_pct: float) -> int:
    """Shared characters if the pair counts as overlapping (nervaluate's threshold), else 0."""
    overlap = min(ge, pe) - max(gs, ps)
    if overlap <= 0 or (overlap / (ge - gs)) * 100.0 < min_pct:
        return 0
    return overlap


def _greedy(pairs: list[tuple]) -> list[tuple]:
    """One-to-one greedy matching of pairs sorted by key; the last two items are (gold, pred) indices."""
    used_g: set[int] = set()
    used_p: set[int] = set()
    chosen = []
    for pair in sorted(pairs):
        gi, pi = pair[-2], pair[-1]
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        chosen.append(pair)
    return chosen


def match_residual(
    gold: Sequence[tuple[int, int, int]], pred: Sequence[tuple[int, int, int]], n_labels: int, min_pct: float = 1.0
) -> tuple[list[int], list[int]]:
    """Match what is left of one document after exact matches (see the module docstring).

    Entities are ``(start, end, label_index)`` with exclusive ``end``. Returns (``k`` per type,
    the five global residual counts in :data:`GLOBAL_COLUMNS` order).
    """
    strict, exact, typed = [], [], []
    for gi, (gs, ge, gl) in enumerate(gold):
        for pi, (ps, pe, pl) in enumerate(pred):
            overlap = _overlaps(gs, ge, ps, pe, min_pct)
            if not overlap:
                continue
            tail = (-overlap, abs(gs - ps) + abs(ge - pe), gs, ge, gl, ps, pe, pl, gi, pi)
            same_span = gs == ps and ge == pe
            strict.append(tail)
            exact.append((0 if same_span else 1,) + tail)
            typed.append((0 if gl == pl else 1,) + tail)
    k = [0] * n_labels
    if not strict:
        return k, [0, 0, 0, 0, 0]
    r_strict = len(_greedy(strict))
    exact_chosen = _greedy(exact)
    r_span = sum(1 for p in exact_chosen if p[0] == 0)
    typed_chosen = _greedy(typed)
    r_same = sum(1 for p in typed_chosen if p[0] == 0)
    # per type: only same-type pairs exist, all in one tier
    by_label: dict[int, list[tuple]] = {}
    for pair in strict:
        gl, pl = pair[4], pair[7]
        if gl == pl:
            by_label.setdefault(gl, []).append(pair)
    for label, pairs in by_label.items():
        k[label] = len(_greedy(pairs))
    return k, [r_strict, r_span, len(exact_chosen) - r_span, r_same, len(typed_chosen) - r_same]


def score_spans(
    gold: Sequence[Sequence[SpanLike]],
    predicted: Sequence[Sequence[SpanLike]],
    *,
    labels: Sequence[str] | None = None,
    min_overlap_percentage: float = 1.0,
) -> SpanEvaluation:
    """Score predicted entity spans against gold, document by document.

    ``gold[i]`` and ``predicted[i]`` are the entities of document ``i`` (objects with ``start``,
    ``end`` (exclusive) and ``label``, e.g. :class:`warta.spans.EntitySpan`). ``labels`` fixes the
    entity types and their order (default: sorted labels seen); any other label is a ``ValueError``.
    """
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold documents but {len(predicted)} predicted")
    if not 1.0 <= min_overlap_percentage <= 100.0:
        raise ValueError("min_overlap_percentage must be between 1 and 100")
    if labels is None:
        labels = sorted({e.label for doc in (*gold, *predicted) for e in doc})
    labels = tuple(labels)
    label_index = {label: i for i, label in enumerate(labels)}
    n_docs, n_labels = len(gold), len(labels)
    per = np.zeros((n_docs, n_labels, 4), dtype=np.int64)
    glob = np.zeros((n_docs, len(GLOBAL_COLUMNS)), dtype=np.int64)

    def done() -> SpanEvaluation:
        return SpanEvaluation(labels, np.concatenate([per.reshape(n_docs, 4 * n_labels), glob], axis=1))

    if n_docs == 0 or n_labels == 0:
        return done()

    gd, gs, ge, gl = _spans_to_arrays(gold, label_index, "gold")
    pd, ps, pe, pl = _spans_to_arrays(predicted, label_index, "predicted")
    width = int(max(ge.max(initial=0), pe.max(initial=0))) + 1
    if n_docs * width * width * max(n_labels, 1) >= 2**62:  # pragma: no cover - astronomically long texts
        raise ValueError("documents too long to score")
    gkey = ((gd * width + gs) * width + ge) * n_labels + gl
    pkey = ((pd * width + ps) * width + pe) * n_labels + pl
    matched, g_rest, p_rest = _exact_matches(gkey, pkey)

    cells = n_docs * n_labels
    per[:, :, 0] = np.bincount(gd * n_labels + gl, minlength=cells).reshape(n_docs, n_labels)
    per[:, :, 1] = np.bincount(pd * n_labels + pl, minlength=cells).reshape(n_docs, n_labels)
    m_doc = matched // (width * width * n_labels)
    per[:, :, 2] = np.bincount(m_doc * n_labels + matched % n_labels, minlength=cells).reshape(n_docs, n_labels)

    # Residual entities, grouped by document (arrays are already in document order).
    rgd, rgs, rge, rgl = gd[g_rest], gs[g_rest], ge[g_rest], gl[g_rest]
    rpd, rps, rpe, rpl = pd[p_rest], ps[p_rest], pe[p_rest], pl[p_rest]
    if len(rgd) == 0 or len(rpd) == 0:
        return done()
    g_off = np.searchsorted(rgd, np.arange(n_docs + 1))
    p_off = np.searchsorted(rpd, np.arange(n_docs + 1))
    n_p = np.diff(p_off)
    # All (residual gold, residual pred) pairs within a document, vectorised.
    pairs_per_gold = n_p[rgd]
    total = int(pairs_per_gold.sum())
    if total == 0:
        return done()
    pg = np.repeat(np.arange(len(rgd)), pairs_per_gold)
    pair_start = np.cumsum(pairs_per_gold) - pairs_per_gold
    pp = p_off[rgd[pg]] + (np.arange(total) - pair_start[pg])
    overlap = np.minimum(rge[pg], rpe[pp]) - np.maximum(rgs[pg], rps[pp])
    glen = rge[pg] - rgs[pg]
    with np.errstate(divide="ignore", invalid="ignore"):
        ok = (overlap > 0) & ((overlap / glen) * 100.0 >= min_overlap_percentage)
    pg, pp = pg[ok], pp[ok]
    if len(pg) == 0:
        return done()
    deg_g = np.bincount(pg, minlength=len(rgd))
    deg_p = np.bincount(pp, minlength=len(rpd))
    complex_doc = np.zeros(n_docs, dtype=bool)
    complex_doc[rgd[deg_g > 1]] = True
    complex_doc[rpd[deg_p > 1]] = True

    # Simple documents: every candidate pair is matched in every schema.
    simple = ~complex_doc[rgd[pg]]
    sg, sp = pg[simple], pp[simple]
    doc = rgd[sg]
    same_span = (rgs[sg] == rps[sp]) & (rge[sg] == rpe[sp])
    same_label = rgl[sg] == rpl[sp]
    np.add.at(glob[:, 0], doc, 1)
    np.add.at(glob[:, 1], doc[same_span], 1)
    np.add.at(glob[:, 2], doc[~same_span], 1)
    np.add.at(glob[:, 3], doc[same_label], 1)
    np.add.at(glob[:, 4], doc[~same_label], 1)
    np.add.at(per[:, :, 3], (doc[same_label], rgl[sg][same_label]), 1)

    # Complex documents: greedy matching in Python (rare in practice).
    for d in np.flatnonzero(complex_doc).tolist():
        g_lo, g_hi, p_lo, p_hi = g_off[d], g_off[d + 1], p_off[d], p_off[d + 1]
        gold_d = list(zip(rgs[g_lo:g_hi].tolist(), rge[g_lo:g_hi].tolist(), rgl[g_lo:g_hi].tolist()))
        pred_d = list(zip(rps[p_lo:p_hi].tolist(), rpe[p_lo:p_hi].tolist(), rpl[p_lo:p_hi].tolist()))
        k, residual = match_residual(gold_d, pred_d, n_labels, min_overlap_percentage)
        per[d, :, 3] += k
        glob[d] += residual
    return done()


def score_spans_reference(
    gold: Sequence[Sequence[SpanLike]],
    predicted: Sequence[Sequence[SpanLike]],
    *,
    labels: Sequence[str],
    min_overlap_percentage: float = 1.0,
) -> np.ndarray:
    """The same statistics as :func:`score_spans`, document by document in plain Python.

    Slow; it states the matching rule directly and the tests check the vectorised scorer against it.
    """
    labels = tuple(labels)
    index = {label: i for i, label in enumerate(labels)}
    n = len(labels)
    rows = []
    for gdoc, pdoc in zip(gold, predicted, strict=True):
        g = [(e.start, e.end, index[e.label]) for e in gdoc]
        p = [(e.start, e.end, index[e.label]) for e in pdoc]
        row = [0] * (4 * n + 5)
        rest_p = list(p)
        rest_g = []
        for ent in g:
            row[4 * ent[2]] += 1
            if ent in rest_p:
                rest_p.remove(ent)
                row[4 * ent[2] + 2] += 1
            else:
                rest_g.append(ent)
        for ent in p:
            row[4 * ent[2] + 1] += 1
        k, residual = match_residual(rest_g, rest_p, n, min_overlap_percentage)
        for i in range(n):
            row[4 * i + 3] = k[i]
        row[4 * n :] = residual
        rows.append(row)
    return np.array(rows, dtype=np.int64).reshape(len(rows), 4 * n + 5)
