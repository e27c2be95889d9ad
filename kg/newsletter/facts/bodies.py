"""Bodies the backbone does not know yet: local courts, procuratorates, police, regulators' branches.

They are found by the shape of their names ("Hailin City Public Security Bureau", "People's Court of
Bole"), so a body first named in the news still becomes a node, awaiting curation.
"""

from __future__ import annotations

import re

from kg.newsletter.link import Mention

_CAP = r"[A-Z][a-z]+(?:-[A-Z]?[a-z]+)?"
_PLACE = rf"{_CAP}(?:\s{_CAP})?"
_LEVEL = r"(?:Municipal|Provincial|City|County|District|Prefecture|Autonomous Prefecture)"
_UNKNOWN_BODY_PATTERNS = [
    (
        "court",
        re.compile(
            rf"\b(?:{_PLACE}\s)?(?:{_PLACE}\s)?(?:{_LEVEL}\s)?(?:Intermediate\s|High\s|Internet\s)?People's Court(?:\sof\s{_PLACE}(?:\s{_LEVEL})?)?"
        ),
    ),
    (
        "court",
        re.compile(
            rf"\b(?:{_PLACE}\s)?{_PLACE}\s(?:District|County|City|Intermediate|Internet)\s(?:People's\s)?Court\b(?:\s(?:in|of)\s{_PLACE}(?:\s{_LEVEL})?)?"
        ),
    ),
    (
        "authority",
        re.compile(
            rf"\b(?:{_PLACE}\s)?(?:{_PLACE}\s)?(?:{_LEVEL}\s)?(?:People's )?Procuratorate(?:\sof\s{_PLACE}(?:\s{_LEVEL})?)?"
        ),
    ),
    (
        "authority",
        re.compile(
            rf"\b(?:{_PLACE}\s)?(?:{_LEVEL}\s)?Public Security (?:Bureau|Department)(?:\sof\s{_PLACE}(?:\s{_LEVEL})?)?(?:\sof\s{_PLACE}\sProvince)?"
        ),
    ),
    (
        "authority",
        re.compile(
            rf"\b(?:{_PLACE}\s)?(?:{_LEVEL}\s)?Cyberspace Administration(?:\sof\s{_PLACE}(?:\s(?:Province|Municipality))?)?"
        ),
    ),
    ("authority", re.compile(rf"\b(?:{_PLACE}\s)?(?:{_LEVEL}\s)?Administration for Market Regulation\b")),
    ("authority", re.compile(rf"\b{_PLACE}\s(?:{_LEVEL}\s)?(?:{_CAP}\s(?:and\s)?){{1,4}}Bureau\b")),
    (
        "authority",
        re.compile(rf"\b{_PLACE}\sBranch of the People's Bank of China|People's Bank of China\s{_PLACE}\sBranch"),
    ),
    (
        "authority",
        re.compile(
            rf"\bStanding Committee of (?:the\s)?(?:\w+\s)?{_PLACE}\s(?:Provincial\s|Municipal\s)?People's Congress"
        ),
    ),
]
_GENERIC_HEADS = re.compile(
    r"^(?:the\s)?(?:People's Court|Court|Procuratorate|People's Procuratorate|Bureau|Public Security Bureau)$",
    re.IGNORECASE,
)
_LEADING_NOISE = re.compile(r"^(?:The|In|On|At|By|From|As|And|Recently|However|Meanwhile|Then)\s")


def canonical_body_name(name: str) -> str:
    """An unknown body's name in the usual English order: ``Public Security Bureau of Hailin City`` → ``Hailin City Public Security Bureau``."""
    name = re.sub(r"\s+", " ", name).strip()
    m = re.match(r"^(?P<place>\w+) Branch of the (?P<parent>.+)$", name)
    if m:
        return f"{m.group('parent')} {m.group('place')} Branch"
    m = re.match(r"^(?P<body>.+?) (?:of|in) (?P<place>[A-Z][\w ]+?)$", name)
    if m and not name.startswith("Standing Committee"):
        return f"{m.group('place')} {m.group('body')}"
    return name


def unknown_bodies(text: str, known: list[Mention]) -> tuple[list[Mention], list[Mention]]:
    """Bodies the backbone does not know, found by pattern; returns (known mentions kept, new ones).

    A known mention is dropped only when a new one contains it as a branch's parent.
    """
    known = list(known)
    found: list[Mention] = []
    for kind, pattern in _UNKNOWN_BODY_PATTERNS:
        for m in pattern.finditer(text):
            start, surface = m.start(), m.group(0)
            while (noise := _LEADING_NOISE.match(surface)) is not None:
                start += noise.end()
                surface = surface[noise.end() :]
            if _GENERIC_HEADS.match(surface) or len(surface.split()) < 2:
                continue
            mention = Mention(start, start + len(surface), surface, kind, None, canonical_body_name(surface))
            if any(mention.overlaps(f) for f in found):
                continue
            overlapping = [k for k in known if mention.overlaps(k)]
            # "Shanghai Branch of the People's Bank of China" is the branch, not the bank it contains.
            if overlapping and not (
                " Branch" in surface and all(mention.start <= k.start and k.end <= mention.end for k in overlapping)
            ):
                continue
            for k in overlapping:
                known.remove(k)
            found.append(mention)
    return known, found
