"""The offline entity tagger: a gazetteer plus capitalisation rules for Indonesian news.

It is shared by two stages: the annotation stage uses it for Label Studio pre-annotations, the
benchmarks stage enters it as the ``ner`` baseline. It needs no model download, is deterministic
(same text, same spans) and tags a news article in well under a millisecond per kilobyte.

What it knows lives in a plain data file (``warta/data/gazetteer.tsv``), not in code: surface forms
of countries, cities, regions, organisations and public figures, the titles that precede a person's
name, and the Indonesian month and day names. The rules, applied in this order:

1. candidates from three sources, resolved longest-first (then by source order, then position):
   dates (``12 Januari 2022``, ``Rabu, 12 Januari 2022 13:16``, ``Januari``, ``Senin``), exact
   gazetteer matches on word boundaries (a hyphen is a boundary, so ``NATO-Rusia`` gives ``NATO``
   and ``Rusia``), and organisation / location heads followed by capitalised words
   (``Kementerian Pertahanan Jepang``, ``Laut Azov``);
2. a person after a title: ``Wakil Menteri Luar Negeri Rusia Alexander Grushko`` skips the title,
   the office words and the known entity ``Rusia``, and takes the capitalised run after it;
3. an all-caps acronym in parentheses right after an entity gets that entity's label
   (``Dewan NATO-Rusia (NRC)``), and so do its other mentions;
4. the surname of a person found by rule 2 is a person wherever else it stands (``Sherman``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from warta.errors import InputError
from warta.spans import EntitySpan

#: Changes whenever the rules or the gazetteer change, so pre-annotations and scores say which
#: tagger made them.
MODEL_VERSION = "warta-gazetteer-1"

GAZETTEER_PATH = Path(__file__).with_name("data") / "gazetteer.tsv"

KINDS = ("entity", "title", "skip", "org_head", "loc_head", "month", "day", "stop")
LABELS = ("PER", "ORG", "GPE", "LOC", "DATE")

_WORD = re.compile(r"\w+(?:[-'’.]\w+)*")
_ACRONYM = re.compile(r"\(\s*([A-Z][A-Z0-9&-]{1,9})\s*\)")
#: After a title, these may stand between the title and the name (besides skip words and entities).
_GAP = re.compile(r"[ \t]*,?[ \t]+|[ \t]*,[ \t]*")
_WEEK_WORDS = {"ini", "lalu", "depan", "kemarin", "pertama", "kedua", "terakhir"}
_MAX_NAME_WORDS = 4
_MAX_SKIPS = 8


@dataclass(frozen=True)
class Gazetteer:
    """The tagger's knowledge, as read from ``gazetteer.tsv``."""

    entities: dict[str, str]
    titles: tuple[str, ...]
    skip: frozenset[str]
    org_heads: tuple[str, ...]
    loc_heads: tuple[str, ...]
    months: tuple[str, ...]
    days: tuple[str, ...]
    stop: frozenset[str]


def load_gazetteer(path: str | Path | None = None) -> Gazetteer:
    """Parse a gazetteer file strictly: an unknown kind, label or a conflicting entry names its line."""
    source = Path(path) if path is not None else GAZETTEER_PATH
    from warta.inputs import read_text

    lines = read_text(source, what="gazetteer file").splitlines()
    entities: dict[str, str] = {}
    lists: dict[str, list[str]] = {kind: [] for kind in KINDS if kind != "entity"}
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = line.split("\t")
        kind = fields[0]
        where = f"{source}:{number}"
        if kind not in KINDS:
            raise InputError(f"{where}: unknown kind {kind!r} (expected one of {', '.join(KINDS)})")
        if kind == "entity":
            if len(fields) != 3 or not fields[1].strip():
                raise InputError(f"{where}: an entity line is 'entity<TAB>text<TAB>label'")
            text, label = fields[1], fields[2]
            if label not in LABELS:
                raise InputError(f"{where}: label {label!r} is not one of {', '.join(LABELS)}")
            if entities.get(text, label) != label:
                raise InputError(f"{where}: {text!r} is already listed as {entities[text]}")
            entities[text] = label
        else:
            if len(fields) not in (2, 3) or not fields[1].strip() or (len(fields) == 3 and fields[2]):
                raise InputError(f"{where}: a {kind} line is '{kind}<TAB>text'")
            lists[kind].append(fields[1])
    return Gazetteer(
        entities=entities,
        titles=tuple(lists["title"]),
        skip=frozenset(lists["skip"]),
        org_heads=tuple(lists["org_head"]),
        loc_heads=tuple(lists["loc_head"]),
        months=tuple(lists["month"]),
        days=tuple(lists["day"]),
        stop=frozenset(lists["stop"]),
    )


def _alternation(words: list[str] | tuple[str, ...]) -> str:
    """Regex alternation, longest first so the longest surface form wins at a given position."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _bounded(pattern: str) -> str:
    return rf"(?<!\w)(?:{pattern})(?!\w)"


class GazetteerTagger:
    """``tagger(text) -> list[EntitySpan]``, sorted by position, never overlapping."""

    model_version: str = MODEL_VERSION

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self.gazetteer = gazetteer if gazetteer is not None else _default_gazetteer()
        g = self.gazetteer
        full_months = [m for m in g.months if len(m) > 3]
        time = r"(?:,?\s+(?:pukul\s+)?\d{1,2}[:.]\d{2}(?:\s+(?:WIB|WITA|WIT))?)?"
        dates: list[str] = []
        if g.months:
            day = rf"(?:(?:{_alternation(g.days)}),?\s+)?" if g.days else ""
            dates.append(rf"{day}\d{{1,2}}\s+(?:{_alternation(g.months)})(?:\s+\d{{4}})?{time}")
        if full_months:
            dates.append(rf"(?:{_alternation(full_months)})(?:\s+\d{{4}})?")
        if g.days:
            dates.append(_alternation(g.days))
        self._date = re.compile(_bounded("|".join(dates))) if dates else None
        self._entity = re.compile(_bounded(_alternation(list(g.entities)))) if g.entities else None
        capitalised = r"[A-Z][\w'’]*(?:-[\w'’]+)*"
        heads = [(re.compile(_bounded(rf"(?:{_alternation(words)})(?:[ \t]+{capitalised})+")), label)
                 for words, label in ((g.org_heads, "ORG"), (g.loc_heads, "LOC")) if words]
        self._heads = heads
        self._title = re.compile(_bounded(_alternation(g.titles)), re.IGNORECASE) if g.titles else None
        self._not_name = set(g.stop) | set(g.months) | set(g.days) | set(g.entities) | set(g.skip)

    def __call__(self, text: str) -> list[EntitySpan]:
        taken = bytearray(len(text))
        spans: list[EntitySpan] = []

        def free(start: int, end: int) -> bool:
            return not any(taken[start:end])

        def accept(start: int, end: int, label: str) -> None:
            taken[start:end] = b"\x01" * (end - start)
            spans.append(EntitySpan(start, end, label))

        # 1. candidates from dates, the gazetteer and head rules, longest first
        candidates: list[tuple[int, int, int, str]] = []  # (start, end, source, label)
        for m in self._date.finditer(text) if self._date is not None else ():
            if m.group() == "Minggu" and _next_word(text, m.end()) in _WEEK_WORDS:
                continue  # "Minggu ini": this week, not Sunday
            candidates.append((m.start(), m.end(), 0, "DATE"))
        if self._entity is not None:
            for m in self._entity.finditer(text):
                candidates.append((m.start(), m.end(), 1, self.gazetteer.entities[m.group()]))
        for pattern, label in self._heads:
            for m in pattern.finditer(text):
                candidates.append((m.start(), m.end(), 2, label))
        for start, end, _, label in sorted(candidates, key=lambda c: (c[0] - c[1], c[2], c[0])):
            if free(start, end):
                accept(start, end, label)

        # 2. a person's name after a title
        found_people: list[str] = []
        if self._title is not None:
            by_start = {s.start: s for s in spans}
            for m in self._title.finditer(text):
                if not free(m.start(), m.end()):
                    continue
                name = self._name_after(text, m.end(), by_start, free)
                if name is not None:
                    accept(name[0], name[1], "PER")
                    found_people.append(text[name[0] : name[1]])

        # 3. acronyms in parentheses after an entity, and their other mentions
        acronyms: dict[str, str] = {}
        ends = {s.end: s for s in spans}
        for m in _ACRONYM.finditer(text):
            before = m.start()
            while before > 0 and text[before - 1] in " \t":
                before -= 1
            entity = ends.get(before)
            if entity is not None and entity.label != "DATE" and free(m.start(1), m.end(1)):
                accept(m.start(1), m.end(1), entity.label)
                acronyms.setdefault(m.group(1), entity.label)
        # 4. surnames of people found by rule 2
        names = dict(acronyms)
        for person in found_people:
            surname = person.split()[-1]
            if len(surname) >= 3 and surname not in self._not_name:
                names.setdefault(surname, "PER")
        if names:
            pattern = re.compile(_bounded(_alternation(list(names))))
            for m in pattern.finditer(text):
                if free(m.start(), m.end()):
                    accept(m.start(), m.end(), names[m.group()])

        return sorted(spans)

    def _name_after(
        self,
        text: str,
        position: int,
        by_start: dict[int, EntitySpan],
        free: Callable[[int, int], bool],
    ) -> tuple[int, int] | None:
        """``(start, end)`` of the capitalised run that names the person after a title, if any."""
        skips = 0
        while skips <= _MAX_SKIPS:
            gap = _GAP.match(text, position)
            if gap is None:
                return None
            position = gap.end()
            entity = by_start.get(position)
            if entity is not None:
                if entity.label in ("GPE", "ORG", "LOC"):
                    position = entity.end
                    skips += 1
                    continue
                return None  # a known person or a date follows: nothing to add
            word = _WORD.match(text, position)
            if word is None:
                return None
            if word.group() in self.gazetteer.skip:
                position = word.end()
                skips += 1
                continue
            break
        else:
            return None
        start = end = position
        count = 0
        while count < _MAX_NAME_WORDS:
            word = _WORD.match(text, position)
            if word is None:
                break
            token = word.group()
            if not token[0].isupper() or token in self._not_name or not free(word.start(), word.end()):
                break
            end = word.end()
            count += 1
            if end >= len(text) or text[end] != " ":
                break
            position = end + 1
        return (start, end) if count else None


def _next_word(text: str, position: int) -> str:
    match = _WORD.search(text, position, min(len(text), position + 40))
    return match.group().lower() if match else ""


@lru_cache(maxsize=1)
def _default_gazetteer() -> Gazetteer:
    return load_gazetteer()
