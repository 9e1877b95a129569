"""Pairwise entity-span agreement: matched counts for two annotators' spans of one text.

Agreement between two annotators A and B is the F1 of one against the other,
``2·matched / (|A| + |B|)``, which is symmetric (precision of A against B is the recall of B
against A; Hripcsak & Rothschild 2005). Each annotator's spans are a set: identical duplicates
count once.

* **strict**: a span matches a span of the other annotator with the same start, end and label.
* **overlap**: spans with the same label whose character ranges intersect
  (``a.start < b.end and b.start < a.end``) can be matched, one to one: the matched count is the
  size of a *maximum* matching of that bipartite graph, so it does not depend on the order of the
  spans (unlike greedy first-come matching). A strict match is also an overlap match.

Counts are kept per label; the overall count is their sum (matching never crosses labels), so
overall, per-label and bootstrap figures all come from the same additive :class:`SpanCounts`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from warta.spans import EntitySpan

MODES = ("strict", "overlap")


@dataclass(frozen=True)
class SpanCounts:
    """Matched spans and the number of spans of each annotator; adds up across documents."""

    matched: int = 0
    a: int = 0
    b: int = 0

    def __add__(self, other: SpanCounts) -> SpanCounts:
        return SpanCounts(self.matched + other.matched, self.a + other.a, self.b + other.b)

    @property
    def f1(self) -> float | None:
        """``2·matched / (a + b)``; ``None`` when neither annotator has a span (undefined)."""
        total = self.a + self.b
        return None if total == 0 else 2 * self.matched / total


def _by_label(spans: Iterable[EntitySpan]) -> dict[str, list[EntitySpan]]:
    grouped: dict[str, list[EntitySpan]] = {}
    for span in sorted(set(spans), key=lambda x: (x.start, x.end, x.label)):
        grouped.setdefault(span.label, []).append(span)
    return grouped


def maximum_overlap_matching(
    a: Sequence[EntitySpan], b: Sequence[EntitySpan]
) -> list[tuple[int, int]]:
    """A maximum one-to-one matching of overlapping spans, as ``(index in a, index in b)`` pairs.

    Kuhn's augmenting-path algorithm; labels are not looked at (callers group by label first).
    """
    neighbours = [[j for j, y in enumerate(b) if x.start < y.end and y.start < x.end] for x in a]
    owner: list[int | None] = [None] * len(b)

    def augment(i: int, seen: list[bool]) -> bool:
        for j in neighbours[i]:
            if seen[j]:
                continue
            seen[j] = True
            current = owner[j]
            if current is None or augment(current, seen):
                owner[j] = i
                return True
        return False

    for i in range(len(a)):
        augment(i, [False] * len(b))
    return sorted((i, j) for j, i in enumerate(owner) if i is not None)


def span_counts(
    a: Iterable[EntitySpan], b: Iterable[EntitySpan], mode: str
) -> dict[str, SpanCounts]:
    """Per-label :class:`SpanCounts` of annotator ``a``'s spans against ``b``'s in one text."""
    if mode not in MODES:
        raise ValueError(f"unknown matching mode {mode!r}; expected one of {', '.join(MODES)}")
    left, right = _by_label(a), _by_label(b)
    counts: dict[str, SpanCounts] = {}
    for label in sorted(set(left) | set(right)):
        xs, ys = left.get(label, []), right.get(label, [])
        if mode == "strict":
            matched = len(set(xs) & set(ys))
        else:
            matched = len(maximum_overlap_matching(xs, ys))
        counts[label] = SpanCounts(matched, len(xs), len(ys))
    return counts
