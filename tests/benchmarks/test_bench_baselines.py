"""Baselines: valid submissions, honest stance evaluation, deterministic summaries, oracle ceiling."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from warta.benchmarks.baselines import build_baselines, write_baselines
from warta.benchmarks.baselines import stance as stance_baselines
from warta.benchmarks.baselines.sentences import sentence_spans, split_sentences
from warta.benchmarks.baselines.summarization import (
    default_objective,
    lead_k,
    rouge_oracle,
    textrank,
    textrank_scores,
)
from warta.benchmarks.evaluate import load_task_gold
from warta.benchmarks.submissions import check_submission_file, discover_systems
from warta.errors import OutputExistsError
from warta.release import Release
from warta.schema import load_schema

SCHEMA = load_schema()


@pytest.fixture(scope="module")
def baselines(labeled_release: Path) -> list:
    return build_baselines(labeled_release)


def test_baselines_write_valid_submissions(labeled_release: Path, baselines: list, tmp_path: Path) -> None:
    assert [b.id for b in baselines] == [
        "gazetteer-tagger", "majority-class", "tfidf-logreg", "lead-3", "textrank-3", "oracle-rouge",
    ]
    write_baselines(baselines, tmp_path / "subs")
    systems = discover_systems(tmp_path / "subs")
    assert sorted(s.id for s in systems) == sorted(b.id for b in baselines)
    for system in systems:
        for task, path in system.files.items():
            gold = load_task_gold(labeled_release, task)
            submission, problems = check_submission_file(path, task, gold.index, SCHEMA)
            assert problems == [], (system.id, problems)
            assert submission is not None and not submission.filled
    by_id = {s.id: s for s in systems}
    assert by_id["oracle-rouge"].meta.oracle and "ORACLE" in by_id["oracle-rouge"].meta.description
    assert not by_id["lead-3"].meta.oracle
    assert "leave-one-article-out" in by_id["tfidf-logreg"].meta.description
    assert "leave-one-article-out" in by_id["majority-class"].meta.description


def test_write_baselines_refuses_then_replaces(baselines: list, tmp_path: Path) -> None:
    out = tmp_path / "subs"
    write_baselines(baselines[:1], out)
    (out / "gazetteer-tagger" / "ner.jsonl").write_text("stale\n", encoding="utf-8")
    with pytest.raises(OutputExistsError, match="gazetteer-tagger"):
        write_baselines(baselines, out)
    assert sorted(p.name for p in out.iterdir()) == ["gazetteer-tagger"]  # nothing else was written
    write_baselines(baselines, out, replace=True)
    assert (out / "gazetteer-tagger" / "ner.jsonl").read_text(encoding="utf-8").startswith('{"id": "a01"')
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_baselines_are_deterministic(labeled_release: Path, baselines: list) -> None:
    again = build_baselines(labeled_release)
    assert [(b.id, b.meta, b.predictions) for b in again] == [(b.id, b.meta, b.predictions) for b in baselines]


def test_gazetteer_baseline_finds_most_fixture_entities(labeled_release: Path, baselines: list) -> None:
    gold = Release.open(labeled_release).read("ner", "test", schema=SCHEMA)
    predicted = {b.id: b for b in baselines}["gazetteer-tagger"].predictions["ner"]
    gold_spans = {(r["id"], e["start"], e["end"], e["label"]) for r in gold for e in r["entities"]}
    found = {(i, s.start, s.end, s.label) for i, spans in predicted.items() for s in spans}
    assert len(gold_spans & found) / len(gold_spans) > 0.8
    assert len(gold_spans & found) / len(found) > 0.8


# --- stance: nothing is predicted by a model that saw it ---------------------------------------


def stance_rows(labeled_release: Path) -> list[dict]:
    return Release.open(labeled_release).read("stance", "test", schema=SCHEMA)


def test_leave_one_article_out_folds(labeled_release: Path) -> None:
    rows = stance_rows(labeled_release)
    folds = stance_baselines.leave_one_article_out(rows)
    assert [article for article, _, _ in folds] == ["a01", "a02", "a03", "a04", "a05"]
    covered = []
    for article, train, test in folds:
        assert {rows[i]["article_id"] for i in test} == {article}
        assert article not in {rows[i]["article_id"] for i in train}
        assert sorted(train + test) == list(range(len(rows)))
        covered += test
    assert sorted(covered) == list(range(len(rows)))


@pytest.mark.parametrize("make", [stance_baselines.tfidf_lr_fit_predict, stance_baselines.majority_fit_predict])
def test_leave_one_article_out_never_sees_the_article_it_predicts(labeled_release: Path, make) -> None:
    rows = stance_rows(labeled_release)
    labels = SCHEMA.stance_label_names
    seen: list[tuple[set, set]] = []
    inner = make(labels)

    def spy(train, test):
        seen.append(({r["id"] for r in train}, {r["id"] for r in test}))
        return inner(train, test)

    baseline = stance_baselines.predict_leave_one_article_out(rows, spy)
    assert len(seen) == 5
    for train_ids, test_ids in seen:
        assert not train_ids & test_ids
        assert {i.split(":")[0] for i in train_ids}.isdisjoint({i.split(":")[0] for i in test_ids})
    # Changing the gold labels of one article cannot change its own predictions.
    rng = random.Random(3)
    for article in ("a01", "a03", "a05"):
        tampered = []
        for row in rows:
            row = dict(row)
            if row["article_id"] == article:
                row["label"] = rng.choice(labels)
            tampered.append(row)
        again = stance_baselines.predict_leave_one_article_out(tampered, inner)
        own = [r["id"] for r in rows if r["article_id"] == article]
        assert [again[i] for i in own] == [baseline[i] for i in own]
        # ...while the other articles' predictions may depend on it (it is in their training data)


def test_tfidf_logreg_trains_on_train_split_when_there_is_one(labeled_release_with_train: Path) -> None:
    built = {b.id: b for b in build_baselines(labeled_release_with_train)}
    lr = built["tfidf-logreg"]
    assert "trained on the train split" in lr.meta.description
    test_ids = {r["id"] for r in Release.open(labeled_release_with_train).read("stance", "test")}
    assert set(lr.predictions["stance"]) == test_ids
    assert {i.split(":")[0] for i in test_ids} == {"a04", "a05"}


def test_majority_label_tie_breaks_in_schema_order() -> None:
    order = ["FAVOR", "AGAINST", "NONE"]
    assert stance_baselines.majority_label(["NONE", "AGAINST", "NONE", "AGAINST"], order) == "AGAINST"
    assert stance_baselines.majority_label(["NONE"], order) == "NONE"


def test_actor_rows_read_the_sentences_that_mention_the_actor(labeled_release: Path) -> None:
    row = next(r for r in stance_rows(labeled_release) if r["id"] == "a05:nato_enlargement:dmitry-peskov")
    text = stance_baselines.row_features_text(row)
    assert text.startswith("level_actor Dmitry Peskov")
    assert "Juru bicara Kremlin Dmitry Peskov mengatakan" in text
    assert "Warsawa" not in text


# --- summarization ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rusia mengumpulkan 100.000 tentara. Dr. Anna Petrova menilai itu berbahaya.",
         ["Rusia mengumpulkan 100.000 tentara.", "Dr. Anna Petrova menilai itu berbahaya."]),
        ("Sanksi datang dari AS. Rusia menolak.", ["Sanksi datang dari AS.", "Rusia menolak."]),
        ("Pejabat A.S. dan Rusia bertemu. Prof. Budi hadir di Jl. Merdeka No. 5 hari ini.",
         ["Pejabat A.S. dan Rusia bertemu.", "Prof. Budi hadir di Jl. Merdeka No. 5 hari ini."]),
        ('"Kami serius," kata Psaki. "Jika mereka siap?" tanyanya. Harga naik 1,5 persen!',
         ['"Kami serius," kata Psaki.', '"Jika mereka siap?" tanyanya.', "Harga naik 1,5 persen!"]),
        ("J. Smith tiba. Judul tanpa titik\nBaris kedua.", ["J. Smith tiba.", "Judul tanpa titik", "Baris kedua."]),
        ("Biaya Rp. 5.000 per orang. Selesai.", ["Biaya Rp. 5.000 per orang.", "Selesai."]),
    ],
)
def test_sentence_splitter(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected
    assert [text[s:e] for s, e in sentence_spans(text)] == expected


def summarization_rows(release: Path) -> tuple[list[dict], dict[str, str]]:
    opened = Release.open(release)
    titles = {r["id"]: r["title"] for r in opened.read("ner", "test")}
    return opened.read("summarization", "test"), titles


def test_lead_k_takes_body_sentences(labeled_release: Path) -> None:
    rows, titles = summarization_rows(labeled_release)
    row = rows[0]
    lead = lead_k(row["document"], 2, titles[row["id"]])
    assert lead.split("\n") == split_sentences(row["document"][len(titles[row["id"]]) + 2 :])[:2]
    assert lead.startswith("Moskow: Rusia menuntut")
    assert lead_k(row["document"], 1) == titles[row["id"]]  # without the title, the headline leads


def test_textrank_is_deterministic_and_orders_by_document(labeled_release: Path) -> None:
    rows, titles = summarization_rows(labeled_release)
    for row in rows:
        first = textrank(row["document"], 3, titles[row["id"]])
        assert first == textrank(row["document"], 3, titles[row["id"]])
        sentences = split_sentences(row["document"])
        positions = [sentences.index(s) for s in first.split("\n")]
        assert positions == sorted(positions) and len(positions) == 3
    scores = textrank_scores(["a b c.", "a b d.", "x y z."])
    assert abs(sum(scores) - 1.0) < 1e-9
    assert scores[0] == scores[1] > scores[2]
    assert textrank_scores([]) == [] and textrank_scores(["satu."]) == [1.0]
    assert textrank("Satu. Dua. Tiga.", 5) == "Satu.\nDua.\nTiga."


def test_oracle_is_a_ceiling_for_lead_and_textrank(labeled_release: Path, baselines: list) -> None:
    rows, _ = summarization_rows(labeled_release)
    objective = default_objective()
    predictions = {b.id: b.predictions.get("summarization") for b in baselines}
    totals = {name: 0.0 for name in ("lead-3", "textrank-3", "oracle-rouge")}
    for row in rows:
        scores = {name: objective(predictions[name][row["id"]], row["references"]) for name in totals}
        assert scores["oracle-rouge"] >= scores["lead-3"] and scores["oracle-rouge"] >= scores["textrank-3"]
        for name, value in scores.items():
            totals[name] += value
    assert totals["oracle-rouge"] > totals["lead-3"]


def test_oracle_greedy_fallback_matches_exhaustive_on_a_simple_case() -> None:
    document = "Rusia menolak NATO. Cuaca cerah hari ini. NATO menolak tuntutan Rusia. Harga beras naik."
    refs = ["Rusia menolak NATO dan NATO menolak tuntutan Rusia."]
    exact = rouge_oracle(document, refs, 2)
    greedy = rouge_oracle(document, refs, 2, exhaustive_limit=0)
    assert exact == greedy == "Rusia menolak NATO.\nNATO menolak tuntutan Rusia."
    assert rouge_oracle("", refs, 2) == ""
