"""The general rules the segmenter and the extractor share, each on sentences of our own."""

from __future__ import annotations

import datetime as dt

import pytest

from kg.errors import InputError
from kg.newsletter.dates import find_dates, opening_date, years_in_name
from kg.newsletter.extract import Extractor
from kg.newsletter.facts.kinds import classify
from kg.newsletter.facts.penalties import extract_penalties
from kg.newsletter.facts.titles import clean_title
from kg.newsletter.facts.when import event_date
from kg.newsletter.furniture import furniture
from kg.newsletter.items import ParsedItem
from kg.newsletter.link import Linker
from kg.newsletter.segment import parse_file, parse_text


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("On 30 Oct. 2024 the rules passed", (2024, 10, 30)),
        ("by Sept. 6 it had", (None, 9, 6)),
        ("from August 15th onwards", (None, 8, 15)),
        ("on the 1st of October", (None, 10, 1)),
        ("issued 1 Oct. in Beijing", (None, 10, 1)),
        ("dated 2024-09-30", (2024, 9, 30)),
        ("于2024年9月30日发布", (2024, 9, 30)),
        ("in early March", (None, 3, None)),
    ],
)
def test_dates_in_the_forms_publishers_write_them(text: str, found: tuple[int | None, int, int | None]) -> None:
    (date,) = find_dates(text)
    assert (date.year, date.month, date.day) == found


def test_may_and_mar_are_months_only_beside_a_day_or_a_year() -> None:
    assert find_dates("Operators may collect data; the rules mar the market.") == []


def test_a_paragraph_opens_with_a_date_only_when_it_reports_on_it() -> None:
    assert opening_date("On 7 May, the ministry issued app standards.") is not None
    assert opening_date("7 July CAC enacted the rules.") is not None
    assert opening_date("1 to 4 May is the Labour holiday.") is None


def test_a_date_in_a_file_name_is_a_last_resort_for_the_year() -> None:
    assert years_in_name("publisher-topic-2022-07.txt") == dt.date(2022, 7, 1)
    assert years_in_name("issue.txt") is None


@pytest.mark.parametrize(
    ("paragraph", "reference", "issue", "expected"),
    [
        ("The draft is open for comments until 13 May.", dt.date(2022, 5, 20), None, None),
        ("The rules take effect on 1 March. On 3 February, MIIT issued them.", dt.date(2022, 3, 1), None, "2022-02-03"),
        (
            "The NPC will meet from October 13 to 17, a spokesman said on Monday.",
            None,
            dt.date(2020, 10, 12),
            "2020-10-12",
        ),
        (
            "MIIT on Thursday ordered app stores to act. On April 23, MIIT had warned 93 apps.",
            None,
            dt.date(2021, 5, 13),
            "2021-05-13",
        ),
    ],
)
def test_the_event_date_is_not_a_deadline_an_effective_date_or_a_span(
    paragraph: str, reference: dt.date | None, issue: dt.date | None, expected: str | None
) -> None:
    assert event_date("", paragraph, reference or issue, issue) == expected


def test_a_headline_dates_an_item_whose_paragraph_does_not() -> None:
    assert (
        event_date("Regulator issues rules on audits (7 April)", "The rules cover audits.", dt.date(2024, 5, 1))
        == "2024-04-07"
    )


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Greetings from Beijing! I hope you had a good summer.", "greeting"),
        ("If you would like to subscribe to our newsletters, please contact us.", "subscription note"),
        ("摘要:The regulator issued rules on data", "abstract"),
        ("Home > News > Data", "breadcrumbs"),
        ("(Newswire) 13:09, September 07, 2023", "timestamp"),
        ("Share Tweet Email", "share buttons"),
        ("This update does not constitute legal advice.", "disclaimer"),
        ("We use cookies on our website to improve your experience.", "cookie notice"),
        ("You have 3 free articles left this month", "paywall"),
        ("By Jane Doe", "byline"),
        ("Be kind: keep your comments on topic and read our Community Guidelines first.", "comment policy"),
        ("Photo by Jane Roe on Unsplash", "caption"),
        ("*written with assistance from our summer associate, Jo Park.", "byline"),
        ("Harbour & Pine is a full-service law firm with offices in Shanghai and Shenzhen.", "firm profile"),
        ("Save as PDF", "interface message"),
        ("You might also like", "navigation"),
        ("Volunteers at a data fair in Hefei, May 3, 2024. [Photo/Xinhua]", "caption"),
        ("- within Privacy topic(s)", "audience note"),
        ("in Hong Kong", "audience note"),
        ("with readers working within the Banking & Insurance industries", "audience note"),
        (
            "With more than 12 years of practice in trade rules, Jo Park specializes in export controls and advises "
            "leading companies on them.",
            "author profile",
        ),
    ],
)
def test_page_furniture_is_named(text: str, kind: str) -> None:
    assert furniture(text) == kind


@pytest.mark.parametrize(
    "text",
    [
        "On 3 May the CAC fined an app operator RMB 1 million.",
        "The court ruled that the app's use of cookies to track users was lawful.",
        "The Ministry of Industry and Information Technology issued rules on apps.",
        "The CAC issued guidelines on how platforms moderate user comments.",
        "Kestrel Legal is a law firm that the court fined RMB 10,000 for leaking client files.",
        "in March the ministry fined two lenders.",
    ],
)
def test_news_is_not_furniture(text: str) -> None:
    assert furniture(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "Rules on Smart Meters Take Effect on June 1, 2023\n\nThe regulator said the rules on smart meters apply "
        "to twelve sectors and to every operator of a metering platform from June 1, 2023\n\n"
        "Court Hears Case under Order No.15\n\nA court in Shenzhen heard a case brought under Order No.15 "
        "against an operator that sold meter readings to advertisers, on 20 August 2021\n",
        "Regulator Publishes Its Plan for 2021\n\nThe regulator published its plan for data checks of "
        "platforms, to run from March to December 2021\n\nMinistry Lists Apps under Article 38\n\n"
        "The ministry listed apps that transfer data abroad without the checks of Article 38\n",
    ],
)
def test_a_year_a_day_or_a_numbered_order_is_never_a_footnote_marker(text: str) -> None:
    issue = parse_text(text, "x.txt")
    assert issue.layout != "footnoted"
    assert all(item.n < 100 for item in issue.items)


def test_a_converted_amount_is_not_a_second_penalty() -> None:
    penalties = extract_penalties(
        "The CAC fined the firm 100,000 yuan ($14,042) and confiscated RMB 5,000 (about US$700)."
    )
    assert [(p.type, int(p.amount or 0), p.unit) for p in penalties] == [
        ("fine", 100000, "CNY"),
        ("confiscation", 5000, "CNY"),
    ]
    # The dollars beside an amount in a currency the graph does not record are that amount, not a fine.
    assert extract_penalties("The authority fined the firm 2 million Danish kroner (about $290,000) a day.") == []


@pytest.mark.parametrize(
    ("raw", "title"),
    [
        (
            'Regulations on Cross-border Data Flow (《促进和规范数据跨境流动规定》) ("Regulations")',
            "Regulations on Cross-border Data Flow",
        ),
        (
            "Measures on the Standard Contract (the “Measures”) (only available in Chinese here)",
            "Measures on the Standard Contract",
        ),
        ("MIIT Issues Compliance Guidelines on User Rights", "Compliance Guidelines on User Rights"),
        ("Regulations on the SCCs on June 30", "Regulations on the SCCs"),
        ("Implementation Plan for Data (2021-2035)", "Implementation Plan for Data (2021-2035)"),
    ],
)
def test_titles_lose_tags_chinese_names_verbs_and_dates(raw: str, title: str) -> None:
    assert clean_title(raw) == title


def _item(headline: str, paragraph: str, section: str | None = None) -> ParsedItem:
    return ParsedItem(n=1, headline=headline, paragraph=paragraph, section=section, source=None, line=1)


@pytest.mark.parametrize(
    ("headline", "paragraph", "kind"),
    [
        (
            "Court Orders App to Pay Damages",
            "On 3 May, the Beijing Internet Court ordered the app to pay RMB 5,000.",
            "litigation",
        ),
        (
            "Rules on Face Recognition Take Effect",
            "On 1 June, the Measures on face recognition took effect.",
            "legislation",
        ),
        ("Regulator Fines Courier Firm", "On 3 May, the bureau fined a courier firm RMB 20,000.", "enforcement"),
        ("Officials Discuss the Digital Economy", "On 3 May, officials spoke at a forum in Beijing.", "policy"),
        (
            "App That Profiles Users Before They Log In Constitutes Infringement",
            "The plaintiff said the app made him give his job and age before he could log in; the defendant, "
            "the app's operator, said it needed them to recommend lessons. The app also sent push notifications.",
            "litigation",
        ),
        (
            "Regulator Names 12 Apps That Collect Too Much",
            "On 3 May, the ministry notified 12 apps that collect data beyond what their service needs.",
            "enforcement",
        ),
    ],
)
def test_kind_comes_from_what_the_item_reports(headline: str, paragraph: str, kind: str) -> None:
    assert classify(_item(headline, paragraph, "News"), 0, False) == kind


def test_every_department_of_a_joint_issuance_is_an_issuer(linker: Linker) -> None:
    text = (
        "JOINT RULES\n\nFour Departments Issue Rules on Apps\n\n"
        "On 3 March 2023, the CAC, MIIT, MPS and SAMR jointly issued the Measures for the Administration of "
        "App Permissions, which will take effect on 1 May 2023.\n"
    )
    (item,) = Extractor(linker).extract(parse_text(text, "joint.txt")).items
    (instrument,) = item.instruments
    assert set(instrument.issuers) == {
        "Cyberspace Administration of China",
        "Ministry of Industry and Information Technology",
        "Ministry of Public Security",
        "State Administration for Market Regulation",
    }
    assert instrument.effective == "2023-05-01" and item.date == "2023-03-03"


def test_immediate_effect_is_the_day_of_issue(linker: Linker) -> None:
    text = 'Rules Relaxed\n\nOn 22 March 2024, the CAC published the Provisions on Data Flow ("Provisions"), which came into immediate effect.\n'
    (item,) = Extractor(linker).extract(parse_text(text, "now.txt")).items
    assert [(i.title, i.effective) for i in item.instruments] == [("Provisions on Data Flow", "2024-03-22")]


def test_a_text_larger_than_the_limit_is_refused_before_it_is_read(tmp_path, monkeypatch) -> None:
    big = tmp_path / "big.txt"
    big.write_text("x" * 3000, encoding="utf-8")
    monkeypatch.setenv("KG_MAX_NEWSLETTER_MB", "0.001")
    with pytest.raises(InputError, match="too large") as err:
        parse_file(big)
    assert str(big) in str(err.value)
    monkeypatch.setenv("KG_MAX_NEWSLETTER_MB", "lots")
    with pytest.raises(InputError, match="KG_MAX_NEWSLETTER_MB"):
        parse_file(big)


def test_a_yearless_date_with_nothing_to_read_it_against_is_kept_not_guessed(linker: Linker) -> None:
    text = "Regulator Fines Platform\n\nOn July 21, the regulator fined a ride-hailing platform RMB 2 million.\n"
    (item,) = Extractor(linker).extract(parse_text(text, "undated.txt")).items
    assert (item.date, item.month_day, item.date_year) == (None, "--07-21", None)
    (named,) = Extractor(linker).extract(parse_text(text, "brief-2022-07.txt")).items
    assert (named.date, named.date_year) == ("2022-07-21", "file name")
    dated = Extractor(linker).extract(parse_text("date 2023-08-01\n" + text, "brief.txt")).items[0]
    assert (dated.date, dated.date_year) == ("2023-07-21", "issue date")


@pytest.mark.parametrize(
    ("headline", "text", "parties"),
    [
        ("", "Then Lin sued Kestrel Search at the internet court over an old photo.", ["Lin", "Kestrel Search"]),
        (
            "",
            "The first ruling in Wu Fang v. Riverside Gardens Co., Ltd. came down.",
            ["Riverside Gardens Co., Ltd.", "Wu Fang"],
        ),
        ("", "The regulator ordered ride-hailing provider Zoomcar Plus off app stores.", ["Zoomcar Plus"]),
        ("Regulator to hit Orbitly with fines", "Fines follow next week.", ["Orbitly"]),
        (
            "",
            "It named apps including the travel platform Ferrygo, Snapmeal (a food app) and the browser QuickView made"
            " by Lumen Soft, for collecting too much.",
            ["Ferrygo", "Snapmeal", "Lumen Soft"],
        ),
        ("", "Apps such as Ferrygo and Snapmeal were warned again.", ["Ferrygo", "Snapmeal"]),
        ("", "On Friday the watchdog fined Kestrel Mobility Inc 2.5 million yuan.", ["Kestrel Mobility Inc"]),
        (
            "",
            "Wei Lan, a teacher from Ningbo, filed a lawsuit against Bluefin Tickets at the district court.",
            ["Wei Lan", "Bluefin Tickets"],
        ),
        (
            "",
            "Two apps -- Pebble Notes and Tidewave Radio -- were taken off the stores.",
            ["Pebble Notes", "Tidewave Radio"],
        ),
        # Bodies, places, months and words that open sentences are not parties.
        ("", "The court ordered the Cyberspace Administration of China to act. The CAC fined Beijing in May.", []),
        ("", "Companies such as those in Shanghai, Beijing and Guangdong must report.", []),
    ],
)
def test_names_in_a_partys_role_are_parties(linker: Linker, headline: str, text: str, parties: list[str]) -> None:
    from kg.newsletter.facts.parties import extract_parties

    assert extract_parties(text, {}, lambda name: linker.resolve(name) is not None, headline) == parties


@pytest.mark.parametrize(
    ("text", "title"),
    [
        (
            "The office issued the Guidelines for Filing Data Contracts (the 2nd Edition), which explain",
            "Guidelines for Filing Data Contracts (2nd Edition)",
        ),
        (
            "The office issued the Guidelines for Filing Data Contracts (First Edition) today",
            "Guidelines for Filing Data Contracts (First Edition)",
        ),
        (
            "It released the draft Mandatory National Standard on Security Technology – Requirements for Wiping Phones",
            "Security Technology – Requirements for Wiping Phones",
        ),
    ],
)
def test_a_titles_edition_is_kept_and_what_it_is_is_not_part_of_it(text: str, title: str) -> None:
    from kg.newsletter.facts.titles import find_titles

    assert [found.title for found in find_titles(text)] == [title]


@pytest.mark.parametrize(
    ("text", "new"),
    [
        ("Since then, 40 more apps have been filed with the local Cyberspace Administration.", []),
        ("Complaints go to the competent Public Security Bureau, the notice says.", []),
        ("In May, the Wenzhou Cyberspace Administration fined an app maker.", ["Wenzhou Cyberspace Administration"]),
    ],
)
def test_a_kind_of_body_is_not_a_body(linker: Linker, text: str, new: list[str]) -> None:
    from kg.newsletter.facts.bodies import unknown_bodies

    _, found = unknown_bodies(text, linker.find(text), linker)
    assert [mention.name for mention in found] == new


@pytest.mark.parametrize(
    ("text", "amounts"),
    [
        ("Under the law, the maximum fine of RMB 50 million applies only to serious cases.", []),
        ("The revised draft raises the cap on fines to RMB 10 million.", []),
        ("Fines of up to RMB 1 million may follow.", []),
        ("In March, the bureau fined the retailer RMB 300,000, its highest fine this year.", ["300000"]),
    ],
)
def test_a_ceiling_a_rule_sets_is_not_a_penalty(text: str, amounts: list[str]) -> None:
    assert [str(p.amount) for p in extract_penalties(text)] == amounts


@pytest.mark.parametrize(
    ("text", "titles"),
    [
        (
            "Reviews follow the Cybersecurity Law, Rules on Telecom Services, and Measures on App Permissions.",
            ["Cybersecurity Law", "Rules on Telecom Services", "Measures on App Permissions"],
        ),
        (
            "Both the Data Security Law and Personal Information Protection Law apply.",
            ["Data Security Law", "Personal Information Protection Law"],
        ),
        # A comma inside a title, whose left part does not end with a head noun, stays.
        (
            "It cites the Law on Science, Technology and Industry Progress.",
            ["Law on Science, Technology and Industry Progress"],
        ),
    ],
)
def test_titles_listed_without_the_are_apart(text: str, titles: list[str]) -> None:
    from kg.newsletter.facts.titles import find_titles

    assert [title.title for title in find_titles(text)] == titles


def test_a_bodys_term_after_its_owner_is_part_of_its_name(linker: Linker) -> None:
    from kg.newsletter.facts.bodies import unknown_bodies

    text = "In June, the Standing Committee of China's 13th National People's Congress passed the law."
    known, new = unknown_bodies(text, linker.find(text), linker)
    assert ([m.name for m in known], new) == (["Standing Committee of the National People's Congress"], [])


@pytest.mark.parametrize(
    ("text", "reported"),
    [
        (
            "Law Revised\n\nOn 28 October 2025, the legislature passed a decision at its closing session to revise "
            "the Cybersecurity Law; the changes take effect on 1 January 2026.\n",
            [("adopted", "2026-01-01")],
        ),
        (
            "Lawmakers Amend Cybersecurity Law\n\nOn 28 October 2025, lawmakers voted for changes to the cybersecurity "
            "rules; they take effect on 1 January 2026.\n",
            [("adopted", "2026-01-01")],
        ),
        (
            "Revision Planned\n\nOn 3 May 2025, officials said they plan to revise the Cybersecurity Law next year.\n",
            [],
        ),
        (
            "Amendment in Force\n\nOn 1 January 2026, the Cybersecurity Law Amendment enters into force. It adds rules on AI.\n",
            [("adopted", "2026-01-01")],
        ),
        (
            "Comments Closed\n\nOn 11 October 2025, lawmakers stopped taking comments on the Cybersecurity Law "
            "(Amendment Draft). It raises fines.\n",
            [("draft", None)],
        ),
    ],
)
def test_a_statute_the_item_reports_amended_or_in_force_is_reported(
    linker: Linker, text: str, reported: list[tuple[str, str]]
) -> None:
    (item,) = Extractor(linker).extract(parse_text(text, "amended.txt")).items
    assert [(i.status, i.effective) for i in item.instruments] == reported
    assert all(i.title == "Cybersecurity Law" for i in item.instruments)  # the statute, not "… Amendment"


@pytest.mark.parametrize(
    ("headline", "paragraph", "kind"),
    [
        ("工信部约谈三家平台企业", "工信部要求三家企业限期整改。", "enforcement"),
        ("法院判决平台赔偿用户", "某区人民法院判决被告向原告赔偿五千元。", "litigation"),
        ("网信办发布数据出境新规", "国家网信办发布《数据出境安全评估办法》，自9月1日起施行。", "legislation"),
    ],
)
def test_kind_is_read_in_chinese_too(headline: str, paragraph: str, kind: str) -> None:
    assert classify(_item(headline, paragraph, "News"), 0, False) == kind


def test_a_chinese_name_is_found_where_it_touches_other_characters(linker: Linker) -> None:
    found = {(m.surface, m.name) for m in linker.find("工信部通报了下架名单，依据网络安全法和个人信息保护法。")}
    assert found == {
        ("工信部", "Ministry of Industry and Information Technology"),
        ("网络安全法", "Cybersecurity Law"),
        ("个人信息保护法", "Personal Information Protection Law"),
    }
    assert linker.find("The CACs said so") == []  # a Latin name still ends at a word's end


def test_the_month_a_text_says_it_covers_gives_yearless_dates_their_year(linker: Linker) -> None:
    body = (
        "In March 2023, regulators kept busy with data rules.\n\n"
        "1. Regulator issues rules on smart meters (14 March)\n\n"
        "The regulator issued the Measures on Smart Meter Data, which cover readings and billing data.\n\n"
        "2. Ministry fines a courier over leaked parcels (2 March)\n\n"
        "The ministry fined a courier company RMB 200,000 for leaking parcel records.\n"
    )
    issue = parse_text(body, "update.txt")
    assert issue.period == dt.date(2023, 3, 1)
    items = Extractor(linker).extract(issue).items
    assert [(i.date, i.date_year) for i in items] == [("2023-03-14", "issue period"), ("2023-03-02", "issue period")]
    dated = parse_text("date 2024-04-02\n\n" + body, "update.txt")
    assert dated.period is None  # a printed issue date comes first


def test_what_follows_a_related_links_header_late_in_a_page_is_not_the_article(linker: Linker) -> None:
    text = (
        "Court Releases Data Cases\n\n"
        "On 4 March 2024, the Hangzhou Internet Court released six data cases, four of them on apps.\n\n"
        "The court said apps were defendants in most of them.\n\n"
        "You might also like\n\n"
        "Shenzhen Court Rules on Tickets: A Look Back at a Dispute\n"
    )
    (item,) = Extractor(linker).extract(parse_text(text, "page.txt")).items
    assert item.courts == ["Hangzhou Internet Court"]


def test_a_court_named_by_its_level_is_named_by_its_seat_after_it(linker: Linker) -> None:
    from kg.newsletter.facts.bodies import unknown_bodies

    text = "On Friday the Intermediate People's Court in Hangzhou upheld the ruling on the zoo's entry system."
    known, new = unknown_bodies(text, linker.find(text), linker)
    assert ([m.name for m in known], new) == (["Hangzhou Intermediate People's Court"], [])


def test_a_date_in_brackets_ends_a_title_and_to_be_continues_one() -> None:
    from kg.newsletter.facts.titles import find_titles

    text = (
        "It cites the Measures on Review of Data to be Sent Abroad (March 3, 2018), Rules on Smart Lockers "
        "(2 May 2018) and the Provisions on Kiosks (2020 Revision)."
    )
    assert [t.title for t in find_titles(text)] == [
        "Measures on Review of Data to be Sent Abroad",
        "Rules on Smart Lockers",
        "Provisions on Kiosks (2020 Revision)",
    ]


def test_a_notice_asking_for_comments_reports_the_draft_it_asks_about(linker: Linker) -> None:
    text = (
        "Comments Sought\n\nOn 4 June 2024, the Office of the Cyberspace Administration of China published the "
        "CAC Notice for Soliciting Public Comments on the Measures for Smart Locker Data (Draft). "
        "The deadline for feedback is 4 July 2024.\n"
    )
    (item,) = Extractor(linker).extract(parse_text(text, "notice.txt")).items
    assert [(i.title, i.status) for i in item.instruments] == [("Measures for Smart Locker Data", "draft")]
    assert item.authorities == ["Cyberspace Administration of China"]
    assert item.date == "2024-06-04"  # the deadline is not the event


def test_a_deadline_for_feedback_is_not_the_event() -> None:
    assert event_date("Rules Drafted", "The deadline for public comments is 13 December 2021.", None) is None


def test_the_day_another_named_text_took_effect_is_not_the_reported_ones(linker: Linker) -> None:
    text = (
        "Standards Out\n\nOn 8 August 2025, the TC260 released the Security Requirements for Parcel Lockers. "
        "Elsewhere, firms must follow the Elbonia Data Law, which came into effect on July 1.\n"
    )
    (item,) = Extractor(linker).extract(parse_text(text, "std.txt")).items
    assert [(i.title, i.effective) for i in item.instruments] == [("Security Requirements for Parcel Lockers", None)]


def test_a_place_the_text_names_with_an_acronym_is_no_party(linker: Linker) -> None:
    from kg.newsletter.facts.parties import extract_parties

    text = "Rules for the Hainan Free Trade Port (FTP) were eased; firms in the FTP may export more data."
    is_body = lambda name: linker.resolve(name) is not None  # noqa: E731
    assert extract_parties(text, {"FTP": "Hainan Free Trade Port"}, is_body, "") == []


def test_a_company_the_text_does_not_name_is_no_party() -> None:
    from kg.newsletter.facts.parties import extract_parties

    text = (
        "(2) Data Leak at a Logistics Co., Ltd. in Hunan. The firm kept no logs. "
        "Separately, an Internet Technology Co., Ltd. left its database open, and Quillfeather Data Co Ltd was fined."
    )
    assert extract_parties(text, {}) == ["Quillfeather Data Co Ltd."]


def test_a_statute_revised_and_taking_effect_lends_no_date_to_a_planned_rule(linker: Linker) -> None:
    text = (
        "Digest\n\nThe Cybersecurity Law has been formally amended and will take effect on March 1, 2027. "
        "The Ministry of Public Security plans to formulate the Regulations on Kiosk Camera Data.\n"
    )
    (item,) = Extractor(linker).extract(parse_text(text, "digest.txt")).items
    assert [(i.title, i.status, i.effective) for i in item.instruments] == [
        ("Regulations on Kiosk Camera Data", "planned", None)
    ]


@pytest.mark.parametrize(
    "headline",
    [
        "MIIT Solicits Opinions Again on the Measures for Kiosk Data Security (Trial)",
        "MIIT Releases the Measures for Kiosk Data Security (Trial) for Public Consultation",
    ],
)
def test_a_text_put_out_for_opinions_is_a_draft(linker: Linker, headline: str) -> None:
    text = f"{headline}\n\nOn 3 March 2023, the MIIT released the Measures for Kiosk Data Security (Trial).\n"
    (item,) = Extractor(linker).extract(parse_text(text, "consult.txt")).items
    assert [(i.title, i.status) for i in item.instruments] == [("Measures for Kiosk Data Security (Trial)", "draft")]


def test_a_head_noun_used_as_a_modifier_names_no_instrument(linker: Linker) -> None:
    text = (
        "Roundup\n\nPolicy Makers Weigh Kiosk Data\n\nOn 2 May 2024 the Hefei government met kiosk makers on data.\n\n"
        "Law Enforcement Takes Aim at Kiosk Cameras\n\nOn 9 May 2024 officers in Hefei checked 300 kiosks.\n"
    )
    items = Extractor(linker).extract(parse_text(text, "roundup.txt")).items
    assert [i.instruments for i in items] == [[], []]


def test_the_line_over_a_pages_first_case_is_its_title(linker: Linker) -> None:
    text = (
        "How to stand up to a pile-on over the web\n\n"
        "Case 1: Posting a neighbour's address costs 8,000 yuan\n\n"
        "The plaintiff Qian sued the defendant Sun in Hangzhou, and the judge ordered Sun to pay 8,000 yuan.\n\n"
        "Case 2: A forum removes a post too late\n\n"
        "The court held the forum liable for the days the post stayed online after notice.\n"
    )
    (item,) = Extractor(linker).extract(parse_text(text, "cases.txt")).items
    assert item.headline == "How to stand up to a pile-on over the web"


def test_a_new_body_named_again_short_is_the_body_named_in_full(linker: Linker) -> None:
    text = (
        "Apps Checked\n\nOn 12 May 2021 the Hainan Provincial Communications Administration began checking apps; "
        "from June the Hainan Administration will test apps at random.\n"
    )
    (item,) = Extractor(linker).extract(parse_text(text, "apps.txt")).items
    assert item.authorities == ["Hainan Provincial Communications Administration"]


def test_a_title_case_participle_is_no_party(linker: Linker) -> None:
    text = (
        "Prosecutors Charged 9,000 Defendants Suspected of Selling Data\n\n"
        "On 21 February 2022, the Supreme People's Procuratorate said it had charged 9,000 people.\n"
    )
    (item,) = Extractor(linker).extract(parse_text(text, "spp.txt")).items
    assert item.parties == []


def test_a_standards_title_goes_on_in_sentence_case_after_its_dash(linker: Linker) -> None:
    text = (
        "Standards\n\nOn 15 April 2024, TC260 issued the national standard Data Security Technology – Security "
        "requirements for kiosk data (Draft for Comments), which asks operators to encrypt logs.\n"
    )
    (item,) = Extractor(linker).extract(parse_text(text, "std.txt")).items
    assert [(i.title, i.status) for i in item.instruments] == [
        ("Data Security Technology – Security requirements for kiosk data", "draft")
    ]


def test_the_short_name_a_text_gives_a_title_is_no_other_text(linker: Linker) -> None:
    text = (
        "Rules Out\n\nOn 7 April 2024, the SAMR issued the Interim Provisions on Kiosk Data Forensics (Interim "
        "Provisions). The Interim Provisions guide inspectors.\n"
    )
    (item,) = Extractor(linker).extract(parse_text(text, "rules.txt")).items
    assert [i.title for i in item.instruments] == ["Interim Provisions on Kiosk Data Forensics"]
    assert item.mentions == []


def test_a_text_named_by_its_short_name_takes_effect_on_its_own_date(linker: Linker) -> None:
    text = (
        "Recap\n\nIn March 2024, the CAC issued the Provisions on Kiosk Data Flow (Kiosk Provisions). In September, "
        "the State Council promulgated the Regulation on Locker Data Security (Locker Regulation), which came into "
        "force on January 1, 2025.\n"
    )
    (item,) = Extractor(linker).extract(parse_text(text, "recap.txt")).items
    assert [(i.title, i.effective) for i in item.instruments] == [
        ("Provisions on Kiosk Data Flow", None),
        ("Regulation on Locker Data Security", "2025-01-01"),
    ]


def test_a_word_that_reads_as_a_verb_before_a_head_noun_is_part_of_the_bodys_name(linker: Linker) -> None:
    text = (
        "Breach\n\nOn 9 September 2025, the National Kiosk Safety Report Center announced it had closed an "
        "inquiry into a retailer for sending data abroad.\n"
    )
    (item,) = Extractor(linker).extract(parse_text(text, "breach.txt")).items
    assert item.authorities == ["National Kiosk Safety Report Center"]


def test_a_body_named_again_by_its_head_noun_goes_on_with_its_story(linker: Linker) -> None:
    text = (
        "Cross-border cases\n\n"
        "On 9 September 2025, the National Kiosk Safety Report Center (the Center) said it had fined a retailer.\n\n"
        "The Center stated that the retailer had found the breach on 7 May 2025.\n\n"
        "On 12 September 2025, the Ministry of Commerce issued rules on kiosk exports.\n"
    )
    items = Extractor(linker).extract(parse_text(text, "column.txt")).items
    assert [i.date for i in items] == ["2025-09-09", "2025-09-12"]


def test_a_weekday_printed_beside_its_date_is_that_date() -> None:
    issue = dt.date(2023, 6, 7)
    assert event_date("Guide Out", "On Tuesday, 30 May 2023, the CAC released a filing guide.", None, issue) == (
        "2023-05-30"
    )
    assert event_date("Guide Out", "On Tuesday the CAC released a filing guide.", None, issue) == "2023-06-06"


def test_capitalised_words_after_a_head_noun_used_as_a_modifier_are_no_title(linker: Linker) -> None:
    text = (
        "Filing Guide\n\nOn 30 May 2023, the CAC released the Guide to Filing Kiosk Contracts (First Edition), "
        "which tells exporters how to file Standard Contracts (SCs) with the CAC.\n"
    )
    (item,) = Extractor(linker).extract(parse_text(text, "guide.txt")).items
    assert [i.title for i in item.instruments] == ["Guide to Filing Kiosk Contracts (First Edition)"]


def test_a_lead_sentence_describing_untitled_rules_reports_them(linker: Linker) -> None:
    text = (
        "China finishes kiosk contract rules\n\nThe Cyberspace Administration of China released the final version "
        "of measures on the standard contract for kiosk data exports. The measures take effect on 1 June 2023.\n"
    )
    (item,) = Extractor(linker).extract(parse_text(text, "wire.txt")).items
    assert [(i.title, i.effective) for i in item.instruments] == [
        ("measures on the standard contract for kiosk data exports", "2023-06-01")
    ]


def test_a_branch_named_by_its_place_and_its_parents_national_name_is_the_branch(linker: Linker) -> None:
    text = (
        "Apps Named\n\nOn 28 November 2023, the Zhejiang Province Internet Information Office ordered 40 apps to "
        "fix how they collect data; the Zhejiang Internet Information Office gave them 15 days.\n"
    )
    (item,) = Extractor(linker).extract(parse_text(text, "apps.txt")).items
    assert item.authorities == ["Cyberspace Administration of Zhejiang Province"]


def test_an_item_naming_nothing_among_news_is_left_out_with_a_warning(linker: Linker) -> None:
    text = (
        "Regulator Flags 40 Kiosk Apps\n\nOn 26 June 2025, the MIIT named 40 kiosk apps that collect too much data.\n\n"
        "Stay ahead of the next rule change\n\nOur analysts follow every proposal so that you do not have to.\n"
    )
    parsed = parse_text(text, "wire.txt")
    record = Extractor(linker).extract(parsed)
    assert [i.headline for i in record.items] == ["Regulator Flags 40 Kiosk Apps"]
    assert any("item 2 names nothing" in w for w in parsed.warnings)


def test_a_page_whose_items_name_nothing_keeps_them(linker: Linker) -> None:
    text = (
        "Faces at the Door\n\nShops in Hefei put cameras at their doors to count shoppers, and shoppers noticed.\n\n"
        "Who Keeps the Pictures?\n\nThe Law School of a Hefei university asked where the shops keep the images.\n"
    )
    assert len(Extractor(linker).extract(parse_text(text, "column.txt")).items) == 2


def test_a_company_names_full_stop_does_not_end_the_lead_sentence() -> None:
    paragraph = (
        "On 9 September 2025, Quillfeather (Hefei) Co., Ltd. was publicly sanctioned by the police for sending "
        "data abroad. It had no security assessment."
    )
    item = ParsedItem(n=1, headline="Cross-border transfers", paragraph=paragraph, section=None, source=None, line=1)
    assert classify(item, 0, False) == "enforcement"


def test_a_title_the_copy_cuts_short_names_no_text(linker: Linker) -> None:
    text = (
        "Regulators are looking harder at audits under the Personal Information Protection Law, with the release "
        "of the Administrative Measures for Personal...more\n\n"
        "On 22 November 2025, the CAC and the MPS released the Provisions on the Protection of...more\n\n"
        "On 9 September 2025, a retailer was sanctioned for sending data abroad...more\n"
    )
    items = Extractor(linker).extract(parse_text(text, "teasers.txt")).items
    assert [i.instruments for i in items] == [[], [], []]


def test_a_list_printing_each_title_over_its_date_line_keeps_titles_with_their_entries(linker: Linker) -> None:
    text = (
        "Blogger told to pay for a smear\n2023-08-16\nA blogger was ordered by a Hefei court to pay 20,000 yuan "
        "for posting false claims about a singer.\n\n"
        "Kiosk maker loses data suit\n2023-05-08\nThe Hefei Internet Court ruled that a kiosk maker kept "
        "shoppers' faces without consent.\n"
    )
    items = Extractor(linker).extract(parse_text(text, "list.txt")).items
    assert [i.headline for i in items] == ["Blogger told to pay for a smear", "Kiosk maker loses data suit"]
    assert "Kiosk maker" not in items[0].headline


def test_a_citys_numbered_court_is_named_with_its_number(linker: Linker) -> None:
    text = (
        "Court Data\n\nOn 27 March 2024, Beijing No 4 Intermediate People's Court said it had heard 1,600 online "
        "infringement cases since 2021.\n"
    )
    (item,) = Extractor(linker).extract(parse_text(text, "court.txt")).items
    assert item.courts == ["Beijing No.4 Intermediate People's Court"]


def test_a_newsletter_in_chinese_reads_its_items_titles_dates_articles_and_fines(linker: Linker) -> None:
    text = (
        "市监局发布《自助售货机数据管理办法（征求意见稿）》\n\n"
        "2025年3月2日，国家市场监督管理总局发布《自助售货机数据管理办法（征求意见稿）》，拟自2025年9月1日起施行。\n\n"
        "合肥市网信办处罚一家售货机公司\n\n"
        "2025年4月8日，合肥市网信办依据《中华人民共和国个人信息保护法》第六十六条，对某售货机公司处以罚款30万元，"
        "没收违法所得2.5万元。\n"
    )
    first, second = Extractor(linker).extract(parse_text(text, "zh.txt")).items
    assert (first.date, second.date) == ("2025-03-02", "2025-04-08")
    assert [(i.title, i.status, i.effective) for i in first.instruments] == [
        ("自助售货机数据管理办法", "draft", "2025-09-01")
    ]
    assert first.authorities == ["State Administration for Market Regulation"]
    assert second.articles == ["Personal Information Protection Law Article 66"]
    assert [(p.type, int(p.amount)) for p in second.penalties] == [("fine", 300000), ("confiscation", 25000)]


def test_chinese_numerals_and_terms() -> None:
    from kg.newsletter.facts.chinese import numeral_value

    assert [numeral_value(n) for n in ("二十一", "一百", "九", "一千零二", "五十万")] == [21, 100, 9, 1002, 500000]
    assert [(p.type, int(p.amount)) for p in extract_penalties("处以罚款三十万元。")] == [("fine", 300000)]
    penalties = extract_penalties("判处有期徒刑二年，并处罚金1万元；另一人被行政拘留10日。对其处五十万元以下罚款。")
    assert [(p.type, int(p.amount), p.unit) for p in penalties] == [
        ("fine", 10000, "CNY"),
        ("imprisonment", 2, "year"),
        ("detention", 10, "day"),
    ]


def test_names_in_chinese_get_ids_of_their_own() -> None:
    from kg.newsletter.link import slugify

    assert slugify("自助售货机数据管理办法") != slugify("合肥市网信办")
    assert slugify("自助售货机数据管理办法").startswith("zh-")


def test_chinese_headlines_head_paragraphs_that_open_without_a_date(linker: Linker) -> None:
    text = (
        "合肥市网信办约谈两家售货机企业\n\n合肥市网信办近日约谈两家售货机企业，要求其整改人脸数据的收集行为。\n\n"
        "市监局发布售货机数据合规指引\n\n国家市场监督管理总局近日印发《自助售货机数据合规指引》。\n"
    )
    items = Extractor(linker).extract(parse_text(text, "zh2.txt")).items
    assert [i.headline for i in items] == ["合肥市网信办约谈两家售货机企业", "市监局发布售货机数据合规指引"]


def test_whose_claims_a_court_dismissed_is_a_party() -> None:
    from kg.newsletter.facts.parties import extract_parties

    text = "The court ordered Kestrel Legal to pay 3,000 yuan. Quan's other claims, for emotional harm, were dismissed."
    assert "Quan" in extract_parties(text, {}, lambda name: False)
    assert extract_parties("The Court's other claims were heard.", {}, lambda name: False) == []


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("Wen was sentenced to two years and three months in prison.", [("imprisonment", 27, "month")]),
        (
            "A 31-year-old clerk was given five months in detention with a one-year reprieve.",
            [("detention", 5, "month")],
        ),
        ("The law says such sellers face prison for up to three years.", []),
        (
            "The two were sentenced to eight months and four months in prison.",
            [("imprisonment", 8, "month"), ("imprisonment", 4, "month")],
        ),
    ],
)
def test_prison_and_detention_terms_are_terms_served(text: str, terms: list[tuple[str, int, str]]) -> None:
    assert [(p.type, int(p.amount), p.unit) for p in extract_penalties(text)] == terms


def test_a_chinese_sentence_ends_at_its_full_stop(linker: Linker) -> None:
    text = (
        "售货机新规\n\n2025年3月2日，国家市场监督管理总局发布《自助售货机数据管理办法》。"
        "上海市网信办同日约谈两家售货机企业。\n"
    )
    (item,) = Extractor(linker).extract(parse_text(text, "zh3.txt")).items
    assert [i.issuers for i in item.instruments] == [["State Administration for Market Regulation"]]


def test_news_dated_by_a_weekday_the_copy_cannot_place_takes_no_date_from_its_cases(linker: Linker) -> None:
    text = (
        "Court names kiosk cases\n\nThe top court has urged judges to punish kiosk data thieves. The Supreme "
        "People's Court on Friday disclosed five cases. In one, a man surnamed Bo began in March 2022 to sell "
        "shoppers' faces.\n"
    )
    (item,) = Extractor(linker).extract(parse_text(text, "wire.txt")).items
    assert item.date is None


def test_an_authors_name_glued_to_a_read_on_link_is_not_the_title(linker: Linker) -> None:
    text = (
        "On 21 July 2022, the CAC fined a ride-hailing firm RMB 8 billion for breaking data laws\n"
        "Continue Reading Regulator Fines Ride-Hailing CompanyLena Park\n\n"
        "On 5 May 2023, the MIIT named 40 kiosk apps that collect too much data\n"
        "Continue Reading Kiosk Apps Named on LinkedIn Learning\n"
    )
    items = Extractor(linker).extract(parse_text(text, "blog.txt")).items
    assert [i.headline for i in items] == [
        "Regulator Fines Ride-Hailing Company",
        "Kiosk Apps Named on LinkedIn Learning",
    ]


def test_a_count_of_texts_in_a_headline_is_no_title_and_rules_around_a_section_are_dropped(linker: Linker) -> None:
    text = (
        "————Regulatory Highlights————\n\nTC260 Releases Two Guidelines on Kiosk Audits\n\n"
        "On 26 May 2025, TC260 released two practice guidelines on audits of kiosk data.\n\n"
        "MIIT Names Kiosk Apps\n\nOn 3 June 2025, the MIIT named 12 kiosk apps that collect too much data.\n"
    )
    first, _ = Extractor(linker).extract(parse_text(text, "digest.txt")).items
    assert first.section == "Regulatory Highlights"
    assert [i.title for i in first.instruments] != ["Two Guidelines on Kiosk Audits"]


def test_a_headline_that_capitalises_every_word_still_names_its_instrument() -> None:
    from kg.newsletter.facts.titles import headline_title

    found = headline_title("CAC Issues Interim Measures For The Administration Of Kiosk Data Services")
    assert found is not None and found.title == "Interim Measures For The Administration Of Kiosk Data Services"
