"""Footnoted items: headline, paragraph ending in a footnote number, and a list of source URLs.

The layout of the monthly series in ``../shared/corpus``. Real issues bend it: the headline may be
printed after its paragraph, glued to the marker; markers are written ``" 1"``, ``".1"`` or
``'"1'``; sections are missing or renamed; a page header repeats the first line. The layout
therefore trusts one thing above all: footnote numbers rise by one through the issue. It collects
every place where a paragraph *could* end with a footnote number and keeps the best rising sequence
of them (O(n log n)); everything else is placed around those anchors with general line-shape rules.

A number at the end of a line is a marker only where the layout holds: never a year, a day of a
month ("20 August 2021", "June 1, 2023") or a number after "No." or "Article"; and the sequence
must start low and rise densely, or match the footnote list.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from kg.newsletter.document import Block, Page
from kg.newsletter.furniture import is_disclaimer
from kg.newsletter.items import ParsedItem
from kg.newsletter.layouts.common import Segmentation, header_date

NAME = "footnoted"

# A marker at the end of a line: "… scope. 8", "… reality.1", '… platforms".7', "… (2022)3", "… [4]".
# A bare digit glued to a word ("Covid-19", "APP1") is never a marker.
_END_MARKER = re.compile(r"(?:\s+|(?<=[.!?;:。\"'”’)\]]))\[?(\d{1,5})\]?$")
# A marker glued to the headline printed after its paragraph: "… the scope. 8CVERC Identifies …".
# The number must touch the next word: with a space between it reads as a sentence ("17 APPs …").
_GLUED_MARKER = re.compile(r"(?<=[.!?。\"'”’)\]])\s?(\d{1,5})(?=[A-Z“\"‘(][\w\"'“‘])")
_URL_ONLY = re.compile(r"^(?:https?://|www\.)\S+$")
_MONTH_NAME = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b\.?"
)
# A number that is part of a date: after a day and month ("20 August 2021"), a month and day
# ("June 1, 2023") or a month ("August 2021"), with a space between; "… on 1 May.2" is a marker.
_DATE_BEFORE_MARKER = re.compile(
    rf"(?:\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH_NAME},?|{_MONTH_NAME}(?:\s+\d{{1,2}}(?:st|nd|rd|th)?,?)?)\s+$"
)
# A number after a word that numbers things: "No.15", "Article 38", "Order 7".
_COUNTER_BEFORE_MARKER = re.compile(
    r"\b(?:No|Nos|Number|Art|Arts|Article|Articles|Order|Decree|Circular|Item|Para|Paragraph|Section|Chapter|Rule"
    r"|Version|Vol|Volume|Phase|Batch|Level|Class|Grade|Tier|Page|pp?|GB|GB/T|Case|Annex|Appendix|Schedule|Step"
    r"|Round|Issue|Edition|Part|Clause|Point|Tranche)\.?\s*$",
    re.IGNORECASE,
)
_MASTHEAD = re.compile(
    r"\b(?:newsletter|bulletin|edition|volume|table of contents|page \d+(?: of \d+)?)\b"
    r"|^(?:article|contents|news|footnotes?|endnotes?|notes|sources?|references?)$",
    re.IGNORECASE,
)
_SMALL_WORDS = frozenset({"a", "an", "and", "&", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"})


def _is_heading(text: str) -> bool:
    """Short, unpunctuated, upper- or title-case: how section headings look."""
    if len(text) > 60 or not text[:1].isalpha() or "://" in text or text[-1] in ".,;!?":
        return False
    words = text.split()
    if len(words) > 6:
        return False
    if text.upper() == text:
        return True
    return all(not w[0].isalpha() or w[0].isupper() or w.lower() in _SMALL_WORDS for w in words)


_SECTION_WORDS = re.compile(
    r"\b(?:legislation|legislative|enforcement|cases?|courts?|litigation|judicial|policy|policies|regulations?"
    r"|regulatory|authority|updates?|news|developments?|others?|miscellaneous|industry|standards?)\b",
    re.IGNORECASE,
)


def _is_section_name(text: str) -> bool:
    """Stricter than :func:`_is_heading`, for a lone line that could be a short headline instead."""
    return _is_heading(text) and (text.upper() == text or bool(_SECTION_WORDS.search(text)))


def _is_headline(text: str) -> bool:
    """Could this be a headline? Headlines are short and rarely end like a sentence."""
    if _URL_ONLY.match(text):
        return False
    return len(text) <= 80 or (len(text) <= 250 and text[-1] not in ".;:,")


@lru_cache(maxsize=4096)
def _key(text: str) -> str:
    """Comparison key for spotting repeated page headers."""
    return " ".join(re.findall(r"\w+", text.lower()))


@dataclass(slots=True)
class _Cand:
    """A place where a paragraph could end with footnote number ``n``."""

    unit: int
    start: int
    end: int
    n: int
    glued: bool


def _marker_allowed(text: str, start: int, n: int, spaced: bool) -> bool:
    """Whether the number at ``start`` may be a footnote marker rather than a date, year or numbered thing."""
    if spaced and 1900 <= n <= 2100:
        return False
    before = text[max(0, start - 24) : start]
    return _DATE_BEFORE_MARKER.search(before) is None and _COUNTER_BEFORE_MARKER.search(before) is None


def _candidates(units: list[Block]) -> list[_Cand]:
    cands = []
    for i, unit in enumerate(units):
        for glued in _GLUED_MARKER.finditer(unit.text):
            n = int(glued.group(1))
            if _marker_allowed(unit.text, glued.start(1), n, False):
                cands.append(_Cand(i, glued.start(), glued.end(), n, True))
        # Only the last few characters can hold an end marker; searching them alone saves a scan.
        m = _END_MARKER.search(unit.text, max(0, len(unit.text) - 8))
        if m and _marker_allowed(unit.text, m.start(), int(m.group(1)), unit.text[m.start()].isspace()):
            cands.append(_Cand(i, m.start(), len(unit.text), int(m.group(1)), False))
            digits, at = m.group(1), m.start(1)
            # "… fell 7.25" may be "7.2" with marker 5, "… in 2022.11" "2022." with marker 11:
            # offer both readings and let the sequence decide.
            if at >= 2 and unit.text[at - 1] == "." and unit.text[at - 2].isdigit():
                for cut in range(1, len(digits)):
                    cands.append(_Cand(i, at + cut, len(unit.text), int(digits[cut:]), False))
    return cands


_GAP = 0.5  # cost of each footnote number skipped in the sequence


class _PrefixMax:
    """Maximum over positions ``0 .. n-1`` (a Fenwick tree); stored values only ever grow."""

    def __init__(self, size: int) -> None:
        self._tree: list[tuple[float, int]] = [(float("-inf"), -1)] * (size + 1)

    def raise_to(self, position: int, value: tuple[float, int]) -> None:
        i = position + 1
        while i < len(self._tree):
            if value > self._tree[i]:
                self._tree[i] = value
            i += i & -i

    def below(self, position: int) -> tuple[float, int]:
        best = (float("-inf"), -1)
        i = position
        while i > 0:
            if self._tree[i] > best:
                best = self._tree[i]
            i -= i & -i
        return best


def _chain(cands: list[_Cand], footnotes: dict[int, str]) -> list[_Cand]:
    """The best rising sequence of footnote numbers, at most one per unit.

    Each candidate scores 1 (slightly negative when a footnote list exists and lacks its number);
    skipping a number costs ``_GAP``. Among equal scores the later candidate wins, so a headline
    that happens to end with the right number yields to its paragraph.

    Extending a chain that ends at ``m`` with ``n`` scores ``(s_m + GAP·m) + gain - GAP·(n-1)``,
    so the best predecessor is a prefix maximum of ``s_m + GAP·m``: a Fenwick tree finds it in
    O(log n), keeping the whole search O(n log n) for issues of any length.
    """
    if not cands:
        return []
    score = [0.0] * len(cands)
    back = [-1] * len(cands)
    held: dict[int, float] = {}
    best_before = _PrefixMax(max(c.n for c in cands) + 1)
    i = 0
    while i < len(cands):
        j = i
        while j < len(cands) and cands[j].unit == cands[i].unit:
            j += 1
        for k in range(i, j):
            n = cands[k].n
            gain = 1.0 if not footnotes or n in footnotes else -0.1
            best, prev = gain - 0.01 * (n - 1), -1
            value, idx = best_before.below(n)
            if idx >= 0 and value + gain - _GAP * (n - 1) > best:
                best, prev = value + gain - _GAP * (n - 1), idx
            score[k], back[k] = best, prev
        for k in range(i, j):  # only now: two markers never come from one unit
            n = cands[k].n
            if n not in held or score[k] >= held[n]:
                held[n] = score[k]
                best_before.raise_to(n, (score[k] + _GAP * n, k))
        i = j
    top = max(range(len(cands)), key=lambda k: (score[k], k))
    chain = []
    while top >= 0:
        chain.append(cands[top])
        top = back[top]
    return chain[::-1]


@dataclass(slots=True)
class _Draft:
    cand: _Cand
    pre: list[Block]
    paragraph: str
    line: int
    tail: Block | None
    headline: Block | None = None


def _holds(chain: list[_Cand], footnotes: dict[int, str]) -> str | None:
    """Why the chain of markers is not a footnoted layout, or None when it is one."""
    if not chain:
        return "no paragraph ends with a footnote number"
    numbers = [c.n for c in chain]
    if footnotes and any(n in footnotes for n in numbers):
        return None
    if len(chain) < 2:
        return f"one number ends a paragraph ({numbers[0]}) and no footnote list confirms it"
    if numbers[0] > 3:
        return f"the numbers ending paragraphs start at {numbers[0]}, not near 1"
    if len(chain) < 0.5 * (numbers[-1] - numbers[0] + 1):
        return f"the numbers ending paragraphs ({numbers[0]}..{numbers[-1]}) skip more than they keep"
    return None


def segment(page: Page) -> Segmentation | str:
    """The page's items by footnote markers, or why this layout does not hold."""
    units, footnotes, first_note = page.blocks, page.footnotes, page.first_note
    chain = _chain(_candidates(units), footnotes)
    why_not = _holds(chain, footnotes)
    if why_not is not None:
        return why_not
    return _segment(units, footnotes, first_note, chain, page.name, page.issue_date)


def _segment(
    units: list[Block],
    footnotes: dict[int, str],
    first_note: int | None,
    chain: list[_Cand],
    name: str,
    issue_date: datetime.date | None,
) -> Segmentation | str:

    keys = [_key(u.text) for u in units]
    counts: dict[str, int] = {}
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    warnings: list[str] = []
    header_dates: list[datetime.date] = []

    def skip(unit: Block, why: str) -> None:
        snippet = unit.text if len(unit.text) <= 60 else unit.text[:57] + "..."
        warnings.append(f"{name}:{unit.line}: skipped: {why}: {snippet!r}")

    def is_apparatus(unit: Block, index: int | None) -> bool:
        """Page headers, mastheads, dates: text that is silently not part of any item."""
        found = header_date(unit.text)
        if found is not None:
            header_dates.append(found)
            return True
        if _MASTHEAD.search(unit.text) and len(unit.text) <= 80:
            return True
        if index is None:
            return False
        key = keys[index]
        if counts[key] > 1:  # a page header printed on every page
            return True
        # A header that repeats (part of) the first line or paragraph, or contains it.
        # Compared with the opening lines only: a page header repeats how the issue begins.
        return len(key) >= 12 and any(
            j != index and len(keys[j]) >= 12 and (key in keys[j] or keys[j] in key) for j in range(min(len(units), 8))
        )

    index_of = {id(u): i for i, u in enumerate(units)}

    # Cut the text at the chosen markers: each item owns the units since the previous marker.
    drafts: list[_Draft] = []
    start = 0
    for cand in chain:
        unit = units[cand.unit]
        pre = units[start : cand.unit]
        paragraph, line = unit.text[: cand.start].rstrip(), unit.line
        if not paragraph and pre:  # the marker stands on a line of its own
            paragraph, line = pre[-1].text, pre[-1].line
            pre = pre[:-1]
        tail_text = unit.text[cand.end :].strip() if cand.glued else ""
        drafts.append(_Draft(cand, list(pre), paragraph, line, Block(unit.line, tail_text) if tail_text else None))
        start = cand.unit + 1
    trailer = units[start:]

    def own_headline(pre: list[Block]) -> bool:
        return any(_is_headline(u.text) and not _is_section_name(u.text) for u in pre)

    # A headline glued after a marker belongs to that paragraph if it has none of its own,
    # else to the next item if that one has none (a lost line break), else nowhere.
    for k, draft in enumerate(drafts):
        if draft.tail is None:
            continue
        if not own_headline(draft.pre):
            draft.headline = draft.tail
        elif k + 1 < len(drafts) and drafts[k + 1].headline is None and not own_headline(drafts[k + 1].pre):
            drafts[k + 1].pre.append(draft.tail)
        else:
            skip(draft.tail, "text after a footnote marker, not a headline")

    def furniture(unit: Block, in_pre: Counter[str]) -> bool:
        """A page header or footer: repeated elsewhere in the issue, a masthead, or a date line."""
        key = _key(unit.text)
        elsewhere = counts.get(key, 0) > in_pre[key]
        return (
            elsewhere
            or (_MASTHEAD.search(unit.text) is not None and len(unit.text) <= 80)
            or (header_date(unit.text) is not None)
        )

    items: list[ParsedItem] = []
    section: str | None = None
    last_n = 0
    for draft in drafts:
        pre, extra = draft.pre, []
        in_pre = Counter(_key(u.text) for u in pre)
        para_key = _key(draft.paragraph)
        if draft.headline is None:
            # The headline is the last headline-shaped unit before the paragraph; units after it
            # are earlier paragraphs of the same item.
            for j in range(len(pre) - 1, -1, -1):
                unit = pre[j]
                if _is_headline(unit.text) and _key(unit.text) not in para_key and not furniture(unit, in_pre):
                    draft.headline = unit
                    extra = [u for u in pre[j + 1 :] if _key(u.text) not in para_key and not furniture(u, in_pre)]
                    pre = pre[:j]
                    in_pre = Counter(_key(u.text) for u in pre)
                    break
        # What precedes the headline: section headings, headers, and maybe whole items whose
        # marker was lost; those are kept when the gap in the numbering leaves room for them.
        gap = draft.cand.n - last_n - 1
        pending: Block | None = None
        for unit in pre:
            if draft.headline is not None and _key(unit.text) == _key(draft.headline.text):
                continue  # a page header repeating the headline
            if pending is None and _is_heading(unit.text) and not furniture(unit, in_pre):
                section = unit.text
            elif is_apparatus(unit, index_of.get(id(unit))) or furniture(unit, in_pre):
                continue
            elif pending is None and _is_headline(unit.text):
                pending = unit
            elif pending is not None and gap > 0 and not _is_headline(unit.text):
                last_n += 1
                gap -= 1
                items.append(
                    ParsedItem(
                        n=last_n,
                        headline=pending.text,
                        paragraph=unit.text,
                        section=section,
                        source=footnotes.get(last_n),
                        line=unit.line,
                    )
                )
                warnings.append(f"{name}:{unit.line}: item {last_n} has no footnote marker; numbered by sequence")
                pending = None
            else:
                for lost in (pending, unit) if pending is not None else (unit,):
                    skip(lost, "text before a headline that is neither a section heading nor a header")
                pending = None
        if pending is not None:
            skip(pending, "text before a headline that is neither a section heading nor a header")
        if draft.headline is None:
            warnings.append(f"{name}:{draft.line}: item {draft.cand.n} has no headline")
        paragraph = "\n".join([u.text for u in extra] + [draft.paragraph])
        items.append(
            ParsedItem(
                n=draft.cand.n,
                headline=draft.headline.text if draft.headline else "",
                paragraph=paragraph,
                section=section,
                source=footnotes.get(draft.cand.n),
                line=extra[0].line if extra else draft.line,
            )
        )
        last_n = draft.cand.n

    for unit in trailer:
        after_notes = first_note is not None and unit.line > first_note
        if after_notes or is_disclaimer(unit.text) or is_apparatus(unit, index_of[id(unit)]):
            continue
        skip(unit, "text after the last item")

    if not any(item.headline for item in items):
        return "no footnoted paragraph has a headline"
    note = f"{len(chain)} footnote markers rising from {chain[0].n} to {chain[-1].n}" + (
        f", {len(footnotes)} source URLs listed" if footnotes else ""
    )
    return Segmentation(items, note, warnings, issue_date or (header_dates[0] if header_dates else None))
