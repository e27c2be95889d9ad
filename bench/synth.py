"""Synthetic graphs shaped like ours, at any size: seeded, deterministic, valid against the shapes.

The graph is the real reference backbone plus generated newsletter issues, each in its own
named graph, built from the project's models and mapped by the project's one mapping (so a
synthetic graph is what ingesting that many issues would give). Proportions follow the corpus:
per issue about 25 items, a third of them enforcement actions or court cases, most with a
penalty, some with new parties, authorities or instruments, plus extra curated instruments
and local authorities in the backbone as the graph grows.

    python bench/synth.py --triples 100000 --out bench/out/graph-100k.nq
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from rdflib.term import Node as RDFNode

from kg.events import records_to_nodes
from kg.link import Linker
from kg.mapping import IriIndex, to_triples
from kg.models import AdministrativeLevel, Authority, AuthorityType, Instrument, Jurisdiction, Rank, Stage
from kg.namespaces import DEFAULT_BASE_IRI
from kg.rdf import graph_iri, ontology_graph, reference_graph
from kg.records import InstrumentRecord, IssueRecord, ItemRecord, PenaltyRecord
from kg.reference import ReferenceData, load_reference
from kg.resources import resource_dir

LAWS = [
    "Personal Information Protection Law",
    "Data Security Law",
    "Cybersecurity Law",
    "Civil Code",
    "Criminal Law",
    "Law on the Protection of Minors",
    "Anti-Unfair Competition Law",
    "E-Commerce Law",
]
REGULATORS = [
    "Cyberspace Administration of China",
    "Ministry of Industry and Information Technology",
    "Ministry of Public Security",
    "State Administration for Market Regulation",
    "People's Bank of China",
]
COURTS = [
    "Supreme People's Court",
    "Beijing Internet Court",
    "Hangzhou Internet Court",
    "Guangzhou Internet Court",
    "Beijing Haidian District People's Court",
    "Shanghai Minhang District People's Court",
]
SECTORS = ["Fintech", "Health", "Retail", "Mobility", "Gaming", "Education", "Logistics", "Media"]
TOPICS = [
    "Data Labelling",
    "Vehicle Data",
    "Smart Meters",
    "Health Records",
    "Biometrics",
    "Cloud Services",
    "Online Lending",
    "Minors' Accounts",
    "Location Data",
    "Cross-border Payments",
]


def _nt(term: RDFNode) -> str:
    return term.n3()


def _quad_lines(triples: Iterator[tuple[RDFNode, RDFNode, RDFNode]], graph: str) -> Iterator[str]:
    for s, p, o in triples:
        yield f"{_nt(s)} {_nt(p)} {_nt(o)} <{graph}> .\n"


def _backbone_extension(rng: random.Random, count: int, backbone: ReferenceData) -> list[Instrument | Authority]:
    """Extra curated-looking instruments and local authorities, so the backbone grows with the graph."""
    provinces = [e.id for e in backbone.of_type(Jurisdiction) if e.level is AdministrativeLevel.PROVINCIAL]
    laws = ["pipl", "dsl", "csl"]
    extra: list[Instrument | Authority] = []
    for n in range(count):
        if n % 3 == 0:
            province = rng.choice(provinces)
            extra.append(
                Authority(
                    id=f"synthetic-bureau-{n}",
                    name_en=f"Synthetic Data Bureau {n}",
                    name_zh=f"合成数据局{n}",
                    type=AuthorityType.REGULATOR,
                    level=AdministrativeLevel.PROVINCIAL,
                    jurisdiction=province,
                    parent="cac",
                )
            )
        else:
            adopted = dt.date(2018, 1, 1) + dt.timedelta(days=rng.randint(0, 2500))
            extra.append(
                Instrument(
                    id=f"synthetic-measures-{n}",
                    name_en=f"Measures on {rng.choice(TOPICS)} No. {n}",
                    name_zh=f"合成办法{n}",
                    rank=Rank.DEPARTMENTAL_RULE,
                    stage=Stage.IN_FORCE,
                    issuers=[rng.choice(["cac", "miit", "samr"])],
                    jurisdiction="china",
                    adopted=adopted,
                    effective=adopted + dt.timedelta(days=rng.randint(30, 200)),
                    based_on=rng.sample(laws, 2),
                )
            )
    return extra


def synthetic_issue(rng: random.Random, number: int) -> IssueRecord:
    """One issue of about 25 items, in the record format, as extraction would give."""
    issued = dt.date(2019, 1, 15) + dt.timedelta(days=30 * (number % 90))
    items = []
    for n in range(1, rng.randint(20, 30) + 1):
        day = issued - dt.timedelta(days=rng.randint(1, 28))
        kind = rng.choices(["legislation", "enforcement", "litigation", "policy"], [4, 4, 2, 1])[0]
        item = {
            "n": n,
            "headline": f"Synthetic item {number}-{n} on {rng.choice(TOPICS)}",
            "source": f"https://example.org/synthetic/{number}/{n}",
            "kind": kind,
            "date": day.isoformat(),
            "laws": rng.sample(LAWS, rng.randint(0, 2)),
        }
        if kind == "legislation":
            item["authorities"] = [rng.choice(REGULATORS)]
            item["instruments"] = [
                InstrumentRecord(
                    title=f"Provisions on {rng.choice(TOPICS)} in {rng.choice(SECTORS)} No. {number}-{n}",
                    status=rng.choice(["draft", "issued", "adopted"]),
                    jurisdiction="China",
                    issuers=item["authorities"],
                    implements=item["laws"][:1],
                )
            ]
        elif kind == "enforcement":
            item["authorities"] = [rng.choice([*REGULATORS, f"Synthetic City {number % 40} Public Security Bureau"])]
            item["parties"] = [f"Synthetic {rng.choice(SECTORS)} Technology {rng.randint(1, 4000)} Co., Ltd."]
            item["penalties"] = [PenaltyRecord(type="fine", amount=Decimal(rng.randint(1, 500) * 10000), unit="CNY")]
            if rng.random() < 0.2:
                item["penalties"].append(
                    PenaltyRecord(type="confiscation", amount=Decimal(rng.randint(1, 90) * 1000), unit="CNY")
                )
        elif kind == "litigation":
            item["courts"] = [rng.choice(COURTS)]
            item["penalties"] = [PenaltyRecord(type="imprisonment", amount=Decimal(rng.randint(1, 7)), unit="year")]
            if rng.random() < 0.5:
                item["penalties"].append(
                    PenaltyRecord(type="damages", amount=Decimal(rng.randint(1, 900) * 100), unit="CNY")
                )
        items.append(ItemRecord(**item))
    return IssueRecord(newsletter=f"synthetic_{number:06d}.txt", issue_date=issued, items=items)


def write_graph(triples: int, out: Path, seed: int = 7, base_iri: str = DEFAULT_BASE_IRI) -> int:
    """Write about ``triples`` triples as N-Quads to ``out``; return the exact number written."""
    rng = random.Random(seed)
    backbone = load_reference(resource_dir("data"))
    extension = _backbone_extension(rng, max(0, triples // 200), backbone)
    backbone = ReferenceData(entities=[*backbone.entities, *extension], locations=backbone.locations)
    linker = Linker(backbone)
    written = 0
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as sink:
        for name, graph in (("ontology", ontology_graph()), ("reference", reference_graph(backbone, base_iri))):
            for line in _quad_lines(iter(graph), str(graph_iri(name, base_iri))):
                sink.write(line)
                written += 1
        number = 0
        while written < triples:
            number += 1
            nodes = records_to_nodes(synthetic_issue(rng, number), linker)
            index = IriIndex(
                base_iri, [*(e for e in backbone if e.id not in {n.id for n in nodes.nodes}), *nodes.nodes]
            )
            target = str(graph_iri(f"issue/{nodes.issue_id}", base_iri))
            for node in nodes.nodes:
                for line in _quad_lines(to_triples(node, index), target):
                    sink.write(line)
                    written += 1
    return written


def main() -> None:
    """Command line: write one synthetic graph."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    print(f"wrote {write_graph(args.triples, args.out, args.seed)} quads to {args.out}")


if __name__ == "__main__":
    main()
