"""The embedded Oxigraph store on disk: complete versions, switched atomically, one writer at a time.

For the default ``build/store``::

    build/store                       a link to the current version, switched with one rename
    build/.store-versions/<version>/
        oxigraph/                     the Oxigraph (RocksDB) database
        journal/                      issues ingested or withdrawn since the build (kg.journal)
        kg.nq kg.nt kg.ttl kg.jsonld  the dumps of this version, when written
        manifest.json                 what the version holds (kg.manifest), written last
    build/.store.lock                 held by the one process writing (kg.lock)
    build/kg.nq -> store/kg.nq        dump links (made by kg build and kg dump): they follow the store link

A version is never changed once it is the store. A writer (:func:`writing`) makes a new one —
``kg build`` loads it from scratch, ``kg ingest`` and ``kg withdraw`` start from a copy of the
current one (a RocksDB checkpoint: hard links, so it costs milliseconds at any size) — completes
it (database flushed, journal, dumps, manifest last), and only then switches the link. Store,
dumps and manifest therefore change together, and a reader sees the whole old version or the whole
new one. A writer killed at any point leaves at most a version that is not the store, which the
next writer removes before it starts.

A process reading a version holds a lease on it (:func:`lease`, a shared ``flock`` on the
version's ``.readers`` file): every :func:`open_store` does, and ``kg serve`` for as long as it
runs. A superseded version is removed only when nobody holds it (:func:`prune_versions`), so a
running server or a long query never loses its files; the kernel drops a killed reader's lease.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.errors import StoreError
from kg.faults import kill_point
from kg.lock import DEFAULT_WAIT, writer_lock
from kg.manifest import (
    GraphEntry,
    Manifest,
    differences,
    graph_entry,
    make_manifest,
    read_manifest,
    write_manifest,
)
from kg.namespaces import DEFAULT_BASE_IRI
from kg.serialize import DUMP_FILES, graph_nquads, store_nquads

DEFAULT_STORE = Path("build") / "store"
#: The database's folder inside a version.
DATABASE = "oxigraph"
_READERS = ".readers"


def versions_dir(store_path: Path) -> Path:
    """The folder holding every version of the store at ``store_path``."""
    return store_path.parent / f".{store_path.name}-versions"


def exists(store_path: Path) -> bool:
    """True when a built store is at ``store_path``."""
    return store_path.is_symlink() and store_path.resolve().is_dir()


def current_version(store_path: Path) -> Path | None:
    """The version folder the store at ``store_path`` is now, or None when there is no store."""
    return store_path.resolve() if exists(store_path) else None


def database(version: Path) -> Path:
    """The Oxigraph database of ``version`` (the version folder itself for one made before manifests)."""
    inner = version / DATABASE
    return inner if inner.is_dir() or not (version / "CURRENT").is_file() else version


def location(store_path: Path) -> Path:
    """The database folder of the current store (what ``oxigraph serve --location`` takes)."""
    version = current_version(store_path)
    if version is None:
        raise StoreError(f"no store at {store_path}: run `kg build` first (or pass --store)")
    return database(version)


# --------------------------------------------------------------------------- readers


def _hold(version: Path) -> int | None:
    """A shared lock on ``version``'s readers file; None when the version is gone or cannot be marked."""
    marker = version / _READERS
    try:
        fd = os.open(marker, os.O_RDWR | os.O_CREAT, 0o644)
    except FileNotFoundError:
        return None
    except OSError:
        try:  # a store on a read-only file system: nobody prunes it, hold what is there if anything
            fd = os.open(marker, os.O_RDONLY)
        except OSError:
            return -1
    fcntl.flock(fd, fcntl.LOCK_SH)
    # A writer may have moved the version away between our open and our lock: then it is not ours.
    try:
        same = os.path.samestat(os.stat(marker), os.fstat(fd))
    except OSError:
        same = False
    if not same:
        os.close(fd)
        return None
    return fd


@contextmanager
def lease(version: Path) -> Iterator[Path]:
    """Hold the store version ``version`` for a ``with`` block: it is not removed while the lease lasts.

    Yields the version folder. The kernel ends the lease of a process that dies.
    """
    fd = _hold(version)
    if fd is None:
        raise StoreError(f"the store version {version} is gone")
    try:
        yield version
    finally:
        if fd >= 0:
            os.close(fd)


@contextmanager
def reading(store_path: Path) -> Iterator[Path]:
    """The current version of the store at ``store_path``, leased for a ``with`` block."""
    for _ in range(100):
        version = current_version(store_path)
        if version is None:
            raise StoreError(f"no store at {store_path}: run `kg build` first (or pass --store)")
        fd = _hold(version)
        if fd is None:  # superseded and removed between the link and the lease: read the link again
            continue
        try:
            yield version
        finally:
            if fd >= 0:
                os.close(fd)
        return
    raise StoreError(f"the store at {store_path} kept changing while it was being opened; try again")


def is_leased(version: Path) -> bool:
    """True when some process holds a :func:`lease` on the store version ``version``."""
    try:
        fd = os.open(version / _READERS, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


@contextmanager
def open_store(store_path: Path) -> Iterator[ox.Store]:
    """Open the current store at ``store_path`` read-only, holding its version, for a ``with`` block."""
    with reading(store_path) as version, version_store(version) as store:
        yield store


# --------------------------------------------------------------------------- versions


def _remove_if_free(version: Path) -> bool:
    """Remove ``version`` unless a reader holds it; True when it is gone."""
    if not version.exists():
        return True
    try:
        fd = os.open(version / _READERS, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        fd = -1  # not a version of ours, or half made: nobody can be reading it
    try:
        if fd >= 0:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
        # Moved aside while we hold it, so a reader arriving now finds it gone; then removed.
        trash = version.parent / f".trash-{uuid.uuid4().hex[:8]}"
        try:
            os.rename(version, trash)
        except OSError:
            return False
    finally:
        if fd >= 0:
            os.close(fd)
    if trash.is_dir() and not trash.is_symlink():
        shutil.rmtree(trash, ignore_errors=True)
    else:
        trash.unlink(missing_ok=True)
    return not trash.exists()


def prune_versions(store_path: Path) -> list[Path]:
    """Remove every version but the current one that no process holds; returns those removed.

    Besides superseded versions, this removes what a killed writer left: a version never switched
    to, a half-removed one, a link never renamed into place.
    """
    versions = versions_dir(store_path)
    for name in [store_path.name, *DUMP_FILES.values()]:
        for stray in store_path.parent.glob(f".{name}-link-*"):
            stray.unlink(missing_ok=True)
    if not versions.is_dir():
        return []
    current = current_version(store_path)
    removed = []
    for version in sorted(versions.iterdir()):
        if version.resolve() != current and _remove_if_free(version):
            removed.append(version)
    return removed


def new_version(store_path: Path) -> Path:
    """A new, empty version folder beside the store at ``store_path``; not the store until activated."""
    if store_path.exists() and not store_path.is_symlink():
        raise StoreError(f"{store_path} exists and is not a store link made by kg; move it away first")
    versions = versions_dir(store_path)
    try:
        versions.mkdir(parents=True, exist_ok=True)
        version = versions / f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
        version.mkdir()
    except OSError as exc:
        raise StoreError(f"cannot make a new store version beside {store_path}: {exc.strerror or exc}") from exc
    return version


#: Bytes of N-Quads per call of Oxigraph's bulk loader. A call sorts and writes all its quads at
#: once, so its memory grows with them (about 0.9 GB for a million quads in one call); calls of a
#: few MB each stay near 0.1 GB, and at 1M quads load faster too (7.4 s against 10.9 s measured on
#: two cores). :func:`compact` then merges the many files they leave.
LOAD_CHUNK = 8 * 2**20


def bulk_load(store: ox.Store, nquads: Path | Iterable[bytes], lenient: bool = False) -> None:
    """Bulk-load N-Quads into ``store``: the file ``nquads``, :data:`LOAD_CHUNK` bytes (whole lines) at a time, or its pieces.

    ``lenient`` skips Oxigraph's check of IRIs (15% of the load): for files written by the mapping,
    which checks them itself.
    """
    for chunk in _file_chunks(nquads) if isinstance(nquads, Path) else nquads:
        store.bulk_load(input=chunk, format=ox.RdfFormat.N_QUADS, lenient=lenient)


def _file_chunks(nquads: Path) -> Iterator[bytes]:
    with nquads.open("rb") as source:
        while chunk := source.read(LOAD_CHUNK):
            yield chunk + source.readline()


def load_chunks(blocks: Iterable[bytes]) -> Iterator[bytes]:
    """Blocks of whole N-Quads lines joined into pieces of about :data:`LOAD_CHUNK` bytes, for :class:`Loading`."""
    piece: list[bytes] = []
    size = 0
    for block in blocks:
        piece.append(block)
        size += len(block)
        if size >= LOAD_CHUNK:
            yield b"".join(piece)
            piece, size = [], 0
    if piece:
        yield b"".join(piece)


def compact(store: ox.Store) -> None:
    """Compact ``store`` after a bulk load (Oxigraph's ``optimize``): on-disk queries 1.2-1.5 times faster at 1M."""
    store.optimize()
    store.flush()


def load_version(store_path: Path, nquads: Path, version: Path | None = None, lenient: bool = False) -> Path:
    """Bulk-load ``nquads`` into the database of ``version`` (a new version by default) and compact it, not yet in use.

    Returns the version's folder, for :func:`activate_version` or :func:`discard_version`.
    A failed load removes the version and raises :class:`StoreError`.
    """
    version = new_version(store_path) if version is None else version
    loading = Loading(version, nquads, lenient)
    loading.finished()
    return version


class Loading:
    """A new version's database being loaded with N-Quads, then compacted, in a thread of its own.

    The quads come from a file, or as pieces of whole lines (:func:`load_chunks`) drawn from an
    iterable by the loading thread, which therefore also does the work of making them.

    Oxigraph loads and compacts in Rust without holding the GIL, so the caller goes on (writing
    the other dumps, validating) meanwhile. :meth:`loaded` waits for the quads to be in,
    :meth:`finished` for the compaction too; either raises :class:`StoreError` (and removes the
    version) when the load failed.
    """

    def __init__(self, version: Path, nquads: Path | Iterable[bytes], lenient: bool = False) -> None:
        self.version = version
        self._loaded = threading.Event()
        self._error: BaseException | None = None
        self._store: ox.Store | None = None
        self._thread = threading.Thread(target=self._run, args=(nquads, lenient), name="kg-load", daemon=True)
        self._thread.start()

    def _run(self, nquads: Path | Iterable[bytes], lenient: bool) -> None:
        try:
            store = ox.Store(str(self.version / DATABASE))
            try:
                bulk_load(store, nquads, lenient)
                store.flush()
                self._store = store
                self._loaded.set()
                compact(store)
            finally:
                del store
        except BaseException as exc:  # handed to the thread that waits
            self._error = exc
        finally:
            self._loaded.set()

    def _raise(self) -> None:
        if self._error is None:
            return
        discard_version(self.version)
        exc = self._error
        if isinstance(exc, OSError | SyntaxError | ValueError):
            raise StoreError(f"could not load the new store, the previous one is unchanged: {exc}") from exc
        raise exc

    def loaded(self) -> ox.Store:
        """Wait until every quad is in the database (its compaction may still run); the database, to read.

        Queries on it may run while it is compacted; the database closes once :meth:`finished`
        has returned and the caller has let go of it.
        """
        self._loaded.wait()
        self._raise()
        assert self._store is not None  # set before the event whenever no error was kept
        return self._store

    def finished(self) -> None:
        """Wait until the database is loaded, compacted and (once no caller holds it) closed."""
        self._thread.join()
        self._store = None
        self._raise()


def branch_version(store_path: Path, source: ox.Store | None = None) -> Path:
    """A new version whose database is a copy of the current store's (hard links where possible).

    ``source`` is the current store's database when the caller has it open already.
    """
    current = location(store_path)
    version = new_version(store_path)
    try:
        (ox.Store.read_only(str(current)) if source is None else source).backup(str(version / DATABASE))
    except OSError as exc:
        discard_version(version)
        raise StoreError(f"could not copy the store at {store_path}, it is unchanged: {exc}") from exc
    return version


def update_version(version: Path, update: str) -> None:
    """Run the SPARQL ``update`` on the database of ``version`` (one not yet in use), in one transaction."""
    with updated_version(version, update):
        pass


@contextmanager
def updated_version(version: Path, update: str) -> Iterator[ox.Store]:
    """:func:`update_version`, then the database left open for a ``with`` block, to be read without opening it again."""
    try:
        store = ox.Store(str(database(version)))
        store.update(update)
        store.flush()
    except (OSError, SyntaxError, ValueError) as exc:
        raise StoreError(f"could not update the store, it is unchanged: {exc}") from exc
    try:
        yield store
    finally:
        del store


def activate_version(store_path: Path, version: Path) -> None:
    """Make ``version`` the store at ``store_path`` with one atomic rename, and remove the previous one.

    A previous version that a reader holds a :func:`lease` on stays until a later prune.
    """
    previous = current_version(store_path)
    try:
        link = store_path.parent / f".{store_path.name}-link-{uuid.uuid4().hex[:8]}"
        os.symlink(os.path.relpath(version, store_path.parent), link)
        os.replace(link, store_path)
        _fsync_dir(store_path.parent)
    except OSError as exc:
        discard_version(version)
        raise StoreError(f"could not switch to the new store, the previous one is unchanged: {exc}") from exc
    kill_point("switched")
    if previous is not None and previous != version.resolve():
        _remove_if_free(previous)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def discard_version(version: Path) -> None:
    """Remove a store version that will not be used."""
    shutil.rmtree(version, ignore_errors=True)


def dump_sizes(version: Path) -> dict[str, int]:
    """The dump files in ``version`` and their sizes."""
    return {name: (version / name).stat().st_size for name in DUMP_FILES.values() if (version / name).is_file()}


# --------------------------------------------------------------------------- writers


@dataclass
class Writer:
    """A process holding the store's writer lock: it makes new versions and switches the store to one."""

    store_path: Path
    current: Path | None
    made: list[Path] = field(default_factory=list)

    @property
    def manifest(self) -> Manifest | None:
        """The current version's manifest (None without a store, or for a store made before manifests)."""
        return read_manifest(self.current) if self.current is not None else None

    def require_current(self) -> Path:
        """The current version; :class:`StoreError` when there is no store yet."""
        if self.current is None:
            raise StoreError(f"no store at {self.store_path}: run `kg build` first (or pass --store)")
        return self.current

    def fresh(self) -> Path:
        """A new empty version."""
        self.made.append(new_version(self.store_path))
        return self.made[-1]

    def branch(self, source: ox.Store | None = None) -> Path:
        """A new version holding a copy of the current database (``source``: that database, if open already)."""
        self.made.append(branch_version(self.store_path, source))
        return self.made[-1]

    def commit(self, version: Path, manifest: Manifest) -> None:
        """Seal ``version`` with ``manifest`` and make it the store; the previous version goes when free."""
        write_manifest(version, manifest)
        _fsync_dir(version)
        kill_point("manifest-written")
        activate_version(self.store_path, version)
        self.made.remove(version)
        self.current = version
        kill_point("pruned")


@contextmanager
def writing(store_path: Path, command: str, wait: float = DEFAULT_WAIT, create: bool = False) -> Iterator[Writer]:
    """Hold the writer lock of the store at ``store_path`` (waiting up to ``wait`` s) for a ``with`` block.

    Without ``create``, a missing store is an error, raised before anything is written. Leftovers
    of killed writers are removed first. Versions made and not committed are removed at the end,
    whatever happens.
    """
    if store_path.exists() and not store_path.is_symlink():
        raise StoreError(f"{store_path} exists and is not a store link made by kg; move it away first")
    if not create and not exists(store_path):
        raise StoreError(f"no store at {store_path}: run `kg build` first (or pass --store)")
    with writer_lock(store_path, command, wait):
        prune_versions(store_path)
        kill_point("locked")
        writer = Writer(store_path, current_version(store_path))
        try:
            yield writer
        finally:
            for version in writer.made:
                discard_version(version)


def replace_store(store_path: Path, nquads: Path, base_iri: str = DEFAULT_BASE_IRI, wait: float = DEFAULT_WAIT) -> Path:
    """Load ``nquads`` into a new store version and make it the store at ``store_path``.

    Returns the new version's folder; its manifest is computed from the loaded store. On any
    failure the previous store stays in place and the half-built version is removed.
    """
    with writing(store_path, "kg (replace_store)", wait, create=True) as writer:
        version = load_version(store_path, nquads, writer.fresh())
        with version_store(version) as store:
            graphs = graph_entries(store, summed=patched_graphs(base_iri))
        writer.commit(version, make_manifest("replace_store", base_iri, graphs))
    return version


@contextmanager
def version_store(version: Path) -> Iterator[ox.Store]:
    """The database of ``version`` open read-only for a ``with`` block (a version this process made or holds)."""
    try:
        store = ox.Store.read_only(str(database(version)))
    except OSError as exc:
        raise StoreError(f"cannot open the store version {version}: {exc}") from exc
    try:
        yield store
    finally:
        del store


def patched_graphs(base_iri: str) -> frozenset[str]:
    """The graphs every ingest patches (the curation graph): their digest is a sum of line hashes."""
    from kg.events import CURATION_GRAPH  # the graph names live with the mapping, above the store
    from kg.rdf import graph_iri

    return frozenset([str(graph_iri(CURATION_GRAPH, base_iri))])


def graph_entries(
    store: ox.Store, only: list[str] | None = None, summed: frozenset[str] = frozenset()
) -> dict[str, GraphEntry]:
    """The manifest entries of the graphs of ``store``, recomputed from its quads (all, or ``only`` these).

    The graphs in ``summed`` get a sum of line hashes (:func:`kg.manifest.graph_entry`). A graph
    named in ``only`` that the store lacks is left out.
    """
    if only is None:
        return {iri: graph_entry(lines, iri in summed) for iri, lines in store_nquads(store).items()}
    return {iri: graph_entry(lines, iri in summed) for iri in sorted(set(only)) if (lines := graph_nquads(store, iri))}


def link_dumps(store_path: Path, out_dir: Path) -> list[Path]:
    """Make ``out_dir/kg.*`` links to the dumps of the store at ``store_path``; returns them.

    Each link goes through the store link (``kg.nq -> store/kg.nq``), so it follows every switch
    of the store: the dumps read there are always the current version's, or absent while the
    current version has none, never those of another version. A file of the same name (the
    dumps of a build made before versions held them) is replaced.
    """
    links = []
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for name in DUMP_FILES.values():
            link = out_dir / name
            target = os.path.relpath(store_path / name, out_dir)
            if not (link.is_symlink() and os.readlink(link) == target):
                partial = out_dir / f".{name}-link-{uuid.uuid4().hex[:8]}"
                os.symlink(target, partial)
                os.replace(partial, link)
            links.append(link)
    except OSError as exc:
        raise StoreError(f"cannot link the dumps from {out_dir}: {exc.strerror or exc}") from exc
    return links


def graphs_update(
    graphs: dict[str, str], drop: tuple[str, ...] = (), add: dict[str, str] | None = None, first: tuple[str, ...] = ()
) -> str:
    """One SPARQL update replacing named graphs: ``graphs`` maps graph IRI → N-Triples text.

    The statements in ``first`` run first; then each graph in ``graphs`` or ``drop`` is dropped,
    and those in ``graphs`` refilled; then ``add`` (graph IRI → N-Triples) is inserted into graphs
    that are kept. Run by :func:`update_version`, it is one transaction.
    """
    statements = list(first)
    statements += [f"DROP SILENT GRAPH <{iri}>" for iri in sorted({*graphs, *drop})]
    statements += [f"INSERT DATA {{ GRAPH <{iri}> {{\n{ntriples}\n}} }}" for iri, ntriples in sorted(graphs.items())]
    statements += [
        f"INSERT DATA {{ GRAPH <{iri}> {{\n{ntriples}\n}} }}"
        for iri, ntriples in sorted((add or {}).items())
        if ntriples
    ]
    return " ;\n".join(statements)


def reseal(store_path: Path, made_by: str) -> bool:
    """Recompute the current version's manifest after it was written in place (``kg serve --writable``).

    Call it holding the writer lock, once the writes are over. When the graphs changed, the
    version's dumps (now stale) are removed and the manifest rewritten; returns whether they changed.
    """
    version = current_version(store_path)
    if version is None:
        raise StoreError(f"no store at {store_path}: run `kg build` first (or pass --store)")
    try:
        manifest = read_manifest(version)
    except StoreError:  # damaged: made again below from the store
        manifest = None
    base_iri = manifest.base_iri if manifest else DEFAULT_BASE_IRI
    with version_store(version) as store:
        graphs = graph_entries(store, summed=patched_graphs(base_iri))
    if manifest is not None and graphs == manifest.graphs:
        return False
    for name in dump_sizes(version):
        (version / name).unlink(missing_ok=True)
    issues = {i: e for i, e in (manifest.issues if manifest else {}).items() if e.graph in graphs}
    write_manifest(version, make_manifest(made_by, base_iri, graphs, issues))
    return True


def check_manifest(store_path: Path) -> tuple[Manifest | None, list[str]]:
    """The current store's manifest and how the store differs from it (nothing when it matches).

    Every graph's digest is recomputed from the store's quads: one pass over the store.
    """
    with reading(store_path) as version:
        manifest = read_manifest(version)
        if manifest is None:
            return None, []
        summed = frozenset(iri for iri, entry in manifest.graphs.items() if entry.summed)
        with version_store(version) as store:
            actual = graph_entries(store, summed=summed)
        return manifest, differences(manifest, actual, dump_sizes(version))


# --------------------------------------------------------------------------- reading helpers


def graph_names(store_path: Path) -> list[str]:
    """The IRIs of every named graph in the store."""
    with open_store(store_path) as store:
        return sorted(graph.value for graph in store.named_graphs() if isinstance(graph, ox.NamedNode))


def neighbourhood(store_path: Path | ox.Store, iris: list[str], exclude_graphs: list[str]) -> str:
    """N-Triples of every triple about ``iris`` in the store (or in this database, open already), outside the ``exclude_graphs``."""
    if not iris:
        return ""
    values = " ".join(f"<{iri}>" for iri in sorted(set(iris)))
    excluded = ", ".join(f"<{g}>" for g in exclude_graphs)
    unwanted = f"FILTER (?g NOT IN ({excluded}))" if exclude_graphs else ""
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?s {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} {unwanted} }}"
    with ExitStack() as stack:
        store = store_path if isinstance(store_path, ox.Store) else stack.enter_context(open_store(store_path))
        triples = store.query(query)
        if not isinstance(triples, ox.QueryTriples):  # a CONSTRUCT gives triples; never reached
            raise StoreError("the store answered a CONSTRUCT query without triples")
        return bytes(triples.serialize(format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")
