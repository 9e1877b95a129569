"""The outlet-style fixtures (tests/fixtures/outlets/) parse to what their sidecars say.

Each fixture is an invented article laid out the way one Indonesian outlet publishes (see the
README there), as a plain-text scrape, a JSONL record or a saved HTML page. Its sidecar
``<name>.expected.json`` gives the title, author, published date, dateline, outlet and body
paragraphs an editor reads in it; the article goes through the same reader and cleaner as
``corpus build``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from warta.corpus.ingest import article_from_raw
from warta.corpus.readers import read_file

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "outlets"
FIELDS = ("title", "author", "published", "dateline", "outlet", "body")
OUTLETS = {
    "antara", "cnn-indonesia", "detik", "kompas", "kumparan", "liputan6", "medcom", "okezone",
    "republika", "suara", "tempo", "tribunnews",
}  # fmt: skip


def sidecars() -> list[Path]:
    return sorted(FIXTURES.glob("*/*.expected.json"))


def fixture_of(sidecar: Path) -> Path:
    stem = sidecar.name.removesuffix(".expected.json")
    (found,) = [p for p in sidecar.parent.glob(f"{stem}.*") if p != sidecar]
    return found


def parse(sidecar: Path) -> dict:
    """What warta reads from the fixture, in the sidecar's terms."""
    path = fixture_of(sidecar)
    (doc,) = read_file(path, f"{path.parent.name}/{path.name}")
    article = article_from_raw(doc)
    got = {field: getattr(article, field, None) for field in FIELDS if field != "body"}
    got["body"] = article.text.split("\n\n") if article.text else []
    got["editor"] = article.metadata.get("editor")
    got["outlet_inferred"] = bool(article.metadata.get("outlet_inferred"))
    got["recorded_outlet"] = doc.outlet
    for span in article.removed:
        assert article.raw[span.start : span.end] == span.text
    return got


def test_every_outlet_has_four_fixtures_in_each_format() -> None:
    by_outlet: dict[str, list[str]] = {}
    for sidecar in sidecars():
        by_outlet.setdefault(sidecar.parent.name, []).append(fixture_of(sidecar).suffix)
    assert set(by_outlet) == OUTLETS
    for outlet, suffixes in by_outlet.items():
        assert len(suffixes) >= 4, outlet
        assert {".txt", ".jsonl"} <= set(suffixes), outlet
    assert sum(s.count(".html") for s in by_outlet.values()) >= 4
    readme = (FIXTURES / "README.md").read_text(encoding="utf-8")
    assert "invented" in readme.lower()


@pytest.mark.parametrize("sidecar", sidecars(), ids=lambda p: f"{p.parent.name}/{p.name.removesuffix('.expected.json')}")
def test_fixture_parses_as_its_sidecar_says(sidecar: Path) -> None:
    expected = json.loads(sidecar.read_text(encoding="utf-8"))
    got = parse(sidecar)
    assert {f: got[f] for f in FIELDS} == {f: expected[f] for f in FIELDS}
    if "editor" in expected:
        assert got["editor"] == expected["editor"]
    # An outlet the scrape did not record is filled only from the style, and says so.
    if expected["outlet"] is not None and got["recorded_outlet"] is None:
        assert got["outlet_inferred"]
    if got["recorded_outlet"] is not None:
        assert not got["outlet_inferred"]


def test_card_sources_name_inferred_and_recorded_outlets(tmp_path: Path) -> None:
    import shutil
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    import release_helpers as h

    from warta.corpus.ingest import ingest

    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(FIXTURES / "kompas" / "01-jembatan-bambu.txt", raw)  # outlet named by the text
    shutil.copy(FIXTURES / "medcom" / "02-wisata-goa.jsonl", raw)  # outlet from the URL's host
    record = json.loads((FIXTURES / "detik" / "02-kopi-robusta.jsonl").read_text(encoding="utf-8"))
    record["source"] = "detikcom"  # recorded by the scraper
    (raw / "recorded.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    articles = ingest(raw).articles
    by_outlet = {a.outlet: a for a in articles}
    assert set(by_outlet) == {"Kompas.com", "Medcom.id", "detikcom"}
    assert by_outlet["Kompas.com"].metadata["outlet_inferred"] is True
    assert "kompas.com" in by_outlet["Kompas.com"].metadata["outlet_evidence"].lower()
    assert by_outlet["Medcom.id"].metadata["outlet_evidence"].startswith("url https://www.medcom.id/")
    assert "outlet_inferred" not in by_outlet["detikcom"].metadata
    report = h.build_seed(tmp_path, articles=articles, gold=False, sources={})
    card = (report.out / "README.md").read_text(encoding="utf-8")
    sources = card.split("## Sources", 1)[1].split("\n## ", 1)[0]
    assert "Outlet: **Kompas.com (inferred from the text, not recorded by the scraper)**" in sources
    assert "Outlet: **Medcom.id (inferred from the URL, not recorded by the scraper)**" in sources
    assert "Outlet recorded at scraping time: detikcom." in sources
    assert "2 of 3 article(s) have no recorded outlet" in card


def test_an_outlet_is_inferred_only_when_one_brand_is_named() -> None:
    from warta.corpus.rules import identify_outlet, outlet_for_host

    assert identify_outlet(["JAKARTA, KOMPAS.com -", "Penulis Rina | Editor Bambang"]) == ("Kompas.com", "JAKARTA, KOMPAS.com -")
    assert identify_outlet(["Jakarta (ANTARA) -", "Copyright 2023 PT. Kompas Cyber Media"]) is None  # two outlets
    assert identify_outlet(["Dapatkan berita terbaru dari kami antara lain lewat notifikasi"]) is None  # "antara" the word
    assert identify_outlet(["Marcheilla Ariesta • 12 Januari 2022 13:16"]) is None
    assert outlet_for_host("https://news.detik.com/berita/d-1/x") == "detik.com"
    assert outlet_for_host("https://notdetik.com/x") is None
