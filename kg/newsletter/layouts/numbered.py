"""Numbered items: ``1. Headline`` on a line of its own, then the item's paragraphs.

The layout of most law firms' monthly updates. Section headings ("Legislative Development",
"Enforcement") stand between the items; the numbering may restart under each. What comes before
the first item (the issue's title, a summary, a subscription note) is not an item. A numbered line
is a headline only when it reads like one and a paragraph follows it, so a numbered list inside an
item ("1. The rules apply to …") stays part of that item.
"""

from __future__ import annotations

import re

from kg.newsletter.document import Block, Page
from kg.newsletter.headlines import is_headline_like, is_section_label, note_line
from kg.newsletter.items import ParsedItem
from kg.newsletter.layouts.common import Segmentation, content_blocks, make_item, parts_of_one

NAME = "numbered"

# "1. Headline", "2) Headline", "(3) Headline", "4、Headline", "5 . Headline"; in an HTML ordered
# list the number stands alone before the words ("6 Headline").
_NUMBER = re.compile(r"^(?:\((\d{1,2})\)|(\d{1,2})\s?[.)）、．])\s*(?=\S)")
_LIST_NUMBER = re.compile(r"^(\d{1,2}) (?=[A-Z\"“])")


def numbered_headline(block: Block) -> tuple[int, str] | None:
    """The number and headline of a ``1. Headline`` block, or None.

    >>> numbered_headline(Block(1, "2. CSRC published Measures on Cyber Security"))
    (2, 'CSRC published Measures on Cyber Security')
    >>> numbered_headline(Block(1, "1. The rules apply to every operator that processes data.")) is None
    True
    """
    m = _NUMBER.match(block.text) or (_LIST_NUMBER.match(block.text) if block.role == "item" else None)
    if m is None:
        return None
    number = int(next(g for g in m.groups() if g))
    rest = block.text[m.end() :].strip()
    if not is_headline_like(rest) or is_section_label(rest):
        return None
    return number, rest


def _is_body(block: Block) -> bool:
    return numbered_headline(block) is None and (len(block.text) >= 60 or block.text[-1:] in ".;:。")


def segment(page: Page) -> Segmentation | str:
    """The page's items under numbered headlines, or why this layout does not hold."""
    blocks, issue_date, dropped = content_blocks(page)
    heads: list[int] = []
    expected: int | None = None
    for index, block in enumerate(blocks):
        found = numbered_headline(block)
        following = index + 1
        while following < len(blocks) and following <= index + 4 and note_line(blocks[following].text):
            following += 1  # "Promulgated by …", "Promulgation date: …": a law digest's notes under its title
        if found is None or following >= len(blocks) or not _is_body(blocks[following]):
            continue
        number = found[0]
        if expected is None or number == expected or number == 1:
            heads.append(index)
            expected = number + 1
    # A copy that lost the first items' number lines ("2. …" the first printed): the paragraphs
    # under the section heading before it are the items it lost, one per paragraph.
    lost: list[int] = []
    if heads:
        first = numbered_headline(blocks[heads[0]])[0]  # type: ignore[index]
        label = max((i for i in range(heads[0]) if is_section_label(blocks[i].text)), default=None)
        if first > 1 and label is not None:
            lost = [i for i in range(label + 1, heads[0]) if _is_body(blocks[i])][-(first - 1) :]
    if len(heads) + len(lost) < 2:
        return f"{len(heads)} numbered headline(s) followed by a paragraph; two are needed"

    numbers = [numbered_headline(blocks[i])[0] for i in heads]  # type: ignore[index]
    # "1. Case of …", "2. Case of …": the cases one release lists, parts of one item, not items.
    headlines = [found[1] for i in heads if (found := numbered_headline(blocks[i])) is not None]
    if parts_of_one(headlines):
        return "the numbered lines are the cases or examples of one item"
    use_printed = len(set(numbers)) == len(numbers)
    items: list[ParsedItem] = []
    warnings = list(dropped)
    section: str | None = None
    for i in range(heads[0] - 1, -1, -1):  # the heading just before the first item names its section
        if is_section_label(blocks[i].text) or blocks[i].role == "heading":
            section = blocks[i].text
            break
    for i in range(heads[0]):
        if blocks[i].text != section and i not in lost:
            warnings.append(
                f"{page.name}:{blocks[i].line}: skipped: text before the first item: {blocks[i].text[:57]!r}"
            )
    for k, i in enumerate(lost):
        lost_item = make_item(numbers[0] - len(lost) + k, None, [blocks[i]], section)
        if lost_item is not None:
            items.append(lost_item)
            warnings.append(
                f"{page.name}:{blocks[i].line}: item {lost_item.n} has no numbered headline; numbered by sequence"
            )
    for k, start in enumerate(heads):
        end = heads[k + 1] if k + 1 < len(heads) else len(blocks)
        body = blocks[start + 1 : end]
        next_section = None
        # A section heading just before the next item belongs to that item, not to this one's text.
        while body and (is_section_label(body[-1].text) or body[-1].role == "heading") and end < len(blocks):
            next_section = next_section or body[-1].text
            body = body[:-1]
        number, headline = numbered_headline(blocks[start])  # type: ignore[misc]
        item = make_item(number if use_printed else len(lost) + k + 1, headline, body, section)
        if item is not None:
            items.append(item)
        section = next_section or section
    note = (
        f"{len(items)} numbered headlines ({', '.join(str(n) for n in numbers[:6])}{', …' if len(numbers) > 6 else ''})"
    )
    return Segmentation(items, note, warnings, issue_date)
