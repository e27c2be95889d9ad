"""Load the curated reference backbone (``data/*.yaml``) into validated models.

Each file is a YAML list of entries; the file name says which model its entries
are (:data:`REFERENCE_FILES`): ``authorities.yaml``, or a themed part such as
``authorities-local.yaml`` (the stem before the first ``-`` picks the model). A malformed entry, a duplicated key or id, a
missing Chinese name or a reference to an unknown id is reported as an
:class:`kg.errors.InputError` naming the file and the line.

Below the entries hang their parts (:attr:`ReferenceData.parts`): the versions of amended
instruments, and, when a folder of official texts is given, one node per article
(:mod:`kg.laws`). A ``based_on`` may name an article as ``<instrument id>-article-<N>``
(``csl-article-37``): it links to the article when its text was read, else to the instrument.

Example:
    >>> from kg.resources import resource_dir
    >>> backbone = load_reference(resource_dir("data"))
    >>> backbone.get("pipl").name_zh
    '个人信息保护法'

"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from kg.errors import InputError
from kg.mapping import slots
from kg.models import Article, Authority, Court, Instrument, Jurisdiction, Named, Node, Version
from kg.yamlio import load_yaml, read_text

#: Which model the entries of each reference file are, by the file's stem before any ``-part``.
REFERENCE_FILES: dict[str, type[Named]] = {
    "jurisdictions.yaml": Jurisdiction,
    "authorities.yaml": Authority,
    "courts.yaml": Court,
    "statutes.yaml": Instrument,
    "instruments.yaml": Instrument,
}


#: Fields optional in the models (extraction mints nodes without them) but required of curated entries.
REQUIRED_IN_REFERENCE: dict[type[Named], tuple[str, ...]] = {
    Authority: ("level", "jurisdiction"),
    Court: ("level", "jurisdiction"),
}


@dataclass(frozen=True)
class Location:
    """Where an entry was read: its file, its first line and the line of each key."""

    path: Path
    line: int
    key_lines: dict[str, int] = field(default_factory=dict)
    item_lines: dict[str, list[int]] = field(default_factory=dict)

    def line_of(self, loc: tuple[Any, ...]) -> int:
        """The best line for a pydantic error location such as ``('issuers', 1)``."""
        if not loc or not isinstance(loc[0], str) or loc[0] not in self.key_lines:
            return self.line
        key = loc[0]
        if len(loc) > 1 and isinstance(loc[1], int) and loc[1] < len(self.item_lines.get(key, [])):
            return self.item_lines[key][loc[1]]
        return self.key_lines[key]


@dataclass
class ReferenceData:
    """The validated backbone: every entity, in file order, with where it came from.

    ``parts`` are the nodes below entities (versions, articles); iterating gives the entities only.
    """

    entities: list[Named] = field(default_factory=list)
    locations: dict[str, Location] = field(default_factory=dict)
    parts: list[Node] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def nodes(self) -> Iterator[Node]:
        """Every node of the backbone: the entities, then their parts."""
        yield from self.entities
        yield from self.parts

    def article_for(self, instrument_id: str, number: int, on: dt.date | None = None) -> str | None:
        """The id of article ``number`` of an instrument when its text was read, else None.

        ``on`` is the date the article is cited on: when a later version of the instrument than
        the one the text was read from was in force by then, the number may name another
        article, so None as well.

        >>> from kg.models import Article
        >>> data = ReferenceData(parts=[Article(id="pipl-article-38", part_of="pipl", number=38)])
        >>> data.article_for("pipl", 38), data.article_for("pipl", 99)
        ('pipl-article-38', None)
        """
        article = next(
            (p for p in self.parts if isinstance(p, Article) and p.part_of == instrument_id and p.number == number),
            None,
        )
        if article is None or on is None or article.text_version is None:
            return article.id if article else None
        versions = [p for p in self.parts if isinstance(p, Version) and p.of == instrument_id]
        read = next(v for v in versions if v.id == article.text_version)
        later = [v for v in versions if v.day > read.day and v.effective is not None and v.effective <= on]
        return None if later else article.id

    def get(self, entity_id: str) -> Named:
        """The entity with this id (``KeyError`` if none)."""
        for entity in self.entities:
            if entity.id == entity_id:
                return entity
        raise KeyError(entity_id)

    def of_type(self, model: type[Named]) -> list[Named]:
        """Every entity of one model class."""
        return [e for e in self.entities if isinstance(e, model)]

    def __iter__(self) -> Iterator[Named]:
        return iter(self.entities)

    def __len__(self) -> int:
        return len(self.entities)


def _read_entries(path: Path) -> tuple[tuple[dict[str, Any], Location], ...]:
    """The entries of one reference file with their locations, parsed again only when its text changed.

    A process that ingests issue after issue (a notebook, a script calling :func:`kg.ingest.ingest`)
    reads the same backbone each time, and parsing its YAML was a third of one issue's ingest.
    The file is known by its path and its whole text (not its modification time, which a quick
    edit can leave unchanged); readers do not change the entries (pydantic validates into new objects).
    """
    return _parsed_entries(path, read_text(path))


@lru_cache(maxsize=64)
def _parsed_entries(path: Path, text: str) -> tuple[tuple[dict[str, Any], Location], ...]:
    data, root = load_yaml(path, text)
    if root is None:
        return ()
    if not isinstance(root, yaml.SequenceNode) or not isinstance(data, list):
        raise InputError("a reference file must be a YAML list of entries", path, root.start_mark.line + 1)
    entries = []
    for node, entry in zip(root.value, data, strict=True):
        line = node.start_mark.line + 1
        if not isinstance(node, yaml.MappingNode) or not isinstance(entry, dict):
            raise InputError("each entry must be a mapping of keys to values", path, line)
        key_lines: dict[str, int] = {}
        item_lines: dict[str, list[int]] = {}
        for key_node, value_node in node.value:
            key_lines[str(key_node.value)] = key_node.start_mark.line + 1
            if isinstance(value_node, yaml.SequenceNode):
                item_lines[str(key_node.value)] = [v.start_mark.line + 1 for v in value_node.value]
        entries.append((entry, Location(path, line, key_lines, item_lines)))
    return tuple(entries)


def _validate(model: type[Named], entry: dict[str, Any], where: Location) -> Named:
    try:
        entity = model.model_validate(entry)
    except ValidationError as exc:
        first = exc.errors()[0]
        field_name = ".".join(str(part) for part in first["loc"]) or "entry"
        problem = first["msg"]
        more = f" (and {exc.error_count() - 1} more problem(s) in this entry)" if exc.error_count() > 1 else ""
        raise InputError(f"{field_name}: {problem}{more}", where.path, where.line_of(first["loc"])) from exc
    if entity.name_zh is None:
        raise InputError(
            f"entry {entity.id!r} has no name_zh: reference entities need their Chinese name", where.path, where.line
        )
    for name in REQUIRED_IN_REFERENCE.get(model, ()):
        if getattr(entity, name) is None:
            message = f"entry {entity.id!r} has no {name}: curated {model.__name__.lower()} entries need it"
            raise InputError(message, where.path, where.line)
    return entity


_ARTICLE_REF = re.compile(r"^(?P<instrument>[a-z0-9]+(?:-[a-z0-9]+)*)-article-(?P<number>[1-9][0-9]*)$")


def _articles_or_instruments(backbone: ReferenceData) -> None:
    """A ``based_on`` naming an article whose text was not read names its instrument instead."""
    known = {node.id for node in backbone.nodes()}
    for position, entity in enumerate(backbone.entities):
        if not isinstance(entity, Instrument):
            continue
        targets = []
        for target in entity.based_on:
            ref = _ARTICLE_REF.match(target)
            if target not in known and ref and ref["instrument"] in known:
                target = ref["instrument"]
            targets.append(target)
        if targets != entity.based_on:
            backbone.entities[position] = entity.model_copy(update={"based_on": list(dict.fromkeys(targets))})


def _check_references(backbone: ReferenceData) -> None:
    by_id: dict[str, Node] = {node.id: node for node in backbone.nodes()}
    for entity in backbone:
        where = backbone.locations[entity.id]
        for name, slot in slots(type(entity)).items():
            if not slot.is_ref:
                continue
            value = getattr(entity, name)
            for position, target_id in enumerate(value if isinstance(value, list) else [value]):
                if target_id is None:
                    continue
                target = by_id.get(target_id)
                line = where.line_of((name, position))
                if target is None:
                    raise InputError(f"{name}: unknown id {target_id!r}", where.path, line)
                if type(target).__name__ not in slot.ref:
                    expected = " or ".join(slot.ref)
                    raise InputError(
                        f"{name}: {target_id!r} is a {type(target).__name__}, expected {expected}", where.path, line
                    )


def reference_model(file_name: str) -> type[Named] | None:
    """The model a reference file's entries are, from its name (None for an unknown name).

    >>> reference_model("instruments-standards.yaml").__name__
    'Instrument'
    >>> reference_model("notes.yaml") is None
    True
    """
    stem, _, _part = file_name.removesuffix(".yaml").partition("-")
    return REFERENCE_FILES.get(f"{stem}.yaml") if file_name.endswith(".yaml") else None


def load_reference(data_dir: Path, laws_dir: Path | None = None, *, skip_unknown_laws: bool = False) -> ReferenceData:
    """Read and validate every reference file in ``data_dir``, and the official texts in ``laws_dir`` if given.

    Raises :class:`InputError` (with file and line) for an unknown file name, a
    malformed or duplicated entry, a reference to an id no file defines, or a law
    text that does not parse or names no instrument of the backbone (unless
    ``skip_unknown_laws``: then that file is left out, with a line in ``warnings``).
    """
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise InputError("reference data folder not found", data_dir)
    backbone = ReferenceData()
    files = sorted(data_dir.glob("*.yaml"))
    if not files:
        raise InputError("no reference files (*.yaml) in this folder", data_dir)
    for path in files:
        model = reference_model(path.name)
        if model is None:
            known = ", ".join(
                f"{stem}[-PART].yaml" for stem in (name.removesuffix(".yaml") for name in REFERENCE_FILES)
            )
            raise InputError(f"unknown reference file; expected one of {known}", path)
        for entry, where in _read_entries(path):
            entity = _validate(model, entry, where)
            if entity.id in backbone.locations:
                first = backbone.locations[entity.id]
                raise InputError(
                    f"id {entity.id!r} is already defined at {first.path.name}:{first.line}",
                    path,
                    where.key_lines.get("id", where.line),
                )
            backbone.entities.append(entity)
            backbone.locations[entity.id] = where
    instruments = [entity for entity in backbone.entities if isinstance(entity, Instrument)]
    versions = [version for instrument in instruments for version in instrument.version_nodes()]
    backbone.parts += versions
    if laws_dir is not None:
        from kg.laws import read_laws

        skipped = backbone.warnings if skip_unknown_laws else None
        backbone.parts += read_laws(Path(laws_dir), instruments, versions, skipped)
    _articles_or_instruments(backbone)
    _check_references(backbone)
    return backbone
