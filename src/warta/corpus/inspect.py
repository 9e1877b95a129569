"""Why each line of a raw file was kept, removed or read as metadata (``warta corpus inspect``).

A thin view over :func:`warta.corpus.clean.clean`: the same decisions the build makes, one row per
raw line, as plain dicts (for ``--json``) or a rich table for an editor.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from warta.corpus.clean import Cleaned, clean
from warta.corpus.readers import read_file
from warta.corpus.settings import CorpusSettings, load_settings
from warta.errors import InputError

if TYPE_CHECKING:
    from rich.console import RenderableType


@dataclass
class InspectedArticle:
    id: str
    source_file: str
    source_line: int | None
    cleaned: Cleaned

    def rows(self) -> list[dict[str, Any]]:
        rows = []
        for d in self.cleaned.decisions:
            row: dict[str, Any] = {
                "line": d.line.number,
                "start": d.line.start,
                "end": d.line.end,
                "status": d.kind,
                "label": d.label,
                "text": d.line.text,
            }
            if d.value is not None and d.value != d.line.text.strip():
                row["value"] = d.value
            if d.dateline_end is not None:
                row["dateline_prefix"] = d.line.text[: d.dateline_end - d.line.start]
            rows.append(row)
        return rows

    def to_dict(self) -> dict[str, Any]:
        c = self.cleaned
        return {
            "id": self.id,
            "source_file": self.source_file,
            "source_line": self.source_line,
            "title": c.title,
            "author": c.author,
            "published": c.published,
            "dateline": c.dateline,
            "section": c.section,
            "outlet": c.outlet,
            "captions": c.captions,
            "text": c.text,
            "lines": self.rows(),
        }


def inspect_file(path: Path, settings: CorpusSettings | None = None) -> list[InspectedArticle]:
    """Clean every article of one raw file (one for .txt/.html, one per line for .jsonl)."""
    settings = settings or load_settings(None)
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: file not found", hint="pass one raw file (.txt, .jsonl, .html)")
    result = []
    for doc in read_file(path, path.name):
        cleaned = clean(doc.raw, title=doc.title, outlet=doc.outlet, timezone=settings.timezone)
        result.append(InspectedArticle(doc.id, doc.source_file, doc.source_line, cleaned))
    return result


_STYLE = {"kept": "green", "removed": "red", "metadata": "cyan"}
EMPTY_LINE = "∅"
NBSP = "⍽"
#: What the glyphs of the text column stand for, printed under a table that uses them.
LEGEND = f"{EMPTY_LINE} an empty line   {NBSP} a no-break space (U+00A0)"
_FIELDS = ("title", "author", "published", "dateline", "section", "outlet")


def render(article: InspectedArticle) -> list[RenderableType]:
    """A heading (the metadata found, and which fields were not), one table row per line (number,
    status, reason or field, the line itself), and a legend of the glyphs the table uses."""
    from rich.table import Table
    from rich.text import Text

    c = article.cleaned
    where = article.source_file + (f":{article.source_line}" if article.source_line else "")
    head = Text.assemble((f"{where}", "bold"), f"  id {article.id}")
    missing = []
    for name in _FIELDS:
        value = getattr(c, name)
        if value is None:
            missing.append(name)
        else:
            head.append_text(Text.assemble("\n", (f"{name}: ", "dim"), str(value)))
    if c.outlet is not None and c.outlet_evidence:
        head.append_text(Text.assemble(("  (inferred from: ", "dim"), c.outlet_evidence, (")", "dim")))
    if missing:
        head.append_text(Text.assemble("\n", ("not found: ", "dim"), ", ".join(missing)))
    table = Table(show_lines=False, expand=True)
    table.add_column("line", justify="right", style="dim", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("why", overflow="fold", max_width=36)
    table.add_column("text", overflow="fold", ratio=1)
    glyphs: set[str] = set()
    for row in article.rows():
        status = row["status"]
        shown = row["text"].replace("\xa0", NBSP) if row["text"].strip() != row["text"] or "\xa0" in row["text"] else row["text"]
        glyphs |= {g for g in (EMPTY_LINE, NBSP) if (g == EMPTY_LINE and not shown) or g in shown}
        text = Text(shown or EMPTY_LINE, style="dim" if status == "removed" else "")
        if "dateline_prefix" in row:
            prefix = row["dateline_prefix"]
            text = Text.assemble((prefix, "cyan"), shown[len(prefix) :])
        why = row["label"] + (" + dateline" if "dateline_prefix" in row else "")
        if status == "metadata" and "value" in row:
            why += f" = {row['value']}"
        table.add_row(str(row["line"]), Text(status, style=_STYLE[status]), Text(why), text)
    parts: list[RenderableType] = [head, table]
    if glyphs:
        parts.append(Text(LEGEND, style="dim"))
    return parts
