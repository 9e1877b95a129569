"""The agreement report: plain dataclasses, and the JSON object ``--json`` prints.

JSON layout (``AgreementReport.to_dict()``; every figure is ``{"value": float | null,
"ci": [low, high] | null}``, ``null`` meaning undefined, see the metric modules)::

    {
      "format": "warta.agreement.v1",
      "seed": 0, "resamples": 1000, "confidence": 0.95,
      "annotators": ["ann-1", "ann-2"], "documents": 2, "annotations": 4,
      "entities": {
        "pairs": [{
          "annotators": ["ann-1", "ann-2"], "documents": 2,
          "strict":  {"matched": 10, "a": 12, "b": 11, "f1": {...}},
          "overlap": {"matched": 11, "a": 12, "b": 11, "f1": {...}},
          "labels": {"PER": {"strict": {...}, "overlap": {...}}, ...},
          "token_kappa": {"tokens": 640, "kappa": {...}}
        }],
        "fleiss": null | {"raters": 3, "documents": 2, "left_out": 0, "tokens": 640, "kappa": {...}}
      },
      "stance": {
        "actor":    {"items": 7, "pairable": 6, "alpha": {...},
                     "pairs": [{"annotators": [...], "documents": 2, "items": 5, "kappa": {...}}],
                     "inconsistent": [{"article_id", "annotator", "target", "actor", "labels"}]},
        "document": {... same keys; "actor" is null ...}
      }
    }

``a`` and ``b`` count the spans of the first and second annotator of the pair. ``fleiss`` is
``null`` when no document has three or more annotators.

``detail`` (``null`` when not computed) holds the figures of the HTML page
(:mod:`.detail`)::

    "detail": {
      "labels": [{"label": "GPE", "strict": {...}, "overlap": {...}, "alpha": {...}, "alpha_u": 0.91}],
      "unitizing": null | {"raters": 2, "documents": 2, "left_out": 0, "alpha_u": 0.9, "labels": {"GPE": 0.91}},
      "documents": [{"article_id", "task_ids", "annotators", "strict_f1", "overlap_f1", "alpha_u"}],  # worst first
      "confusion": {"labels": ["GPE", "LOC", "O"], "counts": [[...], ...]},  # tokens, symmetric
      "gold": null | {"documents": 2, "missing": 0, "other_text": 0,
                      "annotators": [{"annotator", "documents", "tp", "fp", "fn", "precision", "recall", "f1"}]}
    }
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from warta.annotation.agreement.detail import DetailedAgreement

FORMAT = "warta.agreement.v1"


@dataclass(frozen=True)
class Estimate:
    """A figure and its bootstrap interval; ``value`` is ``None`` when undefined."""

    value: float | None
    ci: tuple[float, float] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "ci": None if self.ci is None else list(self.ci)}


@dataclass(frozen=True)
class SpanAgreement:
    matched: int
    a: int
    b: int
    f1: Estimate

    def to_dict(self) -> dict[str, Any]:
        return {"matched": self.matched, "a": self.a, "b": self.b, "f1": self.f1.to_dict()}


@dataclass(frozen=True)
class EntityPair:
    annotators: tuple[str, str]
    documents: int
    strict: SpanAgreement
    overlap: SpanAgreement
    labels: dict[str, dict[str, SpanAgreement]]
    tokens: int
    token_kappa: Estimate

    def to_dict(self) -> dict[str, Any]:
        return {
            "annotators": list(self.annotators),
            "documents": self.documents,
            "strict": self.strict.to_dict(),
            "overlap": self.overlap.to_dict(),
            "labels": {
                label: {mode: s.to_dict() for mode, s in modes.items()}
                for label, modes in self.labels.items()
            },
            "token_kappa": {"tokens": self.tokens, "kappa": self.token_kappa.to_dict()},
        }


@dataclass(frozen=True)
class FleissAgreement:
    """Fleiss' κ over the tokens of the documents with the largest number of annotators (≥ 3)."""

    raters: int
    documents: int
    left_out: int
    tokens: int
    kappa: Estimate

    def to_dict(self) -> dict[str, Any]:
        return {
            "raters": self.raters,
            "documents": self.documents,
            "left_out": self.left_out,
            "tokens": self.tokens,
            "kappa": self.kappa.to_dict(),
        }


@dataclass(frozen=True)
class KappaPair:
    annotators: tuple[str, str]
    documents: int
    items: int
    kappa: Estimate

    def to_dict(self) -> dict[str, Any]:
        return {
            "annotators": list(self.annotators),
            "documents": self.documents,
            "items": self.items,
            "kappa": self.kappa.to_dict(),
        }


@dataclass(frozen=True)
class Inconsistency:
    """An annotator gave one stance item several labels (on different mentions)."""

    article_id: str
    annotator: str
    target: str
    actor: str | None
    labels: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "annotator": self.annotator,
            "target": self.target,
            "actor": self.actor,
            "labels": list(self.labels),
        }


@dataclass(frozen=True)
class StanceAgreement:
    level: str
    items: int
    pairable: int
    alpha: Estimate
    pairs: list[KappaPair]
    inconsistent: list[Inconsistency]

    def to_dict(self) -> dict[str, Any]:
        return {
            "items": self.items,
            "pairable": self.pairable,
            "alpha": self.alpha.to_dict(),
            "pairs": [p.to_dict() for p in self.pairs],
            "inconsistent": [i.to_dict() for i in self.inconsistent],
        }


@dataclass
class AgreementReport:
    seed: int
    resamples: int
    confidence: float
    annotators: list[str]
    documents: int
    annotations: int
    entity_pairs: list[EntityPair] = field(default_factory=list)
    fleiss: FleissAgreement | None = None
    actor_stance: StanceAgreement | None = None
    document_stance: StanceAgreement | None = None
    detail: DetailedAgreement | None = None
    format: str = FORMAT

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "seed": self.seed,
            "resamples": self.resamples,
            "confidence": self.confidence,
            "annotators": list(self.annotators),
            "documents": self.documents,
            "annotations": self.annotations,
            "entities": {
                "pairs": [p.to_dict() for p in self.entity_pairs],
                "fleiss": None if self.fleiss is None else self.fleiss.to_dict(),
            },
            "stance": {
                "actor": None if self.actor_stance is None else self.actor_stance.to_dict(),
                "document": None
                if self.document_stance is None
                else self.document_stance.to_dict(),
            },
            "detail": None if self.detail is None else self.detail.to_dict(),
        }
