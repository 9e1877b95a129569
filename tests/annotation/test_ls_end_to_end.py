"""Two annotators in a real Label Studio -> pull -> agreement -> adjudicate -> gold, then a curator's
ground truth settles what the vote could not.

The expected figures are worked out by hand from :data:`ls_helpers.ANNOTATIONS`:

Entities (A vs B). Article E: NATO/ORG, Rusia/GPE and AS/GPE match; A's DATE "12 Januari 2022" and
B's "Januari 2022" overlap but differ. Article C: Rusia/GPE and NATO/ORG match; Ukraina is GPE for A,
LOC for B. A has 7 spans, B 7. Strict: 5 matched, F1 = 2·5/14 = 5/7. Overlap (same label,
intersecting): + the DATE pair = 6, F1 = 6/7. Per label (strict): ORG 2/2 vs 2 -> 1; GPE A 4, B 3,
3 matched -> 6/7; DATE 0 of 1 vs 1 -> 0; LOC 0 of 0 vs 1 -> 0.

Token κ: tokens labelled by the covering entity; A and B differ on two tokens ("12": DATE vs O;
"Ukraina": GPE vs LOC). With N tokens in both texts: A has ORG 2, GPE 4, DATE 3, O N-9; B has
ORG 2, GPE 3, DATE 2, LOC 1, O N-8. p_o = (N-2)/N, p_e = (2·2 + 4·3 + 3·2 + (N-9)(N-8)) / N².

Actor stance, items (E, Rusia), (E, AS), (C, Rusia): A = AGAINST, FAVOR, AGAINST; B = AGAINST, NONE,
AGAINST. Cohen's κ: p_o = 2/3, p_e = (2/3)(2/3) = 4/9, κ = (2/9)/(5/9) = 2/5. Krippendorff's α
(nominal): 6 pairable values, n_AGAINST = 4, n_FAVOR = n_NONE = 1; D_o = 2/6, D_e = (36 - 18)/30 = 3/5,
α = 1 - (1/3)/(3/5) = 4/9. Document stance: all NONE, so κ and α are undefined (None).

Adjudication (2 annotators: a span or label needs both votes): C has B's ground truth, so its gold is
B's annotation. E has two ties (the DATE spans, AS's stance): no gold, two unresolved conflicts.
"""

from __future__ import annotations

import sys
from fractions import Fraction
from pathlib import Path

import pytest

from warta.annotation.adjudicate import adjudicate
from warta.annotation.agreement.compute import compute_agreement
from warta.annotation.pseudonyms import Pseudonymizer, load_or_create_key
from warta.annotation.pull import pull
from warta.annotation.records import read_records
from warta.gold import ActorStance, DocumentStance, GoldEntity, Mention
from warta.tokenize import token_spans

sys.path.insert(0, str(Path(__file__).parent))
from ls_helpers import (  # noqa: E402
    ANNOTATIONS,
    ANNOTATOR_A,
    ANNOTATOR_B,
    SEED_C,
    SEED_E,
    annotate_seed_project,
    find,
    ls_result,
)

pytestmark = pytest.mark.label_studio


def _close(value: float | None, expected: Fraction | float) -> bool:
    return value is not None and abs(value - float(expected)) < 1e-12


def _spans(text: str, email: str, article: str) -> list[tuple[int, int]]:
    return [
        (find(text, s, o), find(text, s, o) + len(s))
        for s, o, _, _ in ANNOTATIONS[email][article]["entities"]
    ]


def test_two_annotators_to_agreement_and_gold(label_studio, seed_release, tmp_path):
    project = annotate_seed_project(label_studio, seed_release, "warta seed end to end")
    key_file = tmp_path / "pseudonym.key"
    pseudonym = Pseudonymizer(load_or_create_key(key_file))
    a, b = pseudonym(ANNOTATOR_A), pseudonym(ANNOTATOR_B)
    out = tmp_path / "records.jsonl"
    pull(
        label_studio.connection(),
        project.title,
        out,
        pseudonymize=pseudonym,
        release_dir=seed_release,
    )
    records = read_records(out)
    assert sorted((r.article_id, r.annotator) for r in records) == sorted(
        (article, annotator) for article in (SEED_C, SEED_E) for annotator in (a, b)
    )

    # --- agreement, against the hand-worked figures of the module docstring
    report = compute_agreement(records, seed=7, resamples=200)
    assert report.annotators == sorted([a, b]) and report.documents == 2 and report.annotations == 4
    assert report.fleiss is None
    (pair,) = report.entity_pairs
    assert (pair.strict.matched, pair.strict.a, pair.strict.b) == (5, 7, 7)
    assert _close(pair.strict.f1.value, Fraction(5, 7))
    assert (pair.overlap.matched, pair.overlap.a, pair.overlap.b) == (6, 7, 7)
    assert _close(pair.overlap.f1.value, Fraction(6, 7))
    per_label = {label: modes["strict"].f1.value for label, modes in pair.labels.items()}
    assert per_label.keys() == {"ORG", "GPE", "DATE", "LOC"}
    assert _close(per_label["ORG"], 1) and _close(per_label["GPE"], Fraction(6, 7))
    assert _close(per_label["DATE"], 0) and _close(per_label["LOC"], 0)

    n = 0
    for article in (SEED_C, SEED_E):
        text = project.texts[article]
        cuts = [o for email in ANNOTATIONS for span in _spans(text, email, article) for o in span]
        n += len(token_spans(text, cut_at=cuts))
    p_o = Fraction(n - 2, n)
    p_e = Fraction(2 * 2 + 4 * 3 + 3 * 2 + (n - 9) * (n - 8), n * n)
    assert pair.tokens == n
    assert _close(pair.token_kappa.value, (p_o - p_e) / (1 - p_e))

    actor = report.actor_stance
    assert actor.items == 3 and actor.inconsistent == []
    assert _close(actor.alpha.value, Fraction(4, 9))
    (kappa,) = actor.pairs
    assert kappa.items == 3 and _close(kappa.kappa.value, Fraction(2, 5))
    document = report.document_stance
    assert document.items == 2 and document.alpha.value is None
    assert [p.kappa.value for p in document.pairs] == [None]

    # --- adjudication: C from B's ground truth, E blocked by two ties
    result = adjudicate(records)
    assert [g.article_id for g in result.gold] == [SEED_C]
    gold_c = result.gold[0]
    text_c = project.texts[SEED_C]
    spec_b = ANNOTATIONS[ANNOTATOR_B][SEED_C]
    expected = [
        GoldEntity(find(text_c, s, o), find(text_c, s, o) + len(s), label, s)
        for s, o, label, _ in spec_b["entities"]
    ]
    assert gold_c.entities == sorted(expected, key=lambda e: (e.start, e.end, e.label))
    rusia = find(text_c, "Rusia")
    assert gold_c.stance == [
        ActorStance("nato_enlargement", "Rusia", (Mention(rusia, rusia + 5),), "AGAINST")
    ]
    assert gold_c.document_stance == [DocumentStance("nato_enlargement", "NONE")]
    assert gold_c.summaries == [spec_b["summary"], ANNOTATIONS[ANNOTATOR_A][SEED_C]["summary"]]
    assert gold_c.provenance["method"] == "ground truth"
    assert result.blocked == [SEED_E]
    unresolved = sorted(c.kind for c in result.unresolved)
    assert unresolved == ["actor_stance", "entity"]

    # --- the curator settles E in Label Studio with a ground-truth annotation; pull and adjudicate again
    curator_spec = {**ANNOTATIONS[ANNOTATOR_A][SEED_E], "ground_truth": True}
    label_studio.client().annotations.create(
        id=project.task_ids[SEED_E],
        result=ls_result(project.texts[SEED_E], curator_spec, prefix="cur-"),
        lead_time=30.0,
        ground_truth=True,
    )
    pull(
        label_studio.connection(),
        project.title,
        out,
        pseudonymize=pseudonym,
        release_dir=seed_release,
        force=True,
    )
    settled = adjudicate(read_records(out))
    assert [g.article_id for g in settled.gold] == [SEED_C, SEED_E] and settled.unresolved == []
    gold_e = settled.gold[1]
    text_e = project.texts[SEED_E]
    assert [(e.start, e.end, e.label) for e in gold_e.entities] == sorted(
        (find(text_e, s, o), find(text_e, s, o) + len(s), label)
        for s, o, label, _ in curator_spec["entities"]
    )
    assert sorted((s.actor, s.label) for s in gold_e.stance) == [
        ("AS", "FAVOR"),
        ("Rusia", "AGAINST"),
    ]
    assert gold_e.provenance["method"] == "ground truth"
