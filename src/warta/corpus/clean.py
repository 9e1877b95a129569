"""Turn the raw text of one scraped article into metadata, body paragraphs and removed spans.

The raw text is split into lines (``\\n``, ``\\r\\n`` or a lone ``\\r``; a leading
BOM is not content). Every line gets exactly one :class:`LineDecision`:

* ``kept``: a body paragraph or a subheading; ``text`` is these lines, stripped, joined by ``"\\n\\n"``.
  The first paragraph may lose a dateline prefix (``Washington: ``), recorded as metadata.
* ``removed``: boilerplate with a reason (see :mod:`warta.corpus.rules`), a duplicated title or
  caption, a related headline dropped into the body, or an empty line. Empty lines (``blank``) are
  decisions but not :class:`~warta.article.RemovedSpan` s (there is nothing to remove); whitespace-only
  lines are (``nbsp-only`` / ``whitespace-only``).
* ``metadata``: title, byline, section, editor, credit, publication date or caption.

Two passes: line rules first, then structure. The header is everything before the first prose
line; the title is its first line that is neither caption nor byline, a short line is the section.
In the body, a heading-like line (no final punctuation) set off by empty lines is a subheading; one
glued to its neighbour, in an article whose paragraphs are separated by empty lines, is a related
headline the scraper dropped into the text.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from warta.article import RemovedSpan
from warta.corpus import rules
from warta.corpus.memo import TokenMemo
from warta.corpus.structure import (
    Byline,
    is_caption,
    is_heading_like,
    is_name,
    is_prose,
    parse_byline,
    split_dateline,
    word_count,
)

Kind = Literal["kept", "removed", "metadata"]
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"


def strip_line(text: str) -> str:
    """``text`` without surrounding Unicode whitespace (NBSP included) and zero-width characters."""
    while True:
        stripped = text.strip().strip(_ZERO_WIDTH)
        if stripped == text:
            return stripped
        text = stripped


def _lead(text: str) -> int:
    """Length of the whitespace / zero-width run ``strip_line`` removes at the start of ``text``."""
    stripped = strip_line(text)
    return text.index(stripped) if stripped else len(text)


class Line(NamedTuple):
    """One line of ``raw``: 1-based ``number``, ``raw[start:end] == text`` (no terminator, no BOM)."""

    number: int
    start: int
    end: int
    text: str


class LineDecision(NamedTuple):
    """What happened to one line. ``label`` is the paragraph kind, removal reason or metadata field;
    ``value`` the text kept or the metadata value read from the line. A kept first paragraph that
    carried a dateline has ``dateline_end``: ``raw[line.start:dateline_end]`` is the prefix."""

    line: Line
    kind: Kind
    label: str
    value: str | None = None
    dateline_end: int | None = None


@dataclass
class Cleaned:
    """The parse of one article. ``extra`` holds what has no Article field of its own: ``editor``,
    ``credit`` (``Sumber: ...``), ``outlet_label`` (a bare ``CNN Indonesia`` line) and
    ``dateline_source`` (``KOMPAS.com`` in ``JAKARTA, KOMPAS.com -``); ingest keeps it in
    ``Article.metadata``."""

    text: str
    title: str | None = None
    author: str | None = None
    published: str | None = None
    dateline: str | None = None
    section: str | None = None
    captions: list[str] = field(default_factory=list)
    removed: list[RemovedSpan] = field(default_factory=list)
    decisions: list[LineDecision] = field(default_factory=list)
    extra: dict[str, str] = field(default_factory=dict)
    #: The outlet the text names unambiguously (:func:`rules.identify_outlet`), and the line that does.
    outlet: str | None = None
    outlet_evidence: str | None = None


def split_lines(raw: str) -> list[Line]:
    """Lines of ``raw`` with their offsets; a final line break does not start another line.

    A line ends at ``\\n``, ``\\r\\n`` or a lone ``\\r`` (old Mac line endings): the terminator is not
    part of the line, and offsets index ``raw`` unchanged."""
    pos = 1 if raw.startswith("\ufeff") else 0
    lines: list[Line] = []
    number = 0
    if "\r" not in raw:  # the common case, without a regex: the same lines and offsets
        parts = raw[pos:].split("\n")
        if len(parts) > 1 and not parts[-1]:
            parts.pop()
        for number, text in enumerate(parts, 1):
            end = pos + len(text)
            lines.append(Line(number, pos, end, text))
            pos = end + 1
        return lines
    for match in _LINE_BREAK.finditer(raw, pos):
        number += 1
        lines.append(Line(number, pos, match.start(), raw[pos : match.start()]))
        pos = match.end()
    if pos < len(raw) or not lines:
        lines.append(Line(number + 1, pos, len(raw), raw[pos:]))
    return lines


_LINE_BREAK = re.compile(r"\r\n|\n|\r")


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _blank_reason(text: str) -> str:
    if not text:
        return "blank"
    return "nbsp-only" if "\xa0" in text else "whitespace-only"


#: Lines whose words can name the outlet that published the page (a syndication notice names
#: another outlet, and the body may quote any).
_EVIDENCE_LABELS = frozenset({"byline", "editor", "published", "updated", "outlet-label", "notification-prompt", "spam-footer"})


def _outlet_evidence(decisions: list[LineDecision], raw: str) -> list[str]:
    evidence = []
    for d in decisions:
        if d.dateline_end is not None:
            evidence.append(raw[d.line.start : d.dateline_end].strip())
        elif d.label in _EVIDENCE_LABELS and d.kind != "kept":
            evidence.append(d.line.text.strip())
    return evidence


#: ``(outlet, line)`` -> the line rule that removes the line (the outlet as
#: :func:`rules.rule_outlet` gives it: never the unbounded name a JSONL record holds);
#: ``(timezone, line)`` -> its byline.
#: Boilerplate and bylines recur across an outlet's articles: on the perf generator's scrapes, 40 %
#: of rule checks and 54 % of byline parses repeat a line already seen. At most ~10 MB each.
_LINE_RULES: TokenMemo[tuple[str | None, str], rules.LineRule | None] = TokenMemo(
    lambda key: rules.match_line_rule(key[1], key[0]), 1 << 14
)
_BYLINES: TokenMemo[tuple[str, str], Byline | None] = TokenMemo(lambda key: parse_byline(key[1], key[0]), 1 << 14)


def clean(raw: str, *, title: str | None = None, outlet: str | None = None, timezone: str = "WIB") -> Cleaned:
    """Clean one article. ``title`` (known from the source, e.g. a JSONL field) is used instead of a
    parsed one; a line repeating it is removed as ``duplicate-title``."""
    lines = split_lines(raw)
    n = len(lines)
    rule_outlet = rules.rule_outlet(outlet)
    stripped = [strip_line(line.text) for line in lines]
    decisions: list[LineDecision | None] = [None] * n
    # Pass 1: empty lines and line rules.
    for i, text in enumerate(stripped):
        if not text:
            decisions[i] = LineDecision(lines[i], "removed", _blank_reason(lines[i].text))
        elif len(text) <= rules.MAX_BOILERPLATE_CHARS:
            rule = _LINE_RULES((rule_outlet, text))
            if rule is not None:
                decisions[i] = LineDecision(lines[i], "removed", rule.reason)

    content = [i for i in range(n) if decisions[i] is None]
    captions_flags = {i: is_caption(stripped[i]) for i in content}
    breaks = [d is not None or captions_flags.get(j, False) for j, d in enumerate(decisions)]

    def gap(j: int) -> bool:
        """Is position ``j`` a paragraph break (outside the text, empty, boilerplate, a caption)?"""
        return j < 0 or j >= n or breaks[j]

    first_prose = next((i for i in content if not captions_flags[i] and is_prose(stripped[i])), n)

    result = Cleaned(text="")
    seen_captions: set[str] = set()
    longest_caption = [0]
    title_norm = _norm(title) if title else None
    result.title = title

    def take_byline(i: int, byline: Byline) -> None:
        if byline.author is not None and result.author is None:
            result.author = byline.author
        if byline.published is not None and result.published is None:
            result.published = byline.published
        if byline.editor is not None:
            result.extra.setdefault("editor", byline.editor)
        if byline.credit is not None:
            result.extra.setdefault("credit", byline.credit)
        if byline.updated is not None:
            result.extra.setdefault("updated", byline.updated)
        value = byline.author or byline.editor or byline.credit or byline.published or byline.updated
        decisions[i] = LineDecision(lines[i], "metadata", byline.field, value)

    def take_caption(i: int) -> None:
        key = _norm(stripped[i])
        if key in seen_captions:
            decisions[i] = LineDecision(lines[i], "removed", "duplicate-caption")
        else:
            seen_captions.add(key)
            longest_caption[0] = max(longest_caption[0], len(key))
            result.captions.append(stripped[i])
            decisions[i] = LineDecision(lines[i], "metadata", "caption", stripped[i])

    header = [i for i in content if i < first_prose]
    # Pass 2a: the header (before the first prose line).
    for position, i in enumerate(header):
        if decisions[i] is not None:  # the name after a bare "Reporter" label
            continue
        text = stripped[i]
        key = _norm(text)
        label = rules.BYLINE_LABEL.fullmatch(text)
        following = header[position + 1] if position + 1 < len(header) else None
        if label and following is not None and is_name(stripped[following]):
            name = stripped[following]
            take_byline(following, Byline(author=name) if label["author"] else Byline(editor=name))
            decisions[i] = LineDecision(lines[i], "metadata", "byline-label", text)
            continue
        if title_norm is not None and key == title_norm:
            decisions[i] = LineDecision(lines[i], "removed", "duplicate-title")
            continue
        if captions_flags[i]:
            take_caption(i)
            continue
        byline = _BYLINES((timezone, text))
        if byline is not None:
            take_byline(i, byline)
            continue
        if key in seen_captions:
            decisions[i] = LineDecision(lines[i], "removed", "duplicate-caption")
        elif rules.OUTLET_SUFFIX.fullmatch(text):
            result.extra.setdefault("outlet_label", text)
            decisions[i] = LineDecision(lines[i], "metadata", "outlet-label", text)
        elif result.title is None and word_count(text) >= 3:
            result.title, title_norm = text, key
            decisions[i] = LineDecision(lines[i], "metadata", "title", text)
        elif (
            result.section is None
            and word_count(text) <= 3
            and len(text) <= 30
            and is_heading_like(text)
            and not any(ch.isdigit() for ch in text)
        ):
            result.section = text
            decisions[i] = LineDecision(lines[i], "metadata", "section", text)
    # No line of three words or more: the first short line is the title (a headline such as
    # "Banjir Bekasi"), even if it was first read as a section label.
    if result.title is None and title is None:
        for i in content:
            if i >= first_prose:
                break
            current = decisions[i]
            if current is None or (current.kind == "metadata" and current.label == "section"):
                if current is not None:
                    result.section = None
                result.title, title_norm = stripped[i], _norm(stripped[i])
                decisions[i] = LineDecision(lines[i], "metadata", "title", stripped[i])
                break

    # A name alone just above the date line of the header is the author (kumparan: "Name" / date).
    if result.author is None:
        for a, b in itertools.pairwise(header):
            after = decisions[b]
            current = decisions[a]
            if (
                after is not None
                and after.label == "published"
                and (current is None or current.label == "section")
                and is_name(stripped[a])
                and 2 <= word_count(stripped[a]) <= 4
                and not rules.OUTLET_SUFFIX.fullmatch(stripped[a])
            ):
                if current is not None:
                    result.section = None
                result.author = stripped[a]
                decisions[a] = LineDecision(lines[a], "metadata", "byline", stripped[a])
                break

    # Is the body laid out with empty lines between paragraphs?
    body = [i for i in content if decisions[i] is None]
    gaps = sum(1 for a, b in itertools.pairwise(body) if any(not stripped[j] for j in range(a + 1, b)))
    spaced = len(body) < 2 or gaps >= (len(body) - 1) / 2

    def _after_related_label(i: int) -> bool:
        """Is the previous non-empty line a bare ``Baca juga:`` label (its link is this line)?"""
        j = i - 1
        while j >= 0 and not stripped[j]:
            j -= 1
        return j >= 0 and rules.RELATED_LABEL.fullmatch(stripped[j]) is not None

    # Pass 2b: the rest. (Normalising is skipped for lines too long to repeat the title or a caption.)
    for i in body:
        text = stripped[i]
        longest = max(len(title_norm or ""), longest_caption[0])
        key = _norm(text) if longest and len(text) <= 2 * longest + 8 else ""
        if title_norm is not None and key == title_norm:
            decisions[i] = LineDecision(lines[i], "removed", "duplicate-title")
        elif captions_flags[i] or key in seen_captions:
            take_caption(i)
        elif is_prose(text):
            decisions[i] = LineDecision(lines[i], "kept", "paragraph", text)
        elif (byline := _BYLINES((timezone, text))) is not None:
            take_byline(i, byline)
        elif is_heading_like(text) and _after_related_label(i):
            decisions[i] = LineDecision(lines[i], "removed", "related-link")
        elif is_heading_like(text):
            isolated = gap(i - 1) and gap(i + 1)
            if isolated or not spaced:
                decisions[i] = LineDecision(lines[i], "kept", "subheading", text)
            else:
                decisions[i] = LineDecision(lines[i], "removed", "related-headline")
        else:
            decisions[i] = LineDecision(lines[i], "kept", "paragraph", text)

    # Dateline: a prefix of the first kept paragraph.
    for i in range(n):
        decision = decisions[i]
        if decision is not None and decision.kind == "kept":
            if decision.label == "paragraph" and decision.value is not None:
                dateline = split_dateline(decision.value)
                if dateline is not None:
                    lead = _lead(lines[i].text)
                    result.dateline = dateline.place
                    if dateline.outlet:
                        result.extra["dateline_source"] = dateline.outlet
                    decisions[i] = LineDecision(
                        lines[i],
                        "kept",
                        "paragraph",
                        decision.value[dateline.length :],
                        dateline_end=lines[i].start + lead + dateline.length,
                    )
            break

    final: list[LineDecision] = [d for d in decisions if d is not None]
    assert len(final) == n
    result.decisions = final
    identified = rules.identify_outlet(_outlet_evidence(final, raw))
    if identified is not None:
        result.outlet, result.outlet_evidence = identified
    result.text = "\n\n".join(d.value for d in final if d.kind == "kept" and d.value)
    result.removed = [
        RemovedSpan(d.line.start, d.line.end, d.label, d.line.text)
        for d in final
        if d.kind == "removed" and d.line.text
    ]
    return result
