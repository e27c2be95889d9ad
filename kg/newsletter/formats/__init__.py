"""Input formats: each reduces a saved newsletter to :class:`~kg.newsletter.document.Block` s.

A format is a module with ``NAME``, ``SUFFIXES``, ``JOIN_WRAPPED`` (whether its lines may be
hard-wrapped paragraphs), ``sniff(text) -> bool`` and ``read(text) -> list[Block]``. :data:`FORMATS`
lists them in the order content sniffing tries them; the file suffix, when it names one, wins.
Adding a format is adding a module and a line here.
"""

from __future__ import annotations

from types import ModuleType

from kg.newsletter.document import Page, prepare
from kg.newsletter.formats import html, markdown, text

__all__ = ["FORMATS", "format_for", "read_page"]

#: Tried in this order when the suffix does not decide; plain text takes whatever is left.
FORMATS: tuple[ModuleType, ...] = (html, markdown, text)


def format_for(content: str, suffix: str = "") -> ModuleType:
    """The format module for a file: by its suffix first, else by sniffing its content.

    >>> format_for("<html><body><p>x</p></body></html>").NAME
    'html'
    >>> format_for("plain words", ".md").NAME
    'markdown'
    """
    suffix = suffix.lower()
    for module in FORMATS:
        if suffix in module.SUFFIXES:
            return module
    for module in FORMATS:
        if module.sniff(content):
            return module
    return text


def read_page(content: str, name: str, suffix: str = "") -> Page:
    """The :class:`~kg.newsletter.document.Page` of a newsletter given as text."""
    module = format_for(content, suffix)
    return prepare(name, module.NAME, module.read(content), join_wrapped=module.JOIN_WRAPPED)
