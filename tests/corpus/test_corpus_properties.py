"""Invariants of cleaning and ingest on generated scrapes (hypothesis).

Every raw line is accounted for exactly once (kept, removed with a reason, or metadata); removed
spans reproduce the raw text; the clean text is exactly the kept paragraphs; ids are stable and
ingest is deterministic.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from warta.corpus.clean import clean, strip_line
from warta.corpus.ingest import ingest

WORDS = st.sampled_from(
    "dan yang di ke dari pemerintah presiden rakyat bendungan Jakarta NATO Rusia Ukraina warga "
    "kata mengatakan pada hari Rabu Januari 2022 tidak akan sudah itu ini baru harga naik".split()
)
SENTENCE = st.lists(WORDS, min_size=3, max_size=40).map(lambda ws: ws[0].capitalize() + " " + " ".join(ws[1:]) + ".")
HEADING = st.lists(WORDS, min_size=1, max_size=8).map(lambda ws: " ".join(w.capitalize() for w in ws))
BOILER = st.sampled_from(
    [
        "Bagaimana tanggapan anda mengenai artikel ini?", "LEAVE A COMMENT", "LOADING", "unblock notif",
        "Dapatkan berita terbaru dari kami Ikuti langkah ini untuk mendapatkan notifikasi",
        "Baca:\xa0 NATO Tolak Permintaan Rusia", "Baca juga: Harga Cabai Naik", "(WIL)", "(rdp/imk)",
        "ADVERTISEMENT", "SCROLL TO CONTINUE WITH CONTENT", "Posted By : keluaran hk", "Lihat Juga :",
        "[Gambas:Video CNN]", "Copyright © 2022",
    ]
)  # fmt: skip
META = st.sampled_from(
    [
        "Marcheilla Ariesta • 12 Januari 2022 13:16", "Penulis: Ihsanuddin", "Editor: Bayu Galih",
        "Rabu, 12 Jan 2022 13:16 WIB", "Europe", "CNN Indonesia", "Sumber: Reuters",
        "Juru bicara Gedung Putih Jen Psaki berbicara kepada awak media. (AFP)",
        "Alexander Fomin, kiri, dengan Grushko, tengah, sebelum pembicaraan dimulai Rabu.",
    ]
)  # fmt: skip
DATELINED = st.tuples(st.sampled_from(["Washington: ", "JAKARTA, KOMPAS.com - ", "Jakarta - "]), SENTENCE).map("".join)
NOISE = st.text(st.characters(blacklist_characters="\n\r", blacklist_categories=("Cs",)), max_size=60)
BLANK = st.sampled_from(["", "\xa0", " ", "\t", " \xa0 "])
LINE = st.one_of(SENTENCE, SENTENCE, HEADING, BOILER, META, DATELINED, NOISE, BLANK, BLANK)
PADDED = st.tuples(st.sampled_from(["", " ", "\xa0"]), LINE, st.sampled_from(["", " ", "\xa0"])).map("".join)


@st.composite
def scrapes(draw: st.DrawFn) -> str:
    lines = draw(st.lists(st.one_of(LINE, PADDED), min_size=1, max_size=30))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    raw = newline.join(lines)
    if draw(st.booleans()):
        raw += newline
    if draw(st.booleans()):
        raw = "\ufeff" + raw
    return raw


def expected_lines(raw: str) -> list[str]:
    body = raw.removeprefix("\ufeff")
    parts = body.split("\n")
    if len(parts) > 1 and parts[-1] == "":
        parts.pop()
    return [p.removesuffix("\r") for p in parts]


@settings(max_examples=300, deadline=None)
@given(scrapes())
def test_every_line_accounted_for_exactly_once(raw: str) -> None:
    c = clean(raw)
    lines = expected_lines(raw)
    assert [d.line.number for d in c.decisions] == list(range(1, len(lines) + 1))
    assert [d.line.text for d in c.decisions] == lines
    kept: list[str] = []
    for d in c.decisions:
        assert raw[d.line.start : d.line.end] == d.line.text
        assert d.kind in {"kept", "removed", "metadata"}
        assert d.label
        if d.kind == "kept":
            assert d.label in {"paragraph", "subheading"}
            start = d.dateline_end if d.dateline_end is not None else d.line.start
            assert d.value == strip_line(raw[start : d.line.end])
            assert d.value
            kept.append(d.value)
        elif d.kind == "metadata":
            assert d.value is not None and d.value.strip()
        else:
            assert d.value is None
    # The clean text is exactly the kept paragraphs: nothing of the body is lost or added.
    assert c.text == "\n\n".join(kept)
    # Removed spans are exactly the non-empty removed lines, and reproduce the raw text.
    removed = [d for d in c.decisions if d.kind == "removed" and d.line.text]
    assert [(s.start, s.end, s.reason) for s in c.removed] == [(d.line.start, d.line.end, d.label) for d in removed]
    for span in c.removed:
        assert raw[span.start : span.end] == span.text
    # Empty lines are the only lines without a span of their own.
    assert all(d.label == "blank" for d in c.decisions if d.kind == "removed" and not d.line.text)
    # Metadata values come from their lines.
    for d in c.decisions:
        if d.kind == "metadata" and d.label in {"title", "caption", "section"}:
            assert d.value == strip_line(d.line.text)
    assert c.captions == [d.value for d in c.decisions if d.kind == "metadata" and d.label == "caption"]
    titles = [d.value for d in c.decisions if d.kind == "metadata" and d.label == "title"]
    assert titles == ([c.title] if c.title is not None else [])


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(scrapes(), min_size=1, max_size=6))
def test_ingest_is_deterministic_and_ids_stable(raws: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for number, raw in enumerate(raws):
            (folder / f"article-{number:03d}.txt").write_bytes(raw.encode("utf-8"))
        first = ingest(folder, skip_bad=True)
        second = ingest(folder, skip_bad=True)
    assert first.articles == second.articles
    assert first.skipped == second.skipped
    data = {f"article-{n:03d}.txt": raw.encode("utf-8") for n, raw in enumerate(raws)}
    for article in first.articles:
        assert article.id == hashlib.sha256(data[article.source_file]).hexdigest()[:16]
        assert article.raw.encode("utf-8") == data[article.source_file]
    # Every file is an article or listed as skipped (empty scrape, repeated file), never silently lost.
    assert len(first.articles) + len(first.skipped) == len(raws)
    assert {a.source_file for a in first.articles} | {p.path for p in first.skipped} == set(data)
