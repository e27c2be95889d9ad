"""Companies and other parties an item names."""

from __future__ import annotations

import re
from collections.abc import Callable

from kg.newsletter.dates import MONTHS

_COMPANY = re.compile(
    r"\b(?:Co\.?,?\s?Ltd\.?|Company Limited|Co\., Limited|Limited|Inc\.|Corporation|Corp\.|LLC|Co\.(?=[\s,;:)]|$)|Group|Holdings)"
)
_COMPANY_WORD = re.compile(r"^(?:[A-Z][\w&'’.-]*|\([A-Z][\w ]*\)|and|&|of)$")


# What a company's name says it does: a name made only of these names no one ("Technology Co., Ltd.").
_TRADE_WORDS = frozenset(
    [
        "Technology",
        "Technologies",
        "Internet",
        "Information",
        "Network",
        "Science",
        "Medical",
        "Laboratory",
        "Trading",
        "Culture",
        "Media",
        "Digital",
        "Software",
        "Data",
        "Electronic",
        "Electronics",
        "Commerce",
        "E-commerce",
        "Biotechnology",
        "Pharmaceutical",
        "Logistics",
        "Education",
        "Financial",
        "Finance",
        "Services",
        "Service",
        "Development",
        "Consulting",
        "Industrial",
        "Management",
        "Intelligent",
        "Health",
        "Investment",
        "Real",
        "Estate",
        "Property",
        "Insurance",
        "Advertising",
        "Communication",
        "Communications",
        "Marketing",
        "Travel",
    ]
)

# A brand in quotes after what it is: the operator of “Mr Law”, the app “Tantan”.
_QUOTED_BRAND = re.compile(
    r"\b(?:operator of|operators of|platform|app|application|website|brand|service|company|called|named)\s+[“\"]"
    r"(?P<name>[A-Z][\w&'’ .-]{1,40}?)[”\"]"
)


def extract_parties(
    text: str, learned: dict[str, str], is_body: Callable[[str], bool] = lambda name: False, headline: str = ""
) -> list[str]:
    """The parties a text names: companies, defined names, quoted brands, and names in a party's role.

    Companies are named by their legal form (``… Co., Ltd.``) or by a short name the issue defined
    for them; a name defined with an abbreviation that is no body or instrument is a party too
    ("China National Knowledge Infrastructure (CNKI)"), as is a brand quoted after what it is ("the
    operator of “Mr Law”").

    A name in a party's role is a side of a case ("Guo Bing v. …", "Sun sued Baidu"), whom a
    regulator acts on ("ordered ride-hailing provider Didi Chuxing off …"), or an app or company of a
    list ("apps including Maimai, Tuniu and Damai"); these are looked for in the ``headline`` too.

    ``is_body`` says whether a name is an authority, court, law, instrument or place (the linker knows).
    """
    parties: list[str] = []
    for m in _COMPANY.finditer(text):
        words = text[: m.start()].rstrip().split(" ")
        name: list[str] = []
        while words and _COMPANY_WORD.match(words[-1]) and len(name) < 8:
            name.insert(0, words.pop())
        while name and name[0] in ("of", "and", "&", "The", "the"):
            name.pop(0)
        # "a Technology Co., Ltd. in Guangdong", "an Internet Co., Ltd.": a company the text does not name.
        anonymous = bool(words) and words[-1] in ("a", "an", "one", "certain") and len(name) <= 4
        if name and not anonymous and not all(word in _TRADE_WORDS for word in name):
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
    for role_name in _named_in_roles(f"{headline}\n{text}" if headline else text):
        # "DiDi was fined" after "Didi Global Co.": the short name of a company already named, however cased.
        if not any(role_name.lower() in known.lower() for known in parties) and _a_party(role_name, is_body):
            parties.append(role_name)
    return parties


# A name: capitalised words (a brand may hold a dot or a capital inside: "Ele.me", "NetEase"), at most four.
_NAME = r"[A-Z][\w.’'&-]*[\w](?:\s+[A-Z][\w.’'&-]*[\w]){0,3}"
# The sides of a case's name: "Guo Bing v. Hangzhou Wildlife World", "Sun sued Baidu".
_CASE_SIDES = re.compile(
    rf"(?<![\w.])(?P<a>{_NAME})\s+(?:v\.?|vs\.?|sued|filed (?:a )?(?:suit|lawsuit) against)\s+(?P<b>{_NAME})"
)
# Whom a regulator acts against: "fined Didi", "ordered ride-hailing provider Didi Chuxing off …", "hit Meta with".
_ACTED_ON = re.compile(
    rf"\b(?:fined|penali[sz]ed|punished|sanctioned|summoned|hit|ordered|sued|suing|investigat(?:ed|ing)|"
    rf"removed|suspended|took down|takes? down)\s+(?:(?:the|a|an|its|[a-z][a-z-]+)\s+){{0,4}}?(?P<a>{_NAME})"
    rf"(?=\s+(?:to|with|for|off|over|from|on|in|after|and|,)\b|[,.;:]|\s+(?:RMB|CNY|USD|US\$|HK\$|\$|¥|€|£|\d))"
)
# Who goes to court, or stands there: "Lin filed a lawsuit with the court", "the plaintiff Lin". (Each
# pattern opens on its fixed words and looks back for the name: a name first would be tried everywhere.)
_SUES = re.compile(
    r"\s(?:filed|brought|lodged|launched)\s+(?:a\s+|an\s+)?(?:[a-z]+\s+)?(?:lawsuit|suit|complaint|claim|case)\b"
)
_IN_COURT_ROLE = re.compile(
    rf"\b(?:[Pp]laintiff|[Dd]efendant|[Cc]laimant|[Aa]ppellant|[Aa]ppellee)s?,?\s+(?P<a>{_NAME})"
)
# A business named after what it is: "social media platform Maimai", "the search engine Kestrel's …".
_DESCRIBED = re.compile(
    r"(?<=[a-z] )(?:platform|app|application|company|firm|giant|operator|provider|retailer|marketplace|"
    r"website|start-?up|search engine|carmaker|automaker|insurer|airline|bank|brand|developer|maker)\s+"
    rf"(?P<a>{_NAME})"
)
# Whom a regulator acted on, in the passive: "Orbitly was fined", "two apps have been ordered to …".
_PASSIVE_ACT = re.compile(
    r"\s(?:was|were|has been|have been|had been|is being|will be)\s+(?:also\s+)?"
    r"(?:fined|penali[sz]ed|punished|sanctioned|summoned|ordered|sued|investigated|suspended|removed|banned)\b"
)
# Whose claims a court heard: "Mai's other claims … were dismissed", "Lin's appeal was rejected".
_CLAIMANT = re.compile(
    rf"(?<![\w.])(?P<a>{_NAME})['’]s\s+(?:other\s+|remaining\s+|main\s+)?(?:claims?|requests?|appeal|lawsuit|suit|complaint)\b"
)
# The name a clause opens with, looked for just before its verb.
_NAME_BEFORE = re.compile(rf"(?<![\w.])(?P<a>{_NAME})$")


# The name a clause opens with, with a description set off after it: "Guo Bing, a law professor, filed …".
_NAME_BEFORE_APPOSITIVE = re.compile(rf"(?<![\w.])(?P<a>{_NAME}),\s+(?:an?|the|its)\s+[^,;.]{{3,90}},$")
# Whom a suit is against, right after it: "filed a lawsuit against Hangzhou Safari Park".
_AGAINST = re.compile(rf"\s+against\s+(?:the\s+)?(?P<a>{_NAME})")


def _subjects(pattern: re.Pattern[str], text: str) -> list[str]:
    """The names right before each match of ``pattern`` (its verb): who sued, who was fined; and whom a suit is against."""
    found = []
    for m in pattern.finditer(text):
        name = _NAME_BEFORE.search(text, max(0, m.start() - 60), m.start()) or _NAME_BEFORE_APPOSITIVE.search(
            text, max(0, m.start() - 160), m.start()
        )
        if name is not None:
            found.append(name.group("a"))
        if (against := _AGAINST.match(text, m.end())) is not None:
            found.append(against.group("a"))
    return found


# A list of apps or companies: "apps including Maimai, Tuniu and Damai".
_LISTED = re.compile(
    r"\b(?i:apps?|applications|companies|enterprises|firms|platforms|operators|brands|businesses|providers|names)\b"
    r"(?:[^.;:]{0,30}?\b(?:including|such as|like|namely)\s+|\s*(?:--|[—–])\s*)"
    r"(?P<list>(?:[^.;:—–-]|\.(?=\w)|(?<=\w)-(?=\w)){3,200})"
)
# An item of such a list, perhaps after what it is and before a gloss: "the food delivery platform Ele.me (…)".
_LIST_ITEM = re.compile(
    rf"^(?:(?:the|a|an|[a-z][a-z-]*)\s+){{0,4}}(?P<a>{_NAME})(?:\s*\([^)]*\))?(?P<rest>\s+[a-z].*)?$"
)
_MAKER = re.compile(rf"\s+(?:developed|operated|owned|run|made|offered|provided|published) by\s+(?P<a>{_NAME})")
_POSSESSIVE = re.compile(r"['’]s$")
# Words that open a sentence before a name: "So Sun sued Baidu".
_OPENER = re.compile(r"^(?:So|Then|But|And|Also|However|Meanwhile|When|While|If|Thus|Hence|Later|Finally|Yet|Now)\s+")
# Capitalised words that open sentences or name kinds of things, not parties.
_NOT_A_NAME = re.compile(
    r"^(?:The|A|An|This|That|These|Those|It|Its|They|He|She|China|Chinese|Beijing|Shanghai|In|On|Under|After|Before|"
    r"Article|Art|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Court|Plaintiff|Defendant|Internet|Apps?|App Store|Operators?|Users?|Providers?|Consumers?|"
    # A title-case headline's participles: "… Prosecuted 20,000 Defendants Suspected of …".
    r"Suspected|Accused|Involved|Charged|Convicted|Sentenced|Named|Listed|Found|Held)$"
)


def _named_in_roles(text: str) -> list[str]:
    """Names in the roles of parties: the sides of a case, those a regulator acts on, listed apps and companies."""
    names: list[str] = []
    for m in _CASE_SIDES.finditer(text):
        names += [m.group("a"), m.group("b")]
    names += [m.group("a") for m in _ACTED_ON.finditer(text)]
    names += _subjects(_SUES, text) + [m.group("a") for m in _IN_COURT_ROLE.finditer(text)]
    names += [m.group("a") for m in _DESCRIBED.finditer(text)]
    names += _subjects(_PASSIVE_ACT, text)
    names += [m.group("a") for m in _CLAIMANT.finditer(text)]
    names = [_POSSESSIVE.sub("", _OPENER.sub("", name)) for name in names]
    for m in _LISTED.finditer(text):
        for part in re.split(r",\s*|\s+and\s+|\s+or\s+", m.group("list")):
            item = _LIST_ITEM.match(part.strip())
            if item is None:
                break  # the list ends at its first item that is no name
            # A product's maker is the party: "the browser CM Browser developed by Cheetah Mobile".
            maker = _MAKER.match(item.group("rest") or "")
            names.append(maker.group("a") if maker else item.group("a"))
            if item.group("rest"):
                break  # the sentence goes on after its last item: "… and Damai for collecting too much"
    return names


def _a_party(name: str, is_body: Callable[[str], bool]) -> bool:
    """Whether a name found in a party's role can be one: no body, place, law or common word."""
    name = name.rstrip(".")
    first = name.split()[0]
    if _NOT_A_NAME.match(name) or _NOT_A_NAME.match(first) or first.lower() in MONTHS or len(name) < 3:
        return False
    return not (_NOT_A_PARTY.search(name) or is_body(name) or re.fullmatch(r"[A-Z]{2,6}", name))


# Names that are bodies, instruments or concepts, not parties: "Personal Information (PI)".
_NOT_A_PARTY = re.compile(
    r"\b(?:Administration|Ministry|Commission|Committee|Bureau|Office|Council|Court|Procuratorate|Congress|Department|"
    r"Authority|Agency|Government|Law|Act|Code|Measures|Regulations?|Provisions|Rules|Guidelines?|Standards?|Notice|"
    r"Opinions|Plan|Information|Data|Protection|Security|Privacy|Contract|Clauses|Assessment|Certification|Technology|"
    r"Intelligence|Internet|Network|Cyberspace|Platform|Zone|Free Trade Port|New Area|Special Area)\b"
)
