"""The agreement page: its figures (per label α against the krippendorff package, per document
order, confusion, gold), byte-identical rebuilds, the CLI, and the page in headless Chromium."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from warta.annotation.agreement import compute_agreement
from warta.annotation.agreement.html import agreement_page
from warta.annotation.agreement.units import group_by_article, token_labels
from warta.annotation.records import dumps_records
from warta.cli import main
from warta.gold import GoldDocument, GoldEntity

sys.path.insert(0, str(Path(__file__).parent))
from record_factory import annotation_record  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"

TEXTS = {
    "doc-agree": "Jokowi bertemu Putin di Moskow pada 12 Januari 2022.",
    "doc-split": "NATO dan Rusia berunding di Jenewa, kata Gedung Putih.",
    "doc-mixed": "Ukraina meminta bantuan Uni Eropa dan Amerika Serikat.",
}
#: annotator -> article -> entities
WORK = {
    "ann-a": {
        "doc-agree": [("Jokowi", "PER"), ("Putin", "PER"), ("Moskow", "GPE"), ("12 Januari 2022", "DATE")],
        "doc-split": [("NATO", "ORG"), ("Rusia", "GPE"), ("Jenewa", "GPE"), ("Gedung Putih", "ORG")],
        "doc-mixed": [("Ukraina", "GPE"), ("Uni Eropa", "ORG"), ("Amerika Serikat", "GPE")],
    },
    "ann-b": {
        "doc-agree": [("Jokowi", "PER"), ("Putin", "PER"), ("Moskow", "GPE"), ("12 Januari 2022", "DATE")],
        "doc-split": [("NATO", "ORG"), ("Rusia", "ORG"), ("Jenewa", "LOC"), ("Putih", "ORG")],
        "doc-mixed": [("Ukraina", "GPE"), ("Uni Eropa", "GPE"), ("Amerika Serikat", "GPE")],
    },
    "ann-c": {
        "doc-agree": [("Jokowi", "PER"), ("Putin", "PER"), ("Moskow", "GPE"), ("Januari 2022", "DATE")],
        "doc-mixed": [("Ukraina", "GPE"), ("Uni Eropa", "ORG")],
    },
}


def _records():
    records, n = [], 0
    for name, articles in sorted(WORK.items()):
        for task, (article, entities) in enumerate(sorted(articles.items()), start=1):
            n += 1
            records.append(annotation_record(name, TEXTS[article], entities, annotation_id=n, article=article, task=task,
                                             document=["NONE"] if name != "ann-c" else ["FAVOR"]))
    return records


def _gold() -> dict[str, GoldDocument]:
    def entities(article, spans):
        text = TEXTS[article]
        return [GoldEntity(text.index(s), text.index(s) + len(s), label, s) for s, label in spans]

    from warta.fsutil import sha256_text

    return {
        a: GoldDocument(article_id=a, text_sha256=sha256_text(TEXTS[a]), entities=entities(a, WORK["ann-a"][a]),
                        stance=[], document_stance=[], summaries=[], provenance={})
        for a in ("doc-agree", "doc-split")
    }


def test_per_label_token_alpha_equals_the_krippendorff_package_on_random_inputs():
    import krippendorff

    rng = np.random.default_rng(5)
    words = "Jokowi Putin NATO Rusia Jenewa Moskow bertemu dan di kata pada".split()
    labels = ["PER", "ORG", "GPE"]
    for trial in range(30):
        records, n = [], 0
        texts = {f"d{i}": " ".join(rng.choice(words, size=int(rng.integers(5, 12)))) for i in range(int(rng.integers(1, 4)))}
        for name in ["a", "b", "c"]:
            for article, text in texts.items():
                if rng.random() < 0.25:
                    continue  # a missing annotator
                tokens = text.split()
                chosen = [(t, str(rng.choice(labels)), None, tokens[: i].count(t)) for i, t in enumerate(tokens) if rng.random() < 0.4]
                n += 1
                records.append(annotation_record(name, text, chosen, annotation_id=n, article=article))
        report = compute_agreement(records, resamples=0)
        if report.detail is None or not report.detail.labels:
            continue
        docs = group_by_article(records)
        names = sorted({r.annotator for r in records})
        for item in report.detail.labels:
            columns = []
            for doc in docs.values():
                present = doc.annotators
                if len(present) < 2:
                    continue
                rows = token_labels(doc.text, [doc.spans(x) for x in present])
                for token in zip(*rows):
                    value = dict(zip(present, token))
                    columns.append([float(value[x] == item.label) if x in value else np.nan for x in names])
            data = np.array(columns).T if columns else None
            if data is None or len(np.unique(data[~np.isnan(data)])) < 2:
                assert item.alpha.value is None or item.alpha.value == 1.0, trial
                continue
            expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
            assert item.alpha.value == pytest.approx(expected, abs=1e-9), (trial, item.label)


def test_detail_figures_by_hand():
    report = compute_agreement(_records(), resamples=50, gold=_gold())
    detail = report.detail
    # worst first: doc-split (a vs b: only NATO matches; 2·1/8), then doc-mixed, then doc-agree
    assert [d.article_id for d in detail.documents] == ["doc-split", "doc-mixed", "doc-agree"]
    assert detail.documents[0].strict_f1 == pytest.approx(2 * 1 / 8)
    # doc-agree: a=b on 4 spans, c differs on the DATE: pairs ab 4/4, ac 3/4, bc 3/4 -> 2·10/24
    assert detail.documents[-1].strict_f1 == pytest.approx(20 / 24)
    per_label = {item.label: item for item in detail.labels}
    assert per_label["PER"].strict.f1.value == 1.0 and per_label["PER"].alpha.value == 1.0
    assert per_label["LOC"].strict.matched == 0
    # which types are confused: b's LOC for a's GPE (Jenewa, one token, both ways)
    assert detail.confusion[("GPE", "LOC")] == detail.confusion[("LOC", "GPE")] == 1
    assert detail.confusion_labels[-1] == "O"
    # against gold (= a's spans on two documents): a is perfect; b has NATO right out of 8 gold spans
    gold = {g.annotator: g for g in detail.gold}
    assert (gold["ann-a"].precision, gold["ann-a"].recall) == (1.0, 1.0)
    assert (gold["ann-b"].tp, gold["ann-b"].fp, gold["ann-b"].fn) == (4 + 1, 3, 3)
    assert gold["ann-c"].documents == 1 and detail.gold_missing == 1
    assert 0 < detail.unitizing.alpha < 1 and detail.unitizing.raters == 3
    assert json.loads(json.dumps(report.to_dict()))["detail"]["documents"][0]["article_id"] == "doc-split"


def test_page_is_self_contained_and_rebuilds_identically():
    records = _records()
    docs = group_by_article(records)
    first = agreement_page(compute_agreement(records, resamples=50, gold=_gold()), docs)
    again = agreement_page(compute_agreement(list(reversed(records)), resamples=50, gold=_gold()), docs)
    assert first == again
    assert "http://" not in first.replace('xmlns="http://www.w3.org/2000/svg"', "") and "https://" not in first
    assert "<script" not in first and " src=" not in first
    assert first.count('class="heatmap"') == 3 and "id='gold-table'" in first


def test_cli_writes_the_page(tmp_path, capsys):
    path = tmp_path / "annotations.jsonl"
    path.write_text(dumps_records(_records()), encoding="utf-8")
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    for doc in _gold().values():
        (gold_dir / f"{doc.article_id}.json").write_text(doc.to_json(), encoding="utf-8")
    page = tmp_path / "report.html"
    args = ["annotate", "agreement", str(path), "--html", str(page), "--gold", str(gold_dir), "--resamples", "100"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "unitizing alpha" in out and "against gold: ann-a: precision 1.000, recall 1.000" in out
    built = page.read_bytes()
    assert main(args) == 0
    assert page.read_bytes() == built
    assert main(["annotate", "agreement", str(path), "--gold", str(tmp_path / "nope")]) == 2


@pytest.mark.chromium
def test_page_in_chromium(tmp_path, chromium):
    records = _records()
    report = compute_agreement(records, resamples=200, gold=_gold())
    page_path = tmp_path / "report.html"
    page_path.write_text(agreement_page(report, group_by_article(records)), encoding="utf-8")
    requests: list[str] = []
    errors: list[str] = []
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(page_path.as_uri())
    page.wait_for_load_state("load")
    # 3 annotators: a 3×3 grid per pairwise heatmap, the numbers in the cells are the report's
    cells = page.eval_on_selector_all(
        "svg[data-metric=strict_f1] g.cell",
        "gs => gs.map(g => [g.dataset.row, g.dataset.column, g.querySelector('text').textContent])",
    )
    assert len(cells) == 9
    expected = {tuple(p.annotators): f"{p.strict.f1.value:.3f}" for p in report.entity_pairs}
    for row, column, text in cells:
        if row == column:
            assert text == "—"
        else:
            assert text == expected.get((row, column), expected.get((column, row)))
    # the heatmaps are drawn (non-zero boxes), the number is inside its cell
    box = page.eval_on_selector("svg[data-metric=token_kappa]", "s => s.getBoundingClientRect().width")
    assert box > 100
    inside = page.eval_on_selector_all(
        "svg[data-metric=strict_f1] g.cell",
        """gs => gs.every(g => { const r = g.querySelector('rect').getBoundingClientRect();
           const t = g.querySelector('text').getBoundingClientRect();
           return t.left >= r.left && t.right <= r.right && t.top >= r.top && t.bottom <= r.bottom; })""",
    )
    assert inside
    # documents worst first, each linking to its details
    order = page.eval_on_selector_all("#documents-table tbody tr", "rs => rs.map(r => r.dataset.article)")
    assert order == ["doc-split", "doc-mixed", "doc-agree"]
    page.click("#documents-table a[href='#article-doc-split']")
    assert page.evaluate("location.hash") == "#article-doc-split"
    assert page.eval_on_selector("details:target", "d => d.id") == "article-doc-split"
    # the gold table has every annotator
    assert page.eval_on_selector_all("#gold-table tbody tr", "rs => rs.map(r => r.dataset.annotator)") == ["ann-a", "ann-b", "ann-c"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "agreement.png"), full_page=True)
    assert errors == []
    assert all(url.startswith("file://") for url in requests), requests
    assert (ARTIFACTS / "agreement.png").stat().st_size > 10_000
