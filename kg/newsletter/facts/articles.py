"""The articles of a law an item cites: "Article 38 of the PIPL", "Art 24 PIPL", "the DSL's Article 21".

Each becomes ``<law's canonical name> Article <n>``, which :func:`kg.laws.article_citation` reads
back, so a case's citation links to the article node where the backbone holds the law's text.
"""

from __future__ import annotations

import re

from kg.newsletter.link import Linker

__all__ = ["cited_articles"]

_NUMBERS = r"(?P<nums>\d{1,3}(?:\(\d+\))?(?:\s*(?:,|and|to|&)\s*\d{1,3}(?:\(\d+\))?)*)"
_LAW = (
    r"(?P<law>(?:the\s+)?(?:(?:[A-Z][\w'’-]*\s+){0,8}(?:Law|Code)"
    r"(?:\s+of\s+the\s+People['’]s\s+Republic\s+of\s+China)?|[A-Z]{3,5}))"
)
_FORMS = (
    re.compile(rf"\bArt(?:icles?|s?\.?)\s+{_NUMBERS}\s+(?:of\s+)?{_LAW}\b"),
    re.compile(rf"{_LAW}(?:['’]s)?\s+Art(?:icles?|s?\.?)\s+{_NUMBERS}"),
)


def cited_articles(text: str, linker: Linker) -> list[str]:
    """Every law article ``text`` cites, as ``<law> Article <n>``, in order, each once.

    >>> from kg.reference import load_reference
    >>> from kg.resources import resource_dir
    >>> cited_articles("an act of automated decision-making per Art 24 PIPL and Articles 38 and 39 of the DSL",
    ...                Linker(load_reference(resource_dir("data"))))
    ['Personal Information Protection Law Article 24', 'Data Security Law Article 38', 'Data Security Law Article 39']
    """
    found: list[tuple[int, str]] = []
    for form in _FORMS:
        for m in form.finditer(text):
            law = linker.resolve(re.sub(r"^the\s+", "", m.group("law")), kinds=("law",))
            if law is None:
                continue
            for number in re.findall(r"\d{1,3}(?!\))", re.sub(r"\(\d+\)", "", m.group("nums"))):
                found.append((m.start(), f"{law.name_en} Article {int(number)}"))
    return list(dict.fromkeys(citation for _, citation in sorted(found)))
