"""The newsletter parser: every layout quirk on small written fixtures, then the real corpus against gold."""

from __future__ import annotations

import datetime
import time
from pathlib import Path

import pytest
import yaml

from kg.errors import InputError
from kg.newsletter.segment import ParsedIssue, parse_file, parse_text

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "newsletters"
SHARED = Path(__file__).resolve().parents[2] / "shared"


def rows(issue: ParsedIssue) -> list[tuple[int, str, str | None, str | None]]:
    return [(i.n, i.headline, i.section, i.source) for i in issue.items]


def norm(text: str | None) -> str:
    """Compare headlines as gold does: typographic quotes and dashes, and spacing, do not count."""
    table = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-"})
    return " ".join((text or "").translate(table).split())


# --------------------------------------------------------------------------- plain-text quirks


def test_space_markers_missing_sections_and_footnote_list() -> None:
    issue = parse_file(FIXTURES / "spaced.txt")
    assert issue.name == "spaced.txt"
    assert issue.issue_date is None
    assert issue.warnings == []
    assert [i.n for i in issue.items] == [1, 2, 3, 4, 5, 6, 7]
    # No heading before item 6: no section; then the heading as printed, in title case.
    assert [i.section for i in issue.items] == [None] * 5 + ["Courts Litigation"] * 2
    assert [i.source for i in issue.items] == [
        f"https://example.org/news/2023/{slug}"
        for slug in (
            "exchange-plan",
            "app-checks-round-4",
            "public-data-rules",
            "excess-permissions",
            "parcel-labels",
            "clerks-jailed",
            "scraped-reviews",
        )
    ]


def test_headline_printed_after_its_paragraph_glued_to_the_marker() -> None:
    item = parse_file(FIXTURES / "spaced.txt").items[3]
    assert item.n == 4
    assert item.headline == "Monitoring Centre Names Nine Apps Requesting Excess Permissions"
    assert item.paragraph.endswith("in breach of the personal information law.")
    assert item.line == 13


def test_numbers_that_are_not_footnotes_stay_in_the_text() -> None:
    items = parse_file(FIXTURES / "spaced.txt").items
    # Headlines ending in a number ("Round 4", "June 1") are not taken for markers.
    assert items[1].headline == "Regulator Lists Apps Failing Checks in Round 4"
    assert items[2].headline == "Provincial Congress Adopts Rules on Public Data, Effective from June 1"
    assert items[2].paragraph.endswith("take effect on June 1.")
    assert "17 mobile apps" in items[1].paragraph
    assert "12,000 customer records." in items[5].paragraph
    assert items[6].paragraph.endswith('("the Reviews") without permission.')


def test_item_lines_point_at_the_paragraph() -> None:
    issue = parse_file(FIXTURES / "spaced.txt")
    lines = (FIXTURES / "spaced.txt").read_text(encoding="utf-8").split("\n")
    for item in issue.items:
        assert lines[item.line - 1].startswith(item.paragraph[:30])


def test_dot_quote_and_bracket_markers_header_date_and_renamed_sections() -> None:
    issue = parse_file(FIXTURES / "dotted.txt")
    assert issue.issue_date == datetime.date(2023, 3, 9)
    assert issue.warnings == []
    assert rows(issue) == [
        (1, "Ministry Issues Draft Measures on Biometric Data (Draft for Comments)", "LEGISLATION", None),
        (2, "City Adopts Regulations on Smart Transport Data", "LEGISLATION", None),
        (3, "Online Retailer Is Fined RMB 1.5 Million for Selling Shopper Data", "ENFORCEMENT CASES", None),
        (4, "Insurer Ordered to Suspend Sales App (for 30 Days)", "Enforcement Authority", None),
        (5, "Court Awards Damages over Leaked Medical Records", "COURTS LITIGATION", None),
    ]
    paragraphs = [i.paragraph for i in issue.items]
    assert paragraphs[0].endswith("requiring separate consent.")
    assert paragraphs[2].endswith('called "systematic".')
    assert paragraphs[3].endswith("so far in 2023)")
    # "fell 7.25" read through the sequence: the figure 7.2, then marker 5.
    assert paragraphs[4].endswith("parent fell 7.2")


def test_trailing_disclaimer_is_not_an_item() -> None:
    for name in ("dotted.txt", "spaced.txt"):
        issue = parse_file(FIXTURES / name)
        assert all("general" not in i.paragraph for i in issue.items)
        assert issue.warnings == []


def test_page_header_repeating_the_first_line_is_dropped() -> None:
    issue = parse_file(FIXTURES / "page_header.txt")
    assert issue.warnings == []
    assert rows(issue) == [
        (
            1,
            "Agency Publishes Guidance on Anonymising Health Data",
            "LEGISLATION",
            "https://example.org/guidance-health-data",
        ),
        (2, "Province Drafts Rules on Data Brokers", "LEGISLATION", "https://example.org/draft-broker-rules"),
    ]
    assert issue.items[0].line == 7


def test_page_header_repeating_the_first_paragraph_is_dropped() -> None:
    text = (
        "date 2023-04-01 On April 1, the board published rules for data audits in banks.1\n\n"
        "LEGISLATION\n\n"
        "Board Publishes Data Audit Rules\n\n"
        "On April 1, the board published rules for data audits in banks.1\n\n"
        "Bank Fined for Weak Access Controls\n\n"
        "On March 28, a bank was fined RMB 400,000 for weak access controls on client files.2\n"
    )
    issue = parse_text(text, "header.txt")
    assert issue.issue_date == datetime.date(2023, 4, 1)
    assert issue.warnings == []
    assert rows(issue) == [
        (1, "Board Publishes Data Audit Rules", "LEGISLATION", None),
        (2, "Bank Fined for Weak Access Controls", "LEGISLATION", None),
    ]
    assert issue.items[0].line == 7


def test_glued_text_goes_to_the_next_item_when_this_one_has_a_headline() -> None:
    # A lost line break: the next item's headline follows the marker, the item has its own headline.
    text = (
        "Agency Drafts Rules on Cookies\n\n"
        "On May 2, the agency drafted rules on cookie banners. 1Regulator Warns Game Makers\n\n"
        "On May 1, the regulator warned game makers about collecting data of minors. 2\n"
    )
    issue = parse_text(text)
    assert rows(issue) == [
        (1, "Agency Drafts Rules on Cookies", None, None),
        (2, "Regulator Warns Game Makers", None, None),
    ]


def test_multi_paragraph_item_keeps_all_its_text() -> None:
    first = "On May 9, the court heard a claim over face scans at a residential gate. " * 4
    text = (
        "Court Hears Face Scan Claim\n\n"
        f"{first.strip()} The gate had logged 3\n\n"
        "The court ordered the operator to delete the scans.1\n\n"
        "Ministry Plans Data Labelling Rules\n\n"
        "On May 8, the ministry said it plans rules on labelling synthetic media.2\n"
    )
    issue = parse_text(text)
    assert [i.headline for i in issue.items] == ["Court Hears Face Scan Claim", "Ministry Plans Data Labelling Rules"]
    assert issue.items[0].paragraph.split("\n")[1] == "The court ordered the operator to delete the scans."
    assert issue.items[0].line == 3


def test_hard_wrapped_text_is_rejoined() -> None:
    text = (
        "Agency Publishes Rules on Data Export Checks\n\n"
        "On June 9, 2023, the agency published rules on security checks for\n"
        "data export, under which exporters of data about more than 100\n"
        "thousand people must file a self-assessment first. 1\n\n"
        "Court Fines App Maker\n\n"
        "On June 7, a court fined an app maker for reading contact lists\n"
        "without consent and ordered it to pay costs of the claimants. 2\n"
    )
    issue = parse_text(text)
    assert [i.headline for i in issue.items] == [
        "Agency Publishes Rules on Data Export Checks",
        "Court Fines App Maker",
    ]
    assert "more than 100 thousand people" in issue.items[0].paragraph
    assert issue.items[1].paragraph.endswith("costs of the claimants.")


def test_partial_issue_returns_items_and_names_skipped_lines() -> None:
    issue = parse_file(FIXTURES / "partial.txt")
    assert [(i.n, i.section) for i in issue.items] == [(1, "CYBER REGULATION"), (2, "CYBER REGULATION")]
    assert len(issue.warnings) == 2
    assert issue.warnings[0].startswith("partial.txt:7: skipped: ")
    assert issue.warnings[1].startswith("partial.txt:13: skipped: ")


# --------------------------------------------------------------------------- HTML and Markdown

EXPECTED_WEB = [
    (
        1,
        "Agency Publishes Guidance on Anonymising Health Data",
        "LEGISLATION",
        "https://example.org/health-guidance",
    ),
    (2, "Regulator Fines Delivery Firm over Courier Tracking", "Enforcement Cases", "https://example.org/courier-fine"),
    (3, "Monitoring Centre Names Nine Apps", "Enforcement Cases", "https://example.org/nine-apps"),
]


@pytest.mark.parametrize("name", ["issue.html", "issue.md"])
def test_html_and_markdown_are_reduced_to_text(name: str) -> None:
    issue = parse_file(FIXTURES / name)
    assert issue.issue_date == datetime.date(2023, 6, 30)
    assert issue.warnings == []
    assert rows(issue) == EXPECTED_WEB
    first = issue.items[0].paragraph
    assert first == (
        "On June 6, 2023, the agency published guidance on anonymising health data "
        "before it is shared with 12 research hospitals & universities."
    )
    assert "<" not in first and "[" not in first and "*" not in issue.items[1].paragraph
    lines = (FIXTURES / name).read_text(encoding="utf-8").split("\n")
    assert "On June 6, 2023" in lines[issue.items[0].line - 1]


@pytest.mark.parametrize("name", ["issue.html", "issue.md"])
def test_format_is_recognised_by_content_too(name: str, tmp_path: Path) -> None:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    assert rows(parse_text(text, name)) == EXPECTED_WEB
    renamed = tmp_path / "issue.txt"
    renamed.write_text(text, encoding="utf-8")
    assert rows(parse_file(renamed)) == EXPECTED_WEB


# --------------------------------------------------------------------------- bad input


def test_empty_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="empty") as err:
        parse_file(FIXTURES / "empty.txt")
    assert err.value.path == FIXTURES / "empty.txt"
    blank = tmp_path / "blank.txt"
    blank.write_text(" \n\n\t\n", encoding="utf-8")
    with pytest.raises(InputError, match="empty"):
        parse_file(blank)
    with pytest.raises(InputError, match="empty"):
        parse_text("", "x.txt")


def test_binary_file_is_an_input_error(tmp_path: Path) -> None:
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"%PDF-1.4\x00\x01\x02 stream")
    with pytest.raises(InputError, match="NUL") as err:
        parse_file(binary)
    assert str(binary) in str(err.value)
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Caf\xe9 rules 1\n".encode("latin-1"))
    with pytest.raises(InputError, match="UTF-8"):
        parse_file(latin)


def test_text_without_items_is_an_input_error() -> None:
    with pytest.raises(InputError, match="no news items") as err:
        parse_file(FIXTURES / "no_items.txt")
    assert str(FIXTURES / "no_items.txt") in str(err.value)
    with pytest.raises(InputError, match="no news items"):
        parse_text("Just one sentence of prose.\n", "prose.txt")


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        parse_file(tmp_path / "absent.txt")


# --------------------------------------------------------------------------- the real corpus

GOLD = sorted((SHARED / "gold").glob("*.yaml")) if SHARED.is_dir() else []


def gold_issue(stem: str) -> tuple[Path, dict]:
    if not SHARED.is_dir():
        pytest.skip(f"shared corpus not present at {SHARED}")
    gold = yaml.safe_load((SHARED / "gold" / f"{stem}.yaml").read_text(encoding="utf-8"))
    return SHARED / "corpus" / gold["newsletter"], gold


@pytest.mark.parametrize("stem", ["000_8874ccff001c940d", "003_a9ab0b36f9dfcfe2"])
def test_corpus_issue_matches_gold(stem: str) -> None:
    path, gold = gold_issue(stem)
    issue = parse_file(path)
    assert issue.issue_date == gold["issue_date"]
    assert issue.warnings == []
    got = {item.n: item for item in issue.items}
    assert sorted(got) == sorted(g["n"] for g in gold["items"])
    for expected in gold["items"]:
        item = got[expected["n"]]
        assert norm(item.headline) == norm(expected["headline"]), expected["n"]
        assert item.source == expected["source"], expected["n"]
        assert item.section == expected.get("section"), expected["n"]
        assert item.paragraph and not item.paragraph[-1].isdigit(), expected["n"]


def test_every_gold_file_is_covered() -> None:
    if not GOLD:
        pytest.skip(f"shared corpus not present at {SHARED}")
    for gold_path in GOLD:
        gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
        issue = parse_file(SHARED / "corpus" / gold["newsletter"])
        assert [i.n for i in issue.items] == [g["n"] for g in gold["items"]], gold_path.name


def test_parsing_is_fast() -> None:
    if not SHARED.is_dir():
        pytest.skip(f"shared corpus not present at {SHARED}")
    texts = [(p.read_text(encoding="utf-8"), p.name) for p in sorted((SHARED / "corpus").glob("*.txt"))]
    items = 0
    start = time.perf_counter()
    for _ in range(20):
        for text, name in texts:
            items += len(parse_text(text, name).items)
    rate = items / (time.perf_counter() - start)
    assert rate >= 200, f"{rate:.0f} items/s"


def test_long_issue_keeps_every_item_past_three_digit_footnotes() -> None:
    # Footnote numbers past 999 and thousands of items: the chain search must neither cap nor crawl.
    blocks = [
        f"Regulator Notice Number {n} Published\n\nOn May 2, the regulator published notice {n}.{n}\n"
        for n in range(1, 1201)
    ]
    issue = parse_text("\n".join(blocks), "long.txt")
    assert [item.n for item in issue.items] == list(range(1, 1201))
    assert issue.items[-1].headline == "Regulator Notice Number 1200 Published"
