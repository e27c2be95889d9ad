"""A saved newsletter as the segmenter sees it: blocks of text, each with its line and its role.

Every input format (:mod:`kg.newsletter.formats`) reduces a file to :class:`Block` s: one per
printed line of plain text, per Markdown line, per HTML block element. :func:`prepare` then makes
the :class:`Page` the layouts read: footnote-list entries (``3 https://…``) taken out into a table,
hard-wrapped lines joined back into paragraphs, a ``date YYYY-MM-DD`` header read as the issue's
date. Everything here is one linear pass, so a 10 MB text costs no more per line than a small one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Literal

from kg.newsletter.dates import safe_date

__all__ = ["Block", "Page", "Role", "clean", "prepare", "web_address"]

#: ``heading``: marked as a heading by the format (``<h2>``, ``## …``); ``item``: a list item;
#: ``text``: anything else, a plain-text line or paragraph.
Role = Literal["heading", "item", "text"]


@dataclass(slots=True)
class Block:
    """One block of text: a printed line, a paragraph, a heading or a list item."""

    line: int
    """1-based line of the input where the block starts."""
    text: str
    """The text, whitespace normalised."""
    role: Role = "text"
    links: tuple[str, ...] = ()
    """URLs the block links to (HTML and Markdown only), in order."""


@dataclass
class Page:
    """A newsletter ready for segmentation."""

    name: str
    kind: str
    """The input format: ``text``, ``markdown`` or ``html``."""
    blocks: list[Block]
    """Paragraphs, headings and list items in reading order (footnote-list entries removed)."""
    footnotes: dict[int, str] = field(default_factory=dict)
    """The footnote list: number → URL."""
    first_note: int | None = None
    """Line of the first footnote-list entry, if any."""
    issue_date: dt.date | None = None
    """The date a ``date YYYY-MM-DD`` header prints, if any."""
    memo: dict[str, object] = field(default_factory=dict, repr=False)
    """What the layouts work out once and share (the blocks without furniture, say)."""


# Superscript footnote digits become plain digits; zero-width characters (left by web and PDF
# exports) are dropped, since they would split words. Other odd spaces are whitespace to str.split.
_CLEAN_TABLE = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789", "\u200b\u200c\u200d\u2060\ufeff\u00ad")


def clean(text: str) -> str:
    r"""Text with superscript digits made plain, invisible characters dropped and spacing normalised.

    >>> clean("  Rules\u200b  issued.¹ ")
    'Rules issued.1'
    """
    return " ".join(text.translate(_CLEAN_TABLE).split())


# A footnote-list entry: "1 https://…", "[2] https://…", "3. Source: https://…".
_FOOTNOTE = re.compile(r"^\[?(\d{1,5})\]?[.:)]?\s*(?:\S.{0,150}?\s)?((?:https?://|www\.)\S+)$")
# A bullet a plain-text list item opens with.
_BULLET = re.compile(r"^(?:[•●▪◦■□➢➤►▶·*‣⁃]|-(?=\s))\s*")
# "date 2023-09-07 …" opening the text: the date the saved copy was published.
_DATE_HEADER = re.compile(r"^\s*date[:\s]\s*((?:19|20)\d\d)-(\d\d)-(\d\d)\b\s*")
# A wrapped line that ends a sentence with a number ("… in force.3") may end a footnoted item:
# the next capitalised line starts anew. Only the line's last characters are looked at.
_MARKED_END = re.compile(r"(?:\s|[.!?;:。\"'”’)\]])\[?\d{1,5}\]?$")


_HOST = re.compile(
    r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+(?::\d{1,5})?$"
)


def web_address(text: str) -> str | None:
    """An http(s) URL as the graph records it (``www.…`` gets ``https://``), or None if it is not one.

    >>> web_address("www.cac.gov.cn/a.htm"), web_address("https://x y.com"), web_address("ftp://a.b/c")
    ('https://www.cac.gov.cn/a.htm', None, None)
    """
    url = text.strip().rstrip(".,;)")
    if url.lower().startswith("www."):
        url = "https://" + url
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.lower() not in ("http", "https") or any(c.isspace() for c in url):
        return None
    host = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    return url if _HOST.match(host) and len(url) <= 2000 else None


def prepare(name: str, kind: str, blocks: list[Block], *, join_wrapped: bool) -> Page:
    """The :class:`Page` of a newsletter from its format's blocks.

    ``join_wrapped`` rejoins hard-wrapped lines (plain text whose lines break at one width):
    a line joins the one before it when that one reaches the wrap width and this one does not
    start a new block (a blank line, a footnote entry). Text with one paragraph per line, as most
    saved pages are, is left line by line.
    """
    issue_date: dt.date | None = None
    footnotes: dict[int, str] = {}
    first_note: int | None = None
    kept: list[Block | None] = []
    for index, block in enumerate(blocks):
        text = clean(block.text)
        if index < 3 and issue_date is None and (header := _DATE_HEADER.match(text)):
            issue_date = safe_date(int(header.group(1)), int(header.group(2)), int(header.group(3)))
            text = text[header.end() :]
        note = _FOOTNOTE.match(text) if block.role != "heading" else None
        if note:
            if (url := web_address(note.group(2))) is not None:
                footnotes.setdefault(int(note.group(1)), url)
            first_note = block.line if first_note is None else first_note
            kept.append(None)  # the entry separates blocks like a blank line
        elif text:
            role = block.role
            if role == "text" and (bullet := _BULLET.match(text)) and len(text) > bullet.end():
                text, role = text[bullet.end() :], "item"
            links = tuple(u for link in block.links if (u := web_address(link)) is not None)
            kept.append(Block(block.line, text, role, links))
        else:
            kept.append(None)

    joined = _join_wrapped(kept) if join_wrapped else [b for b in kept if b is not None]
    return Page(name, kind, joined, footnotes, first_note, issue_date)


def _join_wrapped(blocks: list[Block | None]) -> list[Block]:
    lengths = [len(b.text) for b in blocks if b is not None]
    width = max(lengths, default=0)
    wrapped = 40 <= width <= 130 and sum(n >= 0.6 * width for n in lengths) * 2 >= len(lengths)
    out: list[Block] = []
    parts: list[str] = []  # the text of out[-1], joined once at the end: no quadratic growth
    prev_open = False
    for block in blocks:
        if block is None:
            prev_open = False
            continue
        if prev_open and out and (block.text[0].islower() or not _MARKED_END.search(parts[-1][-12:])):
            parts.append(block.text)
        else:
            if out:
                out[-1].text = " ".join(parts)
            out.append(Block(block.line, block.text, block.role, block.links))
            parts = [block.text]
        prev_open = wrapped and len(block.text) >= 0.7 * width
    if out:
        out[-1].text = " ".join(parts)
    return out
