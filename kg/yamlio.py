"""YAML in with line numbers: every hand-edited YAML file is read through here.

Dates stay text (pydantic judges them like any other value), a key repeated in
one mapping is an error (PyYAML would silently keep the last), and
:func:`line_at` finds the line of any value by its path, so a validation error
can name the line a curator must fix.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from kg.errors import InputError


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """A safe loader that leaves dates as text (libyaml's, where PyYAML was built with it: several times faster)."""


def _date_as_text(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    return str(loader.construct_scalar(node))  # type: ignore[arg-type]


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _date_as_text)


def _check_unique_keys(node: yaml.Node, path: Path) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                raise InputError(
                    f"key {key!r} appears twice in one entry (first on line {seen[key]})",
                    path,
                    key_node.start_mark.line + 1,
                )
            seen[key] = key_node.start_mark.line + 1
            _check_unique_keys(value_node, path)
    elif isinstance(node, yaml.SequenceNode):
        for child in node.value:
            _check_unique_keys(child, path)


def read_text(path: Path) -> str:
    """A YAML file's text (UTF-8); ``InputError`` naming the file if it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read file: {exc}", path) from exc


def load_yaml(path: Path, text: str | None = None) -> tuple[Any, yaml.Node | None]:
    """The data of a YAML file and its node tree (for line numbers); ``InputError`` naming the line if malformed.

    ``text`` is the file's text when the caller has read it already.
    """
    loader = _Loader(read_text(path) if text is None else text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None, None
        _check_unique_keys(root, path)
        return loader.construct_document(root), root
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise InputError(f"not valid YAML: {exc.problem}", path, line) from exc
    finally:
        loader.dispose()


def line_at(root: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """The 1-based line of the value at ``loc`` (keys and list indexes), or of its nearest parent."""
    node = root
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        child = None
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == part:
                    child, line = value_node, key_node.start_mark.line + 1
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            child = node.value[part]
            line = child.start_mark.line + 1
        if child is None:
            break
        node = child
    return line
