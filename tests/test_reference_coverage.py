"""Coverage floors of the reference backbone's standards, guidelines and local instruments.

These pin what a practitioner expects to find, so that the coverage cannot shrink unnoticed: the
national standards and the TC260 and CAC guidelines, every province-level data regulation found
(each with its jurisdiction and the body that adopted it), the CAC guidelines by edition, and the
free trade zones' outbound data lists.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest

from kg.models import Authority, Instrument, Rank, Stage
from kg.reference import ReferenceData, load_reference
from kg.resources import resource_dir

#: Province-level (and two famous city-level) data regulations: id -> (jurisdiction, adopting body).
DATA_REGULATIONS = {
    "guizhou-big-data-development-regulations": ("guizhou", "guizhou-pcsc"),
    "guizhou-big-data-security-regulations": ("guizhou", "guizhou-pcsc"),
    "guizhou-government-data-sharing-regulations": ("guizhou", "guizhou-pcsc"),
    "tianjin-big-data-regulations": ("tianjin", "tianjin-pcsc"),
    "hainan-big-data-regulations": ("hainan", "hainan-pcsc"),
    "shanxi-big-data-regulations": ("shanxi", "shanxi-pcsc"),
    "jilin-big-data-regulations": ("jilin", "jilin-pcsc"),
    "anhui-big-data-regulations": ("anhui", "anhui-pcsc"),
    "shandong-big-data-regulations": ("shandong", "shandong-pcsc"),
    "shanghai-data-regulations": ("shanghai", "shanghai-pcsc"),
    "fujian-big-data-regulations": ("fujian", "fujian-pcsc"),
    "zhejiang-public-data-regulations": ("zhejiang", "zhejiang-pc"),
    "chongqing-data-regulations": ("chongqing", "chongqing-pcsc"),
    "heilongjiang-big-data-regulations": ("heilongjiang", "heilongjiang-pcsc"),
    "liaoning-big-data-regulations": ("liaoning", "liaoning-pcsc"),
    "shaanxi-big-data-regulations": ("shaanxi", "shaanxi-pcsc"),
    "guangxi-big-data-regulations": ("guangxi", "guangxi-pcsc"),
    "sichuan-data-regulations": ("sichuan", "sichuan-pcsc"),
    "jiangxi-data-application-regulations": ("jiangxi", "jiangxi-pcsc"),
    "jiangsu-data-regulations": ("jiangsu", "jiangsu-pc"),
    "xinjiang-data-regulations": ("xinjiang", "xinjiang-pcsc"),
    "hubei-data-regulations": ("hubei", "hubei-pcsc"),
    "gansu-data-regulations": ("gansu", "gansu-pcsc"),
    "hunan-data-regulations": ("hunan", "hunan-pcsc"),
    "ningxia-data-regulations": ("ningxia", "ningxia-pcsc"),
    "shenzhen-data-regulations": ("shenzhen", "shenzhen-pcsc"),
    "xiamen-data-regulations": ("xiamen", "xiamen-pcsc"),
}

#: Each CAC guideline edition: id -> date made public.
GUIDELINE_EDITIONS = {
    "outbound-data-security-assessment-declaration-guidelines-1": dt.date(2022, 8, 31),
    "outbound-data-security-assessment-declaration-guidelines-2": dt.date(2024, 3, 22),
    "outbound-data-security-assessment-declaration-guidelines-3": dt.date(2025, 6, 27),
    "pi-outbound-standard-contract-filing-guidelines-1": dt.date(2023, 5, 30),
    "pi-outbound-standard-contract-filing-guidelines-2": dt.date(2024, 3, 22),
}

#: Free trade zone outbound data lists: id -> jurisdiction.
FTZ_LISTS = {
    "tianjin-ftz-data-export-negative-list-2024": "tianjin",
    "beijing-ftz-data-export-negative-list-2024": "beijing",
    "shanghai-ftz-data-export-negative-list-2024": "shanghai",
    "lingang-general-data-lists": "shanghai",
    "hainan-ftp-data-export-negative-list-2024": "hainan",
    "zhejiang-ftz-data-export-negative-list-2024": "zhejiang",
}

#: Hosts that wrap official texts in advertising (issue 12); never a source of these files.
SPAM_HOSTS = {"m.1887cq.com", "m.seoys.cn", "sft-tech.net", "www.sft-tech.net", "kmstixx.com", "yb983.com"}


@pytest.fixture(scope="module")
def backbone() -> ReferenceData:
    return load_reference(resource_dir("data"))


def _instruments(backbone: ReferenceData) -> list[Instrument]:
    return [e for e in backbone if isinstance(e, Instrument)]


def _from_file(backbone: ReferenceData, name: str) -> list[Instrument]:
    return [e for e in _instruments(backbone) if backbone.locations[e.id].path.name == name]


def test_at_least_forty_national_standards_and_guidelines(backbone: ReferenceData) -> None:
    standards = {e.id for e in _instruments(backbone) if e.rank is Rank.NATIONAL_STANDARD}
    guidelines = {e.id for e in _from_file(backbone, "instruments-standards.yaml")}
    assert len(standards | guidelines) >= 40
    assert len(standards) >= 25


@pytest.mark.parametrize("number", ["GB/T 39204-2022", "GB/T 45574-2025", "GB 45438-2025", "GB/T 41391-2022"])
def test_the_standards_the_issue_names_are_present_by_number(backbone: ReferenceData, number: str) -> None:
    numbers = {e.standard_number for e in _instruments(backbone)}
    assert number in numbers


def test_every_national_standard_has_its_number_and_publishers(backbone: ReferenceData) -> None:
    for entity in _from_file(backbone, "instruments-standards.yaml"):
        if entity.rank is Rank.NATIONAL_STANDARD:
            assert entity.standard_number and entity.standard_number.split()[0] in {"GB", "GB/T"}, entity.id
            assert entity.stage is Stage.REPEALED or set(entity.issuers) == {"samr", "sac"}, entity.id


@pytest.mark.parametrize(("entity_id", "published"), sorted(GUIDELINE_EDITIONS.items()))
def test_cac_guidelines_are_present_edition_by_edition(
    backbone: ReferenceData, entity_id: str, published: dt.date
) -> None:
    guideline = backbone.get(entity_id)
    assert isinstance(guideline, Instrument)
    assert guideline.promulgated == published
    assert guideline.issuers == ["cac"]


@pytest.mark.parametrize(("entity_id", "place"), sorted(DATA_REGULATIONS.items()))
def test_every_data_regulation_found_is_present_with_its_jurisdiction(
    backbone: ReferenceData, entity_id: str, place: tuple[str, str]
) -> None:
    jurisdiction, adopted_by = place
    regulation = backbone.get(entity_id)
    assert isinstance(regulation, Instrument)
    assert regulation.rank is Rank.LOCAL_REGULATION
    assert regulation.stage is not Stage.DRAFT and regulation.adopted is not None
    assert regulation.jurisdiction == jurisdiction
    assert regulation.issuers == [adopted_by]
    body = backbone.get(adopted_by)
    assert isinstance(body, Authority) and body.jurisdiction == jurisdiction


def test_data_regulations_cover_most_provinces(backbone: ReferenceData) -> None:
    provinces = {
        e.jurisdiction
        for e in _from_file(backbone, "instruments-local.yaml")
        if e.rank is Rank.LOCAL_REGULATION and e.stage is not Stage.DRAFT and e.jurisdiction
    }
    assert len(provinces) >= 25


@pytest.mark.parametrize(("entity_id", "jurisdiction"), sorted(FTZ_LISTS.items()))
def test_free_trade_zone_data_lists_are_present(backbone: ReferenceData, entity_id: str, jurisdiction: str) -> None:
    data_list = backbone.get(entity_id)
    assert isinstance(data_list, Instrument) and data_list.jurisdiction == jurisdiction


@pytest.mark.parametrize("name", ["instruments-standards.yaml", "instruments-local.yaml", "authorities-local.yaml"])
def test_every_entry_is_sourced_and_no_source_is_a_known_spam_mirror(backbone: ReferenceData, name: str) -> None:
    entries = [e for e in backbone if backbone.locations[e.id].path.name == name]
    assert entries
    for entity in entries:
        assert entity.sources, entity.id
        hosts = {urlsplit(str(url)).hostname for url in entity.sources}
        assert not hosts & SPAM_HOSTS, entity.id
