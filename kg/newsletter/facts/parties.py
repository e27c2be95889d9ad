"""Companies and other parties an item names."""

from __future__ import annotations

import re
from collections.abc import Callable

_COMPANY = re.compile(
    r"\b(?:Co\.,?\s?Ltd\.?|Company Limited|Co\., Limited|Limited|Inc\.|Corporation|Corp\.|LLC|Co\.(?=[\s,;:)]|$)|Group|Holdings)"
)
_COMPANY_WORD = re.compile(r"^(?:[A-Z][\w&'’.-]*|\([A-Z][\w ]*\)|and|&|of)$")


# A brand in quotes after what it is: the operator of “Mr Law”, the app “Tantan”.
_QUOTED_BRAND = re.compile(
    r"\b(?:operator of|operators of|platform|app|application|website|brand|service|company|called|named)\s+[“\"]"
    r"(?P<name>[A-Z][\w&'’ .-]{1,40}?)[”\"]"
)


def extract_parties(
    text: str, learned: dict[str, str], is_body: Callable[[str], bool] = lambda name: False
) -> list[str]:
    """The parties a text names: companies, defined names and quoted brands.

    Companies are named by their legal form (``… Co., Ltd.``) or by a short name the issue defined
    for them; a name defined with an abbreviation that is no body or instrument is a party too
    ("China National Knowledge Infrastructure (CNKI)"), as is a brand quoted after what it is ("the
    operator of “Mr Law”").

    ``is_body`` says whether a name is an authority, court, law or instrument (the linker knows).
    """
    parties: list[str] = []
    for m in _COMPANY.finditer(text):
        words = text[: m.start()].rstrip().split(" ")
        name: list[str] = []
        while words and _COMPANY_WORD.match(words[-1]) and len(name) < 8:
            name.insert(0, words.pop())
        while name and name[0] in ("of", "and", "&", "The", "the"):
            name.pop(0)
        if name:
            full = " ".join(name) + " " + m.group(0).strip()
            if not full.endswith("."):
                full = full if not m.group(0).endswith("Ltd") else full + "."
            if full not in parties:
                parties.append(full)
    for short, full in learned.items():
        if full in parties or not re.search(rf"\b{re.escape(short)}\b", text):
            continue
        parts = full.split()
        named = len(parts) >= 2 and all(w[:1].isupper() or w in ("of", "and", "&", "for") for w in parts)
        if _COMPANY.search(full) or (named and not _NOT_A_PARTY.search(full) and not is_body(full)):
            parties.append(full)
    for m in _QUOTED_BRAND.finditer(text):
        brand = m.group("name").strip()
        if brand not in parties and not is_body(brand):
            parties.append(brand)
    return parties


# Names that are bodies, instruments or concepts, not parties: "Personal Information (PI)".
_NOT_A_PARTY = re.compile(
    r"\b(?:Administration|Ministry|Commission|Committee|Bureau|Office|Council|Court|Procuratorate|Congress|Department|"
    r"Authority|Agency|Government|Law|Act|Code|Measures|Regulations?|Provisions|Rules|Guidelines?|Standards?|Notice|"
    r"Opinions|Plan|Information|Data|Protection|Security|Privacy|Contract|Clauses|Assessment|Certification|Technology|"
    r"Intelligence|Internet|Network|Cyberspace|Platform)\b"
)
