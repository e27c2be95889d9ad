"""What headlines, section labels and lead sentences look like, for every layout to share.

A headline is a short line that does not end a sentence; a section label is a short line made only
of the words publishers put over a group of items ("Legislative Development", "Data Protection
Highlights", "Case Summary", "LEGISLATION"); a lead sentence is a paragraph's first sentence, which
stands in as the headline where none is printed.

Example:
    >>> is_section_label("Regulatory developments"), is_section_label("China Relaxes Rules on Data Flow")
    (True, False)
    >>> lead_sentence("On 3 May the Co., Ltd. was fined. It paid.")
    'On 3 May the Co., Ltd. was fined.'

"""

from __future__ import annotations

import re

from kg.newsletter.dates import MONTHS

__all__ = [
    "SMALL_WORDS",
    "is_headline_like",
    "is_page_title",
    "is_section_label",
    "lead_sentence",
    "sentences",
    "title_case",
]

#: Words a title keeps in lower case.
SMALL_WORDS = frozenset(
    "a an and & at as by for from in into of on or over the to under upon via vs with without".split()  # noqa: SIM905
)
_SECTION_VOCABULARY = frozenset(
    """
    legislation legislative law laws legal regulation regulations regulatory rules rulemaking policy policies
    enforcement enforcements cases case court courts litigation judicial judgments judgment decisions decision
    update updates news developments development highlights highlight headlines key takeaways takeaway summary
    summaries overview background introduction intro analysis comment comments commentary observations outlook
    other others miscellaneous industry standards standard data protection privacy cybersecurity cyber security
    personal information monthly weekly quarterly annual yearly roundup round-up round up digest brief briefing
    briefs notes note insights insight china chinese prc mainland asia asia-pacific apac global international
    national local sector sectors financial finance latest recent new top stories trends what's next upcoming
    events event issue edition review reviews government governance compliance facts holding ruling rulings
    reasoning conclusion conclusions implications practical tips recommendations contents table alerts alert items
    item topics topic section part spotlight focus feature features regulators regulator authorities authority
    cross-border ai artificial intelligence technology tech tmt telecoms internet online digital economy trade
    market markets antitrust competition consumer consumers employment labour labor ip intellectual property our
    your this that in brief at glance bulletin newsletter report reports q1 q2 q3 q4 h1 h2 i ii iii iv v vi vii
    viii ix x region regional blog archive archives month week year today
    """.split()  # noqa: SIM905 - a word list reads better as text
)
_PAGE_TITLE = re.compile(
    r"\b(?:updates?|round-?ups?|newsletters?|digest|highlights|bulletin|briefing|alerts?|monthly|weekly|quarterly"
    r"|recent developments|insights|notes from|archives?|blog|this (?:week|month) in)\b",
    re.IGNORECASE,
)
_MONTH_WORDS = frozenset(MONTHS)
# A year-in-review's label: a month and where its entries come from ("January Singapore", "March Hong Kong").
_MONTH_LABEL = re.compile(
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)(?:\s+[A-Z][a-z]+){1,2}"
)
_WORD = re.compile(r"[\w'’&.-]+")
_SENTENCE_END = re.compile(r"(?<=[.!?。])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9\u4e00-\u9fff])|(?<=[。！？])")
# Abbreviations that end with a dot inside a sentence.
_ABBREVIATION = re.compile(
    r"(?:\b(?:Co|Ltd|Inc|Corp|No|Nos|Art|Arts|Mr|Ms|Mrs|Dr|Prof|St|Jr|Sr|vs|etc|e\.g|i\.e|approx|Dept|Govt|Jan|Feb"
    r"|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|U\.S|U\.K|P\.R|para|paras|p|pp|cf|al|Fig|Vol)|\b[A-Z])\.$"
)


# "1. Headline", "IV. Rules": a list number before a dot does not end a sentence.
_LIST_MARK = re.compile(r"^\s*\(?(?:\d{1,3}|[IVXivx]{1,4})\)?$")


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def title_case(text: str) -> bool:
    """Whether the words that a title would capitalise are capitalised (three in four, at least two).

    >>> title_case("Regulator Fines App Maker over Location Data"), title_case("New rules issued for banks")
    (True, False)
    """
    significant = [w for w in _words(text) if w[:1].isalpha() and w.lower() not in SMALL_WORDS]
    if len(significant) < 2:
        return bool(significant) and significant[0][:1].isupper()
    capitalised = sum(1 for w in significant if w[:1].isupper())
    return capitalised >= 0.75 * len(significant)


# Two or more dashes, rules, stars or equals signs at either end of a line.
_RULE_ENDS = re.compile(r"^[-—–=_*~·]{2,}\s*|\s*[-—–=_*~·]{2,}$")


def without_rules(text: str) -> str:
    """A line without the rules drawn around it: "————Takeaways————" is "Takeaways".

    >>> without_rules("== Enforcement ==")
    'Enforcement'
    """
    return _RULE_ENDS.sub("", text.strip())


def is_section_label(text: str) -> bool:
    """A short line made only of section words, months and years, or a short line in capitals.

    Rules drawn around a label are not part of it: "————Takeaways————", "== Enforcement ==".

    >>> is_section_label("————Takeaways————"), is_section_label("—— CAC fines Didi ——")
    (True, False)
    """
    text = without_rules(text).rstrip(":")
    if not text or len(text) > 90 or text[-1:] in ".,;!?" or not text[:1].isalpha():
        return False
    words = _words(text)
    if not words or len(words) > 12:
        return False
    if _MONTH_LABEL.fullmatch(text):
        return True
    letters = [c for c in text if c.isalpha()]
    if len(words) <= 6 and letters and all(c.isupper() for c in letters) and len(letters) >= 4:
        return True
    for word in words:
        key = word.lower().strip(".'’-&")
        if not key or key in SMALL_WORDS or key in _SECTION_VOCABULARY or key in _MONTH_WORDS:
            continue
        if key.isdigit() or re.fullmatch(r"(?:19|20)\d\d|\d{1,2}(?:st|nd|rd|th)?", key):
            continue
        return False
    return True


def is_page_title(text: str) -> bool:
    """A line naming the whole page ("Recent Updates to Chinese Data Protection Measures"), not one item.

    >>> is_page_title("China Data Protection Monthly Update - April 2023"), is_page_title("CAC Fines Didi")
    (True, False)
    """
    if is_section_label(text):
        return True
    return is_headline_like(text) and title_case(text) and _PAGE_TITLE.search(text) is not None


def is_headline_like(text: str) -> bool:
    """Short, one sentence at most, not ending like a sentence, and not a bare URL or number."""
    text = text.strip()
    if not text or len(text) > 250 or text[-1] in ".;:,，。；：" or "://" in text[:12]:
        return False
    first = text[0]
    if not (first.isupper() or first.isdigit() or first in "\"'“‘(《「" or "\u4e00" <= first <= "\u9fff"):
        return False
    words = text.split()
    chinese = any("\u4e00" <= c <= "\u9fff" for c in text[:3])
    if len(words) > 32 or (len(words) < 2 and not chinese):
        return False
    return len(sentences(text)) == 1


def sentences(text: str) -> list[str]:
    """The sentences of a paragraph, abbreviations (``Co., Ltd.``, ``Sept.``, ``No.``) not ending one."""
    out: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        before = text[start : m.start()]
        if _ABBREVIATION.search(before) or _LIST_MARK.match(before.rstrip(".")):
            continue
        piece = text[start : m.end()].strip()
        if piece:
            out.append(piece)
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


def lead_sentence(text: str) -> str:
    """The first sentence of a paragraph, as printed (its closing punctuation kept)."""
    found = sentences(text)
    return found[0] if found else text.strip()


# A law digest's note under a title: "Promulgated by …", "Promulgation date: …", "Implementation date: …".
_NOTE_LINE = re.compile(
    r"^\s*(?:(?:Promulgated|Issued|Released|Published|Adopted|Enacted|Approved) by\s+\S.{0,100}|"
    r"(?:Promulgation|Issuing|Issuance|Release|Publication|Adoption|Implementation|Effective|Commencement) date"
    r"\s*[:：].{1,40}|(?:Issuing|Promulgating) (?:authority|body|department)\s*[:：].{1,100}|Document (?:No|number)\.?\s*[:：].{1,60})$",
    re.IGNORECASE,
)


def note_line(text: str) -> bool:
    """Whether a block is a note under a title: who promulgated it and when ("Promulgation date: 20 August 2021").

    >>> note_line("Promulgated by the Ministry of Public Security"), note_line("The ministry promulgated rules.")
    (True, False)
    """
    return len(text) <= 160 and _NOTE_LINE.match(text) is not None
