r"""The build's cache of mapped event files: a file that did not change is not read and mapped again.

Reading an issue's records (YAML), linking its names to the backbone and mapping them to
statements is most of a large build's work (at a million triples, some 20 s of CPU). What it gives
depends only on the file's bytes and on the *context*: the reference data (every ``*.yaml`` of
the data folder and every file of the statute texts' folder), the base IRI, the ontology, and the
code that reads and maps (``kg``'s own sources, the Python version and the libraries that parse
and validate). So :class:`MappingCache` keeps each mapped file beside the store, under
``.<store>-cache/<context digest>/<file digest>``, and a later build in the same context reads it
back instead of mapping the file again; any change to the context starts a fresh folder. The
ontology and reference graphs, which depend on the context alone, are kept the same way.

Entries are written whole (to a temporary name, then renamed), by the build holding the store's
writer lock; one that cannot be read is mapped again. Each build keeps only the entries it used.
They are :mod:`marshal` data, which only this Python version reads back (its version is part of
the context).

Example:
    >>> import tempfile
    >>> cache = MappingCache(Path(tempfile.mkdtemp()) / "cache", "a-context")
    >>> entry = MappedFile("issue-1", "issue-1.txt", 1, b"<s> <p> <o> .\n", ("<e> <p> <o>",))
    >>> cache.keep("sha256-of-the-file", entry)
    >>> cache.get("sha256-of-the-file") == entry
    True

"""

from __future__ import annotations

import hashlib
import marshal
import os
import shutil
import sys
import uuid
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

#: The libraries whose behaviour shapes a mapped file (parsing, validation, normalisation).
LIBRARIES = ("pydantic", "pydantic-core", "PyYAML", "rdflib")
_FIXED = "fixed"


@dataclass(frozen=True)
class MappedFile:
    """One event file (or journal entry) mapped: its issue, and its statements.

    ``own`` is the issue graph: sorted, unique N-Triples lines (UTF-8); ``curation`` the
    statements (``s p o``, without the final `` .``) describing entities it minted, for the
    curation graph.
    """

    issue_id: str
    name: str
    items: int
    own: bytes
    curation: tuple[str, ...]


@dataclass(frozen=True)
class FixedGraphs:
    """The graphs a build makes from the context alone: ontology and reference, as N-Triples blocks by graph IRI."""

    graphs: dict[str, bytes]
    warnings: tuple[str, ...] = ()


def file_digest(path: Path) -> str:
    """The SHA-256 of a file's bytes."""
    with path.open("rb") as source:
        return hashlib.file_digest(source, "sha256").hexdigest()


def _add_files(digest: hashlib._Hash, folder: Path, paths: list[Path]) -> None:
    for path in paths:
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(f"{path.relative_to(folder)}\0".encode())
            digest.update(path.read_bytes())
            digest.update(b"\0")


def context_digest(data_dir: Path, laws_dir: Path | None, skip_unknown_laws: bool, base_iri: str) -> str:
    """A digest of everything a mapped file depends on besides its own bytes (see the module's text).

    The files are those the build reads: the reference files (``data/*.yaml``, not the event
    files below them), the statute texts (``*.md``), the ontology (``*.ttl``) and ``kg``'s sources.
    """
    from kg.resources import resource_dir

    digest = hashlib.sha256()
    digest.update(f"python {sys.version}\0base {base_iri}\0skip {skip_unknown_laws}\0".encode())
    for library in LIBRARIES:
        try:
            digest.update(f"{library} {version(library)}\0".encode())
        except PackageNotFoundError:
            digest.update(f"{library} -\0".encode())
    code = Path(__file__).resolve().parent
    _add_files(digest, code, sorted(code.rglob("*.py")))
    ontology = resource_dir("ontology")
    _add_files(digest, ontology, sorted(ontology.glob("*.ttl")))
    digest.update(b"data\0")
    _add_files(digest, Path(data_dir), sorted(Path(data_dir).glob("*.yaml")))
    if laws_dir is not None:
        digest.update(b"laws\0")
        _add_files(digest, Path(laws_dir), sorted(Path(laws_dir).glob("*.md")))
    return digest.hexdigest()


def cache_dir(store_path: Path) -> Path:
    """Where the cache of the store at ``store_path`` lives: beside it, like its versions."""
    return store_path.parent / f".{store_path.name}-cache"


class MappingCache:
    """Mapped files of one context, by the digest of their bytes; ``folder`` None keeps nothing."""

    def __init__(self, folder: Path | None, context: str) -> None:
        self.root = folder
        self.folder = folder / context[:32] if folder is not None else None
        self.used: set[str] = set()

    def _read(self, name: str) -> object | None:
        if self.folder is None:
            return None
        try:
            data = (self.folder / name).read_bytes()
        except OSError:
            return None
        try:
            return marshal.loads(data)
        except (EOFError, ValueError, TypeError):
            return None

    def _write(self, name: str, value: Any) -> None:
        if self.folder is None:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            partial = self.folder / f".{name}.{uuid.uuid4().hex[:8]}"
            partial.write_bytes(marshal.dumps(value))
            os.replace(partial, self.folder / name)
        except OSError:  # a cache that cannot be written only costs time
            return

    def get(self, digest: str) -> MappedFile | None:
        """The mapped file whose bytes have ``digest``, if this context mapped it before."""
        self.used.add(digest)
        value = self._read(digest)
        if not (isinstance(value, tuple) and len(value) == 5):
            return None
        issue_id, name, items, own, curation = value
        if not (isinstance(own, bytes) and isinstance(curation, tuple)):
            return None
        return MappedFile(str(issue_id), str(name), int(items), own, curation)

    def keep(self, digest: str, mapped: MappedFile) -> None:
        """Remember the mapped file whose bytes have ``digest``."""
        self.used.add(digest)
        self._write(digest, (mapped.issue_id, mapped.name, mapped.items, mapped.own, mapped.curation))

    def fixed(self) -> FixedGraphs | None:
        """The ontology and reference graphs of this context, if a build made them before."""
        self.used.add(_FIXED)
        value = self._read(_FIXED)
        if not (isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], dict)):
            return None
        return FixedGraphs(dict(value[0]), tuple(value[1]))

    def keep_fixed(self, fixed: FixedGraphs) -> None:
        """Remember the ontology and reference graphs of this context."""
        self.used.add(_FIXED)
        self._write(_FIXED, (fixed.graphs, fixed.warnings))

    def prune(self) -> None:
        """Remove every entry this build did not use, and the folders of other contexts."""
        if self.root is None or self.folder is None or not self.root.is_dir():
            return
        for other in self.root.iterdir():
            if other != self.folder:
                shutil.rmtree(other, ignore_errors=True) if other.is_dir() else other.unlink(missing_ok=True)
        if self.folder.is_dir():
            for entry in self.folder.iterdir():
                if entry.name not in self.used:
                    entry.unlink(missing_ok=True)
