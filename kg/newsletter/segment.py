"""A saved newsletter in, its news items out: read the format, then find the layout that holds.

The input format (plain text, Markdown, HTML) is read by a plugin of :mod:`kg.newsletter.formats`;
the layouts of :mod:`kg.newsletter.layouts` are then tried from the most specific to the most
general, and the first that holds gives the items. The issue records which layout it was and why
the ones before it did not hold, for ``kg extract --explain``. A text in which no layout finds news
is one :class:`~kg.errors.InputError` naming the file and what was looked for.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from kg.errors import InputError
from kg.newsletter.dates import find_dates, safe_date
from kg.newsletter.document import Page
from kg.newsletter.formats import read_page
from kg.newsletter.items import ParsedIssue, ParsedItem
from kg.newsletter.layouts import LAYOUTS, Segmentation

__all__ = ["DEFAULT_MAX_BYTES", "ParsedIssue", "ParsedItem", "max_bytes", "parse_file", "parse_text"]

#: Larger input is refused before it is read: well above any real issue (a year of a monthly
#: newsletter is under 1 MB), low enough that a wrong file cannot exhaust memory.
DEFAULT_MAX_BYTES = 64 * 1024 * 1024


def max_bytes() -> int:
    """The input size limit: ``KG_MAX_NEWSLETTER_MB`` (megabytes) when set, else :data:`DEFAULT_MAX_BYTES`."""
    value = os.environ.get("KG_MAX_NEWSLETTER_MB", "").strip()
    if not value:
        return DEFAULT_MAX_BYTES
    try:
        megabytes = float(value)
    except ValueError:
        raise InputError(f"KG_MAX_NEWSLETTER_MB must be a number of megabytes, not {value!r}") from None
    if megabytes <= 0:
        raise InputError(f"KG_MAX_NEWSLETTER_MB must be positive, not {value!r}")
    return int(megabytes * 1024 * 1024)


def _parse(text: str, name: str, suffix: str) -> ParsedIssue:
    if not text.strip():
        raise InputError("empty newsletter: no text to parse", name)
    if "\x00" in text:
        raise InputError("not a text file: it contains NUL bytes", name)
    page = read_page(text.removeprefix("\ufeff"), name, suffix)
    refusals: list[str] = []
    for layout in LAYOUTS:
        outcome = layout.segment(page)
        if isinstance(outcome, Segmentation) and outcome.items:
            explanation = [f"{name}: {r}" for r in refusals] + [f"{name}: {layout.NAME}: chosen: {outcome.note}"]
            issue_date = outcome.issue_date or page.issue_date
            return ParsedIssue(
                name=name,
                issue_date=issue_date,
                period=None if issue_date else _period(page, outcome.items[0].line),
                items=outcome.items,
                warnings=outcome.warnings,
                layout=layout.NAME,
                explanation=explanation,
            )
        why = outcome if isinstance(outcome, str) else "no items"
        refusals.append(f"{layout.NAME}: {why}")
    raise InputError("no news items found; looked for " + "; ".join(refusals), name)


#: How far into a page the month it covers may be named: its title and opening lines.
_PERIOD_BLOCKS = 6


def _period(page: Page, first_item_line: int) -> dt.date | None:
    """The first month and year the page names before its first item, as that month's first day."""
    for block in page.blocks[:_PERIOD_BLOCKS]:
        if block.line >= first_item_line:
            break
        for date in find_dates(block.text):
            if date.year is not None and date.day is None:
                return safe_date(date.year, date.month, 1)
    return None


def parse_text(text: str, name: str = "<text>", suffix: str = "") -> ParsedIssue:
    r"""Parse one newsletter issue given as text (plain, or HTML/Markdown recognised by content).

    ``name`` names the issue in the result, in warnings and in errors; ``suffix`` (``.html``,
    ``.md``) names the format where the content alone may not. Raises
    :class:`~kg.errors.InputError` when the text is empty or holds no recognisable item.

    >>> issue = parse_text(
    ...     "date 2023-01-05\n\nLEGISLATION\n\nRegulator Issues Export Rules\n\n"
    ...     "On 3 January the regulator issued rules on data export for 12 sectors. 1\n\n"
    ...     "1 https://example.org/rules\n"
    ... )
    >>> issue.issue_date, issue.layout
    (datetime.date(2023, 1, 5), 'footnoted')
    >>> [(i.n, i.section, i.headline, i.source) for i in issue.items]
    [(1, 'LEGISLATION', 'Regulator Issues Export Rules', 'https://example.org/rules')]
    """
    return _parse(text, name, suffix)


def parse_file(path: Path, limit: int | None = None) -> ParsedIssue:
    """Parse a newsletter file: plain text, HTML (``.html``/``.htm``) or Markdown (``.md``).

    The format comes from the suffix, else from the content. Raises :class:`~kg.errors.InputError`
    naming the file when it is larger than ``limit`` bytes (default :func:`max_bytes`), empty,
    binary, not UTF-8, or holds no recognisable item.
    """
    path = Path(path)
    limit = max_bytes() if limit is None else limit
    try:
        size = path.stat().st_size
        if size > limit:
            raise InputError(
                f"too large for a newsletter ({size / 1048576:.1f} MB, the limit is {limit / 1048576:.1f} MB;"
                " set KG_MAX_NEWSLETTER_MB to raise it)",
                path,
            )
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read newsletter: {exc.strerror or exc}", path) from exc
    if b"\x00" in data:
        raise InputError("not a text file: it contains NUL bytes", path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (undecodable byte at offset {exc.start})", path) from exc
    try:
        return _parse(text, path.name, path.suffix)
    except InputError as exc:
        if exc.path is not None and exc.path.name == path.name:
            raise InputError(exc.detail, path, exc.line) from None
        raise
