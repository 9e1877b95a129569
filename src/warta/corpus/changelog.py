"""``CHANGELOG.md`` of a release: the new entry on top, earlier entries kept below.

The entry is made from facts: counts for a first release, or the :mod:`warta.corpus.diff` of the
previous release (``--changelog-from``) for a later one. No dates, so rebuilds are byte-identical.
"""

from __future__ import annotations

from typing import Any

HEADER = "# Changelog\n\nAll changes to the warta dataset releases. Versions follow semver: major = schema change, minor = new articles or labels, patch = corrections.\n"


def entry(version: str, counts: dict[str, dict[str, int]], diff: dict[str, Any] | None, hidden: list[str]) -> str:
    lines = [f"## {version}", ""]
    if diff is None:
        lines.append("- First release.")
    else:
        why = {"major": "schema change", "minor": "new articles or labels", "patch": "corrections"}
        need = diff.get("bump")
        lines.append(f"- Changes since {diff['old_version']}" + (f" (a {need} release: {why[need]})" if need else "") + ":")
        lines.append(f"  - articles added: {len(diff['added'])}" + (f" ({', '.join(diff['added'])})" if diff["added"] else ""))
        lines.append(f"  - articles removed: {len(diff['removed'])}" + (f" ({', '.join(diff['removed'])})" if diff["removed"] else ""))
        lines.append(f"  - articles changed: {len(diff['changed'])}")
        for change in diff["changed"]:
            lines.append(f"    - {change['id']}: {', '.join(change['fields'])}")
        for config, change in sorted(diff["labels"].items()):
            parts = [f"{k} {len(v)}" for k, v in (("added", change["added"]), ("removed", change["removed"]), ("changed", change["changed"]))]
            lines.append(f"  - `{config}` rows: {', '.join(parts)}")
        if diff.get("schema_changed"):
            lines.append("  - the schema (columns or label sets) changed")
    for config in sorted(counts):
        per_split = ", ".join(f"{split} {n}" for split, n in counts[config].items())
        lines.append(f"- `{config}`: {per_split}")
    if hidden:
        lines.append(f"- Labels of split(s) {', '.join(hidden)} are withheld from this public release.")
    return "\n".join(lines) + "\n"


def render(version: str, counts: dict[str, dict[str, int]], diff: dict[str, Any] | None, hidden: list[str], previous: str | None) -> str:
    """The full file: header, the new entry, then the previous changelog's entries (if any)."""
    older = ""
    if previous:
        marker = previous.find("\n## ")
        older = previous[marker + 1 :] if marker >= 0 else ""
    text = f"{HEADER}\n{entry(version, counts, diff, hidden)}"
    if older:
        text += "\n" + older.rstrip("\n") + "\n"
    return text
