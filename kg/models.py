"""Typed entities of the graph, each with its RDF mapping declared beside it.

Every model names its RDF class(es) in ``rdf_types`` and the IRI segment it lives
under; every mapped field carries a :class:`Slot` naming its predicate. The one
generic function :func:`kg.mapping.to_triples` turns any of these models into
triples, so no module assembles triples by hand.

Controlled values (rank, stage, level, penalty type, unit, item kind) are
``str`` enums whose ``concept`` is the SKOS concept in the ontology.

Example:
    >>> Stage("draft").concept
    rdflib.term.URIRef('https://w3id.org/datalaw-kg/ontology#StageDraft')

"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, ClassVar

from pydantic import AnyUrl, BaseModel, ConfigDict, Field, field_validator, model_validator
from rdflib.namespace import DCTERMS, FOAF, PROV, SKOS, XSD
from rdflib.term import URIRef

from kg.namespaces import BIBO, DLK, DPV, ELI, ELI_DL, ORG, SCHEMA

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_SLUG = re.compile(SLUG_PATTERN)


@dataclass(frozen=True)
class Slot:
    """How one model field maps to RDF.

    ``predicate`` is the property; ``lang`` tags string literals; ``ref`` names
    the model classes whose ids the field holds (resolved to their IRIs);
    ``datatype`` types a string literal (e.g. ``xsd:gYearMonth``); ``also`` names the
    standard properties ``predicate`` specialises (``rdfs:subPropertyOf`` in the ontology),
    stated beside it so that queries in those vocabularies answer without inference.
    ``names``, on a ``ref`` field, is a property under which the node also states the English
    name of each node the field refers to: an answer asked for often (the acting body's name on
    a case), kept on the node itself so that lists of such nodes need no join at query time. It
    is written with the node, so build and ingest keep it right, and a shape checks it.
    """

    predicate: URIRef
    lang: str | None = None
    ref: tuple[str, ...] = ()
    datatype: URIRef | None = None
    also: tuple[URIRef, ...] = ()
    names: URIRef | None = None

    @property
    def predicates(self) -> tuple[URIRef, ...]:
        """The property and the standard properties it specialises, each stated."""
        return (self.predicate, *self.also)

    @property
    def is_ref(self) -> bool:
        """True when the field holds ids of other nodes, of the model classes named in ``ref``."""
        return bool(self.ref)


# Concept enums ---------------------------------------------------------------

_CONCEPT_PREFIX = {
    "Rank": "Rank",
    "Stage": "Stage",
    "AdministrativeLevel": "Level",
    "CourtLevel": "CourtLevel",
    "PenaltyType": "Penalty",
    "Unit": "Unit",
    "ItemKind": "Kind",
    "Sector": "Sector",
}


def _camel(value: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in value.split("-"))


class ConceptEnum(StrEnum):
    """A controlled value that maps to a SKOS concept of the ontology."""

    @property
    def concept(self) -> URIRef:
        """The SKOS concept this value stands for."""
        return DLK[_CONCEPT_PREFIX[type(self).__name__] + _camel(self.value)]


class Rank(ConceptEnum):
    """Rank of a legal instrument in the Chinese hierarchy (Legislation Law)."""

    LAW = "law"
    ADMINISTRATIVE_REGULATION = "administrative-regulation"
    DEPARTMENTAL_RULE = "departmental-rule"
    LOCAL_REGULATION = "local-regulation"
    LOCAL_GOVERNMENT_RULE = "local-government-rule"
    JUDICIAL_INTERPRETATION = "judicial-interpretation"
    NORMATIVE_DOCUMENT = "normative-document"
    NATIONAL_STANDARD = "national-standard"
    POLICY_DOCUMENT = "policy-document"


class Stage(ConceptEnum):
    """Stage of an instrument's life."""

    PLANNED = "planned"
    DRAFT = "draft"
    ADOPTED = "adopted"
    ISSUED = "issued"
    IN_FORCE = "in-force"
    AMENDED = "amended"
    REPEALED = "repealed"


class AdministrativeLevel(ConceptEnum):
    """Level of government at which a body or jurisdiction sits."""

    NATIONAL = "national"
    PROVINCIAL = "provincial"
    MUNICIPAL = "municipal"
    COUNTY = "county"


class CourtLevel(ConceptEnum):
    """Level of a people's court."""

    SUPREME = "supreme"
    HIGH = "high"
    INTERMEDIATE = "intermediate"
    BASIC = "basic"


class PenaltyType(ConceptEnum):
    """Kind of penalty or award."""

    FINE = "fine"
    CONFISCATION = "confiscation"
    DETENTION = "detention"
    IMPRISONMENT = "imprisonment"
    DAMAGES = "damages"


class Unit(ConceptEnum):
    """Unit of a penalty amount: a currency or a span of time."""

    CNY = "CNY"
    USD = "USD"
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class ItemKind(ConceptEnum):
    """What a news item reports."""

    LEGISLATION = "legislation"
    ENFORCEMENT = "enforcement"
    LITIGATION = "litigation"
    POLICY = "policy"


class Sector(ConceptEnum):
    """Economic sector of the business a case is about."""

    FINANCE = "finance"
    INTERNET = "internet"
    TELECOM = "telecom"
    HEALTHCARE = "healthcare"
    TRANSPORT = "transport"
    AUTOMOTIVE = "automotive"
    RETAIL = "retail"
    EDUCATION = "education"
    PUBLIC = "public"


class AuthorityType(StrEnum):
    """Kind of authority; each maps to a subclass of ``dlk:Authority``."""

    LEGISLATURE = "legislature"
    GOVERNMENT = "government"
    REGULATOR = "regulator"
    PROCURATORATE = "procuratorate"
    PUBLIC_SECURITY = "public-security"
    STANDARDS_BODY = "standards-body"
    PARTY_BODY = "party-body"

    @property
    def rdf_class(self) -> URIRef:
        """The ontology class of authorities of this kind."""
        return _AUTHORITY_CLASS[self]


_AUTHORITY_CLASS = {
    AuthorityType.LEGISLATURE: DLK.Legislature,
    AuthorityType.GOVERNMENT: DLK.GovernmentBody,
    AuthorityType.REGULATOR: DLK.Regulator,
    AuthorityType.PROCURATORATE: DLK.Procuratorate,
    AuthorityType.PUBLIC_SECURITY: DLK.PublicSecurityOrgan,
    AuthorityType.STANDARDS_BODY: DLK.StandardsBody,
    AuthorityType.PARTY_BODY: DLK.PartyBody,
}


class PartyKind(StrEnum):
    """Kind of party named in a case."""

    COMPANY = "company"
    APP = "app"
    PERSON = "person"


_PARTY_CLASS = {
    PartyKind.COMPANY: (DLK.Company, SCHEMA.Organization),
    PartyKind.APP: (DLK.App, SCHEMA.SoftwareApplication),
    PartyKind.PERSON: (DLK.Person, SCHEMA.Person),
}

# Base models -----------------------------------------------------------------


class Node(BaseModel):
    """Anything that becomes one IRI-identified node in the graph."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)

    #: The node's classes: ours first, then every standard class it specialises (``rdfs:subClassOf``
    #: in the ontology, transitively), written into the data so ELI, DPV, PROV, FOAF, BIBO and
    #: schema.org queries answer on a store without inference (tests/test_ontology.py checks both).
    rdf_types: ClassVar[tuple[URIRef, ...]] = ()
    iri_segment: ClassVar[str] = ""
    #: Values computed from other fields (method name -> slot), mapped like fields.
    derived_slots: ClassVar[dict[str, Slot]] = {}

    id: Annotated[str, Slot(DCTERMS.identifier)]

    def types(self) -> tuple[URIRef, ...]:
        """The RDF classes of this node (some models add one by their data)."""
        return self.rdf_types

    def local_path(self, paths: dict[str, str]) -> str:
        """This node's IRI path below the base; ``paths`` maps ids of already placed nodes to theirs."""
        return f"{self.iri_segment}/{self.id}"


class Named(Node):
    """A curated or extracted entity with names in English and Chinese."""

    name_en: Annotated[str, Slot(SKOS.prefLabel, lang="en"), Field(min_length=1)]
    name_zh: Annotated[str | None, Slot(SKOS.prefLabel, lang="zh")] = None
    abbreviations: Annotated[list[str], Slot(DLK.abbreviation, also=(SKOS.altLabel,))] = []
    alt_names_en: Annotated[list[str], Slot(SKOS.altLabel, lang="en")] = []
    alt_names_zh: Annotated[list[str], Slot(SKOS.altLabel, lang="zh")] = []
    sources: Annotated[list[AnyUrl], Slot(DCTERMS.source)] = []
    note: Annotated[str | None, Slot(SKOS.scopeNote, lang="en")] = None
    awaiting_curation: Annotated[bool | None, Slot(DLK.awaitingCuration)] = None
    reported_in: Annotated[list[str], Slot(DLK.reportedIn, ref=("NewsItem",), also=(PROV.wasDerivedFrom,))] = []

    @field_validator("id")
    @classmethod
    def _id_is_slug(cls, value: str) -> str:
        if not _SLUG.match(value):
            raise ValueError(f"id {value!r} must be lower-case words joined by '-' (pattern {SLUG_PATTERN})")
        return value

    @field_validator("name_zh")
    @classmethod
    def _zh_has_han(cls, value: str | None) -> str | None:
        if value is not None and not re.search(r"[\u4e00-\u9fff]", value):
            raise ValueError(f"name_zh {value!r} has no Chinese characters")
        return value

    def labels(self) -> list[str]:
        """Every name this entity is known by: names, abbreviations, alternative titles."""
        names = [self.name_en, *self.abbreviations, *self.alt_names_en, *self.alt_names_zh]
        if self.name_zh:
            names.append(self.name_zh)
        return names


# Reference entities -----------------------------------------------------------


class Jurisdiction(Named):
    """China, a province-level unit, or a city or district within one."""

    rdf_types = (DLK.Jurisdiction, DPV.Location)
    iri_segment = "jurisdiction"

    level: Annotated[AdministrativeLevel, Slot(DLK.administrativeLevel)]
    within: Annotated[str | None, Slot(DLK.withinJurisdiction, ref=("Jurisdiction",))] = None


class Authority(Named):
    """A legislature, government, regulator, procuratorate, police or standards body."""

    rdf_types = (DLK.Authority, DPV.Authority, FOAF.Organization, ELI.Agent)
    iri_segment = "authority"

    type: AuthorityType
    level: Annotated[AdministrativeLevel | None, Slot(DLK.administrativeLevel)] = None
    parent: Annotated[str | None, Slot(DLK.parentBody, ref=("Authority",), also=(ORG.subOrganizationOf,))] = None
    jurisdiction: Annotated[str | None, Slot(DPV.hasJurisdiction, ref=("Jurisdiction",))] = None

    def types(self) -> tuple[URIRef, ...]:
        """``dlk:Authority`` and its standard classes, and the subclass for its kind."""
        return (*self.rdf_types, self.type.rdf_class)


class Court(Named):
    """A people's court (or an internet court)."""

    rdf_types = (DLK.Court, FOAF.Organization, ELI.Agent)
    iri_segment = "court"

    level: Annotated[CourtLevel | None, Slot(DLK.courtLevel)] = None
    internet_court: bool = False
    superior: Annotated[str | None, Slot(DLK.superiorCourt, ref=("Court",))] = None
    jurisdiction: Annotated[str | None, Slot(DPV.hasJurisdiction, ref=("Jurisdiction",))] = None

    def types(self) -> tuple[URIRef, ...]:
        """``dlk:Court`` and its standard classes, plus ``dlk:InternetCourt`` for the internet courts."""
        return (*self.rdf_types, DLK.InternetCourt) if self.internet_court else self.rdf_types


_IN_FORCE = {
    Stage.IN_FORCE: ELI["InForce-inForce"],
    Stage.AMENDED: ELI["InForce-inForce"],
    Stage.REPEALED: ELI["InForce-notInForce"],
}


class VersionEntry(BaseModel):
    """One later text of an instrument, as a reference entry lists it under ``versions:``.

    ``adopted`` is the date of the meeting or decision that adopted the amendment or
    revision (it names the version: ``…/law/csl/version/2025-10-28``), ``promulgated`` the
    date it was promulgated or published, ``effective`` the date the amended text took effect.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    adopted: dt.date
    promulgated: dt.date | None = None
    effective: dt.date | None = None
    sources: list[AnyUrl] = []
    note: str | None = None

    @model_validator(mode="after")
    def _dates_in_order(self) -> VersionEntry:
        if self.promulgated and self.promulgated < self.adopted:
            raise ValueError(f"promulgated {self.promulgated} is before adoption {self.adopted}")
        if self.effective and self.effective < self.adopted:
            raise ValueError(f"effective date {self.effective} is before adoption {self.adopted}")
        return self


def _versions_and_amended(data: dict[str, Any]) -> dict[str, Any]:
    """``amended`` (dates) and ``versions`` (entries) say the same thing: fill the one left out from the other."""
    amended, versions = data.get("amended"), data.get("versions")
    if versions and not amended and isinstance(versions, list):
        dates = [
            v.adopted if isinstance(v, VersionEntry) else v.get("adopted") if isinstance(v, dict) else v
            for v in versions
        ]
        return {**data, "amended": dates}
    if amended and not versions and isinstance(amended, list):
        return {**data, "versions": [{"adopted": day} for day in amended]}
    return data


class Instrument(Named):
    """A statute, regulation, rule, standard, plan or other legal instrument.

    One node stands for one instrument across its stages and translations. A
    separately published draft text may be its own node, linked to the final text
    by ``final_version``. An amended instrument lists its later texts in ``versions``
    (each becomes a :class:`Version` node, see :meth:`version_nodes`); the older
    ``amended: [dates]`` still loads, as versions with only their adoption date.

    Example:
        >>> csl = Instrument(id="csl", name_en="Cybersecurity Law", rank="law", adopted="2016-11-07",
        ...                  effective="2017-06-01", amended=["2025-10-28"])
        >>> [v.id for v in csl.version_nodes()]
        ['csl-version-2016-11-07', 'csl-version-2025-10-28']

    """

    rdf_types = (DLK.LegalInstrument, ELI.LegalResource)
    derived_slots = {"in_force": Slot(ELI.in_force)}

    rank: Annotated[Rank | None, Slot(DLK.legalRank)] = None
    stage: Annotated[Stage | None, Slot(DLK.stage)] = None
    issuers: Annotated[list[str], Slot(ELI.passed_by, ref=("Authority", "Court"))] = []
    jurisdiction: Annotated[str | None, Slot(DPV.hasJurisdiction, ref=("Jurisdiction",))] = None
    adopted: Annotated[dt.date | None, Slot(ELI.date_document)] = None
    promulgated: Annotated[dt.date | None, Slot(ELI.date_publication)] = None
    effective: Annotated[dt.date | None, Slot(ELI.first_date_entry_in_force)] = None
    draft_published: Annotated[dt.date | None, Slot(DLK.dateDraft)] = None
    amended: Annotated[list[dt.date], Slot(DLK.dateAmended)] = []
    versions: list[VersionEntry] = []
    repealed: Annotated[dt.date | None, Slot(ELI.date_no_longer_in_force)] = None
    based_on: Annotated[list[str], Slot(ELI.based_on, ref=("Instrument", "Article"))] = []
    final_version: Annotated[str | None, Slot(DLK.finalVersion, ref=("Instrument",))] = None
    standard_number: Annotated[str | None, Slot(ELI.id_local)] = None

    @property
    def iri_segment(self) -> str:  # type: ignore[override]
        """Statutes live under ``law/``, every other instrument under ``instrument/``."""
        return "law" if self.rank is Rank.LAW else "instrument"

    def types(self) -> tuple[URIRef, ...]:
        """``dlk:LegalInstrument`` (an ``eli:LegalResource``); a separate draft text is also a ``dlk:Draft``."""
        if self.final_version is not None:
            return (*self.rdf_types, DLK.Draft, ELI_DL.DraftLegislationWork)
        return self.rdf_types

    def in_force(self) -> URIRef | None:
        """The ELI in-force status implied by the stage, if it implies one."""
        return _IN_FORCE.get(self.stage) if self.stage else None

    @model_validator(mode="before")
    @classmethod
    def _fill_versions(cls, data: object) -> object:
        return _versions_and_amended(data) if isinstance(data, dict) else data

    @model_validator(mode="after")
    def _dates_in_order(self) -> Instrument:
        if self.adopted and self.effective and self.effective < self.adopted:
            raise ValueError(f"effective date {self.effective} is before adoption {self.adopted}")
        if self.adopted and self.promulgated and self.promulgated < self.adopted:
            raise ValueError(f"promulgated {self.promulgated} is before adoption {self.adopted}")
        if self.final_version == self.id:
            raise ValueError("an instrument cannot be its own final version")
        days = [v.adopted for v in self.versions]
        if sorted(set(self.amended)) != sorted(days) or len(set(days)) != len(days):
            raise ValueError(
                f"amended {[d.isoformat() for d in self.amended]} and the adoption dates of versions"
                f" {[d.isoformat() for d in days]} differ: list each amendment once, under versions"
            )
        if days != sorted(days):
            raise ValueError("versions must be listed oldest first")
        first = self.adopted or self.promulgated
        if first and days and days[0] <= first:
            raise ValueError(f"version of {days[0]} is not later than the original text ({first})")
        return self

    def version_nodes(self) -> list[Version]:
        """One :class:`Version` per text: the original (when its date is known) and each later version.

        The original text's version carries the instrument's own dates; each version after the
        first consolidates the one before it.
        """
        if not self.versions:
            return []
        nodes: list[Version] = []
        first = self.adopted or self.promulgated
        if first is not None:
            nodes.append(
                Version(
                    id=f"{self.id}-version-{first.isoformat()}",
                    of=self.id,
                    day=first,
                    label=f"{self.name_en}, original text of {first.isoformat()}",
                    adopted=self.adopted,
                    promulgated=self.promulgated,
                    effective=self.effective,
                )
            )
        for entry in self.versions:
            nodes.append(
                Version(
                    id=f"{self.id}-version-{entry.adopted.isoformat()}",
                    of=self.id,
                    day=entry.adopted,
                    label=f"{self.name_en}, as amended on {entry.adopted.isoformat()}",
                    adopted=entry.adopted,
                    promulgated=entry.promulgated,
                    effective=entry.effective,
                    consolidates=nodes[-1].id if nodes else None,
                    sources=entry.sources,
                    note=entry.note,
                )
            )
        return nodes


class Version(Node):
    """One dated text of an amended instrument (``…/law/csl/version/2025-10-28``), made by :meth:`Instrument.version_nodes`."""

    #: eli:LegalResource stated too (dlk:Version is its subclass): ELI queries find versions without inference.
    rdf_types = (DLK.Version, ELI.LegalResource)

    of: Annotated[str, Slot(ELI.is_member_of, ref=("Instrument",))]
    day: dt.date
    label: Annotated[str, Slot(SKOS.prefLabel, lang="en")]
    adopted: Annotated[dt.date | None, Slot(ELI.date_document)] = None
    promulgated: Annotated[dt.date | None, Slot(ELI.date_publication)] = None
    effective: Annotated[dt.date | None, Slot(ELI.first_date_entry_in_force)] = None
    consolidates: Annotated[str | None, Slot(ELI.consolidates, ref=("Version",))] = None
    sources: Annotated[list[AnyUrl], Slot(DCTERMS.source)] = []
    note: Annotated[str | None, Slot(SKOS.scopeNote, lang="en")] = None

    def local_path(self, paths: dict[str, str]) -> str:
        """Below the instrument it is a version of, named by its date."""
        return f"{paths[self.of]}/version/{self.day.isoformat()}"


class Article(Node):
    """One numbered article of a statute or other instrument (``…/law/pipl/article/38``).

    Its heading (第三十八条) and text are the official Chinese ones, read at build time
    (:mod:`kg.laws`); ``text_version`` names the version of an amended instrument the text is of.
    """

    rdf_types = (DLK.Article, ELI.LegalResourceSubdivision)

    part_of: Annotated[str, Slot(ELI.is_part_of, ref=("Instrument",))]
    number: Annotated[int, Slot(DLK.articleNumber), Field(gt=0)]
    title: Annotated[str | None, Slot(ELI.title, lang="zh")] = None
    text: Annotated[str | None, Slot(DLK.text, lang="zh")] = None
    chapter: Annotated[int | None, Slot(DLK.chapterNumber), Field(gt=0)] = None
    chapter_title: Annotated[str | None, Slot(DLK.chapterTitle, lang="zh")] = None
    text_version: Annotated[str | None, Slot(DLK.textVersion, ref=("Version",))] = None

    def local_path(self, paths: dict[str, str]) -> str:
        """Below the instrument it belongs to."""
        return f"{paths[self.part_of]}/article/{self.number}"


# Events and provenance -------------------------------------------------------


class NewsletterIssue(Node):
    """One issue of a newsletter: the unit of ingestion and of named graphs."""

    rdf_types = (DLK.NewsletterIssue, SCHEMA.PublicationIssue, PROV.Entity)
    iri_segment = "issue"

    title: Annotated[str | None, Slot(DCTERMS.title)] = None
    issued: Annotated[dt.date | None, Slot(DCTERMS.issued)] = None
    source_file: Annotated[str | None, Slot(DCTERMS.source)] = None


class NewsItem(Node):
    """One item of an issue: headline, paragraph, footnote and source."""

    rdf_types = (DLK.NewsItem, SCHEMA.NewsArticle, PROV.Entity)

    issue: Annotated[str, Slot(DCTERMS.isPartOf, ref=("NewsletterIssue",))]
    footnote: Annotated[int, Slot(DLK.footnote)]
    headline: Annotated[str, Slot(SCHEMA.headline, lang="en")]
    section: Annotated[str | None, Slot(DLK.section)] = None
    kind: Annotated[ItemKind | None, Slot(DLK.itemKind)] = None
    date: Annotated[dt.date | None, Slot(DCTERMS.date)] = None
    month: Annotated[str | None, Slot(DCTERMS.date, datatype=XSD.gYearMonth), Field(pattern=r"^\d{4}-\d{2}$")] = None
    source: Annotated[AnyUrl | None, Slot(DCTERMS.source)] = None
    mentions: Annotated[
        list[str], Slot(SCHEMA.mentions, ref=("Authority", "Court", "Instrument", "Party", "Jurisdiction"))
    ] = []

    def local_path(self, paths: dict[str, str]) -> str:
        """Below its issue: ``item/<issue>/<footnote>``."""
        return f"item/{self.issue}/{self.footnote}"


class Party(Named):
    """A company, app or person named as a party in a case."""

    rdf_types = (DLK.Party, PROV.Agent)
    iri_segment = "party"

    kind: PartyKind = PartyKind.COMPANY

    def types(self) -> tuple[URIRef, ...]:
        """``dlk:Party`` (a ``prov:Agent``), and the subclass for its kind with its standard class."""
        return (*self.rdf_types, *_PARTY_CLASS[self.kind])


class Penalty(Node):
    """A penalty imposed or an award made: type, amount and unit."""

    rdf_types = (DLK.Penalty, SCHEMA.StructuredValue)

    case: str
    number: Annotated[int, Field(gt=0)]
    type: Annotated[PenaltyType, Slot(DLK.penaltyType)]
    amount: Annotated[Decimal | None, Slot(SCHEMA.value), Field(gt=0)] = None
    unit: Annotated[Unit | None, Slot(DLK.unit)] = None
    claimed: Annotated[bool | None, Slot(DLK.claimed)] = None

    def local_path(self, paths: dict[str, str]) -> str:
        """Below its case: ``<case>/penalty/<number>``."""
        return f"{paths[self.case]}/penalty/{self.number}"


class Case(Node):
    """Common ground of enforcement actions and court cases."""

    title: Annotated[str, Slot(DCTERMS.title, lang="en")]
    # dlk:caseDate (a dct:date only cases state) lets lists of cases read every case's date in one scan.
    date: Annotated[dt.date | None, Slot(DLK.caseDate, also=(DCTERMS.date,))] = None
    month: Annotated[
        str | None,
        Slot(DLK.caseDate, datatype=XSD.gYearMonth, also=(DCTERMS.date,)),
        Field(pattern=r"^\d{4}-\d{2}$"),
    ] = None
    authorities: Annotated[list[str], Slot(DLK.authority, ref=("Authority",), names=DLK.actorName)] = []
    cites: Annotated[list[str], Slot(DLK.cites, ref=("Instrument", "Article"))] = []
    parties: Annotated[list[str], Slot(DLK.party, ref=("Party",))] = []
    penalties: Annotated[list[str], Slot(DLK.penalty, ref=("Penalty",))] = []
    sector: Annotated[Sector | None, Slot(DLK.sector)] = None
    reported_in: Annotated[list[str], Slot(DLK.reportedIn, ref=("NewsItem",), also=(PROV.wasDerivedFrom,))] = []


class EnforcementAction(Case):
    """An authority's action: a fine, an order, an app notice, a campaign."""

    rdf_types = (DLK.Case, DLK.EnforcementAction, PROV.Entity)
    iri_segment = "enforcement"


class CourtCase(Case):
    """A case before a court: a judgment, ruling or a suit filed."""

    rdf_types = (DLK.Case, DLK.CourtCase, PROV.Entity)
    iri_segment = "case"

    courts: Annotated[list[str], Slot(BIBO.court, ref=("Court",), names=DLK.actorName)] = []

    def types(self) -> tuple[URIRef, ...]:
        """A case reported with its court is that court's decision (``bibo:LegalDecision``).

        A suit reported before any court is named (filed, not yet heard) is not a decision yet.
        """
        return (*self.rdf_types, BIBO.LegalDecision) if self.courts else self.rdf_types
