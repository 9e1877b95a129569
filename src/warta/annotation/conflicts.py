"""The conflicts report of an adjudication: JSON for scripts, Markdown for the curator.

JSON layout (``conflicts_to_dict``)::

    {
      "format": "warta.conflicts.v1",
      "min_votes": 2,
      "articles": {"adjudicated": ["<article_id>", ...], "blocked": ["<article_id>", ...]},
      "conflicts": [{
        "article_id": "...", "task_ids": [12], "kind": "entity", "status": "unresolved",
        "reason": "tie: 1 of 2 annotators",
        "item": {"start": 0, "end": 5, "text": "Rusia"},
        "annotators": ["ann-1", "ann-2"],
        "options": [{"choice": {"start": 0, "end": 5, "label": "GPE", "text": "Rusia"},
                     "annotators": ["ann-1"], "votes": 1},
                    {"choice": null, "annotators": ["ann-2"], "votes": 1}]
      }]
    }

``status`` ``unresolved`` blocks the article's gold; ``majority`` was decided by a non-unanimous
majority and is listed for review. A ``choice`` of ``null`` means "nothing" (no entity there, no
stance given).
"""

from __future__ import annotations

from typing import Any

from warta.annotation.adjudicate import UNRESOLVED, Adjudication, Conflict, Option

FORMAT = "warta.conflicts.v1"


def conflicts_to_dict(result: Adjudication) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "min_votes": result.min_votes,
        "articles": {
            "adjudicated": [doc.article_id for doc in result.gold],
            "blocked": result.blocked,
        },
        "conflicts": [c.to_dict() for c in result.conflicts],
    }


def _choice(option: Option) -> str:
    choice = option.choice
    if choice is None:
        return "(nothing)"
    if isinstance(choice, dict) and "label" in choice:
        return f"`{choice['text']}` [{choice['start']}, {choice['end']}) {choice['label']}"
    if isinstance(choice, dict) and "inconsistent" in choice:
        return "inconsistent: " + "; ".join(
            f"{name} gave {', '.join(labels)}" for name, labels in choice["inconsistent"].items()
        )
    if isinstance(choice, dict) and "annotation_id" in choice:
        return f"annotation {choice['annotation_id']}"
    return str(choice)


def _item(conflict: Conflict) -> str:
    item = conflict.item
    if conflict.kind == "entity":
        return f"entity at [{item['start']}, {item['end']}) `{item['text']}`"
    if conflict.kind == "actor_stance":
        return f"stance of actor `{item['actor']}` on {item['target']}"
    if conflict.kind == "document_stance":
        return f"document stance on {item['target']}"
    if conflict.kind == "ground_truth":
        return "ground-truth annotations"
    return "annotations"


def conflicts_text(conflicts: list[Conflict], *, limit: int = 40) -> str:
    """The short plain-text panel of a review task: what is undecided, the options and who chose each.

    Only ``unresolved`` conflicts (what the curator must decide), one line per option; more than
    ``limit`` conflicts are cut with a count of the rest, so a task stays readable.
    """
    unresolved = [c for c in conflicts if c.status == UNRESOLVED]
    lines: list[str] = []
    for number, conflict in enumerate(unresolved[:limit], start=1):
        lines.append(f"{number}. {_item(conflict).replace('`', '')}: {conflict.reason}")
        for option in conflict.options:
            lines.append(f"   - {_choice(option).replace('`', '')}: {', '.join(option.annotators) or '-'}")
    if len(unresolved) > limit:
        lines.append(f"... and {len(unresolved) - limit} more (see the conflicts report)")
    return "\n".join(lines) if lines else "No unresolved conflicts."


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def conflicts_markdown(result: Adjudication) -> str:
    """A readable report: per article, what is undecided, the options and who chose each."""
    lines = ["# Adjudication conflicts", ""]
    unresolved = result.unresolved
    lines.append(
        f"{len(result.gold)} article(s) adjudicated, {len(result.blocked)} blocked by "
        f"{len(unresolved)} unresolved conflict(s); {len(result.conflicts) - len(unresolved)} "
        f"decision(s) by a non-unanimous majority listed for review. --min-votes {result.min_votes}."
    )
    lines.append("")
    lines.append(
        "To settle a conflict, open the task in Label Studio, correct one annotation (or create your own), "
        "mark it as ground truth, then run `warta annotate pull` and `warta annotate adjudicate` again."
    )
    by_article: dict[str, list[Conflict]] = {}
    for conflict in result.conflicts:
        by_article.setdefault(conflict.article_id, []).append(conflict)
    for article_id, conflicts in by_article.items():
        tasks = ", ".join(str(t) for t in conflicts[0].task_ids)
        state = "blocked" if any(c.status == UNRESOLVED for c in conflicts) else "adjudicated"
        lines += ["", f"## Article {article_id} (task {tasks}; {state})", ""]
        lines.append(f"Annotators: {', '.join(conflicts[0].annotators)}")
        lines += ["", "| status | item | reason | options (who chose them) |", "|---|---|---|---|"]
        for conflict in conflicts:
            options = (
                "<br>".join(
                    f"{_choice(o)}: {', '.join(o.annotators) or '-'}" for o in conflict.options
                )
                or "-"
            )
            lines.append(
                f"| {conflict.status} | {_cell(_item(conflict))} | {_cell(conflict.reason)} | {_cell(options)} |"
            )
    if not result.conflicts:
        lines += ["", "No conflicts."]
    return "\n".join(lines) + "\n"
