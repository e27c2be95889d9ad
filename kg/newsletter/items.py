"""The segmenter's output: a newsletter issue as news items, before any fact is read from them."""

from __future__ import annotations

import datetime

from pydantic import BaseModel, Field

__all__ = ["ParsedIssue", "ParsedItem"]


class ParsedItem(BaseModel):
    """One news item of an issue."""

    n: int
    """The item's printed number (footnote or list number), or its ordinal where none is printed."""
    headline: str
    """The headline as printed (whitespace normalised); the lead sentence where none is printed."""
    paragraph: str
    """The item's text without its headline or footnote marker (several paragraphs joined by newlines)."""
    section: str | None
    """The section heading the item sits under, as printed, or None."""
    source: str | None
    """The URL the item links to as its source (footnote, ``Source:`` line or link), if any."""
    line: int
    """1-based line in the input where the item's text (its paragraph) starts."""
    posted: datetime.date | None = None
    """The date line over the item in a dated-entry list: when it was posted, a year for yearless dates."""


class ParsedIssue(BaseModel):
    """One newsletter issue: its items in reading order, what could not be placed, and how it was read."""

    name: str
    issue_date: datetime.date | None
    items: list[ParsedItem]
    warnings: list[str]
    period: datetime.date | None = None
    """The month the text says it covers before its first item ("In July 2024, …", "… Update – August
    2024"), the first day of it; only read where no issue date is printed."""
    layout: str = ""
    """The layout the items were read with (``footnoted``, ``numbered``, ``colon``, ``headed``, ``prose``, ``single``)."""
    explanation: list[str] = Field(default_factory=list)
    """Why that layout: each layout tried, in order, and what it found."""
