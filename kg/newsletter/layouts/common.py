"""What the layouts share: the page without its furniture, source lines, and making an item."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from kg.newsletter.dates import find_dates, safe_date
from kg.newsletter.document import Block, Page, web_address
from kg.newsletter.furniture import furniture, heads_links_elsewhere
from kg.newsletter.headlines import is_headline_like, is_page_title, is_section_label, lead_sentence, without_rules
from kg.newsletter.items import ParsedItem

__all__ = [
    "Segmentation",
    "chinese_line",
    "content_blocks",
    "date_only",
    "header_date",
    "make_item",
    "parts_of_one",
    "preamble",
    "source_url",
    "strip_date_lead",
    "title_line",
]


@dataclass
class Segmentation:
    """What a layout made of a page: its items, what it skipped, and a note for ``--explain``."""

    items: list[ParsedItem]
    note: str
    warnings: list[str] = field(default_factory=list)
    issue_date: dt.date | None = None


_MONTH_WORDS = r"(?P<month>[A-Za-z]{3,9})\.?"
_DATE_FORMS = (
    r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})",
    _MONTH_WORDS + r"\s+(?P<d>\d{1,2}),?\s+(?P<y>\d{4})",
    r"(?P<d>\d{1,2})\s+" + _MONTH_WORDS + r",?\s+(?P<y>\d{4})",
)
# "Date: February 17, 2022", "Published 17 Feb 2022": a header line giving the issue's date.
_DATE_KEYWORD = [
    re.compile(r"\b(?:date[d]?|published|issued?|posted|updated)\b\s*(?:on)?\s*[:\-]?\s*" + form, re.IGNORECASE)
    for form in _DATE_FORMS
]
_DATE_ALONE = [re.compile(r"^\W*" + form + r"\W*$") for form in _DATE_FORMS]


def header_date(text: str) -> dt.date | None:
    """The date a header line prints (``Date: 17 Feb 2022``, or a line that is only a full date)."""
    from kg.newsletter.dates import MONTHS

    patterns = _DATE_KEYWORD + (_DATE_ALONE if len(text) <= 40 else [])
    for pattern in patterns:
        m = pattern.search(text)
        if m is None:
            continue
        parts = m.groupdict()
        month = int(parts["m"]) if parts.get("m") else MONTHS.get((parts.get("month") or "").lower())
        if month is None:
            continue
        found = safe_date(int(parts["y"]), month, int(parts["d"]))
        if found is not None:
            return found
    return None


_WEEKDAY = r"(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)[a-z]*\.?,?"


def date_only(text: str) -> bool:
    """Whether a block is nothing but a date (``30 September 2024``, ``Posted on Sept. 6, 2024``).

    >>> date_only("Monday, 30 September 2024"), date_only("30 September 2024 – CAC acts")
    (True, False)
    """
    if len(text) > 50:
        return False
    rest = re.sub(
        rf"^(?:(?:posted|published|updated|date[d]?)\s*(?:on)?\s*:?\s*)?(?:{_WEEKDAY}\s*)?", "", text, flags=re.I
    )
    dates = find_dates(rest)
    if len(dates) != 1 or dates[0].start > 1:
        return False
    return not re.search(r"[A-Za-z]{2,}", rest[dates[0].end :])


_SOURCE_LINE = re.compile(
    r"^\(?\s*(?:source|sources|link|links|original|original text|full text|read more|more|url|see|via|来源|原文)"
    r"\s*[:：]?\s*((?:https?://|www\.)\S+?)[).]?\s*$|^((?:https?://|www\.)\S+)$",
    re.IGNORECASE,
)


def source_url(block: Block) -> str | None:
    """The URL of a block that only points to a source (``Source: https://…`` or a bare URL)."""
    m = _SOURCE_LINE.match(block.text)
    if not m:
        return None
    return web_address(m.group(1) or m.group(2))


_HEADER_KEYWORD = re.compile(
    r"(?:^|[|·•]\s*)\W*(?:date[d]?|published|posted|updated|issued|release date|last modified)\b", re.IGNORECASE
)
# A bare Unix time in milliseconds or seconds, as some sites print the publication time.
_EPOCH = re.compile(r"^\s*(1[0-9]{9})(?:[0-9]{3})?\s*$")
# "November 8, 2016, Covington Alert": a date and a publisher's label, the copy's dateline.
_DATELINE = re.compile(
    r"^\W*(?P<date>[A-Z][a-z]{2,8}\.? \d{1,2}, (?:19|20)\d\d|\d{1,2} [A-Z][a-z]{2,8}\.? (?:19|20)\d\d)[,|–-]\s*[A-Z][\w&'’ .-]{2,40}$"
)


def _header_date(text: str) -> dt.date | None:
    """The issue date a header line prints: a keyword and a date, a Unix time, or a dateline."""
    if (epoch := _EPOCH.match(text)) is not None:
        stamp = dt.datetime.fromtimestamp(int(epoch.group(1)), tz=dt.UTC).date()
        return stamp if dt.date(2000, 1, 1) <= stamp <= dt.date(2040, 1, 1) else None
    if furniture(text) == "timestamp":  # "(Xinhua) 13:09, September 07, 2023": when the copy was published
        dated = [d for d in find_dates(text) if d.year is not None and d.day is not None]
        return (
            safe_date(dated[0].year, dated[0].month, dated[0].day) if dated and dated[0].year and dated[0].day else None
        )
    if is_page_title(text) and not date_only(text):  # "Notes from the Asia-Pacific region, 28 May 2021"
        dated = [d for d in find_dates(text) if d.year is not None and d.day is not None]
        titled = safe_date(dated[-1].year or 0, dated[-1].month, dated[-1].day or 1) if dated else None
        if titled is not None:
            return titled
    if (dateline := _DATELINE.match(text)) is not None:
        return header_date(dateline.group("date"))
    if _HEADER_KEYWORD.search(text):
        return header_date(text) or header_date(text.replace("|", " "))
    return None


def content_blocks(page: Page) -> tuple[list[Block], dt.date | None, list[str]]:
    """The page's blocks without furniture or its header date line; the issue date it prints; what was dropped.

    A line that is only a date is the issue's header when it opens the page and no other date
    line follows soon; in a list of dated entries, date lines stay, for the layout to read.
    Worked out once per page; every layout reads the same answer.
    """
    cached = page.memo.get("content_blocks")
    if not isinstance(cached, tuple):
        cached = _content_blocks(page)
        page.memo["content_blocks"] = cached
    blocks: list[Block] = cached[0]
    issue_date: dt.date | None = cached[1]
    dropped: list[str] = cached[2]
    return list(blocks), issue_date, list(dropped)


def _content_blocks(page: Page) -> tuple[list[Block], dt.date | None, list[str]]:
    kept: list[Block] = []
    dropped: list[str] = []
    issue_date = page.issue_date
    seen: dict[str, int] = {}
    for block in page.blocks:
        key = " ".join(re.findall(r"\w+", block.text.lower()))
        seen[key] = seen.get(key, 0) + 1
    dated = [i for i, b in enumerate(page.blocks[:40]) if len(b.text) <= 50 and date_only(b.text)]
    for index, block in enumerate(page.blocks):
        text = block.text
        kind = None
        # A title line may run on into a link to other pages ("… 28 May 2021 Related reading: … 21 May 2021").
        head = _RELATED_TAIL.split(text, maxsplit=1)[0].rstrip()
        if index < 8 and len(head) <= 90:
            found = _header_date(head)
            if found is None and date_only(text) and index < 3 and not any(index < j <= index + 10 for j in dated):
                found = header_date(text)
            if found is not None:
                issue_date = issue_date or found
                kind = "date line"
        kind = kind or furniture(text)
        if kind is None and len(text) <= 80 and seen[" ".join(re.findall(r"\w+", text.lower()))] > 2:
            kind = "repeated page header"
        if kind is not None:
            dropped.append(f"{page.name}:{block.line}: skipped: {kind}: {_snippet(text)!r}")
            if kind == "navigation" and heads_links_elsewhere(text) and kept and index * 2 >= len(page.blocks):
                # "You might also like", "Most read": in a page's second half, what follows links to other pages.
                dropped += [
                    f"{page.name}:{later.line}: skipped: link to another page: {_snippet(later.text)!r}"
                    for later in page.blocks[index + 1 :]
                ]
                break
            continue
        kept.append(block)
    return kept, issue_date, dropped


_RELATED_TAIL = re.compile(
    r"\s+(?:Related (?:reading|articles?|posts?|content)|See also|Read next|Previous|Next)\s*:\s"
)


def _snippet(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


_DATE_LEAD = re.compile(r"^(?P<date>[^–—:|]{4,40}?)\s*(?:–|—|-{1,2}|:|\|)\s+(?=\S)")


def strip_date_lead(headline: str) -> str:
    """A headline without a leading ``30 September 2024 – `` (the date is the item's, not its title).

    >>> strip_date_lead("30 Sept. 2024 – CAC issues rules"), strip_date_lead("On 3 May, it acted")
    ('CAC issues rules', 'On 3 May, it acted')
    """
    m = _DATE_LEAD.match(headline)
    if m and date_only(m.group("date").strip()):
        return headline[m.end() :]
    return headline


_CONTENT_WORD = re.compile(r"[^\W\d_]{4,}")
_STOP = frozenset(
    [
        "that",
        "this",
        "with",
        "from",
        "have",
        "been",
        "were",
        "will",
        "their",
        "there",
        "which",
        "about",
        "into",
        "over",
        "after",
        "said",
        "says",
        "also",
        "more",
        "china",
        "chinese",
    ]
)


def _content_words(text: str) -> set[str]:
    return {w.lower() for w in _CONTENT_WORD.findall(text) if w.lower() not in _STOP}


def title_line(blocks: list[Block]) -> int | None:
    """The index of the title line over an article, or None when the text prints none.

    The title is among the first blocks: a headline-like line, not a label or a page title, whose
    words recur in the paragraphs after it (an unrelated line, such as a sports ticker, is not).
    """
    for index, block in enumerate(blocks[:5]):
        text = block.text
        if len(text) >= 100 and text.rstrip()[-1:] in ".。!?:":
            return None  # the text has begun: a title stands over it, not inside it
        if not is_headline_like(text) or is_page_title(text) or date_only(text):
            continue
        following = ""
        for after in blocks[index + 1 : index + 9]:
            if not date_only(after.text):
                following += " " + after.text
            if len(following) >= 400:
                break
        if len(following) >= 40 and (_content_words(text) & _content_words(following) or chinese_line(text)):
            if _PART_OF_ONE.match(text) and (over := _line_over(blocks[:index])) is not None:
                return over  # "Case 1: …" opens the cases a page lists; the line over it titles them all
            return index
    return None


def _line_over(blocks: list[Block]) -> int | None:
    """The last line over the first of a page's cases that can title the page: a short unpunctuated line."""
    for index in range(len(blocks) - 1, -1, -1):
        text = blocks[index].text.rstrip()
        if 20 <= len(text) <= 200 and text[-1:] not in ".。:;" and not is_section_label(text) and not date_only(text):
            return index
    return None


def chinese_line(text: str) -> bool:
    """Whether a line is written in Chinese: eight characters or more (Chinese has no capitals to tell a title by).

    >>> chinese_line("国家网信办发布个人信息出境认证办法"), chinese_line("CAC Fines Didi")
    (True, False)
    """
    return sum(1 for c in text if "\u4e00" <= c <= "\u9fff") >= 8


_PART_OF_ONE = re.compile(
    r"^(?:\(?\d{1,2}[.)）]\s*)?(?:Typical\s+)?(?:Case|Example|Scenario|Question|Step|Article)\b", re.IGNORECASE
)


def parts_of_one(headlines: list[str]) -> bool:
    """Whether the headlines are the cases or examples one release lists ("(1) Case of …"), not items.

    >>> parts_of_one(["(1) Case of Webpage Tampering", "(2) Case of Data Theft"]), parts_of_one(["CAC Fines App"])
    (True, False)
    """
    return sum(1 for headline in headlines if _PART_OF_ONE.match(headline)) * 2 > len(headlines)


def preamble(page: Page, blocks: list[Block], what: str = "item") -> tuple[str | None, list[str]]:
    """What stands before a layout's first item: its section heading, and warnings for the rest.

    The section is the last heading printed; every other block (an introduction, a summary of the
    issue) is not an item, and is reported as skipped.
    """
    section: str | None = None
    skipped: list[str] = []
    for block in blocks:
        if not date_only(block.text) and (is_section_label(block.text) or block.role == "heading"):
            section = block.text
        else:
            skipped.append(f"{page.name}:{block.line}: skipped: text before the first {what}: {_snippet(block.text)!r}")
    return section, skipped


def make_item(
    n: int,
    headline: Block | str | None,
    body: list[Block],
    section: str | None,
) -> ParsedItem | None:
    """An item from its headline and body blocks; the lead sentence stands in for a missing headline.

    ``Source:`` lines and bare URLs in the body become the item's source, as does the first link
    of an HTML or Markdown item (its headline's link first). None when the body holds no text.
    """
    source = None
    texts: list[str] = []
    first_line: int | None = None
    links: list[str] = []
    if isinstance(headline, Block):
        links += headline.links
    for block in body:
        url = source_url(block)
        if url is not None:
            source = source or url
            continue
        texts.append(block.text)
        links += block.links
        first_line = block.line if first_line is None else first_line
    if not texts:
        return None
    if source is None and links:
        source = links[0]
    if isinstance(headline, Block):
        title = headline.text
    elif isinstance(headline, str):
        title = headline
    else:
        title = lead_sentence(texts[0])
    title = strip_date_lead(title)
    return ParsedItem(
        n=n,
        headline=title,
        paragraph="\n".join(texts),
        # A label printed between rules ("————Regulatory Highlights————") is the label alone.
        section=without_rules(section) or None if section else None,
        source=source,
        line=first_line if first_line is not None else (headline.line if isinstance(headline, Block) else 1),
    )
