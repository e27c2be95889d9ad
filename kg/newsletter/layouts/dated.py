"""A dated-entry list: a line that is only a date opens each entry (a blog's or a tracker's posts).

``30 September 2024`` / ``CAC Issues … `` / paragraph, then the next date line; or each entry's
title over its date line, where every date line has a title over it. The entry's headline is its
title line where one is printed, else its lead sentence. A date line gives the day
the entry was posted, which is not always the day of the event it reports: it is kept out of the
item's text, and only read for the year of dates the entry prints without one.
"""

from __future__ import annotations

from kg.newsletter.dates import find_dates, safe_date
from kg.newsletter.document import Block, Page
from kg.newsletter.headlines import is_headline_like, is_section_label
from kg.newsletter.items import ParsedItem
from kg.newsletter.layouts.common import Segmentation, content_blocks, date_only, make_item, preamble

NAME = "dated"


def segment(page: Page) -> Segmentation | str:
    """The page's entries between date lines, or why this layout does not hold."""
    blocks, issue_date, dropped = content_blocks(page)
    starts = [
        i
        for i, b in enumerate(blocks)
        if date_only(b.text) and i + 1 < len(blocks) and not date_only(blocks[i + 1].text)
    ]
    if len(starts) < 2:
        return f"{len(starts)} date line(s) opening an entry; two are needed"
    items: list[ParsedItem] = []
    # A list may print each entry's title over its date line ("Title" / "2023-08-16" / summary): then
    # the line before each date line is the entry's headline, not the end of the entry before.
    titled_over = all(
        start > 0
        and is_headline_like(blocks[start - 1].text)
        and not date_only(blocks[start - 1].text)
        and not is_headline_like(blocks[start + 1].text)
        for start in starts
    )
    first = starts[0] - 1 if titled_over else starts[0]
    section, skipped = preamble(page, blocks[:first], "entry")
    warnings = [*dropped, *skipped]
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(blocks)
        if titled_over and k + 1 < len(starts):
            end -= 1  # the next entry's title
        entry = [b for b in blocks[start + 1 : end] if not date_only(b.text) and not is_section_label(b.text)]
        headline: Block | None = None
        if titled_over:
            headline = blocks[start - 1]
        elif len(entry) > 1 and is_headline_like(entry[0].text):
            headline, entry = entry[0], entry[1:]
        item = make_item(len(items) + 1, headline, entry, section)
        if item is not None:
            posted = find_dates(blocks[start].text)
            day = safe_date(posted[0].year, posted[0].month, posted[0].day or 1) if posted and posted[0].year else None
            items.append(item.model_copy(update={"posted": day}))
    return Segmentation(items, f"{len(starts)} entries under date lines", warnings, issue_date)
