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


def write_dumps(nquads: dict[str, list[str]], folder: Path, prefixes: dict[str, str]) -> list[Path]:
    """Write the dataset (graph IRI → its sorted N-Quads lines) in every dump format into ``folder``.

    Returns the files written: ``kg.ttl`` and ``kg.nt`` hold the union of all graphs,
    ``kg.nq`` and ``kg.jsonld`` every named graph.
    """
    folder.mkdir(parents=True, exist_ok=True)
    paths = {fmt: folder / name for fmt, name in DUMP_FILES.items()}
    with paths["nquads"].open("w", encoding="utf-8") as sink:
        for iri in sorted(nquads):
            sink.writelines(nquads[iri])
    with paths["ntriples"].open("w", encoding="utf-8") as sink:
        sink.writelines(union_ntriples(nquads))
    ox.serialize(
        ox.parse(path=paths["ntriples"], format=ox.RdfFormat.N_TRIPLES),
        paths["turtle"],
        ox.RdfFormat.TURTLE,
        prefixes=prefixes,
    )
    ox.serialize(ox.parse(path=paths["nquads"], format=ox.RdfFormat.N_QUADS), paths["jsonld"], ox.RdfFormat.JSON_LD)
    return list(paths.values())
