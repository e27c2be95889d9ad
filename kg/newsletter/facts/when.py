"""When the event an item reports happened: not a deadline, an effective date or a date of the past.

An item names many dates: when the regulator acted ("On 3 May, …", "on Thursday"), when comments
close ("until 13 May"), when the rules take effect ("from 1 March"), the span of a meeting ("from
October 13 to 17"). The event is the first date, sentence by sentence, that is none of those. A
weekday ("MIIT on Thursday ordered …") is the last such day on or before the issue's own date,
when the issue prints one. A date on the issue's day or just before it is the news itself and wins
over older dates the story recalls. Where the paragraph names no date, its headline may ("… (7 April)").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from kg.newsletter.dates import DateMention, as_date, find_dates
from kg.newsletter.headlines import sentences

__all__ = ["When", "event_date", "event_when"]

# Words before a date that make it a deadline, a start of effect, a span or an old event.
_NOT_THE_EVENT = re.compile(
    r"(?:\b(?:until|till|by|before|no later than|deadline(?: for(?: \w+){1,3}?)?(?: of| is| was|:)?|due|expir\w*|effective(?: from| on| as of)?|"
    r"takes? effect(?: on| from)?|took effect(?: on)?|come[s]? into (?:force|effect)(?: on| from)?|into (?:force|effect)(?: on| from)?|"
    r"in force(?: on| from)?|implemented(?: on| from)?|as of|from|starting(?: from| on)?|since|through|to|between|and|"
    r"ending|ends?(?: on)?|closes?(?: on)?|within|after|dated|of)\s*(?:the\s+)?$)",
    re.IGNORECASE,
)
_WEEKDAYS = {
    name: number
    for number, names in enumerate(
        (
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thur", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        )
    )
    for name in names
}
_THIS_WEEK = re.compile(r"\b(?:[Tt]his|[Ll]ast) week\b|\b(?:[Ee]arlier|[Ll]ater) this month\b")
_RELATIVE_DAY = re.compile(
    r"\b(?:on|last|this|early|late)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
    r"|\b(?:yesterday|today|this week|last week)\b",
    re.IGNORECASE,
)
_WEEKDAY = re.compile(r"\b(?:on\s+|last\s+)?(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")


def _weekday_before(issue: dt.date, weekday: int) -> dt.date:
    return issue - dt.timedelta(days=(issue.weekday() - weekday) % 7)


def _usable(sentence: str, mention: DateMention) -> bool:
    return _NOT_THE_EVENT.search(sentence, max(0, mention.start - 40), mention.start) is None


_DATELINE_REST = re.compile(
    r"^[\s,.|–—-]*(?:(?:posted|published|updated|date[d]?)\s*(?:on)?\s*:?)?\s*"
    r"(?:(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)[a-z]*\.?,?)?[\s,.|–—-]*$",
    re.IGNORECASE,
)


def _dateline(line: str) -> bool:
    """Whether a line is only a full date, perhaps with a weekday or "Posted on" ("Sat, 05 Dec 2020")."""
    if len(line) > 50:
        return False
    found = [d for d in find_dates(line) if d.year is not None]
    if len(found) != 1:
        return False
    rest = line[: found[0].start] + " " + line[found[0].end :]
    return _DATELINE_REST.match(rest) is not None


@dataclass(frozen=True)
class When:
    """The event date an item reports, and how sure its year is."""

    date: str | None
    """``YYYY-MM-DD`` or ``YYYY-MM``, or None."""
    year_printed: bool = False
    """Whether the text printed the year with the date (else it was read against the reference)."""
    month_day: str | None = None
    """``--MM-DD`` of a date printed without a year when nothing gave one: kept, not guessed."""


def _in_sentence(sentence: str, reference: dt.date | None, issue: dt.date | None) -> list[tuple[str, bool, str | None]]:
    """The usable dates of one sentence, in order: (date or "", year printed, month-day when unresolved)."""
    found: list[tuple[int, str, bool, str | None]] = []
    mentions = find_dates(sentence)
    for mention in mentions:
        if not _usable(sentence, mention):
            continue
        resolved = mention.resolve(reference)
        if resolved is not None:
            found.append((mention.start, resolved, mention.year is not None, None))
        elif mention.year is None and mention.day is not None:
            found.append((mention.start, "", False, f"--{mention.month:02d}-{mention.day:02d}"))
    if issue is not None:
        # "This week, …", "earlier this month": the issue's own month, no finer.
        for m in _THIS_WEEK.finditer(sentence):
            found.append((m.start(), f"{issue.year:04d}-{issue.month:02d}", False, None))
        for m in _WEEKDAY.finditer(sentence):
            # "On Tuesday, 30 May 2023", "30 May (Tuesday)": the weekday of a date printed beside it.
            beside = any(-4 <= d.start - m.end() <= 3 or -4 <= m.start() - d.end <= 3 for d in mentions)
            if not beside and _NOT_THE_EVENT.search(sentence, max(0, m.start() - 40), m.start()) is None:
                day = _weekday_before(issue, _WEEKDAYS[m.group(1).lower()])
                found.append((m.start(), day.isoformat(), False, None))
    return [(date, printed, month_day) for _, date, printed, month_day in sorted(found)]


def event_when(headline: str, paragraph: str, reference: dt.date | None, issue: dt.date | None = None) -> When:
    """The event an item reports, dated (see :func:`event_date`), with how its year was found."""
    ordered: list[tuple[str, bool, str | None]] = []
    # A line that is only a date ("Sat, 05 Dec 2020") dates the copy, not the event it tells.
    told = "\n".join(line for line in paragraph.split("\n") if not _dateline(line))
    for k, sentence in enumerate(sentences(told if told.strip() else paragraph)):
        ordered += _in_sentence(sentence, reference, issue)
        if k <= 2 and not ordered and issue is None and _RELATIVE_DAY.search(sentence):
            # "The top court on Thursday disclosed six cases", early in the copy: the news is dated by a day it does
            # not say; the dates further on are the cases' own ("started in June 2021").
            return When(None)
    if not ordered:
        ordered = _in_sentence(headline, reference, issue)
    if not ordered:
        return When(None)
    if issue is not None:
        # The news itself is dated on the issue's day or just before: it outranks what the story recalls.
        for date, printed, _ in ordered:
            day = as_date(date) if date else None
            if len(date) == 10 and day is not None and dt.timedelta(0) <= issue - day <= dt.timedelta(days=3):
                return When(date, printed)
    date, printed, month_day = ordered[0]
    return When(date or None, printed, month_day)


def event_date(headline: str, paragraph: str, reference: dt.date | None, issue: dt.date | None = None) -> str | None:
    """The date of the event an item reports, ``YYYY-MM-DD`` or ``YYYY-MM``, or None.

    ``reference`` gives yearless dates their year; ``issue`` is the issue's own printed date.

    >>> event_date("", "Comments are due until 13 May. On 3 May, MIIT issued rules.", dt.date(2022, 5, 20))
    '2022-05-03'
    >>> event_date("", "MIIT on Thursday ordered app stores to act.", None, dt.date(2021, 5, 13))
    '2021-05-13'
    >>> event_when("", "On July 21, the CAC fined the company.", None).month_day
    '--07-21'
    >>> event_date("", "The court on Thursday named six cases. One began in June 2021.", None) is None
    True
    """
    return event_when(headline, paragraph, reference, issue).date
