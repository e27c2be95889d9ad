"""A blog's list of teasers: each entry a paragraph or two, closed by a "read on" link.

Blogs and publishers' topic pages list their posts as teasers that end in ``…more`` or in a link
"Continue Reading <title of the post>", often printed after the teaser (and sometimes glued to its
last line). The link closes the entry; its words, when they are a title, are the entry's headline,
else the teaser's lead sentence stands in. A title line repeating the link's words before the
teaser is the same headline, not text.
"""

from __future__ import annotations

import re

from kg.newsletter.document import Block, Page
from kg.newsletter.headlines import is_section_label
from kg.newsletter.items import ParsedItem
from kg.newsletter.layouts.common import Segmentation, content_blocks, make_item
from kg.newsletter.layouts.prose import starts_event

NAME = "teasers"

_READ_ON = re.compile(
    r"(?:^|(?<=\s)|(?<=[.!?…”\"']))(?:Continue [Rr]eading|Read [Mm]ore|Read the full (?:article|post|story|alert))"
    r"\s*(?:[»›>:→…]+\s*)?(?P<title>\S.{3,250})?$"
)
_MORE_TAIL = re.compile(
    r"\s*(?:(?:\.\.\.|…)\s*(?:more|Read more|read more|\[more\])|\[(?:…|\.\.\.)\]|(?:\.\.\.|…)\s*»)\s*$"
)


# An author's name glued to the link's title by a saved page: "… for Data ViolationsYan Luo". The word it
# sticks to ends in four lower-case letters or more, and the name opens with a word of three letters
# or more, so "WeChat Pay" or "LinkedIn Learning" are left whole.
_GLUED_BYLINE = re.compile(r"(?<=[a-z]{4})[A-Z][a-z]{2,}(?: [A-Z][a-z]+){1,2}$")


def _closing(block: Block) -> tuple[str, str | None] | None:
    """``(text before the link, the link's title)`` of a block that closes a teaser, or None."""
    m = _READ_ON.search(block.text)
    if m is not None:
        title = _GLUED_BYLINE.sub("", (m.group("title") or "").strip()) or None
        return block.text[: m.start()].strip(), title
    tail = _MORE_TAIL.search(block.text)
    if tail is not None:
        return block.text[: tail.start()].strip() + "…", None
    return None


def _same(a: str, b: str) -> bool:
    return " ".join(re.findall(r"\w+", a.lower())) == " ".join(re.findall(r"\w+", b.lower()))


def _cut_here(block: Block, following: Block) -> bool:
    """Whether a teaser ends at ``block``: the blog stopped it mid-sentence and another entry follows."""
    text = block.text.rstrip()
    if not text or text[-1] in ".!?:;…”\"'’)]" or is_section_label(following.text):
        return False
    return len(text) >= 40 or starts_event(following.text)


def segment(page: Page) -> Segmentation | str:
    """The page's teasers as items, or why this layout does not hold."""
    blocks, issue_date, dropped = content_blocks(page)
    closings = [_closing(b) for b in blocks]
    found = sum(1 for c in closings if c is not None)
    titled = sum(1 for c in closings if c is not None and c[1] is not None)
    # One "Continue Reading <title>" after a teaser is enough: the link names what precedes it.
    if found < 2 and not (titled == 1 and closings.index(next(c for c in closings if c is not None)) > 0):
        return f"{found} teaser(s) closed by 'Continue Reading' or '…more'; two are needed"
    items: list[ParsedItem] = []
    warnings = list(dropped)
    section: str | None = None
    body: list[Block] = []

    def close(title: str | None) -> None:
        nonlocal body
        kept = [b for b in body if not (title and _same(b.text, title))]
        item = make_item(len(items) + 1, title, kept, section)
        if item is not None:
            items.append(item)
        body = []

    for block, closing in zip(blocks, closings, strict=True):
        if closing is None:
            if is_section_label(block.text) and not body:
                section = block.text
            else:
                body.append(block)
            continue
        before, title = closing
        if before and before != "…":
            body.append(Block(block.line, before, block.role, block.links))
        close(title)
    # After the last link, entries the blog cut short without one: a paragraph stopped mid-sentence
    # ends one, when it is a paragraph or what follows opens an event of its own.
    rest, body = body, []
    for k, block in enumerate(rest):
        body.append(block)
        if k + 1 < len(rest) and _cut_here(block, rest[k + 1]):
            close(None)
    if body:  # an entry the copy cuts off before its link
        close(None)
    return Segmentation(items, f"{found} teasers closed by a 'read on' link", warnings, issue_date)
