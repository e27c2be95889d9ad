"""Markdown: headings, list items and paragraphs as blocks; markup dropped, link targets kept."""

from __future__ import annotations

import re

from kg.newsletter.document import Block, Role

NAME = "markdown"
SUFFIXES = (".md", ".markdown", ".mdown")
JOIN_WRAPPED = False

_RULES: list[tuple[re.Pattern[str], str]] = [
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
_LINK = re.compile(r"\[([^\]]*)\]\(\s*(\S+?)(?:\s+\"[^\"]*\")?\s*\)")
_BLOCK_START = re.compile(r"^\s{0,3}(?:#{1,6}\s|>|[-*+]\s|\d{1,3}[.)]\s|\[\^\d+\]:|(?:[-*_]\s*){3,}$|<)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")
_BULLET = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s")
_STRONG_LINE = re.compile(r"^\s*(\*\*|__)[^*_].*\1\s*$")
_NUMBERED = re.compile(r"^\s*(?:\[\^?\d+\]:|\d{1,3}[.)]?\s)")
_SNIFF = re.compile(
    r"^\s{0,3}#{1,6}\s+\S|^\*\*[^*\n]+\*\*\s*$|^\[\^\d+\]:|\[\^\d+\]|\]\((?:https?://|www\.)", re.MULTILINE
)


def sniff(content: str) -> bool:
    """Markdown headings, bold lines, footnotes or inline links in the first 20,000 characters."""
    return _SNIFF.search(content, 0, 20000) is not None


def read(content: str) -> list[Block]:
    r"""Blocks of a Markdown text: one per line, soft-wrapped paragraph lines joined into the first.

    >>> [(b.role, b.text, b.links) for b in read("## Rules\n\nThe [CAC](https://cac.gov.cn) acted\non it.") if b.text]
    [('heading', 'Rules', ()), ('text', 'The CAC acted on it.', ('https://cac.gov.cn',))]
    """
    out: list[Block] = []
    parts: list[str] = []
    open_paragraph = False  # the previous line is prose that the next line may continue
    for number, line in enumerate(content.replace("\r\n", "\n").split("\n"), start=1):
        numbered = bool(_NUMBERED.match(line))
        block = bool(_BLOCK_START.match(line))
        role: Role = "heading" if _HEADING.match(line) or _STRONG_LINE.match(line) else "text"
        if role == "text" and _BULLET.match(line):
            role = "item"
        links: list[str] = []

        def link(m: re.Match[str], numbered: bool = numbered, links: list[str] = links) -> str:
            label, url = m.group(1), m.group(2)
            if url.startswith(("http", "www.")):
                links.append(url)
            # In a footnote list keep the URL, which is the source; in prose keep the words.
            if numbered and url.startswith(("http", "www.")):
                return url if label.strip() in ("", url) else f"{label} {url}"
            return label

        line = _LINK.sub(link, line)
        hard_break = line.endswith(("  ", "\\")) or bool(_STRONG_LINE.match(line))
        for pattern, repl in _RULES:
            line = pattern.sub(repl, line)
        # Markdown joins the lines of a paragraph; a soft-wrapped paragraph is still one paragraph.
        if open_paragraph and line.strip() and not block and out:
            parts.append(line.strip())
            out[-1].links += tuple(links)
        else:
            if out:
                out[-1].text = " ".join(parts)
            out.append(Block(number, line, role, tuple(links)))
            parts = [line.rstrip("\\ ")]
        open_paragraph = bool(line.strip()) and not block and not hard_break
    if out:
        out[-1].text = " ".join(parts)
    return out
