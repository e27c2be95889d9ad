"""Companies and other parties an item names."""

from __future__ import annotations

import re

_COMPANY = re.compile(r"\b(?:Co\.,?\s?Ltd\.?|Company Limited|Co\., Limited|Limited|Inc\.|Corporation|Corp\.|LLC)")
_COMPANY_WORD = re.compile(r"^(?:[A-Z][\w&'’.-]*|\([A-Z][\w ]*\)|and|&|of)$")


def extract_parties(text: str, learned: dict[str, str]) -> list[str]:
    """Companies named by their legal form (``… Co., Ltd.``), plus short names the issue defined for them."""
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
        if full in parties:
            continue
        if _COMPANY.search(full) and re.search(rf"\b{re.escape(short)}\b", text) and full not in parties:
            parties.append(full)
    return parties
