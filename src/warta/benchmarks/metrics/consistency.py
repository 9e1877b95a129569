"""Entity-level factual consistency of summaries (Nan et al., EACL 2021).

For a summary ``h`` of source ``s`` with references ``R``:

* ``prec_source = |E(h) ∩ s| / |E(h)|`` — the share of the summary's entities that the source supports
  (low values flag hallucinated entities);
* ``precision_ref = |E(h) ∩ E(R)| / |E(h)|``, ``recall_ref = |E(h) ∩ E(R)| / |E(R)|`` and their F1 —
  agreement with the entities the references chose to keep. ``E(R)`` is the union over references.

**Matcher.** Entities are compared by normalised surface form: NFC, ``casefold``, inner whitespace
collapsed, typographic apostrophes written ``'``. ``E(text)`` is

1. every gold entity surface of the source (from the ``ner`` config, i.e. the source's own entity
   annotation) found in ``text`` as a whole-word match (not preceded or followed by a letter or digit;
   the longest surface wins where two overlap, e.g. ``Dewan NATO-Rusia`` over ``NATO``), plus
2. when a ``tagger`` (``text -> spans``, e.g. :class:`warta.tagger.GazetteerTagger`) is given, the
   surfaces it tags in ``text``.

A summary entity counts as supported by the source when its normalised surface occurs in the
normalised source as a whole-word match. Without a tagger ``E(h)`` only holds source entities, so
``prec_source`` is 1 whenever it is defined; pass a tagger to detect entities that are not in the
source.

**Undefined values.** ``prec_source`` and ``precision_ref`` are ``None`` when the summary has no entity
(nothing to be wrong about), ``recall_ref`` when the references have none, ``f1_ref`` when both. The
corpus aggregate of each is the mean over the documents where it is defined; the number of such
documents is reported alongside (``n_defined``). Per-document statistics are the value (0 when
undefined) and a 0/1 ``defined`` flag per measure, so bootstrap resamples recompute the same means.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from warta.spans import EntitySpan

MEASURES = ("prec_source", "precision_ref", "recall_ref", "f1_ref")
Tagger = Callable[[str], Sequence[EntitySpan]]


def normalize(text: str) -> str:
    """The form entities and texts are compared in (see the module docstring)."""
    text = unicodedata.normalize("NFC", text).replace("\u2019", "'").casefold()
    return " ".join(text.split())


def _bounded(surface: str) -> str:
    return r"(?<![^\W_])" + re.escape(surface) + r"(?![^\W_])"


@lru_cache(maxsize=4096)
def _pattern(surfaces: tuple[str, ...]) -> re.Pattern[str] | None:
    if not surfaces:
        return None
    ordered = sorted(surfaces, key=lambda s: (-len(s), s))
    return re.compile("|".join(_bounded(s) for s in ordered))


def find_entities(text: str, surfaces: Sequence[str]) -> set[str]:
    """Normalised ``surfaces`` that occur in ``text`` as whole words, longest match first."""
    normal = sorted({normalize(s) for s in surfaces if normalize(s)})
    pattern = _pattern(tuple(normal))
    if pattern is None:
        return set()
    return {m.group(0) for m in pattern.finditer(normalize(text))}


def occurs(surface: str, text_normalized: str) -> bool:
    return re.search(_bounded(surface), text_normalized) is not None


def entity_set(text: str, source_surfaces: Sequence[str], tagger: Tagger | None = None) -> set[str]:
    """``E(text)``: source gold surfaces found in ``text``, plus what ``tagger`` tags in it."""
    found = find_entities(text, source_surfaces)
    if tagger is not None:
        for span in tagger(text):
            surface = normalize(text[span.start : span.end])
            if surface:
                found.add(surface)
    return found


@dataclass(frozen=True)
class DocumentConsistency:
    summary_entities: frozenset[str]
    reference_entities: frozenset[str]
    supported: int  # |E(h) ∩ s|
    common: int  # |E(h) ∩ E(R)|

    @property
    def prec_source(self) -> float | None:
        n = len(self.summary_entities)
        return self.supported / n if n else None

    @property
    def precision_ref(self) -> float | None:
        n = len(self.summary_entities)
        return self.common / n if n else None

    @property
    def recall_ref(self) -> float | None:
        n = len(self.reference_entities)
        return self.common / n if n else None

    @property
    def f1_ref(self) -> float | None:
        p, r = self.precision_ref, self.recall_ref
        if p is None and r is None:
            return None
        p, r = p or 0.0, r or 0.0
        return 2 * p * r / (p + r) if p + r > 0 else 0.0


def score_document(
    source: str,
    source_surfaces: Sequence[str],
    summary: str,
    references: Sequence[str],
    tagger: Tagger | None = None,
) -> DocumentConsistency:
    e_summary = entity_set(summary, source_surfaces, tagger)
    e_refs: set[str] = set()
    for reference in references:
        e_refs |= entity_set(reference, source_surfaces, tagger)
    source_norm = normalize(source)
    supported = sum(1 for e in e_summary if occurs(e, source_norm))
    return DocumentConsistency(frozenset(e_summary), frozenset(e_refs), supported, len(e_summary & e_refs))


def statistic_columns() -> list[str]:
    return [f"{m}.{part}" for m in MEASURES for part in ("value", "defined")]


@dataclass(frozen=True)
class ConsistencyEvaluation:
    documents: tuple[DocumentConsistency, ...]

    @property
    def statistics(self) -> np.ndarray:
        rows = []
        for doc in self.documents:
            row = []
            for measure in MEASURES:
                value = getattr(doc, measure)
                row += [0.0 if value is None else value, 0.0 if value is None else 1.0]
            rows.append(row)
        return np.array(rows, dtype=np.float64).reshape(len(rows), 2 * len(MEASURES))

    def mean(self, measure: str) -> float | None:
        values = [v for doc in self.documents if (v := getattr(doc, measure)) is not None]
        return sum(values) / len(values) if values else None

    def n_defined(self, measure: str) -> int:
        return sum(1 for doc in self.documents if getattr(doc, measure) is not None)


def score_consistency(
    sources: Sequence[str],
    source_entities: Sequence[Sequence[EntitySpan]],
    summaries: Sequence[str],
    references: Sequence[Sequence[str]],
    *,
    tagger: Tagger | None = None,
) -> ConsistencyEvaluation:
    """Per-document entity consistency; ``source_entities[i]`` are gold spans into ``sources[i]``."""
    if not len(sources) == len(source_entities) == len(summaries) == len(references):
        raise ValueError("sources, source_entities, summaries and references must have the same length")
    docs = []
    for source, entities, summary, refs in zip(sources, source_entities, summaries, references):
        surfaces = [source[e.start : e.end] for e in entities]
        docs.append(score_document(source, surfaces, summary, refs, tagger))
    return ConsistencyEvaluation(tuple(docs))


def mean_from_sums(sums: np.ndarray, measure: str) -> np.ndarray:
    """Vectorised corpus aggregate (mean over defined documents) from column sums; NaN if none."""
    i = MEASURES.index(measure)
    value, defined = sums[..., 2 * i], sums[..., 2 * i + 1]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(defined > 0, value / np.where(defined > 0, defined, 1), np.nan)
