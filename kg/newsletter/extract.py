"""Read the facts out of parsed newsletter items: one :class:`kg.newsletter.records.ItemRecord` per item.

Every rule here is general (it must hold on issues it has never seen): the kind
from the section heading or the item's vocabulary; the event date, with the year
resolved from the issue's date or its other dates; bodies, courts and statutes
through the :class:`kg.newsletter.link.Linker`, plus patterns for local bodies the backbone
does not know; instruments by their title shape, with stage, effective date,
issuers and the laws they implement; penalties with normalised amounts; and
companies by their legal form.

Example:
    >>> parse_amount("RMB 16.74 million")
    Decimal('16740000')

"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from kg.models import Authority, Jurisdiction, Named
from kg.newsletter.dates import MONTHS, as_date, find_dates, reference_from, safe_date, years_in_name
from kg.newsletter.items import ParsedIssue, ParsedItem
from kg.newsletter.link import Linker, Mention, kind_of, normalize
from kg.newsletter.records import InstrumentRecord, IssueRecord, ItemRecord, PenaltyRecord

# Dates ---------------------------------------------------------------------------

_FULL_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_URL_DATE = re.compile(r"(?<!\d)(20\d\d)[-/_.]?(0[1-9]|1[0-2])(?:[-/_.]?(0[1-9]|[12]\d|3[01]))?(?!\d)")


def reference_date(issue: ParsedIssue) -> dt.date | None:
    """The date yearless dates are read against: the issue's own date, else the latest its items imply.

    Items name their dates with years now and then, and source URLs often carry the
    publication date; the latest of these is a close stand-in for the issue date. Failing
    both, a date in the file name (``…-2022-07.txt``) is the last resort.
    """
    if issue.issue_date is not None:
        return issue.issue_date
    seen: list[dt.date] = []
    for item in issue.items:
        for date in find_dates(f"{item.section or ''}\n{item.headline}\n{item.paragraph}"):
            if date.year is not None:
                resolved = safe_date(date.year, date.month, date.day or 1)
                if resolved:
                    seen.append(resolved)
        for m in _URL_DATE.finditer(item.source or ""):
            resolved = safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3) or 1))
            if resolved:
                seen.append(resolved)
    return reference_from(seen) or years_in_name(issue.name)


# Amounts and penalties -------------------------------------------------------------

_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}
_NUMBER_WORDS.update({"a": 1, "an": 1, "half a": 0})
_SCALE = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "k": 1_000, "m": 1_000_000}
_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_CURRENCY = r"(?:RMB|CNY|yuan|Yuan|USD|US\$|\$|¥)"
_MONEY = re.compile(
    rf"(?:(?P<cur1>{_CURRENCY})\s*(?P<n1>{_NUM})(?:\s*(?P<s1>thousand|million|billion)\b)?"
    rf"|(?P<n2>{_NUM})(?:\s*(?P<s2>thousand|million|billion)\b)?\s*(?P<cur2>{_CURRENCY}))"
)
_SPAN = re.compile(
    rf"\b(?P<n>{_NUM}|{'|'.join(sorted(_NUMBER_WORDS, key=len, reverse=True))})[\s-]+"
    r"(?P<unit>day|month|year)s?(?:'|’)?\b",
    re.IGNORECASE,
)


def parse_amount(text: str) -> Decimal | None:
    """Normalise an amount as written: ``RMB 16.74 million`` → 16740000, ``106,859.84 RMB`` → 106859.84."""
    m = re.search(rf"({_NUM})\s*(thousand|million|billion)?", text)
    if not m:
        return None
    value = Decimal(m.group(1).replace(",", ""))
    if m.group(2):
        value *= _SCALE[m.group(2)]
    # Plain notation: xsd:decimal has no exponent, so 1.674E+7 must not reach the graph.
    return Decimal(int(value)) if value == value.to_integral_value() else value


def _number(word: str) -> Decimal | None:
    word = word.lower()
    if word in _NUMBER_WORDS:
        return Decimal(_NUMBER_WORDS[word]) or None
    return parse_amount(word)


# A range or a ceiling is what a rule provides, not what was imposed.
_PROVISION = re.compile(
    r"(?:not (?:less|more) than|up to|at most|no more than|ranging|between|maximum of|as high as)\s*$"
)
_CLAIM = re.compile(r"\b(?:claim|claimed|claiming|demand|demanded|demanding|sought|seeking|asked for|sues?|sued)\b")


_CLAUSE_END = re.compile(r"(?:;|(?<!\bLtd)(?<!\bCo)(?<!\bInc)(?<!\bCorp)(?<!\bNo)(?<!\bSt)\.)\s")


def _clause_before(text: str, start: int, limit: int = 120) -> str:
    # The clause an amount sits in; "Co., Ltd." ends a company's name, not the clause.
    window = text[max(0, start - limit) : start]
    ends = list(_CLAUSE_END.finditer(window))
    return window[ends[-1].end() :] if ends else window


def extract_penalties(text: str) -> list[PenaltyRecord]:
    """Fines, confiscations, damages, detention and prison terms imposed (or claimed) in ``text``."""
    found: list[PenaltyRecord] = []
    for m in _MONEY.finditer(text):
        before = _clause_before(text, m.start())
        if _PROVISION.search(before.rstrip()) or re.search(r"\bbut\s*$", before):
            continue
        after = text[m.end() : m.end() + 40]
        amount = parse_amount(m.group(0).replace("US$", "").replace("$", ""))
        if amount is None or amount <= 0:
            continue
        currency = m.group("cur1") or m.group("cur2")
        unit = "USD" if currency in ("USD", "US$", "$") else "CNY"
        context = before.lower()
        kind = None
        if re.search(r"\b(?:as|in)\s+(?:public[- ]interest\s+)?(?:damages|compensation)", after.lower()):
            kind = "damages"
        else:
            hits = [
                (context.rfind(word), label)
                for word, label in (
                    ("fine", "fine"),
                    ("fined", "fine"),
                    ("penalty of", "fine"),
                    ("confiscat", "confiscation"),
                    ("illegal gains", "confiscation"),
                    ("damages", "damages"),
                    ("compensat", "damages"),
                    ("pay", "damages"),
                )
            ]
            hits = [h for h in hits if h[0] >= 0]
            if hits:
                kind = max(hits)[1]
        if kind is None:
            continue
        claimed = kind == "damages" and bool(_CLAIM.search(text[max(0, m.start() - 160) : m.start()]))
        found.append(PenaltyRecord(type=kind, amount=amount, unit=unit, claimed=claimed))
    for m in _SPAN.finditer(text):
        context = text[max(0, m.start() - 80) : m.end() + 40].lower()
        unit = m.group("unit").lower()
        amount = _number(m.group("n"))
        if amount is None:
            continue
        if "detention" in context or "detained" in context:
            kind = "detention"
        elif (
            re.search(r"prison|imprison|sentenced|jail", context)
            and "suspend" not in text[m.end() : m.end() + 25].lower()
        ):
            kind = "imprisonment"
        else:
            continue
        if kind == "imprisonment" and re.search(
            r"(?:disqualified|banned|prohibited)", text[max(0, m.start() - 60) : m.start()].lower()
        ):
            continue
        found.append(PenaltyRecord(type=kind, amount=amount, unit=unit))
    unique: list[PenaltyRecord] = []
    for penalty in found:
        if penalty not in unique:
            unique.append(penalty)
    return unique


# Bodies the backbone does not know ------------------------------------------------------

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


def _unknown_bodies(text: str, known: list[Mention]) -> tuple[list[Mention], list[Mention]]:
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


# Instruments ----------------------------------------------------------------------

_HEADS = (
    "Law|Laws|Code|Regulations|Regulation|Measures|Provisions|Rules|Guidelines|Guideline|Guide|Opinions|Opinion|"
    "Notice|Circular|Plan|Outline|Standard|Standards|Specification|Specifications|Decision|Interpretation|"
    "Interpretations|Catalogue|Catalog|Methods|Requirements|Procedures|Directory|List|Program|Programme|Scheme|"
    "Implementation Rules|Detailed Rules|Framework|Principles"
)
_CONNECTORS = {
    "of",
    "on",
    "for",
    "the",
    "and",
    "in",
    "to",
    "by",
    "with",
    "from",
    "at",
    "under",
    "–",
    "-",
    "—",
    "&",
    "a",
    "an",
}
_TITLE_TOKEN = re.compile(r"\(Draft[^)]*\)|\([^()]{1,40}\)|[\w'’&-]+(?:\.[\w'’&-]+)*|[–—-]")
_HEAD_RE = re.compile(rf"\b(?:{_HEADS})\b")
_NOT_TITLE_START = {
    "On",
    "In",
    "The",
    "A",
    "An",
    "According",
    "As",
    "At",
    "By",
    "For",
    "From",
    "To",
    "Under",
    "With",
    "This",
    "That",
    "These",
    "Those",
    "Such",
    "It",
    "Its",
    "Recently",
    "Besides",
    "However",
    "Meanwhile",
    "Article",
    "Articles",
    *(m.capitalize() for m in MONTHS),
}
_DRAFT_MARK = re.compile(r"\(\s*Draft[^)]*\)|\bdraft\b", re.IGNORECASE)
_MENTION_CUES = re.compile(
    r"\b(?:in accordance with|according to|pursuant to|in line with|to implement|implement(?:ing|ation of)?|"
    r"based on|under|echo(?:es|ing)?|violat(?:e|es|ed|ing|ion of)|stipulated in|required by|provided in|"
    r"comply with|compliance with|as per|referr(?:ed|ing) to|cites?|cited)\b",
    re.IGNORECASE,
)
_REPORT_VERBS = re.compile(
    r"\b(?:issu(?:e|es|ed|ing)|releas(?:e|es|ed|ing)|publish(?:es|ed|ing)?|promulgat(?:e|es|ed|ing)|adopt(?:s|ed)?|"
    r"pass(?:es|ed)?|approv(?:e|es|ed)|formulat(?:e|es|ed)|revis(?:e|es|ed)|introduc(?:e|es|ed|tion)|unveil(?:s|ed)?|"
    r"enact(?:s|ed)?|amend(?:s|ed)?|draft(?:s|ed)?|solicit(?:s|ed|ing)?|print(?:s|ed)?|announc(?:e|es|ed))\b",
    re.IGNORECASE,
)
_PLANNED = re.compile(
    r"\b(?:speed up the (?:introduction|formulation)|will (?:formulate|introduce|draft|issue|study)|plan(?:s|ned)? to|"
    r"legislative (?:work )?plan|to be (?:formulated|drafted)|accelerate the (?:formulation|introduction)|"
    r"is (?:drafting|formulating)|started drafting|research(?:ing)? and (?:formulat|draft))",
    re.IGNORECASE,
)
_ADOPTED = re.compile(r"\b(?:adopted|passed|approved|voted|deliberated and (?:adopted|passed))\b", re.IGNORECASE)
_EFFECTIVE = re.compile(
    r"(?:come|comes|came|coming|enter|enters|entered) into (?:force|effect)|take[s]? effect|took effect|"
    r"(?:be|been|is) (?:officially )?(?:implemented|effective|enforced)|effective (?:from|on|as of)|in force (?:from|on)",
    re.IGNORECASE,
)
_ARTICLE = re.compile(r"\bArticles?\s+(?P<num>\d+)(?:\s*(?:,|and|to)\s*\d+)*\s+of\s+the\s+(?P<law>[A-Z][\w ]+?Law)\b")


@dataclass(frozen=True)
class TitleMention:
    """An instrument title found in text."""

    start: int
    end: int
    title: str
    draft: bool


def find_titles(text: str) -> list[TitleMention]:
    """Instrument titles in ``text``: runs of capitalised words with a head noun (Measures, Regulations…)."""
    tokens = list(_TITLE_TOKEN.finditer(text))
    titles: list[TitleMention] = []
    i = 0
    while i < len(tokens):
        word = tokens[i].group(0)
        if not word[:1].isupper() or word in _NOT_TITLE_START:
            i += 1
            continue
        j = i
        last_cap = i
        while j + 1 < len(tokens):
            nxt = tokens[j + 1]
            gap = text[tokens[j].end() : nxt.start()]
            if gap.strip() not in ("", ",") or "\n" in gap or (gap.strip() == "," and not nxt.group(0)[:1].isupper()):
                break
            w = nxt.group(0)
            if w[:1].isupper() or w[:1].isdigit() or w.startswith("(") or w.lower() in _CONNECTORS:
                j += 1
                if (
                    w[:1].isupper()
                    or w[:1].isdigit()
                    or (w.startswith("(") and not w.lower().startswith("(draft"))
                    or w.lower().startswith("(draft")
                ):
                    last_cap = j
            else:
                break
        for start, end in _split_joined(text, tokens[i].start(), tokens[last_cap].end()):
            span_text = text[start:end]
            draft = bool(re.search(r"\(\s*Draft", span_text, re.IGNORECASE))
            title = re.sub(r"\s*\(\s*Draft[^)]*\)\s*$", "", span_text).strip(" ,")
            lead = re.match(r"^(?:Amended|Revised|Draft of|Draft)\s+", title)
            if lead:
                title, start = title[lead.end() :], start + lead.end()
            if (
                _HEAD_RE.search(title)
                and len(title.split()) >= 2
                and not re.fullmatch(rf"(?:{_HEADS})(?: of \w+)?", title)
            ):
                titles.append(TitleMention(start, end, title, draft))
        i = last_cap + 1
    return titles


def _split_joined(text: str, start: int, end: int) -> list[tuple[int, int]]:
    # "the Measures on X and the Regulations on Y": two titles when both halves have a head noun.
    span = text[start:end]
    for joint in re.finditer(r",? and the |, the ", span):
        left, right = span[: joint.start()], span[joint.end() :]
        if _HEAD_RE.search(left) and _HEAD_RE.search(right) and (right[:1].isupper() or right[:1].isdigit()):
            rest = _split_joined(text, start + joint.end(), end)
            return [(start, start + joint.start()), *rest]
    return [(start, end)]


_HEADLINE_VERB = re.compile(
    r"\b(?:Issues?|Publish(?:es)?|Releases?|Promulgates?|Unveils?|Introduces?|Adopts?|Passes|Approves?|Revises?|"
    r"Amends?|Drafts?|Formulates?|Solicits? (?:Public )?Comments? on|Seeks? Comments? on|Speed(?:s)? up the Introduction of|"
    r"Prints?|Launch(?:es)?|Announces?)\s+(?:the\s+|its\s+|a\s+)?(?:(?:First|New|Draft|Amended|Revised)\s+)*",
)
_HEADLINE_PREDICATE = re.compile(
    r"\s+(?:Is|Are|Was|Were|Will|To|Adopted|Passed|Approved|Issued|Released|Published|Promulgated|Takes?|Comes?|"
    r"Goes|Enters?|Officially|Come|Take|Now|Become|Becomes)\b.*$|:.*$"
)


def _last_match(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    last = None
    for last in pattern.finditer(text):  # noqa: B007 - the loop keeps the last match
        pass
    return last


def headline_title(headline: str) -> TitleMention | None:
    """The instrument a Title-Case headline reports, between its verb and its predicate, if it names one.

    >>> headline_title("CBIRC Promulgates the Measures for the Regulation of IT Outsourcing Risks").title
    'Measures for the Regulation of IT Outsourcing Risks'
    """
    draft = bool(re.search(r"\(\s*Draft", headline, re.IGNORECASE))
    headline = re.sub(r"\s*\(\s*Draft[^)]*\)", "", headline)
    verb = _last_match(_HEADLINE_VERB, headline)
    start = verb.end() if verb else 0
    rest = headline[start:]
    if verb:
        rest = re.sub(r":.*$", "", rest)
    else:
        # With no reporting verb, the instrument can only be the subject of a predicate ("… Regulations Adopted").
        predicate = _HEADLINE_PREDICATE.search(rest)
        if predicate is None:
            return None
        rest = rest[: predicate.start()]
    title = rest.strip(" ,")
    title = re.sub(r"^(?:Amended|Revised|Draft)\s+", "", title)
    if not _HEAD_RE.search(title) or len(title.split()) < 2:
        return None
    return TitleMention(start, start + len(title), title, draft)


def _sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    starts = [m.end() for m in re.finditer(r"[.;!?]\s+(?=[A-Z\"“])", text[:pos])]
    start = starts[-1] if starts else 0
    m = re.search(r"[.;!?](?:\s+(?=[A-Z\"“])|\s*$)", text[pos:])
    end = pos + m.end() if m else len(text)
    return start, end


def _is_mention(text: str, title: TitleMention) -> bool:
    start, _ = _sentence_bounds(text, title.start)
    before = text[start : title.start]
    cue = _last_match(_MENTION_CUES, before)
    if cue is None:
        return False
    # A new clause after the cue ("…in accordance with the Law, MIIT issued the Measures") resets it;
    # a participle does not ("echoes the recently released Regulations").
    after = before[cue.end() :]
    clause = re.search(r",\s|\sand\s", after)
    return not (clause and _REPORT_VERBS.search(after[clause.end() :]))


# The extractor ----------------------------------------------------------------------------


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


@dataclass
class Extractor:
    """Turns a parsed issue into records, linking every name it can to the backbone."""

    linker: Linker

    def extract(self, issue: ParsedIssue) -> IssueRecord:
        """Records for every item of ``issue``, in reading order."""
        whole = "\n".join(f"{item.headline}\n{item.paragraph}" for item in issue.items)
        learned = self.linker.learn(whole)
        linker = self.linker.with_abbreviations(learned)
        reference = reference_date(issue)
        items = [self._item(item, linker, learned, reference) for item in issue.items]
        return IssueRecord(newsletter=issue.name, issue_date=issue.issue_date, items=items)

    def _item(self, item: ParsedItem, linker: Linker, learned: dict[str, str], reference: dt.date | None) -> ItemRecord:
        text = item.paragraph
        both = f"{item.headline}\n{text}"
        mentions = linker.find(both)
        mentions, unknown = _unknown_bodies(both, mentions)
        authorities = _names(m for m in [*mentions, *unknown] if m.kind == "authority")
        courts = _names(m for m in [*mentions, *unknown] if m.kind == "court")
        laws = _names(m for m in mentions if m.kind == "law")

        dates = find_dates(text)
        event_date = dates[0].resolve(reference) if dates else None
        event_day = as_date(event_date) or reference

        penalties = extract_penalties(text)
        parties = extract_parties(text, learned)
        instruments, mentioned = self._instruments(item, linker, mentions, unknown, event_day)
        kind = classify(item, len(instruments), bool([p for p in penalties if not p.claimed]))
        if kind != "legislation" and kind != "policy":
            mentioned = [i.title for i in instruments] + mentioned
            instruments = []
        return ItemRecord(
            n=item.n,
            section=item.section,
            headline=item.headline,
            source=item.source,
            kind=kind,
            date=event_date,
            authorities=authorities,
            courts=courts,
            laws=laws,
            instruments=instruments,
            mentions=_clean_mentions(linker, mentioned),
            parties=parties,
            penalties=penalties if kind in ("enforcement", "litigation") else [],
            sector=classify_sector(f"{item.headline} {text} {' '.join(parties)}")
            if kind in ("enforcement", "litigation")
            else None,
        )

    def _instruments(
        self,
        item: ParsedItem,
        linker: Linker,
        mentions: list[Mention],
        unknown: list[Mention],
        event_day: dt.date | None,
    ) -> tuple[list[InstrumentRecord], list[str]]:
        text = item.paragraph
        in_headline = headline_title(item.headline)
        reported: dict[str, InstrumentRecord] = {}
        mentioned: list[str] = []
        bodies = [*linker.find(text, kinds=("authority",)), *[u for u in unknown if u.kind == "authority"]]
        candidates = [t for t in find_titles(text) if _has_own_head(linker, t.title)]
        if in_headline is not None and not _has_own_head(linker, in_headline.title):
            in_headline = None
        distinct: list[str] = []
        for title in candidates:
            entity = linker.resolve(title.title, kinds=("law",))
            if entity is None and not any(_same_title(linker, title.title, seen) for seen in distinct):
                distinct.append(title.title)
        for title in candidates:
            headlined = in_headline is not None and _same_title(linker, title.title, in_headline.title)
            if not headlined and _is_mention(text, title):
                mentioned.append(title.title)
                continue
            entity = linker.resolve(title.title, kinds=("law", "instrument"))
            if entity is not None and kind_of(entity) == "law" and not title.draft:
                continue
            if not headlined:
                start, end = _sentence_bounds(text, title.start)
                if not _REPORT_VERBS.search(text[start:end]) and not _PLANNED.search(text[start:end]):
                    mentioned.append(title.title)
                    continue
            existing = next((k for k in reported if _same_title(linker, k, title.title)), None)
            if existing is not None:
                if title.draft and reported[existing].status != "draft":
                    reported[existing] = reported[existing].model_copy(update={"status": "draft"})
                continue
            reported[title.title] = self._describe(title, text, linker, bodies, item, event_day, len(distinct))
        if (
            not reported
            and in_headline is not None
            and not any(_same_title(linker, m, in_headline.title) for m in mentioned)
        ):
            reported[in_headline.title] = self._describe(
                in_headline, text, linker, bodies, item, event_day, 1, headline=True
            )
        return list(reported.values()), mentioned

    def _describe(
        self,
        title: TitleMention,
        text: str,
        linker: Linker,
        bodies: list[Mention],
        item: ParsedItem,
        event_day: dt.date | None,
        candidates: int,
        headline: bool = False,
    ) -> InstrumentRecord:
        occurrence = max(text.find(title.title), 0) if headline else title.start
        start, end = _sentence_bounds(text, occurrence)
        sentence = text[start:end]
        context = f"{item.headline} {sentence}"
        status = "issued"
        if title.draft or re.search(r"\(Draft|\bdraft\b|for (?:public )?comments", context, re.IGNORECASE):
            status = "draft"
        elif _PLANNED.search(context):
            status = "planned"
        elif _ADOPTED.search(context):
            status = "adopted"

        issuers = [
            m for m in bodies if start <= m.start < end and not (occurrence <= m.start < occurrence + len(title.title))
        ]
        if not issuers:
            issuers = [m for m in linker.find(item.headline, kinds=("authority",))]
        issuer_names = _drop_sub_units(linker, _names(issuers))

        effective = None
        for m in _EFFECTIVE.finditer(text):
            following = find_dates(text[m.end() : m.end() + 60])
            if following:
                effective = following[0].resolve(event_day, future=True)
                break
            if re.match(r"\s+in\s+" + _FULL_MONTH + r"\s+this year", text[m.end() : m.end() + 30]):
                month = MONTHS[re.match(r"\s+in\s+(\w+)", text[m.end() :]).group(1).lower()]  # type: ignore[union-attr]
                if event_day:
                    effective = f"{event_day.year:04d}-{month:02d}"
                break
        if effective is None:
            for m in re.finditer(
                r"\b(?:effective|in force|into effect|into force|take effect) (?:from|on|as of)?\s*", text
            ):
                following = find_dates(text[m.end() : m.end() + 30])
                if following and following[0].start == 0:
                    effective = following[0].resolve(event_day, future=True)
                    break

        implements: list[str] = []
        article = None
        # With one instrument in the item, what "it" implements may be said in a later sentence.
        scope = text if candidates == 1 else sentence
        for m in _ARTICLE.finditer(scope):
            law = linker.resolve(m.group("law"), kinds=("law",))
            if law:
                implements.append(law.name_en)
                article = f"{law.name_en} Article {m.group('num')}"
        cue = re.search(r"\b(?:implement|in accordance with|pursuant to|based on|according to)\b", scope)
        if cue:
            for mention in linker.find(scope[cue.end() :], kinds=("law",)):
                if mention.name not in implements:
                    implements.append(mention.name)

        jurisdiction = _jurisdiction(linker, title.title, issuers, item.headline)
        return InstrumentRecord(
            title=title.title,
            status=status,
            jurisdiction=jurisdiction,
            effective=effective,
            issuers=issuer_names,
            implements=implements,
            implements_article=article,
        )


def _has_own_head(linker: Linker, title: str) -> bool:
    # "Typical Cases … after the Promulgation of the Civil Code" is no instrument: its only
    # head noun belongs to the statute it names.
    if linker.resolve(title, kinds=("law", "instrument")) is not None:
        return True
    rest = title
    for mention in sorted(linker.find(title, kinds=("law",)), key=lambda m: -m.start):
        rest = rest[: mention.start] + rest[mention.end :]
    return bool(_HEAD_RE.search(rest))


def _clean_mentions(linker: Linker, names: list[str]) -> list[str]:
    # Statutes named in passing are already in `laws`; "(\"PIPL\")" is a definition, not part of a title.
    cleaned: list[str] = []
    for name in names:
        name = re.sub(r"\s*\(\s*[\"“”']?[A-Z][A-Za-z]{1,10}[\"“”']?\s*\)$", "", name)
        entity = linker.resolve(name, kinds=("law", "instrument"))
        if (entity is not None and kind_of(entity) == "law") or name in cleaned:
            continue
        cleaned.append(name)
    return cleaned


def _names(mentions: Iterable[Mention]) -> list[str]:
    names: list[str] = []
    for mention in mentions:
        if mention.name not in names:
            names.append(mention.name)
    return names


def _title_key(linker: Linker, title: str) -> str:
    entity = linker.resolve(title, kinds=("law", "instrument"))
    return entity.id if entity else normalize(title)


def _same_title(linker: Linker, a: str, b: str) -> bool:
    if _title_key(linker, a) == _title_key(linker, b):
        return True
    na, nb = normalize(a), normalize(b)
    return na.endswith(nb) or nb.endswith(na)


def _drop_sub_units(linker: Linker, names: list[str]) -> list[str]:
    # A bureau inside a ministry speaks for the ministry; the ministry is the issuer.
    kept = []
    for name in names:
        entity = linker.resolve(name, kinds=("authority",))
        parent = entity.parent if isinstance(entity, Authority) else None
        parent_name = linker.entities[parent].name_en if parent and parent in linker.entities else None
        if parent_name in names:
            continue
        kept.append(name)
    return kept


def _province(linker: Linker, entity: Named | None) -> Jurisdiction | None:
    seen = 0
    while isinstance(entity, Jurisdiction) and seen < 6:
        if entity.level.value in ("provincial", "national"):
            return entity
        entity = linker.entities.get(entity.within or "")
        seen += 1
    return None


def _jurisdiction(linker: Linker, title: str, issuers: list[Mention], headline: str) -> str:
    places = [
        entity
        for entity in linker.backbone.of_type(Jurisdiction)
        if entity.id != "china" and re.search(rf"\b{re.escape(entity.name_en)}\b", title)
    ]
    if places:
        province = _province(linker, places[0])
        return _short_place(province or places[0])
    for mention in issuers:
        entity = linker.entities.get(mention.entity_id or "")
        jurisdiction = getattr(entity, "jurisdiction", None)
        if jurisdiction and jurisdiction != "china":
            province = _province(linker, linker.entities.get(jurisdiction))
            if province and province.id != "china":
                return _short_place(province)
        if entity is None:
            for place in linker.backbone.of_type(Jurisdiction):
                if place.id != "china" and mention.name.startswith(place.name_en):
                    return _short_place(_province(linker, place) or place)
    return "China"


def _short_place(place: Named) -> str:
    return re.sub(r"\s+(?:Province|Municipality|Autonomous Region)$", "", place.name_en)
