"""Dates as newsletters write them, and the year a yearless date belongs to.

Publishers write dates every way: ``30 September 2024``, ``September 30, 2024``, ``30 Oct. 2024``,
``Sept. 6``, ``August 15th``, ``the 1st of October``, ``2024-09-30``, ``2024年9月30日``, or a month
alone (``in July``). :func:`find_dates` finds them all in one pass of a few compiled patterns: a
general date library was measured at about 40 ms per paragraph and read ``Sept`` as the 30th, far
from the thousand items a second extraction must keep up.

A date printed without a year takes it from a *reference date* (the issue's own date, else the
dates the text prints with years, else a date in the file name). Where nothing gives a year the
date stays unresolved and the record says so, rather than guessing.

Example:
    >>> [(d.year, d.month, d.day) for d in find_dates("On 30 Oct. 2024 the CAC acted; by Sept. 6 it had")]
    [(2024, 10, 30), (None, 9, 6)]

"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "MONTHS",
    "DateMention",
    "as_date",
    "find_dates",
    "opening_date",
    "reference_from",
    "safe_date",
    "years_in_name",
]

_MONTH_NAMES = (
    ("january", "jan"),
    ("february", "feb"),
    ("march", "mar"),
    ("april", "apr"),
    ("may",),
    ("june", "jun"),
    ("july", "jul"),
    ("august", "aug"),
    ("september", "sept", "sep"),
    ("october", "oct"),
    ("november", "nov"),
    ("december", "dec"),
)
#: Month names and abbreviations, lower case, to the month number.
MONTHS: dict[str, int] = {name: number for number, names in enumerate(_MONTH_NAMES, 1) for name in names}

# Full names in any case; abbreviations only capitalised and followed by a dot or a number, so the
# verbs "mar" and "may" or the word "Dec" in a name do not read as months.
_FULL = "|".join(names[0].capitalize() for names in _MONTH_NAMES)
_ABBR = "|".join(sorted({a.capitalize() for names in _MONTH_NAMES for a in names[1:]}, key=len, reverse=True))
_MONTH = rf"(?P<month>(?:{_FULL})\b|(?:{_ABBR})(?:\.|\b(?=\s*\d)))"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"

_PATTERNS = [
    # 2024-09-30, 2024/9/30, 2024.09.30
    re.compile(
        r"(?<![\d.])(?P<year>(?:19|20)\d\d)[-/.](?P<m>1[0-2]|0?[1-9])[-/.](?P<day>3[01]|[12]\d|0?[1-9])(?![\d])"
    ),
    # 2024年9月30日, 9月30日, 2024年9月
    re.compile(
        r"(?:(?P<year>(?:19|20)\d\d)\s*年\s*)?(?P<m>1[0-2]|0?[1-9])\s*月(?:\s*(?P<day>3[01]|[12]\d|0?[1-9])\s*[日号])?"
    ),
    # September 30, 2024 / Sept. 6 / August 15th
    re.compile(rf"\b{_MONTH}\s*(?<!\w){_DAY}(?![\d:])(?:,?\s+{_YEAR})?(?!\d)"),
    # 30 September 2024 / 30 Oct. 2024 / 1 Oct. / the 1st of October
    re.compile(rf"(?<![\w.,-]){_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?(?!\d)"),
    # in July 2023 / in early March / September 2023
    re.compile(rf"\b(?:[Ii]n\s+(?:early\s+|late\s+|mid-?)?)?{_MONTH}(?:\s+(?:of\s+)?{_YEAR})(?!\d)"),
    re.compile(rf"\b[Ii]n\s+(?:early\s+|late\s+|mid-?)?(?P<month>{_FULL})\b(?!\s+\d)"),
]


_GATES: list[re.Pattern[str] | None] = [
    re.compile(r"(?:19|20)\d\d[-/.]"),
    re.compile("月"),
    *[re.compile(rf"\b(?:{_FULL}|{_ABBR})\b")] * 4,
]


@dataclass(frozen=True)
class DateMention:
    """A date written in text; ``year`` and ``day`` may be missing."""

    start: int
    end: int
    month: int
    day: int | None
    year: int | None

    def resolve(self, reference: dt.date | None, *, future: bool = False) -> str | None:
        """``YYYY-MM-DD`` (or ``YYYY-MM``), taking a missing year from ``reference``.

        Events are reported after they happen, so a yearless date falls on or before the
        reference (give or take a month); an effective date (``future``) falls on or after it.
        None when the year is missing and there is no reference, or the date does not exist.

        >>> DateMention(0, 0, 12, 28, None).resolve(dt.date(2023, 1, 10))
        '2022-12-28'
        """
        year = self.year
        if year is None:
            if reference is None:
                return None
            year = reference.year
            candidate = safe_date(year, self.month, self.day or 1)
            if candidate is None:
                return None
            if not future and candidate > reference + dt.timedelta(days=31):
                year -= 1
            elif future and candidate < reference - dt.timedelta(days=31):
                year += 1
        if safe_date(year, self.month, self.day or 1) is None:
            return None
        return f"{year:04d}-{self.month:02d}" + (f"-{self.day:02d}" if self.day else "")


def safe_date(year: int, month: int, day: int) -> dt.date | None:
    """The date, or None when it does not exist (30 February)."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def as_date(text: str | None) -> dt.date | None:
    """``YYYY-MM-DD`` or ``YYYY-MM`` (the first of the month) as a date."""
    if not text:
        return None
    return dt.date.fromisoformat(text if len(text) == 10 else text + "-01")


def find_dates(text: str) -> list[DateMention]:
    """Every date written in ``text``, in order; overlapping readings keep the earliest pattern's.

    >>> [(d.month, d.day) for d in find_dates("the 1st of October and August 15th, then in early March")]
    [(10, 1), (8, 15), (3, None)]
    """
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    # Each form is looked for only where the text could hold it: most paragraphs name few dates.
    patterns = [
        pattern
        for pattern, gate in zip(_PATTERNS, _GATES, strict=True)
        if gate is None or gate.search(text) is not None
    ]
    for pattern in patterns:
        for m in pattern.finditer(text):
            start, end = m.span()
            if any(s < end and start < e for s, e in taken):
                continue
            groups = m.groupdict()
            month = int(groups["m"]) if groups.get("m") else MONTHS[groups["month"].rstrip(".").lower()]
            day = int(groups["day"]) if groups.get("day") else None
            if day is not None and not 1 <= day <= 31:
                continue
            year = int(groups["year"]) if groups.get("year") else None
            found.append(DateMention(start, end, month, day, year))
            taken.append((start, end))
    return sorted(found, key=lambda d: d.start)


# "On 30 September 2024, …", "30 September 2024 – …", "Sept. 6: …", "July 21, Cyberspace …": a
# paragraph that opens with the date of what it reports. "1 to 4 May is a holiday" does not.
_OPENING = re.compile(r"^\W{0,3}(?:(?:On|As of|Since|From|Starting|Effective)\s+)?(?:the\s+)?")
# What may follow an opening date: a comma (Chinese too), a dash, a colon, or the subject in Chinese
# ("2025年10月14日，国家网信办…", "2025年10月14日国家网信办…").
_AFTER_OPENING = re.compile(r"^(?:\s*(?:,|，|–|—|-{1,2}|:|：|\||\))\s*|\s*$|[\u4e00-\u9fff])")


def opening_date(text: str) -> DateMention | None:
    """The date a paragraph opens with (``On 30 Sept. 2024, …``, a date line), or None.

    >>> opening_date("On 7 May, the ministry issued app standards.").day
    7
    >>> opening_date("1 to 4 May is the Labour holiday.") is None
    True
    >>> opening_date("2025年10月14日，国家网信办发布办法。").day
    14
    """
    lead = _OPENING.match(text)
    offset = lead.end() if lead else 0
    head = text[offset : offset + 40]
    dates = find_dates(head)
    if not dates or dates[0].start != 0:
        return None
    first = dates[0]
    if first.day is None and first.year is None:
        return None
    rest = head[first.end :]
    # "On 7 May the CAC …", "7 July CAC enacted …": a day and month, then the subject.
    subject_follows = re.match(r"^\s*(?:the|a|an)?\s*[A-Z]", rest) is not None and (offset or first.day is not None)
    if _AFTER_OPENING.match(rest) or subject_follows:
        return DateMention(offset + first.start, offset + first.end, first.month, first.day, first.year)
    return None


_NAME_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)(?:[-_.]?(0[1-9]|1[0-2]))?(?:[-_.]?(0[1-9]|[12]\d|3[01]))?(?!\d)")


def years_in_name(name: str) -> dt.date | None:
    """A date a file or URL name carries (``…-2022-07.txt`` → 2022-07-01), the last one if several.

    >>> years_in_name("chinaiptoday-didi-fine-2022-07.txt")
    datetime.date(2022, 7, 1)
    """
    found = None
    for m in _NAME_DATE.finditer(name):
        month = int(m.group(2)) if m.group(2) else 6
        day = int(m.group(3)) if m.group(3) else (1 if m.group(2) else 30)
        found = safe_date(int(m.group(1)), month, day) or found
    return found


def reference_from(dated: Iterable[dt.date]) -> dt.date | None:
    """The date yearless dates are read against, from the full dates a text prints.

    The most common year wins (a stray citation of an old law's year does not); within it,
    the latest date, since a newsletter reports the recent past.

    >>> reference_from([dt.date(2021, 8, 1), dt.date(2016, 11, 7), dt.date(2021, 2, 20)])
    datetime.date(2021, 8, 1)
    """
    seen = list(dated)
    if not seen:
        return None
    years = Counter(d.year for d in seen)
    top = max(years.values())
    common_year = max(year for year, count in years.items() if count == top)
    return max(d for d in seen if d.year == common_year)
