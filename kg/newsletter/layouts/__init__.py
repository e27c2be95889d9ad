"""Newsletter layouts, one module each, tried from the most specific to the most general.

A layout module has ``NAME`` and ``segment(page) -> Segmentation | str``: the items it reads from
the :class:`~kg.newsletter.document.Page`, or a sentence saying why the page is not in this
layout. :data:`LAYOUTS` is the order they are tried in; the first that holds wins, and the choice
and every refusal before it are reported (``kg extract --explain``). Adding a layout is adding a
module, its tests, and its place in this list.
"""

from __future__ import annotations

from types import ModuleType

from kg.newsletter.layouts import colon, dated, footnoted, headed, numbered, prose, single, teasers
from kg.newsletter.layouts.common import Segmentation

__all__ = ["LAYOUTS", "Segmentation"]

#: Most specific first: footnote markers, "read on" links and printed numbers are the strongest
#: evidence of where items begin; "Headline:" paragraphs, date lines and headline lines next;
#: events in prose, then one article.
LAYOUTS: tuple[ModuleType, ...] = (footnoted, teasers, numbered, colon, dated, headed, prose, single)
