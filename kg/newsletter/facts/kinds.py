"""What kind of news an item is (legislation, enforcement, litigation, policy), and the sector it concerns."""

from __future__ import annotations

import re

from kg.newsletter.items import ParsedItem

#: Section headings that say what their items are. "News", "Developments" or "Highlights" do not:
#: a rule taking effect is legislation under any heading.
_SECTION_KINDS = (
    (re.compile(r"LEGISLAT|\bLAWS?\b|REGULATION|RULE", re.IGNORECASE), "legislation"),
    (re.compile(r"ENFORCE|PENALT|SUPERVIS|CRACKDOWN", re.IGNORECASE), "enforcement"),
    (re.compile(r"COURT|LITIGAT|JUDICI|CASES?\b", re.IGNORECASE), "litigation"),
)
_LITIGATION = re.compile(
    r"\b(?:courts?|sentenced|verdict|judgment|judgement|lawsuit|sues?|sued|prosecut\w*|indicted|trial|typical cases|"
    r"litigation|defendants?|plaintiffs?|ruled|appeal\w*|convicted|jailed|arbitration|tribunal|criminal case|civil case|"
    r"public interest (?:litigation|lawsuit)|procuratorate\w*|judges?|hearing|"
    # A finding of infringement is a court's word for a civil wrong; a regulator finds violations.
    r"constitut\w* (?:an? )?infringement)\b",
    re.IGNORECASE,
)
_ENFORCEMENT = re.compile(
    r"\b(?:fined|fines|penalt(?:y|ies)|penali[sz]\w*|APPs?|apps?|rectif\w*|inspect\w*|special action|specialized action|"
    r"campaign|crack(?:s|ed)? down|crackdown|detention|detained|arrest\w*|(?<!push )notif\w+|report(?:s|ed)? \d+|took down|taken down|"
    r"removed|investigat\w*|punish\w*|illegal(?:ly)?|violat\w+|warning|warned|non-compliance|summon\w*|interview\w*|"
    r"(?<!in )order(?:ed|s)? to|law enforcement|sanction\w*|suspend\w*|banned|breach(?:es)?|leak(?:ed|s|age)?)\b"
)
_INSTRUMENT_NOUN = (
    r"(?:laws?|acts?|codes?|measures|regulations?|provisions|rules|guidelines?|guidance|standards?|specifications?|"
    r"opinions|notice|circular|plan|catalogue|catalog|list|clauses|contract|q&as?|initiative|decision|interpretations?|"
    r"requirements|framework|amendments?|drafts?|bills?|policy|policies|procedures|methods)"
)
_LEGISLATION = re.compile(
    r"\b(?:draft\w*|for (?:public )?comments?|solicit\w*|consultation|seeks? comments|seeking comments|takes? effect|took effect|"
    r"(?:come|comes|came|coming|enters?|entered|go(?:es)? into) (?:into )?(?:force|effect)|in force|promulgat\w*|enact\w*|"
    r"legislat\w*|"
    r"(?:issu\w*|releas\w*|publish\w*|unveil\w*|adopt\w*|pass(?:ed|es)?|approv\w*|amend\w*|revis\w*|finali[sz]\w*|"
    r"formulat\w*|introduc\w*|launch\w*)\s+(?:\S+\s+){0,6}?"
    + _INSTRUMENT_NOUN
    + r"|new\s+(?:\S+\s+){0,2}?"
    + _INSTRUMENT_NOUN
    + r")\b(?!\s+enforcement)",
    re.IGNORECASE,
)


_APP = re.compile(r"\b(?:APPs?|apps?)\b")


# The same signs in Chinese, written without spaces (so without word boundaries).
_CHINESE = {
    "litigation": re.compile(r"法院|判决|裁定|起诉|诉讼|原告|被告|检察院|公诉|判处|审理"),
    "enforcement": re.compile(r"处罚|罚款|通报|下架|整改|约谈|责令|查处|立案|没收|专项行动|执法检查"),
    "legislation": re.compile(
        r"印发|施行|征求意见|草案|审议通过|修订|修正|(?:发布|公布|出台).{0,20}?(?:法|办法|规定|条例|指南|标准|意见|通知|细则)"
    ),
}
# The lead sentence ends at a full stop before a capital, not inside a company's name ("Dior (Shanghai)
# Co., Ltd. was sanctioned …") or after a short abbreviation ("No. 5", "Mr. Li").
_SENTENCE_END = re.compile(
    r"(?<!\bCo)(?<!\bLtd)(?<!\bInc)(?<!\bCorp)(?<!\bNo)(?<!\bMr)(?<!\bMs)(?<!\bDr)(?<!\bSt)\.\s+(?=[A-Z\"“‘'(])|。"
)


def _hits(pattern: re.Pattern[str], text: str, kind: str | None = None) -> int:
    found = len(pattern.findall(text)) + (len(_CHINESE[kind].findall(text)) if kind else 0)
    return min(2, found)


def classify(item: ParsedItem, reported_instruments: int, has_penalty: bool, awarded: bool = False) -> str:
    """The item's kind: from its section heading when it names one, else from what the item reports.

    What the headline says weighs most, then the paragraph's lead, then the rest; a penalty imposed
    counts for enforcement, damages or a prison term awarded for litigation, an instrument reported
    for legislation. A court's judgment is litigation even when it awards damages; a rule taking
    effect is legislation under any heading.
    """
    if item.section:
        for pattern, kind in _SECTION_KINDS:
            if pattern.search(item.section):
                return kind
    headline = item.headline
    end = _SENTENCE_END.search(item.paragraph)
    lead, rest = (item.paragraph[: end.start()], item.paragraph[end.end() :]) if end else (item.paragraph, "")
    scores = {"litigation": 0.0, "enforcement": 0.0, "legislation": 0.0}
    # A court acting is litigation; the word alone, in a list of bodies, is weaker. Where a court
    # acts, an app is what the suit is about, not a sign of a regulator acting.
    in_court = re.search(
        r"\bcourts?\b|\bjudg|\bsued?\b|\bplaintiff|\bdefendant|\bsentenc|\bverdict|\bprocuratorate|法院|原告|被告|起诉|检察院",
        item.paragraph + " " + headline,
        re.I,
    )
    for kind, pattern in (("litigation", _LITIGATION), ("enforcement", _ENFORCEMENT), ("legislation", _LEGISLATION)):
        score = 3 * _hits(pattern, headline, kind) + 1.5 * _hits(pattern, lead, kind) + 0.5 * _hits(pattern, rest, kind)
        if kind == "enforcement" and in_court:
            score -= 3 * _hits(_APP, headline) + 1.5 * _hits(_APP, lead) + 0.5 * _hits(_APP, rest)
        scores[kind] = score
    if not in_court:
        scores["litigation"] /= 2
    if has_penalty:
        scores["enforcement"] += 3
    if awarded:
        scores["litigation"] += 3
    if reported_instruments:
        scores["legislation"] += 3
    best = max(scores, key=lambda kind: (scores[kind], ("legislation", "enforcement", "litigation").index(kind)))
    return best if scores[best] >= 1.5 else "policy"


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
