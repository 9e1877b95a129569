"""compute_agreement over annotation records: hand-worked figures, the references on the same items,
Fleiss on a subset of documents, stance keys, and the seeded bootstrap."""

from __future__ import annotations

import itertools
import json
import math
import sys
import warnings
import zlib
from pathlib import Path

import numpy as np
import pytest

from warta.annotation.agreement import compute_agreement
from warta.annotation.agreement.alpha import AlphaCounts
from warta.annotation.agreement.bootstrap import (
    alpha_statistic,
    cohen_statistic,
    f1_statistic,
    fleiss_statistic,
)
from warta.annotation.agreement.kappa import cohen_kappa_exact, confusion, fleiss_kappa_exact
from warta.annotation.agreement.spans import SpanCounts, span_counts
from warta.annotation.agreement.units import actor_key, group_by_article, token_labels
from warta.annotation.records import AnnotationRecord, EntityAnnotation, RegionStance, TargetStance
from warta.errors import InputError
from warta.fsutil import sha256_text
from warta.spans import EntitySpan

sys.path.insert(0, str(Path(__file__).parent))
from record_factory import annotation_record  # noqa: E402

TARGET = "nato_enlargement"
_ids = itertools.count(1)


def record(
    annotator: str,
    text: str,
    entities=(),
    *,
    article: str = "a1",
    task: int = 1,
    document=(),
    summary=None,
    ground_truth=False,
) -> AnnotationRecord:
    """``entities``: ``(surface, label)``, ``(surface, label, stance)`` or ``(surface, label, stance, nth)``."""
    return annotation_record(
        annotator, text, entities, annotation_id=next(_ids), article=article, task=task,
        document=document, summary=summary, ground_truth=ground_truth,
    )


TEXT = "Joko Widodo bertemu Putin di Moskow."


def test_entity_pair_by_hand() -> None:
    a = record("ann-1", TEXT, [("Joko Widodo", "PER"), ("Putin", "PER"), ("Moskow", "GPE")])
    b = record("ann-2", TEXT, [("Widodo", "PER"), ("Putin", "PER"), ("Moskow", "LOC")])
    pair = compute_agreement([a, b], resamples=0).entity_pairs[0]
    # strict: only Putin matches: F1 = 2·1/(3 + 3) = 1/3
    assert (pair.strict.matched, pair.strict.a, pair.strict.b) == (1, 3, 3)
    assert pair.strict.f1.value == pytest.approx(1 / 3)
    # overlap: Joko Widodo ~ Widodo and Putin (PER); GPE vs LOC never match: F1 = 2·2/6
    assert pair.overlap.matched == 2 and pair.overlap.f1.value == pytest.approx(2 / 3)
    assert pair.labels["PER"]["overlap"].f1.value == 1.0
    assert (
        pair.labels["GPE"]["strict"].f1.value == 0.0
        and pair.labels["LOC"]["strict"].f1.value == 0.0
    )
    # tokens: Joko Widodo bertemu Putin di Moskow .
    #   a: PER PER O PER O GPE O ; b: O PER O PER O LOC O
    # n = 7, agreements 4 + ... = (PER,PER)×2 + (O,O)×3 = 5; rows PER 3, O 3, GPE 1; columns PER 2, O 4, LOC 1
    # S = 3·2 + 3·4 = 18; κ = (7·5 − 18)/(49 − 18) = 17/31
    assert pair.tokens == 7
    assert pair.token_kappa.value == pytest.approx(17 / 31, abs=1e-15)
    assert pair.token_kappa.ci is None and pair.strict.f1.ci is None  # resamples=0


def test_identical_annotators_agree_fully() -> None:
    spec = [("Joko Widodo", "PER", "FAVOR"), ("Putin", "PER", "AGAINST"), ("Moskow", "GPE")]
    records = [record(name, TEXT, spec, document=["NONE"]) for name in ("a", "b", "c")]
    report = compute_agreement(records, resamples=50)
    for pair in report.entity_pairs:
        assert pair.strict.f1.value == pair.overlap.f1.value == pair.token_kappa.value == 1.0
    assert report.fleiss is not None and report.fleiss.kappa.value == 1.0
    assert report.actor_stance.alpha.value == 1.0
    assert all(p.kappa.value == 1.0 for p in report.actor_stance.pairs)
    # one category only: α and κ are undefined, not a made-up 0 or 1
    assert report.document_stance.alpha.value is None
    assert all(p.kappa.value is None for p in report.document_stance.pairs)


def _random_records(
    rng: np.random.Generator, documents: int, annotators: list[str], coverage: float = 1.0
) -> list[AnnotationRecord]:
    words = [
        "Rusia",
        "NATO",
        "Ukraina",
        "Putin",
        "Biden",
        "Kyiv",
        "menolak",
        "mendukung",
        "pada",
        "Senin",
        "bahwa",
        "dan",
    ]
    labels = {
        "Rusia": "GPE",
        "NATO": "ORG",
        "Ukraina": "GPE",
        "Putin": "PER",
        "Biden": "PER",
        "Kyiv": "GPE",
        "Senin": "DATE",
    }
    records = []
    for d in range(documents):
        tokens = [str(w) for w in rng.choice(words, size=int(rng.integers(3, 25)))]
        text = " ".join(tokens)
        offsets, position = [], 0
        for token in tokens:
            offsets.append((position, position + len(token)))
            position += len(token) + 1
        chosen = [name for name in annotators if rng.random() < coverage] or annotators[:2]
        for name in chosen:
            ents, stance = [], []
            for i, (token, (start, end)) in enumerate(zip(tokens, offsets)):
                if token in labels and rng.random() < 0.8:
                    label = (
                        labels[token]
                        if rng.random() < 0.85
                        else str(rng.choice(["PER", "ORG", "LOC"]))
                    )
                    if rng.random() < 0.2 and i + 1 < len(tokens):
                        end = offsets[i + 1][1]  # a longer span now and then
                    ents.append(EntityAnnotation(f"r{i}", start, end, label, text[start:end]))
                    if label in ("PER", "ORG", "GPE") and rng.random() < 0.6:
                        stance.append(
                            RegionStance(
                                f"r{i}",
                                TARGET,
                                str(rng.choice(["FAVOR", "AGAINST", "NONE"], p=[0.2, 0.5, 0.3])),
                            )
                        )
            document = (
                [TargetStance(TARGET, str(rng.choice(["FAVOR", "AGAINST", "NONE"])))]
                if rng.random() < 0.9
                else []
            )
            records.append(
                AnnotationRecord(
                    d + 1,
                    f"doc{d:03d}",
                    text,
                    sha256_text(text),
                    name,
                    next(_ids),
                    entities=ents,
                    stance=stance,
                    document_stance=document,
                )
            )
    return records


def test_token_kappa_and_stance_figures_equal_the_references_on_the_same_items() -> None:
    import krippendorff
    from sklearn.metrics import cohen_kappa_score

    rng = np.random.default_rng(99)
    records = _random_records(rng, 25, ["ann-1", "ann-2", "ann-3"], coverage=0.8)
    report = compute_agreement(records, resamples=0)
    docs = group_by_article(records)
    for pair in report.entity_pairs:
        a, b = pair.annotators
        ys_a, ys_b = [], []
        for doc in docs.values():
            if a in doc.records and b in doc.records:
                la, lb = token_labels(doc.text, [doc.spans(a), doc.spans(b)])
                ys_a += la
                ys_b += lb
        assert pair.token_kappa.value == pytest.approx(cohen_kappa_score(ys_a, ys_b), abs=1e-12)
    # actor stance: build the reliability matrix (annotators × items) independently
    annotators = report.annotators
    items: dict[tuple, dict[str, str]] = {}
    for r in records:
        regions = {e.region_id: e for e in r.entities}
        labels: dict[tuple, set[str]] = {}
        for s in r.stance:
            labels.setdefault(
                (r.article_id, s.target, regions[s.region_id].text.lower()), set()
            ).add(s.label)
        for key, found in labels.items():
            if len(found) == 1:
                items.setdefault(key, {})[r.annotator] = found.pop()
    codes = {"AGAINST": 0, "FAVOR": 1, "NONE": 2}
    matrix = [
        [codes[items[k][name]] if name in items[k] else np.nan for k in sorted(items)]
        for name in annotators
    ]
    expected = krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
    assert report.actor_stance.alpha.value == pytest.approx(expected, abs=1e-12)
    for pair in report.actor_stance.pairs:
        i, j = annotators.index(pair.annotators[0]), annotators.index(pair.annotators[1])
        both = [
            (matrix[i][u], matrix[j][u])
            for u in range(len(items))
            if not (np.isnan(matrix[i][u]) or np.isnan(matrix[j][u]))
        ]
        assert pair.items == len(both)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reference = (
                cohen_kappa_score([x for x, _ in both], [y for _, y in both])
                if both
                else float("nan")
            )
        assert (pair.kappa.value is None) == math.isnan(reference)
        if pair.kappa.value is not None:
            assert pair.kappa.value == pytest.approx(reference, abs=1e-12)


def test_fleiss_uses_the_documents_with_the_most_annotators() -> None:
    from statsmodels.stats.inter_rater import fleiss_kappa

    rng = np.random.default_rng(4)
    full = _random_records(rng, 6, ["a", "b", "c"])
    partial = [r for r in _random_records(rng, 3, ["a", "b", "c"]) if r.annotator != "c"]
    for r in partial:
        r.article_id = "partial-" + r.article_id
    report = compute_agreement(full + partial, resamples=0)
    assert report.fleiss is not None
    assert (report.fleiss.raters, report.fleiss.documents, report.fleiss.left_out) == (3, 6, 3)
    table_rows, categories = [], ["DATE", "GPE", "LOC", "O", "ORG", "PER"]
    for doc in group_by_article(full).values():
        labels = token_labels(doc.text, [doc.spans(n) for n in doc.annotators])
        for ratings in zip(*labels):
            table_rows.append([ratings.count(c) for c in categories])
    assert report.fleiss.tokens == len(table_rows)
    assert report.fleiss.kappa.value == pytest.approx(
        fleiss_kappa(np.array(table_rows), method="fleiss"), abs=1e-12
    )
    # two annotators only: no Fleiss
    assert compute_agreement(partial, resamples=0).fleiss is None


def test_stance_items_are_keyed_by_normalised_actor_text() -> None:
    text = "Rusia menolak. NATO setuju.\n\nMenurut RUSIA , Ukraina tidak boleh masuk NATO."
    a = record(
        "a", text, [("Rusia", "GPE", "AGAINST"), ("NATO", "ORG", "FAVOR")], document=["NONE"]
    )
    # b marks the second spelling of Rusia and the second NATO: the same actors
    b = record(
        "b", text, [("RUSIA", "GPE", "AGAINST"), ("NATO", "ORG", "FAVOR", 1)], document=["NONE"]
    )
    c = record("c", text, [("Rusia", "GPE", "FAVOR")], document=["NONE"])
    report = compute_agreement([a, b, c], resamples=0)
    actor = report.actor_stance
    # units: rusia [AGAINST, AGAINST, FAVOR], nato [FAVOR, FAVOR]
    # rusia: m = 3, Σ n_c² = 4 + 1: disagreement (9 − 5)/2 = 2; nato: 0.
    # n_AGAINST = 2, n_FAVOR = 3, n = 5: α = 1 − 4·2/(25 − 4 − 9) = 1/3
    assert (actor.items, actor.pairable) == (2, 2)
    assert actor.alpha.value == pytest.approx(1 / 3, abs=1e-15)
    kappas = {p.annotators: (p.items, p.kappa.value) for p in actor.pairs}
    # a–b rate both items identically, two categories: κ = 1. a–c share rusia only, (AGAINST, FAVOR):
    # n = 1, agreements 0, S = 0: κ = 0.
    assert kappas[("a", "b")] == (2, 1.0)
    assert kappas[("a", "c")] == (1, 0.0)
    assert actor_key("  Gedung\u00a0 PUTIH ") == "gedung putih"


def test_inconsistent_actor_stance_is_missing_and_reported() -> None:
    text = "Rusia menolak, tetapi Rusia juga setuju."
    a = record("a", text, [("Rusia", "GPE", "AGAINST"), ("Rusia", "GPE", "FAVOR", 1)])
    b = record("b", text, [("Rusia", "GPE", "AGAINST")])
    report = compute_agreement([a, b], resamples=0)
    assert [(i.annotator, i.actor, i.labels) for i in report.actor_stance.inconsistent] == [
        ("a", "rusia", ("AGAINST", "FAVOR"))
    ]
    assert report.actor_stance.items == 1 and report.actor_stance.pairable == 0
    assert report.actor_stance.alpha.value is None


def test_bad_records_are_input_errors() -> None:
    a = record("a", TEXT, [("Putin", "PER")])
    with pytest.raises(InputError, match="two annotations"):
        compute_agreement([a, record("a", TEXT)], resamples=0)
    other = record("b", TEXT + " Lagi.")
    with pytest.raises(InputError, match="two different texts"):
        compute_agreement([a, other], resamples=0)
    broken = record("c", TEXT, [("Putin", "PER")])
    broken.entities[0] = EntityAnnotation("r0", 0, 5, "PER", "Putin")
    with pytest.raises(InputError, match="does not match the text"):
        compute_agreement([broken], resamples=0)


def test_bootstrap_is_seeded_and_equals_a_plain_resampling_loop() -> None:
    rng = np.random.default_rng(12)
    records = _random_records(rng, 30, ["ann-1", "ann-2"])
    first = compute_agreement(records, seed=5, resamples=300)
    again = compute_agreement(records, seed=5, resamples=300)
    other = compute_agreement(records, seed=6, resamples=300)
    assert json.dumps(first.to_dict()) == json.dumps(again.to_dict())
    assert json.dumps(first.to_dict()) != json.dumps(other.to_dict())
    pair = first.entity_pairs[0]
    low, high = pair.strict.f1.ci
    assert low <= pair.strict.f1.value <= high and low < high

    # the same interval from a plain loop: draw documents, add their exact counts, recompute
    docs = list(group_by_article(records).values())
    per_doc = [
        sum(span_counts(d.spans("ann-1"), d.spans("ann-2"), "strict").values(), SpanCounts())
        for d in docs
    ]
    draws = np.random.default_rng([5, zlib.crc32(b"entities:ann-1|ann-2")]).integers(
        0, len(docs), size=(300, len(docs))
    )
    values = [sum((per_doc[i] for i in row), SpanCounts()).f1 for row in draws]
    assert (low, high) == pytest.approx(tuple(np.quantile(values, [0.025, 0.975])), abs=1e-12)


def test_vectorised_bootstrap_statistics_equal_the_exact_ones() -> None:
    rng = np.random.default_rng(8)
    for _ in range(300):
        k = int(rng.integers(1, 4))
        a = [f"c{x}" for x in rng.integers(0, k, int(rng.integers(0, 12)))]
        b = [f"c{x}" for x in rng.integers(0, k, len(a))]
        matrix = confusion(a, b)
        cats = [f"c{i}" for i in range(k)]
        row = np.array([[matrix.get((x, y), 0) for x in cats for y in cats]], dtype=float)
        exact = cohen_kappa_exact(matrix)
        value = cohen_statistic(k)(row)[0]
        assert (exact is None and math.isnan(value)) or value == pytest.approx(
            float(exact), abs=1e-12
        )

        counts = SpanCounts(
            int(rng.integers(0, 3)), int(rng.integers(0, 4)), int(rng.integers(0, 4))
        )
        value = f1_statistic(np.array([[counts.matched, counts.a, counts.b]], dtype=float))[0]
        assert (counts.f1 is None and math.isnan(value)) or value == pytest.approx(counts.f1)

        raters = int(rng.integers(2, 5))
        items = [
            [f"c{x}" for x in rng.integers(0, k, raters)] for _ in range(int(rng.integers(1, 8)))
        ]
        from warta.annotation.agreement.kappa import fleiss_counts

        n_items, n, squares, totals = fleiss_counts(items)
        exact = fleiss_kappa_exact(n_items, n, squares, totals)
        value = fleiss_statistic(n)(
            np.array([[n_items, squares, *(totals.get(c, 0) for c in cats)]], dtype=float)
        )[0]
        assert (exact is None and math.isnan(value)) or value == pytest.approx(
            float(exact), abs=1e-12
        )

        counts_alpha = AlphaCounts()
        for _ in range(int(rng.integers(0, 6))):
            counts_alpha.add_unit([f"c{x}" for x in rng.integers(0, k, int(rng.integers(1, 4)))])
        exact = counts_alpha.alpha_exact()
        value = alpha_statistic(
            np.array(
                [[float(counts_alpha.disagreement), *(counts_alpha.totals.get(c, 0) for c in cats)]]
            )
        )[0]
        assert (exact is None and math.isnan(value)) or value == pytest.approx(
            float(exact), abs=1e-12
        )


def test_token_labels_never_straddle_an_edge() -> None:
    text = "NATO-Rusia bertemu."
    labels = token_labels(
        text, [[EntitySpan(0, 4, "ORG"), EntitySpan(5, 10, "GPE")], [EntitySpan(0, 10, "ORG")]]
    )
    # tokens: NATO - Rusia bertemu .
    assert labels == [["ORG", "O", "GPE", "O", "O"], ["ORG", "ORG", "ORG", "O", "O"]]


def test_report_json_is_plain() -> None:
    rng = np.random.default_rng(1)
    report = compute_agreement(_random_records(rng, 4, ["a", "b", "c"]), resamples=20)
    data = json.loads(json.dumps(report.to_dict()))
    assert data["format"] == "warta.agreement.v1"
    assert set(data) >= {"entities", "stance", "annotators", "seed", "resamples"}
    assert len(data["entities"]["pairs"]) == 3
    assert data["entities"]["fleiss"]["raters"] == 3
