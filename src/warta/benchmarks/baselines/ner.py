"""Entity-tagging baseline: the offline gazetteer tagger (:mod:`warta.tagger`) on each article."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from warta.spans import EntitySpan
from warta.tagger import GazetteerTagger


def gazetteer_predictions(
    rows: Iterable[Mapping[str, Any]], tagger: GazetteerTagger | None = None
) -> dict[str, list[EntitySpan]]:
    """``{article id: spans}`` for the ``ner`` rows, tagging each row's ``text``."""
    tagger = tagger or GazetteerTagger()
    return {str(row["id"]): tagger(row["text"]) for row in rows}
