"""Krippendorff's α for nominal data with missing values, in exact rational arithmetic.

Equals ``krippendorff.alpha(reliability_data, level_of_measurement="nominal")`` (Krippendorff
2011, "Computing Krippendorff's alpha-reliability"): with the coincidence matrix ``o`` built from
pairable units (units with at least two values), ``n_c = Σ_k o_ck`` and ``n = Σ_c n_c``,

    α = 1 − (n − 1) · Σ_{c≠k} o_ck / Σ_{c≠k} n_c·n_k,
    Σ_{c≠k} o_ck = Σ_u (m_u² − Σ_c n_uc²) / (m_u − 1),   Σ_{c≠k} n_c·n_k = n² − Σ_c n_c².

Undefined cases return ``None``: no pairable unit (the reference raises ``ValueError``), or all
pairable values in one category (expected disagreement 0; the reference raises when the whole
data has a single value and returns ``nan`` otherwise).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction


@dataclass
class AlphaCounts:
    """Additive statistics of nominal α: observed disagreement and pairable value totals.

    The disagreement is kept as integer sums per unit size ``m`` (``Σ m² − Σ_c n_uc²`` over units
    with ``m`` values), so adding units and documents stays exact and cheap.
    """

    numerators: Counter[int] = field(default_factory=Counter)
    totals: Counter[Hashable] = field(default_factory=Counter)
    units: int = 0

    def add_unit(self, values: Sequence[Hashable]) -> None:
        """Add one unit's non-missing values (one per rater that rated it)."""
        m = len(values)
        if m < 2:
            return
        per_value = Counter(values)
        self.numerators[m] += m * m - sum(c * c for c in per_value.values())
        self.totals.update(per_value)
        self.units += 1

    def __add__(self, other: AlphaCounts) -> AlphaCounts:
        return AlphaCounts(
            self.numerators + other.numerators, self.totals + other.totals, self.units + other.units
        )

    @property
    def disagreement(self) -> Fraction:
        """``Σ_{c≠k} o_ck`` of the coincidence matrix."""
        return sum((Fraction(v, m - 1) for m, v in self.numerators.items()), Fraction(0))

    def alpha_exact(self) -> Fraction | None:
        n = sum(self.totals.values())
        expected = n * n - sum(c * c for c in self.totals.values())
        if n == 0 or expected == 0:
            return None
        return 1 - (n - 1) * self.disagreement / expected

    def alpha(self) -> float | None:
        value = self.alpha_exact()
        return None if value is None else float(value)


def alpha_counts(units: Iterable[Sequence[Hashable]]) -> AlphaCounts:
    counts = AlphaCounts()
    for values in units:
        counts.add_unit(values)
    return counts


def krippendorff_alpha_nominal(units: Iterable[Sequence[Hashable | None]]) -> float | None:
    """Nominal α of units given as each unit's ratings, ``None`` for a rater who did not rate it."""
    return alpha_counts([v for v in unit if v is not None] for unit in units).alpha()
