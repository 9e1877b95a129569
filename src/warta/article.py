"""The record that flows from ingest to release: one news article and everything known about it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

#: Separator between headline and body in the text that annotators label (Label Studio tasks,
#: gold offsets and the labeled configs' ``text`` all use this exact string).
TITLE_BODY_SEPARATOR = "\n\n"


def annotated_text(title: str | None, body: str) -> str:
    """The string entity offsets refer to: the headline, a blank line, then the body."""
    return f"{title}{TITLE_BODY_SEPARATOR}{body}" if title else body


@dataclass(frozen=True)
class RemovedSpan:
    """A span of the raw text left out of ``text``, and why (datatrove's exclusion writer idea).

    ``start``/``end`` are code-point offsets into :attr:`Article.raw`; ``raw[start:end] == text``.
    """

    start: int
    end: int
    reason: str
    text: str


@dataclass
class Article:
    """One article: cleaned text, parsed metadata, the raw source and the record of every removal.

    ``raw`` is the source decoded as UTF-8 with nothing stripped (a BOM stays as U+FEFF, CRLF stays),
    so ``raw.encode("utf-8")`` gives the original bytes back and ``raw_sha256`` can be re-checked.
    """

    id: str
    source_file: str
    raw: str
    raw_sha256: str
    text: str = ""
    title: str | None = None
    author: str | None = None
    published: str | None = None
    dateline: str | None = None
    section: str | None = None
    url: str | None = None
    outlet: str | None = None
    captions: list[str] = field(default_factory=list)
    removed: list[RemovedSpan] = field(default_factory=list)
    source_line: int | None = None
    story_id: str | None = None
    duplicate_of: str | None = None
    split: str | None = None
    language: str = "id"
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def annotated_text(self) -> str:
        return annotated_text(self.title, self.text)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
