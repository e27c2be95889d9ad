"""Every backbone entry is sourced, never by a denied host, and official entries cite their publisher first.

The lists live in ``data/`` beside the entries they govern: ``source-hosts-denied.txt`` (spam-wrapped
mirrors), ``source-hosts-official.txt`` (official publishers, with the kinds of entry each must come
first for) and ``source-official-pending.txt`` (entries whose official page could not yet be found).
Every ``data/*.yaml`` file is checked, found by glob, whoever wrote it.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from kg.models import Instrument, Named, Rank
from kg.reference import load_reference
from kg.resources import resource_dir

DATA = resource_dir("data")


def _lines(name: str) -> list[list[str]]:
    text = (Path(DATA) / name).read_text(encoding="utf-8")
    return [line.split("#", 1)[0].split() for line in text.splitlines() if line.split("#", 1)[0].strip()]


DENIED = [fields[0] for fields in _lines("source-hosts-denied.txt")]
OFFICIAL = {fields[0]: set(fields[1:]) for fields in _lines("source-hosts-official.txt")}
PENDING = {fields[0] for fields in _lines("source-official-pending.txt")}


def host_matches(host: str, listed: str) -> bool:
    """Whether ``host`` is ``listed`` or one of its subdomains."""
    return host == listed or host.endswith("." + listed)


def host_of(url: object) -> str:
    """The lower-case host of a source URL."""
    return (urlsplit(str(url)).hostname or "").lower()


def official_kinds(entity: Named) -> set[str]:
    """Which official-publisher rules apply to an entry (see source-hosts-official.txt)."""
    if not isinstance(entity, Instrument):
        return set()
    lead = entity.issuers[0] if entity.issuers else None
    kinds = set()
    if entity.rank is Rank.LAW:
        kinds.add("law")
    if entity.rank is Rank.ADMINISTRATIVE_REGULATION and lead == "state-council":
        kinds.add("state-council")
    if lead == "cac":
        kinds.add("cac")
    if entity.rank is Rank.JUDICIAL_INTERPRETATION and lead == "spc":
        kinds.add("spc")
    return kinds


def first_source_is_official(entity: Named) -> bool:
    """Whether the entry's first source is on a host its rules allow."""
    kinds = official_kinds(entity)
    host = host_of(entity.sources[0]) if entity.sources else ""
    return any(host_matches(host, listed) and kinds & allowed for listed, allowed in OFFICIAL.items())


@pytest.fixture(scope="module")
def backbone():
    return load_reference(DATA)


def test_host_matching_takes_subdomains_but_not_lookalikes() -> None:
    assert host_matches("flk.npc.gov.cn", "npc.gov.cn")
    assert host_matches("big5.www.gov.cn", "www.gov.cn")
    assert not host_matches("fakenpc.gov.cn", "npc.gov.cn")
    assert not host_matches("changzhou.gov.cn", "www.gov.cn")


def test_the_lists_are_well_formed() -> None:
    assert DENIED and all("/" not in host for host in DENIED)
    kinds = {kind for allowed in OFFICIAL.values() for kind in allowed}
    assert kinds == {"law", "state-council", "cac", "spc"}
    assert not set(DENIED) & set(OFFICIAL)


def test_every_entry_has_a_source(backbone) -> None:
    assert [e.id for e in backbone if not e.sources] == []


def test_no_source_is_on_a_denied_host(backbone) -> None:
    bad = [
        (e.id, str(url)) for e in backbone for url in e.sources if any(host_matches(host_of(url), d) for d in DENIED)
    ]
    assert bad == []


def test_official_entries_cite_their_publisher_first(backbone) -> None:
    wrong = [e.id for e in backbone if official_kinds(e) and e.id not in PENDING and not first_source_is_official(e)]
    assert wrong == [], "first source must be the official publisher (or list the id in source-official-pending.txt)"


def test_pending_list_names_only_entries_still_waiting(backbone) -> None:
    by_id = {e.id: e for e in backbone}
    unknown = sorted(PENDING - set(by_id))
    resolved = sorted(i for i in PENDING & set(by_id) if first_source_is_official(by_id[i]))
    assert unknown == [] and resolved == [], f"stale entries in source-official-pending.txt: {unknown + resolved}"
