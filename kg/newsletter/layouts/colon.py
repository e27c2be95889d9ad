"""Items printed as "Headline: body": one paragraph each, its headline before a colon.

Digests print each item as one paragraph that opens with its headline and a colon:
``MIIT Announced Rules for Connected Vehicles: On October 17, …``. A headline may hold a colon of
its own (``Ministry of State Security: Foreign Companies … Driving: On October 16, …``), so the
split is the last colon before which everything reads as a title and after which a sentence
starts. Paragraphs that do not open this way continue the item before them.
"""

from __future__ import annotations

import re

from kg.newsletter.document import Block, Page
from kg.newsletter.headlines import is_section_label, title_case
from kg.newsletter.items import ParsedItem
from kg.newsletter.layouts.common import Segmentation, content_blocks, make_item

NAME = "colon"

_COLON = re.compile(r"[:：]")
_LEADING_NUMBER = re.compile(r"^(?:\((\d{1,2})\)|(\d{1,2})\s?[.)）、])\s*")
_SENTENCE_INSIDE = re.compile(r"[.!?。]\s+[A-Z]")


def split_headline(text: str) -> tuple[str, str] | None:
    """``(headline, body)`` of a "Headline: body" paragraph, or None.

    >>> split_headline("Ministry of State Security: Foreign Firms Map Roads: On October 16, the ministry warned firms.")[0]
    'Ministry of State Security: Foreign Firms Map Roads'
    >>> split_headline("Note: the rules apply from May.") is None
    True
    """
    best = None
    for m in _COLON.finditer(text, 0, 300):
        head, body = text[: m.start()].strip(), text[m.end() :].strip()
        words = head.split()
        if len(words) < 3 or len(words) > 30 or _SENTENCE_INSIDE.search(head) or head[-1:] in ".,;":
            continue
        if len(body) < 40 or not (body[:1].isupper() or body[:1].isdigit() or body[:1] in "\"“‘'("):
            continue
        if not title_case(head) or is_section_label(head):
            continue
        best = (head, body)
    return best


def segment(page: Page) -> Segmentation | str:
    """The page's "Headline: body" items, or why this layout does not hold."""
    blocks, issue_date, dropped = content_blocks(page)
    splits = [split_headline(b.text) if len(b.text) >= 60 else None for b in blocks]
    found = sum(1 for s in splits if s is not None)
    if found < 2:
        return f"{found} paragraph(s) open with 'Headline:'; two are needed"
    items: list[ParsedItem] = []
    warnings = list(dropped)
    section: str | None = None
    current: tuple[str, list[Block]] | None = None
    numbers: list[int | None] = []

    def close() -> None:
        if current is not None:
            head, body = current
            number = _LEADING_NUMBER.match(head)
            numbers.append(int(next(g for g in number.groups() if g)) if number else None)
            item = make_item(len(items) + 1, head[number.end() :] if number else head, body, section)
            if item is not None:
                items.append(item)

    for block, split in zip(blocks, splits, strict=True):
        if split is not None:
            close()
            head, body_text = split
            current = (head, [Block(block.line, body_text, block.role, block.links)])
        elif is_section_label(block.text) or (block.role == "heading" and len(block.text) <= 80):
            close()
            current = None
            section = block.text
        elif current is not None:
            current[1].append(block)
        else:
            warnings.append(f"{page.name}:{block.line}: skipped: text before the first item: {block.text[:57]!r}")
    close()
    printed = [n for n in numbers if n is not None]
    if len(printed) == len(items) and len(set(printed)) == len(printed):
        items = [item.model_copy(update={"n": n}) for item, n in zip(items, printed, strict=True)]
    return Segmentation(items, f"{len(items)} paragraphs open with 'Headline:'", warnings, issue_date)
