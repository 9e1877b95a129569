"""Inter-annotator agreement of a set of annotation records, as one :class:`AgreementReport`.

* Entities, per annotator pair over the documents both annotated: span F1 (strict and overlap, see
  :mod:`.spans`), overall and per label, and Cohen's κ over token labels (:func:`.units.token_labels`
  with tokens cut at both annotators' entity edges).
* Fleiss' κ over token labels when a document has three or more annotators. Fleiss' κ needs the
  same number of ratings per item (not the same raters), so it uses the documents annotated by the
  largest number of annotators ``n ≥ 3`` found in the file, tokens cut at all their entity edges;
  documents with fewer annotators are left out of it (and counted in ``left_out``).
* Stance, per level (actor items and document items, keyed as in :mod:`.units`): Krippendorff's α
  (nominal) over all annotators with missing values, and Cohen's κ per pair over the items both
  rated, pooled over the documents both annotated.
* Every figure has a seeded bootstrap interval over documents (:mod:`.bootstrap`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from itertools import combinations

import numpy as np

from warta.annotation.agreement.alpha import AlphaCounts
from warta.annotation.agreement.bootstrap import (
    DocumentResampler,
    alpha_statistic,
    cohen_statistic,
    f1_statistic,
    fleiss_statistic,
)
from warta.annotation.agreement.detail import detailed_agreement
from warta.annotation.agreement.kappa import (
    cohen_kappa_exact,
    confusion,
    fleiss_counts,
    fleiss_kappa_exact,
)
from warta.annotation.agreement.report import (
    AgreementReport,
    EntityPair,
    Estimate,
    FleissAgreement,
    Inconsistency,
    KappaPair,
    SpanAgreement,
    StanceAgreement,
)
from warta.annotation.agreement.spans import MODES, SpanCounts, span_counts
from warta.annotation.agreement.units import (
    DocumentAnnotations,
    StanceVote,
    actor_stances,
    document_stances,
    group_by_article,
    token_labels,
)
from warta.annotation.records import AnnotationRecord


def _value(exact) -> float | None:
    return None if exact is None else float(exact)


def _span_agreement(per_document: list[SpanCounts], resampler: DocumentResampler) -> SpanAgreement:
    total = sum(per_document, SpanCounts())
    stats = np.array([[c.matched, c.a, c.b] for c in per_document], dtype=np.float64).reshape(
        len(per_document), 3
    )
    return SpanAgreement(
        total.matched, total.a, total.b, Estimate(total.f1, resampler.interval(stats, f1_statistic))
    )


def _cohen(per_document: list[Counter], resampler: DocumentResampler) -> tuple[int, Estimate]:
    total: Counter = sum(per_document, Counter())
    categories = sorted({c for pair in total for c in pair})
    index = {c: i for i, c in enumerate(categories)}
    k = len(categories)
    stats = np.zeros((len(per_document), max(k, 1) ** 2))
    for row, matrix in enumerate(per_document):
        for (x, y), count in matrix.items():
            stats[row, index[x] * k + index[y]] += count
    interval = resampler.interval(stats, cohen_statistic(max(k, 1)))
    return sum(total.values()), Estimate(_value(cohen_kappa_exact(total)), interval)


def _entity_pair(
    a: str,
    b: str,
    documents: Sequence[DocumentAnnotations],
    *,
    seed: int,
    resamples: int,
    confidence: float,
) -> EntityPair:
    resampler = DocumentResampler(
        len(documents),
        seed=seed,
        scope=f"entities:{a}|{b}",
        resamples=resamples,
        confidence=confidence,
    )
    counts: dict[str, list[dict[str, SpanCounts]]] = {mode: [] for mode in MODES}
    tokens: list[Counter] = []
    for doc in documents:
        spans_a, spans_b = doc.spans(a), doc.spans(b)
        for mode in MODES:
            counts[mode].append(span_counts(spans_a, spans_b, mode))
        labels_a, labels_b = token_labels(doc.text, [spans_a, spans_b])
        tokens.append(confusion(labels_a, labels_b))
    labels = sorted({label for per_doc in counts["strict"] for label in per_doc})

    def figure(mode: str, label: str | None) -> SpanAgreement:
        per_document = [
            (sum(d.values(), SpanCounts()) if label is None else d.get(label, SpanCounts()))
            for d in counts[mode]
        ]
        return _span_agreement(per_document, resampler)

    token_count, kappa = _cohen(tokens, resampler)
    return EntityPair(
        annotators=(a, b),
        documents=len(documents),
        strict=figure("strict", None),
        overlap=figure("overlap", None),
        labels={label: {mode: figure(mode, label) for mode in MODES} for label in labels},
        tokens=token_count,
        token_kappa=kappa,
    )


def _fleiss(
    documents: Sequence[DocumentAnnotations], *, seed: int, resamples: int, confidence: float
) -> FleissAgreement | None:
    raters = max((len(doc.records) for doc in documents), default=0)
    if raters < 3:
        return None
    used = [doc for doc in documents if len(doc.records) == raters]
    per_document = []
    for doc in used:
        labels = token_labels(doc.text, [doc.spans(name) for name in doc.annotators])
        per_document.append(fleiss_counts(zip(*labels)))
    categories = sorted({c for _, _, _, totals in per_document for c in totals})
    items = sum(d[0] for d in per_document)
    squares = sum(d[2] for d in per_document)
    totals: Counter = sum((d[3] for d in per_document), Counter())
    stats = np.array(
        [[d[0], d[2], *(d[3].get(c, 0) for c in categories)] for d in per_document],
        dtype=np.float64,
    )
    resampler = DocumentResampler(
        len(used), seed=seed, scope="entities:fleiss", resamples=resamples, confidence=confidence
    )
    kappa = Estimate(
        _value(fleiss_kappa_exact(items, raters, squares, totals)),
        resampler.interval(stats, fleiss_statistic(raters)),
    )
    return FleissAgreement(
        raters=raters,
        documents=len(used),
        left_out=len(documents) - len(used),
        tokens=items,
        kappa=kappa,
    )


def _stance_votes(
    doc: DocumentAnnotations, level: str
) -> dict[str, dict[tuple[str, str | None], StanceVote]]:
    """Per annotator, the stance votes of one document keyed by ``(target, actor key or None)``."""
    votes: dict[str, dict[tuple[str, str | None], StanceVote]] = {}
    for name in doc.annotators:
        record = doc.records[name]
        if level == "actor":
            votes[name] = dict(actor_stances(record))
        else:
            votes[name] = {
                (target, None): vote for target, vote in document_stances(record).items()
            }
    return votes


def _stance(
    level: str,
    documents: Sequence[DocumentAnnotations],
    *,
    seed: int,
    resamples: int,
    confidence: float,
) -> StanceAgreement:
    inconsistent: list[Inconsistency] = []
    doc_alpha: list[AlphaCounts] = []
    doc_values: list[dict[tuple[str, str | None], dict[str, str]]] = []
    items = 0
    for doc in documents:
        votes = _stance_votes(doc, level)
        values: dict[tuple[str, str | None], dict[str, str]] = {}
        for name, by_key in votes.items():
            for key, vote in by_key.items():
                if vote.label is None:
                    inconsistent.append(
                        Inconsistency(doc.article_id, name, key[0], key[1], vote.labels)
                    )
                else:
                    values.setdefault(key, {})[name] = vote.label
        counts = AlphaCounts()
        for key in sorted(values, key=lambda k: (k[0], k[1] or "")):
            counts.add_unit(list(values[key].values()))
        items += len(values)
        doc_alpha.append(counts)
        doc_values.append(values)
    total = sum(doc_alpha, AlphaCounts())
    categories = sorted(total.totals)
    stats = np.array(
        [[float(c.disagreement), *(c.totals.get(v, 0) for v in categories)] for c in doc_alpha],
        dtype=np.float64,
    ).reshape(len(doc_alpha), 1 + len(categories))
    resampler = DocumentResampler(
        len(documents),
        seed=seed,
        scope=f"stance:{level}",
        resamples=resamples,
        confidence=confidence,
    )
    alpha = Estimate(_value(total.alpha_exact()), resampler.interval(stats, alpha_statistic))

    annotators = sorted({name for doc in documents for name in doc.records})
    pairs = []
    for a, b in combinations(annotators, 2):
        shared = [i for i, doc in enumerate(documents) if a in doc.records and b in doc.records]
        if not shared:
            continue
        matrices = []
        for i in shared:
            matrix: Counter = Counter()
            for rated in doc_values[i].values():
                if a in rated and b in rated:
                    matrix[(rated[a], rated[b])] += 1
            matrices.append(matrix)
        pair_resampler = DocumentResampler(
            len(shared),
            seed=seed,
            scope=f"stance:{level}:{a}|{b}",
            resamples=resamples,
            confidence=confidence,
        )
        count, kappa = _cohen(matrices, pair_resampler)
        pairs.append(KappaPair((a, b), len(shared), count, kappa))
    return StanceAgreement(level, items, total.units, alpha, pairs, inconsistent)


def agreement_of_documents(
    documents: Mapping[str, DocumentAnnotations],
    *,
    seed: int = 0,
    resamples: int = 1000,
    confidence: float = 0.95,
    detail: bool = False,
    gold: Mapping[str, Any] | None = None,
) -> AgreementReport:
    """:func:`compute_agreement` over records already grouped by :func:`.units.group_by_article`.

    ``detail`` adds the figures of the HTML page (:mod:`.detail`; ``gold``: article id -> gold document).
    """
    if resamples < 0:
        raise ValueError(f"resamples must be 0 or more, not {resamples}")
    docs = [documents[key] for key in sorted(documents)]
    annotators = sorted({name for doc in docs for name in doc.records})
    options = {"seed": seed, "resamples": resamples, "confidence": confidence}
    pairs = []
    for a, b in combinations(annotators, 2):
        shared = [doc for doc in docs if a in doc.records and b in doc.records]
        if shared:
            pairs.append(_entity_pair(a, b, shared, **options))
    return AgreementReport(
        seed=seed,
        resamples=resamples,
        confidence=confidence,
        annotators=annotators,
        documents=len(docs),
        annotations=sum(len(doc.records) for doc in docs),
        entity_pairs=pairs,
        fleiss=_fleiss(docs, **options),
        actor_stance=_stance("actor", docs, **options),
        document_stance=_stance("document", docs, **options),
        detail=detailed_agreement(docs, gold=gold, **options) if detail else None,
    )


def compute_agreement(
    records: Iterable[AnnotationRecord],
    *,
    seed: int = 0,
    resamples: int = 1000,
    confidence: float = 0.95,
    detail: bool = True,
    gold: Mapping[str, Any] | None = None,
) -> AgreementReport:
    """Agreement of annotation records (see the module docstring for what is compared).

    Pure: the same records, seed and number of resamples give the same report, digit for digit.
    Annotator pairs that share no document are not reported. A curator's review records are not
    independent annotations and are left out.
    """
    documents = {
        key: doc for key, doc in group_by_article(records).items() if doc.records
    }
    return agreement_of_documents(
        documents, seed=seed, resamples=resamples, confidence=confidence, detail=detail, gold=gold
    )
