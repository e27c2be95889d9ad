"""Plain text: one block per printed line; hard-wrapped paragraphs are rejoined by the page."""

from __future__ import annotations

from kg.newsletter.document import Block

NAME = "text"
SUFFIXES: tuple[str, ...] = ()  # a .txt file may hold HTML or Markdown: its content decides
JOIN_WRAPPED = True


def sniff(content: str) -> bool:
    """Plain text is what is left when no other format recognises the content."""
    return True


def read(content: str) -> list[Block]:
    r"""One block per line; only ``\\n`` breaks a line, so line numbers match what an editor shows.

    >>> [(b.line, b.text) for b in read("a\r\nb")]
    [(1, 'a'), (2, 'b')]
    """
    content = content.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    return [Block(number, line) for number, line in enumerate(content.split("\n"), start=1)]
