"""Slices: declared once, counts that add up, scores equal to scoring the part alone, the
gold agreement levels, seen/unseen entities, and the contamination-aware cutoff slice."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from warta.benchmarks import slices
from warta.benchmarks.evaluate import load_task_gold, score_file
from warta.benchmarks.leaderboard import build_leaderboard, render_files
from warta.benchmarks.results import validate
from warta.benchmarks.scoring import ScoreOptions, score_task
from warta.errors import GoldError

OPTIONS = ScoreOptions(resamples=100)
REPO = Path(__file__).resolve().parents[2]
SEED_RELEASE = REPO / "corpus" / "releases" / "1.0.0"
SEED_GOLD = REPO / "annotation" / "gold"
DOCUMENT_SLICES = ("outlet", "story", "publication_month")


def _score(release: Path, submissions: Path, task: str, system: str, **kwargs) -> tuple[dict, object]:
    gold = load_task_gold(release, task, **kwargs)
    results, _ = score_file(gold, submissions / system / f"{task}.jsonl", options=OPTIONS, system=system)
    validate(results)
    return results, gold


@pytest.mark.parametrize(
    ("task", "system"), [("ner", "gazetteer-tagger"), ("stance", "tfidf-logreg"), ("summarization", "lead-3")]
)
def test_document_slices_add_up_and_equal_scoring_the_part_alone(
    leaderboard_inputs: tuple[Path, Path], task: str, system: str
) -> None:
    release, submissions = leaderboard_inputs
    results, gold = _score(release, submissions, task, system)
    assert set(DOCUMENT_SLICES) <= set(results["slices"]) and "gold_agreement" not in results["slices"]
    assert set(results["slices"]["outlet"]) == {"kompas.com", "detik.com", "unknown"}
    assert list(results["slices"]["publication_month"]) == ["2022-01", "unknown"]
    predictions = {k: v for k, v in _predictions(gold, submissions / system / f"{task}.jsonl").items()}
    for name in DOCUMENT_SLICES:
        parts = results["slices"][name]
        assert sum(p["n_documents"] for p in parts.values()) == results["n_documents"] == 5  # articles
        if task == "stance":
            assert sum(p["n_rows"] for p in parts.values()) == len(gold.rows) == 20
        for value, part in parts.items():
            fn = slices.DOCUMENT_SLICES[name]
            rows = [
                r for r in gold.rows
                if fn(gold.context.documents[slices.article_of(task, r["id"])]) == value
            ]
            alone = score_task(
                task, rows, {r["id"]: predictions[r["id"]] for r in rows}, options=OPTIONS,
                dataset_version=gold.version, manifest_sha256=gold.manifest_sha256,
                source_entities=gold.source_entities or None if task == "summarization" else None,
            )
            articles = {slices.article_of(task, r["id"]) for r in rows}
            assert part["n_documents"] == len(articles) == alone["n_documents"]
            if task == "stance":  # every row of an article is in its article's part
                assert part["n_rows"] == len(rows)
            else:
                assert "n_rows" not in part and len(rows) == len(articles)
            for metric, numbers in part["metrics"].items():
                assert numbers["value"] == pytest.approx(alone["metrics"][metric]["value"], rel=1e-12, abs=1e-15), (name, value, metric)


def _predictions(gold, path: Path) -> dict:
    from warta.benchmarks.submissions import read_submission

    return read_submission(path, gold.task, gold.index, gold.schema).predictions


def test_entity_type_slice_equals_per_label_and_entities_add_up(leaderboard_inputs: tuple[Path, Path]) -> None:
    release, submissions = leaderboard_inputs
    results, gold = _score(release, submissions, "ner", "gazetteer-tagger")
    parts = results["slices"]["entity_type"]
    n_gold = sum(len(r["entities"]) for r in gold.rows)
    assert sum(p["n_gold_entities"] for p in parts.values()) == n_gold
    n_pred = sum(len(v) for v in _predictions(gold, submissions / "gazetteer-tagger" / "ner.jsonl").values())
    assert sum(p["n_predicted_entities"] for p in parts.values()) == n_pred
    for label, part in parts.items():
        for schema in ("strict", "exact", "type"):
            expected = results["per_label"][schema][label]["f1"]
            assert part["metrics"][f"{schema}.micro.f1"]["value"] == pytest.approx(expected), (label, schema)
    # no train split: no entity can be "seen", so the slice is left out
    assert "seen_in_train" not in results["slices"]


def test_seen_and_unseen_entities_partition_the_gold(labeled_release_with_train: Path, tmp_path: Path) -> None:
    from warta.benchmarks.baselines import build_baselines, write_baselines
    from warta.release import Release
    from warta.schema import load_schema

    submissions = tmp_path / "subs"
    write_baselines(build_baselines(labeled_release_with_train), submissions)
    results, gold = _score(labeled_release_with_train, submissions, "ner", "gazetteer-tagger")
    parts = results["slices"]["seen_in_train"]
    train = Release.open(labeled_release_with_train).read("ner", "train", schema=load_schema())
    surfaces = {r["text"][e["start"]:e["end"]] for r in train for e in r["entities"]}
    test_surfaces = [r["text"][e["start"]:e["end"]] for r in gold.rows for e in r["entities"]]
    assert parts["seen"]["n_gold_entities"] == sum(s in surfaces for s in test_surfaces) > 0
    assert parts["unseen"]["n_gold_entities"] == sum(s not in surfaces for s in test_surfaces) > 0
    assert gold.context.train_surfaces == frozenset(surfaces)


def _provenance(**kwargs) -> slices.DocumentInfo:
    return slices.DocumentInfo("a", provenance=kwargs)


def test_gold_agreement_levels_from_provenance() -> None:
    pair = {"annotators": ["x", "y"], "strict_f1": 1.0, "overlap_f1": 1.0, "token_kappa": 1.0}
    perfect = {"entities": [pair], "actor_stance_alpha": None, "document_stance_alpha": 1.0}
    split = {"entities": [{**pair, "strict_f1": 0.8}], "actor_stance_alpha": 1.0, "document_stance_alpha": None}
    level = slices.gold_agreement
    assert level(_provenance(method="majority vote", annotators=["x", "y"], annotations=2, agreement=perfect)) == "unanimous"
    assert level(_provenance(method="majority vote", annotators=["x", "y", "z"], annotations=3, agreement=split)) == "majority"
    stance_split = {**perfect, "actor_stance_alpha": 0.4}
    assert level(_provenance(annotators=["x", "y"], annotations=2, agreement=stance_split)) == "majority"
    assert level(_provenance(method="ground truth", annotators=["x", "y"], annotations=2,
                             ground_truth={"annotation_id": 7, "annotator": "x"}, agreement=split)) == "curator ground truth"
    assert level(_provenance(method="single-annotator manual annotation", annotators=["m"], agreement=None)) == "single annotator"
    assert level(slices.DocumentInfo("a")) == "unknown"


def test_gold_agreement_slice_of_the_seed_release_and_a_gold_folder_that_differs(tmp_path: Path) -> None:
    results, gold = _score(SEED_RELEASE, REPO / "benchmarks" / "submissions", "summarization", "lead-3", gold_dir=SEED_GOLD)
    assert results["slices"]["gold_agreement"] == {"single annotator": results["slices"]["gold_agreement"]["single annotator"]}
    assert results["slices"]["gold_agreement"]["single annotator"]["n_documents"] == 2
    changed = tmp_path / "gold"
    shutil.copytree(SEED_GOLD, changed)
    first = sorted(changed.glob("*.json"))[0]
    data = json.loads(first.read_text(encoding="utf-8"))
    data["provenance"]["annotators"] = ["someone-else"]
    first.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    with pytest.raises(GoldError, match="SHA-256 mismatch"):
        load_task_gold(SEED_RELEASE, "summarization", gold_dir=changed)


def test_after_cutoff_values() -> None:
    fn = slices.after_cutoff("2022-01-11")
    assert fn(slices.DocumentInfo("a", published="2022-01-12T13:16:00+07:00")) == "after"
    assert fn(slices.DocumentInfo("a", published="2022-01-11T23:59:00+07:00")) == "on or before"
    assert fn(slices.DocumentInfo("a", published=None)) == "unknown date"
    assert fn(slices.DocumentInfo("a", published="not a date")) == "unknown date"


def _with_cutoff(submissions: Path, tmp_path: Path, cutoffs: dict[str, str]) -> Path:
    copy = tmp_path / "subs"
    shutil.copytree(submissions, copy)
    for system, cutoff in cutoffs.items():
        meta = copy / system / "meta.yaml"
        meta.write_text(meta.read_text(encoding="utf-8") + f"training_data_cutoff: '{cutoff}'\n", encoding="utf-8")
    return copy


def test_cutoff_before_and_after_the_seed_dates(tmp_path: Path) -> None:
    """The seed articles: one published 2022-01-12, one without a date."""
    subs = _with_cutoff(REPO / "benchmarks" / "submissions", tmp_path, {"lead-3": "2021-12-31", "textrank-3": "2022-06-30"})
    board = build_leaderboard(SEED_RELEASE, subs, options=OPTIONS)
    entries = {e.system_id: e for t in board.tasks for e in t.entries if t.task == "summarization"}
    before = entries["lead-3"].results["slices"]["after_training_cutoff"]
    assert before["after"]["n_documents"] == 1 and before["unknown date"]["n_documents"] == 1
    assert "on or before" not in before
    assert entries["lead-3"].cutoff_text.startswith("training data up to 2021-12-31: ")
    assert "on the 1 of 2 articles published later; 1 of 2 articles have no publication date" in entries["lead-3"].cutoff_text
    after = entries["textrank-3"].results["slices"]["after_training_cutoff"]
    assert "after" not in after and after["on or before"]["n_documents"] == 1
    assert entries["textrank-3"].cutoff_text == (
        "training data up to 2022-06-30: none of the articles was published later; "
        "1 of 2 articles have no publication date"
    )
    assert "after_training_cutoff" not in entries["oracle-rouge"].results["slices"]
    files = render_files(board)
    assert "none of the articles was published later" in files["LEADERBOARD.md"]
    assert "training data up to 2021-12-31" in files["leaderboard.html"]
    validate(json.loads(files["results/lead-3/summarization.json"]))


def test_cutoff_on_the_fixture_dates(leaderboard_inputs: tuple[Path, Path], tmp_path: Path) -> None:
    release, submissions = leaderboard_inputs
    subs = _with_cutoff(submissions, tmp_path, {"lead-3": "2022-01-11", "tfidf-logreg": "2022-01-11"})
    board = build_leaderboard(release, subs, options=OPTIONS)
    lead = next(e for t in board.tasks for e in t.entries if e.system_id == "lead-3")
    parts = lead.results["slices"]["after_training_cutoff"]
    assert {k: v["n_documents"] for k, v in parts.items()} == {"after": 2, "on or before": 2, "unknown date": 1}
    assert sum(v["n_documents"] for v in parts.values()) == lead.results["n_documents"]
    # stance: the same articles, with all of their rows
    stance = next(e for t in board.tasks for e in t.entries if t.task == "stance" and e.system_id == "tfidf-logreg")
    parts = stance.results["slices"]["after_training_cutoff"]
    assert {k: v["n_documents"] for k, v in parts.items()} == {"after": 2, "on or before": 2, "unknown date": 1}
    gold = load_task_gold(release, "stance")
    after = [r for r in gold.rows if r["article_id"] in ("a03", "a04")]
    assert parts["after"]["n_rows"] == len(after) and sum(v["n_rows"] for v in parts.values()) == len(gold.rows)
    assert "on the 2 of 5 articles published later" in stance.cutoff_text
