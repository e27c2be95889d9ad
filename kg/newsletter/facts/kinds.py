"""What kind of news an item is (legislation, enforcement, litigation, policy), and the sector it concerns."""

from __future__ import annotations

import re

from kg.newsletter.items import ParsedItem

_SECTION_KINDS = (
    (re.compile(r"LEGISLAT|LAW|REGULAT|RULE", re.IGNORECASE), "legislation"),
    (re.compile(r"ENFORCE|PENALT|SUPERVIS|CRACKDOWN", re.IGNORECASE), "enforcement"),
    (re.compile(r"COURT|LITIGAT|JUDICI|CASE", re.IGNORECASE), "litigation"),
    (re.compile(r"POLIC|INDUSTRY|NEWS|DEVELOPMENT", re.IGNORECASE), "policy"),
)
_ENFORCEMENT_WORDS = re.compile(
    r"\b(?:fined|fine[sd]?|penalt(?:y|ies)|APPs?|apps?|rectif\w*|inspect\w*|special action|specialized action|campaign|crack(?:s|ed)? down|"
    r"detention|detained|notif\w+|report(?:s|ed)? \d+|took down|removed|investigat\w*|punish\w*|illegal(?:ly)?|violat\w+|warning|"
    r"non-compliance|summon\w*|interview\w*|order(?:ed|s)? to)\b"
)
_LITIGATION_WORDS = re.compile(
    r"\b(?:court|courts|sentenced|verdict|judgment|judgement|lawsuit|sues?|sued|prosecut\w*|indicted|trial|"
    r"typical cases|litigation|defendants?|plaintiff|ruled|appeal)\b",
    re.IGNORECASE,
)


def classify(item: ParsedItem, reported_instruments: int, has_penalty: bool) -> str:
    """The item's kind: from its section heading when printed, else from what it reports."""
    if item.section:
        for pattern, kind in _SECTION_KINDS:
            if pattern.search(item.section):
                return kind
    headline = item.headline
    if _LITIGATION_WORDS.search(headline):
        return "litigation"
    if has_penalty or _ENFORCEMENT_WORDS.search(headline):
        return "enforcement"
    if reported_instruments:
        return "legislation"
    if _LITIGATION_WORDS.search(item.paragraph) and re.search(r"\bcourt\b", item.paragraph, re.IGNORECASE):
        return "litigation"
    if _ENFORCEMENT_WORDS.search(item.paragraph):
        return "enforcement"
    return "policy"


# Most specific first: "an app of a bank" is finance, "a hotel's booking app" is retail.
_SECTOR_WORDS = (
    ("finance", r"bank|banking|insurer|insurance|securities|payment|credit|loans?|lending|fintech|financial"),
    ("healthcare", r"hospitals?|doctors?|medical|health ?care|pharmac\w*|clinics?|surgery|patients?"),
    (
        "transport",
        r"airlines?|flights?|railways?|high-speed rail|express delivery|couriers?|postal|parcels?|logistics|ride-hailing|passengers?|taxi",
    ),
    ("automotive", r"vehicles?|automobiles?|car makers?|carmakers?"),
    ("retail", r"hotels?|restaurants?|hot pot|catering|stores?|shops?|supermarkets?|retail\w*|property management"),
    ("education", r"schools?|education|students?|teachers?|training institutions?"),
    ("public", r"quarantine|epidemic prevention|sub-close contacts|government departments?|civil servants?"),
    # Phone numbers are data everyone holds; only the telecom business itself counts here.
    ("telecom", r"telecom\w*|handling mobile phone numbers|sim cards?|carriers?"),
    (
        "internet",
        r"apps?|APPs?|platforms?|online|internet|websites?|e-commerce|social media|games?|short video|live-stream\w*|crawl\w*",
    ),
)
_SECTOR_RES = [(name, re.compile(rf"\b(?:{words})\b", re.IGNORECASE)) for name, words in _SECTOR_WORDS]


def classify_sector(text: str) -> str | None:
    """The sector of the business an item is about, from its words (None when nothing says).

    >>> classify_sector("The bank was fined for mishandling credit data")
    'finance'
    """
    for name, pattern in _SECTOR_RES:
        if pattern.search(text):
            return name
    return None
