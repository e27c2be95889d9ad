"""The articles of a law an item cites: "Article 38 of the PIPL", "Art 24 PIPL", "the DSL's Article 21", "个人信息保护法第六十六条".

Each becomes ``<law's canonical name> Article <n>``, which :func:`kg.laws.article_citation` reads
back, so a case's citation links to the article node where the backbone holds the law's text.
"""

from __future__ import annotations

import re

from kg.newsletter.facts.chinese import NUMERAL, numeral_value
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
# "《中华人民共和国个人信息保护法》第六十六条", "网络安全法第二十一条、第六十四条".
_CHINESE_FORM = re.compile(
    rf"《?(?P<law>[\u4e00-\u9fff]{{2,30}}?(?:法|法典))》?(?P<nums>第{NUMERAL}条(?:(?:、|和|及|至)第{NUMERAL}条)*)"
)


def cited_articles(text: str, linker: Linker) -> list[str]:
    """Every law article ``text`` cites, as ``<law> Article <n>``, in order, each once.

    >>> from kg.reference import load_reference
    >>> from kg.resources import resource_dir
    >>> cited_articles("an act of automated decision-making per Art 24 PIPL and Articles 38 and 39 of the DSL",
    ...                Linker(load_reference(resource_dir("data"))))
    ['Personal Information Protection Law Article 24', 'Data Security Law Article 38', 'Data Security Law Article 39']
    >>> cited_articles("依据《中华人民共和国个人信息保护法》第六十六条", Linker(load_reference(resource_dir("data"))))
    ['Personal Information Protection Law Article 66']
    """
    found: list[tuple[int, str]] = []
    for form in _FORMS:
        for m in form.finditer(text):
            law = linker.resolve(re.sub(r"^the\s+", "", m.group("law")), kinds=("law",))
            if law is None:
                continue
            for number in re.findall(r"\d{1,3}(?!\))", re.sub(r"\(\d+\)", "", m.group("nums"))):
                found.append((m.start(), f"{law.name_en} Article {int(number)}"))
    for m in _CHINESE_FORM.finditer(text):
        # Chinese runs on without spaces: the law's name is the longest tail of the run that names one
        # ("违反网络安全法第二十一条" cites 网络安全法).
        name = m.group("law")
        law = next(
            (named for i in range(len(name) - 1) if (named := linker.resolve(name[i:], kinds=("law",))) is not None),
            None,
        )
        if law is None:
            continue
        for numeral in re.findall(rf"第({NUMERAL})条", m.group("nums")):
            if (number := numeral_value(numeral)) is not None:
                found.append((m.start(), f"{law.name_en} Article {number}"))
    return list(dict.fromkeys(citation for _, citation in sorted(found)))
