"""The figures of the agreement page beyond the pairwise tables: per label, per document, label
confusion, unitizing α, and each annotator against the adjudicated gold.

* **Per label**, pooled over every annotator pair on the documents they share: span F1 (strict and
  overlap; matched and span counts summed over pairs, so a label's F1 is one corpus figure), and
  Krippendorff's α (nominal, :mod:`.alpha`) over tokens, each token a unit whose values are "this
  label" / "not this label", one per annotator of the document (annotators of other documents are
  missing values). Both with the seeded document bootstrap of :mod:`.bootstrap` (one shared scope,
  ``entities:labels``, so all labels see the same resampled documents).
* **αu** (:mod:`.unitizing`) per label and over all labels, on the documents with the largest number
  of annotators (as Fleiss' κ); per document on each document's own annotators.
* **Per document**: strict and overlap span F1 pooled over the document's annotator pairs, and its
  αu; sorted worst first (undefined last), so the articles to look at come first.
* **Label confusion**: token counts of (label of one annotator, label of the other) over every pair
  and both orders (a symmetric matrix with ``O`` for "no entity"): which types annotators confuse.
* **Against gold** (``--gold DIR``): each annotator's strict span precision, recall and F1 against
  the gold of the articles whose gold was made on the same text (``text_sha256``), micro over
  documents; articles without gold or with gold on another text are counted, not compared.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import numpy as np

from warta.annotation.agreement.alpha import AlphaCounts
from warta.annotation.agreement.bootstrap import DocumentResampler, alpha_statistic, f1_statistic
from warta.annotation.agreement.report import Estimate, SpanAgreement
from warta.annotation.agreement.spans import SpanCounts, span_counts
from warta.annotation.agreement.unitizing import UnitizingAlpha, unitizing_alpha
from warta.annotation.agreement.units import OUTSIDE, DocumentAnnotations, token_labels
from warta.prf import PRF


@dataclass(frozen=True)
class LabelAgreement:
    label: str
    strict: SpanAgreement
    overlap: SpanAgreement
    alpha: Estimate
    alpha_u: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "strict": self.strict.to_dict(),
            "overlap": self.overlap.to_dict(),
            "alpha": self.alpha.to_dict(),
            "alpha_u": self.alpha_u,
        }


@dataclass(frozen=True)
class DocumentAgreement:
    article_id: str
    task_ids: tuple[int, ...]
    annotators: tuple[str, ...]
    strict_f1: float | None
    overlap_f1: float | None
    alpha_u: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "task_ids": list(self.task_ids),
            "annotators": list(self.annotators),
            "strict_f1": self.strict_f1,
            "overlap_f1": self.overlap_f1,
            "alpha_u": self.alpha_u,
        }


@dataclass(frozen=True)
class GoldComparison:
    """One annotator's strict spans against the gold: tp, fp, fn over the compared documents."""

    annotator: str
    documents: int
    tp: int
    fp: int
    fn: int

    @property
    def counts(self) -> PRF:
        return PRF(self.tp, self.fp, self.fn)

    @property
    def precision(self) -> float | None:
        return self.counts.precision

    @property
    def recall(self) -> float | None:
        return self.counts.recall

    @property
    def f1(self) -> float | None:
        return self.counts.f1

    def to_dict(self) -> dict[str, Any]:
        return {"annotator": self.annotator, "documents": self.documents, **self.counts.as_dict()}


@dataclass
class DetailedAgreement:
    labels: list[LabelAgreement] = field(default_factory=list)
    unitizing: UnitizingAlpha | None = None
    unitizing_left_out: int = 0
    documents: list[DocumentAgreement] = field(default_factory=list)
    confusion_labels: list[str] = field(default_factory=list)
    confusion: dict[tuple[str, str], int] = field(default_factory=dict)
    gold: list[GoldComparison] | None = None
    gold_documents: int = 0
    gold_missing: int = 0
    gold_other_text: int = 0

    def to_dict(self) -> dict[str, Any]:
        unitizing = None
        if self.unitizing is not None:
            unitizing = {
                "raters": self.unitizing.raters,
                "documents": self.unitizing.documents,
                "left_out": self.unitizing_left_out,
                "alpha_u": self.unitizing.alpha,
                "labels": {k: v.alpha for k, v in self.unitizing.categories.items()},
            }
        data: dict[str, Any] = {
            "labels": [item.to_dict() for item in self.labels],
            "unitizing": unitizing,
            "documents": [d.to_dict() for d in self.documents],
            "confusion": {
                "labels": list(self.confusion_labels),
                "counts": [
                    [self.confusion.get((a, b), 0) for b in self.confusion_labels]
                    for a in self.confusion_labels
                ],
            },
            "gold": None,
        }
        if self.gold is not None:
            data["gold"] = {
                "documents": self.gold_documents,
                "missing": self.gold_missing,
                "other_text": self.gold_other_text,
                "annotators": [g.to_dict() for g in self.gold],
            }
        return data


def _units(
    doc: DocumentAnnotations, names: Sequence[str], spans: Mapping[str, Sequence[Any]] | None = None
) -> list[dict[str, list[tuple[int, int]]]]:
    per_rater = []
    for name in names:
        by_label: dict[str, list[tuple[int, int]]] = {}
        for span in spans[name] if spans is not None else doc.spans(name):
            by_label.setdefault(span.label, []).append((span.start, span.end))
        per_rater.append(by_label)
    return per_rater


def _add_weighted(counts: AlphaCounts, values: Sequence[Any], times: int) -> None:
    m = len(values)
    if m < 2:
        return
    per_value = Counter(values)
    counts.numerators[m] += times * (m * m - sum(c * c for c in per_value.values()))
    for value, c in per_value.items():
        counts.totals[value] += times * c
    counts.units += times



def detailed_agreement(
    documents: Sequence[DocumentAnnotations],
    *,
    seed: int = 0,
    resamples: int = 1000,
    confidence: float = 0.95,
    gold: Mapping[str, Any] | None = None,
) -> DetailedAgreement:
    """The figures described in the module docstring, for documents sorted by article id."""
    docs = list(documents)
    labels = sorted({s.label for doc in docs for name in doc.annotators for s in doc.spans(name)})
    per_doc_strict: list[dict[str, SpanCounts]] = []
    per_doc_overlap: list[dict[str, SpanCounts]] = []
    per_doc_alpha: list[dict[str, AlphaCounts]] = []
    confusion: Counter[tuple[str, str]] = Counter()
    rows: list[DocumentAgreement] = []
    for doc in docs:
        names = doc.annotators
        spans = {name: doc.spans(name) for name in names}
        strict: dict[str, SpanCounts] = {}
        overlap: dict[str, SpanCounts] = {}
        for a, b in combinations(names, 2):
            for mode, target in (("strict", strict), ("overlap", overlap)):
                for label, counts in span_counts(spans[a], spans[b], mode).items():
                    target[label] = target.get(label, SpanCounts()) + counts
        per_doc_strict.append(strict)
        per_doc_overlap.append(overlap)
        alphas: dict[str, AlphaCounts] = {label: AlphaCounts() for label in labels}
        if len(names) >= 2:
            token_rows = token_labels(doc.text, [spans[name] for name in names])
            patterns = Counter(zip(*token_rows))
            for pattern, times in patterns.items():
                for x, y in combinations(pattern, 2):
                    confusion[(x, y)] += times
                    confusion[(y, x)] += times
                for label in labels:
                    _add_weighted(alphas[label], [value == label for value in pattern], times)
            doc_u = unitizing_alpha([(len(doc.text), _units(doc, names, spans))])
            doc_alpha_u = doc_u.alpha if doc_u is not None else None
            rows.append(
                DocumentAgreement(
                    doc.article_id,
                    tuple(doc.task_ids),
                    tuple(names),
                    sum(strict.values(), SpanCounts()).f1,
                    sum(overlap.values(), SpanCounts()).f1,
                    doc_alpha_u,
                )
            )
        per_doc_alpha.append(alphas)

    resampler = DocumentResampler(
        len(docs), seed=seed, scope="entities:labels", resamples=resamples, confidence=confidence
    )
    raters = max((len(doc.records) for doc in docs), default=0)
    used = [doc for doc in docs if len(doc.records) == raters] if raters >= 2 else []
    unitizing = (
        unitizing_alpha([(len(doc.text), _units(doc, doc.annotators)) for doc in used], labels)
        if used
        else None
    )
    result = DetailedAgreement(unitizing=unitizing, unitizing_left_out=len(docs) - len(used))
    for label in labels:

        def span_figure(per_doc: list[dict[str, SpanCounts]]) -> SpanAgreement:
            counts = [d.get(label, SpanCounts()) for d in per_doc]
            total = sum(counts, SpanCounts())
            stats = np.array([[c.matched, c.a, c.b] for c in counts], dtype=np.float64).reshape(len(counts), 3)
            return SpanAgreement(total.matched, total.a, total.b, Estimate(total.f1, resampler.interval(stats, f1_statistic)))

        alpha_counts = [d[label] for d in per_doc_alpha]
        total = sum(alpha_counts, AlphaCounts())
        stats = np.array(
            [[float(c.disagreement), c.totals.get(True, 0), c.totals.get(False, 0)] for c in alpha_counts],
            dtype=np.float64,
        ).reshape(len(alpha_counts), 3)
        exact = total.alpha_exact()
        result.labels.append(
            LabelAgreement(
                label,
                span_figure(per_doc_strict),
                span_figure(per_doc_overlap),
                Estimate(None if exact is None else float(exact), resampler.interval(stats, alpha_statistic)),
                unitizing.categories[label].alpha if unitizing is not None and label in unitizing.categories else None,
            )
        )
    rows.sort(key=lambda r: (r.strict_f1 is None, r.strict_f1 if r.strict_f1 is not None else 0.0, r.article_id))
    result.documents = rows
    present = sorted({label for pair in confusion for label in pair} - {OUTSIDE})
    result.confusion_labels = present + ([OUTSIDE] if confusion else [])
    result.confusion = dict(confusion)
    if gold is not None:
        _against_gold(result, docs, gold)
    return result


def _against_gold(result: DetailedAgreement, docs: Sequence[DocumentAnnotations], gold: Mapping[str, Any]) -> None:
    from warta.spans import EntitySpan

    totals: dict[str, list[int]] = {}
    for doc in docs:
        truth = gold.get(doc.article_id)
        if truth is None:
            result.gold_missing += 1
            continue
        if truth.text_sha256 != doc.text_sha256:
            result.gold_other_text += 1
            continue
        result.gold_documents += 1
        expected = [EntitySpan(e.start, e.end, e.label) for e in truth.entities]
        for name in doc.annotators:
            counts = sum(span_counts(doc.spans(name), expected, "strict").values(), SpanCounts())
            row = totals.setdefault(name, [0, 0, 0, 0])
            row[0] += 1
            row[1] += counts.matched
            row[2] += counts.a - counts.matched
            row[3] += counts.b - counts.matched
    result.gold = [GoldComparison(name, *row) for name, row in sorted(totals.items())]
