"""Deterministic dumps of the dataset: same graph in, same bytes out.

N-Quads are sorted by graph, then line; N-Triples (the union of all graphs) are sorted
and unique. Turtle and JSON-LD are written by Oxigraph's serialisers from those sorted
lines, so subjects come grouped and in order. Two builds of the same data therefore
give byte-identical files, on any machine, and a million-triple dump takes seconds
(rdflib's serialisers take minutes at that size: PERFORMANCE.md).
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph

#: Dump file names, by format.
DUMP_FILES = {"turtle": "kg.ttl", "ntriples": "kg.nt", "nquads": "kg.nq", "jsonld": "kg.jsonld"}
#: The order dumps can be written in: Turtle is made from the N-Triples, JSON-LD from the N-Quads.
WRITE_ORDER = ("nquads", "ntriples", "turtle", "jsonld")


def union_graph(dataset: Dataset) -> Graph:
    """All triples of every named graph in one rdflib graph, with the dataset's prefixes."""
    union = Graph()
    for prefix, namespace in dataset.namespaces():
        union.bind(prefix, namespace, override=True, replace=True)
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def union_ntriples(nquads: dict[str, list[str]]) -> list[str]:
    """The sorted, unique N-Triples lines of the union of every graph's N-Quads lines."""
    # An N-Quads line ends "<graph> .": the last two fields (IRIs hold no spaces).
    return sorted({line.rsplit(" ", 2)[0] + " .\n" for lines in nquads.values() for line in lines})


def write_dump(fmt: str, nquads: dict[str, list[str]], folder: Path, prefixes: dict[str, str]) -> Path:
    """Write the dataset (graph IRI → its sorted N-Quads lines) in one dump format into ``folder``.

    ``kg.nt`` must be written before ``kg.ttl``, and ``kg.nq`` before ``kg.jsonld``: those two
    are serialised by Oxigraph from the sorted lines of the first.
    """
    path = folder / DUMP_FILES[fmt]
    if fmt == "nquads":
        with path.open("w", encoding="utf-8") as sink:
            for iri in sorted(nquads):
                sink.writelines(nquads[iri])
    elif fmt == "ntriples":
        with path.open("w", encoding="utf-8") as sink:
            sink.writelines(union_ntriples(nquads))
    elif fmt == "turtle":
        triples = ox.parse(path=folder / DUMP_FILES["ntriples"], format=ox.RdfFormat.N_TRIPLES)
        ox.serialize(triples, path, ox.RdfFormat.TURTLE, prefixes=prefixes)
    elif fmt == "jsonld":
        quads = ox.parse(path=folder / DUMP_FILES["nquads"], format=ox.RdfFormat.N_QUADS)
        ox.serialize(quads, path, ox.RdfFormat.JSON_LD)
    else:
        raise ValueError(f"unknown dump format {fmt!r}; expected one of {', '.join(DUMP_FILES)}")
    return path


def write_dumps(nquads: dict[str, list[str]], folder: Path, prefixes: dict[str, str]) -> list[Path]:
    """Write the dataset in every dump format into ``folder``; return the files written.

    ``kg.ttl`` and ``kg.nt`` hold the union of all graphs, ``kg.nq`` and ``kg.jsonld`` every
    named graph.
    """
    folder.mkdir(parents=True, exist_ok=True)
    written = {fmt: write_dump(fmt, nquads, folder, prefixes) for fmt in WRITE_ORDER}
    return [written[fmt] for fmt in DUMP_FILES]
