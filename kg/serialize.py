"""Deterministic dumps of the dataset: same graph in, same bytes out.

N-Quads are sorted by graph, then line; N-Triples (the union of all graphs) are sorted
and unique. Turtle and JSON-LD are written by Oxigraph's serialisers from those sorted
lines, so subjects come grouped and in order. Two builds of the same data therefore
give byte-identical files, on any machine, and a million-triple dump takes seconds
(rdflib's serialisers take minutes at that size: PERFORMANCE.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph

from kg.manifest import GraphEntry, entry_of, graph_entry

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


def ntriples_block(statements: Iterable[str]) -> bytes:
    """Statements (``s p o``, without the final `` .``) as one graph's block: sorted, unique N-Triples lines, UTF-8.

    A dataset travels through the build as one block per graph (graph IRI -> block): compact, and
    written, hashed and loaded without a Python object per line. Bytes sort as the text does
    (UTF-8 keeps the order of code points), so the dumps are the same either way.
    """
    return "".join(sorted({f"{statement} .\n" for statement in statements})).encode("utf-8")


def nquads_block(iri: str, block: bytes) -> bytes:
    """One graph's N-Triples block as the N-Quads lines ``kg.nq`` holds (the graph written into each line).

    A line's only `` .`` followed by a line break is its end: N-Triples escapes line breaks in literals.
    """
    return block.replace(b" .\n", f" <{iri}> .\n".encode())


def blocks_of(nquads: dict[str, list[str]]) -> dict[str, bytes]:
    """A dataset's N-Quads lines by graph IRI (sorted, as :func:`store_nquads` gives them) as blocks by graph IRI."""
    blocks = {}
    for iri, lines in nquads.items():
        cut = len(f" <{iri}> .\n")
        blocks[iri] = "".join(line[:-cut] + " .\n" for line in lines).encode("utf-8")
    return blocks


def union_lines(graphs: dict[str, bytes]) -> list[bytes]:
    """The sorted, unique N-Triples lines of the union of every graph's block (``kg.nt``)."""
    lines: set[bytes] = set()
    for block in graphs.values():
        lines.update(block.splitlines(True))
    return sorted(lines)


def write_dump(fmt: str, graphs: dict[str, bytes], folder: Path, prefixes: dict[str, str]) -> Path:
    """Write the dataset (graph IRI → its N-Triples block) in one dump format into ``folder``.

    ``kg.nt`` must be written before ``kg.ttl``, and ``kg.nq`` before ``kg.jsonld``: those two
    are serialised by Oxigraph from the sorted lines of the first.
    """
    path = folder / DUMP_FILES[fmt]
    if fmt == "nquads":
        write_nquads(graphs, path)
    elif fmt == "ntriples":
        with path.open("wb") as sink:
            sink.writelines(union_lines(graphs))
    elif fmt == "turtle":
        triples = ox.parse(path=folder / DUMP_FILES["ntriples"], format=ox.RdfFormat.N_TRIPLES)
        ox.serialize(triples, path, ox.RdfFormat.TURTLE, prefixes=prefixes)
    elif fmt == "jsonld":
        quads = ox.parse(path=folder / DUMP_FILES["nquads"], format=ox.RdfFormat.N_QUADS)
        ox.serialize(quads, path, ox.RdfFormat.JSON_LD)
    else:
        raise ValueError(f"unknown dump format {fmt!r}; expected one of {', '.join(DUMP_FILES)}")
    return path


def write_nquads(graphs: dict[str, bytes], path: Path, summed: frozenset[str] = frozenset()) -> dict[str, GraphEntry]:
    """Write the dataset (graph IRI → its N-Triples block) as N-Quads to ``path``; return each graph's manifest entry.

    Graphs come in IRI order, each as its sorted lines. Each graph is hashed as it is written, so
    the manifest costs no pass of its own; the graphs in ``summed`` get a sum of line hashes
    instead (:func:`kg.manifest.graph_entry`).
    """
    entries = {}
    with path.open("wb") as sink:
        for iri in sorted(graphs):
            data = nquads_block(iri, graphs[iri])
            sink.write(data)
            if iri in summed:
                entries[iri] = graph_entry(data.decode("utf-8").splitlines(True), summed=True)
            else:
                entries[iri] = entry_of(data, data.count(b"\n"))
    return entries


def store_nquads(store: ox.Store) -> dict[str, list[str]]:
    """Every quad of ``store`` as N-Quads lines by graph IRI, sorted as :func:`write_dump` expects."""
    by_graph: dict[str, list[str]] = {}
    for line in bytes(store.dump(format=ox.RdfFormat.N_QUADS) or b"").decode("utf-8").splitlines(True):
        # The graph is the line's last term (IRIs hold no spaces); our stores keep no default-graph triples.
        by_graph.setdefault(line.rsplit(" ", 2)[-2][1:-1], []).append(line)
    return {iri: sorted(lines) for iri, lines in sorted(by_graph.items())}


def graph_nquads(store: ox.Store, iri: str) -> list[str]:
    """The sorted N-Quads lines of one named graph of ``store`` (none when it lacks the graph)."""
    body = bytes(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(iri)) or b"").decode("utf-8")
    # Each N-Triples line "s p o .\n" given its graph back: "s p o <g> .\n", the line kg.nq holds.
    suffix = f"<{iri}> .\n"
    return sorted(line[:-2] + suffix for line in body.splitlines(True))


def write_store_dumps(store: ox.Store, folder: Path, prefixes: dict[str, str]) -> dict[str, int]:
    """Write every dump of ``store`` into ``folder``, as a build of the same data writes them; return their sizes."""
    written = write_dumps(blocks_of(store_nquads(store)), folder, prefixes)
    return {path.name: path.stat().st_size for path in written}


def write_dumps(graphs: dict[str, bytes], folder: Path, prefixes: dict[str, str]) -> list[Path]:
    """Write the dataset (graph IRI → N-Triples block) in every dump format into ``folder``; return the files written.

    ``kg.ttl`` and ``kg.nt`` hold the union of all graphs, ``kg.nq`` and ``kg.jsonld`` every
    named graph.
    """
    folder.mkdir(parents=True, exist_ok=True)
    written = {fmt: write_dump(fmt, graphs, folder, prefixes) for fmt in WRITE_ORDER}
    return [written[fmt] for fmt in DUMP_FILES]
