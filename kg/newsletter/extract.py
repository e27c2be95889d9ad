"""Read the facts out of parsed newsletter items: one :class:`kg.newsletter.records.ItemRecord` per item.

Every rule here is general (it must hold on issues it has never seen): the kind
from the section heading or the item's vocabulary; the event date, with the year
resolved from the issue's date or its other dates; bodies, courts and statutes
through the :class:`kg.newsletter.link.Linker`, plus patterns for local bodies the backbone
does not know; instruments by their title shape, with stage, effective date,
issuers and the laws they implement; penalties with normalised amounts; and
companies by their legal form.

The facts themselves are read by the modules of :mod:`kg.newsletter.facts`; this module puts
them together for each item, with the linker and the issue's reference date.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from kg.models import Authority, Jurisdiction, Named
from kg.newsletter.dates import (
    MONTHS,
    DateMention,
    as_date,
    find_dates,
    opening_date,
    reference_from,
    safe_date,
    years_in_name,
)
from kg.newsletter.facts.articles import cited_articles
from kg.newsletter.facts.bodies import unknown_bodies
from kg.newsletter.facts.kinds import classify, classify_sector
from kg.newsletter.facts.parties import extract_parties
from kg.newsletter.facts.penalties import extract_penalties
from kg.newsletter.facts.titles import (
    ADOPTED,
    AMENDMENT_NOUNS,
    AMENDMENT_WORDS,
    ARTICLE,
    EFFECTIVE,
    HEAD_RE,
    HEADS,
    PLANNED,
    PREVIOUSLY,
    RECALLED,
    REPORT_VERBS,
    TitleMention,
    described_title,
    find_titles,
    headline_title,
    is_chinese_title,
    is_mention,
    is_standard_title,
    sentence_bounds,
    whole_title,
)
from kg.newsletter.facts.when import When, event_when
from kg.newsletter.headlines import note_line
from kg.newsletter.items import ParsedIssue, ParsedItem
from kg.newsletter.link import Linker, Mention, kind_of, normalize
from kg.newsletter.records import InstrumentRecord, IssueRecord, ItemRecord, YearBasis

# Dates ---------------------------------------------------------------------------

_IMMEDIATE = re.compile(
    r"\b(?:(?:came|come|comes|went|go|goes) into (?:immediate )?(?:effect|force) (?:immediately|upon|on (?:the date of )?"
    r"(?:its )?(?:issuance|publication|release|promulgation))|(?:came|come|comes) into immediate (?:effect|force)|"
    r"(?:takes?|took) (?:immediate )?effect (?:immediately|(?:upon|on|from) (?:the (?:date|day) of )?(?:its )?"
    r"(?:issuance|publication|release|promulgation))|(?:effective|in force) (?:from|on|as of) the (?:date|day) of "
    r"(?:its )?(?:issuance|publication|release|promulgation)|"
    r"effective immediately|with immediate effect|(?:takes?|took) immediate effect)\b",
    re.IGNORECASE,
)
_TOOK_EFFECT = re.compile(r"\b(?:took effect|came into (?:force|effect)|entered into force|went into effect)\b", re.I)
_FULL_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
# A title followed by its coming into effect, with no date: its news is that it is in force now.
_IN_EFFECT_NOW = re.compile(
    r"\s*(?:\([^)]{1,40}\)\s*)?(?:has\s+|have\s+|had\s+|finally\s+|officially\s+|now\s+){0,2}"
    r"(?:(?:came|comes|come|went|goes) into (?:effect|force)|(?:took|takes) effect|(?:entered|enters) into force)\b"
)
# The head nouns of a statute (a legislature's act), not of a rule an agency issues: the first head of
# a title is its own ("Law on Cybersecurity"; "Measures for Implementing the … Law" are measures).
_STATUTE_HEADS = frozenset({"Law", "Act", "Code", "Ordinance"})
_URL_DATE = re.compile(r"(?<!\d)(20\d\d)[-/_.]?(0[1-9]|1[0-2])(?:[-/_.]?(0[1-9]|[12]\d|3[01]))?(?!\d)")


def source_day(source: str | None) -> dt.date | None:
    """The full date a source link carries (``…/2022-01/04/c_….htm``), or None: a month alone is too coarse.

    >>> source_day("http://www.cac.gov.cn/2022-01/04/c_1642894602144070.htm")
    datetime.date(2022, 1, 4)
    >>> source_day("https://example.com/news/2022-01/index.html") is None
    True
    """
    for m in _URL_DATE.finditer(source or ""):
        if m.group(3):
            return safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return None


def _own_reference(item: ParsedItem) -> dt.date | None:
    """The reference an item's own dates give (:func:`reference_from`), when it prints two or more with a year.

    A month without a day ("a third draft issued in October 2016") stands for its last day: the
    month is over by the time the item reports what came after it.
    """
    seen = [
        day
        for date in find_dates(f"{item.headline}\n{item.paragraph}")
        if date.year is not None
        and (day := safe_date(date.year, date.month, date.day or calendar.monthrange(date.year, date.month)[1]))
        is not None
    ]
    return reference_from(seen) if len(seen) >= 2 else None


def reference_date(issue: ParsedIssue) -> dt.date | None:
    """The date yearless dates are read against: the issue's own date, else the latest its items imply.

    Items name their dates with years now and then, and source URLs often carry the
    publication date; the latest of these is a close stand-in for the issue date. Failing
    both, a date in the file name (``…-2022-07.txt``) is the last resort.
    """
    return year_reference(issue)[0]


def year_reference(issue: ParsedIssue) -> tuple[dt.date | None, YearBasis | None]:
    """:func:`reference_date`, and where it comes from (for the record's ``date_year``)."""
    if issue.issue_date is not None:
        return issue.issue_date, "issue date"
    if issue.period is not None:
        return issue.period, "issue period"
    seen: list[dt.date] = []
    for item in issue.items:
        text = f"{item.section or ''}\n{item.headline}\n{item.paragraph}"
        for date in find_dates(text):
            # "the earlier Specification, in force since 1 May 2018": a recalled date says little of when the issue is.
            if date.year is not None and not RECALLED.search(text[sentence_bounds(text, date.start)[0] : date.start]):
                resolved = safe_date(date.year, date.month, date.day or 1)
                if resolved:
                    seen.append(resolved)
        for m in _URL_DATE.finditer(item.source or ""):
            resolved = safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3) or 1))
            if resolved:
                seen.append(resolved)
    from_text = reference_from(seen)
    if from_text is not None:
        return from_text, "other dates"
    from_name = years_in_name(issue.name)
    return from_name, "file name" if from_name is not None else None


@dataclass
class Extractor:
    """Turns a parsed issue into records, linking every name it can to the backbone."""

    linker: Linker

    def extract(self, issue: ParsedIssue) -> IssueRecord:
        """Records for every item of ``issue`` that is news, in reading order.

        An item that names no body, court, law, instrument, party, penalty or date and speaks to the
        reader ("you", "our"), among items that do name some, is the page's advert: it is left out
        with a line in ``issue.warnings``.
        """
        whole = "\n".join(f"{item.headline}\n{item.paragraph}" for item in issue.items)
        learned = self.linker.learn(whole)
        linker = self.linker.with_abbreviations(learned)
        reference, basis = year_reference(issue)
        items = []
        for item in issue.items:
            own, own_basis = reference, basis
            if item.posted is not None:
                own, own_basis = item.posted, "posting date"
            elif issue.issue_date is None and (linked := source_day(item.source)) is not None:
                # With no issue date, the day an item's own link carries is when it was published: a
                # closer reference than the text's other dates, which recall older events or misprint.
                own, own_basis = linked, "source date"
            elif issue.issue_date is None and (printed := _own_reference(item)) is not None:
                # A list of posts over years ("… drafts in June 2015 and May 2016"): an item that prints
                # dates of its own is read against them, not against the other posts' years.
                own = printed
            items.append(self._item(item, linker, learned, own, issue.issue_date, own_basis))
        if any(_names_something(record) for record in items):
            # Among items that name bodies, laws or parties, one that names nothing and no date and speaks
            # to the reader is the page's own advert ("Prepare for tomorrow's regulatory change, today").
            adverts = {
                parsed.n
                for parsed, record in zip(issue.items, items, strict=True)
                if not _names_something(record)
                and record.date is None
                and record.month_day is None
                and _TO_THE_READER.search(f"{parsed.headline}\n{parsed.paragraph}")
            }
            issue.warnings += [
                f"{issue.name}: item {n} names nothing, speaks to the reader: an advert" for n in adverts
            ]
            items = [record for record in items if record.n not in adverts]
        return IssueRecord(newsletter=issue.name, issue_date=issue.issue_date, items=items)

    def _item(
        self,
        item: ParsedItem,
        linker: Linker,
        learned: dict[str, str],
        reference: dt.date | None,
        issue_date: dt.date | None,
        basis: YearBasis | None,
    ) -> ItemRecord:
        text = item.paragraph
        both = f"{item.headline}\n{text}"
        mentions = linker.find(both)
        mentions, unknown = unknown_bodies(both, mentions, linker)
        mentions = _without_tails_of_other_names(both, mentions, linker)
        authorities = _names(m for m in [*mentions, *unknown] if m.kind == "authority")
        courts = _without_short_forms(_names(m for m in [*mentions, *unknown] if m.kind == "court"))
        laws = _names(m for m in mentions if m.kind == "law")

        when = event_when(item.headline, text, reference, issue_date)
        if when.date is None and when.month_day is None:
            when = _section_month(item.section, reference) or when
        event_date = when.date
        event_day = as_date(event_date) or reference

        penalties = extract_penalties(text)
        parties = extract_parties(text, learned, lambda name: linker.resolve(name) is not None, item.headline)
        # The bodies the paragraph names, placed in the paragraph, may be the issuers of what it reports.
        shift = len(item.headline) + 1
        bodies = [
            Mention(m.start - shift, m.end - shift, m.surface, m.kind, m.entity_id, m.name)
            for m in sorted([*mentions, *unknown], key=lambda m: m.start)
            if m.start >= shift and m.kind in ("authority", "court")
        ]
        instruments, mentioned = self._instruments(item, linker, bodies, event_day, event_date)
        imposed = [p for p in penalties if not p.claimed]
        kind = classify(
            item,
            len(instruments),
            any(p.type in ("fine", "confiscation", "detention") for p in imposed),
            any(p.type in ("damages", "imprisonment") for p in imposed),
        )
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
            date_year=("printed" if when.year_printed else basis) if event_date else None,
            month_day=when.month_day if event_date is None else None,
            authorities=authorities,
            courts=courts,
            laws=laws,
            articles=cited_articles(text, linker),
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
        bodies: list[Mention],
        event_day: dt.date | None,
        event_date: str | None = None,
    ) -> tuple[list[InstrumentRecord], list[str]]:
        text = item.paragraph
        in_headline = headline_title(item.headline)
        reported: dict[str, InstrumentRecord] = {}
        mentioned: list[str] = []
        # A title the copy cuts short ("… the Administrative Measures for Personal...more") names no text.
        candidates = [
            _the_statute_amended(linker, t)
            for t in find_titles(text)
            if _has_own_head(linker, t.title) and not _CUT_SHORT.match(text, t.end)
        ]
        if in_headline is not None and (
            not _has_own_head(linker, in_headline.title) or _CUT_SHORT.match(item.headline, in_headline.end)
        ):
            in_headline = None
        distinct: list[str] = []
        for title in candidates:
            entity = linker.resolve(title.title, kinds=("law",))
            if entity is None and not any(_same_title(linker, title.title, seen) for seen in distinct):
                distinct.append(title.title)
        for title in candidates:
            headlined = in_headline is not None and _same_title(linker, title.title, in_headline.title)
            if (not headlined and is_mention(text, title)) or PREVIOUSLY.match(text[title.end : title.end + 80]):
                mentioned.append(title.title)
                continue
            entity = linker.resolve(title.title, kinds=("law", "instrument"))
            if entity is not None and kind_of(entity) == "law" and not title.draft and not _passed_here(text, title):
                continue
            if not headlined:
                start, end = sentence_bounds(text, title.start)
                if (
                    not REPORT_VERBS.search(text[start:end])
                    and not PLANNED.search(text[start:end])
                    and not _IN_EFFECT_NOW.match(text, title.end)
                ):
                    mentioned.append(title.title)
                    continue
            existing = next((k for k in reported if _same_title(linker, k, title.title)), None)
            if existing is not None:
                if title.draft and reported[existing].status != "draft":
                    reported[existing] = reported[existing].model_copy(update={"status": "draft"})
                continue
            reported[title.title] = self._describe(
                title, text, linker, bodies, item, event_day, len(distinct), event_date=event_date
            )
        if (
            not reported
            and in_headline is not None
            and not any(_same_title(linker, m, in_headline.title) for m in mentioned)
        ):
            reported[in_headline.title] = self._describe(
                in_headline, text, linker, bodies, item, event_day, 1, headline=True
            )
        if not reported and in_headline is None and note_line(text.split("\n", 1)[0]):
            # A law digest: the headline is the title, the paragraph opens with who promulgated it.
            in_headline = whole_title(item.headline)
            if in_headline is not None:
                reported[in_headline.title] = self._describe(
                    in_headline, text, linker, bodies, item, event_day, 1, headline=True, event_date=event_date
                )
        lead = item.paragraph[: sentence_bounds(item.paragraph, 0)[1]]
        if (
            not reported
            and in_headline is None
            and (described := described_title(item.headline) or described_title(lead))
        ):
            # No title anywhere: the headline's (or the lead sentence's) own description of what was
            # issued stands in for one.
            reported[described.title] = self._describe(
                described, text, linker, bodies, item, event_day, 1, headline=True
            )
        # "the Interim Provisions", after "Interim Provisions on … (Interim Provisions)": the short name
        # the text gave a reported title, not another text.
        mentioned = [m for m in mentioned if not any(_short_name_of(m, title) for title in reported)]
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
        event_date: str | None = None,
    ) -> InstrumentRecord:
        printed = text.find(title.title) if headline else title.start
        occurrence = max(printed, 0)
        start, end = sentence_bounds(text, occurrence)
        sentence = text[start:end]
        context = f"{item.headline} {sentence}"
        status = "issued"
        # "draft" as a noun ("on the heels of the SCCs draft, the CAC enacted …") is another text's.
        if title.draft or _OPEN_FOR_COMMENT.search(context):
            status = "draft"
        elif PLANNED.search(context):
            status = "planned"
        elif ADOPTED.search(context):
            status = "adopted"
        elif (head := HEAD_RE.search(title.title)) is not None and head.group(0) in _STATUTE_HEADS:
            # A statute is adopted by a legislature, not issued: "Elbonia's Data Act came into effect".
            status = "adopted"

        # A body inside the title's own words is not its issuer (a title only in the headline has none here).
        issuers = [
            m
            for m in bodies
            if start <= m.start < end and not (printed >= 0 and printed <= m.start < printed + len(title.title))
        ]
        if not issuers:
            issuers = [m for m in linker.find(item.headline, kinds=("authority",))]
        issuer_names = _drop_sub_units(linker, _names(issuers))

        effective = None
        for m in EFFECTIVE.finditer(text):
            if RECALLED.search(text[sentence_bounds(text, m.start())[0] : m.start()]):
                continue
            if _other_subject(text, m.start(), title.title):
                continue
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
                r"\b(?:effective|in force|into effect|into force|take effect|with effect) (?:from|on|as of)?\s*", text
            ):
                following = find_dates(text[m.end() : m.end() + 30])
                if following and following[0].start == 0 and not _other_subject(text, m.start(), title.title):
                    effective = following[0].resolve(event_day, future=True)
                    break
        if effective is None and not headline and event_day is not None and _IN_EFFECT_NOW.match(text, title.end):
            # "X's Law on … came into effect", and no date after it: in effect as of the event reported.
            effective = event_date or event_day.isoformat()
        if effective is None and (chinese := _EFFECTIVE_ZH.search(text)) is not None:
            # "自2026年1月1日起施行": the date comes first in Chinese.
            dates = find_dates(chinese.group("date"))
            effective = dates[0].resolve(event_day, future=True) if dates else None
        if effective is None and _IMMEDIATE.search(context):
            effective = event_day.isoformat() if event_day is not None else None
        if effective is None:
            # "On 1 March 2020, the Provisions … took effect": the date the sentence opens with.
            took = _TOOK_EFFECT.search(sentence)
            opened = opening_date(sentence)
            if took is not None and opened is not None and not _other_subject(sentence, took.start(), title.title):
                effective = opened.resolve(event_day)

        implements: list[str] = []
        article = None
        # With one instrument in the item, what "it" implements may be said in a later sentence.
        scope = text if candidates == 1 else sentence
        for m in ARTICLE.finditer(scope):
            law = linker.resolve(m.group("law"), kinds=("law",))
            if law:
                implements.append(law.name_en)
                article = f"{law.name_en} Article {m.group('num')}"
        cue = re.search(
            r"\b(?:implement(?:s|ing|ation of)?|in accordance with|pursuant to|based on|according to)\b", scope
        )
        if cue:
            for mention in linker.find(scope[cue.end() :], kinds=("law",)):
                if mention.name not in implements:
                    implements.append(mention.name)

        jurisdiction = _jurisdiction(linker, title.title, issuers, item.headline)
        owner = None
        if jurisdiction == "China" and printed >= 0:
            owner = _OWNER_AT.match(text, printed) or _OWNER.search(text, max(0, printed - 60), printed)
        if owner is not None:
            # "Vietnam's Law on Cybersecurity", "Taiwan's … Act": whose it is, printed before its title.
            place = linker.places_by_name.get(owner.group(1))
            jurisdiction = _short_place(_province(linker, place) or place) if place else owner.group(1)
        return InstrumentRecord(
            title=title.title,
            status=status,
            jurisdiction=jurisdiction,
            effective=effective,
            issuers=issuer_names,
            implements=implements,
            implements_article=article,
        )


_SECTION_MONTH = re.compile(rf"^({_FULL_MONTH})\b(?:\s+((?:19|20)\d\d)\b)?")


def _section_month(section: str | None, reference: dt.date | None) -> When | None:
    """The month a section label opens with ("January Singapore", "March 2019"), for an item that prints no date.

    A year in review files its entries under month labels; an entry's event is of its month.
    """
    found = _SECTION_MONTH.match(section or "")
    if found is None:
        return None
    year = int(found.group(2)) if found.group(2) else None
    date = DateMention(0, found.end(), MONTHS[found.group(1).lower()], None, year).resolve(reference)
    return When(date, year is not None) if date else None


# A statute the item reports passing: "… passed the much-anticipated Cybersecurity Law", "… Law was adopted".
# A headline's "Amend"/"Revise" is a report ("Lawmakers Amend …"); in a sentence, "to amend" is a plan.
_PASSED_BEFORE = re.compile(
    r"\b(?:passed|adopted|enacted|approved|promulgated|amended|amends|revised|revises|(?-i:Amend|Revise))\s+"
    r"(?:the\s+|its\s+|a\s+)?(?:[\w’'-]+\s+){0,3}$"
    # "passed a decision at its 18th session to revise the country's Cybersecurity Law"
    r"|\b(?:passed|adopted)\s+a\s+decision\s+(?:[\w’'-]+\s+){0,5}?to\s+(?:revise|amend)\s+(?:the\s+)?(?:[\w’'-]+\s+){0,2}$",
    re.IGNORECASE,
)
_PASSED_AFTER = re.compile(
    r"\s*(?:\([^)]{1,40}\)\s*)?,?\s*(?:was|were|has been|have been|had been)\s+(?:formally\s+|officially\s+|finally\s+)?"
    r"(?:passed|adopted|enacted|approved|promulgated)\b",
    re.IGNORECASE,
)


def _passed_here(text: str, title: TitleMention) -> bool:
    """Whether the sentence reports ``title`` being passed: a statute adopted is news, not a passing mention."""
    start, _ = sentence_bounds(text, title.start)
    before = text[max(start, title.start - 80) : title.start]
    # "… Law Amendment enters into force": a statute taking effect is news too.
    return any(
        (_PASSED_BEFORE.search(before), _PASSED_AFTER.match(text, title.end), _IN_EFFECT_NOW.match(text, title.end))
    )


_DEFINED_AFTER = re.compile(r"\s*\(\s*[\"“”']?([A-Z][A-Za-z0-9&-]{1,12})[\"“”']?\s*\)")
_NAME_RUNS_ON = re.compile(r"[A-Z0-9][\w’'-]*\s+(?:(?:of|on|for|and)\s+)?$")


def _without_tails_of_other_names(text: str, mentions: list[Mention], linker: Linker) -> list[Mention]:
    """Mentions without a body's name that is only the tail of a longer name defined as another body.

    "the National Technical Committee 260 on Cyber-security Standardization Administration of China
    (TC260)": the acronym says what the whole name is; the Standardization Administration of China
    at its end is a garbled translation's words, not a second body.
    """
    kept = []
    for mention in mentions:
        defined = _DEFINED_AFTER.match(text, mention.end) if mention.kind == "authority" else None
        if defined is not None and _NAME_RUNS_ON.search(text, max(0, mention.start - 40), mention.start):
            entity = linker.resolve(defined.group(1), kinds=("authority",))
            if entity is not None and entity.id != mention.entity_id:
                continue
        kept.append(mention)
    return kept


_SUBJECT_HEAD = re.compile(
    # The head noun, or the short name defined for the title ("… Security (Network Data Regulation), which").
    rf"(?:\b({HEADS})(?:\s*\([^)]{{1,40}}\))?|\([^()]{{0,40}}?\b({HEADS})[\"”’']?\)),?\s+"
    r"(?:(?:which|that|have|has|had|will|shall|officially|also|came|comes?|entered|enters?|went|goes|took|takes?"
    r"|been|be|is|was|and|formally|revised|amended|adopted|passed|promulgated|approved)\s+)*$"
)


# Whose a title is: "Vietnam's", "Hong Kong's" right before it (not China's, not an acronym's).
_OWNER_WORDS = r"(?!China['’]s|Chinese|PRC)([A-Z][a-z]+(?: [A-Z][a-z]+)?)['’]s\s+"
_OWNER = re.compile(rf"(?<![\w-]){_OWNER_WORDS}(?:(?:new|draft|first)\s+)?(?:Draft\s+of\s+)?(?:the\s+)?$")
_OWNER_AT = re.compile(_OWNER_WORDS)


# A text still open for comment: "(Draft …)", "released … for public consultation", "MIIT Again
# Solicits Opinions on …", "seeks public views". ("draft" as a noun before a comma is another text's.)
_OPEN_FOR_COMMENT = re.compile(
    r"\(Draft|\bdraft\b(?!\s*[,;:])|for (?:public )?(?:comments?|consultation|opinions?|feedback)"
    r"|\b(?:solicit|seek)(?:s|ed|ing)?\s+(?:public\s+|the public['’]s\s+)?(?:opinions?|comments?|views|feedback|input)\b"
    r"|征求意见|草案|送审稿",
    re.IGNORECASE,
)


_EFFECTIVE_ZH = re.compile(r"(?P<date>\d{4}年\d{1,2}月\d{1,2}日)起(?:施行|生效|实施)")
_CUT_SHORT = re.compile(r"(?:\s+(?:of|on|for|and|the|to|in|about|regarding|concerning))*\s*(?:…|\.\.\.)")
_TO_THE_READER = re.compile(r"\b(?:you|your|yours|our|we|us)\b", re.IGNORECASE)


def _names_something(record: ItemRecord) -> bool:
    """Whether an item names a body, court, law, instrument, party or penalty."""
    return bool(
        record.authorities or record.courts or record.laws or record.instruments or record.parties or record.penalties
    )


def _short_name_of(short: str, title: str) -> bool:
    """Whether ``short`` (three words at most) is made of ``title``'s own words: a name the text gave it.

    >>> _short_name_of("Interim Provisions", "Interim Provisions on Kiosk Data"), _short_name_of("Data Law", "Kiosk Rules")
    (True, False)
    """
    words = short.lower().split()
    return len(words) <= 3 and set(words) <= set(title.lower().split())


def _other_subject(text: str, pos: int, title: str) -> bool:
    """Whether what takes effect at ``pos`` is another text, named by a head noun the title lacks.

    "… one day before the Measures came into force, the CAC released the Guidelines …" dates the
    Measures, not the Guidelines.
    """
    subject = _SUBJECT_HEAD.search(text, max(0, pos - 60), pos)
    return subject is not None and (subject.group(1) or subject.group(2)) not in title


def _has_own_head(linker: Linker, title: str) -> bool:
    # "Typical Cases … after the Promulgation of the Civil Code" is no instrument: its only
    # head noun belongs to the statute it names.
    if (
        linker.resolve(title, kinds=("law", "instrument")) is not None
        or is_standard_title(title)
        or is_chinese_title(title)
    ):
        return True
    # Nor is a list of bodies ("… and the State Administration for Market Regulation"), or an acronym
    # and a head noun ("DSM Measures"), a short name the text defined for a title printed before.
    rest = title
    for mention in sorted(linker.find(title, kinds=("law", "authority", "court")), key=lambda m: -m.start):
        rest = rest[: mention.start] + rest[mention.end :]
    words = [w for w in re.findall(r"[\w'’-]+", rest) if not HEAD_RE.fullmatch(w) and w.lower() not in _FILLER]
    if words and all(w in _STATE_WORDS or w in AMENDMENT_WORDS for w in words):
        # "Cyber Security Law of China", "… Law Amendment": the statute itself, with its state or its change.
        return True
    if words and all(w.isupper() for w in words):
        return False
    return bool(HEAD_RE.search(rest))


_AMENDMENT_TAIL = re.compile(rf"\s+(?:{AMENDMENT_NOUNS})(?:\s+Draft)?$|^(?:Amended|Revised)\s+")


def _the_statute_amended(linker: Linker, title: TitleMention) -> TitleMention:
    """The statute a title such as "Cybersecurity Law Amendment" names: one instrument with its versions."""
    bare = _AMENDMENT_TAIL.sub("", title.title)
    if bare != title.title and linker.resolve(bare, kinds=("law",)) is not None:
        return dataclasses.replace(title, title=bare, draft=title.draft or title.title.endswith("Draft"))
    return title


_STATE_WORDS = frozenset({"China", "PRC", "People's", "People’s", "Republic"})
_FILLER = frozenset({"the", "of", "on", "for", "and", "in", "a", "an", "to"})


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


def _without_short_forms(names: list[str]) -> list[str]:
    """Names without a two-word short form whose words are all in a longer name of the list.

    "Fuyang Court" after "Fuyang District People's Court" is that court named again, not another.
    """
    words = [set(re.findall(r"[\w']+", name.replace("’", "'").lower())) for name in names]
    return [
        name
        for k, name in enumerate(names)
        if len(words[k]) > 2 or not any(j != k and words[k] < words[j] for j in range(len(names)))
    ]


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
    # A bureau inside a ministry speaks for the ministry; the ministry is the issuer. A standing
    # committee does not: it adopts laws in its own name, between its congress's sessions, and the
    # congress named with it ("the Standing Committee of the NPC (“NPC”)") is part of its name.
    standing = [linker.resolve(name, kinds=("authority",)) for name in names if "Standing Committee" in name]
    congresses = {entity.parent for entity in standing if isinstance(entity, Authority) and entity.parent}
    kept = []
    for name in names:
        entity = linker.resolve(name, kinds=("authority",))
        if "Standing Committee" in name:
            kept.append(name)
            continue
        if entity is not None and entity.id in congresses:
            continue
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
    found = linker.place_pattern.search(title) if linker.place_pattern is not None else None
    places = [linker.places_by_name[found.group(0)]] if found is not None else []
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
        if entity is None and linker.place_pattern is not None:
            leading = linker.place_pattern.match(mention.name)
            if leading is not None:
                place = linker.places_by_name[leading.group(0)]
                return _short_place(_province(linker, place) or place)
    return "China"


def _short_place(place: Named) -> str:
    return re.sub(r"\s+(?:Province|Municipality|Autonomous Region)$", "", place.name_en)
