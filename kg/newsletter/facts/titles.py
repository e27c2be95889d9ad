"""Instrument titles in text, and whether an item reports an instrument or only names it.

A title is a run of capitalised words with a head noun (Measures, Regulations, Provisions …); the
headline's title is the words between its reporting verb and its predicate. A title after a cue
("in accordance with", "under") is named in passing, not reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.newsletter.dates import MONTHS

_HEADS = (
    "Law|Laws|Act|Ordinance|Code|Regulations|Regulation|Measures|Provisions|Rules|Guidelines|Guideline|Guide|Opinions|Opinion|"
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
# A full date in brackets after a title: "(May 2, 2017)", "(2 May 2017)", "(2017-05-02)"; not "(2019 Revision)".
_PAREN_DATE = re.compile(
    r"\((?:[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+[A-Z][a-z]{2,8}\.?,?\s+\d{4}|\d{4}-\d{1,2}-\d{1,2})\)"
)
_TITLE_TOKEN = re.compile(r"\(Draft[^)]*\)|\([^()]{1,40}\)|[\w'’&-]+(?:\.[\w'’&-]+)*|[–—-]")
#: The head nouns of a title, as a regular-expression alternation.
HEADS = _HEADS
HEAD_RE = re.compile(rf"\b(?:{_HEADS})\b")
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
    *[
        "After",
        "Before",
        "Once",
        "When",
        "While",
        "If",
        "Until",
        "Upon",
        "Since",
        "Following",
        "Compared",
        "Unlike",
        "Both",
        "Each",
        "Any",
        "All",
        # A count describes texts, it is no title's first word: "TC260 Releases Two Guidelines on …"
        # ("Several Opinions on …" is a title: 若干意见).
        "Two",
        "Three",
        "Four",
        "Five",
    ],
}
#: The words that name a statute's change rather than another text ("… Law Amendment", "Revised …").
AMENDMENT_WORDS = frozenset({"Amendment", "Amendments", "Revision", "Revised", "Amended"})
#: Those words after a title, as a regular-expression alternation ("… Law Amendment", "… (Revision Draft)").
AMENDMENT_NOUNS = r"Amendments?|Revision|Revised"
# A draft's note after its title: "(Draft for Comments)", "(Exposure Version)", "(Consultation Draft)".
_DRAFT_NOTE = re.compile(
    rf"\s*\(\s*(?:(?:{AMENDMENT_NOUNS})\s+)?(?:Draft|Exposure|Consultation)\b[^)]*\)\s*$", re.IGNORECASE
)
_DRAFT_MARK = re.compile(r"\(\s*Draft[^)]*\)|\bdraft\b", re.IGNORECASE)
_MENTION_CUES = re.compile(
    r"\b(?:in accordance with|according to|pursuant to|in line with|to implement|implement(?:ing|ation of)?|"
    r"based on|under|echo(?:es|ing)?|violat(?:e|es|ed|ing|ion of)|stipulated in|required by|provided in|"
    r"comply with|compliance with|as per|referr(?:ed|ing) to|cites?|cited|replac(?:e|es|ed|ing)|supersed(?:e|es|ed|ing)|"
    r"repeal(?:s|ed|ing)?|abolish(?:es|ed|ing)?|(?:highlights|summary|summaries|overview|analysis|commentary|FAQs?) (?:of|on))\b",
    re.IGNORECASE,
)
# "… previously issued by the CAC": an older instrument recalled, not the one reported.
PREVIOUSLY = re.compile(
    r"^\W*(?:\([^)]*\)\s*)?(?:which was |that was |that were |which were )?(?:previously|earlier|formerly|originally|once) (?:issued|released|published|promulgated|adopted)",
    re.IGNORECASE,
)
REPORT_VERBS = re.compile(
    r"\b(?:issu(?:e|es|ed|ing)|releas(?:e|es|ed|ing)|publish(?:es|ed|ing)?|promulgat(?:e|es|ed|ing)|adopt(?:s|ed)?|"
    r"pass(?:es|ed)?|approv(?:e|es|ed)|formulat(?:e|es|ed)|revis(?:e|es|ed)|introduc(?:e|es|ed|tion)|unveil(?:s|ed)?|"
    r"enact(?:s|ed)?|amend(?:s|ed)?|draft(?:s|ed)?|solicit(?:s|ed|ing)?|print(?:s|ed)?|announc(?:e|es|ed))\b"
    # Chinese, written without spaces: 发布 issued, 印发 printed and issued, 公布 published, 通过 adopted …
    r"|发布|印发|公布|出台|颁布|通过|修订|修正|制定|征求意见",
    re.IGNORECASE,
)
PLANNED = re.compile(
    r"\b(?:speed up the (?:introduction|formulation)|will (?:formulate|introduce|draft|issue|study)|plan(?:s|ned)? to|"
    r"legislative (?:work )?plan|to be (?:formulated|drafted)|accelerate the (?:formulation|introduction)|"
    r"is (?:drafting|formulating)|started drafting|research(?:ing)? and (?:formulat|draft))",
    re.IGNORECASE,
)
ADOPTED = re.compile(r"\b(?:adopted|passed|approved|voted|deliberated and (?:adopted|passed))\b", re.IGNORECASE)
EFFECTIVE = re.compile(
    r"(?:come|comes|came|coming|enter|enters|entered) into (?:force|effect)|(?:take[sn]?|took|taking) effect|"
    r"(?:be|been|is) (?:officially )?(?:implemented|effective|enforced)|effective (?:from|on|as of)|in force (?:from|on)|"
    r"(?:implementation|effective|commencement) date\s*[:：]",
    re.IGNORECASE,
)
# "The original regulation already took effect in June 2020": the start of an older text's effect, recalled.
RECALLED = re.compile(r"\b(?:already|original(?:ly)?|previous(?:ly)?|earlier|former(?:ly)?|existing)\b", re.IGNORECASE)
ARTICLE = re.compile(r"\bArticles?\s+(?P<num>\d+)(?:\s*(?:,|and|to)\s*\d+)*\s+of\s+the\s+(?P<law>[A-Z][\w ]+?Law)\b")


# What may trail a title without being part of it: a defined term ("(the “Provisions”)"), the
# Chinese title (《…》), a remark ("(only available in Chinese here)").
_TRAILING_NOTE = re.compile(
    r"\s*\((?:[^()]*[\"“”‘’'《》\u4e00-\u9fff][^()]*|\s*[a-z][^()]*|\s*(?:the\s+)?(?:[A-Z][\w-]*\s+){0,3}(?:Measures|Regulations?|Provisions|Rules"
    r"|Guidelines?|Law|Standard|Specification|Opinions|Notice|Plan|Draft)\s*)\)\s*$"
)
_DEFINITION_ON = re.compile(r"\s*\(\s*(?:the\s+)?[\"“‘][^()\"“”‘’]{1,60}[\"”’]\s*\).*$", re.DOTALL)
# "Vietnam's Law on …", "China's Draft of the …", "PRC Cybersecurity Law": whose it is, not part of its title.
_LEADING_OWNER = re.compile(
    r"^(?:[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?['’]s\s+|PRC\s+|P\.R\.C\.\s+)?(?:Draft\s+of\s+(?:the\s+)?)?"
)
# A definition inside a span ("Officer ("DPO") under the … Act (PDPA)") is prose, not one title.
_INNER_DEFINITION = re.compile(r"\([\"“]?[A-Z]{2,}[\"”]?\)\s+\S")
# A headline's verb after its subject ("MIIT Issues …", "Ministry Publishes …"); "Several Issues
# Concerning …" is a title's own words.
_TITLE_VERB = re.compile(
    r"^.*\b(?:[A-Z]{2,}[0-9]*|Ministry|Administration|Commission|Committee|Council|Court|Bureau|Office|Government|"
    r"Department|Agency|Authority|Regulators?|Congress|Procuratorate|China|Departments)\s+(?:Jointly\s+|Officially\s+)?"
    r"(?:Issues?|Releases?|Publish(?:es)?|Seeks? (?:Public )?Comments? on|Solicits? (?:Public )?(?:Comments?|Opinions?) on|"
    r"Announces?|Launch(?:es)?|Unveils?|Adopts?|Approves?|Promulgates?|Revises?|Amends?|Drafts?)\s+(?:the\s+|its\s+|a\s+)?"
)
_TRAILING_DATE = re.compile(
    r"\s+(?:on|in|of|from|dated)\s+(?:\d{1,2}\s+)?(?:January|February|March|April|May|June|July|August|September|October"
    r"|November|December)\b.*$"
)


def clean_title(title: str) -> str:
    """A title without a defined-term tag, a Chinese title, a remark, a headline's verb or a trailing date.

    >>> clean_title('Regulations on Cross-border Data Flow (《促进和规范数据跨境流动规定》) ("Regulations")')
    'Regulations on Cross-border Data Flow'
    >>> clean_title("MIIT Issues Compliance Guidelines on User Rights")
    'Compliance Guidelines on User Rights'
    >>> clean_title("Interim Provisions on Kiosk Data (Interim Provisions)")
    'Interim Provisions on Kiosk Data'
    >>> clean_title("Guidelines for Kiosk Filings (First Edition) (“Guidelines”)on 30 May 2023")
    'Guidelines for Kiosk Filings (First Edition)'
    """
    # A quoted short name ends a title, whatever is glued after it: '… (First Edition) (“Guidelines”)on 30 May'.
    title = _DEFINITION_ON.sub("", title)
    previous = None
    while previous != title:
        previous = title
        title = _TRAILING_NOTE.sub("", title).strip(" ,‘’'\"“”")
    if (owner := _LEADING_OWNER.match(title)) is not None and owner.end() and HEAD_RE.search(title[owner.end() :]):
        title = title[owner.end() :]
    if (verb := _TITLE_VERB.match(title)) is not None and HEAD_RE.search(title[verb.end() :]):
        title = title[verb.end() :]
    return _TRAILING_DATE.sub("", title).strip(" ,")


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
            if _PAREN_DATE.match(w):
                break  # "… Services (May 2, 2017), …": the title's date, after it
            if (
                w[:1].isupper()
                or w[:1].isdigit()
                or w.startswith("(")
                or w.lower() in _CONNECTORS
                or (w == "be" and tokens[j].group(0) == "to")  # "… Important Data to be Transmitted Abroad"
            ):
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
            draft = bool(_DRAFT_NOTE.search(span_text))
            title = _DRAFT_NOTE.sub("", clean_title(span_text)).strip(" ,")
            title = clean_title(title)
            lead = _KIND_LEAD.match(title)
            if lead and HEAD_RE.search(title[lead.end() :]):
                title, start = title[lead.end() :], start + lead.end()
            # The edition closes the span ("… (the 1st Edition)") or follows it.
            edition = _EDITION_CLOSING.search(span_text)
            if edition is None and (after := _EDITION.match(text, end)) is not None:
                edition, end = after, after.end()
            if edition and not title.endswith("Edition)"):
                title = f"{title} ({edition.group('n')} Edition)"
            if (
                HEAD_RE.search(title)
                and len(title.split()) >= 2
                and len(title.split()) <= 30
                and not _INNER_DEFINITION.search(title)
                and not re.fullmatch(rf"(?:{_HEADS})(?: of \w+)?", title)
                and (_headed(title) or is_standard_title(title))
            ):
                titles.append(TitleMention(start, end, title, draft))
        i = last_cap + 1
    for m in _CHINESE_TITLE.finditer(text):
        # Chinese marks a title with 《》: its words are exactly what the marks hold, a draft's note aside.
        title = _CHINESE_DRAFT.sub("", m.group("title"))
        draft = _CHINESE_DRAFT.search(m.group(0)) is not None
        titles.append(TitleMention(m.start("title"), m.end("title"), title, draft))
    for m in _STANDARD_TITLE.finditer(text):
        # A national standard's title goes on in sentence case after its dash, which the runs of
        # capitalised words above stop at: "Data Security Technology – Security requirements for …".
        if not any(t.start <= m.start("title") < t.end or m.start("title") <= t.start < m.end("title") for t in titles):
            draft = (
                re.match(r"\s*\(\s*(?:Draft|Exposure|Consultation)\b", text[m.end("title") :], re.IGNORECASE)
                is not None
            )
            titles.append(TitleMention(m.start("title"), m.end("title"), m.group("title"), draft))
    return sorted(titles, key=lambda t: t.start)


# What may follow a head noun that heads a title and is capitalised: "… Law Article 38", "… Law Amendment", "… Law Against
# Unfair Competition", "… Specification V1.0".
_AFTER_HEAD = re.compile(
    rf"\s+(?!(?:Article|Art|Chapter|Section|No|Against|{AMENDMENT_NOUNS}|Draft|V\d"
    # A headline that capitalises every word: "Measures For The Administration Of …".
    r"|Of|On|For|Concerning|Regarding|Governing|Relating|To|In|And|The|By|With|Under)\b)[A-Z]"
)


def _headed(title: str) -> bool:
    """Whether a head noun heads ``title``: it ends it, or no capitalised noun follows it.

    "Law Enforcement Takes Aim at …" and "Standard Contracts with the CAC" name no law or
    standard: the head noun is a modifier there.

    >>> _headed("Standard Contracts with the CAC"), _headed("Measures for Standard Contracts")
    (False, True)
    """
    return any(not _AFTER_HEAD.match(title, m.end()) for m in HEAD_RE.finditer(title))


#: What a Chinese title ends with: the kind of text it is (办法 measures, 规定 provisions, 条例 regulations …).
_CHINESE_HEADS = (
    r"(?:办法|规定|条例|法|法典|指南|标准|意见|通知|细则|规则|方案|决定|解释|规范|要求|目录|清单|指引|决议|纲要|计划)"
)
_CHINESE_DRAFT = re.compile(r"[（(](?:征求意见稿|草案|送审稿|草案征求意见稿)[）)]")
_CHINESE_TITLE = re.compile(
    rf"《(?P<title>[^《》]{{2,80}}?{_CHINESE_HEADS}(?:[（(][^）)]{{1,12}}[）)])?)》(?:{_CHINESE_DRAFT.pattern})?"
)


def is_chinese_title(title: str) -> bool:
    """Whether ``title`` is a Chinese title ending with the kind of text it is.

    >>> is_chinese_title("个人信息出境认证办法"), is_chinese_title("Kiosk Rules")
    (True, False)
    """
    return re.fullmatch(rf"[^A-Za-z]{{2,80}}?{_CHINESE_HEADS}(?:[（(][^）)]{{1,12}}[）)])?", title) is not None


def is_standard_title(title: str) -> bool:
    """Whether ``title`` is a national standard's, its field and then its subject after a dash.

    >>> is_standard_title("Data Security Technology – Security requirements for kiosks")
    True
    """
    return _STANDARD_TITLE.fullmatch(title) is not None


_STANDARD_TITLE = re.compile(
    r"(?<![\w-])(?P<title>(?:[A-Z][\w-]*\s+){1,3}Technology\s*[—–-]{1,2}\s*[A-Z][^,.;:()\n—–]{4,160}?)"
    r"(?=\s*\(|\s*[,.;:]|\s*$|\s+(?:which|that|to|and|in|on|for public|was|were|is|are|has|have|had|will|shall|would|may|can"
    r"|took|takes?|came|comes?|entered|enters|became|becomes|went|goes|provides?|specifies|sets|requires|applies|aims?)\b)"
)


# What a title is, written before it, not part of it: "the draft Mandatory National Standard on …".
_KIND_LEAD = re.compile(
    # A notice that asks for comments on a text is the text's draft: "CAC Notice for Soliciting Public
    # Comments on the Regulations for …" reports the Regulations.
    r"^(?:(?:[A-Z]{2,6}\s+)?(?:Notice|Announcement|Circular)\s+(?:for|on|of)\s+(?:Publicly\s+)?"
    r"(?:Soliciting|Seeking|Solicitation\s+of|Requesting)\s+(?:Public\s+)?(?:Comments|Opinions|Views|Feedback)\s+"
    r"(?:on|for|regarding)\s+(?:the\s+)?)?"
    r"(?:(?:Amended|Revised|Draft of|Draft)\s+)?(?:(?:(?:Mandatory|Recommended)\s+)?National\s+Standards?\s+(?:on|for)\s+"
    r"(?:the\s+)?)?"
)
# An edition after a title is part of it: guides come out in numbered editions ("… (the 2nd Edition)").
_EDITION = re.compile(
    r"\s*\((?:the\s+)?(?P<n>\d+(?:st|nd|rd|th)|First|Second|Third|Fourth|Fifth)\s+Edition\)", re.IGNORECASE
)
_EDITION_CLOSING = re.compile(_EDITION.pattern + r"\s*$", re.IGNORECASE)


_ENDS_WITH_HEAD = re.compile(rf"\b(?:{_HEADS})$")


def _split_joined(text: str, start: int, end: int) -> list[tuple[int, int]]:
    # "the Measures on X and the Regulations on Y": two titles when both halves have a head noun.
    # Without "the" ("the Cybersecurity Law, Regulations on Y, and Provisions on Z"), only where
    # the left half ends with its head noun: "Law on Science, Technology and …" is one title.
    span = text[start:end]
    for joint in re.finditer(r",? and the |, the |,? and (?=[A-Z])|, (?=[A-Z])", span):
        left, right = span[: joint.start()], span[joint.end() :]
        if "the " not in joint.group(0) and not _ENDS_WITH_HEAD.search(left):
            continue
        if HEAD_RE.search(left) and HEAD_RE.search(right) and (right[:1].isupper() or right[:1].isdigit()):
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
    >>> headline_title("Law Enforcement Takes Aim at Violations") is None
    True
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
    title = clean_title(rest.strip(" ,"))
    title = re.sub(r"^(?:Amended|Revised|Draft)\s+", "", title)
    if len(title.split()) < 2 or title.split()[0] in _NOT_TITLE_START:
        return None  # "… Releases Two Guidelines on Audits": a count of texts, not one's title
    if not _headed(title):
        return None
    return TitleMention(start, start + len(title), title, draft)


# An untitled instrument a headline reports, described in lower case: "China released guidelines for
# security assessment of data exports", "… to review draft law on personal information protection".
_DESCRIBED = re.compile(
    r"(?:\b(?:[Rr]eleas|[Ii]ssu|[Pp]ublish|[Ii]ntroduc|[Uu]nveil|[Aa]dopt|[Pp]ass|[Rr]eview|[Pp]ropos|[Ff]inali[sz]|"
    r"[Ee]nact|[Aa]pprov)\w*\s+(?:(?:a|an|the|its|their|new|draft)\s+)*"
    r"(?:(?:final|first|second|revised|amended|updated|latest|official)\s+(?:version|text|edition)\s+of\s+(?:the\s+)?)?"
    r"|\bdraft\s+)"
    r"(?P<title>(?:legal\s+)?(?:guidelines|guidance|measures|rules|regulations|provisions|law|circular|notice|opinions|"
    r"standards?|amendments|interpretation)\s+(?:on|for|to|regarding|concerning|governing)(?!\s+(?:its|their|his|her|our)\b)"
    r"(?:\s+(?!(?:by|amid|after|have|has|had|is|are|was|were|will|would|shall|which|that|who)\b)"
    r"[a-z][\w’'-]*)+)"
)


def described_title(headline: str) -> TitleMention | None:
    """An untitled instrument a headline reports, by its lower-case description, if it names one.

    >>> described_title("Regulator releases guidelines for checking data exports by firms").title
    'guidelines for checking data exports'
    >>> described_title("CAC issued a notice on findings into mobile applications and SDKs").title
    'notice on findings into mobile applications'
    """
    found = _DESCRIBED.search(headline)
    if found is None:
        return None
    draft = "draft" in headline[: found.start("title")][-10:].lower() or found.group(0).lower().startswith("draft")
    # The description stops before a capitalised word; a joining word left at its end is not part of it
    # ("a notice on findings into mobile applications and SDKs").
    title = re.sub(r"(?:\s+(?:and|or|of|the|to|for|in|on|with|by))+$", "", found.group("title"))
    if len(title.split()) < 3:
        return None
    return TitleMention(found.start("title"), found.start("title") + len(title), title, draft)


def whole_title(headline: str) -> TitleMention | None:
    """The title a headline is made of, and nothing else but a note in brackets, if it is one.

    >>> whole_title("Cyber Data Rules (Exposure Version)").title, whole_title("CAC Fines Didi") is None
    ('Cyber Data Rules', True)
    """
    found = find_titles(headline)
    if len(found) != 1 or found[0].start > 0 or headline[found[0].end :].strip(" ()"):
        return None
    return found[0]


def sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """Start and end of the sentence of ``text`` that position ``pos`` falls in."""
    # Chinese ends a sentence with 。！？； and no space after.
    starts = [m.end() for m in re.finditer(r"[.;!?]\s+(?=[A-Z\"“])|[。！？；]", text[:pos])]
    start = starts[-1] if starts else 0
    m = re.search(r"[.;!?](?:\s+(?=[A-Z\"“])|\s*$)|[。！？；]", text[pos:])
    end = pos + m.end() if m else len(text)
    return start, end


def is_mention(text: str, title: TitleMention) -> bool:
    """Whether ``title`` is named in passing ("in accordance with the …"), not reported."""
    start, _ = sentence_bounds(text, title.start)
    before = text[start : title.start]
    cue = _last_match(_MENTION_CUES, before)
    if cue is None:
        return False
    # A new clause after the cue ("…in accordance with the Law, MIIT issued the Measures") resets it;
    # a participle does not ("echoes the recently released Regulations").
    after = before[cue.end() :]
    clause = re.search(r",\s|\sand\s", after)
    return not (clause and REPORT_VERBS.search(after[clause.end() :]))
