"""Headline and paragraph blocks, without numbers.

A headline is a short line that does not end like a sentence, printed in title case, marked as a
heading by the page, or followed by a paragraph that opens with the date of what it reports
("On 9 February, …"). Short lines made only of section words ("Regulatory Developments") are
section headings; in a run of short lines, the last one before a paragraph is the headline. The
layout needs two such items: one headline over prose is a single article or a titled column.
"""

from __future__ import annotations

from kg.newsletter.dates import opening_date
from kg.newsletter.document import Block, Page
from kg.newsletter.headlines import is_headline_like, is_page_title, is_section_label, title_case
from kg.newsletter.layouts.common import (
    Segmentation,
    chinese_line,
    content_blocks,
    date_only,
    make_item,
    parts_of_one,
)

NAME = "headed"


def _is_body(block: Block) -> bool:
    text = block.text
    return not is_headline_like(text) and not date_only(text) and (len(text) >= 60 or text[-1:] in ".;:。")


def _next_body(blocks: list[Block], index: int) -> Block | None:
    """The first paragraph after ``index``, past a date line (``Title / 30 Sept 2024 / text``).

    The copy's last block counts as a paragraph when it is long and stops mid-sentence: the copy was
    cut inside it, which is why it does not end like a sentence.
    """
    for k, block in enumerate(blocks[index + 1 : index + 3], start=index + 1):
        if _is_body(block) or (k == len(blocks) - 1 and len(block.text) >= 60 and not is_section_label(block.text)):
            return block
        if not date_only(block.text):
            return None
    return None


def is_headline(blocks: list[Block], index: int) -> bool:
    """Whether ``blocks[index]`` heads the paragraph after it."""
    block = blocks[index]
    text = block.text
    if not is_headline_like(text) or is_page_title(text) or date_only(text):
        return False
    body = _next_body(blocks, index)
    # A bullet heads the paragraph under it only when that paragraph is not a bullet too.
    if body is None or (block.role == "item" and body.role == "item"):
        return False
    return (
        block.role == "heading"
        or title_case(text)
        or opening_date(body.text) is not None
        or len(text.split()) >= 4
        # Chinese has no capitals and no spaces: a line of characters that does not end a sentence.
        or chinese_line(text)
    )


def segment(page: Page) -> Segmentation | str:
    """The page's headline-and-paragraph items, or why this layout does not hold."""
    blocks, issue_date, dropped = content_blocks(page)
    heads = [i for i in range(len(blocks)) if is_headline(blocks, i)]
    if len(heads) < 2:
        return f"{len(heads)} headline(s) over a paragraph; two are needed"
    if parts_of_one([blocks[i].text for i in heads]):
        return "the headlines are the cases or examples of one item"
    items = []
    warnings = list(dropped)
    section: str | None = None
    for i in range(heads[0]):
        block = blocks[i]
        if not date_only(block.text) and (
            is_section_label(block.text) or block.role == "heading" or is_headline_like(block.text)
        ):
            section = block.text
        else:
            warnings.append(f"{page.name}:{block.line}: skipped: text before the first item: {block.text[:57]!r}")
    for k, start in enumerate(heads):
        end = heads[k + 1] if k + 1 < len(heads) else len(blocks)
        body = blocks[start + 1 : end]
        next_section = None
        while body and end < len(blocks) and (is_section_label(body[-1].text) or is_headline_like(body[-1].text)):
            next_section = next_section or body[-1].text
            body = body[:-1]
        item = make_item(k + 1, blocks[start], body, section)
        if item is not None:
            items.append(item)
        section = next_section or section
    return Segmentation(items, f"{len(items)} headlines over paragraphs", warnings, issue_date)
