"""Dates as Indonesian outlets write them, turned into ISO 8601.

Handles ``12 Januari 2022 13:16``, ``Rabu, 12 Jan 2022 13:16 WIB``, ``Rabu, 12/01/2022 13:16 WITA``,
``Senin, 21 Agustus 2023 | 09:45 WIB``,
``2022-01-12 13:16`` and ISO strings; Indonesian and English month and day names. A time without
a zone is read in the default zone (WIB, +07:00); WITA is +08:00 and WIT +09:00. A date without a
time is returned as a date (``2022-01-12``): no time is invented.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from warta.corpus.settings import TIMEZONES

MONTHS: dict[str, int] = {
    "januari": 1, "january": 1, "jan": 1,
    "februari": 2, "pebruari": 2, "february": 2, "feb": 2, "peb": 2,
    "maret": 3, "march": 3, "mar": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "june": 6, "jun": 6,
    "juli": 7, "july": 7, "jul": 7,
    "agustus": 8, "august": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11,
    "desember": 12, "december": 12, "des": 12, "dec": 12,
}  # fmt: skip
DAYS = (
    "senin", "selasa", "rabu", "kamis", "jumat", "jum'at", "sabtu", "minggu", "ahad",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
)  # fmt: skip

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY = "|".join(sorted((re.escape(d) for d in DAYS), key=len, reverse=True))
_ZONE = "|".join(sorted(TIMEZONES, key=len, reverse=True))
_TIME = (
    r"(?:(?:[,\s]+|\s*\|\s*)(?:pukul\s+|jam\s+|at\s+)?(?P<H>\d{1,2})[:.](?P<M>\d{2})(?:[:.](?P<S>\d{2}))?"
    rf"(?:\s*(?P<tz>{_ZONE})\b)?)?"
)
_WEEKDAY = rf"(?:(?:{_DAY}),?\s+)?"
_TEXTUAL = rf"{_WEEKDAY}(?P<d>\d{{1,2}})\s+(?P<mon>{_MONTH})\.?,?\s+(?P<y>\d{{4}})"
_NUMERIC = rf"{_WEEKDAY}(?P<d>\d{{1,2}})[/.-](?P<m>\d{{1,2}})[/.-](?P<y>\d{{4}})"
_ISO_LIKE = r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"

_PATTERNS = tuple(
    re.compile(rf"(?<!\w){body}{_TIME}", re.IGNORECASE) for body in (_TEXTUAL, _NUMERIC, _ISO_LIKE)
)
_DATE_ONLY = re.compile(rf"(?<!\w)(?:{_TEXTUAL})(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class FoundDate:
    start: int
    end: int
    iso: str
    day: date


def _from_match(match: re.Match[str], default_tz: str) -> FoundDate | None:
    groups = match.groupdict()
    month = MONTHS[groups["mon"].lower()] if groups.get("mon") else int(groups["m"])
    try:
        day = date(int(groups["y"]), month, int(groups["d"]))
    except ValueError:
        return None
    if groups.get("H") is None:
        return FoundDate(match.start(), match.end(), day.isoformat(), day)
    zone = (groups.get("tz") or default_tz).upper()
    try:
        moment = datetime(
            day.year, day.month, day.day, int(groups["H"]), int(groups["M"]), int(groups.get("S") or 0),
            tzinfo=timezone(timedelta(hours=TIMEZONES[zone])),
        )  # fmt: skip
    except ValueError:
        return None
    return FoundDate(match.start(), match.end(), moment.isoformat(), day)


def find_date(text: str, default_tz: str = "WIB") -> FoundDate | None:
    """The first valid date (with its time, if written next to it) anywhere in ``text``."""
    best: FoundDate | None = None
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            found = _from_match(match, default_tz)
            if found is not None:
                if best is None or found.start < best.start:
                    best = found
                break
    return best


def parse_datetime(text: str, default_tz: str = "WIB") -> str | None:
    """ISO 8601 for a string that is a date and nothing else (ignoring a weekday and a zone)."""
    value = text.strip()
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        pass
    else:
        if "T" not in value and " " not in value and len(value) <= 10:
            return moment.date().isoformat()
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone(timedelta(hours=TIMEZONES[default_tz])))
        return moment.isoformat()
    for pattern in _PATTERNS:
        match = pattern.fullmatch(value)
        if match:
            found = _from_match(match, default_tz)
            return found.iso if found else None
    return None


def first_full_date(text: str) -> date | None:
    """The first ``12 Januari 2022``-style date in running text (used to date undated articles)."""
    for match in _DATE_ONLY.finditer(text):
        found = _from_match(match, "WIB")
        if found is not None:
            return found.day
    return None
