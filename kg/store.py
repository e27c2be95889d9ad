"""The embedded Oxigraph store on disk, replaced atomically.

``build/store`` (the default) is a symbolic link to one version folder under
``build/.store-versions/``. A build loads a fresh version beside the current one
and then swaps the link with one ``rename``: readers see either the old store or
the new one, never half of either, and a build that fails leaves the link where
it was.

A process that keeps a version open for long (``kg serve``) takes a :func:`lease` on it: a
``.lease-<pid>`` file in the version folder. A superseded version is removed only when no live
process holds a lease on it (:func:`prune_versions`), so a running server never loses its files.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from kg.errors import StoreError

DEFAULT_STORE = Path("build") / "store"


def _versions_dir(store_path: Path) -> Path:
    return store_path.parent / f".{store_path.name}-versions"


def exists(store_path: Path) -> bool:
    """True when a built store is at ``store_path``."""
    return store_path.is_symlink() and store_path.resolve().is_dir()


@contextmanager
def open_store(store_path: Path, *, read_only: bool = True) -> Iterator[ox.Store]:
    """Open the store at ``store_path`` for the duration of a ``with`` block."""
    if not exists(store_path):
        raise StoreError(f"no store at {store_path}: run `kg build` first (or pass --store)")
    try:
        store = ox.Store.read_only(str(store_path.resolve())) if read_only else ox.Store(str(store_path.resolve()))
    except OSError as exc:
        raise StoreError(f"cannot open the store at {store_path}: {exc}") from exc
    try:
        yield store
    finally:
        if not read_only:
            store.flush()
        del store


def replace_store(store_path: Path, nquads: Path) -> Path:
    """Load ``nquads`` into a new store version and make it the store at ``store_path``.

    Returns the new version's folder. On any failure the previous store stays in
    place and the half-built version is removed.
    """
    version = load_version(store_path, nquads)
    activate_version(store_path, version)
    return version


def load_version(store_path: Path, nquads: Path) -> Path:
    """Bulk-load ``nquads`` into a new store version beside the store at ``store_path``, not yet in use.

    Returns the version's folder, for :func:`activate_version` or :func:`discard_version`.
    A failed load removes the half-built version and raises :class:`StoreError`.
    """
    if store_path.exists() and not store_path.is_symlink():
        raise StoreError(f"{store_path} exists and is not a store link made by kg; move it away first")
    versions = _versions_dir(store_path)
    versions.mkdir(parents=True, exist_ok=True)
    new_version = versions / f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
    try:
        store = ox.Store(str(new_version))
        store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
        store.flush()
        del store
    except Exception as exc:
        discard_version(new_version)
        if isinstance(exc, OSError | SyntaxError | ValueError):
            raise StoreError(f"could not load the new store, the previous one is unchanged: {exc}") from exc
        raise
    return new_version


_LEASE_PREFIX = ".lease-"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, but another user's
        return True
    return True


def is_leased(version: Path) -> bool:
    """True when a live process holds a :func:`lease` on the store version ``version``."""
    for marker in version.glob(f"{_LEASE_PREFIX}*"):
        pid = marker.name.removeprefix(_LEASE_PREFIX)
        if pid.isdigit() and _pid_alive(int(pid)):
            return True
    return False


@contextmanager
def lease(version: Path) -> Iterator[Path]:
    """Hold the store version ``version`` for this process: it is not removed while the lease lasts.

    Yields the version folder. A lease left by a killed process does not count (its pid is gone).
    """
    marker = version / f"{_LEASE_PREFIX}{os.getpid()}"
    try:
        marker.touch()
    except OSError as exc:
        raise StoreError(f"cannot mark the store version {version} as in use: {exc}") from exc
    try:
        yield version
    finally:
        marker.unlink(missing_ok=True)


def prune_versions(store_path: Path) -> list[Path]:
    """Remove every store version but the current one that no live process holds; returns those removed."""
    versions = _versions_dir(store_path)
    if not versions.is_dir():
        return []
    current = store_path.resolve() if exists(store_path) else None
    removed = []
    for version in sorted(versions.iterdir()):
        if version.is_dir() and version.resolve() != current and not is_leased(version):
            shutil.rmtree(version, ignore_errors=True)
            removed.append(version)
    return removed


def activate_version(store_path: Path, version: Path) -> None:
    """Make ``version`` the store at ``store_path`` with one atomic rename, and remove the previous one.

    A previous version that a live process holds a :func:`lease` on stays until a later prune.
    """
    previous = store_path.resolve() if exists(store_path) else None
    try:
        link = store_path.parent / f".{store_path.name}-link-{uuid.uuid4().hex[:8]}"
        os.symlink(os.path.relpath(version, store_path.parent), link)
        os.replace(link, store_path)
    except OSError as exc:
        discard_version(version)
        raise StoreError(f"could not switch to the new store, the previous one is unchanged: {exc}") from exc
    if previous is not None and previous != version.resolve() and not is_leased(previous):
        shutil.rmtree(previous, ignore_errors=True)


def discard_version(version: Path) -> None:
    """Remove a store version that will not be used."""
    shutil.rmtree(version, ignore_errors=True)


def replace_graphs(
    store_path: Path,
    graphs: dict[str, str],
    drop: tuple[str, ...] = (),
    add: dict[str, str] | None = None,
    first: tuple[str, ...] = (),
) -> None:
    """Replace named graphs in one transaction: ``graphs`` maps graph IRI → N-Triples text.

    The SPARQL update statements in ``first`` run first; then each graph in ``graphs`` or
    ``drop`` is dropped, and those in ``graphs`` refilled; then ``add`` (graph IRI →
    N-Triples) is inserted into graphs that are kept. One SPARQL update runs it all, so a
    reader sees the store before or after, never between.
    """
    statements = list(first)
    statements += [f"DROP SILENT GRAPH <{iri}>" for iri in sorted({*graphs, *drop})]
    statements += [f"INSERT DATA {{ GRAPH <{iri}> {{\n{ntriples}\n}} }}" for iri, ntriples in sorted(graphs.items())]
    statements += [
        f"INSERT DATA {{ GRAPH <{iri}> {{\n{ntriples}\n}} }}"
        for iri, ntriples in sorted((add or {}).items())
        if ntriples
    ]
    with open_store(store_path, read_only=False) as store:
        try:
            store.update(" ;\n".join(statements))
        except (OSError, SyntaxError, ValueError) as exc:
            raise StoreError(f"could not update the store, it is unchanged: {exc}") from exc


def graph_names(store_path: Path) -> list[str]:
    """The IRIs of every named graph in the store."""
    with open_store(store_path) as store:
        return sorted(graph.value for graph in store.named_graphs() if isinstance(graph, ox.NamedNode))


def neighbourhood(store_path: Path, iris: list[str], exclude_graphs: list[str]) -> str:
    """N-Triples of every triple about ``iris`` in the store, outside the ``exclude_graphs``."""
    if not iris:
        return ""
    values = " ".join(f"<{iri}>" for iri in sorted(set(iris)))
    excluded = ", ".join(f"<{g}>" for g in exclude_graphs)
    unwanted = f"FILTER (?g NOT IN ({excluded}))" if exclude_graphs else ""
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?s {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} {unwanted} }}"
    with open_store(store_path) as store:
        triples = store.query(query)
        assert isinstance(triples, ox.QueryTriples)
        return bytes(triples.serialize(format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")
