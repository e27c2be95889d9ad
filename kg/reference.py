"""Load the curated reference backbone (``data/*.yaml``) into validated models.

Each file is a YAML list of entries; the file name says which model its entries
are (:data:`REFERENCE_FILES`): ``authorities.yaml``, or a themed part such as
``authorities-local.yaml`` (the stem before the first ``-`` picks the model). A malformed entry, a duplicated key or id, a
missing Chinese name or a reference to an unknown id is reported as an
:class:`kg.errors.InputError` naming the file and the line.

Example:
    >>> from kg.resources import resource_dir
    >>> backbone = load_reference(resource_dir("data"))
    >>> backbone.get("pipl").name_zh
    '个人信息保护法'

"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from kg.errors import InputError
from kg.mapping import slots
from kg.models import Authority, Court, Instrument, Jurisdiction, Named
from kg.yamlio import load_yaml

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
    """The validated backbone: every entity, in file order, with where it came from."""

    entities: list[Named] = field(default_factory=list)
    locations: dict[str, Location] = field(default_factory=dict)

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


def _read_entries(path: Path) -> list[tuple[dict[str, Any], Location]]:
    data, root = load_yaml(path)
    if root is None:
        return []
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
    return entries


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


def _check_references(backbone: ReferenceData) -> None:
    by_id = {entity.id: entity for entity in backbone}
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


def load_reference(data_dir: Path) -> ReferenceData:
    """Read and validate every reference file in ``data_dir``.

    Raises :class:`InputError` (with file and line) for an unknown file name, a
    malformed or duplicated entry, or a reference to an id no file defines.
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
    _check_references(backbone)
    return backbone
