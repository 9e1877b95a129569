"""Withholding the labels of a split (``--hide-labels test``) for a leaderboard with hidden answers.

The public release keeps every row of the hidden split, so systems can be run on it, but with the
label columns emptied: ``ner`` loses ``entities`` and ``ner_tags`` and its ``tokens`` are re-made
without entity cuts (the tokenizer cuts tokens at entity edges, which would leak the boundaries);
``stance`` keeps the actor and its mentions (the input of the task) and loses ``label``;
``summarization`` loses ``summary`` and ``references``. The full rows go to a private release
folder, marked private in its manifest, which ``warta corpus publish`` refuses to upload.
"""

from __future__ import annotations

from typing import Any

from warta.tokenize import token_spans

#: What each labeled config withholds, as stated in the card.
HIDDEN_COLUMNS = {
    "ner": ("entities", "ner_tags"),
    "stance": ("label",),
    "summarization": ("summary", "references"),
}


def hide_row(config: str, row: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``row`` with its labels removed (null or empty)."""
    out = dict(row)
    if config == "ner":
        out["entities"] = []
        out["tokens"] = [out["text"][s:e] for s, e in token_spans(out["text"])]
        out["ner_tags"] = []
    elif config == "stance":
        out["label"] = None
    elif config == "summarization":
        out["summary"] = None
        out["references"] = []
    return out


def is_hidden(config: str, row: dict[str, Any]) -> bool:
    """True when ``row`` carries no labels (what a hidden split must look like)."""
    if config == "ner":
        return not row.get("entities") and not row.get("ner_tags")
    if config == "stance":
        return row.get("label") is None
    if config == "summarization":
        return row.get("summary") is None and not row.get("references")
    return True
