"""The two seed scrapes parse exactly as an editor reads them."""

from __future__ import annotations

from pathlib import Path

import pytest

from warta.corpus.clean import clean
from warta.corpus.ingest import IngestResult, ingest

MEDCOM = "000_e868b1205f427ac5.txt"
CNN = "004_cb33607aa2409de9.txt"


@pytest.fixture(scope="module")
def result(raw_dir: Path) -> IngestResult:
    return ingest(raw_dir)


@pytest.fixture(scope="module")
def by_file(result: IngestResult) -> dict:
    return {a.source_file: a for a in result.articles}


def reasons(article) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for span in article.removed:
        out.setdefault(span.reason, []).append(span.text)
    return out


def test_ids_sorted_and_taken_from_file_names(result: IngestResult) -> None:
    assert [a.id for a in result.articles] == ["cb33607aa2409de9", "e868b1205f427ac5"]
    assert result.skipped == []


def test_raw_is_byte_exact(by_file: dict, raw_dir: Path) -> None:
    for name, article in by_file.items():
        data = (raw_dir / name).read_bytes()
        assert article.raw.encode("utf-8") == data
        assert article.source_line is None


def test_medcom_metadata(by_file: dict) -> None:
    a = by_file[MEDCOM]
    assert a.id == "e868b1205f427ac5"
    assert a.title == "Jelang Dialog NATO-Rusia, AS Berharap Diplomasi Mampu Cegah Invasi Rusia"
    assert a.author == "Marcheilla Ariesta"
    assert a.published == "2022-01-12T13:16:00+07:00"
    assert a.dateline == "Washington"
    assert a.section is None
    assert a.captions == ["Juru bicara Gedung Putih Jen Psaki berbicara kepada awak media. (AFP)"]
    assert a.outlet is None and a.url is None


def test_medcom_body(by_file: dict) -> None:
    a = by_file[MEDCOM]
    assert a.text.startswith("Amerika Serikat (AS) dan sekutunya")
    assert a.text.endswith("negara-negara pecahan Uni Soviet lainnya.")
    paragraphs = a.text.split("\n\n")
    assert "Pertemuan AS-Rusia Nihil Kesepakatan" in paragraphs
    assert len(paragraphs) == 12
    for boiler in ("Bagaimana tanggapan", "Baca:", "(WIL)", "LEAVE A COMMENT", "LOADING", "unblock", "\xa0", "(AFP)", "Marcheilla"):
        assert boiler not in a.text


def test_medcom_removed_with_reasons(by_file: dict) -> None:
    r = reasons(by_file[MEDCOM])
    assert r["duplicate-caption"] == ["Juru bicara Gedung Putih Jen Psaki berbicara kepada awak media. (AFP)"]
    assert r["comment-prompt"] == ["Bagaimana tanggapan anda mengenai artikel ini?", "LEAVE A COMMENT", "LOADING"]
    assert r["related-link"] == ["Baca:\xa0 NATO Tolak Permintaan Rusia Soal Perluasan Pengaruh Militer"]
    assert r["editor-initials"] == ["(WIL)"]
    assert r["notification-prompt"] == [
        "Dapatkan berita terbaru dari kami Ikuti langkah ini untuk mendapatkan notifikasi",
        "unblock notif",
    ]
    assert set(r["nbsp-only"]) == {"\xa0"} and len(r["nbsp-only"]) == 10
    assert set(r) == {"duplicate-caption", "comment-prompt", "related-link", "editor-initials", "notification-prompt", "nbsp-only"}


def test_cnn_metadata(by_file: dict) -> None:
    a = by_file[CNN]
    assert a.title == "Rusia dan NATO bertemu untuk pembicaraan make-or-break tentang krisis Ukraina"
    assert a.section == "Europe"
    assert a.author is None and a.published is None and a.dateline is None
    assert [c.split(",")[0] for c in a.captions] == [
        "Wakil Menteri Luar Negeri Rusia Alexander Grushko",
        "Wakil Menteri Pertahanan Rusia Alexander Fomin",
    ]
    assert a.captions[0].endswith("pada 12 Januari 2022.")
    assert a.outlet is None and a.url is None


def test_cnn_body_and_removals(by_file: dict) -> None:
    a = by_file[CNN]
    assert a.text.startswith("Pertemuan Dewan NATO-Rusia (NRC) terjadi")
    assert a.text.endswith("selama pertemuan.")
    assert len(a.text.split("\n\n")) == 8
    r = reasons(a)
    assert r == {
        "duplicate-title": ["Rusia dan NATO bertemu untuk pembicaraan make-or-break tentang krisis Ukraina"],
        "related-headline": [
            "Duta Besar AS untuk NATO mengatakan NATO dan Rusia 'berkomitmen untuk berdialog'  menjelang pembicaraan Rabu"
        ],
        "spam-footer": ["Posted By : keluaran hk hari ini tercepat"],
    }
    assert "Grushko, kanan" not in a.text and "Posted By" not in a.text
    assert "“Pada titik ini, izinkan saya" in a.text


def test_removed_spans_index_raw(result: IngestResult) -> None:
    for a in result.articles:
        for span in a.removed:
            assert a.raw[span.start : span.end] == span.text
            assert span.reason


def test_seeds_are_one_story_in_test_split(result: IngestResult) -> None:
    stories = {a.story_id for a in result.articles}
    assert stories == {"story-cb33607aa2409de9"}
    assert {a.split for a in result.articles} == {"test"}
    assert all(a.duplicate_of is None for a in result.articles)


def test_medcom_line_decisions(raw_dir: Path) -> None:
    raw = (raw_dir / MEDCOM).read_text(encoding="utf-8")
    decisions = clean(raw).decisions
    kinds = {d.line.number: (d.kind, d.label) for d in decisions}
    assert kinds[1] == ("metadata", "caption")
    assert kinds[2] == ("removed", "duplicate-caption")
    assert kinds[4] == ("metadata", "title")
    assert kinds[6] == ("metadata", "byline")
    assert kinds[7] == ("kept", "paragraph")
    seventh = next(d for d in decisions if d.line.number == 7)
    assert raw[seventh.line.start : seventh.dateline_end] == "Washington: "
    assert kinds[28] == ("kept", "subheading")
