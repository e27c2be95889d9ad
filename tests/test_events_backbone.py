"""Every entity a shipped event record names is in the backbone, or marked for curation.

A curated record in ``data/events/`` names bodies, courts, laws, instruments and parties by
canonical name. Each must resolve through the backbone (as the build's linker resolves it),
unless its item lists the name under ``curation:``, which says the backbone lacks it on purpose
and the build mints a node awaiting curation for it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.events import curation_marks
from kg.newsletter.link import Linker
from kg.newsletter.records import IssueRecord, ItemRecord
from kg.reference import load_reference
from kg.resources import resource_dir
from kg.yamlio import load_yaml

EVENTS = sorted((Path(resource_dir("data")) / "events").glob("*.yaml"))


def named_entities(item: ItemRecord) -> list[tuple[str, tuple[str, ...], bool]]:
    """(name, linking kinds, draft?) of every entity an item names; names marked optional (``?``) are skipped."""
    named: list[tuple[str, tuple[str, ...], bool]] = []
    for names, kinds in (
        (item.authorities, ("authority",)),
        (item.courts, ("court",)),
        (item.laws, ("law", "instrument")),
        (item.parties, ("party",)),
    ):
        named += [(name, kinds, False) for name in names]
    for instrument in item.instruments:
        named.append((instrument.title, ("law", "instrument"), instrument.status == "draft"))
        named += [(name, ("authority",), False) for name in instrument.issuers]
        named += [(name, ("law", "instrument"), False) for name in instrument.implements]
    return [(name, kinds, draft) for name, kinds, draft in named if not name.startswith("?")]


@pytest.fixture(scope="module")
def linker() -> Linker:
    return Linker(load_reference(resource_dir("data")))


@pytest.mark.parametrize("path", EVENTS, ids=lambda p: p.name)
def test_every_named_entity_is_in_the_backbone_or_marked(path: Path, linker: Linker) -> None:
    data, _ = load_yaml(path)
    marks = curation_marks(data)
    record = IssueRecord.model_validate(data)
    missing = [
        (item.n, name)
        for item in record.items
        for name, kinds, draft in named_entities(item)
        if linker.resolve(name, kinds, draft=draft) is None and name not in marks.get(item.n, [])
    ]
    assert missing == [], f"{path.name}: names the backbone lacks; add them to data/ or list them under curation:"


@pytest.mark.parametrize("path", EVENTS, ids=lambda p: p.name)
def test_curation_marks_name_what_the_item_names(path: Path) -> None:
    data, _ = load_yaml(path)
    marks = curation_marks(data)
    record = IssueRecord.model_validate(data)
    items = {item.n: {name for name, _, _ in named_entities(item)} for item in record.items}
    stray = [(n, name) for n, names in marks.items() for name in names if name not in items.get(n, set())]
    assert stray == []


def test_curation_marks_are_taken_out_before_validation(tmp_path: Path) -> None:
    from kg.events import load_event_record

    path = tmp_path / "x.yaml"
    path.write_text(
        "newsletter: x.txt\nitems:\n- n: 1\n  headline: h\n  curation: [Some Court]\n  courts: [Some Court]\n"
    )
    assert load_event_record(path).items[0].courts == ["Some Court"]
