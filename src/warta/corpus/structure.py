"""What a single line of a scrape looks like: prose, heading, caption, byline, dateline.

Pure predicates over one (stripped) line; :mod:`warta.corpus.clean` combines them with a line's
position and neighbours. The patterns themselves live in :mod:`warta.corpus.rules`.
"""

from __future__ import annotations

from dataclasses import dataclass

from warta.corpus import rules
from warta.corpus.dates import find_date


def word_count(line: str) -> int:
    return len(line.split())


def ends_sentence(line: str) -> bool:
    return bool(line) and line[-1] in rules.SENTENCE_END


def _words_up_to(line: str, limit: int) -> int:
    """``min(word_count(line), limit + 1)``, without splitting the rest of a long paragraph."""
    return len(line.split(None, limit))


def is_prose(line: str) -> bool:
    """A body paragraph: a sentence of some length, or a long run of words that lost its period."""
    words = _words_up_to(line, 25)
    if words >= 25:
        return True
    if words < 8 or not ends_sentence(line):
        return False
    # A headline can end in ? or !; a short question is not enough to start the body.
    return line[-1] not in "?!" or words >= 20


def is_heading_like(line: str) -> bool:
    """Short and without final punctuation: a subheading, headline, section or related headline."""
    return not ends_sentence(line) and _words_up_to(line, 30) <= 30


def is_caption(line: str) -> bool:
    """A photo caption: ends with a photo credit, starts with ``Foto:``, or places people
    (``X, kanan, dan Y, tengah,``) the way only captions do."""
    if len(line) > 600:
        return False
    # Each pattern is tried only where its literal part could be (a closing bracket at the end, a
    # colon): the same answer, without scanning the many lines that have neither.
    return bool(
        (line.rstrip().endswith(_CREDIT_ENDS) and rules.CAPTION_CREDIT.search(line))
        or (":" in line and rules.CAPTION_TRAILING_CREDIT.search(line))
        or rules.CAPTION_PREFIX.match(line)
        or rules.CAPTION_POSITION.search(line)
    )


#: How a line that :data:`rules.CAPTION_CREDIT` matches ends, once its final whitespace is stripped.
_CREDIT_ENDS = (")", "]", ").", "].")


def is_name(text: str) -> bool:
    return bool(text) and len(text) <= 80 and rules.NAME.fullmatch(text) is not None and not any(
        ch.isdigit() for ch in text
    )


@dataclass(frozen=True)
class Byline:
    """What a byline line says; any field may be None."""

    author: str | None = None
    published: str | None = None
    editor: str | None = None
    credit: str | None = None
    updated: str | None = None

    @property
    def field(self) -> str:
        if self.author is not None:
            return "byline"
        if self.editor is not None:
            return "editor"
        if self.credit is not None:
            return "credit"
        if self.updated is not None:
            return "updated"
        return "published"


def _outlet_byline(line: str, default_tz: str) -> Byline | None:
    """The first outlet byline layout (:data:`rules.OUTLET_BYLINES`) whose parts all read right."""
    for pattern in rules.OUTLET_BYLINES:
        match = pattern.fullmatch(line)
        if match is None:
            continue
        parts = match.groupdict()
        author = rules.ROLE_SUFFIX.sub("", parts.get("author") or "").strip() or None
        editor = rules.ROLE_SUFFIX.sub("", parts.get("editor") or "").strip() or None
        published = rules.is_date_line(parts["published"], default_tz) if parts.get("published") else None
        if (author is not None and not is_name(author)) or (editor is not None and not is_name(editor)):
            continue
        if parts.get("published") and published is None:
            continue
        return Byline(author=author, editor=editor, published=published)
    return None


def parse_byline(line: str, default_tz: str = "WIB") -> Byline | None:
    """Read ``Name • 12 Januari 2022 13:16``, ``Penulis: Name``, ``Editor: Name``, a date alone..."""
    if len(line) > 160:
        return None
    outlet_byline = _outlet_byline(line, default_tz)
    if outlet_byline is not None:
        return outlet_byline
    match = rules.EDITOR_LINE.fullmatch(line)
    if match and is_name(match["name"]):
        return Byline(editor=match["name"])
    match = rules.AUTHOR_LINE.fullmatch(line)
    if match:
        name = match["name"]
        if "|" in name or "•" in name:
            inner = parse_byline(name, default_tz)
            if inner is not None and inner.author:
                return inner
        name = rules.OUTLET_SUFFIX.sub("", name).strip(" -–,") if " - " in name else name
        if is_name(name) and (line[:2].lower() != "by" or line[2:3] in (" ", ":")):
            # "Oleh" without a colon must be followed by a name ("Oleh karena itu" is not a byline).
            return Byline(author=name)
    match = rules.CREDIT_LINE.fullmatch(line)
    if match and word_count(match["name"]) <= 8 and not ends_sentence(match["name"].rstrip(".")):
        return Byline(credit=match["name"])
    iso = rules.is_date_line(line, default_tz)
    if iso is not None:
        return Byline(updated=iso) if rules.UPDATED_PREFIX.match(line) else Byline(published=iso)
    parts = [p.strip() for p in rules.BYLINE_SEPARATOR.split(line) if p.strip()]
    if 2 <= len(parts) <= 4:
        author: str | None = None
        published: str | None = None
        editor: str | None = None
        labelled = False
        for part in parts:
            date_iso = rules.is_date_line(part, default_tz)
            inner = parse_byline(part, default_tz) if ":" in part else None
            if date_iso is not None and published is None:
                published = date_iso
            elif inner is not None and (inner.author or inner.editor):
                # "Penulis: X | Editor: Y"
                labelled = True
                author = author or inner.author
                editor = editor or inner.editor
            elif author is None and is_name(part) and not rules.OUTLET_SUFFIX.fullmatch(part):
                author = part
            elif rules.OUTLET_SUFFIX.fullmatch(part):
                continue
            else:
                return None
        if labelled or (author is not None and published is not None):
            return Byline(author=author, published=published, editor=editor)
        if author is not None and len(parts) == 2 and rules.OUTLET_SUFFIX.fullmatch(parts[1]):
            return Byline(author=author)  # "Name - detikNews"
    return None


@dataclass(frozen=True)
class Dateline:
    """``Washington: `` at the start of the first paragraph: place (None in ``Suara.com - ``),
    outlet, and prefix length."""

    place: str | None
    outlet: str | None
    length: int


def split_dateline(paragraph: str) -> Dateline | None:
    match = rules.BRAND_DATELINE.match(paragraph)
    if match is not None and (match["place"] is None or find_date(match["place"]) is None):
        return Dateline(place=match["place"], outlet=match["outlet"], length=match.end())
    match = rules.DATELINE.match(paragraph)
    if match is None:
        return None
    place = match["place"]
    if match["sep"] == ":" and (match["outlet"] or match["agency"]):
        return None
    if word_count(place) > 3 or find_date(place) is not None:
        return None
    if match["sep"] != ":" and not (match["outlet"] or match["agency"]) and word_count(place) > 2:
        return None
    outlet = match["outlet"] or match["agency"]
    return Dateline(place=place, outlet=outlet, length=match.end())
