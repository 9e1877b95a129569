"""Generated scrapes in four outlet layouts: the parse recovers exactly what was put in.

Each example builds an article from known parts (headline, byline, date, dateline, captions,
paragraphs, subheadings) laid out the way Medcom, Kompas, detik or a machine-translated CNN page
is scraped, with boilerplate inserted at random places, and checks that cleaning returns those
parts and nothing else.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from warta.corpus.clean import clean

VOCAB = (
    "pemerintah rakyat bendungan harga beras warga petani pasar sekolah kota desa anggaran rapat kebijakan "
    "mengatakan menyebut meminta meninjau membangun menyiapkan membahas menolak menerima akan sudah belum "
    "tidak juga masih lebih sangat dalam untuk dengan pada dari yang dan atau karena sehingga agar bahwa"
).split()
NAMES = ["Marcheilla Ariesta", "Ihsanuddin", "Dian Erika Nugraheny", "Andi Firdaus", "Rahel Narda Chaterine"]
PLACES = ["Jakarta", "Washington", "Bandung", "Kuala Lumpur", "Brussel"]
MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"]
NOISE = [
    "Bagaimana tanggapan anda mengenai artikel ini?", "LEAVE A COMMENT", "LOADING", "unblock notif",
    "Dapatkan berita terbaru dari kami Ikuti langkah ini untuk mendapatkan notifikasi", "ADVERTISEMENT",
    "SCROLL TO CONTINUE WITH CONTENT", "(WIL)", "(rdp/imk)", "[Gambas:Video CNN]", "Baca juga: Harga Beras Naik",
    "Baca:\xa0 Pemerintah Siapkan Anggaran", "Posted By : keluaran hk hari ini",
]  # fmt: skip

words = st.lists(st.sampled_from(VOCAB), min_size=10, max_size=35)
paragraph = words.map(lambda ws: ws[0].capitalize() + " " + " ".join(ws[1:]) + ".")
headline = st.lists(st.sampled_from(VOCAB), min_size=4, max_size=10).map(lambda ws: " ".join(w.capitalize() for w in ws))


@st.composite
def article(draw: st.DrawFn) -> dict:
    style = draw(st.sampled_from(["medcom", "kompas", "detik", "cnn"]))
    paragraphs = draw(st.lists(paragraph, min_size=2, max_size=8))
    title = draw(headline)
    subheading = draw(st.none() | headline.filter(lambda h: h != title))
    author = draw(st.sampled_from(NAMES))
    day, month, year = draw(st.integers(1, 28)), draw(st.integers(1, 12)), draw(st.integers(2015, 2025))
    hour, minute = draw(st.integers(0, 23)), draw(st.integers(0, 59))
    place = draw(st.sampled_from(PLACES))
    caption = f"{draw(st.sampled_from(NAMES))}, kanan, berbicara kepada wartawan di {place}. (AFP)"
    noise = draw(st.lists(st.sampled_from(NOISE), max_size=5))
    where = draw(st.lists(st.integers(1, len(paragraphs)), min_size=len(noise), max_size=len(noise)))
    body: list[str] = list(paragraphs)
    if subheading is not None:
        body.insert(len(body) // 2 or 1, "\x00" + subheading)  # marked: rendered with empty lines around it
    expected_text = "\n\n".join(line.lstrip("\x00") for line in body)
    body_with_noise: list[str] = []
    for index, line in enumerate(body):
        body_with_noise += [noise[k] for k, w in enumerate(where) if w == index]
        body_with_noise.append(line)
    body_with_noise += [noise[k] for k, w in enumerate(where) if w >= len(body)]
    published = f"{year}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:00+07:00"
    expected = {"title": title, "text": expected_text, "captions": [], "author": author, "published": published, "dateline": place}
    lines: list[str] = []
    if style == "medcom":
        lines += [caption, caption, "", title, "", f"{author} • {day} {MONTHS[month - 1]} {year} {hour:02d}:{minute:02d}"]
        first, *rest = body_with_noise
        prefix = f"{place}: "
        expected["captions"] = [caption]
        for line in [prefix + first, *rest]:
            lines += [line, "\xa0"] if not line.startswith("\x00") else ["", line, ""]
    elif style == "kompas":
        lines += [title, f"Kompas.com - {day:02d}/{month:02d}/{year}, {hour:02d}:{minute:02d} WIB", f"Penulis: {author}", "Editor: Bayu Galih", ""]
        first, *rest = body_with_noise
        for line in [f"{place.upper()}, KOMPAS.com - {first}", *rest]:
            lines += [line, ""]
        expected["dateline"] = place.upper()
    elif style == "detik":
        lines += [title, f"{author} - detikNews", f"Rabu, {day} {MONTHS[month - 1][:3]} {year} {hour:02d}:{minute:02d} WIB"]
        first, *rest = body_with_noise
        lines += [f"{place} - {first}", *rest]  # no empty lines at all
    else:
        lines += [title, "Europe", "", title, ""]
        for line in body_with_noise:
            lines += [line, ""]
        lines[7:7] = [caption.replace(" (AFP)", ""), ""]
        expected |= {"author": None, "published": None, "dateline": None, "captions": [caption.replace(" (AFP)", "")]}
    raw = "\n".join(line.lstrip("\x00") for line in lines)
    return {"raw": raw, "expected": expected, "style": style}


@settings(max_examples=200, deadline=None)
@given(article())
def test_layouts_parse_back_to_their_parts(example: dict) -> None:
    c = clean(example["raw"])
    got = {"title": c.title, "text": c.text, "captions": c.captions, "author": c.author, "published": c.published, "dateline": c.dateline}
    assert got == example["expected"], example["style"]
    for noise in NOISE:
        assert noise not in c.text
    for span in c.removed:
        assert example["raw"][span.start : span.end] == span.text
