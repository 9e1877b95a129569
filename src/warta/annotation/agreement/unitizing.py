"""Krippendorff's unitizing alpha (αu) for entity spans: agreement that credits partial overlap.

Span F1 counts "Januari 2022" against "12 Januari 2022" as a miss; token κ credits the shared
tokens but ignores where units begin and end. αu (Krippendorff 1995; 2004, section 12.4) compares
how each annotator cut the text into units of a category and gaps, so near misses cost little and
far misses a lot. It is what INCEpTION's agreement view offers for spans (through DKPro
Agreement's ``KrippendorffAlphaUnitizingAgreement``), and this implementation follows the same
definition:

For category ``c`` on a continuum of length ``L`` coded by ``m`` raters, each rater's continuum is
cut into *units* (their spans of ``c``) and the *gaps* between them (maximal stretches without
``c``). For two segments that intersect, one from each of two raters, with begins ``b``, ``b'``
and ends ``e``, ``e'``:

* two units: ``δ² = (b − b')² + (e − e')²``;
* a unit inside the other rater's gap (``b' ≤ b`` and ``e ≤ e'``): ``δ² = (e − b)²``, the unit's
  length squared;
* anything else: 0.

``D_o(c) = 2 / (m(m − 1)L²) · Σ_{rater pairs} Σ_{intersecting segment pairs} δ²`` and, with ``N_c``
units of ``c`` over all raters, lengths ``l``, and all raters' gaps ``g``:

``D_e(c) = (2/L) · Σ_u [ (N_c − 1)(2l³ − 3l² + l)/3 + l² Σ_{g: |g| ≥ l} (|g| − l + 1) ]
/ [ mL(mL − 1) − Σ_u l(l − 1) ]``

``αu(c) = 1 − D_o(c)/D_e(c)``, and over all categories ``αu = 1 − Σ_c D_o(c) / Σ_c D_e(c)`` (the mean
of the per-category disagreements, as DKPro Agreement computes it). Undefined (``None``) when no
rater has a unit of ``c`` (``D_e = 0``).

warta's choices, for a corpus of articles:

* offsets are characters (code points) of the annotated text;
* the documents are laid end to end, ``L`` is the sum of their lengths, and gaps are cut at
  document boundaries (a unit cannot cross from one article into the next);
* overlapping spans of one label by one annotator are merged into one unit (αu needs one rater's
  units of a category not to overlap); touching ones stay two units;
* it is computed over the documents annotated by the largest number ``m ≥ 2`` of annotators in the
  file (as Fleiss' κ is: the formula needs ``m`` raters on every position), per annotator pair over
  their shared documents for the heatmap; no bootstrap interval, because ``D_e`` couples every unit
  with every gap of every document (a resample is not a sum of per-document counts).

Checked against the hand-worked examples of Krippendorff (2004: 254), ``αu(c) = 0.7286``,
``αu(k) = 1``, ``αu = 0.8591``, and the observed disagreements of Krippendorff (1995: 57)
(``tests/annotation/test_agreement_unitizing.py``).

References: Krippendorff, K. (1995). On the reliability of unitizing continuous data. Sociological
Methodology 25, 47–76. Krippendorff, K. (2004). Content Analysis: An Introduction to Its
Methodology, 2nd ed., Sage, pp. 251–256.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

#: A rater's unit: ``(start, end)``, end exclusive.
Unit = tuple[int, int]


@dataclass(frozen=True)
class Section:
    """One document of the continuum: its length and, per rater, that rater's units of one category."""

    length: int
    units: Sequence[Sequence[Unit]]


def merge_units(units: Iterable[Unit]) -> list[Unit]:
    """Sorted units with overlapping ones merged (one rater, one category); touching ones stay apart."""
    merged: list[list[int]] = []
    for start, end in sorted(units):
        if start >= end:
            continue
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def _segments(units: Sequence[Unit], length: int) -> list[tuple[int, int, bool]]:
    """The rater's continuum as ``(start, end, is_unit)`` segments covering ``[0, length)``."""
    segments: list[tuple[int, int, bool]] = []
    position = 0
    for start, end in units:
        if not (0 <= start < end <= length) or start < position:
            raise ValueError(f"unit {start}:{end} does not fit a section of length {length} after {position}")
        if start > position:
            segments.append((position, start, False))
        segments.append((start, end, True))
        position = end
    if position < length:
        segments.append((position, length, False))
    return segments


def _distance(a: tuple[int, int, bool], b: tuple[int, int, bool]) -> int:
    (b1, e1, unit1), (b2, e2, unit2) = a, b
    if unit1 and unit2:
        return (b1 - b2) ** 2 + (e1 - e2) ** 2 if b1 < e2 and b2 < e1 else 0
    if unit1 and not unit2:
        return (e1 - b1) ** 2 if b2 <= b1 and e1 <= e2 else 0
    if unit2 and not unit1:
        return (e2 - b2) ** 2 if b1 <= b2 and e2 <= e1 else 0
    return 0


def _pair_disagreement(x: list[tuple[int, int, bool]], y: list[tuple[int, int, bool]]) -> int:
    """Σ δ² over the intersecting segment pairs of two raters (one merge-like walk)."""
    total = i = j = 0
    while i < len(x) and j < len(y):
        total += _distance(x[i], y[j])
        if x[i][1] <= y[j][1]:
            i += 1
        else:
            j += 1
    return total


@dataclass(frozen=True)
class UnitizingDisagreement:
    """Observed and expected disagreement of one category (exact fractions)."""

    observed: Fraction
    expected: Fraction

    @property
    def alpha(self) -> float | None:
        if self.expected == 0:
            return None
        return float(1 - self.observed / self.expected)


def unitizing_disagreement(sections: Sequence[Section], raters: int) -> UnitizingDisagreement:
    """``D_o`` and ``D_e`` of one category over ``sections`` coded by ``raters`` raters each."""
    if raters < 2:
        raise ValueError(f"αu needs at least two raters, not {raters}")
    length = sum(s.length for s in sections)
    if length == 0:
        return UnitizingDisagreement(Fraction(0), Fraction(0))
    observed = 0
    lengths: list[int] = []
    gaps: list[int] = []
    for section in sections:
        if len(section.units) != raters:
            raise ValueError(f"a section has {len(section.units)} raters, expected {raters}")
        segmented = [_segments(list(units), section.length) for units in section.units]
        for r1 in range(raters):
            for r2 in range(r1 + 1, raters):
                observed += _pair_disagreement(segmented[r1], segmented[r2])
        for segments in segmented:
            for start, end, is_unit in segments:
                (lengths if is_unit else gaps).append(end - start)
    d_o = Fraction(2 * observed, raters * (raters - 1) * length * length)
    count = len(lengths)
    if count == 0:
        return UnitizingDisagreement(d_o, Fraction(0))
    gaps.sort()
    # Σ_{g ≥ l} (g − l + 1) for every unit length l, from suffix sums over the sorted gaps
    suffix = [0] * (len(gaps) + 1)
    for k in range(len(gaps) - 1, -1, -1):
        suffix[k] = suffix[k + 1] + gaps[k]
    thrice = 0  # 3 × the numerator, an integer
    for l in lengths:
        k = bisect_left(gaps, l)
        fits = suffix[k] - (len(gaps) - k) * (l - 1)
        thrice += (count - 1) * (2 * l**3 - 3 * l**2 + l) + 3 * l * l * fits
    denominator = raters * length * (raters * length - 1) - sum(l * (l - 1) for l in lengths)
    d_e = Fraction(2 * thrice, 3 * length * denominator)
    return UnitizingDisagreement(d_o, d_e)


@dataclass(frozen=True)
class UnitizingAlpha:
    """αu overall and per category, with the data it was computed on."""

    raters: int
    documents: int
    categories: dict[str, UnitizingDisagreement]

    @property
    def alpha(self) -> float | None:
        observed = sum((d.observed for d in self.categories.values()), Fraction(0))
        expected = sum((d.expected for d in self.categories.values()), Fraction(0))
        return None if expected == 0 else float(1 - observed / expected)


def unitizing_alpha(
    documents: Sequence[tuple[int, Sequence[Mapping[str, Iterable[Unit]]]]],
    categories: Iterable[str] | None = None,
) -> UnitizingAlpha | None:
    """αu of documents given as ``(length, [per rater: category -> units])``; every document has the same rater count.

    ``categories`` defaults to every category any rater used. ``None`` with fewer than two raters
    or no documents.
    """
    if not documents:
        return None
    raters = len(documents[0][1])
    if raters < 2:
        return None
    used = sorted(
        set(categories)
        if categories is not None
        else {c for _, per_rater in documents for units in per_rater for c in units}
    )
    result: dict[str, UnitizingDisagreement] = {}
    for category in used:
        sections = [
            Section(length, [merge_units(per_rater[r].get(category, ())) for r in range(raters)])
            for length, per_rater in documents
        ]
        result[category] = unitizing_disagreement(sections, raters)
    return UnitizingAlpha(raters, len(documents), result)
