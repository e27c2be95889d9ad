"""The vocabularies the graph speaks, in one place.

``DLK`` holds this project's own terms as an rdflib ``DefinedNamespace``: a
misspelt term raises ``AttributeError`` at import time of the caller instead of
silently minting a new IRI. ``tests/test_ontology.py`` checks this list against
``ontology/datalaw.ttl`` in both directions.

Example:
    >>> from kg.namespaces import DLK
    >>> str(DLK.LegalInstrument)
    'https://w3id.org/datalaw-kg/ontology#LegalInstrument'

"""

from __future__ import annotations

from rdflib import Graph, Namespace
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace
from rdflib.term import URIRef

ONTOLOGY_IRI = "https://w3id.org/datalaw-kg/ontology"
DEFAULT_BASE_IRI = "https://w3id.org/datalaw-kg/id/"


class DLK(DefinedNamespace):
    """Terms of the datalaw-kg ontology (``ontology/datalaw.ttl``)."""

    _NS = Namespace(ONTOLOGY_IRI + "#")
    _fail = True

    # Classes: legal instruments
    LegalInstrument: URIRef
    Draft: URIRef
    Version: URIRef
    Article: URIRef
    # Classes: bodies
    Authority: URIRef
    Legislature: URIRef
    GovernmentBody: URIRef
    Regulator: URIRef
    Procuratorate: URIRef
    PublicSecurityOrgan: URIRef
    StandardsBody: URIRef
    PartyBody: URIRef
    Court: URIRef
    InternetCourt: URIRef
    Jurisdiction: URIRef
    # Classes: events and their parts
    Case: URIRef
    EnforcementAction: URIRef
    CourtCase: URIRef
    Penalty: URIRef
    Party: URIRef
    Company: URIRef
    App: URIRef
    Person: URIRef
    # Classes: provenance
    NewsItem: URIRef
    NewsletterIssue: URIRef

    # Properties
    abbreviation: URIRef
    legalRank: URIRef
    stage: URIRef
    finalVersion: URIRef
    dateDraft: URIRef
    dateAmended: URIRef
    administrativeLevel: URIRef
    parentBody: URIRef
    courtLevel: URIRef
    superiorCourt: URIRef
    withinJurisdiction: URIRef
    authority: URIRef
    actorName: URIRef
    caseDate: URIRef
    cites: URIRef
    penalty: URIRef
    penaltyType: URIRef
    unit: URIRef
    claimed: URIRef
    party: URIRef
    reportedIn: URIRef
    section: URIRef
    footnote: URIRef
    itemKind: URIRef
    awaitingCuration: URIRef
    articleNumber: URIRef
    chapterNumber: URIRef
    chapterTitle: URIRef
    text: URIRef
    textVersion: URIRef
    sector: URIRef

    # Concept schemes and their concepts
    LegalRankScheme: URIRef
    RankLaw: URIRef
    RankAdministrativeRegulation: URIRef
    RankDepartmentalRule: URIRef
    RankLocalRegulation: URIRef
    RankLocalGovernmentRule: URIRef
    RankJudicialInterpretation: URIRef
    RankNormativeDocument: URIRef
    RankNationalStandard: URIRef
    RankPolicyDocument: URIRef

    StageScheme: URIRef
    StagePlanned: URIRef
    StageDraft: URIRef
    StageAdopted: URIRef
    StageIssued: URIRef
    StageInForce: URIRef
    StageAmended: URIRef
    StageRepealed: URIRef

    AdministrativeLevelScheme: URIRef
    LevelNational: URIRef
    LevelProvincial: URIRef
    LevelMunicipal: URIRef
    LevelCounty: URIRef

    CourtLevelScheme: URIRef
    CourtLevelSupreme: URIRef
    CourtLevelHigh: URIRef
    CourtLevelIntermediate: URIRef
    CourtLevelBasic: URIRef

    PenaltyTypeScheme: URIRef
    PenaltyFine: URIRef
    PenaltyConfiscation: URIRef
    PenaltyDetention: URIRef
    PenaltyImprisonment: URIRef
    PenaltyDamages: URIRef

    UnitScheme: URIRef
    UnitCNY: URIRef
    UnitUSD: URIRef
    UnitDay: URIRef
    UnitMonth: URIRef
    UnitYear: URIRef

    SectorScheme: URIRef
    SectorFinance: URIRef
    SectorInternet: URIRef
    SectorTelecom: URIRef
    SectorHealthcare: URIRef
    SectorTransport: URIRef
    SectorAutomotive: URIRef
    SectorRetail: URIRef
    SectorEducation: URIRef
    SectorPublic: URIRef

    ItemKindScheme: URIRef
    KindLegislation: URIRef
    KindEnforcement: URIRef
    KindLitigation: URIRef
    KindPolicy: URIRef


ELI = Namespace("http://data.europa.eu/eli/ontology#")
ELI_DL = Namespace("http://data.europa.eu/eli/eli-draft-legislation-ontology#")
DPV = Namespace("https://w3id.org/dpv#")
BIBO = Namespace("http://purl.org/ontology/bibo/")
SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
DLKSH = Namespace("https://w3id.org/datalaw-kg/shapes#")

PREFIXES: dict[str, str] = {
    "dlk": str(DLK),
    "dlksh": str(DLKSH),
    "eli": str(ELI),
    "eli-dl": str(ELI_DL),
    "dpv": str(DPV),
    "bibo": str(BIBO),
    "schema": str(SCHEMA),
    "org": str(ORG),
    "prov": str(PROV),
    "skos": str(SKOS),
    "dct": str(DCTERMS),
    "foaf": str(FOAF),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
}


#: The segments instance IRIs live under; each gets a prefix of its own (``law:pipl``, ``court:spc``),
#: because SPARQL and Turtle forbid '/' in the local part of ``kg:law/pipl``.
INSTANCE_SEGMENTS = (
    "law",
    "instrument",
    "authority",
    "court",
    "jurisdiction",
    "party",
    "case",
    "enforcement",
    "item",
    "issue",
    "graph",
)


def instance_prefixes(base_iri: str = DEFAULT_BASE_IRI) -> dict[str, str]:
    """``kg:`` for the instance base and one prefix per segment below it.

    Example:
        >>> instance_prefixes("https://example.org/")["law"]
        'https://example.org/law/'

    """
    return {"kg": base_iri, **{segment: f"{base_iri}{segment}/" for segment in INSTANCE_SEGMENTS}}


def bind_prefixes(graph: Graph, base_iri: str = DEFAULT_BASE_IRI) -> Graph:
    """Bind every prefix the project uses, plus the instance prefixes (:func:`instance_prefixes`), and return the graph.

    Example:
        >>> from rdflib import Graph
        >>> g = bind_prefixes(Graph())
        >>> dict(g.namespaces())["eli"]
        rdflib.term.URIRef('http://data.europa.eu/eli/ontology#')

    """
    for prefix, iri in {**PREFIXES, **instance_prefixes(base_iri)}.items():
        graph.bind(prefix, iri, override=True, replace=True)
    return graph


def all_prefixes(base_iri: str = DEFAULT_BASE_IRI) -> dict[str, str]:
    """The one prefix table: vocabulary prefixes and instance prefixes, as the CLI, the endpoint and the page use them."""
    return {**PREFIXES, **instance_prefixes(base_iri)}


def prefix_lines(prefixes: list[str] | None = None, base_iri: str = DEFAULT_BASE_IRI) -> str:
    """``PREFIX`` declarations for ``prefixes`` (default: the whole table), one a line, sorted.

    Example:
        >>> print(prefix_lines(["law", "dlk"]), end="")
        PREFIX dlk: <https://w3id.org/datalaw-kg/ontology#>
        PREFIX law: <https://w3id.org/datalaw-kg/id/law/>

    """
    table = all_prefixes(base_iri)
    return "".join(f"PREFIX {p}: <{table[p]}>\n" for p in sorted(prefixes if prefixes is not None else table))


def with_prefixes(sparql: str, base_iri: str = DEFAULT_BASE_IRI) -> str:
    """The query with a ``PREFIX`` line for every project prefix it uses but does not declare.

    Used where a query goes to an engine that does not know the table (an endpoint, rdflib).

    Example:
        >>> print(with_prefixes("SELECT * WHERE { ?x a dlk:Court }"))
        PREFIX dlk: <https://w3id.org/datalaw-kg/ontology#>
        SELECT * WHERE { ?x a dlk:Court }

    """
    import re

    declared = {m.group(1) for m in re.finditer(r"(?im)^\s*PREFIX\s+([\w-]*):", sparql)}
    namespaces = all_prefixes(base_iri)
    # Look for prefixed names outside IRIs and string literals only.
    code = re.sub(r'"(?:[^"\\]|\\.)*"', " ", re.sub(r"<[^<>\s]*>", " ", sparql))
    used = sorted({p for p in namespaces if re.search(rf"(?<![\w-]){re.escape(p)}:", code)} - declared)
    return prefix_lines(used, base_iri) + sparql
