"""A single article: a wire story, a press release, a case note. The whole text is one item.

Its headline is the title line (a short line at the top that is not a section label), or, where
none is printed, the lead sentence. A label over the text ("Case Summary") is its section. The
most general layout, tried last; a text that names no date, body or amount holds no news and is
refused.
"""

from __future__ import annotations

import re

from kg.newsletter.dates import find_dates
from kg.newsletter.document import Block, Page
from kg.newsletter.headlines import is_headline_like, is_page_title, is_section_label
from kg.newsletter.layouts.common import Segmentation, content_blocks, date_only, make_item, title_line

NAME = "single"

# Something a news item names: a body ("… Administration", "Court"), an acronym, or an amount.
_NEWS_SIGNAL = re.compile(
    r"\b(?:[A-Z][\w'’-]+\s+)*(?:Administration|Ministry|Commission|Committee|Council|Court|Bureau|Office|"
    r"Procuratorate|Congress|Bank|Authority|Agency|Department|Government|Police|Law|Regulations?|Measures|"
    r"Provisions|Rules|Guidelines|Standard)\b|\b[A-Z]{2,}[0-9]*\b|\b(?:RMB|CNY|USD|yuan)\b|[\u4e00-\u9fff]{4,}"
)


_NUMBER = re.compile(r"^(?:\((\d{1,2})\)|(\d{1,2})\s?[.)）、])\s*(?=\S)")


def segment(page: Page) -> Segmentation | str:
    """The whole page as one item, or why it holds no news."""
    blocks, issue_date, dropped = content_blocks(page)
    text_blocks = [b for b in blocks if not is_section_label(b.text) and not date_only(b.text)]
    if not any(len(b.text) >= 40 for b in text_blocks):
        return "no paragraph of prose"
    whole = " ".join(b.text for b in blocks)
    if not find_dates(whole) and not _NEWS_SIGNAL.search(whole):
        return "the text names no date, body, instrument or amount"
    warnings = list(dropped)
    section: str | None = None
    titled = title_line(blocks)
    headline: Block | str | None = None
    if titled is not None:
        headline, start = blocks[titled], titled + 1
        before = blocks[:titled]
    else:
        # No title: labels and stray short lines over the text are not its headline.
        start = 0
        while start < len(blocks) and (is_page_title(blocks[start].text) or is_headline_like(blocks[start].text)):
            start += 1
        before = blocks[:start]
    for block in before:
        if is_page_title(block.text) or block.role == "heading":
            section = section or block.text
        else:
            warnings.append(f"{page.name}:{block.line}: skipped: text over the article: {block.text[:57]!r}")
    body = [b for b in blocks[start:] if not is_section_label(b.text)]
    if isinstance(headline, Block) and (number := _NUMBER.match(headline.text)):
        headline = headline.text[number.end() :]
    item = make_item(1, headline, body, section)
    if item is None:
        return "no paragraph of prose"
    if headline is None and (number := _NUMBER.match(item.headline)):
        item = item.model_copy(update={"headline": item.headline[number.end() :]})
    how = "one article under its title line" if titled is not None else "one article, headed by its lead sentence"
    return Segmentation([item], how, warnings, issue_date)
