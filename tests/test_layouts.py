"""Each layout on fixtures written for it, as plain text and as a page saved from a browser."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from kg.newsletter.evaluate import headline_similarity
from kg.newsletter.segment import parse_file

LAYOUTS = Path(__file__).parent / "fixtures" / "layouts"
CASES = sorted(p.name.removesuffix(".expected.yaml") for p in LAYOUTS.glob("*.expected.yaml"))


@pytest.mark.parametrize("suffix", [".txt", ".html"])
@pytest.mark.parametrize("case", CASES)
def test_each_layout_is_recognised_and_its_items_read(case: str, suffix: str) -> None:
    expected = yaml.safe_load((LAYOUTS / f"{case}.expected.yaml").read_text(encoding="utf-8"))
    issue = parse_file(LAYOUTS / f"{case}{suffix}")
    assert issue.layout == expected["layout"], issue.explanation
    got = [(item.n, item.headline, item.section) for item in issue.items]
    want = [(item["n"], item["headline"], item.get("section")) for item in expected["items"]]
    assert [n for n, _, _ in got] == [n for n, _, _ in want]
    for (n, headline, section), (_, want_headline, want_section) in zip(got, want, strict=True):
        assert headline_similarity(headline, want_headline) >= 0.95, (n, headline)
        if want_section is not None and suffix == ".txt":
            assert section == want_section, (n, section)
    if "issue_date" in expected and suffix == ".txt":
        assert issue.issue_date == expected["issue_date"]


@pytest.mark.parametrize("case", CASES)
def test_a_saved_page_keeps_only_its_content(case: str) -> None:
    issue = parse_file(LAYOUTS / f"{case}.html")
    text = "\n".join(f"{item.headline}\n{item.paragraph}" for item in issue.items)
    for furniture in ("cookies", "Accept all", "LinkedIn", "All rights reserved", "does not constitute legal advice"):
        assert furniture not in text
    # Links in an item become its source (here the first words of the paragraph link to the story).
    linked = [item for item in issue.items if item.source]
    assert all(item.source.startswith("https://example.org/news/") for item in linked)


def test_the_choice_of_layout_is_explained() -> None:
    issue = parse_file(LAYOUTS / "prose.txt")
    assert [line.split(": ")[1] for line in issue.explanation] == [
        "footnoted",
        "teasers",
        "numbered",
        "colon",
        "dated",
        "headed",
        "prose",
    ]
    assert issue.explanation[-1].startswith("prose.txt: prose: chosen:")


def test_a_wire_story_takes_its_date_from_its_header_and_timestamp() -> None:
    assert parse_file(LAYOUTS / "wire.txt").issue_date == dt.date(2024, 7, 19)
    assert parse_file(LAYOUTS / "wire.html").issue_date == dt.date(2024, 7, 19)
