"""Reading raw folders: encodings and line endings, JSONL, HTML, and every kind of bad input."""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from dataclasses import asdict
from pathlib import Path

import pytest

from warta.corpus.ingest import ingest
from warta.errors import InputError

MEDCOM = "000_e868b1205f427ac5.txt"

PARSED_FIELDS = ("id", "title", "author", "published", "dateline", "section", "text", "captions")


def parsed(article) -> dict:
    d = asdict(article)
    return {k: d[k] for k in PARSED_FIELDS} | {"removed": [(s["reason"], s["text"]) for s in d["removed"]]}


def write(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("variant", ["lf", "crlf", "bom", "bom-crlf", "final-newline"])
def test_bom_and_line_endings_parse_the_same(tmp_path: Path, raw_dir: Path, variant: str) -> None:
    original = (raw_dir / MEDCOM).read_bytes()
    data = original
    if "crlf" in variant:
        data = data.replace(b"\n", b"\r\n")
    if "bom" in variant:
        data = b"\xef\xbb\xbf" + data
    if variant == "final-newline":
        data += b"\n"
    write(tmp_path / "raw", MEDCOM, data)
    article = ingest(tmp_path / "raw").articles[0]
    reference = ingest(raw_dir).articles[1]
    assert parsed(article) == parsed(reference)
    assert article.raw.encode("utf-8") == data
    assert article.raw_sha256 == hashlib.sha256(data).hexdigest()
    for span in article.removed:
        assert article.raw[span.start : span.end] == span.text


def test_id_from_content_when_name_has_no_id(tmp_path: Path, raw_dir: Path) -> None:
    data = (raw_dir / MEDCOM).read_bytes()
    write(tmp_path / "raw", "medcom.txt", data)
    article = ingest(tmp_path / "raw").articles[0]
    assert article.id == hashlib.sha256(data).hexdigest()[:16]
    assert article.source_file == "medcom.txt"


def test_subfolders_are_read_in_order_and_hidden_files_ignored(tmp_path: Path, raw_dir: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copy(raw_dir / MEDCOM, write(raw / "b", "x.txt", b"").parent / MEDCOM)
    (raw / "b" / "x.txt").unlink()
    write(raw / ".cache", "junk.bin", b"\x00\x01")
    write(raw, ".DS_Store", b"\x00\x00")
    result = ingest(raw)
    assert [a.source_file for a in result.articles] == [f"b/{MEDCOM}"]


# --- bad input ---------------------------------------------------------------------------------

BAD_FILES = {
    "latin1.txt": (b"Judul Berita\n\nKalimat pertama yang cukup panjang untuk paragraf.\nCaf\xe9 di Jakarta.\n", 4, "not valid UTF-8"),
    "image.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", None, "binary"),
    "empty.txt": (b"", None, "empty"),
    "blank.txt": (b"  \n\n\t\n", None, "empty"),
    "utf16.txt": ("Judul".encode("utf-16"), None, "UTF-16"),
    "notes.docx": (b"PK\x03\x04", None, "unsupported file type"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_raises_naming_file_and_line(tmp_path: Path, name: str) -> None:
    data, line, what = BAD_FILES[name]
    write(tmp_path / "raw", name, data)
    with pytest.raises(InputError) as info:
        ingest(tmp_path / "raw")
    message = str(info.value)
    assert name in message and what in message
    if line is not None:
        assert f"line {line}" in message
    assert info.value.hint


GOOD = {"text": "Presiden meresmikan jembatan baru di Kalimantan Timur pada Senin pagi bersama gubernur."}

BAD_LINES = [
    ("{not json", "not valid JSON"),
    ('["a list"]', "expected a JSON object"),
    ('{"title": "Tanpa teks"}', 'has no "text"'),
    ('{"text": ""}', 'empty or non-string "text"'),
    ('{"text": 42}', 'empty or non-string "text"'),
    ('{"text": "Isi berita yang cukup.", "title": 7}', '"title" must be a string'),
    ('{"text": "Isi berita yang cukup.", "id": "a b/c"}', '"id"'),
    ('{"text": "Isi berita yang cukup.", "published": "kemarin sore"}', "published date"),
]


@pytest.mark.parametrize(("bad", "what"), BAD_LINES)
def test_bad_jsonl_line_raises_naming_line(tmp_path: Path, bad: str, what: str) -> None:
    lines = [json.dumps(GOOD), "", bad, json.dumps(GOOD | {"url": "https://x.id/2"})]
    write(tmp_path / "raw", "feed.jsonl", "\n".join(lines).encode())
    with pytest.raises(InputError) as info:
        ingest(tmp_path / "raw")
    assert "feed.jsonl, line 3" in str(info.value) and what in str(info.value)


@pytest.mark.parametrize(("bad", "what"), BAD_LINES)
def test_skip_bad_lists_the_bad_line_and_keeps_the_rest(tmp_path: Path, bad: str, what: str) -> None:
    lines = [json.dumps(GOOD), "", bad, json.dumps(GOOD | {"url": "https://x.id/2"})]
    write(tmp_path / "raw", "feed.jsonl", "\n".join(lines).encode())
    result = ingest(tmp_path / "raw", skip_bad=True)
    assert [a.source_line for a in sorted(result.articles, key=lambda a: a.source_line)] == [1, 4]
    assert [(p.path, p.line) for p in result.skipped] == [("feed.jsonl", 3)]
    assert what in result.skipped[0].message


def test_invalid_utf8_in_jsonl_names_the_line(tmp_path: Path) -> None:
    write(tmp_path / "raw", "feed.jsonl", json.dumps(GOOD).encode() + b'\n{"text": "caf\xe9 enak sekali di sini."}\n')
    with pytest.raises(InputError, match=r"feed\.jsonl, line 2: not valid UTF-8"):
        ingest(tmp_path / "raw")


def test_duplicate_ids_raise_or_are_skipped(tmp_path: Path, raw_dir: Path) -> None:
    raw = tmp_path / "raw"
    data = (raw_dir / MEDCOM).read_bytes()
    write(raw, MEDCOM, data)
    write(raw, "copy.jsonl", json.dumps({"id": "e868b1205f427ac5", "text": "Teks lain yang berbeda sekali isinya, ditulis cukup panjang agar terbaca sebagai paragraf."}).encode())
    with pytest.raises(InputError) as info:
        ingest(raw)
    assert "copy.jsonl, line 1: duplicate id e868b1205f427ac5" in str(info.value)
    assert MEDCOM in str(info.value)
    result = ingest(raw, skip_bad=True)
    assert [a.source_file for a in result.articles] == [MEDCOM]
    assert [(p.path, p.line) for p in result.skipped] == [("copy.jsonl", 1)]


def test_skip_bad_lists_bad_files(tmp_path: Path, raw_dir: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copy(raw_dir / MEDCOM, raw.mkdir() or raw / MEDCOM)
    for name, (data, _, _) in BAD_FILES.items():
        write(raw, name, data)
    result = ingest(raw, skip_bad=True)
    assert [a.id for a in result.articles] == ["e868b1205f427ac5"]
    assert sorted(p.path for p in result.skipped) == sorted(BAD_FILES)


def test_missing_raw_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="raw folder not found"):
        ingest(tmp_path / "nope")


# --- JSONL -------------------------------------------------------------------------------------


def test_jsonl_records(tmp_path: Path) -> None:
    body = (
        "JAKARTA, KOMPAS.com - Presiden Joko Widodo meresmikan Bendungan Randugunting di Blora, Jawa Tengah, pada Rabu.\n\n"
        "Baca juga: Jokowi Minta Bendungan Segera Dimanfaatkan\n\n"
        "Bendungan itu akan mengairi sawah seluas 790 hektar milik petani di sekitar Blora."
    )
    records = [
        {"text": body, "title": "Jokowi Resmikan Bendungan", "url": "https://kompas.com/a", "published": "12 Januari 2022 13:16 WITA",
         "author": "Ihsanuddin", "source": "Kompas", "extra": [1, 2]},
        {"text": "Jokowi Resmikan Bendungan\n\n" + body, "title": "Jokowi Resmikan Bendungan", "id": "kompas-0002", "published": "2022-01-12T06:16:00Z"},
    ]  # fmt: skip
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    write(tmp_path / "raw", "kompas.jsonl", ("\r\n".join(lines) + "\r\n").encode())
    result = ingest(tmp_path / "raw")
    by_line = {a.source_line: a for a in result.articles}
    first, second = by_line[1], by_line[2]
    assert first.id == hashlib.sha256(lines[0].encode()).hexdigest()[:16]
    assert second.id == "kompas-0002"
    assert first.raw == body and first.raw_sha256 == hashlib.sha256(body.encode()).hexdigest()
    assert (first.title, first.url, first.author, first.outlet) == ("Jokowi Resmikan Bendungan", "https://kompas.com/a", "Ihsanuddin", "Kompas")
    assert first.published == "2022-01-12T13:16:00+08:00"
    assert second.published == "2022-01-12T06:16:00+00:00"
    assert first.dateline == "JAKARTA"
    assert first.text.startswith("Presiden Joko Widodo meresmikan")
    assert "Baca juga" not in first.text
    assert first.text == second.text
    assert [s.reason for s in second.removed if s.text] == ["duplicate-title", "related-link"]
    original, copy = sorted((first, second), key=lambda a: a.id)
    assert (original.duplicate_of, copy.duplicate_of) == (None, original.id)
    for a in result.articles:
        for span in a.removed:
            assert a.raw[span.start : span.end] == span.text


# --- HTML --------------------------------------------------------------------------------------

HTML = """<html><head><title>Banjir Rendam Bekasi - detikNews</title>
<meta name="author" content="Marcheilla Ariesta">
<meta property="article:published_time" content="2022-01-12T13:16:00+07:00"></head>
<body><nav>Home | News | Sport</nav><article><h1>Banjir Rendam Ratusan Rumah di Bekasi</h1>
<p>Jakarta - Banjir merendam ratusan rumah warga di Kecamatan Bekasi Timur, Kota Bekasi, sejak Rabu pagi. Ketinggian air mencapai satu meter di beberapa titik.</p>
<p>Kepala BPBD Kota Bekasi mengatakan warga sudah dievakuasi ke tempat yang lebih tinggi dan bantuan logistik sudah disalurkan sejak pagi hari.</p>
<p>Baca juga: Jakarta Siaga Banjir</p>
</article><footer>Copyright 2022 detikcom</footer></body></html>"""


def test_html_through_trafilatura(tmp_path: Path) -> None:
    pytest.importorskip("trafilatura")
    write(tmp_path / "raw", "007_0123456789abcdef.html", HTML.encode())
    article = ingest(tmp_path / "raw").articles[0]
    assert article.id == "0123456789abcdef"
    assert article.title == "Banjir Rendam Ratusan Rumah di Bekasi"
    assert article.author == "Marcheilla Ariesta"
    assert article.published == "2022-01-12T13:16:00+07:00"  # the page's time and zone are kept
    assert article.dateline == "Jakarta"
    assert article.text.startswith("Banjir merendam ratusan rumah")
    assert article.text.endswith("sejak pagi hari.")
    assert "Home" not in article.text and "Copyright" not in article.text
    assert {s.reason for s in article.removed} == {"duplicate-title", "related-link"}


def test_html_with_a_day_only_keeps_a_day(tmp_path: Path) -> None:
    pytest.importorskip("trafilatura")
    page = HTML.replace('property="article:published_time" content="2022-01-12T13:16:00+07:00"', 'name="date" content="2022-01-12"')
    write(tmp_path / "raw", "007_0123456789abcdef.html", page.encode())
    assert ingest(tmp_path / "raw").articles[0].published == "2022-01-12"  # no midnight invented


def test_html_without_trafilatura_names_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "trafilatura", None)
    write(tmp_path / "raw", "page.html", HTML.encode())
    with pytest.raises(InputError) as info:
        ingest(tmp_path / "raw")
    assert "page.html" in str(info.value) and "pip install 'warta[html]'" in (info.value.hint or "")
