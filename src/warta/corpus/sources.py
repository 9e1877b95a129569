"""What is known about where each raw article comes from (``corpus/sources.yaml``).

Scrapes often do not record the outlet. What an editor can tell from the text (byline style, editor
initials, a translated headline, a spam footer) is written down per article id with how certain it
is, and the dataset card reports it as such. Loading is strict: unknown keys are errors.

Format::

    e868b1205f427ac5:
      outlet: Medcom.id           # or null when unknown
      certainty: inferred         # recorded | inferred | unknown
      evidence: "byline style ..."
      notes: "..."                # optional
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from warta.errors import InputError

CERTAINTIES = ("recorded", "inferred", "unknown")
_KEYS = {"outlet", "certainty", "evidence", "notes", "translated_from", "original_outlet"}


@dataclass(frozen=True)
class SourceNote:
    article_id: str
    outlet: str | None
    certainty: str
    evidence: str | None = None
    notes: str | None = None
    translated_from: str | None = None
    original_outlet: str | None = None


def load_source_notes(path: str | Path) -> dict[str, SourceNote]:
    source = Path(path)
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise InputError(f"{source}: no such source notes file") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{source}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise InputError(f"{source}: expected a mapping of article id -> note")
    notes: dict[str, SourceNote] = {}
    for article_id, item in data.items():
        where = f"{source}: {article_id}"
        if not isinstance(item, dict):
            raise InputError(f"{where}: expected a mapping")
        unknown = sorted(set(item) - _KEYS)
        if unknown:
            raise InputError(f"{where}: unknown key(s) {', '.join(unknown)}", hint=f"allowed: {', '.join(sorted(_KEYS))}")
        certainty = item.get("certainty", "unknown")
        if certainty not in CERTAINTIES:
            raise InputError(f"{where}: certainty {certainty!r} is not one of {', '.join(CERTAINTIES)}")
        notes[str(article_id)] = SourceNote(
            article_id=str(article_id),
            outlet=item.get("outlet"),
            certainty=certainty,
            evidence=item.get("evidence"),
            notes=item.get("notes"),
            translated_from=item.get("translated_from"),
            original_outlet=item.get("original_outlet"),
        )
    return notes
