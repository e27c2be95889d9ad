"""General extraction rules for publishers we have not seen, each on sentences of our own."""

from __future__ import annotations

import pytest

from kg.newsletter.extract import Extractor
from kg.newsletter.facts.kinds import classify
from kg.newsletter.facts.when import event_date
from kg.newsletter.items import ParsedItem
from kg.newsletter.link import Linker
from kg.newsletter.segment import parse_text


def _one(linker: Linker, text: str, name: str = "brief.txt"):
    (item,) = Extractor(linker).extract(parse_text(text, name)).items
    return item


def test_an_items_source_link_dates_it_over_a_misprinted_line(linker: Linker) -> None:
    # The closing line names the wrong year; the item's own link carries the day it was published.
    text = (
        "Review Rules Revised\n\n"
        "The regulator said on March 9 that it has revised the Network Review Measures with eleven agencies.\n"
        "An older version was in force from June 2019, and the Data Security Law applied from 2021.\n"
        "Source: Network Regulator, March 9, 2022\n"
        "http://www.example.gov.cn/2023-03/09/c_12345.htm\n"
    )
    item = _one(linker, text)
    assert item.source == "http://www.example.gov.cn/2023-03/09/c_12345.htm"
    assert (item.date, item.date_year) == ("2023-03-09", "source date")


def test_a_link_with_a_month_only_does_not_date_the_item(linker: Linker) -> None:
    text = (
        "Review Rules Revised\n\n"
        "The regulator said on March 9 that it has revised the Network Review Measures.\n"
        "It follows rules from May 2021 and June 2021.\n"
        "Source: http://www.example.gov.cn/2023-03/index.htm\n"
    )
    assert _one(linker, text).date == "2021-03-09"


@pytest.mark.parametrize("recall", ["already", "originally", "previously", "earlier", "formerly"])
def test_the_start_of_an_older_versions_effect_is_not_the_new_ones(linker: Linker, recall: str) -> None:
    text = (
        "Review Rules Revised\n\n"
        "On 4 January 2022, the CAC issued the revised Network Review Measures. "
        f"The first version {recall} took effect in June 2020. "
        "The revised rules will take effect on February 15.\n"
    )
    (instrument,) = _one(linker, text).instruments
    assert instrument.effective == "2022-02-15"


@pytest.mark.parametrize(
    ("text", "parties"),
    [
        ("In March, Lin Hao filed a lawsuit with the district court over his face data.", ["Lin Hao"]),
        ("The plaintiff Qiu searched for her own name and found an old picture.", ["Qiu"]),
        (
            "Apps of the travel booking platform Ferrygo and the food app Snapmeal were taken down.",
            ["Ferrygo", "Snapmeal"],
        ),
        ("The court found that the search engine Kestrel’s use of cookies was lawful.", ["Kestrel"]),
        ("Harbourline Health was fined S$200,000 for weak security.", ["Harbourline Health"]),
        ("Two apps, Zoomcar and Ferrygo, have been ordered to fix their consent screens.", []),
        # The short name of a company already named, however it is cased, is not a second party.
        ("Orbit Ride Global Co. reported to the CAC. ORBIT RIDE was fined RMB 8 million.", ["Orbit Ride Global Co."]),
        # Bodies and sentence openers in those roles are not parties.
        ("The Cyberspace Administration of China was summoned by nobody; the defendant Court of Appeal agreed.", []),
        ("The online platform Operators must register with the regulator.", []),
    ],
)
def test_more_roles_a_party_is_named_in(linker: Linker, text: str, parties: list[str]) -> None:
    from kg.newsletter.facts.parties import extract_parties

    assert extract_parties(text, {}, lambda name: linker.resolve(name) is not None) == parties


@pytest.mark.parametrize(
    ("headline", "title", "draft"),
    [
        ("Beijing released guidelines for reporting data breaches", "guidelines for reporting data breaches", False),
        ("Lawmakers to review draft law on protecting minors online", "law on protecting minors online", True),
        ("New standard for apps, and draft rules on handling location data", "rules on handling location data", True),
        ("Regulator issues notice on its website about app audits", None, False),
        ("Regulator publishes measures for app audits by third parties", "measures for app audits", False),
        ("Data rules in the news this week", None, False),
    ],
)
def test_an_untitled_instrument_is_named_by_its_headlines_description(
    headline: str, title: str | None, draft: bool
) -> None:
    from kg.newsletter.facts.titles import described_title

    found = described_title(headline)
    assert (found.title, found.draft) == (title, draft) if found else title is None


def test_a_described_instrument_is_reported_only_when_no_title_is(linker: Linker) -> None:
    described = "Regulator released guidelines for reporting data breaches\n\nOn 3 May 2024 the CAC said the guidelines apply to all network operators.\n"
    assert [i.title for i in _one(linker, described).instruments] == ["guidelines for reporting data breaches"]
    titled = (
        "Regulator released guidelines for reporting data breaches\n\n"
        "On 3 May 2024, the CAC issued the Guidelines for Reporting Network Incidents.\n"
    )
    assert [i.title for i in _one(linker, titled).instruments] == ["Guidelines for Reporting Network Incidents"]


def test_a_statute_taking_effect_opens_a_new_entry_under_a_month_label(linker: Linker) -> None:
    # A year in review: month-and-place labels, entries with no headline, one of them a statute taking effect.
    text = (
        "Regional Review 2023\n\n"
        "March Ruritania\n\n"
        "Ruritania’s Data Protection Authority fined a retailer for losing customer records.\n\n"
        "Elbonia’s Law on Network Safety came into effect, giving the police new powers online.\n\n"
        "April Elbonia\n\n"
        "The Elbonian Cabinet published a plan for data centres in 2023.\n"
    )
    items = Extractor(linker).extract(parse_text(text, "review-2023.txt")).items
    assert [(i.section, i.headline[:24]) for i in items] == [
        ("March Ruritania", "Ruritania’s Data Protect"),
        ("March Ruritania", "Elbonia’s Law on Network"),
        ("April Elbonia", "The Elbonian Cabinet pub"),
    ]
    # An entry that prints no date is of its label's month.
    assert [i.date for i in items] == ["2023-03", "2023-03", "2023-04"]


@pytest.mark.parametrize(
    ("label", "is_label"),
    [
        ("January Singapore", True),
        ("March Hong Kong", True),
        ("March Regulators Fine Three Apps", False),
        ("May apply to banks", False),
    ],
)
def test_a_month_and_a_place_is_a_section_label(label: str, is_label: bool) -> None:
    from kg.newsletter.headlines import is_section_label

    assert is_section_label(label) is is_label


@pytest.mark.parametrize(
    ("sentence", "reports"),
    [
        ("Elbonia’s Law on Network Safety came into effect, giving the police new powers.", True),
        ("The Data Handling Act was passed by parliament after two readings.", True),
        ("Ruritania’s Personal Data Protection Act has officially entered into force.", True),
        ("The Data Handling Act sets out duties for processors.", False),
    ],
)
def test_a_statute_or_rule_for_subject_with_its_own_news_opens_an_event(sentence: str, reports: bool) -> None:
    from kg.newsletter.layouts.prose import starts_event

    assert starts_event(sentence) is reports


def test_a_statute_coming_into_effect_is_reported_adopted_and_in_force_from_the_event(linker: Linker) -> None:
    text = (
        "Safety Law in Force\n\n"
        "On 3 March 2024, Elbonia’s Network Safety Act came into effect, giving the police new powers online.\n"
    )
    (instrument,) = _one(linker, text).instruments
    assert (instrument.title, instrument.status, instrument.effective) == (
        "Network Safety Act",
        "adopted",
        "2024-03-03",
    )


def test_a_statute_named_in_passing_is_not_reported(linker: Linker) -> None:
    text = "Police Powers Widened\n\nOn 3 March 2024, Elbonia’s police said the Network Safety Act gives them new powers.\n"
    assert _one(linker, text).instruments == []


def test_rules_an_agency_issues_are_issued_even_when_they_cite_a_statute(linker: Linker) -> None:
    text = (
        "Rules Out\n\n"
        "On 3 March 2024, the CAC issued the Measures for Implementing the Network Safety Law, "
        "which came into effect on 1 April 2024.\n"
    )
    (instrument,) = _one(linker, text).instruments
    assert (instrument.status, instrument.effective) == ("issued", "2024-04-01")


def test_teasers_the_blog_cut_short_without_a_link_are_entries_of_their_own(linker: Linker) -> None:
    text = (
        "On 2 May, the Elbonian Data Office issued the Rules on Data Brokers, which take effect in July.\n"
        "Continue Reading Elbonia Regulates Data Brokers\n\n"
        "Data brokers in Elbonia must now register and keep a record of every sale of data.\n"
        "Continue Reading Brokers Must Register\n\n"
        "In March, the Ruritanian Court of Appeal ruled that a bank's tracking cookies were lawful. The bank had\n\n"
        "In January, the Elbonian Data Office released its Measures on Penalties for Misusing Consumer Data.\n\n"
        "These Measures explain how the office will set the amount of a fine and what it will take into\n\n"
        "For the first time, draft rules on keeping health records online have been proposed by a ministry.\n"
    )
    items = Extractor(linker).extract(parse_text(text, "blog.txt")).items
    assert [i.headline[:30] for i in items] == [
        "Elbonia Regulates Data Brokers",
        "Brokers Must Register",
        "In March, the Ruritanian Court",
        "In January, the Elbonian Data ",
        "For the first time, draft rule",
    ]
    # The lead sentence of the last one describes an untitled draft, up to its verb.
    assert [(i.title, i.status) for i in items[4].instruments] == [("rules on keeping health records online", "draft")]


@pytest.mark.parametrize(
    ("block", "following", "cut"),
    [
        ("These rules explain how the office will set a fine and what it will take into", "Any text", True),
        ("The case involved a user who", "In January, the CAC issued new rules on apps.", True),
        ("• Health", "• Location and travel", False),
        ("The office issued rules whose scope includes:", "• Health", False),
        ("The rules take effect in July.", "In January, the CAC issued new rules on apps.", False),
    ],
)
def test_a_teaser_ends_where_the_blog_stopped_it_mid_sentence(block: str, following: str, cut: bool) -> None:
    from kg.newsletter.document import Block
    from kg.newsletter.layouts.teasers import _cut_here

    assert _cut_here(Block(1, block), Block(2, following)) is cut


def test_an_item_of_a_list_over_years_reads_its_yearless_date_against_its_own_years(linker: Linker) -> None:
    text = (
        "On 7 November, Elbonia passed its Network Safety Law, in force from 1 June 2017. Drafts came out in "
        "June 2015 and May 2016, and the third one in October 2016.\n"
        "Continue Reading Elbonia Passes Network Safety Law\n\n"
        "On 1 February 2013, the Elbonian Data Office issued the Guidelines on Personal Records.\n"
        "Continue Reading Elbonia Issues Guidelines on Records\n\n"
        "In April 2014, the Elbonian Data Office fined a hotel chain for a breach found in February 2014 "
        "and reported in March 2014.\n"
        "Continue Reading Hotel Chain Fined\n"
    )
    items = Extractor(linker).extract(parse_text(text, "blog.txt")).items
    assert [i.date for i in items] == ["2016-11-07", "2013-02-01", "2014-04"]


@pytest.mark.parametrize(
    ("sentence", "bodies"),
    [
        ("On 3 May 2024, the Biden Administration issued a list of tariffs on data equipment.", []),
        ("On 3 May 2024, Elbonia’s Senate Committee published a report on AI.", []),
        ("On 3 May 2024, the European Commission adopted a decision on data flows.", ["European Commission"]),
        (
            "On 3 May 2024, the Ruritanian Data Protection Commission fined a bank.",
            ["Ruritanian Data Protection Commission"],
        ),
    ],
)
def test_one_word_and_a_head_noun_is_no_bodys_name_unless_the_word_is_a_place(
    linker: Linker, sentence: str, bodies: list[str]
) -> None:
    assert _one(linker, f"Data News\n\n{sentence}\n").authorities == bodies


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("A screen showing the regulator's logo in Beijing, China May 8, 2021. REUTERS/Jane Roe", "caption"),
        ("A screen showing the regulator's logo in Beijing. REUTERS/Jane Roe/File Photo", "caption"),
        ("Data security. Photo: IC", "caption"),
        ("Popular on Elbonia Daily", "navigation"),
        ("Most popular in Tech", "navigation"),
        ("Popular apps in Elbonia were fined on 3 May.", None),
        ("Officials at the launch in Beijing. (Photo by Jane Roe/AFP via Getty Images)", "caption"),
        ("Reuters reported on 3 May that the CAC fined the operator RMB 2 million.", None),
        ("The CAC fined the operator, the Xinhua news agency said on 3 May.", None),
    ],
)
def test_a_photo_caption_is_known_by_its_credit(text: str, kind: str | None) -> None:
    from kg.newsletter.furniture import furniture

    assert furniture(text) == kind


@pytest.mark.parametrize(
    ("headline", "paragraph", "kind"),
    [
        # "law enforcement cases" are cases, not a law released.
        (
            "Regulator publishes enforcement cases",
            "On 2 May 2024, the regulator published five law enforcement cases about customer files sold online.",
            "enforcement",
        ),
        # "in order to" orders nobody.
        (
            "Filing guide",
            "The new guidelines set out the forms a firm fills in order to get an export approved.",
            "legislation",
        ),
        ("Filing guide", "The firm was ordered to stop collecting location data.", "enforcement"),
    ],
)
def test_kind_words_read_in_their_phrase(headline: str, paragraph: str, kind: str) -> None:
    item = ParsedItem(n=1, section=None, headline=headline, paragraph=paragraph, source=None, line=1)
    assert classify(item, 0, False) == kind


def test_a_standing_committee_adopts_in_its_own_name(linker: Linker) -> None:
    text = (
        "Data Law Passed\n\n"
        "On 7 November 2024, the Standing Committee of the National People's Congress (NPC) passed the "
        "Network Data Law, which takes effect on 1 June 2025.\n"
    )
    (instrument,) = _one(linker, text).instruments
    assert instrument.issuers == ["Standing Committee of the National People's Congress"]


def test_a_bodys_name_does_not_run_over_the_end_of_a_sentence(linker: Linker) -> None:
    text = (
        "Device Guidance\n\n"
        "On 3 May 2024, the matter came to the attention of Elbonia’s Privacy Commissioner. "
        "The Commissioner published a leaflet on staff devices.\n"
    )
    assert _one(linker, text).authorities == []


def test_a_title_line_dates_the_issue_though_it_runs_on_into_a_related_link(linker: Linker) -> None:
    text = (
        "Data Digest | Notes from the region, 28 May 2021 Related reading: Notes from the region, 21 May 2021\n\n"
        "This week, the Elbonian Data Office released a summary of the draft data law.\n\n"
        "In other developments, the CAC released draft rules on apps.\n"
    )
    issue = parse_text(text, "notes.txt")
    assert issue.issue_date is not None and issue.issue_date.isoformat() == "2021-05-28"
    assert Extractor(linker).extract(issue).items[0].date == "2021-05"


@pytest.mark.parametrize(
    "sentence",
    [
        "Lawmakers in Beijing passed the long-awaited Cyber Security Law of China on 7 November 2016; "
        "it is to come into force on 1 June 2017.",
        "After three readings, the legislature passed the PRC Cybersecurity Law on 7 November 2016. Its rules apply "
        "and come into force on 1 June 2017.",
    ],
)
def test_a_statute_the_item_reports_passing_is_an_adopted_instrument(linker: Linker, sentence: str) -> None:
    item = _one(linker, f"Law Passed\n\n{sentence}\n")
    assert item.laws == ["Cybersecurity Law"]
    (instrument,) = item.instruments
    assert (instrument.status, instrument.effective) == ("adopted", "2017-06-01")
    assert linker.same("instrument", instrument.title, "Cybersecurity Law")


@pytest.mark.parametrize(
    "sentence",
    [
        "On 3 May 2021, the regulator fined a bank under the Cybersecurity Law, which was passed in 2016.",
        "On 3 May 2021, a Hong Kong body published a summary of the draft Personal Information Protection Law of "
        "China for local firms.",
    ],
)
def test_a_statute_named_in_passing_is_no_instrument(linker: Linker, sentence: str) -> None:
    assert _one(linker, f"Data News\n\n{sentence}\n").instruments == []


def test_a_law_digests_title_headline_over_a_promulgation_note_is_reported(linker: Linker) -> None:
    text = (
        "Laws and Regulations Update\n\n"
        "1. Network Data Handling Rules (Exposure Version)\n\n"
        "Promulgated by Cyberspace Administration of China\n\n"
        "Promulgation date: 15 November 2021\n\n"
        "Implementation date: 1 March 2022\n\n"
        "The rules sort data into general, important and core data.\n\n"
        "2. Data Broker Measures\n\n"
        "Issued by the Ministry of Public Security\n\n"
        "Release date: 2 December 2021\n\n"
        "The measures require brokers to register.\n"
    )
    items = Extractor(linker).extract(parse_text(text, "update.txt")).items
    rules = items[0].instruments
    assert [(i.title, i.status, i.effective, i.issuers) for i in rules] == [
        ("Network Data Handling Rules", "draft", "2022-03-01", ["Cyberspace Administration of China"])
    ]
    assert [(i.title, i.issuers) for i in items[1].instruments] == [
        ("Data Broker Measures", ["Ministry of Public Security"])
    ]


def test_a_title_headline_over_ordinary_prose_is_not_reported_for_it(linker: Linker) -> None:
    text = (
        "Data Broker Measures\n\n"
        "Lawyers say the measures are hard to follow; on 2 December 2021 a panel discussed them at length.\n\n"
        "Network Data Handling Rules\n\n"
        "Firms still wait for the rules; on 3 December 2021 another panel discussed them.\n"
    )
    items = Extractor(linker).extract(parse_text(text, "update.txt")).items
    assert [i.instruments for i in items] == [[], []]


@pytest.mark.parametrize(
    ("headline", "title"),
    [
        ("Cyber Data Rules (Exposure Version)", "Cyber Data Rules"),
        ("CAC Fines Didi", None),
        ("Rules on Apps, and more", None),
    ],
)
def test_a_headline_made_of_a_title(headline: str, title: str | None) -> None:
    from kg.newsletter.facts.titles import whole_title

    found = whole_title(headline)
    assert (found.title if found else None) == title


def test_the_copys_last_paragraph_cut_mid_sentence_is_a_paragraph_under_its_headline(linker: Linker) -> None:
    text = (
        "Regulator Issues Broker Rules\n\n"
        "On 2 May 2024, the Elbonian Data Office issued the Rules on Data Brokers for public comment.\n\n"
        "Ministry Publishes Guidelines on App Consent\n\n"
        "On 3 May 2024, the ministry published guidelines on consent screens in apps.\n\n"
        "Office Releases Guidelines on Location Data\n\n"
        "On 4 May 2024, the Elbonian Data Office, together with two industry groups, released the Guid"
    )
    items = Extractor(linker).extract(parse_text(text, "update.txt")).items
    assert [i.headline for i in items] == [
        "Regulator Issues Broker Rules",
        "Ministry Publishes Guidelines on App Consent",
        "Office Releases Guidelines on Location Data",
    ]


def test_an_acronym_after_a_garbled_name_names_its_own_body_not_the_one_at_the_names_end(linker: Linker) -> None:
    text = (
        "Standard Out for Comment\n\n"
        "On 6 August 2024, the National Technical Committee 260 on Cyber-security Standardization Administration "
        "of China (TC260) released the draft standard Data Security Technology – Interface Monitoring Methods.\n"
    )
    item = _one(linker, text)
    tc260 = linker.resolve("TC260")
    assert tc260 is not None and item.authorities == [tc260.name_en]
    assert [i.issuers for i in item.instruments] == [[tc260.name_en]]
    # A name the acronym belongs to is still learned as the acronym's body.
    assert linker.learn("the Cyberspace Administration of China (CAC) said") == {
        "CAC": "Cyberspace Administration of China"
    }


@pytest.mark.parametrize("dateline", ["Sat, 05 Dec 2020", "Posted on 5 December 2020", "5 December 2020"])
def test_a_line_that_is_only_a_date_dates_the_copy_not_the_event(dateline: str) -> None:
    paragraph = f"{dateline}\nOn 20 Nov. 2020, the district court handed down the first judgment on face data."
    assert event_date("Court Rules on Face Data", paragraph, None) == "2020-11-20"
    assert event_date("Court Rules on Face Data", dateline, None) == "2020-12-05"


@pytest.mark.parametrize("verb", ["have taken effect as of", "has taken effect on", "are taking effect on"])
def test_every_tense_of_taking_effect_gives_the_effective_date(linker: Linker, verb: str) -> None:
    text = (
        "AI Rules Out\n\n"
        "On 13 July 2023, the CAC released the Interim Measures for Managing Generative AI Services. "
        f"The measures {verb} 15 August 2023.\n"
    )
    (instrument,) = _one(linker, text).instruments
    assert instrument.effective == "2023-08-15"


@pytest.mark.parametrize(
    ("sentence", "status"),
    [
        (
            'Hot on the heels of the contract draft, on 7 July 2022 the CAC enacted the "Rules for Export Reviews".',
            "issued",
        ),
        ('On 7 July 2022 the CAC released the draft "Rules for Export Reviews".', "draft"),
        ('On 7 July 2022 the CAC released the "Rules for Export Reviews" for public comments.', "draft"),
    ],
)
def test_draft_as_a_noun_is_another_texts(linker: Linker, sentence: str, status: str) -> None:
    (instrument,) = _one(linker, f"Export Rules\n\n{sentence}\n").instruments
    assert instrument.status == status


def test_the_effect_of_another_text_is_not_the_reported_ones(linker: Linker) -> None:
    text = (
        "Filing Guide Out\n\n"
        "On 12 March 2024, a week before the Measures came into force, the regulator issued its Guidelines for "
        "Filing Export Contracts.\n"
    )
    (instrument,) = _one(linker, text).instruments
    assert (instrument.title, instrument.effective) == ("Guidelines for Filing Export Contracts", None)
    own = "Rules Out\n\nOn 2 May 2023, the CAC issued the Export Rules. The Rules took effect on 1 June 2023.\n"
    assert [i.effective for i in _one(linker, own).instruments] == ["2023-06-01"]


@pytest.mark.parametrize(
    ("sentence", "jurisdiction"),
    [
        ("On 1 January 2019, Elbonia’s Law on Network Safety came into effect.", "Elbonia"),
        ("On 1 January 2019, New Ruritania’s Personal Data Act came into effect.", "New Ruritania"),
        ("On 1 January 2019, China’s Law on Network Safety came into effect.", "China"),
        ("On 1 January 2019, Shanghai’s Data Trading Regulations came into effect.", "Shanghai"),
    ],
)
def test_whose_a_title_is_printed_before_it_is_its_jurisdiction(
    linker: Linker, sentence: str, jurisdiction: str
) -> None:
    (instrument,) = _one(linker, f"In Force\n\n{sentence}\n").instruments
    assert instrument.jurisdiction == jurisdiction


def test_a_recalled_date_does_not_set_the_year_of_the_issue(linker: Linker) -> None:
    text = (
        "March Ruritania\n\n"
        "Ruritania’s Data Protection Authority fined a retailer for losing customer records.\n\n"
        "Elbonia’s Data Protection Specification was issued for public comment. It updates the earlier "
        "specification, which came into effect on 1 May 2018.\n"
    )
    items = Extractor(linker).extract(parse_text(text, "review-2019.txt")).items
    assert [i.date for i in items] == ["2019-03", "2019-03"]


def test_a_courts_short_form_is_the_same_court(linker: Linker) -> None:
    text = (
        "Face Data Ruling\n\n"
        "On 20 November 2020, the Fuyang District People's Court ruled on face data in a zoo's membership case. "
        "The Fuyang Court ordered the zoo to delete the data; the Supreme People's Court was not involved.\n"
    )
    courts = _one(linker, text).courts
    assert "Fuyang Court" not in courts and len(courts) == 2
