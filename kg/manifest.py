r"""What one store version holds: its graphs' digests, its issues and their sources, its dumps.

Every store version carries a ``manifest.json``, written last, just before the version becomes
the store, so a version with a manifest is complete. It records:

* ``graphs``: for each named graph, its number of quads and a digest of its N-Quads lines: the
  SHA-256 of the lines sorted (exactly the bytes ``kg.nq`` holds for that graph), or for the
  curation graph, which every ingest patches, the sum of each line's hash, which the ingest
  updates from the lines it changed; and ``sha256``, a digest over those;
* ``issues``: for each newsletter issue graph, the issue's file name, where it came from (a
  curated record in ``data/events/`` read by ``kg build``, or a newsletter read by ``kg ingest``),
  a digest of its normalised text when it was read from one, and its number of items;
* ``dumps``: the dump files in the version and their sizes (none after ``kg ingest`` or
  ``kg withdraw`` until ``kg dump`` or ``--dump`` writes them).

A graph's digest is computed where its lines already pass: ``kg build`` hashes each graph's lines
as it writes ``kg.nq``; ``kg ingest`` re-hashes the issue graphs it replaced and patches the
curation graph's sum. ``kg validate`` recomputes every digest from the store
(:func:`kg.store.check_manifest`).

Example:
    >>> entry = graph_entry(['<s> <p> "o" <g> .\n'])
    >>> entry.quads, entry.digest[:19]
    (1, 'sha256:19247cb5e8f3')

"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from kg.errors import StoreError

MANIFEST_FILE = "manifest.json"


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")


class GraphEntry(_Entry):
    """One named graph: how many quads, and a digest of its N-Quads lines.

    ``sha256:<hex>`` hashes the sorted lines; ``sum:<hex>`` is the sum of each line's BLAKE2b
    hash, which a change of a few lines updates without reading the rest (:func:`patched`).
    """

    quads: int
    digest: str

    @property
    def summed(self) -> bool:
        """True for a digest that is a sum of line hashes."""
        return self.digest.startswith("sum:")


class IssueEntry(_Entry):
    """One newsletter issue's graph and where it came from."""

    name: str
    """The issue's file name (its ``newsletter``), from which its id and IRIs are made."""
    graph: str
    source: str
    """The file it was read from: a curated record (``kg build``) or a newsletter (``kg ingest``)."""
    via: Literal["build", "ingest"]
    text: str | None = None
    """SHA-256 of the issue's normalised text (:func:`kg.identity.text_digest`), when read from a newsletter."""
    items: int = 0


class Manifest(_Entry):
    """The manifest of one store version."""

    format: Literal[1] = 1
    made_by: str
    made_at: str
    base_iri: str
    quads: int
    sha256: str
    graphs: dict[str, GraphEntry]
    issues: dict[str, IssueEntry] = {}
    dumps: dict[str, int] = {}


def graph_entry(lines: list[str], summed: bool = False) -> GraphEntry:
    """The entry of one graph from its N-Quads lines, sorted and each ending in a newline."""
    if summed:
        return GraphEntry(quads=len(lines), digest=f"sum:{line_sum(lines):064x}")
    return entry_of("".join(lines).encode("utf-8"), len(lines))


def entry_of(data: bytes, quads: int) -> GraphEntry:
    """The ``sha256:`` entry of one graph from its ``quads`` N-Quads lines, sorted, as bytes."""
    return GraphEntry(quads=quads, digest=f"sha256:{hashlib.sha256(data).hexdigest()}")


_SUM_MODULUS = 1 << 256


def line_sum(lines: Iterable[str]) -> int:
    """The sum (mod 2**256) of each line's BLAKE2b hash: independent of order, updated line by line."""
    blake2b = hashlib.blake2b
    return (
        sum(int.from_bytes(blake2b(line.encode("utf-8"), digest_size=32).digest(), "big") for line in lines)
        % _SUM_MODULUS
    )


def patched(entry: GraphEntry, removed: list[str], added: list[str]) -> GraphEntry:
    """A ``sum:`` entry after the lines ``removed`` left the graph and the lines ``added`` came in."""
    total = (int(entry.digest.removeprefix("sum:"), 16) - line_sum(removed) + line_sum(added)) % _SUM_MODULUS
    return GraphEntry(quads=entry.quads - len(removed) + len(added), digest=f"sum:{total:064x}")


def dataset_sha256(graphs: Mapping[str, GraphEntry]) -> str:
    """One digest over every graph's digest, in graph order."""
    digest = hashlib.sha256()
    for iri in sorted(graphs):
        digest.update(f"<{iri}> {graphs[iri].quads} {graphs[iri].digest}\n".encode())
    return digest.hexdigest()


def make_manifest(
    made_by: str,
    base_iri: str,
    graphs: Mapping[str, GraphEntry],
    issues: Mapping[str, IssueEntry] | None = None,
    dumps: Mapping[str, int] | None = None,
) -> Manifest:
    """A manifest for these graphs, issues and dumps, stamped with the command and the time."""
    ordered = {iri: graphs[iri] for iri in sorted(graphs)}
    return Manifest(
        made_by=made_by,
        made_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        base_iri=base_iri,
        quads=sum(entry.quads for entry in ordered.values()),
        sha256=dataset_sha256(ordered),
        graphs=ordered,
        issues={issue: (issues or {})[issue] for issue in sorted(issues or {})},
        dumps=dict(sorted((dumps or {}).items())),
    )


def read_manifest(version: Path) -> Manifest | None:
    """The manifest of the store version ``version``; None for a version made before manifests."""
    path = version / MANIFEST_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreError(f"cannot read the store's manifest {path}: {exc.strerror or exc}") from exc
    try:
        return Manifest.model_validate(json.loads(text))
    except (ValueError, ValidationError) as exc:
        detail = str(exc).splitlines()[0]
        raise StoreError(f"the store's manifest {path} is damaged ({detail}); rebuild with `kg build`") from exc


def write_manifest(version: Path, manifest: Manifest) -> Path:
    """Write ``manifest`` into ``version`` atomically (its content durable; the caller syncs the folder)."""
    path = version / MANIFEST_FILE
    partial = version / f".{MANIFEST_FILE}.partial"
    with partial.open("w", encoding="utf-8") as sink:
        # pydantic's own writer gives the same bytes as json.dumps(..., ensure_ascii=False, indent=1),
        # 5 times faster (json's indenting encoder is pure Python: 35 ms for the 0.5 MB of a 1M store).
        sink.write(manifest.model_dump_json(indent=1) + "\n")
        sink.flush()
        os.fsync(sink.fileno())
    partial.replace(path)
    return path


def differences(manifest: Manifest, actual: Mapping[str, GraphEntry], dumps: Mapping[str, int]) -> list[str]:
    """How the store's graphs (``actual``) and dump sizes (``dumps``) differ from ``manifest``, one line each."""
    found = []
    for iri in sorted({*manifest.graphs, *actual}):
        want, got = manifest.graphs.get(iri), actual.get(iri)
        label = f"<{iri}>" if iri else "the default graph"
        if want is None:
            found.append(f"graph {label} is in the store but not in the manifest")
        elif got is None:
            found.append(f"graph {label} is in the manifest but not in the store")
        elif got != want:
            found.append(
                f"graph {label} has {got.quads} quads, digest {got.digest[:18]}; "
                f"the manifest says {want.quads}, {want.digest[:18]}"
            )
    for issue, entry in manifest.issues.items():
        if entry.graph not in manifest.graphs:
            found.append(f"issue {issue} names graph <{entry.graph}>, which the manifest lacks")
    for name, size in manifest.dumps.items():
        if name not in dumps:
            found.append(f"dump {name} is missing")
        elif dumps[name] != size:
            found.append(f"dump {name} has {dumps[name]} bytes; the manifest says {size}")
    return found
