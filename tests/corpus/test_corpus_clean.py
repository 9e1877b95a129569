"""Cleaning heuristics on synthetic scrapes in the styles of Indonesian outlets, not only the seeds."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from warta.corpus import rules
from warta.corpus.clean import clean, split_lines
from warta.corpus.dates import find_date, first_full_date, parse_datetime
from warta.corpus.structure import is_caption, parse_byline, split_dateline

P1 = "Presiden Joko Widodo meresmikan Bendungan Randugunting di Kabupaten Blora, Jawa Tengah, pada Rabu pagi."
P2 = "Bendungan itu akan mengairi sawah seluas 790 hektar milik petani di sekitar Blora dan Rembang."
P3 = "Pembangunan bendungan menelan biaya sekitar Rp 1 triliun dan dikerjakan sejak tahun 2018 lalu."


def labels(raw: str) -> list[tuple[str, str]]:
    return [(d.kind, d.label) for d in clean(raw).decisions]


def removed(raw: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for span in clean(raw).removed:
        out.setdefault(span.reason, []).append(span.text)
    return out


def test_kompas_style() -> None:
    raw = (
        "Jokowi Resmikan Bendungan Baru di Jawa Tengah\n"
        "Kompas.com - 12/01/2022, 13:16 WIB\n"
        "Penulis: Ihsanuddin\n"
        "Editor: Bayu Galih\n\n"
        f"JAKARTA, KOMPAS.com - {P1}\n\n"
        "ADVERTISEMENT\nSCROLL TO CONTINUE WITH CONTENT\n\n"
        "Baca juga: Jokowi Minta Bendungan Segera Dimanfaatkan Petani\n\n"
        f"{P2}\n\n"
        "Dapatkan update berita pilihan dan breaking news setiap hari dari Kompas.com. Mari bergabung di Grup "
        'Telegram "Kompas.com News Update", caranya klik link https://t.me/kompascomupdate, kemudian join.\n'
    )
    c = clean(raw)
    assert c.title == "Jokowi Resmikan Bendungan Baru di Jawa Tengah"
    assert c.author == "Ihsanuddin"
    assert c.extra["editor"] == "Bayu Galih"
    assert c.published == "2022-01-12T13:16:00+07:00"
    assert c.dateline == "JAKARTA" and c.extra["dateline_source"] == "KOMPAS.com"
    assert c.text == f"{P1}\n\n{P2}"
    r = removed(raw)
    assert r["advertisement"] == ["ADVERTISEMENT", "SCROLL TO CONTINUE WITH CONTENT"]
    assert len(r["related-link"]) == 1 and len(r["notification-prompt"]) == 1


def test_detik_style_dense_lines() -> None:
    raw = (
        "Banjir Rendam Ratusan Rumah di Bekasi\n"
        "Marcheilla Ariesta - detikNews\n"
        "Rabu, 12 Jan 2022 13:16 WIB\n"
        "Warga menyelamatkan barang di Bekasi. (Foto: Rifkianto Nugroho/detikcom)\n"
        f"Jakarta - {P1}\n{P2}\nHarga Bahan Pokok Naik\n{P3}\n"
        "Simak juga 'Banjir Lagi di Bekasi':\n[Gambas:Video 20detik]\n(rdp/imk)\n"
    )
    c = clean(raw)
    assert (c.title, c.author, c.published, c.dateline) == (
        "Banjir Rendam Ratusan Rumah di Bekasi", "Marcheilla Ariesta", "2022-01-12T13:16:00+07:00", "Jakarta",
    )  # fmt: skip
    assert c.captions == ["Warga menyelamatkan barang di Bekasi. (Foto: Rifkianto Nugroho/detikcom)"]
    # Without empty lines between paragraphs a short unpunctuated line is a subheading.
    assert c.text == f"{P1}\n\n{P2}\n\nHarga Bahan Pokok Naik\n\n{P3}"
    assert removed(raw) == {
        "related-link": ["Simak juga 'Banjir Lagi di Bekasi':", "[Gambas:Video 20detik]"],
        "editor-initials": ["(rdp/imk)"],
    }


def test_cnn_indonesia_style() -> None:
    raw = (
        "Harga Minyak Dunia Naik Tajam\nCNN Indonesia\nRabu, 12 Jan 2022 13:16 WITA\n"
        f"Jakarta, CNN Indonesia -- {P1}\n\n{P2}\n\nLihat Juga :\nHarga Emas Hari Ini Turun Tipis\n\n{P3}\n\n(sfr/agt)"
    )
    c = clean(raw)
    assert c.published == "2022-01-12T13:16:00+08:00"
    assert c.section is None and c.extra["outlet_label"] == "CNN Indonesia"
    assert c.dateline == "Jakarta"
    assert c.text == f"{P1}\n\n{P2}\n\n{P3}"
    assert removed(raw)["related-link"] == ["Lihat Juga :", "Harga Emas Hari Ini Turun Tipis"]


def test_antara_style_footer_bylines() -> None:
    raw = (
        "Menkes: Vaksinasi Booster Dimulai Pekan Depan\nOleh: Andi Firdaus\nRabu, 12 Januari 2022 10:05 WIT\n"
        f"Jakarta (ANTARA) - {P1}\n{P2}\nPewarta: Andi Firdaus\nEditor: Triono Subagyo\nCOPYRIGHT © ANTARA 2022\n"
    )
    c = clean(raw)
    assert c.title == "Menkes: Vaksinasi Booster Dimulai Pekan Depan"
    assert c.author == "Andi Firdaus" and c.extra["editor"] == "Triono Subagyo"
    assert c.published == "2022-01-12T10:05:00+09:00"
    assert c.dateline == "Jakarta" and c.extra["dateline_source"] == "ANTARA"
    assert c.text == f"{P1}\n\n{P2}"
    assert removed(raw) == {"spam-footer": ["COPYRIGHT © ANTARA 2022"]}


def test_subheading_vs_related_headline_in_spaced_article() -> None:
    raw = f"Judul Berita Tentang Bendungan\n\n{P1}\n\nSubjudul Yang Berdiri Sendiri\n\n{P2}\n\nJudul Berita Lain Yang Nyasar\n{P3}\n"
    c = clean(raw)
    assert c.text == f"{P1}\n\nSubjudul Yang Berdiri Sendiri\n\n{P2}\n\n{P3}"
    assert removed(raw) == {"related-headline": ["Judul Berita Lain Yang Nyasar"]}


def test_photo_caption_before_title_is_not_the_title() -> None:
    for caption in (
        "Presiden Joko Widodo, tengah, meninjau bendungan di Blora.",
        "Suasana peresmian bendungan di Blora. (ANTARA FOTO/Yusuf Nugroho)",
        "Foto: Presiden meninjau bendungan (Biro Pers Setpres)",
        "Petugas memeriksa pintu air bendungan (kiri) di Blora, Rabu (12/1/2022).",
    ):
        raw = f"{caption}\n{caption}\n\nJokowi Resmikan Bendungan di Blora\n\n{P1}\n"
        c = clean(raw)
        assert c.title == "Jokowi Resmikan Bendungan di Blora", caption
        assert c.captions == [caption]
        assert removed(raw) == {"duplicate-caption": [caption]}
        assert c.text == P1


@pytest.mark.parametrize(
    "line",
    [
        "Bagaimana tanggapan anda mengenai artikel ini?",
        "LEAVE A COMMENT",
        "Loading...",
        "Tulis komentar",
        "Dapatkan berita terbaru dari kami Ikuti langkah ini untuk mendapatkan notifikasi",
        "unblock notif",
        "Baca: NATO Tolak Permintaan Rusia",
        "BACA JUGA: Harga Cabai Naik",
        "Baca Juga : Harga Cabai Naik",
        "(WIL)",
        "(ant/wil)",
        "[Gambas:Video CNN]",
        "ADVERTISEMENT",
        "SCROLL TO CONTINUE WITH CONTENT",
        "Posted By : keluaran hk hari ini tercepat",
        "Posted in: Berita",
        "Tags: banjir, bekasi",
        "Copyright © 2022 Medcom.id",
        "Bagikan artikel ini",
    ],
)
def test_boilerplate_lines_are_removed_with_a_reason(line: str) -> None:
    raw = f"Judul Berita Tentang Bendungan\n\n{P1}\n\n{line}\n\n{P2}"
    c = clean(raw)
    assert c.text == f"{P1}\n\n{P2}"
    (span,) = [s for s in c.removed if s.text == line]
    assert span.reason not in {"blank", ""}


@pytest.mark.parametrize(
    "paragraph",
    [
        "Oleh karena itu, pemerintah akan membangun bendungan baru di wilayah Jawa Tengah tahun depan.",
        "Baca buku ini sebelum tidur, kata dia, karena isinya bermanfaat bagi anak-anak di rumah.",
        "Komentar Presiden itu disambut baik oleh para petani yang hadir di lokasi peresmian bendungan.",
        "Share saham perusahaan itu naik 5 persen setelah kabar peresmian bendungan beredar di pasar.",
        "Sementara itu: warga sekitar berharap bendungan bisa mencegah banjir yang kerap terjadi.",
        "Presiden berdiri di sebelah kanan gubernur saat meresmikan bendungan di Blora, Rabu pagi.",
        "Iklan politik dilarang selama masa tenang, kata Ketua KPU di Jakarta, Rabu (12/1/2022).",
        "Hak cipta lagu itu dimiliki oleh label rekaman asal Jakarta sejak tahun 2010 lalu.",
        "Berikan komentar yang membangun, kata dia kepada wartawan di Gedung DPR, Senayan.",
        "Bergabung dengan grup musik itu sejak 2010, dia kini menjadi vokalis utama band tersebut.",
        "Dapatkan hasilnya dalam tiga hari, kata petugas laboratorium kepada para pasien di sana.",
    ],
)
def test_prose_that_looks_like_boilerplate_is_kept(paragraph: str) -> None:
    raw = f"Judul Berita Tentang Bendungan\n\n{P1}\n\n{paragraph}\n\n{P2}"
    assert clean(raw).text == f"{P1}\n\n{paragraph}\n\n{P2}"


@pytest.mark.parametrize(
    ("prefix", "place"),
    [
        ("Washington: ", "Washington"),
        ("JAKARTA, KOMPAS.com - ", "JAKARTA"),
        ("Jakarta, CNN Indonesia -- ", "Jakarta"),
        ("Jakarta (ANTARA) - ", "Jakarta"),
        ("Jakarta - ", "Jakarta"),
        ("Kuala Lumpur: ", "Kuala Lumpur"),
        ("WASHINGTON DC, KOMPAS.com - ", "WASHINGTON DC"),
    ],
)
def test_dateline_prefix_is_metadata(prefix: str, place: str) -> None:
    raw = f"Judul Berita Tentang Bendungan\n\n{prefix}{P1}\n\n{P2}"
    c = clean(raw)
    assert c.dateline == place
    assert c.text == f"{P1}\n\n{P2}"
    first = next(d for d in c.decisions if d.kind == "kept")
    assert raw[first.line.start : first.dateline_end] == prefix


@pytest.mark.parametrize(
    "paragraph",
    [
        "Pertemuan Dewan NATO-Rusia (NRC) terjadi ketika kedua belah pihak terjebak dalam kebuntuan.",
        "Amerika Serikat, NATO dan sekutu mereka mendorong Rusia untuk meredakan situasi di perbatasan.",
        "Menurut dia, rencana itu - yang sudah lama dibahas - akan segera dijalankan tahun ini juga.",
    ],
)
def test_no_dateline_in_ordinary_first_paragraph(paragraph: str) -> None:
    c = clean(f"Judul Berita Tentang Bendungan\n\n{paragraph}\n\n{P2}")
    assert c.dateline is None
    assert c.text.startswith(paragraph)


@pytest.mark.parametrize(
    ("line", "author", "published"),
    [
        ("Marcheilla Ariesta • 12 Januari 2022 13:16", "Marcheilla Ariesta", "2022-01-12T13:16:00+07:00"),
        ("Marcheilla Ariesta | Rabu, 12/01/2022 13:16 WITA", "Marcheilla Ariesta", "2022-01-12T13:16:00+08:00"),
        ("Penulis: Ihsanuddin", "Ihsanuddin", None),
        ("Oleh: Andi Firdaus", "Andi Firdaus", None),
        ("Reporter : Dian Erika Nugraheny", "Dian Erika Nugraheny", None),
        ("Rabu, 12 Jan 2022 13:16 WIB", None, "2022-01-12T13:16:00+07:00"),
        ("Kompas.com - 05/03/2021, 07:45 WIB", None, "2021-03-05T07:45:00+07:00"),
        ("Jumat, 5 Maret 2021", None, "2021-03-05"),
        ("Penulis: Ihsanuddin | Editor: Bayu Galih", "Ihsanuddin", None),
        ("Reporter: Dian Erika Nugraheny • Rabu, 12 Jan 2022 13:16 WIB", "Dian Erika Nugraheny", "2022-01-12T13:16:00+07:00"),
    ],
)
def test_bylines(line: str, author: str | None, published: str | None) -> None:
    byline = parse_byline(line)
    assert byline is not None
    assert (byline.author, byline.published) == (author, published)


@pytest.mark.parametrize(
    "line",
    ["Oleh karena itu, kami menolak", "Jelang Dialog NATO-Rusia, AS Berharap Diplomasi", "Europe", "Pertemuan AS-Rusia Nihil Kesepakatan"],
)
def test_not_bylines(line: str) -> None:
    assert parse_byline(line) is None


def test_caption_heuristics() -> None:
    assert is_caption("Wakil Menteri Pertahanan Rusia Alexander Fomin, kiri, dengan Grushko, tengah, dan Stoltenberg, kanan, sebelum pembicaraan dimulai Rabu.")
    assert is_caption("Juru bicara Gedung Putih Jen Psaki berbicara kepada awak media. (AFP)")
    assert is_caption("Warga melintasi banjir di Bekasi. (REUTERS/Willy Kurniawan)")
    assert not is_caption("Presiden menuju ke kanan panggung lalu berbicara kepada wartawan di Istana.")
    assert not is_caption("Pertemuan Dewan NATO-Rusia (NRC) terjadi ketika kedua belah pihak terjebak.")
    assert split_dateline("Sementara itu, pemerintah akan membangun bendungan.") is None


def test_dates() -> None:
    assert parse_datetime("12 Januari 2022 13:16") == "2022-01-12T13:16:00+07:00"
    assert parse_datetime("Rabu, 12 Januari 2022 13:16 WITA") == "2022-01-12T13:16:00+08:00"
    assert parse_datetime("Sabtu, 1 Agt 2020 pukul 07.05 WIT") == "2020-08-01T07:05:00+09:00"
    assert parse_datetime("12 Januari 2022 13:16", "WIT") == "2022-01-12T13:16:00+09:00"
    assert parse_datetime("2022-01-12T13:16:00+07:00") == "2022-01-12T13:16:00+07:00"
    assert parse_datetime("2022-01-12") == "2022-01-12"
    assert parse_datetime("31 Februari 2022") is None
    assert parse_datetime("kemarin") is None
    assert first_full_date("Hari ini, Rabu, 12 Januari 2022, NATO bertemu.").isoformat() == "2022-01-12"
    assert first_full_date("pada 3 Mei lalu") is None
    found = find_date("Diperbarui Selasa, 11 Jan 2022 10:05 WIB oleh redaksi")
    assert found is not None and found.iso == "2022-01-11T10:05:00+07:00"


def test_split_lines_offsets() -> None:
    raw = "\ufeffa\r\nb\n\nc"
    lines = split_lines(raw)
    assert [(l.number, l.text) for l in lines] == [(1, "a"), (2, "b"), (3, ""), (4, "c")]
    assert all(raw[l.start : l.end] == l.text for l in lines)
    assert [l.text for l in split_lines("a\n")] == ["a"]


@pytest.mark.parametrize(
    "line",
    [
        "(Baca juga: Harga Cabai Naik Lagi)",
        "Artikel ini telah tayang di Kompas.com dengan judul \"Jokowi Resmikan Bendungan\".",
        "Halaman 1 2 3",
        "Halaman selanjutnya",
        "Klik di sini untuk berlangganan berita terbaru",
        "(Bersambung)",
        "***",
    ],
)
def test_more_outlet_boilerplate(line: str) -> None:
    raw = f"Judul Berita Tentang Bendungan\n\n{P1}\n\n{line}\n\n{P2}"
    c = clean(raw)
    assert c.text == f"{P1}\n\n{P2}"
    assert [s.text for s in c.removed] == [line]


def test_two_word_headline_is_the_title_not_a_section() -> None:
    c = clean(f"Banjir Bekasi\n\n{P1}\n")
    assert (c.title, c.section) == ("Banjir Bekasi", None)
    c = clean(f"Nasional\nBanjir Rendam Ratusan Rumah\n\n{P1}\n")
    assert (c.title, c.section) == ("Banjir Rendam Ratusan Rumah", "Nasional")


def test_article_without_header_has_no_title() -> None:
    c = clean(f"{P1}\n\n{P2}\n")
    assert c.title is None and c.text == f"{P1}\n\n{P2}"


def _caption_by_patterns(line: str) -> bool:
    """The definition of :func:`is_caption`: any of the four patterns, each tried on every line."""
    if len(line) > 600:
        return False
    return bool(
        rules.CAPTION_CREDIT.search(line)
        or rules.CAPTION_TRAILING_CREDIT.search(line)
        or rules.CAPTION_PREFIX.match(line)
        or rules.CAPTION_POSITION.search(line)
    )


_CAPTION_PIECES = [
    "Warga", "melintasi", "banjir", "Foto", "foto", "FOTO", "Photo", "Ilustrasi", "AFP", "ANTARA FOTO", "Reuters", "kompas.com",
    "kanan", "kiri", "tengah", "Dok.", "/", "(", ")", "[", "]", ".", ",", ":", " ", "  ", "\t", "\n", "\xa0", "\u3000", "İ", "é",
]


_CREDITS = ["", "", ". Foto: Dok. X", "! Photo : Reuters/Y", "(AFP)", "( ANTARA FOTO/Galih )", "[Reuters]", "(Foto: Dok. X)", "(kiri)", "(kompas.com)"]
_ENDS = ["", "", ".", " ", ". ", "\n", ".\xa0", ".."]
_CAPTION_LINES = st.tuples(
    st.lists(st.sampled_from(_CAPTION_PIECES), max_size=16).map("".join), st.sampled_from(_CREDITS), st.sampled_from(_ENDS)
).map("".join)


@settings(max_examples=1500, deadline=None)
@given(_CAPTION_LINES)
def test_is_caption_answers_as_its_four_patterns_do(line: str) -> None:
    assert is_caption(line) == _caption_by_patterns(line)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["kata", "x.", "apa?", "!"]), st.sampled_from([" ", " ", "  ", "\t", "\xa0", "\u3000", ""])),
        min_size=5,
        max_size=60,
    ).map(lambda words: "".join(word + space for word, space in words))
)
@example("kata " * 31)
@example("kata " * 30)
@example("kata " * 24 + "kata")
@example("kata " * 23 + "kata")
@example("kata " * 19 + "apa?")
@example("kata " * 18 + "apa?")
@example("kata " * 7 + "x.")
@example("kata " * 6 + "x.")
def test_prose_and_heading_tests_count_words_as_a_full_split_does(line: str) -> None:
    from warta.corpus import structure

    words = len(line.split())
    prose = words >= 25 or (words >= 8 and structure.ends_sentence(line) and (line[-1] not in "?!" or words >= 20))
    assert structure.is_prose(line) == prose
    assert structure.is_heading_like(line) == (not structure.ends_sentence(line) and words <= 30)


def _seed_fixture_and_synthetic_raws() -> list[tuple[str, str | None]]:
    """The seed articles, the outlet fixtures written as text, and synthetic scrapes (whose
    bylines, dates and noise lines recur), each with and without an outlet."""
    import random
    from pathlib import Path

    from warta.corpus.synthetic import _article, _name

    root = Path(__file__).resolve().parents[2]
    texts = [p.read_text(encoding="utf-8") for p in sorted((root / "corpus" / "raw").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((root / "tests" / "fixtures" / "outlets").glob("*/*.txt"))]
    rng = random.Random(3)
    names = [_name(rng) for _ in range(12)]
    texts += [_article(rng, names, (rng.randint(1, 28), rng.randrange(12), 2022))[1] for _ in range(150)]
    assert len(texts) > 170
    return [(text, outlet) for text in texts for outlet in (None, "kompas.com")]


def test_the_line_memos_change_no_decision(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cleaning from the memo of line rules and bylines gives what cleaning without one does: a
    hit (a None too: most lines are neither boilerplate nor a byline) is what the rule would say."""
    from warta.corpus import clean as clean_module

    raws = _seed_fixture_and_synthetic_raws()
    clean_module._LINE_RULES.clear()
    clean_module._BYLINES.clear()
    first = [clean(raw, outlet=outlet) for raw, outlet in raws]
    assert len(clean_module._LINE_RULES) and len(clean_module._BYLINES)
    again = [clean(raw, outlet=outlet) for raw, outlet in raws]  # every line a hit
    monkeypatch.setattr(clean_module._LINE_RULES, "limit", -1)  # emptied before every lookup
    monkeypatch.setattr(clean_module._BYLINES, "limit", -1)
    unmemoised = [clean(raw, outlet=outlet) for raw, outlet in raws]
    assert first == again == unmemoised
    assert sum(len(c.decisions) for c in first) > 1000
    # No line rule is limited to an outlet, so no key holds one: a JSONL record's outlet, however
    # long, is never kept.
    assert {outlet for outlet, _ in clean_module._LINE_RULES.table} == {None}


def test_a_memo_keeps_none_and_stays_bounded() -> None:
    from warta.corpus.memo import TokenMemo

    calls: list[str] = []

    def compute(key: str) -> None:
        calls.append(key)

    memo: TokenMemo[str, None] = TokenMemo(compute, 3)
    for key in ["a", "b", "a", "a", "b"]:
        assert memo(key) is None
    assert calls == ["a", "b"]
    for key in "cdefg":
        memo(key)
    assert len(memo) <= 4
