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

from warta.errors import InputError
from warta.inputs import check_text, read_yaml

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
    data = read_yaml(source, error=InputError) or {}
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
        for key, value in item.items():
            if value is not None and not isinstance(value, str):
                raise InputError(f"{where}: {key} must be a string or null, got {type(value).__name__}")
            if isinstance(value, str):
                check_text(value, f"{where}: {key}")
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
