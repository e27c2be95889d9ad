"""HTML as saved from a browser: the main content, by trafilatura, as headings, paragraphs and list items.

A saved page carries menus, breadcrumbs, share bars, cookie notices and footers around the news.
trafilatura, the extractor the web-archiving and NLP communities rely on, finds the main content and
keeps its structure (headings, paragraphs, list items, links), which is what the segmenter needs.
Where it finds nothing worth keeping (a fragment, a page of only a list), every block element of the
page is read instead with the standard library's parser. Either way each block keeps the line of the
file it starts on and the URLs it links to.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from xml.etree import ElementTree

from kg.newsletter.document import Block, Role

NAME = "html"
SUFFIXES = (".html", ".htm", ".xhtml")
JOIN_WRAPPED = False

_SNIFF = re.compile(r"^\s*<(?:!doctype\s+html|html|head|body|p|div|h[1-6]|article|section|ol|ul)\b", re.I)
_BLOCK_TAGS = re.compile(r"</p>|<br\s*/?>|</div>|</h[1-6]>", re.I)


def sniff(content: str) -> bool:
    """An HTML start, or at least two block-closing tags in the first 20,000 characters."""
    return bool(_SNIFF.match(content)) or len(_BLOCK_TAGS.findall(content, 0, 20000)) >= 2


def read(content: str) -> list[Block]:
    """The blocks of an HTML page: its main content where trafilatura finds it, else every block.

    >>> [(b.role, b.text) for b in read("<h2>Rules</h2><p>On 3 May the <b>CAC</b> acted.</p>")]
    [('heading', 'Rules'), ('text', 'On 3 May the CAC acted.')]
    """
    blocks = _main_content(content)
    if blocks is None:
        blocks = _every_block(content)
    return blocks


# --------------------------------------------------------------------------- main content (trafilatura)


def _main_content(content: str) -> list[Block] | None:
    try:
        import trafilatura
    except ImportError:  # an install without it still reads pages, less selectively
        return None
    try:
        xml = trafilatura.extract(
            content,
            output_format="xml",
            include_links=True,
            include_formatting=True,
            include_tables=True,
            include_comments=False,
            favor_recall=True,
            with_metadata=True,
        )
    except Exception:
        return None
    if not xml:
        return None
    try:
        doc = ElementTree.fromstring(xml)
    except ElementTree.ParseError:
        return None
    main = doc.find("main")
    if main is None:
        return None
    blocks: list[tuple[str, Role, tuple[str, ...]]] = []
    _walk(main, blocks)
    if not any(len(text) >= 40 for text, _, _ in blocks):
        return None
    title = (doc.get("title") or "").strip()
    opening = blocks[:3]
    if title and not any(role == "heading" or title in text for text, role, _ in opening):
        blocks.insert(0, (title, "heading", ()))
    return _place(content, blocks)


def _walk(element: ElementTree.Element, out: list[tuple[str, Role, tuple[str, ...]]]) -> None:
    for child in element:
        tag = child.tag
        if tag == "head":
            _emit(child, "heading", out)
        elif tag == "list":
            ordered = child.get("rend") == "ol"
            for count, entry in enumerate((e for e in child if e.tag == "item"), start=1):
                nested = [sub for sub in entry if sub.tag == "list"]
                for sub in nested:
                    entry.remove(sub)
                _emit(entry, "item", out, f"{count} " if ordered else "")
                for sub in nested:
                    holder = ElementTree.Element("holder")
                    holder.append(sub)
                    _walk(holder, out)
        elif tag == "table":
            for row in child.iter("row"):
                _emit(row, "text", out)
        elif tag in ("p", "quote", "code", "item", "cell"):
            _emit(child, "text", out)
        else:
            _walk(child, out)


def _emit(
    element: ElementTree.Element, role: Role, out: list[tuple[str, Role, tuple[str, ...]]], prefix: str = ""
) -> None:
    """One block per run of text between line breaks, with the URLs linked inside it."""
    pieces: list[str] = [prefix]
    links: list[str] = []

    def flush() -> None:
        text = " ".join("".join(pieces).split())
        if text:
            out.append((text, role, tuple(links)))
        pieces.clear()
        links.clear()

    def visit(node: ElementTree.Element) -> None:
        if node.tag == "lb":
            flush()
            return
        if node.text:
            pieces.append(node.text)
        for sub in node:
            visit(sub)
            if sub.tail:
                pieces.append(sub.tail)
        target = node.get("target") or "" if node.tag == "ref" else ""
        if target.startswith(("http://", "https://", "www.")):
            links.append(target)
            # In a list (a footnote list) the link text may be "Source": the URL is what matters.
            if role == "item" and "http" not in "".join(node.itertext()):
                pieces.append(f" {target}")

    visit(element)
    flush()


_WORD = re.compile(r"[^\W\d_]{3,}")


def _place(content: str, blocks: list[tuple[str, Role, tuple[str, ...]]]) -> list[Block]:
    """Find each block's first line in the page: its first words, in order, with markup between them."""
    placed: list[Block] = []
    position, line = 0, 1
    for text, role, links in blocks:
        words = _WORD.findall(text)[:3]
        found = None
        if words:
            # Between two words: anything but letters (digits, spaces, markup, entities).
            pattern = re.compile(r"(?:[\W\d_]|<[^>]*>|&#?\w+;)+".join(re.escape(w) for w in words))
            found = pattern.search(content, position)
        if found is not None:
            line += content.count("\n", position, found.start())
            position = found.start() + 1
        placed.append(Block(line, text, role, links))
    return placed


# --------------------------------------------------------------------------- every block (standard library)


class _BlockReader(HTMLParser):
    """Reduces HTML to one block per block element, remembering each block's source line and links."""

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
        self.blocks: list[Block] = []
        self._buf: list[str] = []
        self._links: list[str] = []
        self._role: Role = "text"
        self._line = 0
        self._skip = 0
        self._lists: list[int] = []  # per open list: the last number given (ordered) or -1 (unordered)
        self._in_li = 0
        self._href: str | None = None
        self._anchor: list[str] = []

    def _flush(self) -> None:
        text = "".join(self._buf)
        if text.strip():
            self.blocks.append(Block(self._line, text, self._role, tuple(self._links)))
        self._buf, self._links, self._role = [], [], "text"

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
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._role = "heading"
        if tag == "ol":
            start = dict(attrs).get("start") or "1"
            self._lists.append(int(start) - 1 if start.isdigit() else 0)
        elif tag == "ul":
            self._lists.append(-1)
        elif tag == "li":
            self._in_li += 1
            self._role = "item"
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
            if self._href.startswith(("http://", "https://", "www.")) and not self._skip:
                self._links.append(self._href)
                # In a footnote list the link text may be "Source": the URL is what we want.
                if self._in_li and "http" not in "".join(self._anchor):
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


def _every_block(content: str) -> list[Block]:
    reader = _BlockReader()
    reader.feed(content)
    reader.close()
    return reader.blocks
