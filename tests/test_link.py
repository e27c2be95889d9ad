"""Names in newsletter text resolve to the backbone: aliases, Chinese names, learned abbreviations, typos."""

from __future__ import annotations

import pytest

from kg.newsletter.link import Linker, abbreviation_definitions, normalize, slugify


@pytest.mark.parametrize(
    ("name", "entity_id"),
    [
        ("PIPL", "pipl"),
        ("个人信息保护法", "pipl"),
        ("the Personal Information Protection Law", "pipl"),
        ("Minor Protection Law", "minors-protection-law"),
        ("CAC", "cac"),
        ("Cyberspace Administration of China", "cac"),
        ("NISSTC", "tc260"),
        ("SPC", "spc"),
        ("Shanghai Government", "shanghai-government"),
        ("Standing Committee of the Fifth Chongqing People's Congress", "chongqing-pcsc"),
        (
            "Regulations on the Administration of Algorithm Recommendations for Internet Information Services",
            "algorithm-recommendation-provisions",
        ),
        (
            "Administrative Provisions on Algorithm Recommendation for Internet Information Services",
            "algorithm-recommendation-provisions",
        ),
    ],
)
def test_names_resolve_to_one_backbone_entity(linker: Linker, name: str, entity_id: str) -> None:
    entity = linker.resolve(name)
    assert entity is not None and entity.id == entity_id


@pytest.mark.parametrize(("typo", "entity_id"), [("MITT", "miit"), ("NISTC", "tc260"), ("SMAR", "samr")])
def test_one_letter_slip_in_an_abbreviation_still_links(linker: Linker, typo: str, entity_id: str) -> None:
    entity = linker.resolve(typo, kinds=("authority",))
    assert entity is not None and entity.id == entity_id


@pytest.mark.parametrize("word", ["CST", "MOPS", "CSC", "PIP"])
def test_abbreviations_of_three_letters_match_exactly(linker: Linker, word: str) -> None:
    # "CST" is a time zone, not the CSL; a slip is forgiven only where four letters or more are left.
    assert linker.resolve(word) is None


@pytest.mark.parametrize(
    ("name", "entity_id"),
    [
        ("Cyber Administration of China", "cac"),
        ("National Technical Committee for Information Security", "tc260"),
        ("State Administration for Market Regulations", "samr"),
    ],
)
def test_other_spellings_of_a_body_link_by_fuzzy_match(linker: Linker, name: str, entity_id: str) -> None:
    entity = linker.fuzzy(name)
    assert entity is not None and entity.id == entity_id


@pytest.mark.parametrize(
    "name",
    [
        "Chongqing Municipal Public Security Bureau",  # another city's bureau
        "Cyberspace Administration of Mars",  # a place the backbone does not know
        "National Data Security Technical Committee",  # another committee
        "Ministry of Public Affairs",
    ],
)
def test_fuzzy_match_keeps_places_and_bodies_apart(linker: Linker, name: str) -> None:
    found = linker.fuzzy(name)
    assert found is None or normalize(found.name_en) == normalize(name), found


def test_fuzzy_threshold_is_pinned() -> None:
    # Lowering it links bodies that are not the same; raising it loses "Cyber Administration of China".
    from kg.newsletter.link import FUZZY_THRESHOLD

    assert FUZZY_THRESHOLD == 90


def test_a_branch_is_known_by_its_place_and_its_parent_abbreviation(linker: Linker) -> None:
    mentions = linker.find("Beijing CAC and Shanghai CAC issued notices; the Supreme People’s Court agreed.")
    assert [m.entity_id for m in mentions] == ["cac-beijing", "cac-shanghai", "spc"]


def test_a_known_abbreviation_defined_with_other_words_keeps_its_body(linker: Linker) -> None:
    text = "the National Technical Committee on Cybersecurity Standardization (“TC260”) released a draft"
    learned = linker.learn(text.replace("“", '"').replace("”", '"'))
    assert linker.with_abbreviations(learned).resolve("TC260").id == "tc260"


def test_words_and_unknown_names_do_not_link(linker: Linker) -> None:
    assert linker.resolve("APPS") is None
    assert linker.resolve("RMB") is None
    assert linker.resolve("Ministry of Magic") is None


def test_draft_and_final_text_are_told_apart(linker: Linker) -> None:
    title = "Regulations on the Administration of Deep Synthesis of Internet Information Services"
    assert linker.resolve(title, draft=True).id == "deep-synthesis-provisions-draft"
    assert linker.resolve(title).id == "deep-synthesis-provisions"


def test_abbreviation_defined_in_an_issue_is_learned(linker: Linker) -> None:
    text = 'On May 2, the Lakeside Data Exchange Centre ("LDEC") opened. The LDEC said it would publish rules.'
    learned = linker.learn(text)
    assert learned == {"LDEC": "Lakeside Data Exchange Centre"}
    mentions = linker.with_abbreviations(learned).find("The LDEC met the CAC.", kinds=("authority",))
    assert [m.entity_id for m in mentions] == ["cac"]


def test_learned_name_is_the_known_tail_of_the_words_before_it(linker: Linker) -> None:
    text = 'a director of the Bureau of the Ministry of Industry and Information Technology ("MIIT") said'
    assert linker.learn(text) == {"MIIT": "Ministry of Industry and Information Technology"}


def test_find_prefers_the_longest_name(linker: Linker) -> None:
    text = "the Cybersecurity Administration Bureau of the Ministry of Industry and Information Technology said"
    mentions = linker.find(text, kinds=("authority",))
    assert len(mentions) == 1
    assert mentions[0].surface.startswith("Cybersecurity Administration Bureau")


@pytest.mark.parametrize(
    ("kind", "a", "b", "same"),
    [
        ("authority", "Hailin City Public Security Bureau", "Public Security Bureau of Hailin City", True),
        ("court", "People's Court of Bole", "Bole City People's Court", True),
        ("court", "Xiaoshan District People's Court", "Hangzhou Xiaoshan District People's Court", True),
        ("court", "Beijing Haidian District People's Court", "Beijing Chaoyang District People's Court", False),
        ("authority", "CAC", "Cyberspace Administration of China", True),
        ("authority", "CAC", "Ministry of Public Security", False),
    ],
)
def test_same_body_under_two_spellings(linker: Linker, kind: str, a: str, b: str, same: bool) -> None:
    assert linker.same(kind, a, b) is same


def test_normalize_and_slugify_are_stable() -> None:
    assert normalize("The Measures (Draft for Comments)") == "measures"
    assert slugify("People's Bank of China Shanghai Branch") == "peoples-bank-of-china-shanghai-branch"
    assert len(slugify("Word " * 40)) <= 80
    assert list(abbreviation_definitions("China (Beijing) Pilot Free Trade Zone")) == []


@pytest.mark.parametrize(
    "title",
    [
        "Measures for the Administration of Compliance Audits on Personal Information Protection",
        "Administrative Measures for Personal Information Protection Compliance Audits",
        "Measures for the Management of Personal Information Protection Compliance Audits",
    ],
)
def test_another_translation_of_a_title_names_the_same_instrument(linker: Linker, title: str) -> None:
    found = linker.resolve(title, kinds=("instrument", "law"))
    assert found is not None and found.id == "pi-compliance-audit-measures"


@pytest.mark.parametrize(
    "title",
    [
        "Data Security Measures",  # too few words to tell texts apart
        "Measures on Personal Information Protection Compliance",  # a word short: another text
        "Guidelines on Personal Information Protection Compliance Audits",  # another kind of text
    ],
)
def test_a_title_with_other_words_or_another_kind_is_not_that_instrument(linker: Linker, title: str) -> None:
    found = linker.resolve(title, kinds=("instrument", "law"))
    assert found is None or found.id != "pi-compliance-audit-measures"


def test_provisions_translated_as_regulations_name_the_same_instrument(linker: Linker) -> None:
    found = linker.resolve(
        "Regulations on Promoting and Regulating Data Cross-Border Flow", kinds=("instrument", "law")
    )
    assert found is not None and found.name_en == "Provisions on Promoting and Regulating Cross-border Data Flows"
