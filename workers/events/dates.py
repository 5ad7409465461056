"""Date expressions of Indonesian news resolved against the publication date.

"Sabtu (11/11/2023)" -> 2023-11-11, "Jumat" -> the last Friday on or before publication, "pekan lalu" -> the
Monday-Sunday week before, "pada bulan Juni" -> the last June not after publication, "14 Januari" -> the last
14 January not more than a month after publication. Results are ISO 8601 dates, months, years or
"start/end" intervals; None when a relative expression has no publication date to lean on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = ["januari", "februari", "maret", "april", "mei", "juni", "juli", "agustus", "september", "oktober",
          "november", "desember"]
MONTH_ALIASES = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "agu": 8, "agt": 8, "ags": 8,
                 "sep": 9, "sept": 9, "okt": 10, "nov": 11, "des": 12, "pebruari": 2, "nopember": 11}
MONTH_NUM = {name: i + 1 for i, name in enumerate(MONTHS)} | MONTH_ALIASES
DAYS = {"senin": 0, "selasa": 1, "rabu": 2, "kamis": 3, "jumat": 4, "jum'at": 4, "sabtu": 5, "minggu": 6,
        "ahad": 6}
NUMBERS = {"satu": 1, "se": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7, "delapan": 8,
           "sembilan": 9, "sepuluh": 10}

_MONTH_RE = "|".join(sorted(MONTH_NUM, key=len, reverse=True))
_DAY_RE = "Senin|Selasa|Rabu|Kamis|Jumat|Jum'at|Sabtu|Minggu|Ahad"
# Order matters: the longer, more specific patterns claim their text first.
PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("day_numeric", re.compile(rf"\b(?:(?:{_DAY_RE})\s*,?\s*)?\(?(\d{{1,2}})/(\d{{1,2}})(?:/(\d{{2,4}}))?\)?",
                               re.IGNORECASE)),
    ("day_month", re.compile(rf"\b(\d{{1,2}})\s+({_MONTH_RE})\.?(?:\s+(\d{{4}}))?\b", re.IGNORECASE)),
    ("month", re.compile(rf"\b(?:(?:pada\s+)?bulan\s+)?({_MONTH_RE})(?:\s+(?:tahun\s+)?(\d{{4}}))?\b",
                         re.IGNORECASE)),
    ("relative", re.compile(r"\b(?:(?:akhir|awal)\s+)?(?:pekan|minggu|bulan|tahun)\s+(?:lalu|ini|depan|kemarin)\b"
                            r"|\bseminggu\s+(?:lalu|terakhir)\b|\bhari\s+ini\b|\bkemarin\b|\bbesok\b|\blusa\b",
                            re.IGNORECASE)),
    ("ago", re.compile(r"\b(\d+|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|se)\s*"
                       r"(hari|pekan|minggu|bulan|tahun)\s+(?:lalu|yang\s+lalu)\b", re.IGNORECASE)),
    ("year", re.compile(r"\b(?:pada\s+(?:tahun\s+)?|tahun\s+|sejak\s+)((?:19|20)\d\d)\b", re.IGNORECASE)),
    ("weekday", re.compile(rf"\b({_DAY_RE})\b")),
]


@dataclass(frozen=True)
class DateMention:
    text: str
    start: int
    end: int
    resolved: str | None

    def as_dict(self) -> dict[str, object]:
        return {"text": self.text, "start": self.start, "end": self.end, "resolved": self.resolved}


def _week(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def _span(a: date, b: date) -> str:
    return f"{a.isoformat()}/{b.isoformat()}"


def _month_str(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + delta
    return index // 12, index % 12 + 1


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _year(text: str | None, pub: date | None) -> int | None:
    if text:
        value = int(text)
        return value + 2000 if value < 100 else value
    return pub.year if pub else None


def _relative(phrase: str, pub: date) -> str | None:
    words = phrase.lower().split()
    unit, when = words[-2] if len(words) > 1 else words[0], words[-1]
    if phrase.lower() in ("hari ini",):
        return pub.isoformat()
    if words == ["kemarin"]:
        return (pub - timedelta(days=1)).isoformat()
    if words == ["besok"]:
        return (pub + timedelta(days=1)).isoformat()
    if words == ["lusa"]:
        return (pub + timedelta(days=2)).isoformat()
    if words[0] == "seminggu":
        return _span(pub - timedelta(days=7), pub)
    step = {"lalu": -1, "kemarin": -1, "ini": 0, "depan": 1}[when]
    if unit in ("pekan", "minggu"):
        monday, sunday = _week(pub + timedelta(weeks=step))
        if words[0] == "akhir":
            return _span(sunday - timedelta(days=1), sunday)
        if words[0] == "awal":
            return _span(monday, monday + timedelta(days=2))
        return _span(monday, sunday)
    if unit == "bulan":
        return _month_str(*_shift_month(pub.year, pub.month, step))
    return f"{pub.year + step:04d}"


def _ago(count: str, unit: str, pub: date) -> str:
    n = int(count) if count.isdigit() else NUMBERS[count.lower()]
    unit = unit.lower()
    if unit == "hari":
        return (pub - timedelta(days=n)).isoformat()
    if unit in ("pekan", "minggu"):
        return (pub - timedelta(weeks=n)).isoformat()
    if unit == "bulan":
        return _month_str(*_shift_month(pub.year, pub.month, -n))
    return f"{pub.year - n:04d}"


def _resolve(kind: str, m: re.Match[str], pub: date | None) -> str | None:
    if kind == "day_numeric":
        year = _year(m.group(3), pub)
        found = _safe_date(year, int(m.group(2)), int(m.group(1))) if year else None
        if found and pub and not m.group(3) and found > pub + timedelta(days=31):
            found = _safe_date(found.year - 1, found.month, found.day)
        return found.isoformat() if found else None
    if kind == "day_month":
        year = _year(m.group(3), pub)
        found = _safe_date(year, MONTH_NUM[m.group(2).lower()], int(m.group(1))) if year else None
        if found and pub and not m.group(3) and found > pub + timedelta(days=31):
            found = _safe_date(found.year - 1, found.month, found.day)
        return found.isoformat() if found else None
    if kind == "month":
        month = MONTH_NUM[m.group(1).lower()]
        if m.group(2):
            return _month_str(int(m.group(2)), month)
        if pub is None:
            return None
        return _month_str(pub.year if month <= pub.month else pub.year - 1, month)
    if kind == "year":
        return m.group(1)
    if pub is None:
        return None
    if kind == "relative":
        return _relative(" ".join(m.group(0).split()), pub)
    if kind == "ago":
        return _ago(m.group(1), m.group(2), pub)
    back = (pub.weekday() - DAYS[m.group(1).lower()]) % 7  # news reports the past: the last such day
    return (pub - timedelta(days=back)).isoformat()


def find_dates(text: str, offset: int, published: date | None) -> list[DateMention]:
    """Date mentions in a piece of text starting at document offset `offset`, in text order."""
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    for kind, pattern in PATTERNS:
        for m in pattern.finditer(text):
            start, end = m.span()
            if any(start < b and a < end for a, b in taken):
                continue
            if kind == "month" and not m.group(0).lower().startswith(("bulan", "pada")) and not m.group(2):
                continue  # a bare month word ("Mei") is too often something else
            if kind == "weekday" and re.match(r"\s*(lalu|depan|ini)\b", text[end:end + 8], re.IGNORECASE):
                continue  # "Minggu lalu" is a week, handled as relative
            if kind == "day_numeric" and not ("(" in m.group(0) or m.group(3)):
                continue  # "3/4" alone is a fraction more often than a date
            taken.append((start, end))
            found.append(DateMention(m.group(0), offset + start, offset + end, _resolve(kind, m, published)))
    return sorted(found, key=lambda d: d.start)
