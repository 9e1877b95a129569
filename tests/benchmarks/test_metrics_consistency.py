"""Entity-level factual consistency (Nan et al. 2021) with the documented matcher."""

from __future__ import annotations

import numpy as np
import pytest

from warta.benchmarks.metrics.consistency import (
    MEASURES,
    entity_set,
    find_entities,
    mean_from_sums,
    normalize,
    score_consistency,
)
from warta.spans import EntitySpan

SOURCE = "Menteri Luar Negeri Rusia Sergey Lavrov bertemu Dewan NATO-Rusia di Brussel pada Rabu."
ENTITIES = [
    EntitySpan(20, 25, "GPE"),  # Rusia
    EntitySpan(26, 39, "PER"),  # Sergey Lavrov
    EntitySpan(48, 64, "ORG"),  # Dewan NATO-Rusia
    EntitySpan(68, 75, "GPE"),  # Brussel
]


def test_matcher_is_whole_word_case_insensitive_and_longest_first() -> None:
    surfaces = [SOURCE[e.start : e.end] for e in ENTITIES] + ["NATO"]
    assert find_entities("sergey  LAVROV tiba di brussel.", surfaces) == {"sergey lavrov", "brussel"}
    assert find_entities("Rusiawan dan Brusselnya", surfaces) == set()  # not whole words
    assert find_entities("Dewan NATO-Rusia bersidang; NATO diam.", surfaces) == {"dewan nato-rusia", "nato"}
    assert normalize("Jum\u2019at  Kafe\u0301") == "jum'at kafé"


def test_scores_by_hand() -> None:
    summary = "Lavrov dan Sergey Lavrov bertemu Dewan NATO-Rusia di Brussel."
    references = ["Sergey Lavrov ke Brussel.", "Menlu Rusia bertemu di Brussel."]
    ev = score_consistency([SOURCE], [ENTITIES], [summary], [references])
    doc = ev.documents[0]
    assert doc.summary_entities == {"sergey lavrov", "dewan nato-rusia", "brussel"}
    assert doc.reference_entities == {"sergey lavrov", "brussel", "rusia"}
    assert doc.prec_source == 1.0  # without a tagger every summary entity comes from the source
    assert doc.precision_ref == pytest.approx(2 / 3)
    assert doc.recall_ref == pytest.approx(2 / 3)
    assert doc.f1_ref == pytest.approx(2 / 3)


def test_tagger_exposes_entities_missing_from_the_source() -> None:
    def tagger(text: str) -> list[EntitySpan]:
        i = text.find("Moskow")
        return [EntitySpan(i, i + 6, "GPE")] if i >= 0 else []

    summary = "Sergey Lavrov kembali ke Moskow."
    ev = score_consistency([SOURCE], [ENTITIES], [summary], [["Lavrov di Brussel."]], tagger=tagger)
    doc = ev.documents[0]
    assert entity_set(summary, [], tagger) == {"moskow"}
    assert doc.summary_entities == {"sergey lavrov", "moskow"}
    assert doc.prec_source == 0.5


def test_undefined_values_and_the_reported_mean() -> None:
    summaries = ["Tidak ada nama di sini.", "Sergey Lavrov di Brussel.", "Rusia."]
    refs = [["Sergey Lavrov."], ["Tanpa nama."], ["Rusia dan Brussel."]]
    ev = score_consistency([SOURCE] * 3, [ENTITIES] * 3, summaries, refs)
    first, second, third = ev.documents
    assert first.prec_source is None and first.precision_ref is None and first.recall_ref == 0.0
    assert first.f1_ref == 0.0
    assert second.recall_ref is None and second.precision_ref == 0.0
    assert third.precision_ref == 1.0 and third.recall_ref == 0.5
    assert ev.n_defined("prec_source") == 2 and ev.mean("prec_source") == 1.0
    assert ev.mean("precision_ref") == pytest.approx(0.5)
    sums = ev.statistics.sum(0)
    for measure in MEASURES:
        assert mean_from_sums(sums, measure) == pytest.approx(ev.mean(measure))
    empty = score_consistency([SOURCE], [ENTITIES], ["Tanpa nama."], [["Tanpa nama."]])
    assert np.isnan(mean_from_sums(empty.statistics.sum(0), "f1_ref"))
