"""Slices: the parts of the test data on which a score is also reported, to show where systems fail.

Every slice is declared here, as one function, and nowhere else:

* a **document slice** maps an article (:class:`DocumentInfo`) to the slice value it belongs to
  (``"unknown"`` when the release does not say), so its values partition the scored articles and
  their counts add up to the whole (for stance, every row of an article is in its article's part);
* an **entity slice** maps a span (its surface text and label) to a value; a NER system is scored on
  the gold and predicted spans of each value separately, so the values partition the gold (and the
  predicted) entities.

Adding a slice is adding one function to :data:`DOCUMENT_SLICES` or :data:`ENTITY_SLICES`; the
scoring (:func:`warta.benchmarks.scoring.slice_scores`), the results JSON and the leaderboard pick it
up. A slice whose facts the release does not carry (no ``documents`` config, no gold provenance, no
``train`` split) is left out rather than reported as one big ``unknown``.

:func:`after_cutoff` builds the contamination-aware slice of a system with a
``training_data_cutoff``: the articles published after it are the ones the system cannot have read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

UNKNOWN = "unknown"
AFTER = "after"
NOT_AFTER = "on or before"
UNKNOWN_DATE = "unknown date"

#: Gold agreement levels, from the gold provenance (see :mod:`warta.annotation.adjudicate`).
UNANIMOUS = "unanimous"
MAJORITY = "majority"
GROUND_TRUTH = "curator ground truth"
SINGLE = "single annotator"


@dataclass(frozen=True)
class DocumentInfo:
    """What the release (and the gold provenance) says about one article."""

    article_id: str
    outlet: str | None = None
    story_id: str | None = None
    published: str | None = None  # ISO 8601, as in the ``documents`` config
    provenance: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class SliceContext:
    """The facts slices are computed from: per-article info and the train split's entity surfaces.

    ``train_surfaces`` is ``None`` when the release has no ``train`` split (then no entity is
    "seen" and the seen/unseen slice is left out).
    """

    documents: Mapping[str, DocumentInfo] = field(default_factory=dict)
    train_surfaces: frozenset[str] | None = None

    @property
    def has_documents(self) -> bool:
        return bool(self.documents)

    @property
    def has_provenance(self) -> bool:
        return any(d.provenance is not None for d in self.documents.values())


DocumentSlice = Callable[[DocumentInfo], str]
EntitySlice = Callable[[str, str, SliceContext], str]


# --- document slices ---------------------------------------------------------------------------


def outlet(doc: DocumentInfo) -> str:
    return doc.outlet or UNKNOWN


def story(doc: DocumentInfo) -> str:
    return doc.story_id or UNKNOWN


def publication_month(doc: DocumentInfo) -> str:
    date = published_date(doc.published)
    return UNKNOWN if date is None else f"{date.year:04d}-{date.month:02d}"


def _perfect(value: Any) -> bool:
    """An agreement figure that shows no disagreement (1, or undefined because nothing varied)."""
    return value is None or value == 1 or value == 1.0


def gold_agreement(doc: DocumentInfo) -> str:
    """How the article's gold was decided: unanimous / majority / curator ground truth / single annotator.

    ``ground_truth`` set: the curator's annotation decided; one annotator (``annotators`` or
    ``annotations``): single annotator; otherwise unanimous when every pairwise entity F1 and the
    stance alphas show no disagreement (an undefined alpha means nothing varied), else majority.
    """
    prov = doc.provenance
    if prov is None:
        return UNKNOWN
    if prov.get("ground_truth"):
        return GROUND_TRUTH
    annotators = prov.get("annotators") or []
    count = prov.get("annotations", len(annotators))
    if not isinstance(count, int) or count <= 1 or len(annotators) <= 1:
        return SINGLE
    agreement = prov.get("agreement") or {}
    pairs = agreement.get("entities") or []
    figures = [p.get("strict_f1") for p in pairs if isinstance(p, dict)]
    figures += [agreement.get("actor_stance_alpha"), agreement.get("document_stance_alpha")]
    return UNANIMOUS if all(_perfect(f) for f in figures) else MAJORITY


#: Document slices, in display order. Adding one is adding a function here.
DOCUMENT_SLICES: dict[str, DocumentSlice] = {
    "outlet": outlet,
    "story": story,
    "publication_month": publication_month,
    "gold_agreement": gold_agreement,
}


def document_slice_available(name: str, context: SliceContext) -> bool:
    if not context.has_documents:
        return False
    if name == "gold_agreement":
        return context.has_provenance
    return True


# --- entity slices (NER) -----------------------------------------------------------------------


def entity_type(surface: str, label: str, context: SliceContext) -> str:
    return label


def seen_in_train(surface: str, label: str, context: SliceContext) -> str:
    """``seen`` when the exact surface string is a gold entity somewhere in the train split."""
    return "seen" if context.train_surfaces is not None and surface in context.train_surfaces else "unseen"


#: Entity slices, in display order. Adding one is adding a function here.
ENTITY_SLICES: dict[str, EntitySlice] = {
    "entity_type": entity_type,
    "seen_in_train": seen_in_train,
}


def entity_slice_available(name: str, context: SliceContext) -> bool:
    if name == "seen_in_train":
        return context.train_surfaces is not None
    return True


# --- the contamination-aware slice --------------------------------------------------------------


def published_date(published: str | None) -> dt.date | None:
    """The calendar date an article was published on (in its own time zone), or ``None``."""
    if not published:
        return None
    try:
        return dt.datetime.fromisoformat(published).date()
    except ValueError:
        try:
            return dt.date.fromisoformat(published[:10])
        except ValueError:
            return None


def after_cutoff(cutoff: str | dt.date) -> DocumentSlice:
    """Document slice: published ``after`` the date ``cutoff``, ``on or before`` it, or ``unknown date``."""
    day = cutoff if isinstance(cutoff, dt.date) else dt.date.fromisoformat(cutoff)

    def after_training_cutoff(doc: DocumentInfo) -> str:
        date = published_date(doc.published)
        if date is None:
            return UNKNOWN_DATE
        return AFTER if date > day else NOT_AFTER

    return after_training_cutoff


def row_values(
    slice_fn: DocumentSlice, article_of_row: list[str], context: SliceContext
) -> list[str]:
    """The slice value of every scored row or article (rows of an article share its value)."""
    return [slice_fn(context.documents.get(a) or DocumentInfo(a)) for a in article_of_row]


def article_of(task: str, row_id: str) -> str:
    """The article a scored row belongs to (stance row ids are ``<article>:<target>[:<actor>]``;
    an article id is its own article)."""
    return row_id.split(":", 1)[0] if task == "stance" else row_id
