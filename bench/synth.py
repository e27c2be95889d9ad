"""Synthetic graphs shaped like ours, at any size: seeded, deterministic, valid against the shapes.

The graph is the real reference backbone plus generated newsletter issues, each in its own
named graph, built from the project's models and mapped by the project's one mapping (so a
synthetic graph is what ingesting that many issues would give). Proportions follow the corpus:
per issue about 25 items, a third of them enforcement actions or court cases, most with a
penalty, some with new parties, authorities or instruments, plus extra curated instruments
and local authorities in the backbone as the graph grows.

    python bench/synth.py --triples 100000 --out bench/out/graph-100k.nq
    python bench/synth.py --triples 100000 --data-dir --out bench/out/data-100k    # for kg build --data
    python bench/synth.py --newsletters 20 --items 25 --out bench/out/newsletters
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import yaml

from kg.events import CURATION_GRAPH, issue_graph_name, records_to_nodes
from kg.models import AdministrativeLevel, Authority, AuthorityType, Instrument, Jurisdiction, Rank, Stage
from kg.namespaces import DEFAULT_BASE_IRI
from kg.newsletter.link import Linker
from kg.newsletter.records import InstrumentRecord, IssueRecord, ItemRecord, PenaltyRecord
from kg.rdf import dataset_nquads, graph_iri, index_for, map_issue
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


def synthetic_corpus(
    triples: int, seed: int = 7
) -> tuple[ReferenceData, list[Instrument | Authority], Iterator[IssueRecord]]:
    """The backbone grown for a graph of about ``triples`` triples, its extra entries, and the issues' records.

    The records come lazily, as many as the caller takes: :func:`write_graph` and
    :func:`write_data_dir` stop once the mapped graph reaches the size asked for.
    """
    rng = random.Random(seed)
    bundled = load_reference(resource_dir("data"))
    extension = _backbone_extension(rng, max(0, triples // 200), bundled)
    backbone = ReferenceData(entities=[*bundled.entities, *extension], locations=bundled.locations, parts=bundled.parts)

    def records() -> Iterator[IssueRecord]:
        number = 0
        while True:
            number += 1
            yield synthetic_issue(rng, number)

    return backbone, extension, records()


def _mapped_issues(
    triples: int, seed: int, base_iri: str, issues: int | None = None
) -> Iterator[tuple[IssueRecord | None, dict[str, list[str]]]]:
    """The corpus mapped graph by graph, as the build maps it, until about ``triples`` quads are out.

    With ``issues``, exactly that many issues instead: the same records whatever the mapping
    makes of them (a test comparing answers before and after a change to the mapping needs that).

    Yields (None, ontology and reference lines) first, then (record, its issue graph's lines)
    for each issue, and last (None, the curation graph's lines): a minted entity's description
    is stated once however many issues name it (kg.events.IssueNodes.statements).
    """
    backbone, _, records = synthetic_corpus(triples, seed)
    fixed = dataset_nquads(backbone, base_iri)
    yield None, fixed
    written = sum(map(len, fixed.values()))
    linker = Linker(backbone)
    index = index_for(backbone, base_iri)
    curation: set[str] = set()
    for number, record in enumerate(records):
        if written + len(curation) >= triples if issues is None else number >= issues:
            break
        issue_id, own, shared = map_issue(records_to_nodes(record, linker), index)
        iri = str(graph_iri(issue_graph_name(issue_id), base_iri))
        yield record, {iri: [f"{statement} <{iri}> .\n" for statement in sorted(set(own))]}
        written += len(set(own))
        curation.update(shared)
    iri = str(graph_iri(CURATION_GRAPH, base_iri))
    yield None, {iri: sorted(f"{statement} <{iri}> .\n" for statement in curation)}


def write_graph(triples: int, out: Path, seed: int = 7, base_iri: str = DEFAULT_BASE_IRI) -> int:
    """Write about ``triples`` quads as N-Quads to ``out``, streaming; return the exact number written.

    The quads are those ``kg build`` makes of :func:`write_data_dir`'s folder (in another order).
    """
    written = 0
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as sink:
        for _, graphs in _mapped_issues(triples, seed, base_iri):
            for lines in graphs.values():
                sink.writelines(lines)
                written += len(lines)
    return written


def write_data_dir(
    triples: int, folder: Path, seed: int = 7, base_iri: str = DEFAULT_BASE_IRI, issues: int | None = None
) -> int:
    """Write a data folder for ``kg build --data`` of about ``triples`` quads; return the exact number.

    The folder holds the bundled reference files with the synthetic backbone entries added, and
    one curated-event file (``events/*.yaml``, the record format) per synthetic issue (exactly
    ``issues`` of them when given: see :func:`_mapped_issues`).
    """
    _, extension, _ = synthetic_corpus(triples, seed)
    folder.mkdir(parents=True, exist_ok=True)
    events = folder / "events"
    events.mkdir(exist_ok=True)
    extra_by_file = {"instruments.yaml": [e for e in extension if isinstance(e, Instrument)]}
    extra_by_file["authorities.yaml"] = [e for e in extension if isinstance(e, Authority)]
    for path in sorted(resource_dir("data").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        entries = [
            e.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
            for e in extra_by_file.get(path.name, [])
        ]
        if entries:
            text = text.rstrip("\n") + "\n" + yaml.safe_dump(entries, allow_unicode=True, sort_keys=False)
        (folder / path.name).write_text(text, encoding="utf-8")
    quads = 0
    for record, graphs in _mapped_issues(triples, seed, base_iri, issues):
        quads += sum(map(len, graphs.values()))
        if record is not None:
            dump = record.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
            text = yaml.safe_dump(dump, allow_unicode=True, sort_keys=False)
            (events / Path(record.newsletter).with_suffix(".yaml").name).write_text(text, encoding="utf-8")
    return quads


# Newsletters --------------------------------------------------------------------------

NEWS_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
BODIES = [
    "the CAC",
    "the MIIT",
    "the MITT",
    "the Ministry of Public Security",
    "the SAMR",
    "the Shanghai Municipal Cyberspace Administration",
]
LAWS = ["the Personal Information Protection Law", "the Data Security Law", "the Cybersecurity Law", "the PIPL"]
COURTS = [
    "the Hangzhou Internet Court",
    "the Beijing Haidian District People's Court",
    "the People's Court of Xiaoshan District",
]
TEMPLATES = [
    (
        "{Body} Fines Platform No. {serial} over Data Practices",
        "On {date}, {body} fined an online platform RMB {amount} for breaching {law}.",
    ),
    (
        "{Body} Names {n} Apps in Batch {serial} for Excessive Data Collection",
        "On {date}, {body} named {n} apps that collected data beyond their functions and ordered them to rectify.",
    ),
    (
        "{Body} Issues Notice {serial}: the Measures on {topic}",
        "On {date}, {body} issued the Measures on {topic}, which will take effect on {later}.",
    ),
    (
        "{Body} Opens Round {serial} of Comments on Draft Provisions on {topic}",
        "On {date}, {body} released the Provisions on {topic} (Draft for Comments) to implement {law}.",
    ),
    (
        "Court Sentences Data Seller in Case {serial} to Prison",
        "On {date}, {court} sentenced a defendant to {years} years in prison and fined him RMB {amount} under the Criminal Law.",
    ),
]
NEWS_TOPICS = [
    "Data Labelling Security",
    "Vehicle Data Export",
    "Smart Meter Data",
    "Health Data Sharing",
    "Biometric Data",
]


def synthetic_newsletter(items: int, seed: int = 7) -> str:
    """A newsletter issue of ``items`` items as text, with the quirks of real issues, deterministic for a seed."""
    rng = random.Random(seed)
    lines = [" date 2024-12-31 ARTICLE", ""]
    sections = ["LEGISLATION", "ENFORCEMENT CASES", "COURTS LITIGATION"]
    for n in range(1, items + 1):
        if n % 40 == 1:
            lines += [sections[(n // 40) % 3], ""]
        headline, paragraph = rng.choice(TEMPLATES)
        body = rng.choice(BODIES)
        values = {
            "serial": n,  # headlines are unique, as in real issues (a repeated line reads as a page header)
            "body": body,
            "Body": body.removeprefix("the ").replace("Ministry of Public Security", "MPS"),
            "law": rng.choice(LAWS),
            "court": rng.choice(COURTS),
            "topic": rng.choice(NEWS_TOPICS),
            "n": rng.randint(2, 90),
            "amount": f"{rng.randint(1, 999):,},000",
            "years": rng.randint(1, 5),
            "date": f"{rng.randint(1, 28)} {rng.choice(NEWS_MONTHS[:11])}"
            if n % 2
            else f"{rng.choice(NEWS_MONTHS[:11])} {rng.randint(1, 28)}",
            "later": f"{rng.choice(NEWS_MONTHS)} {rng.randint(1, 28)}",
        }
        head, text = headline.format(**values), paragraph.format(**values)
        if n % 25 == 0:  # the headline printed after its paragraph, glued to the marker
            lines += [f"{text} {n}{head}", ""]
        else:
            lines += [head, "", f"{text}{'.' if n % 3 else ' '}{n}" if not text.endswith(".") else f"{text}{n}", ""]
    lines += [f"{n} https://example.org/{n}" for n in range(1, items + 1)]
    return "\n".join(lines) + "\n"


def main() -> None:
    """Command line: write one synthetic graph (N-Quads), or synthetic newsletter issues (text)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=None, help="write a graph of about this many triples to --out")
    parser.add_argument(
        "--data-dir", action="store_true", help="with --triples: write a data folder for `kg build --data` instead"
    )
    parser.add_argument(
        "--newsletters", type=int, default=None, help="write this many newsletter issues into the folder --out"
    )
    parser.add_argument("--items", type=int, default=25, help="items per newsletter issue")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    if args.newsletters:
        args.out.mkdir(parents=True, exist_ok=True)
        for number in range(args.newsletters):
            (args.out / f"synthetic_{number:04d}.txt").write_text(
                synthetic_newsletter(args.items, args.seed + number), encoding="utf-8"
            )
        print(f"wrote {args.newsletters} issues of {args.items} items to {args.out}")
    elif args.data_dir:
        quads = write_data_dir(args.triples or 100_000, args.out, args.seed)
        print(f"wrote a data folder of {quads} quads to {args.out}")
    else:
        print(f"wrote {write_graph(args.triples or 100_000, args.out, args.seed)} quads to {args.out}")


if __name__ == "__main__":
    main()
