"""Where the project's hand-edited sources live: ontology, shapes, queries, data.

A wheel carries them inside the package (``kg/_resources/<name>``); an editable
install or a checkout finds them at the repository root. Nothing here depends on
the working directory.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

RESOURCE_NAMES = ("ontology", "shapes", "queries", "data")


def resource_dir(name: str) -> Path:
    """Return the folder holding the named resource (one of ``RESOURCE_NAMES``).

    Example:
        >>> resource_dir("ontology").joinpath("datalaw.ttl").is_file()
        True

    """
    if name not in RESOURCE_NAMES:
        raise ValueError(f"unknown resource {name!r}; expected one of {', '.join(RESOURCE_NAMES)}")
    packaged = Path(str(resources.files("kg"))) / "_resources" / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / name
