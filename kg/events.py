"""Issue records to graph nodes: news items, cases, penalties, parties, and new entities.

One :class:`kg.newsletter.records.IssueRecord` becomes the nodes of one named graph. Names
are linked to the backbone; a body, court, instrument or company the backbone
does not know gets a node with a deterministic id (from its canonical name),
flagged ``dlk:awaitingCuration`` and listed in :attr:`IssueNodes.new_entities`.
Every extracted node points back to the news item it was read from.

Example:
    >>> issue_id_for("000_8874ccff001c940d.txt")
    '000-8874ccff001c940d'

"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph

from kg.laws import article_citation
from kg.mapping import IriIndex, slots, to_graph, to_ntriples
from kg.models import (
    Authority,
    AuthorityType,
    Case,
    Court,
    CourtCase,
    EnforcementAction,
    Instrument,
    ItemKind,
    Named,
    NewsItem,
    NewsletterIssue,
    Node,
    Party,
    PartyKind,
    Penalty,
    PenaltyType,
    Sector,
    Stage,
    Unit,
)
from kg.namespaces import bind_prefixes
from kg.newsletter.link import CJK, Linker, slugify
from kg.newsletter.records import IssueRecord, ItemRecord, load_issue_record


def issue_id_for(newsletter: str) -> str:
    """The stable id of an issue, from its file name."""
    return slugify(Path(newsletter).stem)


def issue_graph_name(issue_id: str) -> str:
    """The name (below ``<base>graph/``) of an issue's named graph."""
    return f"issue/{issue_id}"


#: Key of an item's list of the names it uses that the backbone lacks on purpose (curated event files only).
CURATION_KEY = "curation"


def curation_marks(data: dict[str, Any]) -> dict[int, list[str]]:
    """Take the ``curation`` lists out of a raw curated event record, by item number.

    A curated record in ``data/events/`` may mark, per item, the names it uses that the
    backbone does not know yet (``curation: [name, …]``); such a name still becomes a node
    awaiting curation. The marks are not part of the record format, so they are removed here
    before the record is validated.

    >>> curation_marks({"items": [{"n": 1, "curation": ["Some Court"]}, {"n": 2}]})
    {1: ['Some Court']}
    """
    marks: dict[int, list[str]] = {}
    for item in data.get("items") or []:
        if isinstance(item, dict) and CURATION_KEY in item:
            marks[item.get("n", -1)] = list(item.pop(CURATION_KEY) or [])
    return marks


def load_event_record(path: Path) -> IssueRecord:
    """Read a curated event file (the record format, plus optional per-item ``curation`` marks)."""
    return load_issue_record(path, _drop_curation_marks)


def _drop_curation_marks(data: dict[str, Any]) -> None:
    curation_marks(data)


#: The name (below ``<base>graph/``) of the graph describing the entities minted from the news.
CURATION_GRAPH = "curation"
#: Which items reported an entity (dlk:reportedIn and the prov:wasDerivedFrom beside it) stays in each issue's graph.
_REPORTED_IN = tuple(f" <{predicate}> " for predicate in slots(Named)["reported_in"].predicates)


@dataclass
class IssueNodes:
    """The nodes of one issue, ready to map into its named graph."""

    issue_id: str
    nodes: list[Node] = field(default_factory=list)
    new_entities: list[Named] = field(default_factory=list)

    def graph(self, backbone_index: IriIndex) -> Graph:
        """The issue's triples (its nodes only; backbone nodes stay in the reference graph).

        ``backbone_index`` places the backbone's ids (``kg.rdf.index_for``); the issue's
        own nodes are placed on top of it.
        """
        return to_graph(
            self.nodes, backbone_index.extended(self.nodes), bind_prefixes(Graph(), backbone_index.base_iri)
        )

    def statements(self, backbone_index: IriIndex) -> tuple[list[str], list[str]]:
        """The issue's triples as N-Triples statements, in two parts: its own graph's, and the curation graph's.

        An entity minted from the news may be named by many issues. Its description (types,
        names, flags) goes to the one curation graph, so the union of all graphs states it
        once: Oxigraph's union default graph repeats a triple once for every graph holding it,
        which multiplied joins and sums. Which items reported it stays in each issue's graph.
        """
        index = backbone_index.extended(self.nodes)
        minted = {entity.id for entity in self.new_entities}
        own: list[str] = []
        curation: list[str] = []
        for node in self.nodes:
            for statement in to_ntriples(node, index):
                shared = node.id in minted and not any(p in statement for p in _REPORTED_IN)
                (curation if shared else own).append(statement)
        return own, curation


_AUTHORITY_TYPES = (
    (re.compile(r"Procuratorate"), AuthorityType.PROCURATORATE),
    (re.compile(r"Public Security|Police"), AuthorityType.PUBLIC_SECURITY),
    (re.compile(r"Congress"), AuthorityType.LEGISLATURE),
    (re.compile(r"Government|State Council"), AuthorityType.GOVERNMENT),
    (re.compile(r"Standardi[sz]ation|Standards"), AuthorityType.STANDARDS_BODY),
    (re.compile(r"Communist Party|CPC|CCP"), AuthorityType.PARTY_BODY),
)
_STAGES = {"planned": Stage.PLANNED, "draft": Stage.DRAFT, "adopted": Stage.ADOPTED, "issued": Stage.ISSUED}


def authority_type_of(name: str) -> AuthorityType:
    """The kind of a body not in the backbone, read from its name (a regulator unless the name says otherwise)."""
    for pattern, kind in _AUTHORITY_TYPES:
        if pattern.search(name):
            return kind
    return AuthorityType.REGULATOR


def _split_date(value: str | None) -> tuple[dt.date | None, str | None]:
    if not value:
        return None, None
    if len(value) == 10:
        return dt.date.fromisoformat(value), None
    return None, value


class _Collector:
    """Accumulates one issue's nodes, merging repeats of the same minted entity."""

    def __init__(self, issue_id: str, linker: Linker) -> None:
        self.issue_id = issue_id
        self.linker = linker
        self.nodes: dict[str, Node] = {}
        self.minted: set[str] = set()

    def add(self, node: Node) -> str:
        existing = self.nodes.get(node.id)
        if existing is not None and isinstance(existing, Named) and isinstance(node, Named):
            merged = sorted({*existing.reported_in, *node.reported_in})
            node = existing.model_copy(update={"reported_in": merged})
        self.nodes[node.id] = node
        return node.id

    def _mint_id(self, name: str, model: type[Named]) -> str:
        """A new entity's id: its name's slug, distinct from the backbone's ids and from other classes.

        A body and a rule can share a name; in one issue they get two ids.
        """
        slug = slugify(name)
        if slug in self.linker.entities:
            slug = f"{slug}-new"
        existing = self.nodes.get(slug)
        if existing is not None and type(existing) is not model:
            slug = f"{slug}-{model.__name__.lower()}"
        return slug

    def entity(self, name: str, kind: str, item_id: str, *, draft: bool = False) -> str:
        """The id of the entity ``name`` names: the backbone's, or a new node's."""
        kinds = ("law", "instrument") if kind in ("law", "instrument") else (kind,)
        known = self.linker.resolve(name, kinds, draft=draft)
        if known is not None:
            return known.id
        models: dict[str, type[Named]] = {"authority": Authority, "court": Court, "party": Party}
        model = models.get(kind, Instrument)
        node_id = self._mint_id(name, model)
        common: dict[str, object] = {
            "id": node_id,
            "name_en": name,
            "awaiting_curation": True,
            "reported_in": [item_id],
        }
        if re.search(f"[{CJK}]", name):
            common["name_zh"] = name  # named in Chinese: its Chinese name, until a curator gives its English one
        node: Named
        if model is Authority:
            node = Authority(type=authority_type_of(name), **common)
        elif model is Court:
            node = Court(internet_court="Internet Court" in name, **common)
        elif model is Party:
            node = Party(kind=PartyKind.COMPANY, **common)
        else:
            node = Instrument(**common)
        self.minted.add(node_id)
        return self.add(node)

    def cited(self, name: str, item_id: str, on: dt.date | None) -> tuple[str, str]:
        """What a case citing ``name`` cites, and the law it names (for ``schema:mentions``).

        The article when the name names one (``PIPL Article 38``) whose text the backbone holds,
        else the law.
        """
        citation = article_citation(name)
        if citation is None:
            law = self.entity(name, "law", item_id)
            return law, law
        law = self.entity(citation[0], "law", item_id)
        return self.linker.backbone.article_for(law, citation[1], on) or law, law


def records_to_nodes(record: IssueRecord, linker: Linker) -> IssueNodes:
    """All nodes of one issue's records, linked to the backbone where the names are known."""
    issue_id = issue_id_for(record.newsletter)
    collect = _Collector(issue_id, linker)
    collect.add(
        NewsletterIssue(id=issue_id, title=record.newsletter, issued=record.issue_date, source_file=record.newsletter)
    )
    for item in record.items:
        _item_nodes(item, collect)
    nodes = list(collect.nodes.values())
    new = [n for n in nodes if isinstance(n, Named) and n.id in collect.minted]
    return IssueNodes(issue_id, nodes, new)


def _item_nodes(item: ItemRecord, collect: _Collector) -> None:
    item_id = f"item-{collect.issue_id}-{item.n}"
    day, month = _split_date(item.date)
    entity_of = collect.entity
    authorities = [
        entity_of(name.lstrip("?"), "authority", item_id) for name in item.authorities if not name.startswith("?")
    ]
    courts = [entity_of(name, "court", item_id) for name in item.courts if not name.startswith("?")]
    citations = [collect.cited(name, item_id, day) for name in [*item.laws, *item.articles] if not name.startswith("?")]
    laws = list(dict.fromkeys(law for _, law in citations))
    parties = [entity_of(name, "party", item_id) for name in item.parties if not name.startswith("?")]
    instruments = [_instrument(item, position, collect, item_id) for position in range(len(item.instruments))]
    # Instruments named in passing are linked when the backbone knows them; they mint nothing.
    in_passing = [e.id for name in item.mentions if (e := collect.linker.resolve(name, ("law", "instrument")))]
    mentioned = list(dict.fromkeys([*authorities, *courts, *laws, *parties, *instruments, *in_passing]))

    collect.add(
        NewsItem(
            id=item_id,
            issue=collect.issue_id,
            footnote=item.n,
            headline=item.headline,
            section=item.section,
            kind=ItemKind(item.kind) if item.kind else None,
            date=day,
            month=month,
            source=item.source,
            mentions=mentioned,
        )
    )
    if item.kind not in ("enforcement", "litigation"):
        return
    case_id = f"{collect.issue_id}-{item.n}"
    penalties = []
    for number, penalty in enumerate(item.penalties, 1):
        penalty_id = f"{case_id}-penalty-{number}"
        collect.add(
            Penalty(
                id=penalty_id,
                case=case_id,
                number=number,
                type=PenaltyType(penalty.type),
                amount=penalty.amount,
                unit=Unit(penalty.unit) if penalty.unit else None,
                claimed=True if penalty.claimed else None,
            )
        )
        penalties.append(penalty_id)
    common = {
        "id": case_id,
        "title": item.headline,
        "date": day,
        "month": month,
        "authorities": authorities,
        "cites": list(dict.fromkeys(cited for cited, _ in citations)),
        "parties": parties,
        "penalties": penalties,
        "reported_in": [item_id],
        "sector": Sector(item.sector) if item.sector else None,
    }
    case: Case = CourtCase(courts=courts, **common) if item.kind == "litigation" else EnforcementAction(**common)
    collect.add(case)


def _instrument(item: ItemRecord, position: int, collect: _Collector, item_id: str) -> str:
    reported = item.instruments[position]
    node_id = collect.entity(reported.title, "instrument", item_id, draft=reported.status == "draft")
    if node_id not in collect.minted:
        return node_id
    draft_day, _ = _split_date(item.date) if reported.status == "draft" else (None, None)
    adopted_day, _ = _split_date(item.date) if reported.status in ("adopted", "issued") else (None, None)
    effective, _ = _split_date(reported.effective)
    jurisdiction = collect.linker.resolve(reported.jurisdiction or "", ("jurisdiction",))
    issuers = [collect.entity(name, "authority", item_id) for name in reported.issuers if not name.startswith("?")]
    based_on = [law.id for name in reported.implements if (law := collect.linker.resolve(name, ("law", "instrument")))]
    citation = article_citation(reported.implements_article) if reported.implements_article else None
    law = collect.linker.resolve(citation[0], ("law", "instrument")) if citation else None
    if citation and law:
        # The article too, when its text is known: "made under" CSL Article 37 is finer than under the CSL.
        article = collect.linker.backbone.article_for(law.id, citation[1], draft_day or adopted_day)
        based_on += [law.id, article] if article else [law.id]
    existing = collect.nodes[node_id]
    if not isinstance(existing, Instrument):  # minted ids are distinct per class (_mint_id): not reached
        return node_id
    if effective and (adopted_day or draft_day) and effective < (adopted_day or draft_day):  # type: ignore[operator]
        effective = None
    adopted = adopted_day or existing.adopted
    effective = effective or existing.effective
    # Two items may tell of one new instrument at different stages; an effective date before its
    # adoption belongs to another text (an earlier draft's plan, a misread date): keep the adoption.
    if effective and adopted and effective < adopted:
        effective = None
    updated = existing.model_copy(
        update={
            "stage": _STAGES.get(reported.status or "", existing.stage),
            "jurisdiction": jurisdiction.id if jurisdiction else existing.jurisdiction,
            "issuers": list(dict.fromkeys([*existing.issuers, *issuers])),
            "based_on": list(dict.fromkeys([*existing.based_on, *based_on])),
            "adopted": adopted,
            "draft_published": draft_day or existing.draft_published,
            "effective": effective,
        }
    )
    collect.nodes[node_id] = Instrument.model_validate(updated.model_dump())
    return node_id
