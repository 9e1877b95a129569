"""Every cleaning rule in one place: what a line must look like to be removed or read as metadata.

Line rules are tried in order on the line with surrounding whitespace stripped; the first that
matches removes the whole line and its ``reason`` is recorded in the article's ``removed`` spans
(datatrove's exclusion-writer idea: nothing disappears without a reason). A rule may be limited to
some outlets (the ``outlet`` of a JSONL record, lower-cased). Structural decisions that depend on
a line's neighbours (title, captions, subheadings, related headlines dropped into the body) live in
:mod:`warta.corpus.structure`, and use the patterns defined further down.

What only one outlet prints (its brand in datelines and bylines, its byline layout, its promo and
related-link lines) is one :class:`OutletStyle` entry in :data:`OUTLETS` at the end of this file.
Supporting a new outlet is adding one entry there and its fixtures under
``tests/fixtures/outlets/``. An entry's noise and byline patterns apply to every article (the
outlet is rarely known before the article is parsed), so they must be specific to that outlet.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from warta.corpus.dates import parse_datetime

#: Lines longer than this are prose, never boilerplate (keeps cleaning fast and safe).
MAX_BOILERPLATE_CHARS = 400


@dataclass(frozen=True)
class LineRule:
    """Remove a whole line when ``pattern`` matches all of it (or ``predicate`` says so)."""

    name: str
    reason: str
    pattern: re.Pattern[str] | None = None
    predicate: Callable[[str], bool] | None = None
    outlets: frozenset[str] | None = None

    def matches(self, line: str, outlet: str | None = None) -> bool:
        if self.outlets is not None and (outlet or "").lower() not in self.outlets:
            return False
        if self.pattern is not None and self.pattern.fullmatch(line):
            return True
        return self.predicate is not None and self.predicate(line)


def _p(*alternatives: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{a})" for a in alternatives), re.IGNORECASE)


GENERIC_LINE_RULES: tuple[LineRule, ...] = (
    LineRule(
        "comment prompt",
        "comment-prompt",
        _p(
            r"bagaimana tanggapan (?:anda|kamu) (?:mengenai|tentang|terhadap) (?:artikel|berita) ini\s*\??",
            r"leave a (?:comment|reply)",
            r"loading(?:\s*\.\.\.|…)?",
            r"memuat(?:\s*\.\.\.|…)?",
            r"(?:tulis|berikan|beri|kirim|tinggalkan|lihat(?: semua)?) komentar(?:mu| anda| kamu)?[^.!?,]{0,40}",
            r"komentar(?: \(\d+\))?",
            r"\d+\s+komentar",
            r"(?:post a )?comments?(?: \(\d+\))?",
        ),
    ),
    LineRule(
        "notification prompt",
        "notification-prompt",
        _p(
            r"dapatkan (?:berita|update|informasi|notifikasi).{0,380}",
            r"unblock notif(?:ikasi)?",
            r"(?:aktifkan|izinkan|nyalakan|blokir) notif(?:ikasi)?.{0,120}",
            r"(?:ikuti|follow) (?:kami|berita \S+|\S+\.com) (?:di|on) .{0,120}",
            r"(?:ikuti|follow)\b.{0,80}\b(?:google news|whatsapp|telegram|instagram|tiktok|youtube|channel|saluran)\b.{0,120}",
            r"simak (?:breaking news|berita pilihan).{0,380}",
            r"(?:cek|simak|baca|lihat|dapatkan|temukan) (?:berita|artikel|info).{0,80}\bdi (?:google news|whatsapp|telegram|channel)\b.{0,80}",
            r"(?:gabung|bergabung)(?:lah)? (?:di|ke|dengan) (?:channel|saluran|grup) (?:whatsapp|telegram|wa|kami)\b.{0,120}",
            r"download aplikasi .{0,120}",
        ),
    ),
    LineRule(
        "related link",
        "related-link",
        _p(
            r"[(\[]?\s*(?:baca(?: juga| pula)?|lihat(?: juga)?|simak(?: juga)?|artikel terkait|berita terkait"
            r"|read(?: also| more)?|tonton(?: juga)?|saksikan(?: juga)?|lihat video|video terkait)"
            r"(?: video)?\s*[:>»\-–]\s*.{0,180}",
            r"(?:baca(?: juga| pula)?|artikel terkait|berita terkait|berita lainnya|read also)",
            r"(?:simak|tonton|saksikan|lihat) (?:juga )?video(?: pilihan)?(?: berikut| di bawah)?(?: ini)?\s*[:!.]?",
            r"(?:simak|tonton|saksikan|lihat)(?: juga)?(?: video)?\s*['\"“‘].{1,150}['\"”’]\s*:?",
            r"\[\s*gambas\s*:[^\]]*\]",
        ),
    ),
    LineRule(
        "end marker",
        "end-marker",
        _p(r"[(\[]?\s*(?:habis|selesai|bersambung|tamat|end)\s*[)\]]?\.?", r"[*\-_=~•·#]{3,}"),
    ),
    LineRule("separator", "separator", _p(r"[•·|/]")),
    LineRule(
        "reading time",
        "reading-time",
        _p(r"(?:waktu baca|lama baca|durasi baca)\s*:?\s*\d+\s*(?:menit|mnt)", r"\d+\s*(?:min(?:ute)?s? read|menit membaca)"),
    ),
    LineRule(
        "editor initials",
        "editor-initials",
        _p(r"[(\[]\s*[a-z]{2,6}(?:\s*[/,]\s*[a-z]{2,6}){0,3}\s*[)\]]\.?"),
    ),
    LineRule(
        "advertisement",
        "advertisement",
        _p(
            r"advertisements?",
            r"scroll (?:to|untuk) (?:continue|resume|lanjut)(?: (?:with|reading|membaca))?(?: content| konten)?",
            r"iklan",
            r"sponsored(?: content)?",
            r"konten (?:ini )?(?:berbayar|bersponsor)",
        ),
    ),
    LineRule(
        "spam footer",
        "spam-footer",
        _p(
            r"posted (?:by|in|on)\s*:.{0,160}",
            r"(?:copyright|hak cipta)\s*(?:©|\(c\))?\s*(?:\d{4}|dilindungi|©).{0,120}",
            r"©.{0,160}",
            r"all rights reserved\.?",
        ),
    ),
    LineRule(
        "syndication notice",
        "syndication-notice",
        _p(
            r"artikel ini (?:telah |sudah )?(?:tayang|terbit|dimuat|diterbitkan|ditayangkan) (?:di|pada|dalam) .{0,300}",
            r"this (?:article|story) (?:was|has been) (?:first )?(?:published|originally published) .{0,300}",
        ),
    ),
    LineRule(
        "pagination",
        "pagination",
        _p(
            r"halaman(?:\s+\d+)+",
            r"halaman\s*:?",
            r"(?:halaman|page)\s*:?\s*\d+\s*(?:/|dari|of)\s*\d+",
            r"\d{1,2}",
            r"(?:show all|tampilkan semua|lihat semua|selanjutnya|berikutnya|sebelumnya|next|previous)\s*[»>]*",
            r"(?:halaman|page) (?:selanjutnya|berikutnya|sebelumnya|next|previous)\s*[»>]?",
            r"(?:selanjutnya|berikutnya|next)\s*[»>]+",
            r"klik (?:di ?sini|link ini|tautan ini) .{0,160}",
        ),
    ),
    LineRule(
        "share prompt",
        "share-prompt",
        _p(
            r"(?:bagikan|share)(?: (?:artikel|berita) ini| this(?: article)?)?\s*:?",
            r"(?:facebook|twitter|whatsapp|telegram|linkedin|line|email|copy link|salin tautan)"
            r"(?:\s*[|/·•]\s*(?:facebook|twitter|whatsapp|telegram|linkedin|line|email|copy link|salin tautan))*",
        ),
    ),
    LineRule(
        "tag list",
        "tag-list",
        _p(r"(?:tags?|topik|kata kunci|keywords?)\s*:.{0,200}"),
    ),
)


# --- outlet styles ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutletStyle:
    """What identifies one outlet and what only it prints.

    ``brand`` is how the outlet names itself in a dateline (``JAKARTA, KOMPAS.com -``), a byline
    (``Name - detikNews``), an outlet label line, a follow prompt or a copyright line; finding it
    there (and no other outlet's brand) makes the outlet inferred. ``hosts`` are its URL hosts.
    ``bylines`` are full-line byline layouts with named groups ``author``, ``editor`` and
    ``published`` (a date, parsed); ``noise`` are ``(reason, pattern)`` lines to remove.
    """

    name: str
    brand: str
    hosts: tuple[str, ...]
    bylines: tuple[str, ...] = ()
    noise: tuple[tuple[str, str], ...] = ()


#: A date closing a byline (``21 Agu 2023, 09:45 WIB``); it must also parse as a date (structure.py).
_DATE_TAIL = r"(?P<published>(?:\w+,?\s+)?\d{1,2}[\s/]\S+[\s/]\d{4}\S*(?:\s*[|,]?\s*\d{1,2}[:.]\d{2}(?:\s*\w{3,4})?)?)"

OUTLETS: tuple[OutletStyle, ...] = (
    OutletStyle(
        "Kompas.com",
        r"kompas\.com|kompas cyber media",
        ("kompas.com",),
        bylines=(r"penulis\s*:?\s*(?P<author>[^|:]+?)\s*\|\s*editor\s*:?\s*(?P<editor>[^|:]+?)",),
    ),
    OutletStyle(
        "detik.com",
        r"detik(?:news|finance|inet|sport|hot|health|oto|travel|food|edu|pop|properti|jabar|jateng|jatim"
        r"|jogja|bali|sulsel|sumut|sumbagsel|kalimantan)\b|20detik|detik\.com",
        ("detik.com",),
    ),
    OutletStyle(
        "Tempo.co",
        r"tempo\.co\b|tempo media group|berita terkini dari tempo",
        ("tempo.co",),
        noise=(("related-link", r"pilihan editor\s*:.{1,200}"),),
    ),
    OutletStyle("CNN Indonesia", r"cnn indonesia", ("cnnindonesia.com",)),
    OutletStyle(
        "Liputan6.com",
        r"liputan6(?:\.com)?",
        ("liputan6.com",),
        bylines=(rf"oleh\s+(?P<author>.+?)\s+pada\s+{_DATE_TAIL}",),
        noise=(("share-prompt", r"perbesar"),),
    ),
    OutletStyle(
        "Antara",
        r"(?-i:ANTARA)(?!\s*FOTO)\b|antaranews(?:\.com)?",
        ("antaranews.com",),
    ),
    OutletStyle(
        "Tribunnews.com",
        r"tribunnews(?:\.com)?",
        ("tribunnews.com",),
        bylines=(r"laporan (?:wartawan|reporter|koresponden|kontributor) tribunnews(?:\.com)?\s*,\s*(?P<author>.+?)",),
    ),
    OutletStyle(
        "Okezone.com",
        r"okezone(?:\.com)?",
        ("okezone.com",),
        bylines=(rf"(?P<author>.+?)\s*,\s*jurnalis\s*[·•|]\s*{_DATE_TAIL}",),
    ),
    OutletStyle(
        "Republika.co.id",
        r"republika(?:\.co\.id)?",
        ("republika.co.id",),
        bylines=(r"rep\s*:\s*(?P<author>.+?)\s*(?:/|\|)?\s+red\s*:\s*(?P<editor>.+?)",),
    ),
    OutletStyle("Medcom.id", r"medcom\.id|metrotvnews(?:\.com)?", ("medcom.id",)),
    OutletStyle(
        "Suara.com",
        r"suara\.com",
        ("suara.com",),
        # "Author | Editor" under the headline, two names and nothing else.
        bylines=(r"(?P<author>[A-Z][^|]{2,60}?)\s+\|\s+(?P<editor>[A-Z][^|]{2,60}?)",),
    ),
    OutletStyle(
        "kumparan.com",
        r"kumparan(?:news|bisnis|tech|oto|bola|sport|food|travel|mom|woman|hits|plus|sains)?\b",
        ("kumparan.com",),
        noise=(("related-link", r"trending now"),),
    ),
)

LINE_RULES: tuple[LineRule, ...] = GENERIC_LINE_RULES + tuple(
    LineRule(f"{outlet.name} {reason}", reason, _p(pattern))
    for outlet in OUTLETS
    for reason, pattern in outlet.noise
)
#: Byline layouts of the outlets, tried after the generic ones (see :func:`structure.parse_byline`).
OUTLET_BYLINES: tuple[re.Pattern[str], ...] = tuple(
    re.compile(pattern, re.IGNORECASE) for outlet in OUTLETS for pattern in outlet.bylines
)
_BRANDS = tuple(re.compile(rf"(?<![\w.])(?:{o.brand})(?![\w])", re.IGNORECASE) for o in OUTLETS)
#: Any outlet's brand, for datelines that start with it (``TEMPO.CO, Jakarta -``, ``Suara.com -``).
BRAND = "|".join(f"(?:{o.brand})" for o in OUTLETS)


def identify_outlet(evidence: list[str]) -> tuple[str, str] | None:
    """``(outlet name, the evidence line)`` when exactly one outlet's brand appears in ``evidence``
    (dateline prefix, byline, outlet label, follow prompt and copyright lines), else None."""
    found: dict[str, str] = {}
    for text in evidence:
        for name in _brands_in(text):
            found.setdefault(name, text)
    return next(iter(found.items())) if len(found) == 1 else None


@functools.lru_cache(maxsize=4096)
def _brands_in(text: str) -> tuple[str, ...]:
    """The outlets whose brand ``text`` names. Cached: evidence lines (datelines, labels, footers)
    recur across an outlet's articles."""
    return tuple(outlet.name for outlet, brand in zip(OUTLETS, _BRANDS) if brand.search(text))


def outlet_for_host(url: str) -> str | None:
    """The outlet whose host (or a subdomain of it) serves ``url``."""
    from urllib.parse import urlsplit

    host = (urlsplit(url).hostname or "").lower()
    for outlet in OUTLETS:
        if any(host == h or host.endswith("." + h) for h in outlet.hosts):
            return outlet.name
    return None

# --- patterns used by the structural pass (structure.py) -------------------------------------------

#: Words of a personal name: capitalised words, initials, and the particles names use.
_NAME_WORD = r"(?:[A-Z][\w'’.\-]*|bin|binti|van|von|de|der|al|el|dan|&)"
NAME = re.compile(rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,7}}(?:\s*,\s*{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,5}}){{0,3}}")

#: ``Penulis: X``, ``Oleh: X``, ``Reporter: X``, ``By X``: the author, anywhere in the article.
AUTHOR_LINE = re.compile(
    r"(?:penulis|pewarta|oleh|reporter|wartawan|kontributor|author|by|written by|laporan)\s*[:\-–]?\s*(?P<name>.+?)\s*",
    re.IGNORECASE,
)
#: ``Editor: Y``: kept as metadata (``metadata["editor"]``), not as the author.
EDITOR_LINE = re.compile(
    r"(?:editor|penyunting|redaktur|editing)\s*[:\-–]\s*(?P<name>.+?)\s*", re.IGNORECASE
)
#: ``Reporter`` or ``Editor`` alone on a line, the name on the next one (Tempo's page layout).
BYLINE_LABEL = re.compile(
    r"(?P<author>penulis|pewarta|reporter|wartawan|oleh)|(?P<editor>editor|penyunting|redaktur)\s*:?", re.IGNORECASE
)
#: ``Sumber: Reuters``: a source credit at the end of an article.
CREDIT_LINE = re.compile(r"(?:sumber|source)\s*:\s*(?P<name>.{1,80}?)\s*", re.IGNORECASE)
#: ``Marcheilla Ariesta • 12 Januari 2022 13:16``, ``Name | Rabu, 12/01/2022 13:16 WIB``.
BYLINE_SEPARATOR = re.compile(r"\s*[•|·–—]\s*|\s+-\s+")
#: Words introducing a publication date: ``Diterbitkan``, ``Kompas.com -``, ``Published``.
DATE_PREFIX = re.compile(
    r"(?:(?:diterbitkan|dipublikasikan|diperbarui|published|updated|posted|tanggal|waktu)\s*:?"
    r"|[\w.]+\.(?:com|id|co\.id)\s*[-–])\s*",
    re.IGNORECASE,
)
#: A related-link label alone on its line (``Baca juga:``): the next heading-like line is the link.
RELATED_LABEL = re.compile(
    r"(?:baca(?: juga| pula)?|lihat(?: juga)?|simak(?: juga)?|artikel terkait|berita terkait|berita lainnya|read(?: also| more)?)\s*[:>»]?",
    re.IGNORECASE,
)
#: Outlet brands that follow an author's name on detik/CNN-style bylines (``Name - detikNews``), or
#: stand alone under a headline (``CNN Indonesia``, ``kumparanNEWS``).
OUTLET_SUFFIX = re.compile(
    rf"(?:detik\w*|cnn indonesia|kompas\.com|tempo\.co|liputan6\.com|\w+\.(?:com|id|co\.id)|{BRAND})", re.IGNORECASE
)
#: A role after a name (``Hendra Kusuma, Jurnalis``): not part of the name.
ROLE_SUFFIX = re.compile(r"\s*,\s*(?:jurnalis|wartawan|reporter|kontributor|koresponden|editor)\s*$", re.IGNORECASE)
#: ``Diperbarui 21 Agu 2023, 10:12 WIB``: the date a page was last changed, not its publication date.
UPDATED_PREFIX = re.compile(r"(?:diperbarui|diupdate|update terakhir|updated|last updated)\b", re.IGNORECASE)

#: A photo credit closing a caption: ``(AFP)``, ``(ANTARA FOTO/Galih Pradipta)``, ``(Foto: Dok.)``.
_AGENCIES = (
    r"afp|ap|ap photo|reuters|antara|antara foto|epa|epa-efe|xinhua|getty images|getty|bloomberg"
    r"|anadolu|anadolu agency|kyodo|yonhap|nurphoto|sopa images|shutterstock|istock|istockphoto"
    r"|freepik|unsplash|pexels|istimewa|dok\.?|dokumentasi|ilustrasi|medcom\.id|kompas\.com"
    r"|detikcom|cnn indonesia|tempo|kompas|the jakarta post|wikimedia commons"
)
_SITE = r"[a-z][\w-]*\.(?:com|co\.id|co|id|net)"
CAPTION_CREDIT = re.compile(
    rf"[(\[]\s*(?:(?:foto|photo|gambar|image|sumber foto|credit)\s*:\s*[^()\[\]]{{1,80}}"
    rf"|(?:{_AGENCIES}|{BRAND}|{_SITE})(?:\s*[/,]\s*[^()\[\]]{{0,60}})?)\s*[)\]]\.?\s*$",
    re.IGNORECASE,
)
#: A credit after the caption's last sentence, without parentheses (kumparan): ``... rumahnya. Foto: Dok. X``.
CAPTION_TRAILING_CREDIT = re.compile(r"[.!?]\s+(?:foto|photo|sumber foto)\s*:\s*[^()]{1,80}$", re.IGNORECASE)
#: A caption's first words: ``Foto:``, ``Ilustrasi.``, ``Caption:``.
CAPTION_PREFIX = re.compile(r"(?:foto|photo|gambar|ilustrasi|caption|keterangan foto)\s*[:.]\s", re.IGNORECASE)
#: Position words between commas (``Grushko, kanan, dan Stoltenberg, tengah,``): captions only.
CAPTION_POSITION = re.compile(
    r",\s+(?:paling |kedua dari |ketiga dari |dari )?(?:kiri|kanan|tengah|depan|belakang|left|right|center|centre|"
    r"second (?:from )?(?:left|right))(?:\s+ke\s+kanan|\s+ke\s+kiri)?\s*[,.;)]"
    r"|\(\s*(?:kiri|kanan|tengah|ki-ka|ka-ki|kiri ke kanan|left|right|center|l-r|r-l)\s*\)",
    re.IGNORECASE,
)

#: ``Washington:``, ``JAKARTA, KOMPAS.com -``, ``Jakarta, CNN Indonesia --``, ``Jakarta (ANTARA) -``.
_PLACE_WORD = r"[A-Z][A-Za-z'’.]*"
DATELINE = re.compile(
    rf"(?P<place>{_PLACE_WORD}(?:[ -]{_PLACE_WORD}){{0,3}})"
    r"(?:\s*,\s*(?P<outlet>[A-Za-z][\w.]*(?:\s[A-Z][\w.]*)?)|\s*\((?P<agency>[A-Za-z][\w. /]{1,30})\))?"
    r"\s*(?P<sep>:|--?|–|—)\s+(?=\S)"
)
#: ``Liputan6.com, Jakarta -``, ``REPUBLIKA.CO.ID, KENDARI --``, ``Suara.com -``: the brand first.
BRAND_DATELINE = re.compile(
    rf"(?P<outlet>{BRAND}|{_SITE})(?:\s*,\s*(?P<place>{_PLACE_WORD}(?:[ -]{_PLACE_WORD}){{0,3}}))?\s*(?P<sep>--?|–|—)\s+(?=\S)",
    re.IGNORECASE,
)

#: Final punctuation of a sentence (a line ending otherwise is heading-like).
SENTENCE_END = frozenset('.!?…"”’\')»:;')

#: Capitalised words that do not identify an event (kept out of story term sets).
STORY_STOP_TERMS = frozenset(
    """
    senin selasa rabu kamis jumat sabtu minggu januari februari maret april mei juni juli agustus
    september oktober november desember jan feb mar apr jun jul agu sep okt nov des
    monday tuesday wednesday thursday friday saturday sunday january february march may june july
    august october december
    presiden wakil menteri kepala ketua juru bicara direktur gubernur sekretaris jenderal duta besar
    pemerintah pihak para dalam dari untuk dengan yang dan atau ini itu tersebut namun tetapi juga
    sementara selain menurut kata ia dia mereka kami kita saya the a an of in on and to for at by
    bapak ibu pak bu dr prof ir h hj sh mh wib wita wit baca foto
    """.split()
)


@functools.lru_cache(maxsize=8)
def _combined(rules: tuple[LineRule, ...]) -> re.Pattern[str]:
    """One alternation of every outlet-independent pattern, in rule order (first full match wins)."""
    parts = [
        f"(?P<r{n}>{rule.pattern.pattern})"
        for n, rule in enumerate(rules)
        if rule.pattern is not None and rule.outlets is None
    ]
    return re.compile("|".join(parts) or "(?!)", re.IGNORECASE)


def match_line_rule(line: str, outlet: str | None = None, rules: tuple[LineRule, ...] = LINE_RULES) -> LineRule | None:
    """The first rule of ``rules`` that removes ``line`` (same result as trying them in order)."""
    pattern = _DEFAULT_COMBINED if rules is LINE_RULES else _combined(rules)
    match = pattern.fullmatch(line)
    first = int(match.lastgroup[1:]) if match and match.lastgroup else len(rules)
    for rule in rules[:first]:
        if (rule.predicate is not None or rule.outlets is not None) and rule.matches(line, outlet):
            return rule
    return rules[first] if first < len(rules) else None


_DEFAULT_COMBINED = _combined(LINE_RULES)
#: The outlets some line rule of :data:`LINE_RULES` is limited to.
_RULE_OUTLETS = frozenset(name for rule in LINE_RULES if rule.outlets for name in rule.outlets)


def rule_outlet(outlet: str | None) -> str | None:
    """What of ``outlet`` the answer of :func:`match_line_rule` depends on: its lower-cased name
    when some rule is limited to it, else None (a bounded set of values, whatever the input)."""
    lowered = (outlet or "").lower()
    return lowered if lowered in _RULE_OUTLETS else None


_DIGIT = re.compile(r"\d")


def is_date_line(line: str, default_tz: str = "WIB") -> str | None:
    """The ISO date if ``line`` is a publication date and nothing else (``Rabu, 12/01/2022 13:16 WIB``)."""
    if len(line) > 80 or _DIGIT.search(line) is None:
        return None
    return parse_datetime(DATE_PREFIX.sub("", line, count=1) if DATE_PREFIX.match(line) else line, default_tz)
