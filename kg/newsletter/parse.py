"""Parse newsletter issues (plain text, HTML or Markdown) into their news items.

An issue is a run of items, each a headline and a paragraph that ends with a footnote number,
grouped under optional section headings and usually followed by a footnote list (``N URL``).
Real issues bend this shape: the headline may be printed after its paragraph, glued to the
marker; markers are written ``" 1"``, ``".1"`` or ``'"1'``; sections are missing or renamed; a page
header repeats the first line. The parser therefore trusts one thing above all: footnote numbers
rise by one through the issue. It collects every place where a paragraph *could* end with a
footnote number and keeps the longest rising sequence of them; everything else is placed around
those anchors with general line-shape rules, never rules written for one item.

Pure line and regex work: no per-item heavy lifting, so thousands of items parse per second.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

from pydantic import BaseModel

from kg.errors import InputError

__all__ = ["ParsedIssue", "ParsedItem", "parse_file", "parse_text"]


class ParsedItem(BaseModel):
    """One news item of an issue."""

    n: int
    """The item's footnote number."""
    headline: str
    """The headline as printed (whitespace normalised); empty when the issue prints none."""
    paragraph: str
    """The item's text without the footnote marker (several paragraphs are joined by newlines)."""
    section: str | None
    """The section heading the item sits under, as printed, or None."""
    source: str | None
    """The URL footnote ``n`` points to, when the issue lists it."""
    line: int
    """1-based line in the input where the item's text (its paragraph) starts."""


class ParsedIssue(BaseModel):
    """One newsletter issue: its items in reading order, and what could not be placed."""

    name: str
    issue_date: datetime.date | None
    items: list[ParsedItem]
    warnings: list[str]


# --------------------------------------------------------------------------- text clean-up

# Superscript footnote digits become plain digits; zero-width characters (left by web and PDF
# exports) are dropped, since they would split words. Other odd spaces are whitespace to str.split.
_CLEAN_TABLE = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789", "\u200b\u200c\u200d\u2060\ufeff")


def _clean(line: str) -> str:
    return " ".join(line.translate(_CLEAN_TABLE).split())


# --------------------------------------------------------------------------- line patterns

# A marker at the end of a line: "… scope. 8", "… reality.1", '… platforms".7', "… (2022)3", "… [4]".
# A bare digit glued to a word ("Covid-19", "APP1") is never a marker.
_END_MARKER = re.compile(r"(?:\s+|(?<=[.!?;:。\"'”’)\]]))\[?(\d{1,5})\]?$")
# A marker glued to the headline printed after its paragraph: "… the scope. 8CVERC Identifies …".
# The number must touch the next word: with a space between it reads as a sentence ("17 APPs …").
_GLUED_MARKER = re.compile(r"(?<=[.!?。\"'”’)\]])\s?(\d{1,5})(?=[A-Z“\"‘(][\w\"'“‘])")
# A footnote-list entry: "1 https://…", "[2] https://…", "3. Source: https://…".
_FOOTNOTE = re.compile(r"^\[?(\d{1,5})\]?[.:)]?\s*(?:\S.{0,150}?\s)?((?:https?://|www\.)\S+)$")
_URL_ONLY = re.compile(r"^(?:https?://|www\.)\S+$")

_MONTHS = {
    m: i
    for i, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for m in names
}
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_DATE_FORMS = (
    r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})",
    _MONTH + r"\s+(?P<d>\d{1,2}),?\s+(?P<y>\d{4})",
    r"(?P<d>\d{1,2})\s+" + _MONTH + r",?\s+(?P<y>\d{4})",
)
# "date 2022-02-17", "Date: February 17, 2022", "Published 17 Feb 2022": a header, not an item.
_DATE_KEYWORD = [
    re.compile(r"\b(?:date[d]?|published|issued?)\b\s*[:\-]?\s*" + form, re.IGNORECASE) for form in _DATE_FORMS
]
_DATE_ALONE = [re.compile(r"^\W*" + form + r"\W*$") for form in _DATE_FORMS]

# Masthead and apparatus lines: titles, page numbers, a lone "ARTICLE" label, the list heading.
_MASTHEAD = re.compile(
    r"\b(?:newsletter|bulletin|edition|volume|table of contents|page \d+(?: of \d+)?)\b"
    r"|^(?:article|contents|news|footnotes?|endnotes?|notes|sources?|references?)$",
    re.IGNORECASE,
)
_DISCLAIMER = re.compile(
    r"intended to provide|general guide|legal advice|specialist advice|professional advice|disclaimer"
    r"|all rights reserved|copyright|©|for information(?:al)? purposes",
    re.IGNORECASE,
)
_SMALL_WORDS = frozenset({"a", "an", "and", "&", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"})


def _issue_date(text: str) -> datetime.date | None:
    """The date a header line prints, if it is one."""
    patterns = _DATE_KEYWORD + (_DATE_ALONE if len(text) <= 40 else [])
    for pattern in patterns:
        m = pattern.search(text)
        if m is None:
            continue
        parts = m.groupdict()
        month = int(parts["m"]) if parts.get("m") else _MONTHS.get((parts.get("month") or "").lower())
        if month is None:
            continue
        try:
            return datetime.date(int(parts["y"]), month, int(parts["d"]))
        except ValueError:
            continue
    return None


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


# --------------------------------------------------------------------------- HTML and Markdown


class _HTMLText(HTMLParser):
    """Reduces HTML to one text line per block element, remembering each block's source line."""

    _BLOCKS = frozenset(
        [
            "address",
            "article",
            "aside",
            "blockquote",
            "body",
            "br",
            "dd",
            "div",
            "dl",
            "dt",
            "figcaption",
            "figure",
            "footer",
            "form",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "header",
            "hr",
            "li",
            "main",
            "nav",
            "ol",
            "p",
            "pre",
            "section",
            "table",
            "tbody",
            "td",
            "th",
            "thead",
            "tr",
            "ul",
        ]
    )
    _SKIPPED = frozenset({"head", "noscript", "script", "style", "svg", "template", "title"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[tuple[int, str]] = []
        self._buf: list[str] = []
        self._line = 0
        self._skip = 0
        self._lists: list[int] = []  # per open list: the last number given (ordered) or -1 (unordered)
        self._in_li = 0
        self._href: str | None = None
        self._anchor: list[str] = []

    def _flush(self) -> None:
        text = "".join(self._buf)
        if text.strip():
            # A blank line after every block, so no later step joins two blocks into one.
            self.lines += [(self._line, text), (self._line, "")]
        self._buf = []

    def _text(self, data: str) -> None:
        if not "".join(self._buf).strip():
            lead = len(data) - len(data.lstrip())
            self._line = self.getpos()[0] + data[:lead].count("\n")
        self._buf.append(data)
        if self._href is not None:
            self._anchor.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIPPED:
            self._skip += 1
            return
        if tag in self._BLOCKS:
            self._flush()
        if tag == "ol":
            start = dict(attrs).get("start") or "1"
            self._lists.append(int(start) - 1 if start.isdigit() else 0)
        elif tag == "ul":
            self._lists.append(-1)
        elif tag == "li":
            self._in_li += 1
            # Ordered lists print their numbers by themselves; footnote lists need them as text.
            if self._lists and self._lists[-1] >= 0 and not self._skip:
                self._lists[-1] += 1
                self._text(f"{self._lists[-1]} ")
        elif tag == "a":
            self._href = dict(attrs).get("href") or ""
            self._anchor = []

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIPPED:
            self._skip = max(0, self._skip - 1)
            return
        if tag == "a" and self._href is not None:
            # In a footnote list the link text may be "Source": the URL is what we want.
            if self._in_li and self._href.startswith("http") and "http" not in "".join(self._anchor):
                self._buf.append(f" {self._href}")
            self._href = None
        elif tag in ("ol", "ul") and self._lists:
            self._lists.pop()
        elif tag == "li":
            self._in_li = max(0, self._in_li - 1)
        if tag in self._BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._text(data)

    def close(self) -> None:
        super().close()
        self._flush()


def _html_lines(text: str) -> list[tuple[int, str]]:
    parser = _HTMLText()
    parser.feed(text)
    parser.close()
    return parser.lines


_MD_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$"), ""),  # horizontal rule
    (re.compile(r"^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$"), r"\1"),  # ATX heading
    (re.compile(r"^\s{0,3}(?:>\s?)+"), ""),  # block quote
    (re.compile(r"^\s*[-*+]\s+"), ""),  # bullet
    (re.compile(r"^\s*\[\^(\d+)\]:\s*"), r"\1 "),  # footnote definition -> "N text"
    (re.compile(r"\[\^(\d+)\]"), r"\1"),  # footnote reference -> glued number
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # image -> alt text
    (re.compile(r"<((?:https?://|www\.)[^>\s]+)>"), r"\1"),  # autolink
    (re.compile(r"</?[A-Za-z][^>]*>"), ""),  # inline HTML such as <sup>
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # strong
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),  # emphasis
    (re.compile(r"(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)"), r"\1"),  # emphasis; never inside URLs
    (re.compile(r"`+([^`]*)`+"), r"\1"),  # code
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!>])"), r"\1"),  # escapes
]
_MD_LINK = re.compile(r"\[([^\]]*)\]\(\s*(\S+?)(?:\s+\"[^\"]*\")?\s*\)")
_MD_BLOCK_START = re.compile(r"^\s{0,3}(?:#{1,6}\s|>|[-*+]\s|\d{1,3}[.)]\s|\[\^\d+\]:|(?:[-*_]\s*){3,}$|<)")
_MD_STRONG_LINE = re.compile(r"^\s*(\*\*|__)[^*_].*\1\s*$")
_MD_NUMBERED = re.compile(r"^\s*(?:\[\^?\d+\]:|\d{1,3}[.)]?\s)")


def _markdown_lines(text: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    open_paragraph = False  # the previous line is prose that the next line may continue
    for lineno, line in enumerate(text.split("\n"), start=1):
        numbered = bool(_MD_NUMBERED.match(line))
        block = bool(_MD_BLOCK_START.match(line))

        def link(m: re.Match[str], numbered: bool = numbered) -> str:
            label, url = m.group(1), m.group(2)
            # In a footnote list keep the URL, which is the source; in prose keep the words.
            if numbered and url.startswith(("http", "www.")):
                return url if label.strip() in ("", url) else f"{label} {url}"
            return label

        line = _MD_LINK.sub(link, line)
        hard_break = line.endswith(("  ", "\\")) or bool(_MD_STRONG_LINE.match(line))
        for pattern, repl in _MD_RULES:
            line = pattern.sub(repl, line)
        # Markdown joins the lines of a paragraph; a soft-wrapped paragraph is still one paragraph.
        if open_paragraph and line.strip() and not block:
            out[-1] = (out[-1][0], out[-1][1].rstrip("\\ ") + " " + line.strip())
            out.append((lineno, ""))  # keep one entry per input line
        else:
            out.append((lineno, line))
        open_paragraph = bool(line.strip()) and not block and not hard_break
    return out


_HTML_SNIFF = re.compile(r"^\s*<(?:!doctype\s+html|html|head|body|p|div|h[1-6]|article|section|ol|ul)\b", re.I)
_HTML_BLOCK_TAGS = re.compile(r"</p>|<br\s*/?>|</div>|</h[1-6]>", re.I)
_MD_SNIFF = re.compile(
    r"^\s{0,3}#{1,6}\s+\S|^\*\*[^*\n]+\*\*\s*$|^\[\^\d+\]:|\[\^\d+\]|\]\((?:https?://|www\.)", re.MULTILINE
)


def _sniff(text: str, suffix: str = "") -> str:
    """``html``, ``markdown`` or ``text``, from the file suffix first, else from the content."""
    suffix = suffix.lower()
    if suffix in (".html", ".htm", ".xhtml"):
        return "html"
    if suffix in (".md", ".markdown", ".mdown"):
        return "markdown"
    if _HTML_SNIFF.match(text) or len(_HTML_BLOCK_TAGS.findall(text, 0, 20000)) >= 2:
        return "html"
    if _MD_SNIFF.search(text, 0, 20000):
        return "markdown"
    return "text"


# --------------------------------------------------------------------------- the parser


@dataclass(slots=True)
class _Unit:
    """A block of text: one printed line, or hard-wrapped lines joined."""

    line: int
    text: str


@dataclass(slots=True)
class _Cand:
    """A place where a paragraph could end with footnote number ``n``."""

    unit: int
    start: int
    end: int
    n: int
    glued: bool


def _units(lines: list[tuple[int, str]]) -> tuple[list[_Unit], dict[int, str], int | None]:
    """Text units, the footnote list (n -> URL) and the line where the first footnote entry sits."""
    cleaned = [(no, _clean(raw)) for no, raw in lines]
    footnotes: dict[int, str] = {}
    first_note: int | None = None
    kept: list[tuple[int, str]] = []
    for no, text in cleaned:
        m = _FOOTNOTE.match(text)
        if m:
            footnotes.setdefault(int(m.group(1)), m.group(2).rstrip(".,;"))
            first_note = no if first_note is None else first_note
            kept.append((no, ""))  # the list entry separates blocks like a blank line
        else:
            kept.append((no, text))

    # Hard-wrapped text (every line short, many near one width) has its lines rejoined; text with
    # one paragraph per line, like the published issues, is left line by line.
    lengths = [len(t) for _, t in kept if t]
    width = max(lengths, default=0)
    wrapped = 40 <= width <= 130 and sum(n >= 0.6 * width for n in lengths) * 2 >= len(lengths)

    units: list[_Unit] = []
    prev_open = False  # the last unit may continue on the next line
    for no, text in kept:
        if not text:
            prev_open = False
            continue
        if prev_open and units and (text[0].islower() or not _END_MARKER.search(units[-1].text)):
            units[-1].text += " " + text
        else:
            units.append(_Unit(no, text))
        prev_open = wrapped and len(text) >= 0.7 * width
    return units, footnotes, first_note


def _candidates(units: list[_Unit]) -> list[_Cand]:
    cands = []
    for i, unit in enumerate(units):
        for glued in _GLUED_MARKER.finditer(unit.text):
            cands.append(_Cand(i, glued.start(), glued.end(), int(glued.group(1)), True))
        # Only the last few characters can hold an end marker; searching them alone saves a scan.
        m = _END_MARKER.search(unit.text, max(0, len(unit.text) - 8))
        if m:
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
    pre: list[_Unit]
    paragraph: str
    line: int
    tail: _Unit | None
    headline: _Unit | None = None


def _parse_lines(lines: list[tuple[int, str]], name: str) -> ParsedIssue:
    units, footnotes, first_note = _units(lines)
    chain = _chain(_candidates(units), footnotes)
    if not chain:
        raise InputError("no news items found: no paragraph ends with a footnote number", name)

    keys = [_key(u.text) for u in units]
    counts: dict[str, int] = {}
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    warnings: list[str] = []
    header_dates: list[datetime.date] = []

    def skip(unit: _Unit, why: str) -> None:
        snippet = unit.text if len(unit.text) <= 60 else unit.text[:57] + "..."
        warnings.append(f"{name}:{unit.line}: skipped: {why}: {snippet!r}")

    def is_apparatus(unit: _Unit, index: int | None) -> bool:
        """Page headers, mastheads, dates: text that is silently not part of any item."""
        found = _issue_date(unit.text)
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
        return len(key) >= 12 and any(
            j != index and len(keys[j]) >= 12 and (key in keys[j] or keys[j] in key)
            for j in range(min(len(units), index + 8))
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
        drafts.append(_Draft(cand, list(pre), paragraph, line, _Unit(unit.line, tail_text) if tail_text else None))
        start = cand.unit + 1
    trailer = units[start:]

    def own_headline(pre: list[_Unit]) -> bool:
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

    def furniture(unit: _Unit, pre: list[_Unit]) -> bool:
        """A page header or footer: repeated elsewhere in the issue, a masthead, or a date line."""
        key = _key(unit.text)
        elsewhere = counts.get(key, 0) > sum(1 for u in pre if _key(u.text) == key)
        return (
            elsewhere
            or (_MASTHEAD.search(unit.text) is not None and len(unit.text) <= 80)
            or (_issue_date(unit.text) is not None)
        )

    items: list[ParsedItem] = []
    section: str | None = None
    last_n = 0
    for draft in drafts:
        pre, extra = draft.pre, []
        para_key = _key(draft.paragraph)
        if draft.headline is None:
            # The headline is the last headline-shaped unit before the paragraph; units after it
            # are earlier paragraphs of the same item.
            for j in range(len(pre) - 1, -1, -1):
                unit = pre[j]
                if _is_headline(unit.text) and _key(unit.text) not in para_key and not furniture(unit, pre):
                    draft.headline = unit
                    extra = [u for u in pre[j + 1 :] if _key(u.text) not in para_key and not furniture(u, pre)]
                    pre = pre[:j]
                    break
        # What precedes the headline: section headings, headers, and maybe whole items whose
        # marker was lost; those are kept when the gap in the numbering leaves room for them.
        gap = draft.cand.n - last_n - 1
        pending: _Unit | None = None
        for unit in pre:
            if draft.headline is not None and _key(unit.text) == _key(draft.headline.text):
                continue  # a page header repeating the headline
            if pending is None and _is_heading(unit.text) and not furniture(unit, pre):
                section = unit.text
            elif is_apparatus(unit, index_of.get(id(unit))) or furniture(unit, pre):
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
        if after_notes or _DISCLAIMER.search(unit.text) or is_apparatus(unit, index_of[id(unit)]):
            continue
        skip(unit, "text after the last item")

    if not any(item.headline for item in items):
        raise InputError("no news items found: no footnoted paragraph has a headline", name)
    return ParsedIssue(name=name, issue_date=header_dates[0] if header_dates else None, items=items, warnings=warnings)


def _split(text: str) -> list[tuple[int, str]]:
    # Only "\n" counts as a line break, so line numbers match what an editor shows.
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    return list(enumerate(text.split("\n"), start=1))


def _parse(text: str, name: str, kind: str) -> ParsedIssue:
    if not text.strip():
        raise InputError("empty newsletter: no text to parse", name)
    if "\x00" in text:
        raise InputError("not a text file: it contains NUL bytes", name)
    text = text.removeprefix("\ufeff")
    if kind == "html":
        lines = _html_lines(text)
    elif kind == "markdown":
        lines = _markdown_lines(text.replace("\r\n", "\n"))
    else:
        lines = _split(text)
    return _parse_lines(lines, name)


def parse_text(text: str, name: str = "<text>") -> ParsedIssue:
    r"""Parse one newsletter issue given as text (plain, or HTML/Markdown recognised by content).

    ``name`` names the issue in the result, in warnings and in errors. Raises
    :class:`~kg.errors.InputError` when the text is empty or holds no recognisable item.

    >>> issue = parse_text(
    ...     "date 2023-01-05\n\nLEGISLATION\n\nRegulator Issues Export Rules\n\n"
    ...     "On 3 January the regulator issued rules on data export for 12 sectors. 1\n\n"
    ...     "1 https://example.org/rules\n"
    ... )
    >>> issue.issue_date
    datetime.date(2023, 1, 5)
    >>> [(i.n, i.section, i.headline, i.source) for i in issue.items]
    [(1, 'LEGISLATION', 'Regulator Issues Export Rules', 'https://example.org/rules')]
    """
    return _parse(text, name, _sniff(text))


def parse_file(path: Path) -> ParsedIssue:
    """Parse a newsletter file: plain text, HTML (``.html``/``.htm``) or Markdown (``.md``).

    The format comes from the suffix, else from the content. Raises
    :class:`~kg.errors.InputError` naming the file when it is empty, binary, not UTF-8, or holds no
    recognisable item.
    """
    path = Path(path)
    try:
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
        return _parse(text, path.name, _sniff(text, path.suffix))
    except InputError as exc:
        if exc.path is not None and exc.path.name == path.name:
            raise InputError(exc.detail, path, exc.line) from None
        raise
