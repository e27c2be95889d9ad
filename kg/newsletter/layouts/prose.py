"""A prose column or a dated-entry list: each new event opens a paragraph, and no headlines are printed.

A paragraph starts a new item when it opens with the date of what it reports ("On 30 September
2024, …", a date line, "Sept. 6 – …"), when one of its sentences does ("… On 7 May, the Ministry
of … issued …"), or when its first sentence has a body for subject and a reporting verb ("China's
National Technical Committee … issued …"). A paragraph that refers back ("The draft …", "This …",
"In addition, …") continues the item before it. What comes before the first event (greetings, an
introduction) is not an item. The item's headline is its lead sentence.
"""

from __future__ import annotations

import re

from kg.newsletter.dates import opening_date
from kg.newsletter.document import Block, Page
from kg.newsletter.headlines import is_headline_like, is_section_label, sentences
from kg.newsletter.layouts.common import Segmentation, content_blocks, date_only, make_item, preamble, title_line

NAME = "prose"

_BODY_WORDS = (
    r"Administration|Ministry|Commission|Committee|Council|Court|Bureau|Office|Procuratorate|Congress|Bank|"
    r"Regulator|Authority|Agency|Department|Centre|Center|Association|Government|Police|Institute|Board|Cabinet|"
    r"Tribunal|Legislature|Assembly|Regulatory|Branch"
)
# The subject a sentence opens with: a named body ("The Cyberspace Administration of China (CAC)",
# "China's National Technical Committee for …"), an acronym ("MIIT", "TC260"), or the state itself.
_ACTOR = re.compile(
    rf"^(?:[Tt]he\s+|China['’]s\s+|Chinese\s+)?(?:(?:[A-Z][\w'’&-]*|of|for|on|and|the|in)\s+){{0,10}}?"
    rf"(?:{_BODY_WORDS})\b(?:\s+(?:of|for|on)\s+(?:the\s+)?[A-Z][\w'’&-]*(?:\s+(?:(?:and|of|for|the|on|in)\s+)*[A-Z][\w'’&-]*){{0,6}})?"
    rf"(?:\s*\([^)]{{1,20}}\))?"
    rf"|^(?:[Tt]he\s+|China['’]s\s+)?[A-Z][A-Z0-9]{{1,7}}\b(?:\s*\([^)]{{1,20}}\))?"
    r"|^(?:China|Beijing|Chinese (?:authorities|regulators|government|lawmakers|legislators|courts?))\b"
)
_VERB = re.compile(
    r"^(?:\s*,[^,]{1,80},|\s*,)?\s*(?:(?:on|last|this)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|week|month)\s+)?"
    r"(?:has\s+|have\s+|had\s+|also\s+|jointly\s+|officially\s+|recently\s+|formally\s+|"
    r"publicly\s+|further\s+|again\s+|today\s+|will\s+|is\s+|are\s+|was\s+|were\s+){0,3}"
    r"(?:issu|releas|publish|announc|unveil|launch|adopt|approv|promulgat|fin(?:ed|es)|impos|penali[sz]|punish|"
    r"order|summon|notif|remov|suspend|sentenc|sue|sued|fil(?:ed|es)|open|began|start|reveal|pass|introduc|propos|"
    r"solicit|sought|seek|finali[sz]|sign|enact|amend|revis|report|nam|list|kick|held|rul|decid|convict|"
    r"investigat|warn|conduct|complet|confirm|express|stat|said|says|call|urg|request)\w*",
    re.IGNORECASE,
)
# Openings that refer back to what came before: the paragraph goes on with the same event.
_CONTINUES = re.compile(
    r"^(?:This|These|That|Those|It|Its|They|Their|Such|Both|Each|Also|However|Meanwhile|Besides|Notably|Moreover|"
    r"Furthermore|Additionally|In addition|After|Afterwards|Under|Once|When|While|Despite|Although|Nevertheless|"
    r"In particular|Specifically|For example|For instance|Among|Compared (?:to|with)|Unlike|As (?:a result|such|well)|"
    r"According to (?:the|this|these|it)|In (?:this|that|its|their|the (?:draft|rules?|measures))|"
    r"The (?:draft|new|latest|final|revised|amended|above|same|former|latter|rules?|measures|regulations?|provisions|"
    r"guidelines?|specifications?|standards?|law|document|notice|plan|case|court|decision|move|authorit\w+|"
    r"regulators?|compan(?:y|ies)|platforms?|apps?|operators?|defendants?|plaintiffs?|judgment|ruling|statement|"
    r"report|announcement|policy|proposal|framework|requirements?|list|catalogue|certification|assessment|"
    r"consultation|comment period|campaign|investigation|penalt(?:y|ies)|fines?))\b"
    # A body named again by its head noun alone ("the Center", defined before) is the one already told of;
    # "The Ministry of Commerce …" names another.
    r"|^The (?:Center|Centre|Ministry|Commission|Committee|Bureau|Office|Administration|Agency|Authority|Department|"
    r"Council|Procuratorate|Regulator|Court|Tribunal)\b(?!\s+(?:of|for|on)\b)"
)
_DATED_SENTENCE = re.compile(r"^On\s")
# Openings that move on to another story ("In other developments, …", "This week, …"): what follows
# them is read as if the sentence began there.
_TRANSITION = re.compile(
    r"^(?:In other (?:news|developments)|Elsewhere|Separately|Meanwhile|In (?:regional|related|separate) news|"
    r"Also this (?:week|month)|(?:This|Last|Earlier this|Later this|Next) (?:week|month|year)|Earlier|Recently|"
    r"Yesterday|Today|On (?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|In (?:early |late |mid-?)?"
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)(?: \d{4})?)\s*,\s*"
)
# A reporting verb strong enough to tell news whoever the subject ("Hong Kong introduced …").
_STRONG = re.compile(
    r"^\s*(?:(?:has|have|had|also|jointly|officially|formally|recently|publicly|finally)\s+){0,2}"
    r"(?:issued|released|published|introduced|passed|adopted|fined|launched|announced|unveiled|enacted|approved|"
    r"promulgated|imposed|ordered|removed|sanctioned|penali[sz]ed|sued|ruled|sentenced|finali[sz]ed|amended|revised)\b"
)
# A statute or rule for subject, and a predicate that tells its news: "Vietnam's Law on Cybersecurity came
# into effect", "The Data Act was adopted …". ("The draft …", "The rules …" refer back: see _CONTINUES.)
_TITLE_SUBJECT = re.compile(
    r"^(?:[Tt]he\s+)?(?:[A-Z][\w-]*['’]s\s+)?(?:Draft\s+of\s+(?:the\s+)?)?(?:(?:[A-Z][\w'’&-]*|of|on|for|and|the|in|[–—-])\s+){0,14}?"
    r"(?:Law|Act|Code|Ordinance|Bill|Directive|Regulations?|Measures|Provisions|Rules|Guidelines|Standard|Specification)\b"
    r"(?:\s+(?:of|on|for)\s+(?:the\s+)?[A-Z][\w'’&-]*(?:\s+(?:(?:and|of|for|the|on|in)\s+)*[A-Z][\w'’&-]*){0,8})?"
    r"(?:\s*\([^)]{1,40}\))?"
)
_ITS_NEWS = re.compile(
    r"^\s*(?:(?:has|have|had|also|officially|finally|formally|now)\s+){0,2}"
    r"(?:(?:came|comes|come|went|goes) into (?:effect|force)|(?:took|takes|take) effect|(?:entered|enters) into force|"
    r"(?:was|were|has been|have been) (?:officially\s+|formally\s+)?(?:issued|released|published|passed|adopted|enacted|"
    r"promulgated|approved|signed))\b"
)
_NAME = re.compile(r"^(?:[Tt]he\s+)?(?:[A-Z][\w'’&.-]*\s+){0,3}[A-Z][\w'’&.-]*(?:\s*\([^)]{1,20}\))?")
_JOINER = re.compile(r"^\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)")


def _subject_end(sentence: str) -> int | None:
    """Where the subject a sentence opens with ends: one body or a list of them ("the CAC, MIIT and SAMR")."""
    actor = _ACTOR.match(sentence)
    if actor is None:
        return None
    end = actor.end()
    while (joint := _JOINER.match(sentence[end:])) is not None:
        more = _ACTOR.match(sentence[end + joint.end() :])
        if more is None:
            break
        end += joint.end() + more.end()
    return end


def _reports_here(sentence: str) -> bool:
    dated = opening_date(sentence)
    if dated is not None:  # "7 July CAC enacted …", "On 3 May, MIIT …"
        sentence = sentence[dated.end :].lstrip(" ,")
    end = _subject_end(sentence)
    if end is not None and _VERB.match(sentence[end:]) is not None:
        return True
    name = _NAME.match(sentence)
    if name is not None and _STRONG.match(sentence[name.end() :]) is not None:
        return True
    title = _TITLE_SUBJECT.match(sentence)
    return title is not None and _ITS_NEWS.match(sentence[title.end() :]) is not None


def _reports(sentence: str) -> bool:
    """Whether a sentence tells something a body did, past an opening ("This week, …") or a short clause."""
    if (m := _TRANSITION.match(sentence)) is not None:
        sentence = sentence[m.end() :]
    if _reports_here(sentence):
        return True
    comma = sentence.find(", ", 0, 100)
    return comma > 0 and _reports_here(sentence[comma + 2 :])


def reporting_sentence(text: str) -> str:
    """The sentence of a paragraph that tells its news (a body doing something, or a dated one), else the first."""
    said = sentences(text)
    for sentence in said[:3]:
        if _reports(sentence) or opening_date(sentence) is not None:
            return sentence
    return said[0] if said else text


def starts_event(text: str) -> bool:
    """Whether a paragraph opens a new event (see the module's description).

    >>> starts_event("On 7 May, the Ministry issued app standards.")
    True
    >>> starts_event("The draft sets out best practices for notices.")
    False
    >>> starts_event("The Center stated that its inquiry began in May."), starts_event("The Ministry of Commerce issued rules.")
    (False, True)
    """
    if opening_date(text) is not None:
        return True
    if _CONTINUES.match(text):
        return False
    said = sentences(text)
    if said and _reports(said[0]):
        return True
    return any(
        (_DATED_SENTENCE.match(s) is not None and opening_date(s) is not None and _reports(s))
        or (_TRANSITION.match(s) is not None and _reports(s))
        for s in said[1:4]
    )


def segment(page: Page) -> Segmentation | str:
    """The page's events as items, or why this layout does not hold."""
    blocks, issue_date, dropped = content_blocks(page)
    titled = title_line(blocks)
    if titled is not None:
        return f"a title line heads the text ({blocks[titled].text[:40]!r}…): one article, not a column"
    # A headline-like line is a title or a label, never the start of an event told in prose.
    starts = [
        i
        for i, b in enumerate(blocks)
        if date_only(b.text) or (not is_headline_like(b.text) and not is_section_label(b.text) and starts_event(b.text))
    ]
    # A date line opens the item that its next paragraph tells; two date lines in a row are one.
    starts = [i for k, i in enumerate(starts) if not (k and starts[k - 1] == i - 1 and date_only(blocks[i - 1].text))]
    if len(starts) < 2:
        return f"{len(starts)} paragraph(s) open a new dated or reported event; two are needed"
    items = []
    section, skipped = preamble(page, blocks[: starts[0]], "event")
    warnings = [*dropped, *skipped]
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(blocks)
        body = [b for b in blocks[start:end] if not is_section_label(b.text)]
        # The headline is the first words that are not a date line: a title line, or the lead sentence.
        told = [b for b in body if not date_only(b.text)]
        headline: Block | str | None = None
        if len(told) > 1 and is_headline_like(told[0].text):
            headline = told[0]
            body = [b for b in body if b is not told[0]]
        elif told:
            headline = reporting_sentence(told[0].text)
        item = make_item(k + 1, headline, body, section)
        if item is not None:
            items.append(item)
        for b in blocks[start:end]:
            if is_section_label(b.text):
                section = b.text
    return Segmentation(items, f"{len(items)} paragraphs open a dated or reported event", warnings, issue_date)
