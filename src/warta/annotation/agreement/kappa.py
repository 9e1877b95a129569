"""Cohen's and Fleiss' kappa in exact rational arithmetic, rounded to a float once.

* :func:`cohen_kappa` equals ``sklearn.metrics.cohen_kappa_score(y1, y2)`` (unweighted).
  Undefined cases return ``None``: no items, or expected agreement 1 (both annotators used one and
  the same single category), where scikit-learn returns ``nan`` and warns (and raises on empty
  input).
* :func:`fleiss_kappa` equals ``statsmodels.stats.inter_rater.fleiss_kappa(table, method="fleiss")``
  (Fleiss 1971), which needs the same number of ratings per item. Undefined cases return ``None``:
  no items, fewer than two ratings per item, or expected agreement 1 (every rating in one
  category), where statsmodels returns ``nan`` (and raises on an empty table).

Both are computed from additive counts (a confusion matrix; per-item sums), so corpus figures and
bootstrap resamples add counts over documents and recompute instead of averaging documents.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from fractions import Fraction


def confusion(a: Sequence[Hashable], b: Sequence[Hashable]) -> Counter[tuple[Hashable, Hashable]]:
    """Counts of ``(a[i], b[i])`` pairs; the two sequences rate the same items in the same order."""
    if len(a) != len(b):
        raise ValueError(
            f"the two raters rated {len(a)} and {len(b)} items; they must rate the same items"
        )
    return Counter(zip(a, b))


def cohen_kappa_exact(matrix: Mapping[tuple[Hashable, Hashable], int]) -> Fraction | None:
    """κ = (p_o − p_e) / (1 − p_e) = (n·agree − S) / (n² − S), S = Σ_k row_k · col_k."""
    n = sum(matrix.values())
    rows: Counter[Hashable] = Counter()
    cols: Counter[Hashable] = Counter()
    agree = 0
    for (x, y), count in matrix.items():
        rows[x] += count
        cols[y] += count
        if x == y:
            agree += count
    chance = sum(rows[k] * cols[k] for k in rows)
    if n == 0 or n * n == chance:
        return None
    return Fraction(n * agree - chance, n * n - chance)


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    """Cohen's κ of two raters over the same items (see the module docstring for ``None``)."""
    value = cohen_kappa_exact(confusion(a, b))
    return None if value is None else float(value)


def fleiss_counts(items: Iterable[Sequence[Hashable]]) -> tuple[int, int, int, Counter[Hashable]]:
    """Sufficient statistics of Fleiss' κ: ``(items N, ratings per item n, Σ n_ij², category totals)``.

    Each item is the sequence of its ratings; every item must have the same number of ratings.
    """
    raters = -1
    count = 0
    squares = 0
    totals: Counter[Hashable] = Counter()
    # identical rating patterns (mostly all-O tokens) are counted once and weighted
    for ratings, times in Counter(map(tuple, items)).items():
        if raters == -1:
            raters = len(ratings)
        elif len(ratings) != raters:
            raise ValueError(
                f"an item has {len(ratings)} ratings, another {raters}; Fleiss' kappa needs the same number"
            )
        per_item = Counter(ratings)
        squares += times * sum(c * c for c in per_item.values())
        for category, c in per_item.items():
            totals[category] += times * c
        count += times
    return count, max(raters, 0), squares, totals


def fleiss_kappa_exact(
    items: int, raters: int, squares: int, totals: Mapping[Hashable, int]
) -> Fraction | None:
    """κ = (P̄ − P̄_e)/(1 − P̄_e) with T = N·n ratings: (T(Q − T) − C(n − 1)) / ((n − 1)(T² − C)).

    ``Q = Σ_ij n_ij²``, ``C = Σ_j (Σ_i n_ij)²``.
    """
    ratings = items * raters
    chance = sum(c * c for c in totals.values())
    if items == 0 or raters < 2 or ratings * ratings == chance:
        return None
    return Fraction(
        ratings * (squares - ratings) - chance * (raters - 1),
        (raters - 1) * (ratings * ratings - chance),
    )


def fleiss_kappa(items: Iterable[Sequence[Hashable]]) -> float | None:
    """Fleiss' κ of items rated by the same number of raters (see the module docstring)."""
    value = fleiss_kappa_exact(*fleiss_counts(items))
    return None if value is None else float(value)
