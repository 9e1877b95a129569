"""score_task / compare_results, the results JSON schema and signatures."""

from __future__ import annotations

import copy
import json
import random
import warnings

import numpy as np
import pytest

from warta.benchmarks import results
from warta.benchmarks.scoring import ScoreOptions, compare_results, score_task
from warta.benchmarks.signature import Signature, make_signature
from warta.errors import InputError
from warta.spans import EntitySpan
from warta.tokenize import entity_token_spans, iob2_tags

SHA = "abcdef123456" + "0" * 52
LABELS = ["PER", "ORG", "GPE", "LOC", "DATE"]
WORDS = ["Jokowi", "NATO", "Jakarta", "Laut", "Azov", "Senin", "bertemu", "di", "dan", "Rusia", ",", "."]


def _ner_rows(n: int, seed: int = 0) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        words = [rng.choice(WORDS) for _ in range(rng.randint(4, 14))]
        text = " ".join(words)
        entities, pos = [], 0
        for w in words:
            if w[0].isupper() and rng.random() < 0.6 and (not entities or entities[-1]["end"] < pos):
                entities.append({"start": pos, "end": pos + len(w), "label": rng.choice(LABELS), "text": w})
            pos += len(w) + 1
        spans = [EntitySpan(e["start"], e["end"], e["label"]) for e in entities]
        tokens = entity_token_spans(text, spans)
        rows.append(
            {
                "id": f"doc{i:03d}",
                "title": words[0],
                "text": text,
                "entities": entities,
                "tokens": [text[s:e] for s, e in tokens],
                "ner_tags": iob2_tags(tokens, spans),
            }
        )
    return rows


def _ner_predictions(rows: list[dict], seed: int, keep: float) -> dict[str, list[EntitySpan]]:
    rng = random.Random(seed)
    out = {}
    for row in rows:
        pred = []
        for e in row["entities"]:
            if rng.random() < keep:
                end = e["end"] - (1 if rng.random() < 0.2 else 0)
                label = e["label"] if rng.random() < 0.85 else rng.choice(LABELS)
                pred.append(EntitySpan(e["start"], end, label))
        out[row["id"]] = pred
    return out


def _score(task, rows, predictions, **kwargs):
    options = kwargs.pop("options", ScoreOptions(resamples=200))
    return score_task(
        task, rows, predictions, options=options, dataset_version="1.0.0", manifest_sha256=SHA, **kwargs
    )


def test_signature_format() -> None:
    sig = make_signature(
        task="ner",
        metric="span-f1",
        scheme="strict",
        avg="micro",
        resamples=1000,
        seed=12345,
        warta_version="1.0.0",
        dataset_version="1.0.0",
        manifest_sha256=SHA,
    )
    assert str(sig) == "task:ner|metric:span-f1|scheme:strict|avg:micro|boot:1000@seed12345|warta:1.0.0|data:1.0.0@abcdef123456"
    assert Signature.parse(str(sig)) == sig
    assert sig.as_dict()["data"] == "1.0.0@abcdef123456"
    with pytest.raises(InputError):
        Signature.parse("task:ner|colour:blue")


def test_ner_results_equal_the_references_and_validate() -> None:
    nervaluate = pytest.importorskip("nervaluate")
    from seqeval.metrics import f1_score

    rows = _ner_rows(120)
    preds = _ner_predictions(rows, seed=1, keep=0.8)
    res = _score("ner", rows, preds, system="tagger", split="validation")
    results.validate(res)
    assert res["primary_metric"] == "strict.micro.f1" and res["split"] == "validation"
    assert res["signature"].startswith("task:ner|metric:strict.micro.f1|scheme:strict|avg:micro|boot:200@seed12345|")
    assert res["signature"].endswith("|data:1.0.0@abcdef123456")
    conv = lambda docs: [[{"label": e.label, "start": e.start, "end": e.end - 1} for e in d] for d in docs]
    gold = [[EntitySpan(e["start"], e["end"], e["label"]) for e in r["entities"]] for r in rows]
    pred = [preds[r["id"]] for r in rows]
    nv = nervaluate.Evaluator(conv(gold), conv(pred), tags=LABELS, loader="dict").evaluate()
    assert res["metrics"]["strict.micro.f1"]["value"] == nv["overall"]["strict"].f1
    assert res["metrics"]["partial.micro.f1"]["value"] == nv["overall"]["partial"].f1
    tags_pred = [iob2_tags(entity_token_spans(r["text"], g), p) for r, g, p in zip(rows, gold, pred)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = f1_score([r["ner_tags"] for r in rows], tags_pred)
    assert res["metrics"]["iob.default.micro.f1"]["value"] == expected
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected_macro = f1_score([r["ner_tags"] for r in rows], tags_pred, average="macro")
    assert res["metrics"]["iob.default.macro.f1"]["value"] == expected_macro
    from warta.benchmarks.metrics.ner_spans import score_spans

    span_eval = score_spans(gold, pred, labels=LABELS)
    assert res["metrics"]["strict.macro.f1"]["value"] == span_eval.macro("strict")[2]
    assert res["metrics"]["type.macro.recall"]["value"] == span_eval.macro("type")[1]
    for m in res["metrics"].values():
        assert m["ci_low"] <= m["value"] <= m["ci_high"]
    assert set(res["per_label"]) == {"strict", "exact", "partial", "type", "iob.default", "iob.strict"}


def test_results_are_byte_identical_and_round_trip() -> None:
    rows = _ner_rows(40)
    preds = _ner_predictions(rows, seed=2, keep=0.7)
    first = results.dumps(_score("ner", rows, preds, system="x"))
    second = results.dumps(_score("ner", rows, preds, system="x"))
    assert first == second
    loaded = results.loads(first)
    assert results.dumps(loaded) == first
    assert not any(k in first for k in ('"created_at"', '"timestamp"', '"date"'))


def test_stance_results() -> None:
    from sklearn.metrics import f1_score

    rng = random.Random(3)
    rows = []
    for i in range(90):
        level = "document" if i % 3 == 0 else "actor"
        rows.append({"id": f"a{i}:t", "article_id": f"a{i}", "target": "t", "level": level, "label": rng.choice(["FAVOR", "AGAINST", "NONE"])})
    preds = {r["id"]: (r["label"] if rng.random() < 0.6 else rng.choice(["FAVOR", "AGAINST", "NONE"])) for r in rows}
    res = _score("stance", rows, preds)
    results.validate(res)
    gold = [r["label"] for r in rows]
    pred = [preds[r["id"]] for r in rows]
    f = f1_score(gold, pred, labels=["FAVOR", "AGAINST", "NONE"], average=None)
    assert res["metrics"]["f_avg"]["value"] == (f[0] + f[1]) / 2
    assert res["metrics"]["macro_f1"]["value"] == f1_score(gold, pred, average="macro")
    docs = [i for i, r in enumerate(rows) if r["level"] == "document"]
    fd = f1_score([gold[i] for i in docs], [pred[i] for i in docs], labels=["FAVOR", "AGAINST", "NONE"], average=None)
    assert res["metrics"]["document.f_avg"]["value"] == (fd[0] + fd[1]) / 2
    assert res["confusion"]["labels"] == ["FAVOR", "AGAINST", "NONE"]
    assert sum(map(sum, res["confusion"]["matrix"])) == 90
    preds_missing = dict(preds)
    preds_missing[rows[0]["id"]] = None
    assert _score("stance", rows, preds_missing)["metrics"]["accuracy"]["value"] < 1


def test_summarization_results_with_rouge_score_tokenizer_and_entities() -> None:
    rouge_scorer = pytest.importorskip("rouge_score.rouge_scorer")
    rows, preds, entities = [], {}, {}
    rng = random.Random(4)
    for i in range(25):
        doc = " ".join(rng.choice(WORDS) for _ in range(30))
        refs = [" ".join(rng.choice(WORDS) for _ in range(10)) for _ in range(2)]
        rows.append({"id": f"s{i}", "article_id": f"s{i}", "document": doc, "summary": refs[0], "references": refs})
        preds[f"s{i}"] = " ".join(rng.choice(WORDS) for _ in range(9))
        pos = doc.find("Jakarta")
        entities[f"s{i}"] = [EntitySpan(pos, pos + 7, "GPE")] if pos >= 0 else []
    options = ScoreOptions(tokenizer="rouge_score", resamples=100)
    res = _score("summarization", rows, preds, options=options, source_entities=entities)
    results.validate(res)
    scorer = rouge_scorer.RougeScorer(["rougeL"])
    expected = np.mean([scorer.score_multi(r["references"], preds[r["id"]])["rougeL"].fmeasure for r in rows])
    assert res["metrics"]["rougeL.f"]["value"] == pytest.approx(expected, abs=1e-15)
    assert "tok:rouge_score|stem:none|refs:max|ent:gold" in res["signature"]
    assert "entity.f1_reference" in res["metrics"]


def test_compare_results() -> None:
    rows = _ner_rows(80, seed=5)
    a = _score("ner", rows, _ner_predictions(rows, seed=6, keep=0.9), system="a")
    b = _score("ner", rows, _ner_predictions(rows, seed=7, keep=0.4), system="b")
    cmp = compare_results(a, b, trials=1000, resamples=300)
    entry = cmp["metrics"]["strict.micro.f1"]
    assert entry["delta"] == pytest.approx(a["metrics"]["strict.micro.f1"]["value"] - b["metrics"]["strict.micro.f1"]["value"])
    assert entry["p_bootstrap"] < 0.01 and entry["p_randomization"] < 0.01
    same = compare_results(a, copy.deepcopy(a), trials=500, resamples=200)
    assert all(m["p_bootstrap"] == 1.0 and m["p_randomization"] == 1.0 for m in same["metrics"].values())
    # from files: the same answer, whatever the order of documents in B
    b_json = json.loads(results.dumps(b))
    order = list(range(len(rows)))[::-1]
    b_json["per_document"]["ids"] = [b_json["per_document"]["ids"][i] for i in order]
    b_json["per_document"]["values"] = [b_json["per_document"]["values"][i] for i in order]
    assert compare_results(a, b_json, trials=1000, resamples=300) == cmp
    other_release = copy.deepcopy(b)
    other_release["signature_fields"]["data"] = "1.0.1@000000000000"
    with pytest.raises(InputError, match="different releases"):
        compare_results(a, other_release)
    other_split = copy.deepcopy(b)
    other_split["split"] = "validation"
    with pytest.raises(InputError, match="split"):
        compare_results(a, other_split)


def test_compare_refuses_different_tokenizers() -> None:
    rows = [{"id": "s1", "article_id": "s1", "document": "a b c", "summary": "a b", "references": ["a b"]}]
    a = _score("summarization", rows, {"s1": "a b"})
    b = _score("summarization", rows, {"s1": "a b"}, options=ScoreOptions(tokenizer="rouge_score", resamples=200))
    with pytest.raises(InputError, match="tok"):
        compare_results(a, b)


def test_json_schema_and_hand_validator_agree() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator.check_schema(results.json_schema())
    rows = _ner_rows(10, seed=8)
    good = _score("ner", rows, _ner_predictions(rows, seed=9, keep=0.5))
    jsonschema.validate(good, results.json_schema())
    assert results._hand_validate(good) == []
    broken = []
    for mutate in (
        lambda d: d.pop("signature"),
        lambda d: d.update(extra=1),
        lambda d: d.update(schema="warta.results.v2"),
        lambda d: d.update(task="pos"),
        lambda d: d["metrics"]["strict.micro.f1"].update(value="high"),
        lambda d: d["metrics"]["strict.micro.f1"].pop("ci_low"),
        lambda d: d.update(n_documents=-1),
        lambda d: d.update(confusion={"labels": ["A"], "matrix": [[1, 2]]}),
    ):
        d = copy.deepcopy(good)
        mutate(d)
        broken.append(d)
    for d in broken:
        assert results._hand_validate(d), d
        with pytest.raises(InputError):
            results.validate(d)
    row_mismatch = copy.deepcopy(good)
    row_mismatch["per_document"]["values"][0].append(1)
    with pytest.raises(InputError, match="per_document"):
        results.validate(row_mismatch)
    with pytest.raises(InputError, match="not valid JSON"):
        results.loads("{", "x.json")
    nan = copy.deepcopy(good)
    nan["metrics"]["strict.micro.f1"]["value"] = float("nan")
    with pytest.raises(ValueError):
        results.dumps(nan)


def test_bad_inputs_are_clear_errors() -> None:
    rows = _ner_rows(3)
    with pytest.raises(InputError, match="not in the gold split"):
        _score("ner", rows, {"nope": []})
    with pytest.raises(InputError, match="MISC"):
        _score("ner", rows, {rows[0]["id"]: [EntitySpan(0, 2, "MISC")]})
    with pytest.raises(InputError, match="unknown task"):
        _score("pos", rows, {})
    with pytest.raises(InputError, match="tokenizer"):
        ScoreOptions(tokenizer="spacy")
    with pytest.raises(InputError, match="NEUTRAL"):
        _score("stance", [{"id": "x", "label": "FAVOR", "level": "document"}], {"x": "NEUTRAL"})
